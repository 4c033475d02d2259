// File: tests/litmus/corpus_util.hpp
//
// Test helper: loads shared/litmus/MANIFEST.tsv and the files it lists (once
// per process, cached), so the corpus and fuzz tests share one read of the
// 5,618 files. The directory comes from the MMCHECK_LITMUS_DIR compile
// definition; corpus_available() is false when it does not exist.
//
// What this does not do: parse anything (the tests do).
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#ifndef MMCHECK_LITMUS_DIR
#define MMCHECK_LITMUS_DIR ""
#endif

namespace mmcheck::litmus::test_corpus {

struct CorpusEntry {
  std::string file;             // MANIFEST column 1, relative to the corpus directory
  std::string arch;             // column 2
  std::string expected_result;  // column 3 ("-" when none)
  std::string condition;        // column 4 ("exists", "exists+filter", "forall", "?")
  std::string threads;          // column 5
  std::string text;             // file contents
};

inline std::string corpus_dir() { return MMCHECK_LITMUS_DIR; }

inline bool corpus_available() {
  std::error_code ec;
  return !corpus_dir().empty() &&
         std::filesystem::is_regular_file(corpus_dir() + "/MANIFEST.tsv", ec);
}

inline const std::vector<CorpusEntry>& corpus() {
  static const std::vector<CorpusEntry> entries = [] {
    std::vector<CorpusEntry> out;
    if (!corpus_available()) return out;
    std::ifstream manifest(corpus_dir() + "/MANIFEST.tsv");
    std::string line;
    std::getline(manifest, line);  // header
    while (std::getline(manifest, line)) {
      if (line.empty()) continue;
      std::vector<std::string> cols;
      std::stringstream ss(line);
      std::string col;
      while (std::getline(ss, col, '\t')) cols.push_back(col);
      cols.resize(7);
      CorpusEntry e;
      e.file = cols[0];
      e.arch = cols[1];
      e.expected_result = cols[2];
      e.condition = cols[3];
      e.threads = cols[4];
      std::ifstream in(corpus_dir() + "/" + e.file, std::ios::binary);
      std::ostringstream buf;
      buf << in.rdbuf();
      e.text = buf.str();
      out.push_back(std::move(e));
    }
    return out;
  }();
  return entries;
}

}  // namespace mmcheck::litmus::test_corpus

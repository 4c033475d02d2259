// File: explorer/cli/litmus_cmd.cpp
//
// Implementation of `mmcheck litmus` (see litmus_cmd.hpp). Directories are
// walked recursively, files sorted, so runs are reproducible.
#include "cli/litmus_cmd.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "absl/strings/str_format.h"
#include "litmus/run.hpp"
#include "mmcheck/memory/model.hpp"
#include "nlohmann/json.hpp"

namespace mmcheck::cli {

int litmus(const LitmusArgs& args) {
  namespace fs = std::filesystem;
  if (!memory::parse_model(args.memory_model)) {
    std::cerr << "mmcheck litmus: unknown memory model '" << args.memory_model
              << "' (sc, tso, relaxed, lkmm)\n";
    return 2;
  }
  std::vector<std::string> files;
  for (const std::string& f : args.files) {
    std::error_code ec;
    if (fs::is_directory(f, ec)) {
      std::vector<std::string> found;
      for (const auto& e : fs::recursive_directory_iterator(f, ec)) {
        if (e.is_regular_file() && e.path().extension() == ".litmus") found.push_back(e.path());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(f);
    }
  }
  if (files.empty()) {
    std::cerr << "mmcheck litmus: no litmus files given\n";
    return 2;
  }
  litmus::RunOptions opts;
  opts.memory_model = args.memory_model;
  opts.threads = args.threads;
  opts.time_limit_s = args.time_limit_s;
  opts.max_states = static_cast<std::uint64_t>(std::max<std::int64_t>(0, args.max_states));
  opts.sb_bound = args.sb_bound;
  opts.por = args.por;
  opts.full_graph = args.full_graph;

  std::ofstream tsv;
  if (!args.tsv_out.empty()) {
    tsv.open(args.tsv_out);
    tsv << "file\texpected\tverdict\tagree\tstates\tseconds\treason\n";
  }
  nlohmann::json list = nlohmann::json::array();
  int agree = 0, dis_weaker = 0, dis_stronger = 0, dis_other = 0, unsupported = 0, errors = 0,
      timeouts = 0, not_comparable = 0;
  double total = 0;
  for (const std::string& f : files) {
    const litmus::RunOutcome r = litmus::run_litmus_file(f, opts);
    total += r.seconds;
    std::string mark;
    if (r.verdict == "unsupported") {
      ++unsupported;
      mark = r.reason;
    } else if (r.verdict == "error") {
      ++errors;
      mark = r.reason;
    } else if (r.verdict == "timeout") {
      ++timeouts;
      mark = "timeout (" + r.reason + ")";
    } else if (!r.agree) {
      ++not_comparable;
      mark = r.expected.empty() ? "(no Result)" : "(Result: " + r.expected + ")";
    } else if (*r.agree) {
      ++agree;
      mark = "ok";
    } else {
      // "weaker": the model allows an outcome LKMM forbids.
      if (r.expected == "Never" && r.verdict != "Never") {
        ++dis_weaker;
      } else if (r.verdict == "Never" && r.expected != "Never") {
        ++dis_stronger;
      } else {
        ++dis_other;
      }
      mark = "DISAGREE (Result: " + r.expected + ")";
    }
    if (!args.quiet) {
      std::cout << absl::StrFormat("%-9s %10d states %8.3fs  %s  %s%s\n", r.verdict, r.states,
                                   r.seconds, r.file, mark,
                                   r.no_final_state ? " [no final state]" : "");
    }
    nlohmann::json j;
    j["file"] = r.file;
    j["expected"] = r.expected.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.expected);
    j["verdict"] = r.verdict;
    j["agree"] = r.agree ? nlohmann::json(*r.agree) : nlohmann::json(nullptr);
    j["states"] = r.states;
    j["seconds"] = r.seconds;
    if (!r.reason.empty()) j["reason"] = r.reason;
    if (r.no_final_state) j["no_final_state"] = true;
    list.push_back(std::move(j));
    if (tsv.is_open()) {
      tsv << r.file << '\t' << (r.expected.empty() ? "-" : r.expected) << '\t' << r.verdict << '\t'
          << (r.agree ? (*r.agree ? "yes" : "no") : "-") << '\t' << r.states << '\t'
          << absl::StrFormat("%.3f", r.seconds) << '\t' << r.reason << std::endl;
    }
  }
  const int disagree = dis_weaker + dis_stronger + dis_other;
  std::cout << absl::StrFormat(
      "model %s: %d tests, agree %d, disagree %d (model allows what Result forbids: %d; model "
      "forbids what Result allows: %d; other: %d), not comparable %d, unsupported %d, timeout %d, "
      "error %d, %.1fs\n",
      args.memory_model, files.size(), agree, disagree, dis_weaker, dis_stronger, dis_other,
      not_comparable, unsupported, timeouts, errors, total);
  if (!args.json_out.empty()) {
    std::ofstream(args.json_out) << list.dump(1) << '\n';
  }
  return disagree > 0 ? 1 : 0;
}

}  // namespace mmcheck::cli

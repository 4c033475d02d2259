// File: tests/litmus/corpus_test.cpp
//
// Corpus tests over shared/litmus (skipped when the directory is absent):
//   - the 47 kernel tests under linux/ parse, are "C", carry a Result and a
//     condition, and pass check_supported();
//   - a sweep over every file of MANIFEST.tsv pins the exact numbers of
//     supported / unsupported / malformed files and the per-reason breakdown
//     (printed), and checks the AST against the MANIFEST columns (arch,
//     Result text, thread count, condition kind).
//
// What this does not do: judge verdicts (no execution here).
#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <string>

#include "corpus_util.hpp"
#include "litmus/parse.hpp"
#include "litmus/support.hpp"

namespace mmcheck::litmus {
namespace {

using test_corpus::corpus;
using test_corpus::corpus_available;
using test_corpus::corpus_dir;

TEST(LitmusCorpus, KernelTestsParseAndAreC) {
  if (!corpus_available()) GTEST_SKIP() << "corpus not found at " << corpus_dir();
  int kernel = 0;
  for (const auto& e : corpus()) {
    if (e.file.rfind("linux/", 0) != 0) continue;
    ++kernel;
    // Through the file API, as the CLI will.
    ParseResult r = parse_litmus_file(corpus_dir() + "/" + e.file);
    ASSERT_TRUE(r.ok()) << r.error->to_string();
    const litmus::Test& t = *r.test;
    EXPECT_EQ(t.arch, "C") << e.file;
    EXPECT_FALSE(t.name.empty()) << e.file;
    EXPECT_NE(t.result.kind, ResultKind::kNone) << e.file;
    EXPECT_NE(t.result.kind, ResultKind::kOther) << e.file;
    EXPECT_TRUE(t.condition.has_value()) << e.file;
    EXPECT_GE(t.processes.size(), 1u) << e.file;
    EXPECT_EQ(std::to_string(t.processes.size()), e.threads) << e.file;
    for (size_t i = 0; i < t.processes.size(); ++i) {
      EXPECT_EQ(t.processes[i].index, static_cast<int>(i)) << e.file;
    }
    SupportResult s = check_supported(t);
    EXPECT_TRUE(s.ok()) << s.to_string();
  }
  EXPECT_EQ(kernel, 47);
}

TEST(LitmusCorpus, KernelMessagePassingDetails) {
  if (!corpus_available()) GTEST_SKIP() << "corpus not found at " << corpus_dir();
  ParseResult r = parse_litmus_file(corpus_dir() +
                                    "/linux/tools/memory-model/litmus-tests/MP+poonceonces.litmus");
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  const litmus::Test& t = *r.test;
  EXPECT_EQ(t.name, "MP+poonceonces");
  EXPECT_EQ(t.result.kind, ResultKind::kSometimes);
  ASSERT_EQ(t.processes.size(), 2u);
  EXPECT_EQ(to_string(t.processes[0]),
            "P0(int *buf, int *flag) { WRITE_ONCE(*buf, 1); WRITE_ONCE(*flag, 1); }");
  EXPECT_EQ(to_string(t.processes[1]),
            "P1(int *buf, int *flag) { int r0; int r1; r0 = READ_ONCE(*flag); r1 = "
            "READ_ONCE(*buf); }");
  ASSERT_TRUE(t.condition.has_value());
  EXPECT_EQ(to_string(t.condition->prop), "1:r0=1 /\\ 1:r1=0");
}

TEST(LitmusCorpus, SweepPinsCountsAndMatchesManifest) {
  if (!corpus_available()) GTEST_SKIP() << "corpus not found at " << corpus_dir();
  const auto& entries = corpus();
  ASSERT_EQ(entries.size(), 5618u);

  int supported = 0;
  int unsupported = 0;
  int malformed = 0;
  std::map<std::string, int> reasons;
  std::vector<std::string> errors;
  int manifest_mismatches = 0;
  for (const auto& e : entries) {
    ParseResult r = parse_litmus(e.text, e.file);
    if (!r.ok()) {
      ++malformed;
      errors.push_back(r.error->to_string());
      continue;
    }
    const litmus::Test& t = *r.test;
    auto mismatch = [&](const std::string& what, const std::string& got, const std::string& want) {
      ++manifest_mismatches;
      ADD_FAILURE() << e.file << ": " << what << " is '" << got << "', MANIFEST says '" << want
                    << "'";
    };
    if (t.arch != e.arch) mismatch("arch", t.arch, e.arch);
    std::string result = t.result.kind == ResultKind::kNone ? "-" : t.result.raw;
    // One file writes "Result: Maybe." (the period is dropped by the parser).
    if (result != e.expected_result) mismatch("Result", result, e.expected_result);
    if (t.arch == "C") {
      if (std::to_string(t.processes.size()) != e.threads) {
        mismatch("thread count", std::to_string(t.processes.size()), e.threads);
      }
      std::string cond = t.condition ? to_string(t.condition->quantifier) : "none";
      if (t.filter) cond += "+filter";
      // "?" marks files the survey did not classify; self-deadlock.litmus has
      // no condition at all although the MANIFEST says "exists".
      bool known_gap =
          e.file == "paulmckrcu-litmus/manual/locked/self-deadlock.litmus" && cond == "none";
      if (e.condition != "?" && cond != e.condition && !known_gap) {
        mismatch("condition", cond, e.condition);
      }
    }
    SupportResult s = check_supported(t);
    if (s.ok()) {
      ++supported;
    } else {
      ++unsupported;
      ++reasons[s.issue->construct];
    }
  }

  std::cout << "[ corpus   ] supported=" << supported << " unsupported=" << unsupported
            << " malformed=" << malformed << "\n";
  for (const auto& [reason, count] : reasons) {
    std::cout << "[ corpus   ]   " << count << "  unsupported: " << reason << "\n";
  }
  for (const auto& err : errors) std::cout << "[ corpus   ]   malformed: " << err << "\n";

  EXPECT_EQ(manifest_mismatches, 0);
  EXPECT_EQ(supported, 5397);
  EXPECT_EQ(unsupported, 220);
  EXPECT_EQ(malformed, 1);
  const std::map<std::string, int> expected_reasons = {
      {"SRCU primitive 'smp_mb__after_srcu_read_unlock'", 1},
      {"SRCU primitive 'srcu_down_read'", 1},
      {"SRCU primitive 'srcu_read_lock'", 26},
      {"SRCU primitive 'synchronize_srcu'", 3},
      {"architecture 'LISA'", 174},
      {"architecture 'PPC'", 9},
      {"unknown primitive 'smp_memb'", 5},
      {"unmodelled primitive 'spin_unlock_wait'", 1},
  };
  EXPECT_EQ(reasons, expected_reasons);
  // The one malformed file repeats its header line ("C rwsem" on line 2).
  EXPECT_EQ(errors, (std::vector<std::string>{
                        "paulmckrcu-litmus/manual/kernel/C-JanStancek-rwsem.litmus:2:1: "
                        "expected '{' to start the init block, found 'C'"}));
}

}  // namespace
}  // namespace mmcheck::litmus

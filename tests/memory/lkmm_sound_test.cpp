// File: tests/memory/lkmm_sound_test.cpp
//
// Corpus files on which lkmm answered Never where LKMM answers Sometimes
// (docs/warts-memory.md, "lkmm disagreements on the corpus"), with their
// verdict pinned under lkmm: fixed ones answer Sometimes; plain accesses in
// a possible data race are reported unsupported (run.cpp, plain_race()).
// Skips when the corpus is absent.
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include "shapes.hpp"

namespace mmcheck::memtest {
namespace {

struct Pinned {
  const char* file;
  const char* lkmm_result;  // the file's Result line
  const char* lkmm;         // verdict under lkmm
  const char* reason;       // substring of the unsupported reason ("" otherwise)
};

constexpr const char* kRace = "in a possible data race with P";

// clang-format off
const std::vector<Pinned> kPinned = {
    // A load through a register address blocked the thread (no final state).
    {"paulmckrcu-litmus/auto/C-LB-GWR+R-Dd.litmus", "Sometimes", "Sometimes", ""},
    {"paulmckrcu-litmus/auto/C-LB-GWR+R-A+O-Dd.litmus", "Sometimes", "Sometimes", ""},
    {"paulmckrcu-litmus/auto/C-LB-GWR+R-A+R-Dd.litmus", "Sometimes", "Sometimes", ""},
    {"paulmckrcu-litmus/auto/C-LB-GWR+R-Dd+R-Dd.litmus", "Sometimes", "Sometimes", ""},
    // Load buffering past smp_rmb, and past an smp_wmb preceded only by plain
    // stores; the companion of C-READ_ONCE-omitted with READ_ONCE stays Never.
    {"paulmckrcu-litmus/manual/oota/C-AS-OOTA-1.litmus", "Sometimes", "Sometimes", ""},
    {"paulmckrcu-litmus/manual/plain/C-wmb-race2.litmus", "Sometimes", "Sometimes", ""},
    {"paulmckrcu-litmus/manual/kernel/C-READ_ONCE-omitted.litmus", "Sometimes", "Sometimes", ""},
    {"paulmckrcu-litmus/manual/kernel/C-READ_ONCE.litmus", "Never", "Never", ""},
    // An address dependency on a load that read the CPU's own write orders
    // nothing after earlier loads (ctrl ; rfi ; addr) unless a dependency
    // leads into that write (dep ; rfi ; addr).
    {"paulmckrcu-litmus/manual/kernel/C-PPOCA.litmus", "Sometimes", "Sometimes", ""},
    {"paulmckrcu-litmus/manual/kernel/C-PPO000-019.litmus", "Never", "Never", ""},
    // A register that holds a constant on the path taken carries no
    // dependency: the store after the if executes early, assuming that path.
    {"paulmckrcu-litmus/manual/kernel/crypto-control-data.litmus", "Sometimes", "Sometimes", ""},
    // Plain accesses in a possible data race.
    {"paulmckrcu-litmus/manual/plain/C-OOTA.litmus", "Sometimes", "unsupported", kRace},
    {"paulmckrcu-litmus/manual/plain/C-repload.litmus", "Sometimes", "unsupported", kRace},
    {"paulmckrcu-litmus/manual/plain/C-tearstore.litmus", "Sometimes", "unsupported", kRace},
    {"paulmckrcu-litmus/manual/plain/C-tmpstore.litmus", "Sometimes", "unsupported", kRace},
    {"paulmckrcu-litmus/manual/plain/C-non-race1.litmus", "Sometimes", "unsupported", kRace},
    {"paulmckrcu-litmus/manual/plain/MP+wmbplainplain+rmbplainplain.litmus", "Sometimes", "unsupported", kRace},
    // A racy plain access does not hide a Sometimes.
    {"paulmckrcu-litmus/manual/plain/C-non-conflicting-writes.litmus", "Sometimes", "Sometimes", ""},
};
// clang-format on

class LkmmSound : public ::testing::TestWithParam<Pinned> {};

TEST_P(LkmmSound, PinnedVerdict) {
  const Pinned& p = GetParam();
  const std::string path = std::string(MMCHECK_LITMUS_DIR) + "/" + p.file;
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "corpus absent: " << path;
  litmus::RunOptions opts;
  opts.time_limit_s = 60;
  opts.memory_model = "lkmm";
  const auto o = litmus::run_litmus_file(path, opts);
  EXPECT_EQ(o.expected, p.lkmm_result) << p.file;
  EXPECT_EQ(o.verdict, p.lkmm) << p.file << " " << o.reason;
  EXPECT_FALSE(o.no_final_state) << p.file;
  if (*p.reason != '\0') {
    EXPECT_NE(o.reason.find(p.reason), std::string::npos) << o.reason;
  } else {
    EXPECT_EQ(litmus::compare_verdict(p.lkmm_result, o.verdict, o.no_final_state), true) << p.file;
  }
  // The race rule is lkmm's only: sc still answers.
  opts.memory_model = "sc";
  const auto sc = litmus::run_litmus_file(path, opts);
  EXPECT_NE(sc.verdict, "unsupported") << p.file << " " << sc.reason;
}

std::string test_name(const ::testing::TestParamInfo<Pinned>& info) {
  std::string n = std::filesystem::path(info.param.file).stem();
  for (char& c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return n;
}

INSTANTIATE_TEST_SUITE_P(Corpus, LkmmSound, ::testing::ValuesIn(kPinned), test_name);

}  // namespace
}  // namespace mmcheck::memtest

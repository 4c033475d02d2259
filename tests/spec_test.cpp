// File: tests/spec_test.cpp
//
// The protocol specs through the registry: pinned counts, verdicts, traces
// and their independence of the thread count.
#include "gtest/gtest.h"
#include "report/trace_render.hpp"
#include "test_util.hpp"

namespace mmcheck {
namespace {

using testing::run;
using testing::trace_actions;

TEST(BenchGupFork, CountsEqualRumurAndSpin) {
  // Rumur and SPIN report these with symmetry reduction off (bench/peers.sh).
  RunReport r = run("bench_gupfork", "seqcount", {{"N", 2}, {"K", 2}, {"F", 2}});
  EXPECT_EQ(r.verdict, Verdict::holds);
  EXPECT_EQ(r.distinct_states, 3703u);
  EXPECT_EQ(r.transitions, 10078u);
  EXPECT_EQ(r.depth, 28);
  r = run("bench_gupfork", "seqcount", {{"N", 3}, {"K", 2}, {"F", 2}});
  EXPECT_EQ(r.distinct_states, 63533u);
  EXPECT_EQ(r.transitions, 230130u);
  EXPECT_EQ(r.depth, 36);
  EXPECT_TRUE(r.unfired_families.empty());
}

TEST(BenchGupFork, BuggyVariantViolatesWithShortestTrace) {
  const RunReport r = run("bench_gupfork", "buggy", {{"N", 2}});
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_EQ(r.property, "pinned_page_not_cow_shared");
  EXPECT_EQ(trace_actions(r),
            (std::vector<std::string>{"gup.read_seq(cpu=0)", "gup.read_pte(cpu=0)", "fork.begin",
                                      "fork.wrprotect", "fork.copy_or_share", "gup.pin(cpu=0)",
                                      "gup.recheck_seq(cpu=0)"}));
}

TEST(BenchGupFork, SymmetryOrbitCountsEqualRumur) {
  // Rumur's exhaustive symmetry reduction (scalarset CPUs): 1,962 / 12,514 /
  // 64,599 / 286,412 orbits for N=2..5, K=2, F=2.
  const std::vector<std::uint64_t> orbits = {1962, 12514, 64599, 286412};
  for (int n = 2; n <= 5; ++n) {
    for (int threads : {1, 2}) {
      const RunReport r = run("bench_gupfork", "seqcount", {{"N", n}}, threads, true);
      EXPECT_EQ(r.verdict, Verdict::holds);
      EXPECT_TRUE(r.symmetry);
      EXPECT_EQ(r.distinct_states, orbits[n - 2]) << n;
    }
  }
}

TEST(BenchGupFork, PorKeepsVerdictsWithFewerStates) {
  // Every step touches the shared seqcount, pte, pincount or the property's
  // fields, so the reduction is small: 61,469 of 63,533 states at N=3.
  for (int threads : {1, 2, 4}) {
    const RunReport r = run("bench_gupfork", "seqcount", {{"N", 3}}, threads, false, "sc", true);
    EXPECT_EQ(r.verdict, Verdict::holds);
    EXPECT_TRUE(r.por);
    EXPECT_EQ(r.distinct_states, 61469u);
    EXPECT_EQ(r.transitions, 211900u);
    EXPECT_EQ(r.por_reduced, 6442u);
    EXPECT_EQ(r.por_proviso, 262u);
  }
  const RunReport bad = run("bench_gupfork", "buggy", {{"N", 3}}, 2, false, "sc", true);
  ASSERT_EQ(bad.verdict, Verdict::violated);
  EXPECT_EQ(bad.property, "pinned_page_not_cow_shared");
  ASSERT_TRUE(bad.trace);
  EXPECT_EQ(bad.trace->steps.size(), 8u);  // the shortest one: nothing was reduced before it
}

TEST(BenchGupFork, SymmetryKeepsVerdictAndGivesAConcreteShortestTrace) {
  const RunReport plain = run("bench_gupfork", "buggy", {{"N", 3}});
  const RunReport sym = run("bench_gupfork", "buggy", {{"N", 3}}, 2, true);
  ASSERT_EQ(sym.verdict, Verdict::violated);
  EXPECT_EQ(sym.property, plain.property);
  ASSERT_TRUE(sym.trace && plain.trace);
  EXPECT_EQ(sym.trace->steps.size(), plain.trace->steps.size());
  // A concrete execution: the stored orbit representatives were replayed
  // through the spec's own guards and effects from the initial state.
  EXPECT_EQ(trace_actions(sym),
            (std::vector<std::string>{"gup.read_seq(cpu=0)", "gup.read_pte(cpu=0)", "fork.begin",
                                      "fork.wrprotect", "fork.copy_or_share", "gup.pin(cpu=0)",
                                      "gup.recheck_seq(cpu=0)"}));
  EXPECT_THROW(run("gupfast_fork", "unsynchronized", {}, 2, true), UsageError);
}

TEST(GupFastFork, UnsynchronizedViolatesAsIn57efa1fe5957) {
  const RunReport r = run("gupfast_fork", "unsynchronized", {{"gup_cpus", 1}, {"attempts", 1}});
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_EQ(r.property, "pinned_page_never_cowed");
  EXPECT_EQ(r.distinct_states, 220u);
  // fork reads has_pinned == 0, gup-fast pins the still-writable page and its
  // pte recheck passes, fork write-protects, the parent's write fault copies.
  EXPECT_EQ(trace_actions(r),
            (std::vector<std::string>{
                "fork.mmap_write_lock", "fork.lock_ptl", "fork.read_has_pinned",
                "gup.set_has_pinned(cpu=0)", "gup.read_pte(cpu=0)", "gup.pin(cpu=0)",
                "gup.recheck_pte(cpu=0)", "fork.dup", "fork.wrprotect", "fork.unlock_ptl",
                "fork.mmap_write_unlock", "parent.write", "parent.fault_lock", "parent.check_reuse",
                "parent.cow_copy"}));
}

TEST(GupFastFork, WriteProtectSeqHoldsAndEveryGuardIsReached) {
  for (int cpus = 1; cpus <= 3; ++cpus) {
    const RunReport r = run("gupfast_fork", "write-protect-seq", {{"gup_cpus", cpus}});
    EXPECT_EQ(r.verdict, Verdict::holds) << cpus;
    EXPECT_TRUE(r.exhaustive);
    EXPECT_TRUE(r.unfired_families.empty());
    for (const PropertyResult& p : r.properties) {
      EXPECT_EQ(p.status, p.kind == "always" ? "holds" : "reached") << p.name;
    }
  }
}

TEST(GupFastFork, FourGupCpusWork) {
  const RunReport r = run("gupfast_fork", "write-protect-seq", {{"gup_cpus", 4}});
  EXPECT_EQ(r.verdict, Verdict::holds);
  EXPECT_EQ(r.distinct_states, 383468u);
  const RunReport bad = run("gupfast_fork", "unsynchronized", {{"gup_cpus", 4}});
  EXPECT_EQ(bad.verdict, Verdict::violated);
  EXPECT_EQ(bad.trace->steps.size(), 16u);  // still 15 steps: shortest
}

TEST(GupFastFork, SeqcountStepsAbsentFromUnsynchronized) {
  const RunReport r = run("gupfast_fork", "unsynchronized", {});
  for (const auto& [family, count] : r.action_counts) {
    EXPECT_NE(family, "gup.read_seq");
    EXPECT_NE(family, "fork.seq_begin");
  }
}

TEST(Determinism, SameCountsAndTraceForOneTwoFourThreads) {
  const RunReport base = run("gupfast_fork", "unsynchronized", {{"gup_cpus", 3}}, 1);
  const std::string base_trace = report::trace_to_json(*base.trace).dump();
  const RunReport full = run("bench_gupfork", "seqcount", {{"N", 3}}, 1);
  for (int threads : {2, 4}) {
    const RunReport r = run("gupfast_fork", "unsynchronized", {{"gup_cpus", 3}}, threads);
    EXPECT_EQ(r.distinct_states, base.distinct_states);
    EXPECT_EQ(r.transitions, base.transitions);
    EXPECT_EQ(report::trace_to_json(*r.trace).dump(), base_trace);
    const RunReport f = run("bench_gupfork", "seqcount", {{"N", 3}}, threads);
    EXPECT_EQ(f.distinct_states, full.distinct_states);
    EXPECT_EQ(f.transitions, full.transitions);
    EXPECT_EQ(f.depth, full.depth);
    EXPECT_EQ(f.action_counts, full.action_counts);
  }
}

}  // namespace
}  // namespace mmcheck

// File: tests/specs/wp_reuse_test.cpp
//
// wp_reuse (protocols.md §D): verdicts per proposal, pinned counts, the exact
// counterexamples, vacuity guards and thread-count independence.
#include <set>

#include "gtest/gtest.h"
#include "report/trace_render.hpp"
#include "test_util.hpp"

namespace mmcheck {
void register_wp_reuse(Registry&);
namespace {

using testing::entry_of;
using testing::run_entry;
using testing::trace_actions;
using Params = std::vector<std::pair<std::string, int>>;

const SpecEntry& spec() {
  static const SpecEntry e = entry_of(&register_wp_reuse);
  return e;
}

RunReport run(const std::string& proposal, int b, int swapcache, int recl, int gup,
              int threads = 2) {
  return run_entry(spec(), proposal,
                   Params{{"b", b}, {"swapcache", swapcache}, {"recl", recl}, {"gup", gup}},
                   threads);
}

std::string status(const RunReport& r, const std::string& property) {
  for (const PropertyResult& p : r.properties) {
    if (p.name == property) return p.status;
  }
  return "missing";
}

std::set<std::string> families_present(const RunReport& r) {
  std::set<std::string> out;
  for (const auto& [family, count] : r.action_counts) out.insert(family);
  return out;
}

// Reclaim holds PG_locked, T's TestSetPageLocked fails, the exclusive page is
// copied (Robin Holt's report; Hugh: "COWed unnecessarily").
const std::vector<std::string> kTrylockCow = {"t.store",
                                              "recl.trylock",
                                              "b.zap",
                                              "wp.lock_ptl(cpu=0)",
                                              "wp.trylock(cpu=0)",
                                              "wp.act(cpu=0)",
                                              "wp.copy_relock(cpu=0)",
                                              "wp.copy_remove_rmap(cpu=0)",
                                              "wp.copy_set_pte(cpu=0)"};

TEST(WpReuse, D0TrylockCopiesExclusivePage) {
  const RunReport r = run("D0-trylock", 1, 1, 1, 0);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_EQ(r.property, "no_cow_of_exclusive_page");
  EXPECT_EQ(r.distinct_states, 259u);
  EXPECT_EQ(trace_actions(r), kTrylockCow);
}

TEST(WpReuse, D0NeedsAPageLockHolder) {
  // Without reclaim the only other lock holder is B, whose swap pte makes the
  // copy correct: no violation, and the D0 window is never entered.
  const RunReport r = run("D0-trylock", 1, 1, 0, 0);
  EXPECT_EQ(r.verdict, Verdict::unreached);
  EXPECT_EQ(r.property, "fault_while_recl_holds_page_lock");
  EXPECT_TRUE(r.exhaustive);
  EXPECT_EQ(status(r, "no_cow_of_exclusive_page"), "holds");
  EXPECT_EQ(status(r, "never_reuse_shared_page"), "holds");
  EXPECT_EQ(r.distinct_states, 226u);
}

TEST(WpReuse, D1GupChangeAloneDoesNotFixTheCow) {
  const RunReport r = run("D1-gup-vmwrite", 1, 1, 1, 0);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_EQ(r.property, "no_cow_of_exclusive_page");
  EXPECT_EQ(trace_actions(r), kTrylockCow);
  const RunReport g = run("D1-gup-vmwrite", 1, 1, 1, 1);
  ASSERT_EQ(g.verdict, Verdict::violated);
  EXPECT_EQ(g.property, "no_cow_of_exclusive_page");
  EXPECT_EQ(g.distinct_states, 851u);
  EXPECT_TRUE(families_present(g).count("gup.follow_page"));
}

TEST(WpReuse, D3aUnlockedSwapcountReusesSharedPage) {
  const RunReport r = run("D3a-unlocked-swapcount", 1, 1, 1, 0);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_EQ(r.property, "never_reuse_shared_page");
  EXPECT_EQ(r.distinct_states, 871u);
  // Nick: "can't another process have moved their swapcount to mapcount?"
  EXPECT_EQ(
      trace_actions(r),
      (std::vector<std::string>{
          "t.store", "wp.lock_ptl(cpu=0)", "wp.pre_mapcount(cpu=0)", "wp.pre_swapcache(cpu=0)",
          "b.lookup_swap_cache", "b.lock_page", "wp.trylock(cpu=0)", "b.lock_ptl", "b.add_rmap",
          "b.swap_free", "wp.swap_lock(cpu=0)", "wp.read_private(cpu=0)", "wp.read_swap_map(cpu=0)",
          "wp.swap_unlock(cpu=0)", "wp.act(cpu=0)"}));
  // Also through reclaim's unmap of B (swap_duplicate, page_remove_rmap).
  const RunReport m = run("D3a-unlocked-swapcount", 2, 1, 1, 0);
  ASSERT_EQ(m.verdict, Verdict::violated);
  EXPECT_EQ(m.property, "never_reuse_shared_page");
  EXPECT_EQ(m.trace->steps.size(), 23u);
}

TEST(WpReuse, D2KeepsBothInvariantsContraryToTheAnalysis) {
  // protocols.md §D.5 expects ✗ D-I2 [analysis]; every sharer is counted
  // under the page lock, so B cannot appear in the unlock_page..relock window.
  for (int gup : {0, 1}) {
    const RunReport r = run("D2-nick-lockpage-test", 1, 1, 1, gup);
    EXPECT_EQ(r.verdict, Verdict::unreached) << gup;
    EXPECT_EQ(r.property, "recl_adds_to_swap_cache");
    EXPECT_TRUE(r.exhaustive);
    EXPECT_EQ(status(r, "no_cow_of_exclusive_page"), "holds");
    EXPECT_EQ(status(r, "never_reuse_shared_page"), "holds");
    EXPECT_EQ(status(r, "b_swaps_in_during_fault"), "reached");
    EXPECT_EQ(status(r, "reuse_despite_lock_contention"), "reached");
    EXPECT_EQ(status(r, "swap_cache_freed_on_reuse"), "unreached");
    EXPECT_EQ(r.distinct_states, gup ? 77944u : 2459u);
  }
}

struct HoldingRow {
  const char* proposal;
  int b, swapcache, gup;
  std::uint64_t distinct;
  std::vector<std::string> unfired;
};

TEST(WpReuse, FixesHoldWithEveryGuardReached) {
  const std::vector<HoldingRow> rows = {
      {"D3b-swaplock-sum", 1, 1, 0, 3049, {"wp.unlock_ptl"}},
      {"D3b-swaplock-sum", 1, 1, 1, 31950, {}},
      {"D3b-swaplock-sum", 2, 1, 0, 1177, {"wp.unlock_ptl"}},
      {"D3b-swaplock-sum", 2, 0, 1, 10670, {}},
      {"D-merged-relock", 1, 1, 0, 2401, {"wp.bail_unlock_page", "wp.unlock_ptl"}},
      {"D-merged-relock", 1, 1, 1, 29806, {}},
      {"D-merged-relock", 2, 1, 0, 970, {"wp.bail_unlock_page", "wp.unlock_ptl"}},
      {"D-merged-relock", 2, 0, 1, 11255, {}},
  };
  for (const HoldingRow& row : rows) {
    SCOPED_TRACE(std::string(row.proposal) + " b=" + std::to_string(row.b) +
                 " gup=" + std::to_string(row.gup));
    const RunReport r = run(row.proposal, row.b, row.swapcache, 1, row.gup);
    EXPECT_EQ(r.verdict, Verdict::holds);
    EXPECT_TRUE(r.exhaustive);
    EXPECT_EQ(r.distinct_states, row.distinct);
    EXPECT_EQ(r.unfired_families, row.unfired);
    for (const PropertyResult& p : r.properties) {
      EXPECT_EQ(p.status, p.kind == "always" ? "holds" : "reached") << p.name;
    }
  }
}

TEST(WpReuse, ProposalsUseOnlyTheirBranchPoints) {
  const auto d0 = families_present(run("D0-trylock", 1, 1, 1, 0));
  EXPECT_TRUE(d0.count("wp.trylock"));
  EXPECT_FALSE(d0.count("wp.lock_page"));
  EXPECT_FALSE(d0.count("wp.pre_mapcount"));
  EXPECT_FALSE(d0.count("wp.delete_swapcache"));
  EXPECT_FALSE(d0.count("gup.follow_page"));
  const auto d2 = families_present(run("D2-nick-lockpage-test", 1, 1, 1, 0));
  EXPECT_FALSE(d2.count("wp.trylock"));
  EXPECT_TRUE(d2.count("wp.relock_ptl"));
  EXPECT_FALSE(d2.count("wp.bail_unlock_page"));
  const auto d3b = families_present(run("D3b-swaplock-sum", 1, 1, 1, 0));
  EXPECT_TRUE(d3b.count("wp.rmb"));
  EXPECT_TRUE(d3b.count("wp.sw_mapcount"));
  EXPECT_FALSE(d3b.count("wp.lock_page"));
  const auto dm = families_present(run("D-merged-relock", 1, 1, 1, 0));
  EXPECT_FALSE(dm.count("wp.pre_mapcount"));
  EXPECT_FALSE(dm.count("wp.rmb"));
  EXPECT_TRUE(dm.count("wp.bail_unlock_page"));
}

TEST(WpReuse, SwapPteNeedsSwapCache) { EXPECT_THROW(run("D0-trylock", 1, 0, 1, 0), UsageError); }

TEST(WpReuse, SameResultsForOneTwoFourThreads) {
  const RunReport base = run("D3b-swaplock-sum", 1, 1, 1, 1, 1);
  const RunReport bad = run("D3a-unlocked-swapcount", 1, 1, 1, 1, 1);
  const std::string bad_trace = report::trace_to_json(*bad.trace).dump();
  for (int threads : {2, 4}) {
    const RunReport r = run("D3b-swaplock-sum", 1, 1, 1, 1, threads);
    EXPECT_EQ(r.distinct_states, base.distinct_states);
    EXPECT_EQ(r.transitions, base.transitions);
    EXPECT_EQ(r.depth, base.depth);
    EXPECT_EQ(r.action_counts, base.action_counts);
    const RunReport b = run("D3a-unlocked-swapcount", 1, 1, 1, 1, threads);
    EXPECT_EQ(b.distinct_states, bad.distinct_states);
    EXPECT_EQ(report::trace_to_json(*b.trace).dump(), bad_trace);
  }
}

TEST(WpReuse, GoldenTracesMatch) {
  for (const char* p : {"D0-trylock", "D1-gup-vmwrite", "D3a-unlocked-swapcount"}) {
    const RunReport r = run(p, 1, 1, 1, 0);
    ASSERT_TRUE(r.trace) << p;
    EXPECT_EQ(report::trace_to_json(*r.trace).dump(2) + "\n",
              testing::read_file(std::string(MMCHECK_SOURCE_DIR) + "/results/wp_reuse/" + p +
                                 ".sc.trace.json"))
        << p;
  }
}

}  // namespace
}  // namespace mmcheck

// File: tests/specs/wp_reuse_test.cpp
//
// wp_reuse (protocols.md §D): verdicts per proposal and memory model, pinned
// counts, the exact counterexamples, applicability (n/a guards), vacuity
// guards and thread-count independence.
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

RunReport run_model(const std::string& proposal, const std::string& model, const Params& params) {
  return run_entry(spec(), proposal, params, 2, false, model);
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
  // copy correct: no violation; the reclaim-window guard does not apply.
  const RunReport r = run("D0-trylock", 1, 1, 0, 0);
  EXPECT_EQ(r.verdict, Verdict::holds);
  EXPECT_TRUE(r.exhaustive);
  EXPECT_EQ(status(r, "fault_while_recl_holds_page_lock"), "n/a");
  EXPECT_EQ(status(r, "reuse_despite_lock_contention"), "n/a");
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
  // D2 never drops X from the swap cache: with swapcache=1 add_to_swap cannot
  // run and no swap cache is freed on reuse; both guards are n/a.
  for (int gup : {0, 1}) {
    const RunReport r = run("D2-nick-lockpage-test", 1, 1, 1, gup);
    EXPECT_EQ(r.verdict, Verdict::holds) << gup;
    EXPECT_TRUE(r.exhaustive);
    EXPECT_EQ(status(r, "recl_adds_to_swap_cache"), "n/a");
    EXPECT_EQ(status(r, "no_cow_of_exclusive_page"), "holds");
    EXPECT_EQ(status(r, "never_reuse_shared_page"), "holds");
    EXPECT_EQ(status(r, "b_swaps_in_during_fault"), "reached");
    EXPECT_EQ(status(r, "reuse_despite_lock_contention"), "reached");
    EXPECT_EQ(status(r, "swap_cache_freed_on_reuse"), "n/a");
    EXPECT_EQ(r.distinct_states, gup ? 77944u : 2459u);
  }
  // With X outside the swap cache, reclaim's add_to_swap runs and is reached.
  const RunReport m = run("D2-nick-lockpage-test", 2, 0, 1, 0);
  EXPECT_EQ(m.verdict, Verdict::holds);
  EXPECT_EQ(status(m, "recl_adds_to_swap_cache"), "reached");
  EXPECT_EQ(m.distinct_states, 1127u);
}

TEST(WpReuse, WithoutBAFixNeverCopies) {
  // b=0: X is A's alone; a correct proposal never copies it, so x_copied is
  // the one guard left unreached; B's guards are n/a.
  const RunReport r = run("D-merged-relock", 0, 1, 1, 1);
  EXPECT_EQ(r.verdict, Verdict::unreached);
  EXPECT_EQ(r.property, "x_copied");
  EXPECT_EQ(status(r, "no_cow_of_exclusive_page"), "holds");
  EXPECT_EQ(status(r, "b_swaps_in_during_fault"), "n/a");
  EXPECT_EQ(status(r, "recl_unmaps_b"), "n/a");
  EXPECT_EQ(r.distinct_states, 634u);
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

TEST(WpReuse, NoRmbOnlyForD3b) {
  EXPECT_THROW(run_model("D-merged-relock", "relaxed", Params{{"no_rmb", 1}}), UsageError);
}

struct WeakRow {
  const char* proposal;
  const char* model;
  Params params;
  Verdict verdict;
  const char* property;  // violated property, "" when it holds
  std::uint64_t distinct;
};

// Weak-memory verdicts (properties/mm/wp_reuse.expect has every row).
TEST(WpReuse, WeakVerdictsPinned) {
  const Params def = {{"b", 1}, {"swapcache", 1}, {"recl", 1}, {"gup", 0}};
  const Params add = {{"b", 2}, {"swapcache", 0}, {"recl", 1}, {"gup", 0}};
  const Params norecl = {{"b", 1}, {"swapcache", 1}, {"recl", 0}, {"gup", 0}};
  const Params alone = {{"b", 0}, {"swapcache", 0}, {"recl", 1}, {"gup", 0}};
  const char* d1 = "no_cow_of_exclusive_page";
  const char* d2 = "never_reuse_shared_page";
  const std::vector<WeakRow> rows = {
      {"D0-trylock", "tso", def, Verdict::violated, d1, 434},
      {"D0-trylock", "relaxed", def, Verdict::violated, d1, 434},
      {"D0-trylock", "lkmm", alone, Verdict::violated, d1, 1314},
      {"D1-gup-vmwrite", "tso", def, Verdict::violated, d1, 434},
      {"D1-gup-vmwrite", "relaxed", def, Verdict::violated, d1, 434},
      {"D1-gup-vmwrite", "lkmm", alone, Verdict::violated, d1, 1314},
      {"D2-nick-lockpage-test", "tso", def, Verdict::holds, "", 6377},
      {"D2-nick-lockpage-test", "relaxed", def, Verdict::holds, "", 7274},
      {"D2-nick-lockpage-test", "relaxed", add, Verdict::holds, "", 4055},
      {"D2-nick-lockpage-test", "lkmm", norecl, Verdict::holds, "", 13539},
      {"D3a-unlocked-swapcount", "tso", def, Verdict::violated, d2, 1738},
      {"D3a-unlocked-swapcount", "relaxed", def, Verdict::violated, d2, 2178},
      {"D3a-unlocked-swapcount", "lkmm", norecl, Verdict::violated, d2, 5450},
      {"D3b-swaplock-sum", "tso", def, Verdict::holds, "", 7797},
      {"D3b-swaplock-sum", "tso", add, Verdict::holds, "", 3479},
      {"D3b-swaplock-sum", "relaxed", def, Verdict::holds, "", 10039},
      {"D3b-swaplock-sum", "relaxed", add, Verdict::violated, d2, 1851},
      {"D3b-swaplock-sum", "lkmm", norecl, Verdict::holds, "", 13307},
      {"D-merged-relock", "tso", def, Verdict::holds, "", 7063},
      {"D-merged-relock", "relaxed", def, Verdict::holds, "", 8118},
      {"D-merged-relock", "relaxed", add, Verdict::holds, "", 3739},
      {"D-merged-relock", "lkmm", norecl, Verdict::holds, "", 25972},
  };
  for (const WeakRow& row : rows) {
    SCOPED_TRACE(std::string(row.proposal) + " " + row.model +
                 " b=" + std::to_string(row.params[0].second));
    const RunReport r = run_model(row.proposal, row.model, row.params);
    EXPECT_EQ(r.verdict, row.verdict);
    EXPECT_EQ(r.property, row.property);
    EXPECT_EQ(r.distinct_states, row.distinct);
    if (row.verdict == Verdict::holds) {
      EXPECT_TRUE(r.exhaustive);
      EXPECT_EQ(status(r, "no_cow_of_exclusive_page"), "holds");
      EXPECT_EQ(status(r, "never_reuse_shared_page"), "holds");
    }
  }
}

TEST(WpReuse, D3bPrecheckLoadsReorderUnderRelaxed) {
  // T reads the mapcount 1 left by reclaim's page_remove_rmap (after
  // add_to_swap's SetPageSwapCache) and a stale !SWAPCACHE: the unlocked
  // pre-check has no smp_rmb between its two loads.
  const Params add = {{"b", 2}, {"swapcache", 0}, {"recl", 1}, {"gup", 0}};
  const RunReport r = run_model("D3b-swaplock-sum", "relaxed", add);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_EQ(r.property, "never_reuse_shared_page");
  EXPECT_EQ(trace_actions(r),
            (std::vector<std::string>{
                "t.store", "wp.lock_ptl(cpu=0)", "recl.trylock", "recl.check_swapcache",
                "recl.get_swap_page", "recl.set_private", "recl.wmb", "mem.commit(cpu_slot=2)",
                "mem.commit(cpu_slot=2)", "recl.set_swapcache", "recl.lock_ptl_b",
                "recl.swap_duplicate", "mem.commit(cpu_slot=2)", "mem.commit(cpu_slot=2)",
                "recl.remove_rmap", "mem.advance(cpu_loc=2)", "wp.pre_mapcount(cpu=0)",
                "wp.pre_swapcache(cpu=0)", "wp.act(cpu=0)"}));
  // TSO keeps load order: the same configuration holds.
  EXPECT_EQ(run_model("D3b-swaplock-sum", "tso", add).verdict, Verdict::holds);
  // Dropping page_swapcount's smp_rmb changes nothing observable here: the
  // spin_lock(&swap_lock) acquire after the pre-check already refreshes `private`.
  for (const char* model : {"relaxed", "lkmm"}) {
    Params p = {{"b", 1}, {"swapcache", 1}, {"recl", std::string(model) == "lkmm" ? 0 : 1}};
    const RunReport with = run_model("D3b-swaplock-sum", model, p);
    p.emplace_back("no_rmb", 1);
    const RunReport without = run_model("D3b-swaplock-sum", model, p);
    EXPECT_EQ(without.verdict, Verdict::holds) << model;
    EXPECT_EQ(without.distinct_states, with.distinct_states) << model;
  }
  Params broken = add;
  broken.emplace_back("no_rmb", 1);
  const RunReport b = run_model("D3b-swaplock-sum", "relaxed", broken);
  EXPECT_EQ(b.distinct_states, 1851u);
  EXPECT_EQ(trace_actions(b), trace_actions(r));
}

TEST(WpReuse, ScInstanceKeepsTheScGraph) {
  // The sc instance has no memory environment steps; a weak run has them.
  const RunReport sc = run("D3b-swaplock-sum", 1, 1, 1, 0);
  for (const auto& [family, count] : sc.action_counts) EXPECT_NE(family.rfind("mem.", 0), 0u);
  const RunReport tso = run_model("D0-trylock", "tso", Params{});
  ASSERT_TRUE(tso.trace);
  bool commits = false;
  for (const auto& [family, count] : tso.action_counts) commits |= family == "mem.commit" && count;
  EXPECT_TRUE(commits);
}

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
  const Params def = {{"b", 1}, {"swapcache", 1}, {"recl", 1}, {"gup", 0}};
  const Params alone = {{"b", 0}, {"swapcache", 0}, {"recl", 1}, {"gup", 0}};
  const Params norecl = {{"b", 1}, {"swapcache", 1}, {"recl", 0}, {"gup", 0}};
  const Params add = {{"b", 2}, {"swapcache", 0}, {"recl", 1}, {"gup", 0}};
  struct Golden {
    const char* proposal;
    const char* model;
    Params params;
  };
  std::vector<Golden> golden;
  for (const char* p : {"D0-trylock", "D1-gup-vmwrite", "D3a-unlocked-swapcount"}) {
    for (const char* m : {"sc", "tso", "relaxed"}) golden.push_back({p, m, def});
  }
  golden.push_back({"D0-trylock", "lkmm", alone});
  golden.push_back({"D1-gup-vmwrite", "lkmm", alone});
  golden.push_back({"D3a-unlocked-swapcount", "lkmm", norecl});
  golden.push_back({"D3b-swaplock-sum", "relaxed", add});
  for (const Golden& g : golden) {
    const RunReport r = run_model(g.proposal, g.model, g.params);
    ASSERT_TRUE(r.trace) << g.proposal << " " << g.model;
    EXPECT_EQ(report::trace_to_json(*r.trace).dump(2) + "\n",
              testing::read_file(std::string(MMCHECK_SOURCE_DIR) + "/results/wp_reuse/" +
                                 g.proposal + "." + g.model + ".trace.json"))
        << g.proposal << " " << g.model;
  }
}

}  // namespace
}  // namespace mmcheck

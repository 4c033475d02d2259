// File: tests/specs/gupfast_fork_test.cpp
//
// gupfast_fork's §E proposals (E1 David's v1, E2 v5.19 PageAnonExclusive, E3
// v6.0 barriers) through the spec's own library: verdicts, pinned counts, the
// E1 counterexample, vacuity guards, and that v5.9/v5.11 are untouched by §E
// (their own pins live in tests/spec_test.cpp, trace_test.cpp, cli_test.sh);
// and the weak-memory verdicts that matter (protocols.md §E.5, L4-L6): E2
// violated under relaxed/lkmm, E3 holding against UNMAP under every model,
// and the fork/gup-fast seqcount SB (L6) that lkmm finds in v5.11 and v6.0.
#include <algorithm>
#include <string>
#include <vector>

#include "report/trace_render.hpp"
#include "test_util.hpp"

namespace mmcheck {
void register_gupfast_fork(Registry&);
namespace {

using testing::entry_of;
using testing::run_entry;
using testing::status_of;
using testing::trace_actions;

const SpecEntry& spec() {
  static const SpecEntry e = entry_of(&register_gupfast_fork);
  return e;
}

RunReport run(const std::string& proposal, int cpus, int attempts, int threads = 2) {
  return run_entry(spec(), proposal, {{"gup_cpus", cpus}, {"attempts", attempts}}, threads);
}

// One gup-fast CPU, one attempt (the defaults), under `model`; `extra` switches actors off.
RunReport run_model(const std::string& proposal, const std::string& model,
                    const std::vector<std::pair<std::string, int>>& extra = {}) {
  return run_entry(spec(), proposal, extra, 2, false, model);
}

bool has_family(const RunReport& r, const std::string& family) {
  return std::any_of(r.action_counts.begin(), r.action_counts.end(),
                     [&](const auto& fc) { return fc.first == family; });
}

TEST(GupfastForkE, ProposalsAreSelectableByRegistryId) {
  std::vector<std::string> ids;
  for (const ProposalSpec& p : spec().proposals) ids.emplace_back(p.id);
  EXPECT_EQ(ids,
            (std::vector<std::string>{"unsynchronized", "write-protect-seq", "E1-mapcount-unshare",
                                      "E2-anon-exclusive-5.19", "E3-anon-exclusive-6.0"}));
}

TEST(GupfastForkE, MapcountUnshareViolatesItsOwnClaim) {
  const RunReport r = run("E1-mapcount-unshare", 1, 1);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_EQ(r.property, "gup_page_never_shared");
  EXPECT_EQ(r.distinct_states, 148u);
  // R/O FOLL_GET gup-fast: no has_pinned, no seqcount; it reads mapcount == 1
  // before fork dups X, and fork's has_pinned check sees nothing.
  EXPECT_EQ(trace_actions(r),
            (std::vector<std::string>{"gup.read_pte(cpu=0)", "gup.try_get(cpu=0)",
                                      "gup.recheck_pte(cpu=0)", "gup.check_mapcount(cpu=0)",
                                      "fork.mmap_write_lock", "fork.seq_begin", "fork.lock_ptl",
                                      "fork.read_has_pinned", "fork.dup"}));
  EXPECT_FALSE(has_family(r, "gup.set_has_pinned"));
  EXPECT_FALSE(has_family(r, "gup.read_seq"));
  EXPECT_TRUE(has_family(r, "fork.seq_begin"));
  EXPECT_EQ(run("E1-mapcount-unshare", 2, 2).distinct_states, 720u);
}

TEST(GupfastForkE, MapcountUnshareTraceIsTheGoldenOne) {
  const RunReport r = run("E1-mapcount-unshare", 1, 1);
  ASSERT_TRUE(r.trace);
  EXPECT_EQ(report::trace_to_json(*r.trace).dump(2) + "\n",
            testing::read_file(MMCHECK_SOURCE_DIR
                               "/results/gupfast_fork/E1-mapcount-unshare.sc.trace.json"));
}

TEST(GupfastForkE, AnonExclusiveHoldsWithEveryGuardReached) {
  const std::vector<std::pair<std::string, std::vector<std::uint64_t>>> cases = {
      {"E2-anon-exclusive-5.19", {6066, 13510, 104690}},
      {"E3-anon-exclusive-6.0", {8543, 19025, 182371}},
  };
  const int cpus[] = {1, 1, 2};
  const int attempts[] = {1, 2, 1};
  for (const auto& [proposal, counts] : cases) {
    for (int k = 0; k < 3; ++k) {
      const RunReport r = run(proposal, cpus[k], attempts[k]);
      EXPECT_EQ(r.verdict, Verdict::holds) << proposal << " " << k;
      EXPECT_TRUE(r.exhaustive);
      EXPECT_EQ(r.distinct_states, counts[k]) << proposal << " " << k;
      EXPECT_TRUE(r.unfired_families.empty()) << proposal << " " << k;
      for (const PropertyResult& p : r.properties) {
        EXPECT_EQ(p.status, p.kind == "always" ? "holds" : "reached") << proposal << p.name;
      }
    }
  }
}

TEST(GupfastForkE, E3DiffersFromE2OnlyByBarrierSteps) {
  const RunReport e2 = run("E2-anon-exclusive-5.19", 1, 1);
  const RunReport e3 = run("E3-anon-exclusive-6.0", 1, 1);
  EXPECT_EQ(e2.verdict, e3.verdict);
  const std::vector<std::string> barriers = {"gup.smp_mb_after_atomic", "gup.smp_rmb",
                                             "unmap.smp_mb", "unmap.smp_mb_after_atomic"};
  std::vector<std::string> e2_families, e3_families;
  for (const auto& [f, n] : e2.action_counts) e2_families.push_back(f);
  for (const auto& [f, n] : e3.action_counts) {
    if (std::find(barriers.begin(), barriers.end(), f) == barriers.end()) {
      e3_families.push_back(f);
    }
  }
  EXPECT_EQ(e2_families, e3_families);
  for (const std::string& b : barriers) {
    EXPECT_FALSE(has_family(e2, b)) << b;
    EXPECT_TRUE(has_family(e3, b)) << b;
  }
}

TEST(GupfastForkE, OldProposalsHaveNoSectionEActors) {
  for (const char* proposal : {"unsynchronized", "write-protect-seq"}) {
    const RunReport r = run(proposal, 2, 1);
    for (const auto& [family, count] : r.action_counts) {
      EXPECT_NE(family.rfind("unmap.", 0), 0u) << family;
      EXPECT_NE(family, "gup.try_get");
      EXPECT_NE(family, "gup.check_anon_exclusive");
      EXPECT_NE(family, "gup.check_mapcount");
      EXPECT_NE(family, "fork.clear_anon_exclusive");
      EXPECT_NE(family, "parent.swap_in");
    }
  }
  EXPECT_EQ(run("unsynchronized", 1, 1).distinct_states, 220u);
  EXPECT_EQ(run("write-protect-seq", 2, 2).distinct_states, 12993u);
  // The §E invariants are not what v5.9 breaks first.
  const RunReport bad = run("unsynchronized", 2, 1);
  EXPECT_EQ(bad.property, "pinned_page_never_cowed");
}

TEST(GupfastForkE, UnmapActorOnlyInAnonExclusiveProposals) {
  const RunReport e2 = run("E2-anon-exclusive-5.19", 1, 1);
  ASSERT_TRUE(has_family(e2, "unmap.lock_ptl"));
  const RunReport e1 = run("E1-mapcount-unshare", 1, 1);
  EXPECT_FALSE(has_family(e1, "unmap.lock_ptl"));
  EXPECT_EQ(status_of(e1, "fork_copies_pinned_page"), "unknown");  // stopped early
}

TEST(GupfastForkE, SameResultsForOneTwoFourThreads) {
  const RunReport base = run("E2-anon-exclusive-5.19", 2, 1, 1);
  const RunReport bad = run("E1-mapcount-unshare", 2, 1, 1);
  const std::string bad_trace = report::trace_to_json(*bad.trace).dump();
  for (int threads : {2, 4}) {
    const RunReport r = run("E2-anon-exclusive-5.19", 2, 1, threads);
    EXPECT_EQ(r.distinct_states, base.distinct_states);
    EXPECT_EQ(r.transitions, base.transitions);
    EXPECT_EQ(r.depth, base.depth);
    EXPECT_EQ(r.action_counts, base.action_counts);
    const RunReport b = run("E1-mapcount-unshare", 2, 1, threads);
    EXPECT_EQ(b.distinct_states, bad.distinct_states);
    EXPECT_EQ(report::trace_to_json(*b.trace).dump(), bad_trace);
  }
}

TEST(GupfastForkWeak, RegisteredForEveryModel) {
  EXPECT_EQ(spec().memory_models, (std::vector<std::string_view>{"sc", "tso", "relaxed", "lkmm"}));
}

// E2 (v5.19): no barrier between folio_ref_add and the pte recheck. Under
// relaxed the shortest violation is L4's store-buffering shape against
// swap-out: gup-fast's recheck reads the pte from before A1 while A2 reads
// the refcount from before the +1023.
TEST(GupfastForkWeak, E2ViolatesUnderRelaxedAndLkmm) {
  const RunReport tso = run_model("E2-anon-exclusive-5.19", "tso");
  EXPECT_EQ(tso.verdict, Verdict::holds);
  EXPECT_EQ(tso.distinct_states, 13755u);
  const RunReport relaxed = run_model("E2-anon-exclusive-5.19", "relaxed");
  ASSERT_EQ(relaxed.verdict, Verdict::violated);
  EXPECT_EQ(relaxed.property, "pinned_page_exclusive");
  EXPECT_EQ(relaxed.distinct_states, 2953u);
  EXPECT_EQ(trace_actions(relaxed),
            (std::vector<std::string>{
                "gup.set_has_pinned(cpu=0)", "gup.read_seq(cpu=0)", "gup.read_pte(cpu=0)",
                "gup.try_get(cpu=0)", "unmap.lock_ptl(kind=0)", "unmap.clear_pte",
                "gup.pin_bias(cpu=0)", "gup.recheck_pte(cpu=0)", "gup.check_anon_exclusive(cpu=0)",
                "gup.recheck_seq(cpu=0)", "unmap.read_refcount", "unmap.clear_anon_exclusive"}));
  const RunReport lkmm = run_model("E2-anon-exclusive-5.19", "lkmm");
  ASSERT_EQ(lkmm.verdict, Verdict::violated);
  EXPECT_EQ(lkmm.property, "pinned_page_exclusive");
  EXPECT_EQ(lkmm.distinct_states, 139907u);
  // Against UNMAP alone (no fork) it is violated too.
  const RunReport unmap_only = run_model("E2-anon-exclusive-5.19", "lkmm", {{"fork", 0}});
  EXPECT_EQ(unmap_only.verdict, Verdict::violated);
  EXPECT_EQ(unmap_only.distinct_states, 2846u);
}

// E3 (v6.0, 088b8aa537c2) against UNMAP (fork switched off): holds under
// every model, every applicable guard reached.
TEST(GupfastForkWeak, E3HoldsAgainstUnmapUnderEveryModel) {
  const std::vector<std::pair<std::string, std::uint64_t>> cases = {
      {"sc", 776}, {"tso", 1107}, {"relaxed", 1838}, {"lkmm", 5199}};
  for (const auto& [model, distinct] : cases) {
    const RunReport r = run_model("E3-anon-exclusive-6.0", model, {{"fork", 0}});
    EXPECT_EQ(r.verdict, Verdict::holds) << model;
    EXPECT_TRUE(r.exhaustive) << model;
    EXPECT_EQ(r.distinct_states, distinct) << model;
    for (const PropertyResult& p : r.properties) {
      if (p.status == "n/a") continue;
      EXPECT_EQ(p.status, p.kind == "always" ? "holds" : "reached") << model << " " << p.name;
    }
  }
}

// L6: fork's `seq++; smp_wmb(); spin_lock(ptl); get_page; test_bit(MMF_HAS_PINNED)`
// against gup-fast's `set_bit(MMF_HAS_PINNED); ... pin; smp_mb; ... R seq`.
// The acquire of spin_lock does not order fork's seq store before its
// has_pinned load: lkmm finds fork reading MMF_HAS_PINNED == 0 while
// gup-fast reads the old seq and returns a pin on a page fork then shares.
// tso (x86: spin_lock is a LOCK-prefixed RMW) and relaxed (whose spin_lock
// drains the store buffer) hold.
TEST(GupfastForkWeak, E3ForkSeqcountStoreBufferingUnderLkmm) {
  EXPECT_EQ(run_model("E3-anon-exclusive-6.0", "tso", {{"unmap", 0}}).verdict, Verdict::holds);
  const RunReport relaxed = run_model("E3-anon-exclusive-6.0", "relaxed", {{"unmap", 0}});
  EXPECT_EQ(relaxed.verdict, Verdict::holds);
  EXPECT_EQ(relaxed.distinct_states, 3311u);
  const RunReport all = run_model("E3-anon-exclusive-6.0", "relaxed");
  EXPECT_EQ(all.verdict, Verdict::holds);
  EXPECT_EQ(all.distinct_states, 43686u);
  const RunReport r = run_model("E3-anon-exclusive-6.0", "lkmm", {{"unmap", 0}});
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_EQ(r.property, "pinned_page_exclusive");
  EXPECT_EQ(r.distinct_states, 92244u);
  EXPECT_EQ(
      trace_actions(r),
      (std::vector<std::string>{
          "gup.set_has_pinned(cpu=0)", "gup.read_seq(cpu=0)", "gup.read_pte(cpu=0)",
          "fork.mmap_write_lock", "fork.seq_begin", "mem.commit(cpu_slot=10)", "fork.lock_ptl",
          "mem.propagate(cpu_loc=15)", "gup.try_get(cpu=0)", "gup.pin_bias(cpu=0)",
          "fork.read_has_pinned", "fork.clear_anon_exclusive", "mem.propagate(cpu_loc=21)",
          "mem.propagate(cpu_loc=31)", "gup.smp_mb_after_atomic(cpu=0)", "gup.recheck_pte(cpu=0)",
          "gup.smp_rmb(cpu=0)", "gup.check_anon_exclusive(cpu=0)", "gup.recheck_seq(cpu=0)"}));
  ASSERT_TRUE(r.trace);
  EXPECT_EQ(report::trace_to_json(*r.trace).dump(2) + "\n",
            testing::read_file(MMCHECK_SOURCE_DIR
                               "/results/gupfast_fork/E3-anon-exclusive-6.0.fork.lkmm.trace.json"));
}

// The same SB in v5.11 (has_pinned is an atomic_t set by atomic_set): the
// pinned page is later COWed away by the parent's write fault.
TEST(GupfastForkWeak, WriteProtectSeqStoreBufferingUnderLkmm) {
  const RunReport relaxed = run_model("write-protect-seq", "relaxed");
  EXPECT_EQ(relaxed.verdict, Verdict::holds);
  EXPECT_EQ(relaxed.distinct_states, 2428u);
  const RunReport r = run_model("write-protect-seq", "lkmm");
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_EQ(r.property, "pinned_page_never_cowed");
  EXPECT_EQ(r.distinct_states, 283851u);
}

}  // namespace
}  // namespace mmcheck

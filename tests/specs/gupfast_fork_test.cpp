// File: tests/specs/gupfast_fork_test.cpp
//
// gupfast_fork's §E proposals (E1 David's v1, E2 v5.19 PageAnonExclusive, E3
// v6.0 barriers) through the spec's own library: verdicts, pinned counts, the
// E1 counterexample, vacuity guards, and that v5.9/v5.11 are untouched by §E
// (their own pins live in tests/spec_test.cpp, trace_test.cpp, cli_test.sh).
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
using testing::trace_actions;

const SpecEntry& spec() {
  static const SpecEntry e = entry_of(&register_gupfast_fork);
  return e;
}

RunReport run(const std::string& proposal, int cpus, int attempts, int threads = 2) {
  return run_entry(spec(), proposal, {{"gup_cpus", cpus}, {"attempts", attempts}}, threads);
}

bool has_family(const RunReport& r, const std::string& family) {
  return std::any_of(r.action_counts.begin(), r.action_counts.end(),
                     [&](const auto& fc) { return fc.first == family; });
}

std::string status_of(const RunReport& r, const std::string& property) {
  for (const PropertyResult& p : r.properties) {
    if (p.name == property) return p.status;
  }
  return "missing";
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

}  // namespace
}  // namespace mmcheck

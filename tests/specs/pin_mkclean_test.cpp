// File: tests/specs/pin_mkclean_test.cpp
//
// pin_mkclean (protocols.md §A): verdicts, pinned state counts and the exact
// counterexamples per proposal; vacuity guards on the holding ones.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "report/trace_render.hpp"
#include "test_util.hpp"

namespace mmcheck {
void register_pin_mkclean(Registry&);

namespace {

using testing::run_entry;
using testing::trace_actions;
using Params = std::vector<std::pair<std::string, int>>;
using Actions = std::vector<std::string>;

const SpecEntry& spec() {
  static const SpecEntry entry = testing::entry_of(&register_pin_mkclean);
  return entry;
}

void expect_all_guards_reached(const RunReport& r) {
  EXPECT_EQ(r.verdict, Verdict::holds);
  EXPECT_TRUE(r.exhaustive);
  for (const PropertyResult& p : r.properties) {
    EXPECT_EQ(p.status, p.kind == "always" ? "holds" : "reached") << p.name;
  }
}

bool has_family(const RunReport& r, const std::string& family) {
  for (const auto& [name, count] : r.action_counts) {
    if (name == family) return true;
  }
  return false;
}

TEST(PinMkclean, A0MissesAPinAddedAfterTheMapcountRead) {
  const RunReport r = run_entry(spec(), "A0-mapcount-minus-real", {});
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_EQ(r.property, "pin_visible_at_wb_decision");
  EXPECT_EQ(r.distinct_states, 311u);
  // gup-fast reads the writable pte before the walk and adds its mapcount
  // after WB read it: m - real = 0 -> ClearPin with a pin held.
  EXPECT_EQ(
      trace_actions(r),
      (Actions{"gup.read_pte(cpu=0)", "gup.recheck_pte(cpu=0)", "wb.lock_page", "wb.walk_pte",
               "wb.walk_pte", "wb.read_mapcount", "gup.inc_mapcount(cpu=0)", "wb.update_pin"}));
  EXPECT_FALSE(has_family(r, "gup.set_pin"));  // A0 has no PagePin in GUP
  const RunReport no_zap = run_entry(spec(), "A0-mapcount-minus-real", {{"zaps", 0}});
  EXPECT_EQ(no_zap.verdict, Verdict::violated);
  EXPECT_EQ(no_zap.distinct_states, 42u);
}

TEST(PinMkclean, A1ClearsThePinOfAConcurrentGupFast) {
  const RunReport r = run_entry(spec(), "A1-snapshot-recheck", {});
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_EQ(r.property, "pin_visible_at_wb_decision");
  EXPECT_EQ(r.distinct_states, 841u);
  // m1 := 2; gup-fast adds itself and sets PIN; walk counts 2 = m1 -> ClearPin.
  EXPECT_EQ(
      trace_actions(r),
      (Actions{"gup.read_pte(cpu=0)", "gup.recheck_pte(cpu=0)", "gup.check_writeback(cpu=0)",
               "wb.lock_page", "wb.read_mapcount", "gup.inc_mapcount(cpu=0)", "gup.set_pin(cpu=0)",
               "wb.walk_pte", "wb.walk_pte", "wb.test_pin", "wb.update_pin"}));
  const RunReport stale = run_entry(spec(), "A1-snapshot-recheck", {{"pins", 2}});
  EXPECT_EQ(stale.verdict, Verdict::violated);
  EXPECT_EQ(stale.distinct_states, 1011u);
  EXPECT_EQ(trace_actions(stale).size(), 11u);  // the same race: no stale PIN needed
}

TEST(PinMkclean, A2HoldsAIOneAndAIThreeWithEveryGuardReached) {
  for (const Params& params : {Params{}, Params{{"zaps", 2}}, Params{{"observer", 2}},
                               Params{{"pins", 2}, {"wb_io_check", 0}}}) {
    const RunReport r = run_entry(spec(), "A2-pagepin-testclear", params);
    expect_all_guards_reached(r);
    EXPECT_TRUE(r.unfired_families.empty());
  }
  EXPECT_EQ(run_entry(spec(), "A2-pagepin-testclear", {}).distinct_states, 5416u);
  EXPECT_EQ(run_entry(spec(), "A2-pagepin-testclear", {{"observer", 2}}).distinct_states, 19195u);
  const RunReport two =
      run_entry(spec(), "A2-pagepin-testclear", {{"gup_cpus", 2}, {"wb_io_check", 0}});
  expect_all_guards_reached(two);
  EXPECT_EQ(two.distinct_states, 170939u);
}

TEST(PinMkclean, A2UnlockedObserverSeesTheClearedPin) {
  const RunReport r = run_entry(spec(), "A2-pagepin-testclear", {{"observer", 1}});
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_EQ(r.property, "pin_visible_to_any_observer");
  EXPECT_EQ(r.distinct_states, 619u);
  EXPECT_EQ(trace_actions(r),
            (Actions{"gup.read_pte(cpu=0)", "gup.recheck_pte(cpu=0)", "gup.read_flags(cpu=0)",
                     "gup.inc_mapcount(cpu=0)", "gup.set_pin(cpu=0)", "wb.lock_page",
                     "wb.test_and_clear_pin", "obs.read_pin"}));
}

TEST(PinMkclean, A2StalePinAtG0SkipsG6AndPinsDuringTheIo) {
  const RunReport r = run_entry(spec(), "A2-pagepin-testclear", {{"pins", 2}});
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_EQ(r.property, "pin_established_during_io_is_bounced");
  EXPECT_EQ(r.distinct_states, 8463u);
  EXPECT_EQ(trace_actions(r), (Actions{"gup.read_pte(cpu=0)",
                                       "gup.recheck_pte(cpu=0)",
                                       "gup.read_flags(cpu=0)",
                                       "gup.inc_mapcount(cpu=0)",
                                       "gup.set_pin(cpu=0)",
                                       "gup.recheck_writeback(cpu=0)",
                                       "pup.dec_mapcount(cpu=0)",
                                       "gup.read_pte(cpu=0)",
                                       "gup.recheck_pte(cpu=0)",
                                       "gup.read_flags(cpu=0)",
                                       "wb.lock_page",
                                       "wb.test_and_clear_pin",
                                       "wb.read_mapcount",
                                       "gup.inc_mapcount(cpu=0)",
                                       "wb.walk_pte",
                                       "wb.walk_pte",
                                       "wb.update_pin",
                                       "wb.set_writeback",
                                       "wb.bounce_check",
                                       "gup.set_pin(cpu=0)"}));
}

TEST(PinMkclean, A2SecondGupTrustsAPinLeftByABackedOffOne) {
  const RunReport r = run_entry(spec(), "A2-pagepin-testclear", {{"gup_cpus", 2}});
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_EQ(r.property, "pin_established_during_io_is_bounced");
  EXPECT_EQ(r.distinct_states, 36978u);
  EXPECT_EQ(trace_actions(r),
            (Actions{"gup.read_pte(cpu=0)", "gup.read_pte(cpu=1)", "gup.recheck_pte(cpu=0)",
                     "gup.recheck_pte(cpu=1)", "gup.read_flags(cpu=0)", "gup.inc_mapcount(cpu=0)",
                     "wb.lock_page", "wb.test_and_clear_pin", "wb.read_mapcount", "wb.walk_pte",
                     "wb.walk_pte", "wb.update_pin", "wb.set_writeback", "wb.bounce_check",
                     "gup.set_pin(cpu=0)", "gup.read_flags(cpu=1)", "gup.inc_mapcount(cpu=1)",
                     "gup.set_pin(cpu=1)"}));
}

TEST(PinMkclean, A3AsWrittenLosesAPinToMunmap) {
  const RunReport r = run_entry(spec(), "A3-lock-page", {});
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_EQ(r.property, "pin_visible_at_wb_decision");
  EXPECT_EQ(r.distinct_states, 879u);
  EXPECT_EQ(trace_actions(r),
            (Actions{"gup.read_pte(cpu=0)", "gup.recheck_pte(cpu=0)", "gup.lock_page(cpu=0)",
                     "gup.inc_mapcount(cpu=0)", "gup.set_pin(cpu=0)", "gup.unlock_page(cpu=0)",
                     "wb.lock_page", "wb.walk_pte", "wb.walk_pte", "zap.lock_ptl(pte=0)",
                     "zap.clear_pte", "zap.remove_rmap", "wb.read_mapcount", "wb.update_pin"}));
  for (const Params& params :
       {Params{{"zaps", 0}}, Params{{"zaps", 0}, {"observer", 1}},
        Params{{"zaps", 0}, {"observer", 2}}, Params{{"zaps", 0}, {"gup_cpus", 2}, {"pins", 2}}}) {
    expect_all_guards_reached(run_entry(spec(), "A3-lock-page", params));
  }
  EXPECT_EQ(run_entry(spec(), "A3-lock-page", {{"zaps", 0}}).distinct_states, 77u);
}

TEST(PinMkclean, A3MapcountFirstHoldsEverything) {
  for (const Params& params :
       {Params{}, Params{{"zaps", 2}}, Params{{"observer", 1}}, Params{{"observer", 2}},
        Params{{"gup_cpus", 2}}, Params{{"gup_cpus", 2}, {"pins", 2}}}) {
    const RunReport r = run_entry(spec(), "A3-lock-page-mapcount-first", params);
    expect_all_guards_reached(r);
    EXPECT_TRUE(r.unfired_families.empty());
  }
  EXPECT_EQ(run_entry(spec(), "A3-lock-page-mapcount-first", {}).distinct_states, 1317u);
  EXPECT_EQ(run_entry(spec(), "A3-lock-page-mapcount-first", {{"gup_cpus", 2}, {"pins", 2}})
                .distinct_states,
            41489u);
}

TEST(PinMkclean, ProposalStepsOnlyWhereTheyBelong) {
  const RunReport a2 = run_entry(spec(), "A2-pagepin-testclear", {});
  EXPECT_TRUE(has_family(a2, "wb.test_and_clear_pin"));
  EXPECT_TRUE(has_family(a2, "gup.recheck_writeback"));
  EXPECT_FALSE(has_family(a2, "gup.lock_page"));
  EXPECT_FALSE(has_family(a2, "wb.rewalk_pte"));
  const RunReport a3 = run_entry(spec(), "A3-lock-page-mapcount-first", {});
  EXPECT_TRUE(has_family(a3, "gup.lock_page"));
  EXPECT_FALSE(has_family(a3, "wb.test_and_clear_pin"));
  EXPECT_FALSE(has_family(a3, "obs.read_pin"));  // observer=0
  EXPECT_THROW(run_entry(spec(), "A2-pagepin-testclear", {{"mappings", 1}, {"zaps", 2}}),
               UsageError);
}

TEST(PinMkclean, SameResultsForOneTwoFourThreads) {
  const Params params{{"gup_cpus", 2}, {"wb_io_check", 0}};
  const RunReport base = run_entry(spec(), "A2-pagepin-testclear", params, 1);
  const RunReport bad = run_entry(spec(), "A2-pagepin-testclear", {{"gup_cpus", 2}}, 1);
  const std::string bad_trace = report::trace_to_json(*bad.trace).dump();
  for (int threads : {2, 4}) {
    const RunReport r = run_entry(spec(), "A2-pagepin-testclear", params, threads);
    EXPECT_EQ(r.distinct_states, base.distinct_states);
    EXPECT_EQ(r.transitions, base.transitions);
    EXPECT_EQ(r.depth, base.depth);
    EXPECT_EQ(r.action_counts, base.action_counts);
    const RunReport b = run_entry(spec(), "A2-pagepin-testclear", {{"gup_cpus", 2}}, threads);
    EXPECT_EQ(b.distinct_states, bad.distinct_states);
    EXPECT_EQ(report::trace_to_json(*b.trace).dump(), bad_trace);
  }
}

}  // namespace
}  // namespace mmcheck

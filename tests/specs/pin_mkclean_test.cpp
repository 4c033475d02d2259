// File: tests/specs/pin_mkclean_test.cpp
//
// pin_mkclean (protocols.md §A): verdicts, pinned state counts and the exact
// counterexamples per proposal and memory model; vacuity guards on the
// holding ones; n/a for the properties a configuration does not have.
#include <stdexcept>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "report/trace_render.hpp"
#include "test_util.hpp"

namespace mmcheck {
void register_pin_mkclean(Registry&);

namespace {

using testing::run_entry;
using testing::status_of;
using testing::trace_actions;
using Params = std::vector<std::pair<std::string, int>>;
using Actions = std::vector<std::string>;

const SpecEntry& spec() {
  static const SpecEntry entry = testing::entry_of(&register_pin_mkclean);
  return entry;
}

// Every applicable property holds / is reached, and at least one other is n/a
// (each configuration lacks some proposal's or parameter's properties).
void expect_all_guards_reached(const RunReport& r) {
  EXPECT_EQ(r.verdict, Verdict::holds);
  EXPECT_TRUE(r.exhaustive);
  int na = 0;
  for (const PropertyResult& p : r.properties) {
    if (p.status == "n/a") {
      ++na;
      continue;
    }
    EXPECT_EQ(p.status, p.kind == "always" ? "holds" : "reached") << p.name;
  }
  EXPECT_GT(na, 0);
}

RunReport run_model(const std::string& proposal, const std::string& model, const Params& params) {
  return testing::run_entry(spec(), proposal, params, 1, false, model);
}

bool has_memory_step(const RunReport& r) {
  for (const std::string& a : testing::trace_actions(r)) {
    if (a.rfind("mem.", 0) == 0) return true;
  }
  return false;
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

TEST(PinMkclean, PropertiesOfOtherProposalsAreNotApplicable) {
  const RunReport a0 = run_entry(spec(), "A0-mapcount-minus-real", {{"zaps", 0}});
  EXPECT_EQ(status_of(a0, "wb_handshake_no_double_miss"), "n/a");
  EXPECT_EQ(status_of(a0, "a2_wb_restores_pin"), "n/a");
  EXPECT_EQ(status_of(a0, "zap_during_wb_walk"), "n/a");
  EXPECT_EQ(status_of(a0, "pin_visible_to_any_observer"), "n/a");
  const RunReport a2 = run_entry(spec(), "A2-pagepin-testclear", {{"wb_io_check", 0}});
  EXPECT_EQ(status_of(a2, "pin_established_during_io_is_bounced"), "n/a");
  EXPECT_EQ(status_of(a2, "wb_handshake_no_double_miss"), "holds");
  EXPECT_EQ(status_of(a2, "a2_handshake_pin_held_during_io"), "reached");
  EXPECT_EQ(status_of(a2, "a1_rewalk_taken"), "n/a");
  EXPECT_EQ(status_of(a2, "a3_gup_waits_for_page_lock"), "n/a");
  const RunReport a3 = run_entry(spec(), "A3-lock-page", {{"zaps", 0}, {"observer", 2}});
  EXPECT_EQ(status_of(a3, "pin_visible_to_locked_observer"), "holds");
  EXPECT_EQ(status_of(a3, "pin_visible_to_any_observer"), "n/a");
  EXPECT_EQ(status_of(a3, "a3_gup_waits_for_page_lock"), "reached");
}

// protocols.md §A.5/§H weak column: A0, A1 (and A3 as written) keep their sc
// violation under every model; the sc race needs no reordering, so the
// counterexample has no memory step.
TEST(PinMkcleanWeak, RacyProposalsViolateAIOneUnderEveryModel) {
  struct Row {
    const char* proposal;
    const char* model;
    std::uint64_t states;
  };
  for (const Row& row :
       {Row{"A0-mapcount-minus-real", "tso", 482}, Row{"A0-mapcount-minus-real", "relaxed", 482},
        Row{"A0-mapcount-minus-real", "lkmm", 2342}, Row{"A1-snapshot-recheck", "tso", 1316},
        Row{"A1-snapshot-recheck", "relaxed", 1558}, Row{"A1-snapshot-recheck", "lkmm", 12687},
        Row{"A3-lock-page", "tso", 1271}, Row{"A3-lock-page", "relaxed", 1509},
        Row{"A3-lock-page", "lkmm", 22631}}) {
    const RunReport r = run_model(row.proposal, row.model, {});
    ASSERT_EQ(r.verdict, Verdict::violated) << row.proposal << " " << row.model;
    EXPECT_EQ(r.property, "pin_visible_at_wb_decision") << row.proposal << " " << row.model;
    EXPECT_EQ(r.distinct_states, row.states) << row.proposal << " " << row.model;
  }
  // A0 under lkmm: gup-fast's mapcount increment (unordered) precedes the
  // walk but has not reached WB when it reads mapcount: the same effect as
  // "GUP-fast incrementing after step 2" (§A.5). The commit is the first
  // ptl unlock, which the second spin_lock waits for.
  EXPECT_EQ(testing::trace_actions(run_model("A0-mapcount-minus-real", "lkmm", {})),
            (Actions{"gup.read_pte(cpu=0)", "gup.recheck_pte(cpu=0)", "gup.inc_mapcount(cpu=0)",
                     "wb.lock_page", "wb.walk_pte", "mem.commit(cpu_slot=16)", "wb.walk_pte",
                     "wb.read_mapcount", "wb.update_pin"}));
}

// A2 holds A-I1 (MP, litmus L1) and A-I3 (same-word coherence, L2) under every
// model, with every applicable guard reached.
TEST(PinMkcleanWeak, A2HoldsAIOneAndAIThreeUnderEveryModel) {
  struct Row {
    const char* model;
    std::uint64_t states;
  };
  for (const Row& row : {Row{"tso", 7360}, Row{"relaxed", 13102}, Row{"lkmm", 132410}}) {
    const RunReport r = run_model("A2-pagepin-testclear", row.model, {});
    expect_all_guards_reached(r);
    EXPECT_EQ(r.distinct_states, row.states) << row.model;
    EXPECT_EQ(status_of(r, "wb_handshake_no_double_miss"), "holds");
    EXPECT_EQ(status_of(r, "a2_handshake_pin_held_during_io"), "reached");
  }
  const RunReport r =
      run_model("A2-pagepin-testclear", "relaxed", {{"pins", 2}, {"wb_io_check", 0}});
  expect_all_guards_reached(r);
  EXPECT_EQ(r.distinct_states, 34504u);
}

// Litmus L2 vs L2': with PIN in a word of its own (split_flags=1, a
// deliberately wrong model) A2 falsely violates A-I3 under relaxed and lkmm
// by store buffering: T1 sets WRITEBACK, G4 sets PIN after it, G6 reads a
// stale WRITEBACK = 0 and T3 reads PIN = 0 (its view dates from T1).
TEST(PinMkcleanWeak, SplitFlagsModelReportsAFalseSbViolation) {
  const Actions sb = {"gup.read_pte(cpu=0)",
                      "gup.recheck_pte(cpu=0)",
                      "gup.read_flags(cpu=0)",
                      "gup.inc_mapcount(cpu=0)",
                      "wb.lock_page",
                      "wb.test_and_clear_pin",
                      "wb.read_mapcount",
                      "wb.walk_pte",
                      "mem.commit(cpu_slot=2)",
                      "wb.walk_pte",
                      "wb.update_pin",
                      "mem.commit(cpu_slot=2)",
                      "wb.set_writeback",
                      "gup.set_pin(cpu=0)",
                      "gup.recheck_writeback(cpu=0)",
                      "wb.bounce_check"};
  const RunReport relaxed = run_model("A2-pagepin-testclear", "relaxed", {{"split_flags", 1}});
  ASSERT_EQ(relaxed.verdict, Verdict::violated);
  EXPECT_EQ(relaxed.property, "wb_handshake_no_double_miss");
  EXPECT_EQ(relaxed.distinct_states, 4714u);
  EXPECT_EQ(testing::trace_actions(relaxed), sb);
  const RunReport lkmm = run_model("A2-pagepin-testclear", "lkmm", {{"split_flags", 1}});
  ASSERT_EQ(lkmm.verdict, Verdict::violated);
  EXPECT_EQ(lkmm.property, "wb_handshake_no_double_miss");
  EXPECT_EQ(lkmm.distinct_states, 47295u);
  // Multi-copy-atomic models without invalidate queues: no SB, the same
  // graph as the one-word model.
  EXPECT_EQ(run_model("A2-pagepin-testclear", "sc", {{"split_flags", 1}}).distinct_states, 5416u);
  const RunReport tso = run_model("A2-pagepin-testclear", "tso", {{"split_flags", 1}});
  expect_all_guards_reached(tso);
  EXPECT_EQ(tso.distinct_states, 7360u);
}

// A-I2: the unlocked observer sees C1's window under every model (under
// relaxed after processing its invalidations); the locked one never does.
TEST(PinMkcleanWeak, ObserversUnderWeakMemory) {
  const RunReport tso = run_model("A2-pagepin-testclear", "tso", {{"observer", 1}});
  ASSERT_EQ(tso.verdict, Verdict::violated);
  EXPECT_EQ(tso.property, "pin_visible_to_any_observer");
  EXPECT_EQ(tso.distinct_states, 657u);
  const RunReport relaxed = run_model("A2-pagepin-testclear", "relaxed", {{"observer", 1}});
  ASSERT_EQ(relaxed.verdict, Verdict::violated);
  EXPECT_EQ(relaxed.property, "pin_visible_to_any_observer");
  EXPECT_EQ(relaxed.distinct_states, 5396u);
  EXPECT_TRUE(has_memory_step(relaxed));
  const RunReport locked = run_model("A2-pagepin-testclear", "tso", {{"observer", 2}});
  expect_all_guards_reached(locked);
  EXPECT_EQ(locked.distinct_states, 25049u);
  const RunReport a3 = run_model("A3-lock-page", "lkmm", {{"zaps", 0}, {"observer", 2}});
  expect_all_guards_reached(a3);
  EXPECT_EQ(a3.distinct_states, 1258u);
  const RunReport a3first = run_model("A3-lock-page-mapcount-first", "relaxed", {{"observer", 2}});
  expect_all_guards_reached(a3first);
  EXPECT_EQ(a3first.distinct_states, 6836u);
}

TEST(PinMkcleanWeak, A3MapcountFirstHoldsUnderEveryModel) {
  struct Row {
    const char* model;
    std::uint64_t states;
  };
  for (const Row& row : {Row{"tso", 1850}, Row{"relaxed", 2224}, Row{"lkmm", 32709}}) {
    const RunReport r = run_model("A3-lock-page-mapcount-first", row.model, {});
    expect_all_guards_reached(r);
    EXPECT_EQ(r.distinct_states, row.states) << row.model;
  }
}

}  // namespace
}  // namespace mmcheck

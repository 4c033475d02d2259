// File: tests/specs/compound_head_test.cpp
//
// compound_head (protocols.md §B): verdict and property per proposal and
// memory model, pinned distinct counts, the exact counterexamples (including
// the weak-memory race "B1 weak extra" of §B.5 / litmus L3), vacuity guards
// and the thread count independence.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "report/trace_render.hpp"
#include "test_util.hpp"

namespace mmcheck {
void register_compound_head(Registry&);
}  // namespace mmcheck

namespace mmcheck {
namespace {

using testing::trace_actions;
using Params = std::vector<std::pair<std::string, int>>;

const SpecEntry& entry() {
  static const SpecEntry e = testing::entry_of(&register_compound_head);
  return e;
}
RunReport run_model(const std::string& proposal, const Params& params, const std::string& model,
                    int threads = 2) {
  return testing::run_entry(entry(), proposal, params, threads, false, model);
}
RunReport run(const std::string& proposal, const Params& params, int threads = 2) {
  return run_model(proposal, params, "sc", threads);
}
Params params(int caller, int prep_h1, int realloc, int ref_holder) {
  return {
      {"caller", caller}, {"prep_h1", prep_h1}, {"realloc", realloc}, {"ref_holder", ref_holder}};
}

constexpr char kHead[] = "returned_head_was_head_during_call";
constexpr char kRef[] = "ref_holder_sees_same_head";

struct Row {
  std::string proposal;
  Params params;
  Verdict verdict;
  std::string property;
  std::uint64_t distinct;
  std::string model = "sc";
};

// The sc rows of properties/mm/compound_head.expect, then the weak rows that
// carry the claims of §B.5 for weak models.
const std::vector<Row>& rows() {
  static const std::vector<Row> kRows = {
      {"B0-no-recheck", params(0, 0, 1, 0), Verdict::violated, kHead, 44},
      {"B0-no-recheck", params(0, 1, 0, 0), Verdict::violated, kHead, 10},
      {"B0-no-recheck", params(1, 0, 1, 0), Verdict::holds, "", 77},
      {"B0-no-recheck", params(0, 0, 1, 1), Verdict::violated, kRef, 48},
      {"B1-double-check-rmb", params(0, 0, 1, 0), Verdict::violated, kHead, 208},
      {"B1-double-check-rmb", params(0, 1, 0, 0), Verdict::holds, "", 98},
      {"B1-double-check-rmb", params(0, 1, 1, 0), Verdict::violated, kHead, 245},
      {"B1-double-check-rmb", params(1, 0, 1, 0), Verdict::holds, "", 77},
      {"B1-PF-flags-rework", params(1, 0, 1, 0), Verdict::violated, kHead, 208},
      {"B1-PF-flags-rework", params(0, 0, 1, 0), Verdict::violated, kHead, 208},
      {"B1-PF-flags-rework", params(1, 1, 0, 0), Verdict::holds, "", 98},
      {"B2-scanner-raw-count", params(0, 0, 1, 0), Verdict::holds, "", 77},
      {"B2-scanner-raw-count", params(0, 1, 1, 0), Verdict::holds, "", 114},
      {"B2-scanner-raw-count", params(1, 0, 1, 0), Verdict::violated, kHead, 208},
      {"B3-compound-head-word", params(0, 0, 1, 0), Verdict::holds, "", 62},
      {"B3-compound-head-word", params(1, 0, 1, 0), Verdict::holds, "", 62},
      {"B3-compound-head-word", params(0, 1, 1, 0), Verdict::holds, "", 93},
      {"B3-compound-head-word", params(0, 0, 1, 1), Verdict::violated, kRef, 38},
      {"B4-ref-blocks-split", params(0, 0, 1, 1), Verdict::holds, "", 166},
      {"B4-ref-blocks-split", params(0, 0, 1, 0), Verdict::holds, "", 64},
      {"B4-ref-blocks-split", params(0, 1, 1, 1), Verdict::holds, "", 253},
      {"B4-ref-blocks-split", params(1, 1, 1, 1), Verdict::holds, "", 253},
      {"B1-extra-rmb", params(0, 0, 1, 0), Verdict::violated, kHead, 208},
      {"B1-extra-rmb", params(0, 1, 0, 0), Verdict::holds, "", 98},
      {"B1-extra-rmb", params(0, 1, 1, 0), Verdict::violated, kHead, 245},
      {"B1-extra-rmb", params(1, 0, 1, 0), Verdict::holds, "", 77},
      // "B1 weak extra" (no ABA: prep_h1=1, realloc=0): the missing rmb between
      // PageTail() and the first_page load shows under relaxed and lkmm only.
      {"B1-double-check-rmb", params(0, 1, 0, 0), Verdict::holds, "", 374, "tso"},
      {"B1-double-check-rmb", params(0, 1, 0, 0), Verdict::violated, kHead, 86, "relaxed"},
      {"B1-double-check-rmb", params(0, 1, 0, 0), Verdict::violated, kHead, 1387, "lkmm"},
      {"B1-PF-flags-rework", params(1, 1, 0, 0), Verdict::violated, kHead, 86, "relaxed"},
      // The rmb closes it under every model.
      {"B1-extra-rmb", params(0, 1, 0, 0), Verdict::holds, "", 374, "tso"},
      {"B1-extra-rmb", params(0, 1, 0, 0), Verdict::holds, "", 636, "relaxed"},
      {"B1-extra-rmb", params(0, 1, 0, 0), Verdict::holds, "", 6953, "lkmm"},
      // The ABA stays under every model, with or without the rmb.
      {"B1-double-check-rmb", params(0, 0, 1, 0), Verdict::violated, kHead, 747, "tso"},
      {"B1-double-check-rmb", params(0, 0, 1, 0), Verdict::violated, kHead, 1695, "relaxed"},
      {"B1-double-check-rmb", params(0, 0, 1, 0), Verdict::violated, kHead, 35749, "lkmm"},
      {"B1-extra-rmb", params(0, 0, 1, 0), Verdict::violated, kHead, 1549, "relaxed"},
      // B2 (scanner), B3 and B4 hold under lkmm.
      {"B2-scanner-raw-count", params(0, 0, 1, 0), Verdict::holds, "", 3022, "lkmm"},
      {"B3-compound-head-word", params(0, 0, 1, 0), Verdict::holds, "", 8707, "lkmm"},
      {"B3-compound-head-word", params(0, 1, 1, 0), Verdict::holds, "", 17387, "lkmm"},
      {"B3-compound-head-word", params(0, 0, 1, 1), Verdict::violated, kRef, 9791, "lkmm"},
      {"B4-ref-blocks-split", params(0, 0, 1, 1), Verdict::holds, "", 75064, "lkmm"},
      {"B4-ref-blocks-split", params(0, 0, 1, 1), Verdict::holds, "", 819, "relaxed"},
  };
  return kRows;
}

// A field of the last state of a counterexample.
std::string last_field(const RunReport& r, const std::string& name) {
  for (const auto& [n, v] : r.trace->steps.back().state) {
    if (n == name) return v;
  }
  return "?";
}

std::string describe(const Row& row) {
  std::string s = row.proposal + " " + row.model;
  for (const auto& [n, v] : row.params) s += " " + n + "=" + std::to_string(v);
  return s;
}

TEST(CompoundHead, VerdictsAndPinnedCounts) {
  for (const Row& row : rows()) {
    SCOPED_TRACE(describe(row));
    const RunReport r = run_model(row.proposal, row.params, row.model);
    EXPECT_EQ(r.verdict, row.verdict);
    EXPECT_EQ(r.property, row.property);
    EXPECT_EQ(r.distinct_states, row.distinct);
    EXPECT_EQ(r.trace.has_value(), row.verdict == Verdict::violated);
  }
}

TEST(CompoundHead, HoldingRowsReachEveryGuardAndFireEveryFamily) {
  for (const Row& row : rows()) {
    if (row.verdict != Verdict::holds) continue;
    SCOPED_TRACE(describe(row));
    const RunReport r = run_model(row.proposal, row.params, row.model);
    EXPECT_TRUE(r.exhaustive);
    // B2's scanner makes no memory load, so RD's invalidations never matter.
    const bool no_rd_load = row.proposal == "B2-scanner-raw-count" && row.params[0].second == 0;
    if (no_rd_load && row.model != "sc" && row.model != "tso") {
      EXPECT_EQ(r.unfired_families, std::vector<std::string>{"mem.advance"});
    } else {
      EXPECT_TRUE(r.unfired_families.empty());
    }
    const bool ref_holder = row.params[3].second == 1;
    ASSERT_EQ(r.properties.size(), 9u);
    for (const PropertyResult& p : r.properties) {
      SCOPED_TRACE(p.name);
      // REF's invariant and guard do not apply without REF (applies(): n/a).
      const bool ref_only =
          p.name == "split_decides_while_ref_held" || p.name == "ref_holder_sees_same_head";
      if (ref_only && !ref_holder) {
        EXPECT_EQ(p.status, "n/a");
      } else if (p.kind == "always") {
        EXPECT_EQ(p.status, "holds");
      } else {
        EXPECT_EQ(p.status, "reached");
        EXPECT_GT(p.depth, 0);
      }
    }
  }
}

// B0 with T already a tail of H1: free + reuse between RD's two loads.
TEST(CompoundHead, B0FreeReuseBetweenLoads) {
  const RunReport r = run("B0-no-recheck", params(0, 0, 1, 0));
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_EQ(trace_actions(r),
            (std::vector<std::string>{"rd.read_tail", "free.put_page", "free.clear_tail",
                                      "free.new_owner_write", "rd.read_first_page"}));
  EXPECT_EQ(r.property, kHead);
  EXPECT_EQ(last_field(r, "rd.ret"), "NULL");
  EXPECT_EQ(last_field(r, "g_rd_seen"), "H1,T");
}

// B0, T starting in the buddy: the prep race of 668f9abbd433 (PG_tail before first_page).
TEST(CompoundHead, B0PrepRaceOf668f9abbd433) {
  const RunReport r = run("B0-no-recheck", params(0, 1, 0, 0));
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_EQ(r.property, kHead);
  EXPECT_EQ(trace_actions(r),
            (std::vector<std::string>{"alloc.set_tail", "rd.read_tail", "rd.read_first_page"}));
  EXPECT_EQ(last_field(r, "rd.ret"), "NULL");
  EXPECT_EQ(last_field(r, "g_rd_seen"), "T");
}

// B1: Kirill's ABA (12 Aug 2015): FREE and a new prep_compound_page between RD's loads.
const std::vector<std::string> kAba = {
    "rd.read_tail",         "free.put_page",      "free.clear_tail",
    "free.new_owner_write", "rd.read_first_page", "alloc.set_count",
    "alloc.set_first_page", "alloc.set_tail",     "rd.recheck_tail"};

TEST(CompoundHead, B1AbaAsInKirillsMail) {
  const RunReport r = run("B1-double-check-rmb", params(0, 0, 1, 0));
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_EQ(r.property, kHead);
  EXPECT_EQ(trace_actions(r), kAba);
  // RD returned NULL although T was a tail of H1, then of nothing, then of H2.
  EXPECT_EQ(last_field(r, "rd.ret"), "NULL");
  EXPECT_EQ(last_field(r, "g_rd_seen"), "H1,H2,T");
  EXPECT_EQ(last_field(r, "g_head_of(T)"), "H2");
}

// With both preps and one cycle the shortest violation is still the ABA.
TEST(CompoundHead, B1ShortestViolationWithTwoPrepsIsTheAba) {
  const RunReport r = run("B1-double-check-rmb", params(0, 1, 1, 0));
  ASSERT_EQ(r.verdict, Verdict::violated);
  std::vector<std::string> expected = {"alloc.set_count", "alloc.set_first_page", "alloc.set_tail"};
  expected.insert(expected.end(), kAba.begin(), kAba.end());
  EXPECT_EQ(trace_actions(r), expected);
}

// B1+PF: the page-flags rework routes a flag operation through the same race.
TEST(CompoundHead, B1PFFlagOperationHitsTheAba) {
  const RunReport r = run("B1-PF-flags-rework", params(1, 0, 1, 0));
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_EQ(trace_actions(r), kAba);
  // Without the rework the same caller tests T's own flags and is safe.
  const RunReport before = run("B1-double-check-rmb", params(1, 0, 1, 0));
  EXPECT_EQ(before.verdict, Verdict::holds);
  bool own_flag = false;
  for (const auto& [family, count] : before.action_counts) {
    EXPECT_NE(family, "rd.read_tail");
    own_flag = own_flag || (family == "rd.test_own_flag" && count > 0);
  }
  EXPECT_TRUE(own_flag);
}

// B2 fixes the scanner only: a flag operation still goes through B1's compound_head().
TEST(CompoundHead, B2FixesOnlyTheScanner) {
  const RunReport scanner = run("B2-scanner-raw-count", params(0, 0, 1, 0));
  EXPECT_EQ(scanner.verdict, Verdict::holds);
  bool raw = false;
  for (const auto& [family, count] : scanner.action_counts) {
    EXPECT_NE(family, "rd.read_first_page");
    raw = raw || (family == "rd.read_raw_count" && count > 0);
  }
  EXPECT_TRUE(raw);
  const RunReport flag = run("B2-scanner-raw-count", params(1, 0, 1, 0));
  ASSERT_EQ(flag.verdict, Verdict::violated);
  EXPECT_EQ(trace_actions(flag), kAba);
}

// Old THP split (B0..B3) ignores a reference on the head: B-I2 fails; B4 backs off.
TEST(CompoundHead, OldSplitIgnoresReferenceB4BacksOff) {
  const RunReport old = run("B3-compound-head-word", params(0, 0, 1, 1));
  ASSERT_EQ(old.verdict, Verdict::violated);
  EXPECT_EQ(old.property, kRef);
  EXPECT_EQ(trace_actions(old), (std::vector<std::string>{"ref.get_page", "split.get_ref",
                                                          "split.tail_count", "split.clear_tail"}));
  const RunReport b4 = run("B4-ref-blocks-split", params(0, 0, 1, 1));
  EXPECT_EQ(b4.verdict, Verdict::holds);
  for (const auto& [family, count] : b4.action_counts) {
    EXPECT_NE(family, "split.tail_count");  // the old split is absent
    EXPECT_NE(family, "split.finish");
  }
}

// B1 weak extra (protocols.md §B.5, litmus L3) under relaxed: ALLOC's smp_wmb
// makes first_page reach memory before PG_tail, but RD's PageTail() and its
// first_page load are unordered: RD takes the invalidation of T->flags only,
// reads PG_tail = 1 and the first_page from before the prep (NULL).
TEST(CompoundHead, B1WeakExtraUnderRelaxed) {
  const Params no_aba = params(0, 1, 0, 0);
  const RunReport r = run_model("B1-double-check-rmb", no_aba, "relaxed");
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_EQ(r.property, kHead);
  EXPECT_EQ(trace_actions(r),
            (std::vector<std::string>{"alloc.set_count", "alloc.set_first_page", "alloc.set_tail",
                                      "mem.commit(cpu_slot=12)", "mem.commit(cpu_slot=12)",
                                      "mem.advance(cpu_loc=0)", "rd.read_tail",
                                      "rd.read_first_page", "rd.recheck_tail"}));
  // When RD loads first_page, memory holds H1 but RD's view is stale.
  const auto& at_load = r.trace->steps[8].state;
  bool stale = false;
  for (const auto& [n, v] : at_load)
    stale = stale || (n == "mem.rd" && v == "stale=[first_page=0]");
  EXPECT_TRUE(stale);
  EXPECT_EQ(last_field(r, "T.first_page"), "H1");
  EXPECT_EQ(last_field(r, "rd.ret"), "NULL");
  // Under sc and tso the same configuration holds (loads are not reordered).
  EXPECT_EQ(run_model("B1-double-check-rmb", no_aba, "sc").verdict, Verdict::holds);
  EXPECT_EQ(run_model("B1-double-check-rmb", no_aba, "tso").verdict, Verdict::holds);
}

// Under lkmm the same race needs PG_tail and first_page:=H1 to reach RD first.
TEST(CompoundHead, B1WeakExtraUnderLkmm) {
  const RunReport r = run_model("B1-double-check-rmb", params(0, 1, 0, 0), "lkmm");
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_EQ(r.property, kHead);
  std::vector<std::string> own;  // the spec's steps, without the memory's
  for (const std::string& a : trace_actions(r)) {
    if (a.rfind("mem.", 0) != 0) own.push_back(a);
  }
  EXPECT_EQ(own,
            (std::vector<std::string>{"alloc.set_count", "alloc.set_first_page", "alloc.set_tail",
                                      "rd.read_tail", "rd.read_first_page", "rd.recheck_tail"}));
  EXPECT_EQ(r.trace->steps.size(), 12u);  // the initial state and 11 steps
  EXPECT_EQ(last_field(r, "rd.ret"), "NULL");
}

// The extra smp_rmb closes the weak race under every model, with every guard
// of the no-ABA configuration reached, but not the ABA.
TEST(CompoundHead, ExtraRmbClosesTheWeakRaceNotTheAba) {
  for (const std::string model : {"sc", "tso", "relaxed", "lkmm"}) {
    SCOPED_TRACE(model);
    const RunReport fixed = run_model("B1-extra-rmb", params(0, 1, 0, 0), model);
    EXPECT_EQ(fixed.verdict, Verdict::holds);
    EXPECT_TRUE(fixed.exhaustive);
  }
  const RunReport aba = run_model("B1-extra-rmb", params(0, 0, 1, 0), "relaxed");
  ASSERT_EQ(aba.verdict, Verdict::violated);
  EXPECT_EQ(last_field(aba, "rd.ret"), "NULL");
  EXPECT_EQ(last_field(aba, "g_head_of(T)"), "H2");
}

// B1's ABA is the same under tso: FREE's stores drain before RD's first_page load.
TEST(CompoundHead, B1AbaUnderTso) {
  const RunReport r = run_model("B1-double-check-rmb", params(0, 0, 1, 0), "tso");
  ASSERT_EQ(r.verdict, Verdict::violated);
  std::vector<std::string> own;
  for (const std::string& a : trace_actions(r)) {
    if (a.rfind("mem.", 0) != 0) own.push_back(a);
  }
  EXPECT_EQ(own, kAba);
  EXPECT_EQ(last_field(r, "rd.ret"), "NULL");
}

TEST(CompoundHead, FamiliesFollowTheProposal) {
  auto families = [](const RunReport& r) {
    std::vector<std::string> out;
    for (const auto& [f, n] : r.action_counts) out.push_back(f);
    return out;
  };
  const std::vector<std::string> b3 = families(run("B3-compound-head-word", params(0, 1, 1, 0)));
  EXPECT_EQ(b3, (std::vector<std::string>{
                    "rd.read_compound_head", "alloc.set_count", "alloc.set_compound_head",
                    "split.get_ref", "split.tail_count", "split.clear_tail", "split.finish",
                    "free.put_page", "free.clear_tail", "free.new_owner_write"}));
  const std::vector<std::string> b4 = families(run("B4-ref-blocks-split", params(0, 0, 1, 1)));
  EXPECT_EQ(b4, (std::vector<std::string>{"rd.read_compound_head", "alloc.set_count",
                                          "alloc.set_compound_head", "split.get_ref", "split.unmap",
                                          "split.freeze_check", "split.clear_tail", "split.remap",
                                          "free.put_page", "free.clear_tail",
                                          "free.new_owner_write", "ref.get_page", "ref.put_page"}));
  const std::vector<std::string> b0 = families(run("B0-no-recheck", params(0, 0, 1, 0)));
  EXPECT_EQ(b0, (std::vector<std::string>{
                    "rd.read_tail", "rd.read_first_page", "alloc.set_tail", "alloc.set_count",
                    "alloc.set_first_page", "split.get_ref", "split.tail_count", "split.clear_tail",
                    "split.finish", "free.put_page", "free.clear_tail", "free.new_owner_write"}));
  // Weak models add the memory's steps; lkmm also propagation.
  const std::vector<std::string> weak =
      families(run_model("B1-extra-rmb", params(0, 1, 0, 0), "lkmm"));
  EXPECT_EQ(weak,
            (std::vector<std::string>{
                "rd.read_tail", "rd.read_first_page", "rd.recheck_tail", "alloc.set_tail",
                "alloc.set_count", "alloc.set_first_page", "split.get_ref", "split.tail_count",
                "split.clear_tail", "split.finish", "free.put_page", "free.clear_tail",
                "free.new_owner_write", "mem.commit", "mem.advance", "mem.propagate"}));
}

TEST(CompoundHead, SameResultsForOneTwoFourThreads) {
  struct Case {
    std::string proposal;
    Params params;
    std::string model;
  };
  for (const Case& c : std::vector<Case>{{"B1-double-check-rmb", params(0, 1, 1, 0), "sc"},
                                         {"B4-ref-blocks-split", params(1, 1, 1, 1), "sc"},
                                         {"B1-double-check-rmb", params(0, 1, 0, 0), "lkmm"},
                                         {"B1-extra-rmb", params(0, 1, 0, 0), "lkmm"}}) {
    SCOPED_TRACE(c.proposal + " " + c.model);
    const RunReport base = run_model(c.proposal, c.params, c.model, 1);
    const std::string base_trace = base.trace ? report::trace_to_json(*base.trace).dump() : "";
    for (int threads : {2, 4}) {
      const RunReport r = run_model(c.proposal, c.params, c.model, threads);
      EXPECT_EQ(r.verdict, base.verdict);
      EXPECT_EQ(r.distinct_states, base.distinct_states);
      EXPECT_EQ(r.transitions, base.transitions);
      EXPECT_EQ(r.depth, base.depth);
      EXPECT_EQ(r.action_counts, base.action_counts);
      EXPECT_EQ(r.trace ? report::trace_to_json(*r.trace).dump() : "", base_trace);
    }
  }
}

}  // namespace
}  // namespace mmcheck

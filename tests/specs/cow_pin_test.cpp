// File: tests/specs/cow_pin_test.cpp
//
// cow_pin (protocols.md §C): every small row of properties/mm/cow_pin.expect,
// the exact counterexamples of §C.5's interleavings, vacuity guards, unfired
// families, configuration errors and thread-count independence.
#include <filesystem>
#include <fstream>

#include "report/expect.hpp"
#include "report/trace_render.hpp"
#include "test_util.hpp"

namespace mmcheck {
void register_cow_pin(Registry&);

namespace {

using testing::run_entry;
using testing::trace_actions;
using Params = std::vector<std::pair<std::string, int>>;
using Actions = std::vector<std::string>;

SpecEntry entry() { return testing::entry_of(&register_cow_pin); }

RunReport run_model(const std::string& proposal, const Params& params, const std::string& model,
                    int threads = 2) {
  return run_entry(entry(), proposal, params, threads, false, model);
}

std::string source(const std::string& rel) { return std::string(MMCHECK_SOURCE_DIR) + "/" + rel; }

report::ExpectTable table() {
  std::string error;
  const std::string path = source("properties/mm/cow_pin.expect");
  auto t = report::parse_expect(testing::read_file(path), path, error);
  if (!t) throw std::runtime_error(error);
  return *t;
}

const PropertyResult* property(const RunReport& r, const std::string& name) {
  for (const PropertyResult& p : r.properties) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

TEST(CowPin, ExpectTableRowsMatch) {
  const report::ExpectTable t = table();
  ASSERT_EQ(t.spec, "cow_pin");
  int rows = 0, violating = 0;
  for (const report::ExpectRow& row : t.rows) {
    if (row.size != "small") continue;
    ++rows;
    SCOPED_TRACE(row.proposal + " " + row.memory_model + " line " + std::to_string(row.line));
    const RunReport r = run_model(row.proposal, row.params, row.memory_model);
    EXPECT_EQ(verdict_name(r.verdict), row.verdict);
    EXPECT_EQ(r.property, row.property);
    ASSERT_TRUE(row.distinct);
    EXPECT_EQ(r.distinct_states, *row.distinct);
    if (r.verdict == Verdict::violated) {
      ++violating;
      ASSERT_FALSE(row.trace.empty()) << "every violating row has a golden trace";
      ASSERT_TRUE(r.trace);
      EXPECT_EQ(report::trace_to_json(*r.trace).dump(2) + "\n",
                testing::read_file(source(row.trace)));
    } else {
      EXPECT_TRUE(row.trace.empty());
      EXPECT_TRUE(r.exhaustive);
    }
  }
  // 59 configurations under sc, tso and relaxed; 46 of them under lkmm (the
  // others are large or not in the table).
  EXPECT_EQ(rows, 223);
  EXPECT_EQ(violating, 72);
}

// §C.5 expected SC verdicts, one scenario per proposal.
TEST(CowPin, ProtocolVerdicts) {
  struct Case {
    std::string proposal;
    Params params;
    Verdict verdict;
    std::string property;
  };
  const std::vector<Case> cases = {
      // CVE-2020-29374: C0 and C-A miss the COW, C1 / C2 / v5.19 do not.
      {"C0-mapcount-reuse",
       {{"pin", 0}, {"fork", 1}, {"child_gup", 1}},
       Verdict::violated,
       "child_never_sees_parent_write"},
      {"C1-gup-breaks-cow", {{"pin", 0}, {"fork", 1}, {"child_gup", 1}}, Verdict::holds, ""},
      {"C2-pagecount-reuse", {{"pin", 0}, {"fork", 1}, {"child_gup", 1}}, Verdict::holds, ""},
      {"C-A-mapcount-revert",
       {{"pin", 0}, {"fork", 1}, {"child_gup", 1}},
       Verdict::violated,
       "child_never_sees_parent_write"},
      {"C-A-mapcount-revert",
       {{"pin", 0}, {"fork", 1}, {"child_gup", 1}, {"gup_unshare", 1}},
       Verdict::holds,
       ""},
      {"anon-exclusive", {{"pin", 0}, {"fork", 1}, {"child_gup", 1}}, Verdict::holds, ""},
      // (a) in-place write protection: only the page_count design copies.
      {"C0-mapcount-reuse", {{"wp", 2}}, Verdict::holds, ""},
      {"C2-pagecount-reuse", {{"wp", 2}}, Verdict::violated, "pinned_page_stays_mapped"},
      {"C2-pagecount-reuse", {{"wp", 2}, {"contract", 1}}, Verdict::holds, ""},
      {"C-A-mapcount-revert", {{"wp", 2}}, Verdict::holds, ""},
      {"anon-exclusive", {{"wp", 2}}, Verdict::holds, ""},
      // (b) reclaim's check-then-act.
      {"C2-pagecount-reuse",
       {{"recl", 1}, {"contract", 1}},
       Verdict::violated,
       "pinned_page_stays_mapped"},
      {"anon-exclusive", {{"recl", 1}, {"pin_fast", 1}}, Verdict::holds, ""},
      // (c) FOLL_GET is invisible to page_maybe_dma_pinned.
      {"C2-pagecount-reuse",
       {{"pin", 1}, {"pin_write", 1}, {"wp", 1}, {"contract", 1}},
       Verdict::violated,
       "pinned_page_stays_mapped"},
      {"anon-exclusive", {{"pin", 1}, {"pin_write", 1}, {"wp", 1}}, Verdict::holds, ""},
      // NO-SPURIOUS-COW, reported on its own.
      {"C2-pagecount-reuse",
       {{"pin", 0}, {"spec", 1}, {"wp", 2}, {"check", 1}},
       Verdict::violated,
       "no_spurious_cow"},
      {"anon-exclusive", {{"pin", 0}, {"spec", 1}, {"wp", 2}, {"check", 1}}, Verdict::holds, ""},
  };
  for (const Case& c : cases) {
    const RunReport r = run_entry(entry(), c.proposal, c.params);
    EXPECT_EQ(r.verdict, c.verdict) << c.proposal;
    EXPECT_EQ(r.property, c.property) << c.proposal;
  }
}

TEST(CowPin, Counterexamples) {
  struct Case {
    std::string proposal;
    Params params;
    std::string property;
    Actions actions;
  };
  const std::vector<Case> cases = {
      // CVE-2020-29374: fork shares X, the child's read GUP references it, the
      // child unmaps, the parent's write fault sees mapcount 1 and reuses X.
      {"C0-mapcount-reuse",
       {{"pin", 0}, {"fork", 1}, {"child_gup", 1}},
       "child_never_sees_parent_write",
       {"t.read", "fork.mmap_write_lock", "fork.lock_ptl", "fork.check_pinned", "fork.dup",
        "fork.wrprotect", "t.write", "fork.unlock_ptl", "fork.mmap_write_unlock", "t.fault_lock",
        "t.map_trylock", "child.gup", "child.unmap", "t.map_reuse_check", "t.reuse"}},
      {"C-A-mapcount-revert",
       {{"pin", 0}, {"fork", 1}, {"child_gup", 1}},
       "child_never_sees_parent_write",
       {"t.read", "fork.mmap_write_lock", "fork.seq_begin", "fork.lock_ptl", "fork.check_pinned",
        "fork.dup", "fork.wrprotect", "t.write", "fork.unlock_ptl", "fork.seq_end",
        "fork.mmap_write_unlock", "t.fault_lock", "t.map_trylock", "child.gup", "child.unmap",
        "t.map_reuse_check", "t.reuse"}},
      // (a) read pin of a writable exclusive page; uffd-wp/mprotect; write: copy.
      {"C2-pagecount-reuse",
       {{"wp", 2}},
       "pinned_page_stays_mapped",
       {"t.read", "pin.slow", "wp.lock_check", "wp.wrprotect", "t.write", "t.fault_lock",
        "t.count_read_refcount", "t.cow_copy"}},
      // (b) reclaim checks, the pin arrives, reclaim unmaps; read fault, write fault.
      {"C2-pagecount-reuse",
       {{"recl", 1}, {"contract", 1}},
       "pinned_page_stays_mapped",
       {"recl.trylock_page", "recl.check_pinned", "pin.slow", "recl.add_to_swap", "recl.unmap",
        "t.read", "t.swapin_lookup", "recl.unlock_page", "t.swapin_lock_page", "t.swapin_map",
        "t.write", "t.fault_lock", "t.count_read_refcount", "t.cow_copy"}},
      // (c) O_DIRECT's FOLL_GET reference; clear_refs does not see it.
      {"C2-pagecount-reuse",
       {{"pin", 1}, {"pin_write", 1}, {"wp", 1}, {"contract", 1}},
       "pinned_page_stays_mapped",
       {"t.read", "pin.slow", "wp.lock_check", "wp.wrprotect", "t.write", "t.fault_lock",
        "t.count_read_refcount", "t.cow_copy"}},
      // clear_refs' pte_is_pinned (9348b73c2e1b) vs gup-fast: no seqcount there.
      {"C2-pagecount-reuse",
       {{"wp", 1}, {"pin_fast", 1}, {"contract", 1}},
       "pinned_page_stays_mapped",
       {"t.read", "pin.fast_set_has_pinned", "pin.fast_read_seq", "pin.fast_read_pte",
        "wp.lock_check", "pin.fast_grab", "pin.fast_recheck_pte", "pin.fast_recheck_seq",
        "wp.wrprotect", "t.write", "t.fault_lock", "t.count_read_refcount", "t.cow_copy"}},
      // Fork caveat of the mapcount designs: a pin taken before fork.
      {"C0-mapcount-reuse",
       {{"fork", 1}, {"contract", 1}},
       "pinned_page_stays_mapped",
       {"t.read", "pin.slow", "fork.mmap_write_lock", "fork.lock_ptl", "fork.check_pinned",
        "fork.dup", "fork.wrprotect", "t.write", "fork.unlock_ptl", "fork.mmap_write_unlock",
        "t.fault_lock", "t.map_trylock", "t.map_reuse_check", "t.cow_copy"}},
      // v5.19 too: fork cannot see a FOLL_GET reference.
      {"anon-exclusive",
       {{"pin", 1}, {"pin_write", 1}, {"fork", 1}, {"contract", 1}},
       "pinned_page_stays_mapped",
       {"t.read", "pin.slow", "fork.mmap_write_lock", "fork.seq_begin", "fork.lock_ptl",
        "fork.check_pinned", "fork.dup", "fork.wrprotect", "t.write", "fork.unlock_ptl",
        "fork.seq_end", "fork.mmap_write_unlock", "t.fault_lock", "t.ax_test_exclusive",
        "t.ax_read_refcount", "t.cow_copy"}},
      // C-A's mapcount unshare check in gup-fast races with a COW in flight.
      {"C-A-mapcount-revert",
       {{"fork", 1}, {"pin_fast", 1}, {"gup_unshare", 1}},
       "pinned_page_stays_mapped",
       {"t.read",
        "fork.mmap_write_lock",
        "fork.seq_begin",
        "fork.lock_ptl",
        "fork.check_pinned",
        "fork.dup",
        "fork.wrprotect",
        "t.write",
        "fork.unlock_ptl",
        "fork.seq_end",
        "pin.fast_read_seq",
        "pin.fast_read_pte",
        "pin.fast_grab",
        "fork.mmap_write_unlock",
        "t.fault_lock",
        "t.map_trylock",
        "t.map_reuse_check",
        "child.unmap",
        "pin.fast_recheck_pte",
        "t.cow_copy",
        "pin.fast_recheck_seq"}},
      // v5.9-v5.17 copies swap cache pages with one user (fixed by 53a05ad9f21d).
      {"C2-pagecount-reuse",
       {{"pin", 0}, {"recl", 1}, {"check", 1}},
       "no_spurious_cow",
       {"recl.trylock_page", "recl.check_pinned", "recl.add_to_swap", "recl.unmap", "t.read",
        "t.swapin_lookup", "recl.unlock_page", "t.swapin_lock_page", "t.swapin_map", "t.write",
        "t.fault_lock", "t.count_read_refcount", "t.cow_copy"}},
  };
  for (const Case& c : cases) {
    const RunReport r = run_entry(entry(), c.proposal, c.params);
    ASSERT_EQ(r.verdict, Verdict::violated) << c.proposal;
    EXPECT_EQ(r.property, c.property) << c.proposal;
    EXPECT_EQ(trace_actions(r), c.actions) << c.proposal;
  }
}

// The final state of the (a) trace: the pin holds X, A maps the copy X1.
TEST(CowPin, WpCounterexampleEndsWithPinOnOldPage) {
  const RunReport r = run_entry(entry(), "C2-pagecount-reuse", {{"wp", 2}});
  ASSERT_TRUE(r.trace);
  const auto& last = r.trace->steps.back().state;
  auto field = [&](const std::string& name) {
    for (const auto& [k, v] : last) {
      if (k == name) return v;
    }
    return std::string("?");
  };
  EXPECT_EQ(field("PIN.ref"), "X");
  EXPECT_EQ(field("pteA"), "X1 rw");
  EXPECT_EQ(field("page[X].refcount"), "1024");
}

TEST(CowPin, HoldingRowsReachEveryGuard) {
  for (const report::ExpectRow& row : table().rows) {
    if (row.verdict != "holds" || row.size != "small") continue;
    const RunReport r = run_model(row.proposal, row.params, row.memory_model);
    for (const PropertyResult& p : r.properties) {
      EXPECT_EQ(p.status, p.kind == "always" ? "holds" : "reached")
          << row.proposal << " " << row.memory_model << " line " << row.line << " " << p.name;
    }
  }
}

TEST(CowPin, GuardsAreNotTrivialWhenTheirActorRuns) {
  // The (a) window and the fork copy are reached at depth > 0, not in the initial state.
  const RunReport r =
      run_entry(entry(), "anon-exclusive",
                {{"pin_fast", 1}, {"fork", 1}, {"child_gup", 1}, {"wp", 2}, {"spec", 1}});
  for (const std::string name :
       {"pin_returned", "t_takes_write_fault", "wp_runs_while_pinned", "fork_copies_for_child",
        "child_ref_outlives_mapping", "parent_writes_after_fork", "spec_ref_held"}) {
    const PropertyResult* p = property(r, name);
    ASSERT_NE(p, nullptr) << name;
    EXPECT_EQ(p->status, "reached") << name;
    EXPECT_GT(p->depth, 0) << name;
  }
}

TEST(CowPin, EveryFamilyFires) {
  for (const auto& [proposal, params] : std::vector<std::pair<std::string, Params>>{
           {"C2-pagecount-reuse", {{"pin_fast", 1}, {"fork", 1}, {"contract", 1}}},
           {"anon-exclusive",
            {{"pin_fast", 1}, {"fork", 1}, {"child_gup", 1}, {"wp", 2}, {"spec", 1}}}}) {
    const RunReport r = run_entry(entry(), proposal, params);
    EXPECT_TRUE(r.unfired_families.empty()) << proposal;
  }
  // Mapcount reuse never copies while A is the page's only mapper.
  const RunReport c0 = run_entry(entry(), "C0-mapcount-reuse",
                                 {{"pin_fast", 1}, {"wp", 2}, {"recl", 1}, {"spec", 1}});
  EXPECT_EQ(c0.verdict, Verdict::holds);
  EXPECT_EQ(c0.unfired_families, std::vector<std::string>{"t.cow_copy"});
  // v5.19 reuses an exclusive page without looking at the refcount.
  const RunReport ax =
      run_entry(entry(), "anon-exclusive", {{"pin_fast", 1}, {"wp", 2}, {"recl", 1}, {"spec", 1}});
  EXPECT_EQ(ax.verdict, Verdict::holds);
  EXPECT_EQ(ax.unfired_families, (std::vector<std::string>{"t.ax_read_refcount", "t.ax_trylock",
                                                           "t.ax_recheck", "t.cow_copy"}));
}

TEST(CowPin, ProposalBranchFamiliesAbsentElsewhere) {
  const RunReport c0 = run_entry(entry(), "C0-mapcount-reuse", {{"fork", 1}, {"pin_fast", 1}});
  for (const auto& [family, count] : c0.action_counts) {
    EXPECT_NE(family, "fork.seq_begin");
    EXPECT_NE(family, "fork.copy_for_child");
    EXPECT_NE(family, "pin.fast_set_has_pinned");
    EXPECT_NE(family, "t.count_read_refcount");
  }
  const RunReport c2 = run_entry(entry(), "C2-pagecount-reuse", {{"recl", 1}});
  bool share = false, check = false;
  for (const auto& [family, count] : c2.action_counts) {
    share = share || family == "recl.share_anon";
    check = check || family == "recl.check_pinned";
  }
  EXPECT_FALSE(share);
  EXPECT_TRUE(check);
}

// Weak memory: the §C races are SC races, so every correctness verdict is the sc
// verdict under tso, relaxed and lkmm; pinned counts per model.
TEST(CowPin, WeakMemoryVerdictsAndCounts) {
  struct Case {
    std::string proposal;
    Params params;
    std::string model;
    Verdict verdict;
    std::string property;
    std::uint64_t distinct;
  };
  const Params wp = {{"wp", 2}};
  const Params spurious = {{"pin", 0}, {"fork", 1}, {"spec", 1}, {"check", 1}};
  const Params unshare = {{"pin", 0}, {"fork", 1}, {"child_gup", 1}, {"gup_unshare", 1}};
  const Params recl = {{"recl", 1}, {"pin_fast", 1}};
  const std::vector<Case> cases = {
      // (a) WP, Andrea: the wrong COW of C2 under every model.
      {"C2-pagecount-reuse", wp, "sc", Verdict::violated, "pinned_page_stays_mapped", 57},
      {"C2-pagecount-reuse", wp, "tso", Verdict::violated, "pinned_page_stays_mapped", 82},
      {"C2-pagecount-reuse", wp, "relaxed", Verdict::violated, "pinned_page_stays_mapped", 84},
      {"C2-pagecount-reuse", wp, "lkmm", Verdict::violated, "pinned_page_stays_mapped", 734},
      // NO-SPURIOUS-COW (performance): a stale mapcount read after the child's
      // unmap makes CW-map copy under relaxed and lkmm only.
      {"C0-mapcount-reuse", spurious, "sc", Verdict::holds, "", 123},
      {"C0-mapcount-reuse", spurious, "tso", Verdict::holds, "", 141},
      {"C0-mapcount-reuse", spurious, "relaxed", Verdict::violated, "no_spurious_cow", 143},
      {"C0-mapcount-reuse", spurious, "lkmm", Verdict::violated, "no_spurious_cow", 5889},
      // C-A with read-GUP unsharing: holds; under lkmm only because the child
      // starts after fork's and the scheduler's full barriers.
      {"C-A-mapcount-revert", unshare, "tso", Verdict::holds, "", 92},
      {"C-A-mapcount-revert", unshare, "relaxed", Verdict::holds, "", 96},
      {"C-A-mapcount-revert", unshare, "lkmm", Verdict::holds, "", 1593},
      // v5.19 + v6.0 barriers: reclaim vs gup-fast (page_try_share_anon_rmap).
      {"anon-exclusive", recl, "tso", Verdict::holds, "", 444},
      {"anon-exclusive", recl, "relaxed", Verdict::holds, "", 658},
      {"anon-exclusive", recl, "lkmm", Verdict::holds, "", 14296},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.proposal + " " + c.model);
    const RunReport r = run_model(c.proposal, c.params, c.model);
    EXPECT_EQ(r.verdict, c.verdict);
    EXPECT_EQ(r.property, c.property);
    EXPECT_EQ(r.distinct_states, c.distinct);
  }
  // The weak models add their environment steps, and they fire.
  const RunReport relaxed = run_model("anon-exclusive", recl, "relaxed");
  bool commit = false, advance = false;
  for (const auto& [family, count] : relaxed.action_counts) {
    commit = commit || (family == "mem.commit" && count > 0);
    advance = advance || (family == "mem.advance" && count > 0);
  }
  EXPECT_TRUE(commit);
  EXPECT_TRUE(advance);
  EXPECT_EQ(run_model("C2-pagecount-reuse", wp, "sc").action_counts.size(),
            run_entry(entry(), "C2-pagecount-reuse", wp).action_counts.size());
}

TEST(CowPin, BadConfigurationsAreRejected) {
  EXPECT_THROW(run_entry(entry(), "C2-pagecount-reuse", {{"child_gup", 1}}), UsageError);
  EXPECT_THROW(run_entry(entry(), "C2-pagecount-reuse", {{"recl", 1}, {"fork", 1}}), UsageError);
  EXPECT_THROW(run_entry(entry(), "C2-pagecount-reuse", {{"pin", 0}, {"pin_fast", 1}}), UsageError);
  EXPECT_THROW(run_entry(entry(), "C2-pagecount-reuse", {{"gup_unshare", 1}}), UsageError);
}

TEST(CowPin, SameResultForOneTwoFourThreads) {
  const Params params = {{"pin_fast", 1}, {"fork", 1}, {"gup_unshare", 1}};
  const RunReport base = run_entry(entry(), "C-A-mapcount-revert", params, 1);
  ASSERT_TRUE(base.trace);
  const std::string base_trace = report::trace_to_json(*base.trace).dump();
  const Params holds = {{"pin_fast", 1}, {"fork", 1}, {"child_gup", 1}, {"wp", 2}, {"spec", 1}};
  const RunReport full = run_entry(entry(), "anon-exclusive", holds, 1);
  for (int threads : {2, 4}) {
    const RunReport r = run_entry(entry(), "C-A-mapcount-revert", params, threads);
    EXPECT_EQ(r.distinct_states, base.distinct_states);
    EXPECT_EQ(report::trace_to_json(*r.trace).dump(), base_trace);
    const RunReport f = run_entry(entry(), "anon-exclusive", holds, threads);
    EXPECT_EQ(f.distinct_states, full.distinct_states);
    EXPECT_EQ(f.transitions, full.transitions);
    EXPECT_EQ(f.action_counts, full.action_counts);
  }
}

}  // namespace
}  // namespace mmcheck

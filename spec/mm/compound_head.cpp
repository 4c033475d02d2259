// File: spec/mm/compound_head.cpp
//
// The action table, proposals and registration of compound_head; the kernel
// references, the races and the abstractions are in compound_head.hpp.
#include "spec/mm/compound_head.hpp"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "mmcheck/spec.hpp"
#include "mmcheck/text.hpp"
#include "properties/mm/compound_head.hpp"
#include "registry/adapter.hpp"

namespace mmcheck::mm::compound_head {
namespace {

constexpr std::string_view kPageNames[] = {"NULL", "H1", "H2", "T"};
constexpr std::string_view kStageNames[] = {"buddy", "tail of H1", "untailed (union word stale)",
                                            "reused (union word rewritten)", "tail of H2"};
constexpr std::string_view kRdPcNames[] = {"idle", "read_first_page", "recheck_tail", "done"};
constexpr std::string_view kSplitPcNames[] = {"idle",         "tail_count",    "unmap",
                                              "freeze_check", "clear_tail",    "finish",
                                              "remap",        "remap(-EBUSY)", "done"};
constexpr std::string_view kFreePcNames[] = {"owner maps H1", "owner unmapped"};
constexpr std::string_view kRefPcNames[] = {"idle", "holds ref on H1", "done"};

std::string flags_text(std::uint8_t f) {
  std::vector<std::string_view> names;
  if (f & kFlagTail) names.push_back("TAIL");
  if (f & kFlagDirty) names.push_back("DIRTY");
  return names.empty() ? "-" : join(names, "|");
}
std::string head_word_text(std::uint8_t v) {
  if (v == kListPtr) return "lru.next (bit 0 clear)";
  if (v & 1) return absl::StrCat(av(kPageNames[v >> 1]), "|1");
  return absl::StrCat(v);
}
std::string seen_text(std::uint8_t seen) {
  std::vector<std::string_view> names;
  for (PageRef p : {kH1, kH2, kT}) {
    if (seen & bit(p)) names.push_back(kPageNames[p]);
  }
  return names.empty() ? "-" : join(names, ",");
}

struct Spec {
  using State = compound_head::State;
  using Config = compound_head::Config;
  using Family = ActionFamily<State, Config>;
  using Prop = Property<State, Config>;

  static constexpr std::string_view name = "compound_head";
  static constexpr std::string_view summary =
      "lockless compound_head() vs THP split, free and re-allocation (2014-2016)";
  static constexpr DeadlockPolicy deadlock_policy = DeadlockPolicy::stuck;

  static std::span<const ProposalSpec> proposals() {
    static constexpr ProposalSpec kProposals[] = {
        {"B0-no-recheck",
         "<=v3.13: compound_head reads PG_tail then first_page; prep sets PG_tail first"},
        {"B1-double-check-rmb",
         "668f9abbd433: first_page, rmb, recheck PG_tail; prep writes first_page, wmb, PG_tail"},
        {"B1-PF-flags-rework",
         "B1 plus the 2015 page-flags rework: flag operations on a tail use compound_head()"},
        {"B2-scanner-raw-count",
         "B1-PF plus Kirill's fix: the compaction scanner reads T->_count, not page_count(T)"},
        {"B3-compound-head-word",
         "1d798ca3f164 (v4.4): one compound_head word (head|1) read once with READ_ONCE"},
        {"B4-ref-blocks-split",
         "B3 plus e9b61f19858a (v4.5): split unmaps, then proceeds only at page_count(H) == 1"},
    };
    return kProposals;
  }
  static std::span<const ParamSpec> params() {
    static constexpr ParamSpec kParams[] = {
        {"caller", 0, 0, 1,
         "RD: 0 = compaction scanner page_count(T), 1 = page-flag operation PageFoo(T)"},
        {"prep_h1", 0, 0, 1, "1: T starts free and ALLOC builds H1 around it (the 2014 race)"},
        {"realloc", 1, 0, 1, "1: after H1's free/split and reuse, ALLOC builds H2 around T"},
        {"ref_holder", 0, 0, 1, "1: REF takes a reference on H1 through its PTE (B-I2)"},
    };
    return kParams;
  }
  static Config configure(const RunConfig& run) {
    return Config{static_cast<Proposal>(run.proposal), static_cast<Caller>(run.params[0]),
                  run.params[1] != 0, run.params[2] != 0, run.params[3] != 0};
  }
  static State initial(const Config& c) {
    State s{};
    s.rd_ret = kNull;
    s.g_ref_head = kNull;
    if (c.prep_h1) {
      // T is free in the buddy: private == 0, or under v4.4 lru.next of the free list.
      s.stage = kStageBuddy;
      s.t_first_page = kNull;
      s.t_compound_head = c.head_word() ? kListPtr : 0;
    } else {
      // T is a tail of H1, which the owner maps once.
      s.stage = kStageTailH1;
      s.t_flags = c.head_word() ? 0 : kFlagTail;
      s.t_first_page = c.head_word() ? kNull : kH1;
      s.t_compound_head = c.head_word() ? tail_word(kH1) : 0;
      s.h1_count = 1;
      s.h1_mapcount = 1;
    }
    return s;
  }

  // Actor columns: rd, split, free, alloc, ref.
  static int rd_actor(const Config&, int) { return 0; }
  static int split_actor(const Config&, int) { return 1; }
  static int free_actor(const Config&, int) { return 2; }
  static int alloc_actor(const Config&, int) { return 3; }
  static int ref_actor(const Config&, int) { return 4; }

  // Which families exist in a configuration (count(cfg) == 0: absent).
  template <Reader... Rs>
  static int reader_is(const Config& c) {
    return ((c.reader() == Rs) || ...) ? 1 : 0;
  }
  static int old_layout(const Config& c) { return c.head_word() ? 0 : 1; }
  static int old_layout_alloc(const Config& c) { return old_layout(c) && any_alloc(c) ? 1 : 0; }
  static int word_layout_alloc(const Config& c) { return !old_layout(c) && any_alloc(c) ? 1 : 0; }
  static int any_alloc(const Config& c) { return c.prep_h1 || c.realloc ? 1 : 0; }
  static int old_split(const Config& c) { return c.new_split() ? 0 : 1; }
  static int new_split(const Config& c) { return c.new_split() ? 1 : 0; }
  static int ref_count(const Config& c) { return c.ref_holder ? 1 : 0; }

  // Ghost bookkeeping. Every change of T's lifecycle goes through set_stage,
  // so g_rd_seen holds every value g_head_of(T) took during RD's call.
  static void set_stage(State& s, Stage st) {
    s.stage = st;
    if (rd_in_call(s)) s.g_rd_seen |= bit(head_of(s));
  }
  // One load of RD: the call starts at its first load.
  static void rd_access(State& s) {
    s.g_rd_seen |= bit(head_of(s));
    if (s.alloc_done > 0) s.g_obs |= kObsDuringPrep;
    if (s.stage == kStageUnlinked) s.g_obs |= kObsAfterUntail;
    if (s.stage == kStageReused && s.alloc_done == 0) s.g_obs |= kObsReused;
  }
  static void rd_return(State& s, std::uint8_t page) {
    s.rd_ret = page;
    s.rd_h = kNull;
    s.rd_pc = kRdDone;
  }

  // prep_compound_page(): T is free in the buddy (before H1) or reused (before H2).
  static bool alloc_may_run(const Config& c, const State& s) {
    return s.stage == kStageBuddy || (s.stage == kStageReused && c.realloc);
  }
  static PageRef alloc_head(const State& s) { return s.stage == kStageBuddy ? kH1 : kH2; }
  static bool alloc_next_is(const Config& c, const State& s, AllocStep step) {
    return alloc_may_run(c, s) && c.alloc_step(s.alloc_done) == step;
  }
  // After each store of the prep; the last one makes T a tail of the new head.
  static void alloc_advance(const Config& c, State& s) {
    if (++s.alloc_done < c.alloc_steps()) return;
    s.alloc_done = 0;
    if (alloc_head(s) == kH1) {
      s.h1_count = 1;  // the owner's mapping of H1 (not a step: see the header)
      s.h1_mapcount = 1;
      set_stage(s, kStageTailH1);
    } else {
      set_stage(s, kStageTailH2);
    }
  }

  static bool split_running(const State& s) {
    return s.split_pc != kSplitIdle && s.split_pc != kSplitDone;
  }

  static std::span<const Family> actions() {
    static constexpr Family kFamilies[] = {
        // --- RD: the lockless caller -------------------------------------------------
        // compound_head() B0/B1: `if (PageTail(page))` -- t1 := R T->flags & PG_tail
        {"rd.read_tail", "", reader_is<kReaderB0, kReaderB1>,
         [](const Config&, const State& s, int) { return s.rd_pc == kRdIdle; },
         [](const Config&, State& s, int) {
           rd_access(s);
           if (s.t_flags & kFlagTail) {
             s.rd_pc = kRdReadFirstPage;
           } else {
             rd_return(s, kT);
           }
         },
         rd_actor},
        // B0: `return page->first_page;`  B1: `head = page->first_page;`
        {"rd.read_first_page", "", reader_is<kReaderB0, kReaderB1>,
         [](const Config&, const State& s, int) { return s.rd_pc == kRdReadFirstPage; },
         [](const Config& c, State& s, int) {
           rd_access(s);
           if (c.reader() == kReaderB0) {
             rd_return(s, s.t_first_page);
           } else {
             s.rd_h = s.t_first_page;
             s.rd_pc = kRdRecheck;
           }
         },
         rd_actor},
        // B1: `smp_rmb(); if (likely(PageTail(page))) return head;` else return page.
        // [weak, protocols.md §B.5 "B1 weak extra"]: no rmb orders read_tail before
        // read_first_page (only a control dependency), see Appendix L3.
        {"rd.recheck_tail", "", reader_is<kReaderB1>,
         [](const Config&, const State& s, int) { return s.rd_pc == kRdRecheck; },
         [](const Config&, State& s, int) {
           rd_access(s);
           rd_return(s, (s.t_flags & kFlagTail) ? s.rd_h : static_cast<std::uint8_t>(kT));
         },
         rd_actor},
        // B3/B4 compound_head(): `head = READ_ONCE(page->compound_head);
        // if (unlikely(head & 1)) return (struct page *)(head - 1); return page;`
        {"rd.read_compound_head", "", reader_is<kReaderWord>,
         [](const Config&, const State& s, int) { return s.rd_pc == kRdIdle; },
         [](const Config&, State& s, int) {
           rd_access(s);
           const std::uint8_t v = s.t_compound_head;
           rd_return(s,
                     (v & 1) ? static_cast<std::uint8_t>(v >> 1) : static_cast<std::uint8_t>(kT));
         },
         rd_actor},
        // B2 isolate_migratepages_block(): atomic_read(&page->_count) on T itself.
        {"rd.read_raw_count", "", reader_is<kReaderRawCount>,
         [](const Config&, const State& s, int) { return s.rd_pc == kRdIdle; },
         [](const Config&, State& s, int) {
           rd_access(s);
           rd_return(s, kT);
         },
         rd_actor},
        // Before the page-flags rework: PageFoo(page) = test_bit(PG_foo, &page->flags).
        {"rd.test_own_flag", "", reader_is<kReaderOwnFlag>,
         [](const Config&, const State& s, int) { return s.rd_pc == kRdIdle; },
         [](const Config&, State& s, int) {
           rd_access(s);
           rd_return(s, kT);
         },
         rd_actor},

        // --- ALLOC: prep_compound_page(head), per tail ------------------------------
        // __SetPageTail(p): plain R then W of p->flags (B0: first; B1: last, after smp_wmb())
        {"alloc.set_tail", "", old_layout_alloc,
         [](const Config& c, const State& s, int) { return alloc_next_is(c, s, kStepSetTail); },
         [](const Config& c, State& s, int) {
           s.t_flags |= kFlagTail;
           alloc_advance(c, s);
         },
         alloc_actor},
        // set_page_count(p, 0)
        {"alloc.set_count", "", any_alloc,
         [](const Config& c, const State& s, int) { return alloc_next_is(c, s, kStepSetCount); },
         [](const Config& c, State& s, int) {
           s.t_count = 0;
           alloc_advance(c, s);
         },
         alloc_actor},
        // p->first_page = page  (B1: followed by smp_wmb() "first_page is always valid
        // for PageTail()")
        {"alloc.set_first_page", "", old_layout_alloc,
         [](const Config& c, const State& s, int) {
           return alloc_next_is(c, s, kStepSetFirstPage);
         },
         [](const Config& c, State& s, int) {
           s.t_first_page = alloc_head(s);
           alloc_advance(c, s);
         },
         alloc_actor},
        // v4.4 set_compound_head(p, page): WRITE_ONCE(page->compound_head, head + 1)
        {"alloc.set_compound_head", "", word_layout_alloc,
         [](const Config& c, const State& s, int) {
           return alloc_next_is(c, s, kStepSetCompoundHead);
         },
         [](const Config& c, State& s, int) {
           s.t_compound_head = tail_word(alloc_head(s));
           alloc_advance(c, s);
         },
         alloc_actor},

        // --- SPLIT of H1 -------------------------------------------------------------
        // The split caller's get_page(H1) (it found H1 through the owner's PTE); old:
        // compound_lock(H1) + lru_lock, new (B4): lock_page(H1).
        {"split.get_ref", "", one<Config>,
         [](const Config&, const State& s, int) {
           return s.split_pc == kSplitIdle && s.stage == kStageTailH1 && s.h1_mapcount == 1;
         },
         [](const Config& c, State& s, int) {
           ++s.h1_count;
           s.split_pc = c.new_split() ? kSplitUnmap : kSplitTailCount;
         },
         split_actor},
        // __split_huge_page_refcount(): atomic_add(page_mapcount(page) +
        // page_mapcount(page_tail) + 1, &page_tail->_count); smp_mb__after_atomic()
        {"split.tail_count", "", old_split,
         [](const Config&, const State& s, int) { return s.split_pc == kSplitTailCount; },
         [](const Config&, State& s, int) {
           s.t_count = static_cast<std::uint8_t>(s.t_count + s.h1_mapcount + 1);
           s.split_pc = kSplitClearTail;
         },
         split_actor},
        // B4 freeze_page(): try_to_unmap() turns the owner's PTE into a migration entry
        // (page_remove_rmap + put_page of the mapping's reference).
        {"split.unmap", "", new_split,
         [](const Config&, const State& s, int) { return s.split_pc == kSplitUnmap; },
         [](const Config&, State& s, int) {
           s.h1_mapcount = 0;
           --s.h1_count;
           s.split_pc = kSplitFreezeCheck;
         },
         split_actor},
        // B4 under split_queue_lock: count = page_count(head); mapcount =
        // total_mapcount(head); if (!mapcount && count == 1) split, else -EBUSY.
        {"split.freeze_check", "", new_split,
         [](const Config&, const State& s, int) { return s.split_pc == kSplitFreezeCheck; },
         [](const Config&, State& s, int) {
           if (s.ref_pc == kRefHeld) s.g_obs |= kObsSplitWithRef;
           s.split_pc = (s.h1_mapcount == 0 && s.h1_count == 1) ? kSplitClearTail : kSplitRemapBusy;
         },
         split_actor},
        // old: page_tail->flags &= ~PAGE_FLAGS_CHECK_AT_PREP; flags |= PG_dirty etc.
        //      (one plain RMW of the word); v4.4 also clear_compound_head(page_tail);
        //      then smp_wmb() "clear PageTail before overwriting first_page".
        // B4 __split_huge_page_tail(): page_ref_inc(page_tail); flags as above;
        //      clear_compound_head(page_tail).
        {"split.clear_tail", "", one<Config>,
         [](const Config&, const State& s, int) { return s.split_pc == kSplitClearTail; },
         [](const Config& c, State& s, int) {
           if (!c.new_split() && s.ref_pc == kRefHeld) s.g_obs |= kObsSplitWithRef;
           if (c.new_split()) ++s.t_count;
           s.t_flags = static_cast<std::uint8_t>((s.t_flags & ~kFlagTail) | kFlagDirty);
           if (c.head_word()) s.t_compound_head = 0;
           set_stage(s, kStageUnlinked);
           s.split_pc = c.new_split() ? kSplitRemap : kSplitFinish;
         },
         split_actor},
        // old: page_tail->mapping/index = ...; atomic_sub(tail_count, &page->_count);
        //      compound_unlock; the caller's put_page(H1).
        {"split.finish", "", old_split,
         [](const Config&, const State& s, int) { return s.split_pc == kSplitFinish; },
         [](const Config&, State& s, int) {
           --s.h1_count;
           s.split_pc = kSplitDone;
         },
         split_actor},
        // B4 unfreeze_page() (after a split or -EBUSY): migration entry -> PTE again
        // (the mapping's reference back); unlock_page; the caller's put_page(H1).
        {"split.remap", "", new_split,
         [](const Config&, const State& s, int) {
           return s.split_pc == kSplitRemap || s.split_pc == kSplitRemapBusy;
         },
         [](const Config&, State& s, int) {
           s.h1_mapcount = 1;
           s.split_pc = kSplitDone;
         },
         split_actor},

        // --- FREE of H1, and T's next owner -------------------------------------------
        // The owner's zap: page_remove_rmap(H1); put_page(H1).
        {"free.put_page", "", one<Config>,
         [](const Config&, const State& s, int) {
           return s.free_pc == kFreeMapped && s.stage == kStageTailH1 && s.h1_mapcount == 1 &&
                  !split_running(s);
         },
         [](const Config&, State& s, int) {
           s.h1_mapcount = 0;
           --s.h1_count;
           s.free_pc = kFreeUnmapped;
         },
         free_actor},
        // After the last put_page: free_pages_prepare(): page->flags &=
        // ~PAGE_FLAGS_CHECK_AT_PREP (clears PG_tail); v4.4 free_tail_pages_check():
        // clear_compound_head(page).
        {"free.clear_tail", "", one<Config>,
         [](const Config&, const State& s, int) {
           return s.stage == kStageTailH1 && s.free_pc == kFreeUnmapped && s.h1_count == 0;
         },
         [](const Config& c, State& s, int) {
           s.t_flags = 0;
           if (c.head_word()) s.t_compound_head = 0;
           set_stage(s, kStageUnlinked);
         },
         free_actor},
        // T's next owner (buddy, slab, page table, or the owner of the split page until
        // it frees T) overwrites the union word: set_page_private(page, 0) -> first_page
        // == NULL; v4.4: list_add() -> lru.next with bit 0 clear. T ends up free: _count 0.
        {"free.new_owner_write", "", one<Config>,
         [](const Config&, const State& s, int) { return s.stage == kStageUnlinked; },
         [](const Config& c, State& s, int) {
           if (c.head_word()) {
             s.t_compound_head = kListPtr;
           } else {
             s.t_first_page = kNull;
           }
           s.t_count = 0;
           s.t_flags = 0;
           set_stage(s, kStageReused);
         },
         free_actor},

        // --- REF: a caller holding a reference on H1 (B-I2) ---------------------------
        // follow_page() under the PTL of the owner's PTE: get_page(compound_head(T)).
        // Not while a split runs (old: pmd_trans_splitting -> wait; B4: migration entry).
        {"ref.get_page", "", ref_count,
         [](const Config&, const State& s, int) {
           return s.ref_pc == kRefIdle && s.stage == kStageTailH1 && s.h1_mapcount == 1 &&
                  !split_running(s);
         },
         [](const Config&, State& s, int) {
           ++s.h1_count;
           s.g_ref_head = head_of(s);
           s.ref_pc = kRefHeld;
         },
         ref_actor},
        // put_page(H1)
        {"ref.put_page", "", ref_count,
         [](const Config&, const State& s, int) { return s.ref_pc == kRefHeld; },
         [](const Config&, State& s, int) {
           --s.h1_count;
           s.g_ref_head = kNull;
           s.ref_pc = kRefDone;
         },
         ref_actor},
    };
    return kFamilies;
  }

  static std::span<const Prop> properties() {
    static constexpr Prop kProps[] = {
        {PropertyKind::always, "returned_head_was_head_during_call",
         "B-I1 = INV-HEAD: compound_head(T) returns T or a head T had at some instant of the call",
         returned_head_was_head_during_call},
        {PropertyKind::always, "ref_holder_sees_same_head",
         "B-I2: while a reference on H is held, T stays a tail of H", ref_holder_sees_same_head},
        {PropertyKind::reachable, "rd_reads_during_prep",
         "RD loads T's words while prep_compound_page is half done", rd_reads_during_prep},
        {PropertyKind::reachable, "rd_reads_after_untail",
         "RD loads T's words after free/split untailed it, before its union word is rewritten",
         rd_reads_after_untail},
        {PropertyKind::reachable, "rd_reads_reused_page",
         "RD loads T's words after the next owner rewrote the union word", rd_reads_reused_page},
        {PropertyKind::reachable, "rd_completes_on_tail",
         "RD returns from a call during which T was a tail", rd_completes_on_tail},
        {PropertyKind::reachable, "split_separates_tail", "SPLIT takes T out of H1",
         split_separates_tail},
        {PropertyKind::reachable, "free_untails_t", "FREE frees H1 and clears T's tail marker",
         free_untails_t},
        {PropertyKind::reachable, "split_decides_while_ref_held",
         "with REF: SPLIT decides (B4: refcount check; old: clears the tail) while REF holds H1",
         split_decides_while_ref_held},
    };
    return kProps;
  }

  static std::vector<std::string> actors(const Config& c) {
    std::vector<std::string> names = {"rd CPU0", "split CPU1", "free CPU2", "alloc CPU3"};
    if (c.ref_holder) names.push_back("ref CPU4");
    return names;
  }

  static void describe(const Config& c, const State& s, FieldPrinter& p) {
    p.text("T.flags", flags_text(s.t_flags));
    if (c.head_word()) {
      p.text("T.compound_head", head_word_text(s.t_compound_head));
    } else {
      p.choice("T.first_page", s.t_first_page, kPageNames);
    }
    p.num("T._count", s.t_count);
    p.num("H1._count", s.h1_count);
    p.num("H1.mapcount", s.h1_mapcount);
    p.choice("T.stage", s.stage, kStageNames);
    p.choice("g_head_of(T)", head_of(s), kPageNames);
    p.num("alloc.stores_done", s.alloc_done);
    p.choice("split.pc", s.split_pc, kSplitPcNames);
    p.choice("free.pc", s.free_pc, kFreePcNames);
    if (c.ref_holder) {
      p.choice("ref.pc", s.ref_pc, kRefPcNames);
      p.text("g_ref_head", s.ref_pc == kRefHeld ? std::string(kPageNames[s.g_ref_head]) : "-");
    }
    p.choice("rd.pc", s.rd_pc, kRdPcNames);
    p.text("rd.h", s.rd_pc == kRdRecheck ? std::string(kPageNames[s.rd_h]) : "-");
    p.text("rd.ret", s.rd_pc == kRdDone ? std::string(kPageNames[s.rd_ret]) : "-");
    p.text("g_rd_seen", seen_text(s.g_rd_seen));
  }

  // Everyone finished: RD returned, T's lifecycle reached its last stage, no
  // split in flight, REF dropped its reference (or never found the page).
  static bool is_final(const Config& c, const State& s) {
    const Stage last = c.realloc ? kStageTailH2 : kStageReused;
    return s.rd_pc == kRdDone && s.stage == last && s.alloc_done == 0 && !split_running(s) &&
           s.ref_pc != kRefHeld;
  }
};

static_assert(SpecType<Spec>);

}  // namespace
}  // namespace mmcheck::mm::compound_head

namespace mmcheck {
void register_compound_head(Registry& r) { r.add(make_spec_entry<mm::compound_head::Spec>()); }
}  // namespace mmcheck

// File: spec/mm/compound_head.cpp
//
// The action table, proposals and registration of compound_head; the kernel
// references, the races, the memory locations and the abstractions are in
// compound_head.hpp.
#include "spec/mm/compound_head.hpp"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "mmcheck/kernel/primitives.hpp"
#include "mmcheck/memory/environment.hpp"
#include "mmcheck/memory/por.hpp"
#include "mmcheck/spec.hpp"
#include "mmcheck/text.hpp"
#include "properties/mm/compound_head.hpp"
#include "registry/models.hpp"

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
constexpr std::string_view kCpuNames[] = {"rd", "split", "free", "alloc", "ref"};

std::string flags_text(std::int32_t f) {
  std::vector<std::string_view> names;
  if (f & kFlagTail) names.push_back("TAIL");
  if (f & kFlagDirty) names.push_back("DIRTY");
  return names.empty() ? "-" : join(names, "|");
}
std::string head_word_text(std::int32_t v) {
  if (v == kListPtr) return "lru.next (bit 0 clear)";
  if ((v & 1) && (v >> 1) < 4) return absl::StrCat(av(kPageNames[v >> 1]), "|1");
  return absl::StrCat(v);
}
std::string page_text(std::int32_t v) {
  return v >= 0 && v < 4 ? std::string(kPageNames[v]) : absl::StrCat(v);
}
std::string seen_text(std::uint8_t seen) {
  std::vector<std::string_view> names;
  for (PageRef p : {kH1, kH2, kT}) {
    if (seen & bit(p)) names.push_back(kPageNames[p]);
  }
  return names.empty() ? "-" : join(names, ",");
}

template <memory::Model M>
struct Spec {
  using Machine = MachineOf<M>;
  using K = kernel::Kernel<Machine>;
  using Mem = typename Machine::Mem;
  using State = StateOf<M>;
  using Config = compound_head::Config;
  using Family = ActionFamily<State, Config>;
  using Prop = Property<State, Config>;
  static constexpr bool kWeak = M != memory::Model::sc;

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
        {"B1-extra-rmb",
         "[analysis] B1 plus smp_rmb() between PageTail() and the first_page load (§B.5, L3)"},
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

  // ---- memory --------------------------------------------------------------
  static int memory_cpus(const Config& c) { return c.ref_holder ? 5 : 4; }
  static int memory_locs(const Config&) { return kNumLocs; }
  // The locations RD's loads read (its views are the only ones kept).
  static std::uint64_t rd_reads(const Config& c) {
    switch (c.reader()) {
      case kReaderB0:
      case kReaderB1:
        return (1u << kLocFlags) | (1u << kLocHead);
      case kReaderWord:
        return 1u << kLocHead;
      case kReaderRawCount:
        return 0;
      case kReaderOwnFlag:
        return 1u << kLocFlags;
    }
    return 0;
  }
  // The location RD's next load reads when no smp_rmb precedes it in its step
  // (-1: none): the only moment an invalidation of RD matters (may_advance).
  static int rd_next_unfenced_load(const Config& c, const State& s) {
    if (s.rd_pc == kRdIdle) {
      switch (c.reader()) {
        case kReaderB0:
        case kReaderB1:
        case kReaderOwnFlag:
          return kLocFlags;
        case kReaderWord:
          return kLocHead;
        case kReaderRawCount:
          return -1;
      }
    }
    if (s.rd_pc == kRdReadFirstPage && !c.rmb_before_first_page()) return kLocHead;
    return -1;
  }
  static bool may_advance(const Config& c, const State& s, int cpu, int loc) {
    return cpu == kCpuRd && loc == rd_next_unfenced_load(c, s);
  }
  // CPUs that will not access memory again (and have drained their buffer) are
  // retired: their views and lkmm frontiers stop holding history.
  static bool cpu_done(const Config& c, const State& s, int cpu) {
    switch (cpu) {
      case kCpuRd:
        return s.rd_pc == kRdDone;
      case kCpuSplit:
        return s.split_pc == kSplitDone || (s.split_pc == kSplitIdle && s.stage > kStageTailH1);
      case kCpuFree:
        return s.stage >= kStageReused;
      case kCpuAlloc:
        return s.alloc_done == 0 &&
               (c.realloc ? s.stage == kStageTailH2 : (!c.prep_h1 || s.stage >= kStageTailH1));
      case kCpuRef:
        return s.ref_pc == kRefDone || (s.ref_pc == kRefIdle && s.stage > kStageTailH1);
    }
    return true;
  }
  static void settle(const Config& c, State& s) {
    if constexpr (kWeak) {
      for (int cpu = 0; cpu < memory_cpus(c); ++cpu) {
        if (Machine::sb_empty(s.mem, cpu) && cpu_done(c, s, cpu)) {
          Machine::set_relevant(s.mem, cpu, 0);
          Machine::retire(s.mem, cpu);
        }
      }
    }
    Machine::normalize(s.mem);
  }
  static void after_memory_step(const Config& c, State& s) { settle(c, s); }

  // n more stores fit into `cpu`'s store buffer.
  static bool room(const Mem& m, int cpu, int n) {
    return n == 0 || Machine::can_store(m, cpu, Machine::kSb - n + 1);
  }
  // A lifecycle hand-off step: spin_lock(L) ... `stores` stores ... spin_unlock(L).
  static bool can_handoff(const Mem& m, int cpu, int stores) {
    return K::can_spin_lock(m, cpu, kLocLock) && room(m, cpu, stores + 1);
  }

  static State initial(const Config& c) {
    State s{};
    std::int32_t init[kNumLocs] = {};
    s.rd_ret = kNull;
    s.g_ref_head = kNull;
    if (c.prep_h1) {
      // T is free in the buddy: private == 0, or under v4.4 lru.next of the free list.
      s.stage = kStageBuddy;
      init[kLocHead] = c.head_word() ? kListPtr : kNull;
    } else {
      // T is a tail of H1, which the owner maps once.
      s.stage = kStageTailH1;
      init[kLocFlags] = c.head_word() ? 0 : kFlagTail;
      init[kLocHead] = c.head_word() ? tail_word(kH1) : kH1;
      init[kLocH1Count] = 1;
      s.h1_mapcount = 1;
    }
    Machine::init(s.mem, init);
    if constexpr (kWeak) {
      for (int cpu = 0; cpu < Machine::kCpus; ++cpu) {
        Machine::set_relevant(s.mem, cpu, cpu == kCpuRd ? rd_reads(c) : 0);
        if (cpu >= memory_cpus(c)) Machine::retire(s.mem, cpu);
      }
      if constexpr (Machine::kLk) {
        // RD never reads or writes the other words: retire its frontier of them
        // (what retire() does for all words; a frontier of a word a CPU never
        // reads only delays values it can observe, and pins history).
        for (int l = 0; l < Machine::kLocs; ++l) {
          if (!((rd_reads(c) >> l) & 1)) Machine::prop(s.mem, kCpuRd, l) = memory::kDontCare;
        }
      }
    }
    settle(c, s);
    return s;
  }

  // Actor columns: rd, split, free, alloc, ref.
  static int rd_actor(const Config&, int) { return kCpuRd; }
  static int split_actor(const Config&, int) { return kCpuSplit; }
  static int free_actor(const Config&, int) { return kCpuFree; }
  static int alloc_actor(const Config&, int) { return kCpuAlloc; }
  static int ref_actor(const Config&, int) { return kCpuRef; }

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
  // Every head T has had up to now (the stages are passed in order).
  static std::uint8_t heads_so_far(const Config& c, const State& s) {
    std::uint8_t heads = bit(head_of(s));
    if (s.stage >= kStageTailH1) heads |= bit(kH1);
    if (c.prep_h1 || s.stage >= kStageUnlinked) heads |= bit(kT);
    return heads;
  }
  // One load of RD: the call starts at its first load.
  static void rd_access(State& s) {
    s.g_rd_seen |= bit(head_of(s));
    if (s.alloc_done > 0) s.g_obs |= kObsDuringPrep;
    if (s.stage == kStageUnlinked) s.g_obs |= kObsAfterUntail;
    if (s.stage == kStageReused && s.alloc_done == 0) s.g_obs |= kObsReused;
  }
  static void rd_return(const Config& c, State& s, std::int32_t page) {
    // Weak models: linearizable at any instant up to the return (spec header).
    if constexpr (kWeak) s.g_rd_seen |= heads_so_far(c, s);
    s.rd_ret = static_cast<std::uint8_t>(page);
    s.rd_h = kNull;
    s.rd_pc = kRdDone;
  }
  static bool rd_tail(const Mem& m) { return K::test_bit(m, kCpuRd, kBitTail, kLocFlags); }

  // prep_compound_page(): T is free in the buddy (before H1) or reused (before H2).
  static bool alloc_may_run(const Config& c, const State& s) {
    return s.stage == kStageBuddy || (s.stage == kStageReused && c.realloc);
  }
  static PageRef alloc_head(const State& s) { return s.stage == kStageBuddy ? kH1 : kH2; }
  static bool alloc_last(const Config& c, const State& s) {
    return s.alloc_done + 1 == c.alloc_steps();
  }
  // One store of the prep. The first one takes L (T comes from the buddy), the
  // last one releases it (the compound page is published) and makes T a tail.
  static bool alloc_can(const Config& c, const State& s, AllocStep step) {
    if (!alloc_may_run(c, s) || c.alloc_step(s.alloc_done) != step) return false;
    // The store (set_page_count: spec state), and at the end H1's refcount (prep
    // of H1) and the release of L.
    const int stores = (step == kStepSetCount ? 0 : 1) +
                       (alloc_last(c, s) ? 1 + (alloc_head(s) == kH1 ? 1 : 0) : 0);
    if (s.alloc_done == 0) return can_handoff(s.mem, kCpuAlloc, stores);
    return room(s.mem, kCpuAlloc, stores);
  }
  template <typename Store>
  static void alloc_store(const Config& c, State& s, Store store) {
    if (s.alloc_done == 0) K::spin_lock(s.mem, kCpuAlloc, kLocLock);
    store(s, alloc_head(s));
    if (++s.alloc_done == c.alloc_steps()) {
      s.alloc_done = 0;
      if (alloc_head(s) == kH1) {
        // The owner's mapping of H1 (not a step: see the header).
        K::atomic_set(s.mem, kCpuAlloc, kLocH1Count, 1);
        s.h1_mapcount = 1;
        K::spin_unlock(s.mem, kCpuAlloc, kLocLock);
        set_stage(s, kStageTailH1);
      } else {
        K::spin_unlock(s.mem, kCpuAlloc, kLocLock);
        set_stage(s, kStageTailH2);
      }
    }
    settle(c, s);
  }

  static bool split_running(const State& s) {
    return s.split_pc != kSplitIdle && s.split_pc != kSplitDone;
  }

  static std::span<const Family> actions() {
    static constexpr Family kFamilies[] = {
        // --- RD: the lockless caller -------------------------------------------------
        // compound_head() B0/B1: `if (PageTail(page))` -- t1 := test_bit(PG_tail, &T->flags)
        {"rd.read_tail", "", reader_is<kReaderB0, kReaderB1>,
         [](const Config&, const State& s, int) { return s.rd_pc == kRdIdle; },
         [](const Config& c, State& s, int) {
           rd_access(s);
           if (rd_tail(s.mem)) {
             s.rd_pc = kRdReadFirstPage;
           } else {
             rd_return(c, s, kT);
           }
           settle(c, s);
         },
         rd_actor},
        // B0: `return page->first_page;`  B1: `head = page->first_page;` (a plain load,
        // ordered after the PageTail() load only by a control dependency, i.e. not at
        // all; B1-extra-rmb: smp_rmb() first).
        {"rd.read_first_page", "", reader_is<kReaderB0, kReaderB1>,
         [](const Config&, const State& s, int) { return s.rd_pc == kRdReadFirstPage; },
         [](const Config& c, State& s, int) {
           rd_access(s);
           if (c.rmb_before_first_page()) K::smp_rmb(s.mem, kCpuRd);
           const std::int32_t h = K::read_once(s.mem, kCpuRd, kLocHead);
           if (c.reader() == kReaderB0) {
             rd_return(c, s, h);
           } else {
             s.rd_h = static_cast<std::uint8_t>(h);
             s.rd_pc = kRdRecheck;
           }
           settle(c, s);
         },
         rd_actor},
        // B1: `smp_rmb(); if (likely(PageTail(page))) return head;` else return page.
        {"rd.recheck_tail", "", reader_is<kReaderB1>,
         [](const Config&, const State& s, int) { return s.rd_pc == kRdRecheck; },
         [](const Config& c, State& s, int) {
           rd_access(s);
           K::smp_rmb(s.mem, kCpuRd);
           rd_return(c, s, rd_tail(s.mem) ? s.rd_h : static_cast<std::uint8_t>(kT));
           settle(c, s);
         },
         rd_actor},
        // B3/B4 compound_head(): `head = READ_ONCE(page->compound_head);
        // if (unlikely(head & 1)) return (struct page *)(head - 1); return page;`
        {"rd.read_compound_head", "", reader_is<kReaderWord>,
         [](const Config&, const State& s, int) { return s.rd_pc == kRdIdle; },
         [](const Config& c, State& s, int) {
           rd_access(s);
           const std::int32_t v = K::read_once(s.mem, kCpuRd, kLocHead);
           rd_return(c, s, (v & 1) ? v >> 1 : static_cast<std::int32_t>(kT));
           settle(c, s);
         },
         rd_actor},
        // B2 isolate_migratepages_block(): atomic_read(&page->_count) on T itself.
        {"rd.read_raw_count", "", reader_is<kReaderRawCount>,
         [](const Config&, const State& s, int) { return s.rd_pc == kRdIdle; },
         [](const Config& c, State& s, int) {
           rd_access(s);
           (void)s.t_count;  // atomic_read(&T->_count): the value is not used
           rd_return(c, s, kT);
           settle(c, s);
         },
         rd_actor},
        // Before the page-flags rework: PageFoo(page) = test_bit(PG_foo, &page->flags).
        {"rd.test_own_flag", "", reader_is<kReaderOwnFlag>,
         [](const Config&, const State& s, int) { return s.rd_pc == kRdIdle; },
         [](const Config& c, State& s, int) {
           rd_access(s);
           (void)K::test_bit(s.mem, kCpuRd, kBitDirty, kLocFlags);
           rd_return(c, s, kT);
           settle(c, s);
         },
         rd_actor},

        // --- ALLOC: prep_compound_page(head), per tail ------------------------------
        // __SetPageTail(p): plain R then W of p->flags (B0: first; B1: last, after smp_wmb())
        {"alloc.set_tail", "", old_layout_alloc,
         [](const Config& c, const State& s, int) { return alloc_can(c, s, kStepSetTail); },
         [](const Config& c, State& s, int) {
           alloc_store(c, s, [&c](State& t, PageRef) {
             if (c.prep_wmb()) K::smp_wmb(t.mem, kCpuAlloc);
             K::nonatomic_set_bit(t.mem, kCpuAlloc, kBitTail, kLocFlags);
           });
         },
         alloc_actor},
        // set_page_count(p, 0) (T->_count is spec state)
        {"alloc.set_count", "", any_alloc,
         [](const Config& c, const State& s, int) { return alloc_can(c, s, kStepSetCount); },
         [](const Config& c, State& s, int) {
           alloc_store(c, s, [](State& t, PageRef) { t.t_count = 0; });
         },
         alloc_actor},
        // p->first_page = page  (B1: followed by smp_wmb() "first_page is always valid
        // for PageTail()", executed at the start of alloc.set_tail)
        {"alloc.set_first_page", "", old_layout_alloc,
         [](const Config& c, const State& s, int) { return alloc_can(c, s, kStepSetFirstPage); },
         [](const Config& c, State& s, int) {
           alloc_store(c, s,
                       [](State& t, PageRef h) { K::write_once(t.mem, kCpuAlloc, kLocHead, h); });
         },
         alloc_actor},
        // v4.4 set_compound_head(p, page): WRITE_ONCE(page->compound_head, head + 1)
        {"alloc.set_compound_head", "", word_layout_alloc,
         [](const Config& c, const State& s, int) { return alloc_can(c, s, kStepSetCompoundHead); },
         [](const Config& c, State& s, int) {
           alloc_store(c, s, [](State& t, PageRef h) {
             K::write_once(t.mem, kCpuAlloc, kLocHead, tail_word(h));
           });
         },
         alloc_actor},

        // --- SPLIT of H1 -------------------------------------------------------------
        // The split caller's get_page(H1) (atomic_inc; it found H1 through the owner's
        // PTE under the PTL); old: compound_lock(H1) + lru_lock, new (B4): lock_page(H1).
        {"split.get_ref", "", one<Config>,
         [](const Config&, const State& s, int) {
           return s.split_pc == kSplitIdle && s.stage == kStageTailH1 && s.h1_mapcount == 1 &&
                  can_handoff(s.mem, kCpuSplit, 0);
         },
         [](const Config& c, State& s, int) {
           K::spin_lock(s.mem, kCpuSplit, kLocLock);
           K::atomic_add(s.mem, kCpuSplit, kLocH1Count, 1);
           K::spin_unlock(s.mem, kCpuSplit, kLocLock);
           s.split_pc = c.new_split() ? kSplitUnmap : kSplitTailCount;
           settle(c, s);
         },
         split_actor},
        // __split_huge_page_refcount(): atomic_add(page_mapcount(page) +
        // page_mapcount(page_tail) + 1, &page_tail->_count) (T->_count is spec state);
        // its smp_mb__after_atomic() runs at the start of split.clear_tail.
        {"split.tail_count", "", old_split,
         [](const Config&, const State& s, int) { return s.split_pc == kSplitTailCount; },
         [](const Config& c, State& s, int) {
           s.t_count = static_cast<std::uint8_t>(s.t_count + s.h1_mapcount + 1);
           s.split_pc = kSplitClearTail;
           settle(c, s);
         },
         split_actor},
        // B4 freeze_page(): try_to_unmap() under the PTL turns the owner's PTE into a
        // migration entry (page_remove_rmap + put_page of the mapping's reference).
        {"split.unmap", "", new_split,
         [](const Config&, const State& s, int) {
           return s.split_pc == kSplitUnmap && can_handoff(s.mem, kCpuSplit, 0);
         },
         [](const Config& c, State& s, int) {
           K::spin_lock(s.mem, kCpuSplit, kLocLock);
           s.h1_mapcount = 0;
           K::atomic_add(s.mem, kCpuSplit, kLocH1Count, -1);
           K::spin_unlock(s.mem, kCpuSplit, kLocLock);
           s.split_pc = kSplitFreezeCheck;
           settle(c, s);
         },
         split_actor},
        // B4 under split_queue_lock: count = page_count(head) (atomic_read); mapcount =
        // total_mapcount(head); if (!mapcount && count == 1) split, else -EBUSY.
        {"split.freeze_check", "", new_split,
         [](const Config&, const State& s, int) { return s.split_pc == kSplitFreezeCheck; },
         [](const Config& c, State& s, int) {
           if (s.ref_pc == kRefHeld) s.g_obs |= kObsSplitWithRef;
           const std::int32_t count = K::atomic_read(s.mem, kCpuSplit, kLocH1Count);
           s.split_pc = (s.h1_mapcount == 0 && count == 1) ? kSplitClearTail : kSplitRemapBusy;
           settle(c, s);
         },
         split_actor},
        // old: [smp_mb__after_atomic()]; page_tail->flags &= ~PAGE_FLAGS_CHECK_AT_PREP;
        //      flags |= PG_dirty etc. (one plain RMW of the word); v4.4 also
        //      clear_compound_head(page_tail); then smp_wmb() "clear PageTail before
        //      overwriting first_page".
        // B4 __split_huge_page_tail(): page_ref_inc(page_tail); flags as above; smp_wmb()
        //      "Page flags must be visible before we make the page non-compound";
        //      clear_compound_head(page_tail).
        // Then the locks are dropped (L: the hand-off to T's next owner).
        {"split.clear_tail", "", one<Config>,
         [](const Config& c, const State& s, int) {
           return s.split_pc == kSplitClearTail &&
                  (c.new_split() || K::can_smp_mb__after_atomic(s.mem, kCpuSplit)) &&
                  can_handoff(s.mem, kCpuSplit, c.head_word() ? 2 : 1);
         },
         [](const Config& c, State& s, int) {
           if (!c.new_split()) {
             if (s.ref_pc == kRefHeld) s.g_obs |= kObsSplitWithRef;
             K::smp_mb(s.mem, kCpuSplit);
           }
           K::spin_lock(s.mem, kCpuSplit, kLocLock);
           if (c.new_split()) ++s.t_count;  // page_ref_inc(page_tail)
           const std::int32_t f = K::read_once(s.mem, kCpuSplit, kLocFlags);
           K::write_once(s.mem, kCpuSplit, kLocFlags, (f & ~kFlagTail) | kFlagDirty);
           if (c.new_split()) K::smp_wmb(s.mem, kCpuSplit);
           if (c.head_word()) K::write_once(s.mem, kCpuSplit, kLocHead, 0);
           if (!c.new_split()) K::smp_wmb(s.mem, kCpuSplit);
           K::spin_unlock(s.mem, kCpuSplit, kLocLock);
           set_stage(s, kStageUnlinked);
           s.split_pc = c.new_split() ? kSplitRemap : kSplitFinish;
           settle(c, s);
         },
         split_actor},
        // old: page_tail->mapping/index = ...; atomic_sub(tail_count, &page->_count);
        //      compound_unlock; the caller's put_page(H1) (atomic_dec_and_test: full).
        {"split.finish", "", old_split,
         [](const Config&, const State& s, int) {
           return s.split_pc == kSplitFinish &&
                  K::can_rmw(s.mem, kCpuSplit, kLocH1Count, memory::Ord::full);
         },
         [](const Config& c, State& s, int) {
           K::atomic_add_return(s.mem, kCpuSplit, kLocH1Count, -1);
           s.split_pc = kSplitDone;
           settle(c, s);
         },
         split_actor},
        // B4 unfreeze_page() (after a split or -EBUSY): migration entry -> PTE again
        // (the mapping's reference back); unlock_page; the caller's put_page(H1).
        {"split.remap", "", new_split,
         [](const Config&, const State& s, int) {
           return s.split_pc == kSplitRemap || s.split_pc == kSplitRemapBusy;
         },
         [](const Config& c, State& s, int) {
           s.h1_mapcount = 1;
           s.split_pc = kSplitDone;
           settle(c, s);
         },
         split_actor},

        // --- FREE of H1, and T's next owner -------------------------------------------
        // The owner's zap under the PTL: page_remove_rmap(H1); put_page(H1).
        {"free.put_page", "", one<Config>,
         [](const Config&, const State& s, int) {
           return s.free_pc == kFreeMapped && s.stage == kStageTailH1 && s.h1_mapcount == 1 &&
                  !split_running(s) && can_handoff(s.mem, kCpuFree, 0);
         },
         [](const Config& c, State& s, int) {
           K::spin_lock(s.mem, kCpuFree, kLocLock);
           s.h1_mapcount = 0;
           K::atomic_add(s.mem, kCpuFree, kLocH1Count, -1);
           K::spin_unlock(s.mem, kCpuFree, kLocLock);
           s.free_pc = kFreeUnmapped;
           settle(c, s);
         },
         free_actor},
        // After the last put_page (the newest H1->_count is 0): v4.4
        // free_tail_pages_check(): clear_compound_head(page); free_pages_check():
        // page->flags &= ~PAGE_FLAGS_CHECK_AT_PREP (clears PG_tail and every modelled
        // bit, so the value it reads does not matter: a store of 0).
        {"free.clear_tail", "", one<Config>,
         [](const Config& c, const State& s, int) {
           return s.stage == kStageTailH1 && s.free_pc == kFreeUnmapped &&
                  Machine::newest(s.mem, kLocH1Count) == 0 &&
                  can_handoff(s.mem, kCpuFree, c.head_word() ? 2 : 1);
         },
         [](const Config& c, State& s, int) {
           K::spin_lock(s.mem, kCpuFree, kLocLock);
           if (c.head_word()) K::write_once(s.mem, kCpuFree, kLocHead, 0);
           K::write_once(s.mem, kCpuFree, kLocFlags, 0);
           K::spin_unlock(s.mem, kCpuFree, kLocLock);
           set_stage(s, kStageUnlinked);
           settle(c, s);
         },
         free_actor},
        // T's next owner (buddy, slab, page table, or the owner of the split page until
        // it frees T) overwrites the union word: set_page_private(page, 0) -> first_page
        // == NULL; v4.4: list_add() -> lru.next with bit 0 clear. T ends up free: _count 0,
        // flags 0. It got T through L (zone->lock), and hands it on through L.
        {"free.new_owner_write", "", one<Config>,
         [](const Config&, const State& s, int) {
           return s.stage == kStageUnlinked && can_handoff(s.mem, kCpuFree, 2);
         },
         [](const Config& c, State& s, int) {
           K::spin_lock(s.mem, kCpuFree, kLocLock);
           K::write_once(s.mem, kCpuFree, kLocHead, c.head_word() ? kListPtr : kNull);
           s.t_count = 0;
           K::write_once(s.mem, kCpuFree, kLocFlags, 0);
           K::spin_unlock(s.mem, kCpuFree, kLocLock);
           set_stage(s, kStageReused);
           settle(c, s);
         },
         free_actor},

        // --- REF: a caller holding a reference on H1 (B-I2) ---------------------------
        // follow_page() under the PTL of the owner's PTE: get_page(compound_head(T)).
        // Not while a split runs (old: pmd_trans_splitting -> wait; B4: migration entry).
        {"ref.get_page", "", ref_count,
         [](const Config&, const State& s, int) {
           return s.ref_pc == kRefIdle && s.stage == kStageTailH1 && s.h1_mapcount == 1 &&
                  !split_running(s) && can_handoff(s.mem, kCpuRef, 0);
         },
         [](const Config& c, State& s, int) {
           K::spin_lock(s.mem, kCpuRef, kLocLock);
           K::atomic_add(s.mem, kCpuRef, kLocH1Count, 1);
           K::spin_unlock(s.mem, kCpuRef, kLocLock);
           s.g_ref_head = head_of(s);
           s.ref_pc = kRefHeld;
           settle(c, s);
         },
         ref_actor},
        // put_page(H1): atomic_dec_and_test (full)
        {"ref.put_page", "", ref_count,
         [](const Config&, const State& s, int) {
           return s.ref_pc == kRefHeld &&
                  K::can_rmw(s.mem, kCpuRef, kLocH1Count, memory::Ord::full);
         },
         [](const Config& c, State& s, int) {
           K::atomic_add_return(s.mem, kCpuRef, kLocH1Count, -1);
           s.g_ref_head = kNull;
           s.ref_pc = kRefDone;
           settle(c, s);
         },
         ref_actor},
    };
    return memory::with_environment<Spec>(kFamilies);
  }

  static std::span<const Prop> properties() {
    static constexpr Prop kProps[] = {
        {PropertyKind::always, "returned_head_was_head_during_call",
         "B-I1 = INV-HEAD: compound_head(T) returns T or a head T had at some instant of the call",
         returned_head_was_head_during_call<State>},
        {PropertyKind::always, "ref_holder_sees_same_head",
         "B-I2: while a reference on H is held, T stays a tail of H",
         ref_holder_sees_same_head<State>},
        {PropertyKind::reachable, "rd_reads_during_prep",
         "RD loads T's words while prep_compound_page is half done", rd_reads_during_prep<State>},
        {PropertyKind::reachable, "rd_reads_after_untail",
         "RD loads T's words after free/split untailed it, before its union word is rewritten",
         rd_reads_after_untail<State>},
        {PropertyKind::reachable, "rd_reads_reused_page",
         "RD loads T's words after the next owner rewrote the union word",
         rd_reads_reused_page<State>},
        {PropertyKind::reachable, "rd_completes_on_tail",
         "RD returns from a call during which T was a tail", rd_completes_on_tail<State>},
        {PropertyKind::reachable, "split_separates_tail", "SPLIT takes T out of H1",
         split_separates_tail<State>},
        {PropertyKind::reachable, "free_untails_t", "FREE frees H1 and clears T's tail marker",
         free_untails_t<State>},
        {PropertyKind::reachable, "split_decides_while_ref_held",
         "with REF: SPLIT decides (B4: refcount check; old: clears the tail) while REF holds H1",
         split_decides_while_ref_held<State>},
    };
    return kProps;
  }
  // REF's invariant and guard exist only with REF; the prep guard only with an ALLOC.
  static bool applies(const Config& c, std::string_view property) {
    if (property == "ref_holder_sees_same_head" || property == "split_decides_while_ref_held") {
      return c.ref_holder;
    }
    if (property == "rd_reads_during_prep") return any_alloc(c) != 0;
    return true;
  }

  // ---- partial-order reduction (--por; memory/por.hpp) ------------------------
  // Actors are the CPUs (rd, split, free, alloc, ref); a CPU's mem.commit
  // steps are its own. Resources: bits 0..kLocs-1 are the memory words; the
  // spec-level words several actors read or write: stage, h1_mapcount,
  // alloc_done (rd_access reads it), split_running() (free/ref guards),
  // t_count and g_rd_seen (rd and set_stage); and each actor's program
  // counter and registers (rd's is read by set_stage, ref's by split's
  // decision, the others for visibility). g_obs is counted as a register of
  // the actor setting a bit: it is only ever or-ed and no step reads it.
  using Por = memory::Por<Machine>;
  static constexpr std::uint64_t rbit(int k) { return std::uint64_t{1} << k; }
  static constexpr std::uint64_t kRStage = rbit(Machine::kLocs);
  static constexpr std::uint64_t kRMap = rbit(Machine::kLocs + 1);
  static constexpr std::uint64_t kRAlloc = rbit(Machine::kLocs + 2);
  static constexpr std::uint64_t kRSplitRun = rbit(Machine::kLocs + 3);
  static constexpr std::uint64_t kRTCount = rbit(Machine::kLocs + 4);
  static constexpr std::uint64_t kRSeen = rbit(Machine::kLocs + 5);
  static constexpr std::uint64_t kRRdPc = rbit(Machine::kLocs + 6);
  static constexpr std::uint64_t kRSplitPc = rbit(Machine::kLocs + 7);
  static constexpr std::uint64_t kRFreePc = rbit(Machine::kLocs + 8);
  static constexpr std::uint64_t kRRefPc = rbit(Machine::kLocs + 9);
  // For visibility, what the properties read of stage and split_pc, written
  // by every step that may change it: g_head_of(T); "T is untailed";
  // split_pc in {finish, remap}; g_obs's kObsSplitWithRef.
  static constexpr std::uint64_t kRHeadOf = rbit(Machine::kLocs + 10);
  static constexpr std::uint64_t kRUnlinked = rbit(Machine::kLocs + 11);
  static constexpr std::uint64_t kRSplitSep = rbit(Machine::kLocs + 12);
  static constexpr std::uint64_t kRSplitDecide = rbit(Machine::kLocs + 13);
  static constexpr std::uint64_t loc(int l) { return rbit(l); }
  // spin_lock(L) ... spin_unlock(L) (guard: L free).
  static void handoff_fp(Footprint& f) { Por::rmw(f, loc(kLocLock)); }
  // set_stage(): stage, and g_rd_seen if RD is in its call (`seen`: RD may
  // be in its call when the step runs; a step's next footprint in a state
  // where RD is not writes no g_rd_seen, and RD's own steps write rd_pc).
  static void stage_fp(Footprint& f, bool seen) {
    Por::rmw(f, kRStage);
    if (seen) Por::rmw(f, kRSeen);
    f.reads |= kRRdPc;
  }
  // RD's step at `pc` (its reader decides which).
  static Footprint rd_step(const Config& c, int pc) {
    Footprint f{kRStage | kRAlloc, kRRdPc};  // rd_access, rd_return
    Por::rmw(f, kRSeen);
    switch (pc) {
      case kRdIdle:
        if (c.reader() == kReaderWord) f.reads |= loc(kLocHead);
        if (c.reader() != kReaderWord && c.reader() != kReaderRawCount) {
          f.reads |= loc(kLocFlags);
        }
        break;
      case kRdReadFirstPage:
        f.reads |= loc(kLocHead);
        break;
      case kRdRecheck:
        f.reads |= loc(kLocFlags);
        break;
      default:
        return {};
    }
    return f;
  }
  // ALLOC's i-th store of a prep (h1: of H1, which also sets H1's count and
  // mapping).
  static Footprint alloc_store_fp(const Config& c, int i, bool h1, bool seen) {
    Footprint f{kRStage, 0};
    Por::rmw(f, kRAlloc);
    if (i == 0) handoff_fp(f);
    switch (c.alloc_step(i)) {
      case kStepSetTail:
        Por::rmw(f, loc(kLocFlags));
        break;
      case kStepSetCount:
        f.writes |= kRTCount;
        break;
      case kStepSetFirstPage:
      case kStepSetCompoundHead:
        f.writes |= loc(kLocHead);
        break;
      case kStepNone:
        break;
    }
    if (i + 1 == c.alloc_steps()) {
      handoff_fp(f);
      stage_fp(f, seen);
      f.writes |= kRHeadOf;
      if (h1) {
        f.writes |= loc(kLocH1Count);
        Por::rmw(f, kRMap);
      }
    }
    return f;
  }
  static Footprint split_step(const Config& c, int pc, bool seen) {
    Footprint f{0, kRSplitPc};
    switch (pc) {
      case kSplitIdle:
        f.reads |= kRStage | kRMap;
        handoff_fp(f);
        Por::rmw(f, loc(kLocH1Count) | kRSplitRun);
        break;
      case kSplitTailCount:
        f.reads |= kRMap;
        Por::rmw(f, kRTCount);
        break;
      case kSplitUnmap:
        handoff_fp(f);
        Por::rmw(f, kRMap | loc(kLocH1Count));
        break;
      case kSplitFreezeCheck:
        f.reads |= kRRefPc | kRMap | loc(kLocH1Count);
        f.writes |= kRSplitDecide;
        break;
      case kSplitClearTail:
        f.reads |= kRRefPc;
        handoff_fp(f);
        Por::rmw(f, kRTCount | loc(kLocFlags) | loc(kLocHead));
        stage_fp(f, seen);
        f.writes |= kRHeadOf | kRUnlinked | kRSplitSep | kRSplitDecide;
        break;
      case kSplitFinish:
        Por::rmw(f, loc(kLocH1Count) | kRSplitRun);
        f.writes |= kRSplitSep;
        break;
      case kSplitRemap:
      case kSplitRemapBusy:
        Por::rmw(f, kRMap | kRSplitRun);
        f.writes |= kRSplitSep;
        break;
      default:
        return {};
    }
    (void)c;
    return f;
  }
  static bool split_uses(const Config& c, int pc) {
    switch (pc) {
      case kSplitTailCount:
      case kSplitFinish:
        return !c.new_split();
      case kSplitUnmap:
      case kSplitFreezeCheck:
      case kSplitRemap:
      case kSplitRemapBusy:
        return c.new_split();
      default:
        return true;
    }
  }
  // FREE's three steps: the owner's put_page, clear_tail, the next owner.
  static Footprint free_put_page_fp() {
    Footprint f{kRStage | kRMap | kRSplitRun, kRFreePc};
    handoff_fp(f);
    Por::rmw(f, kRMap | loc(kLocH1Count) | kRFreePc);
    return f;
  }
  static Footprint free_clear_tail_fp(bool seen) {
    Footprint f{kRStage | kRFreePc | loc(kLocH1Count), 0};
    handoff_fp(f);
    f.writes |= loc(kLocHead) | loc(kLocFlags) | kRHeadOf | kRUnlinked;
    stage_fp(f, seen);
    return f;
  }
  static Footprint free_new_owner_fp(bool seen) {
    Footprint f{kRStage, kRTCount | loc(kLocHead) | loc(kLocFlags) | kRUnlinked};
    handoff_fp(f);
    stage_fp(f, seen);
    return f;
  }
  static Footprint ref_step(int pc) {
    Footprint f{0, kRRefPc};
    switch (pc) {
      case kRefIdle:
        f.reads |= kRStage | kRMap | kRSplitRun;
        handoff_fp(f);
        Por::rmw(f, loc(kLocH1Count));
        break;
      case kRefHeld:
        Por::rmw(f, loc(kLocH1Count));
        break;
      default:
        return {};
    }
    return f;
  }
  // Steps of actor `a` in `s` (future: from `s` on). stage only grows
  // (buddy, tail of H1, untailed, reused, tail of H2), so a step whose guard
  // needs an earlier stage is never enabled again.
  static Footprint por_steps(const Config& c, const State& s, int a, bool future) {
    Footprint f;
    const bool seen = future || rd_in_call(s);
    switch (a) {
      case kCpuRd:
        if (!future) return rd_step(c, s.rd_pc);
        for (int k = s.rd_pc; k < kRdDone; ++k) f |= rd_step(c, k);
        return f;
      case kCpuSplit:
        if (cpu_done(c, s, kCpuSplit)) return {};
        if (!future) return split_step(c, s.split_pc, seen);
        // SplitPc is in program order (old: idle, tail_count, clear_tail,
        // finish; B4: idle, unmap, freeze_check, clear_tail | remap_busy, remap).
        for (int k = s.split_pc; k < kSplitDone; ++k) {
          if (split_uses(c, k)) f |= split_step(c, k, seen);
        }
        return f;
      case kCpuFree:
        if (cpu_done(c, s, kCpuFree)) return {};
        if (s.free_pc == kFreeMapped && s.stage <= kStageTailH1) f |= free_put_page_fp();
        if ((s.free_pc == kFreeUnmapped || future) && s.stage <= kStageTailH1) {
          f |= free_clear_tail_fp(seen);
        }
        f |= free_new_owner_fp(seen);
        return f;
      case kCpuAlloc: {
        if (cpu_done(c, s, kCpuAlloc)) return {};
        const bool h1 = s.stage == kStageBuddy;
        if (!future) return alloc_store_fp(c, s.alloc_done, h1, seen);
        for (int i = 0; i < c.alloc_steps(); ++i) f |= alloc_store_fp(c, i, h1, seen);
        return f;
      }
      case kCpuRef:
        if (!c.ref_holder || cpu_done(c, s, kCpuRef)) return {};
        if (!future) return ref_step(s.ref_pc);
        for (int k = s.ref_pc; k < kRefDone; ++k) f |= ref_step(k);
        return f;
      default:
        return {};
    }
  }
  static Footprint por_next(const Config& c, const State& s, int a) {
    return Por::cpu(por_steps(c, s, a, false), s.mem, a);
  }
  static Footprint por_future(const Config& c, const State& s, int a) {
    return Por::cpu(por_steps(c, s, a, true), s.mem, a);
  }
  // What each property reads.
  static std::uint64_t por_visible(const Config&, int property) {
    const std::string_view n = properties()[static_cast<std::size_t>(property)].name;
    if (n == "returned_head_was_head_during_call" || n == "rd_completes_on_tail") {
      return kRRdPc | kRSeen;
    }
    if (n == "ref_holder_sees_same_head") return kRRefPc | kRHeadOf;
    if (n == "rd_reads_during_prep" || n == "rd_reads_after_untail" ||
        n == "rd_reads_reused_page") {
      return kRRdPc;
    }
    if (n == "split_separates_tail") return kRSplitSep;
    if (n == "split_decides_while_ref_held") return kRSplitDecide;
    if (n == "free_untails_t") return kRUnlinked | kRFreePc;
    return ~std::uint64_t{0};  // a property added without its reads: every step visible
  }

  static std::vector<std::string> actors(const Config& c) {
    std::vector<std::string> names = {"rd CPU0", "split CPU1", "free CPU2", "alloc CPU3"};
    if (c.ref_holder) names.push_back("ref CPU4");
    return names;
  }

  // The newest value of each word (coherence order); under weak models also
  // every CPU's store buffer and RD's stale views, and L.
  static void describe(const Config& c, const State& s, FieldPrinter& p) {
    const Mem& m = s.mem;
    p.text("T.flags", flags_text(Machine::newest(m, kLocFlags)));
    if (c.head_word()) {
      p.text("T.compound_head", head_word_text(Machine::newest(m, kLocHead)));
    } else {
      p.text("T.first_page", page_text(Machine::newest(m, kLocHead)));
    }
    p.num("T._count", s.t_count);
    p.num("H1._count", Machine::newest(m, kLocH1Count));
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
    p.text("rd.h", s.rd_pc == kRdRecheck ? page_text(s.rd_h) : "-");
    p.text("rd.ret", s.rd_pc == kRdDone ? page_text(s.rd_ret) : "-");
    p.text("g_rd_seen", seen_text(s.g_rd_seen));
    if constexpr (kWeak) {
      p.num("L", Machine::newest(m, kLocLock));
      const std::vector<std::string> loc_names = {
          "flags", c.head_word() ? "compound_head" : "first_page", "H1._count", "L"};
      for (int cpu = 0; cpu < memory_cpus(c); ++cpu) {
        const std::string d = Machine::describe_cpu(m, cpu, loc_names);
        if (!d.empty()) p.text(absl::StrCat("mem.", av(kCpuNames[cpu])), d);
      }
    }
  }

  // Everyone finished: RD returned, T's lifecycle reached its last stage, no
  // split in flight, REF dropped its reference (or never found the page).
  static bool is_final(const Config& c, const State& s) {
    const Stage last = c.realloc ? kStageTailH2 : kStageReused;
    return s.rd_pc == kRdDone && s.stage == last && s.alloc_done == 0 && !split_running(s) &&
           s.ref_pc != kRefHeld;
  }
};

static_assert(SpecType<Spec<memory::Model::sc>>);
static_assert(SpecType<Spec<memory::Model::lkmm>>);
static_assert(PorSpec<Spec<memory::Model::tso>>);
static_assert(HasApplicability<Spec<memory::Model::sc>>);

}  // namespace
}  // namespace mmcheck::mm::compound_head

namespace mmcheck {
void register_compound_head(Registry& r) {
  r.add(make_model_spec_entry<mm::compound_head::Spec>());
}
}  // namespace mmcheck

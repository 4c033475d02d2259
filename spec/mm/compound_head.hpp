// File: spec/mm/compound_head.hpp
//
// compound_head: the lockless compound_head(T) of a tail page T against THP
// split, free and re-allocation of the compound page (protocols.md §B,
// variants B0..B4 of §H).
//
// Kernel code modelled:
//   include/linux/mm.h     compound_head() / compound_trans_head(), v3.13 (B0):
//                            `if (unlikely(PageTail(page))) return page->first_page;`
//                          v3.14..v4.3 (B1, 668f9abbd433 "mm: close PageTail race"):
//                            `struct page *head = page->first_page; smp_rmb();
//                             if (likely(PageTail(page))) return head;`
//                          page_count(page) = atomic_read(&compound_head(page)->_count)
//   include/linux/page-flags.h  v4.4 (B3, 1d798ca3f164 "mm: make compound_head() robust"):
//                            `unsigned long head = READ_ONCE(page->compound_head);
//                             if (unlikely(head & 1)) return (struct page *)(head - 1);`
//                          set_compound_head() / clear_compound_head() (WRITE_ONCE);
//                          PF_ANY/PF_HEAD/PF_NO_TAIL policies: PageFoo(page) tests
//                          compound_head(page)->flags (the 2015 page-flags rework, B1+PF)
//   mm/page_alloc.c        prep_compound_page(): per tail: B0 __SetPageTail;
//                            set_page_count(p, 0); p->first_page = page
//                          B1: set_page_count(p, 0); p->first_page = page; smp_wmb();
//                            __SetPageTail(p)
//                          B3: set_page_count(p, 0); set_compound_head(p, page)
//                          free_pages_prepare(): page->flags &= ~PAGE_FLAGS_CHECK_AT_PREP;
//                          v4.4 free_tail_pages_check(): clear_compound_head(page)
//   mm/huge_memory.c       __split_huge_page_refcount() (≤v4.4, under compound_lock +
//                            zone->lru_lock): atomic_add(..., &page_tail->_count);
//                            smp_mb__after_atomic(); page_tail->flags &= ~CHECK_AT_PREP;
//                            page_tail->flags |= (page->flags & ...) | PG_dirty;
//                            smp_wmb() "clear PageTail before overwriting first_page";
//                            page_tail->mapping/index = ...
//                          split_huge_page_to_list() (B4, e9b61f19858a, v4.5): caller holds a
//                            reference and the page lock; freeze_page() unmaps every PTE to
//                            migration entries; under split_queue_lock
//                            `if (!mapcount && count == 1) __split_huge_page() else -EBUSY`
//                            and unfreeze_page() remaps.
//   mm/compaction.c        isolate_migratepages_block(): page_count(page) on a pfn it holds
//                            no reference on (the 2014 oops); B2 (Kirill, 12 Aug 2015):
//                            atomic_read(&page->_count) instead.
//
// Actors (protocols.md §B.2): RD (CPU0) is a lockless caller with no reference on the head
// and no PTL; `caller=0` is the compaction scanner (page_count(T)), `caller=1` a page-flag
// operation PageFoo(T). SPLIT (CPU1), FREE (CPU2) and ALLOC (CPU3) move T through one
// lifecycle:  [free in buddy -> ALLOC prep H1 ->] tail of H1 -> (FREE of H1 | SPLIT of H1)
// -> next owner rewrites T's union word -> [ALLOC prep H2 -> tail of H2].
// REF (CPU4, `ref_holder=1`) gets a reference on H1 through the PTE that maps it (B-I2).
//
// The races (SC). B0, `prep_h1=1`: the prep race of 668f9abbd433:
//
//   rd CPU0 (compaction)            alloc CPU3 (prep_compound_page H1)
//   ---------------------------     ----------------------------------
//                                   W T.flags |= TAIL   (__SetPageTail)
//   R T.flags: TAIL -> tail
//   R T.first_page == NULL          W T._count := 0 ; W T.first_page := H1
//   returns NULL -> page_count(NULL) oopses: returned_head_was_head_during_call fails
//
// B1 (the rmb double check), default parameters: the ABA of Kirill's 12 Aug 2015 mail:
//
//   rd CPU0                      free CPU2                        alloc CPU3 (prep H2)
//   ------------------------     ------------------------------   ---------------------------
//   t1 := R TAIL == 1 (H1)
//                                last put_page(H1); flags &= ~TAIL
//                                next owner: T.private := 0
//   h := R first_page == NULL
//   smp_rmb()                                                     W _count:=0; W first_page:=H2
//                                                                 smp_wmb(); W TAIL := 1
//   t2 := R TAIL == 1 -> returns h == NULL, a head T never had
//
// B0 with default parameters fails the same way without the ALLOC part (free + reuse between
// its two loads). B3 reads one word once, so its answer is what T was at that instant.
// Old THP split (B0..B3) ignores references on the head: with `ref_holder=1` REF's
// reference on H1 does not stop SPLIT making T a page of its own (B-I2 fails); B4's split
// sees page_count(H1) != 1 after unmapping and backs off with -EBUSY.
//
// Proposals (protocols.md §H) and what each changes:
//   B0-no-recheck         ≤v3.13 compound_head; prep sets TAIL before first_page.
//   B1-double-check-rmb   668f9abbd433: RD rechecks TAIL after reading first_page (rmb);
//                         prep writes first_page, wmb, then TAIL. Flag ops test T's own flags.
//   B1-PF-flags-rework    B1 plus the 2015 page-flags rework: a flag op on T goes through
//                         compound_head() as well (caller=1 now uses the B1 reader).
//   B2-scanner-raw-count  B1+PF plus Kirill's fix: the compaction scanner reads T->_count
//                         directly; flag ops still go through the B1 compound_head().
//   B3-compound-head-word 1d798ca3f164 (v4.4): one word `compound_head` = H|1, read once;
//                         PG_tail and first_page are gone. Old THP split.
//   B4-ref-blocks-split   B3 plus e9b61f19858a (v4.5): split only at refcount 1 after unmap.
//
// Abstractions (what is not modelled):
//   - One tail page T, heads H1 and H2, at most one free/split + re-allocation cycle; RD makes
//     one call. Memory is sequentially consistent: smp_rmb/smp_wmb/smp_mb are comments at the
//     steps they sit between (the weak-memory issue maps them onto kernel primitives).
//   - RD's use of the result (page_count(h) = R h->_count, or the bit operation on h->flags)
//     is not a step: the property judges the pointer at the moment compound_head() returns.
//     RD's own writes (SetPageFoo on a page it does not own) are not modelled.
//   - The head's own fields (PG_head, compound order/dtor) are not modelled; nor are
//     page->mapping/index of the tail or the other tails of H1/H2.
//   - compound_lock/lru_lock (old split), the page lock and split_queue_lock (B4) and the PTL
//     have no other contender here: their acquire/release folds into the adjacent step.
//   - SPLIT and the owner's zap (free.put_page) are serialised (the split caller works while
//     the owner's PTE maps the page; a zap during a split is not modelled). The split caller
//     finds H1 through that PTE, as REF does.
//   - After a split, the owner's eventual free of T as an order-0 page and the buddy writes
//     are one step, free.new_owner_write; so is the next owner after FREE (set_page_private
//     (page, 0) in the buddy, list_add to a free list under v4.4). The page is then freed
//     again to the buddy before ALLOC takes it (not a step: it writes none of T's modelled
//     words).
//   - When prep_compound_page(H1) completes (prep_h1=1), the owner's mapping of H1 (refcount
//     1, mapcount 1) exists at once.
//   - B4's `count == 1` is a plain read under split_queue_lock; speculative references taken
//     after it (fixed later by page_ref_freeze) are not modelled: REF only gets references
//     through a PTE, and freeze_page() has replaced the PTE with a migration entry by then.
#pragma once

#include <array>
#include <cstdint>

namespace mmcheck::mm::compound_head {

enum Proposal : int {
  kB0 = 0,    // B0-no-recheck
  kB1 = 1,    // B1-double-check-rmb
  kB1PF = 2,  // B1-PF-flags-rework
  kB2 = 3,    // B2-scanner-raw-count
  kB3 = 4,    // B3-compound-head-word
  kB4 = 5,    // B4-ref-blocks-split
};

// Who RD is (parameter `caller`).
enum Caller : int { kCallerScanner = 0, kCallerFlagOp = 1 };

// How RD finds the page it works on, per proposal and caller (Config::reader()).
enum Reader : std::uint8_t {
  kReaderB0,        // t := R TAIL ; t ? R first_page : T
  kReaderB1,        // t1 := R TAIL ; h := R first_page ; rmb ; t2 := R TAIL ; t2 ? h : T
  kReaderWord,      // v := READ_ONCE(compound_head) ; v & 1 ? v - 1 : T
  kReaderRawCount,  // B2 scanner: atomic_read(&T->_count), no compound_head()
  kReaderOwnFlag,   // pre-rework PageFoo(T): test_bit on T->flags, no compound_head()
};

// Pages, as pointer values. kNull is also what T's union word holds after
// set_page_private(page, 0).
enum PageRef : std::uint8_t { kNull = 0, kH1 = 1, kH2 = 2, kT = 3 };

// T->flags bits (one word: PG_tail and the bits split sets share it).
inline constexpr std::uint8_t kFlagTail = 1;   // PG_tail (≤v4.3 only)
inline constexpr std::uint8_t kFlagDirty = 2;  // PG_dirty etc., set by split on the tail

// T->compound_head (≥v4.4): head | 1 for a tail; otherwise a value with bit 0
// clear: 0 after clear_compound_head(), kListPtr while lru.next points into a
// free list (the union user must keep bit 0 clear).
inline constexpr std::uint8_t kListPtr = 8;
inline constexpr std::uint8_t tail_word(PageRef head) {
  return static_cast<std::uint8_t>((head << 1) | 1);
}

// Lifecycle of T (who owns it). g_head_of(T) is a function of it (head_of()).
enum Stage : std::uint8_t {
  kStageBuddy,     // free in the buddy allocator before prep of H1 (prep_h1=1)
  kStageTailH1,    // a tail of H1: every tail field set for H1
  kStageUnlinked,  // H1 freed or split: T's tail marker cleared, union word still stale
  kStageReused,    // the next owner rewrote the union word
  kStageTailH2,    // a tail of H2 (re-allocation done)
  kStageCount
};

// prep_compound_page's stores to T, in the order of the variant.
enum AllocStep : std::uint8_t {
  kStepSetTail,          // __SetPageTail(p)
  kStepSetCount,         // set_page_count(p, 0)
  kStepSetFirstPage,     // p->first_page = page
  kStepSetCompoundHead,  // set_compound_head(p, page)
  kStepNone,
};

enum RdPc : std::uint8_t {
  kRdIdle,           // before the call
  kRdReadFirstPage,  // t1 == 1; next: h := R first_page
  kRdRecheck,        // B1: next rmb; t2 := R TAIL
  kRdDone,           // returned rd_ret
  kRdCount
};

enum SplitPc : std::uint8_t {
  kSplitIdle,         // next: the caller's reference (+ page lock / compound_lock)
  kSplitTailCount,    // old: next atomic_add to T->_count; smp_mb
  kSplitUnmap,        // B4: next freeze_page(): PTE -> migration entry
  kSplitFreezeCheck,  // B4: next mapcount == 0 && page_count == 1 under split_queue_lock
  kSplitClearTail,    // next: clear T's tail marker
  kSplitFinish,       // old: next mapping/index, unlock, put the caller's reference
  kSplitRemap,        // B4: split done; next unfreeze_page(), unlock, put
  kSplitRemapBusy,    // B4: -EBUSY; next unfreeze_page(), unlock, put
  kSplitDone,
  kSplitCount
};

enum FreePc : std::uint8_t { kFreeMapped, kFreeUnmapped };
enum RefPc : std::uint8_t { kRefIdle, kRefHeld, kRefDone, kRefCount };

// Ghost bits of g_obs: where RD's loads fell, and what SPLIT decided.
inline constexpr std::uint8_t kObsDuringPrep = 1;    // prep_compound_page half done
inline constexpr std::uint8_t kObsAfterUntail = 2;   // T untailed, union word stale
inline constexpr std::uint8_t kObsReused = 4;        // union word rewritten, not re-allocated
inline constexpr std::uint8_t kObsSplitWithRef = 8;  // (not RD) SPLIT decided while REF held

struct State {
  std::uint8_t t_flags;          // T->flags: kFlagTail | kFlagDirty
  std::uint8_t t_first_page;     // T->first_page (≤v4.3; union with private): PageRef
  std::uint8_t t_compound_head;  // T->compound_head (≥v4.4; union with lru.next)
  std::uint8_t t_count;          // T->_count
  std::uint8_t h1_count;         // H1->_count
  std::uint8_t h1_mapcount;      // total_mapcount(H1): the owner's PTE
  std::uint8_t stage;            // Stage
  std::uint8_t alloc_done;       // stores of the current prep_compound_page done
  std::uint8_t split_pc;         // SplitPc
  std::uint8_t free_pc;          // FreePc
  std::uint8_t ref_pc;           // RefPc
  std::uint8_t rd_pc;            // RdPc
  std::uint8_t rd_h;             // RD's local h (first_page read)
  std::uint8_t rd_ret;           // RD's result (PageRef), valid at kRdDone
  std::uint8_t g_rd_seen;        // ghost: bit p set if g_head_of(T) == p at an instant of RD's call
  std::uint8_t g_obs;            // ghost: kObs* bits
  std::uint8_t g_ref_head;       // ghost: g_head_of(T) when REF took its reference
  bool operator==(const State&) const = default;
};

struct Config {
  Proposal proposal;
  Caller caller;
  bool prep_h1;     // T starts in the buddy; ALLOC builds H1 around it first
  bool realloc;     // after H1's free/split and reuse, ALLOC builds H2 around T
  bool ref_holder;  // REF takes and drops a reference on H1

  Reader reader() const {
    switch (proposal) {
      case kB0:
        return caller == kCallerScanner ? kReaderB0 : kReaderOwnFlag;
      case kB1:
        return caller == kCallerScanner ? kReaderB1 : kReaderOwnFlag;
      case kB1PF:
        return kReaderB1;
      case kB2:
        return caller == kCallerScanner ? kReaderRawCount : kReaderB1;
      case kB3:
      case kB4:
        return kReaderWord;
    }
    return kReaderWord;
  }
  // ≥v4.4 layout: the single compound_head word instead of PG_tail + first_page.
  bool head_word() const { return proposal == kB3 || proposal == kB4; }
  // e9b61f19858a split (refcount check) instead of __split_huge_page_refcount.
  bool new_split() const { return proposal == kB4; }
  // prep_compound_page's i-th store to T.
  AllocStep alloc_step(int i) const {
    static constexpr AllocStep kB0Order[] = {kStepSetTail, kStepSetCount, kStepSetFirstPage};
    static constexpr AllocStep kB1Order[] = {kStepSetCount, kStepSetFirstPage, kStepSetTail};
    static constexpr AllocStep kWordOrder[] = {kStepSetCount, kStepSetCompoundHead};
    if (head_word()) return i < 2 ? kWordOrder[i] : kStepNone;
    if (proposal == kB0) return i < 3 ? kB0Order[i] : kStepNone;
    return i < 3 ? kB1Order[i] : kStepNone;
  }
  int alloc_steps() const { return head_word() ? 2 : 3; }
};

// g_head_of(T): the head T is a tail of, or T itself.
inline PageRef head_of(const State& s) {
  if (s.stage == kStageTailH1) return kH1;
  if (s.stage == kStageTailH2) return kH2;
  return kT;
}
inline std::uint8_t bit(PageRef p) { return static_cast<std::uint8_t>(1u << p); }
inline bool rd_in_call(const State& s) { return s.rd_pc != kRdIdle && s.rd_pc != kRdDone; }

}  // namespace mmcheck::mm::compound_head

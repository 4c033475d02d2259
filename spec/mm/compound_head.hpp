// File: spec/mm/compound_head.hpp
//
// compound_head: the lockless compound_head(T) of a tail page T against THP
// split, free and re-allocation of the compound page (protocols.md §B,
// variants B0..B4 of §H), under the memory models sc, tso, relaxed and lkmm.
//
// Kernel code modelled:
//   include/linux/mm.h     compound_head() / compound_trans_head(), v3.13 (B0):
//                            `if (unlikely(PageTail(page))) return page->first_page;`
//                          v3.14..v4.3 (B1, 668f9abbd433 "mm: close PageTail race";
//                            compound_head_by_tail() in v4.1):
//                            `struct page *head = page->first_page; smp_rmb();
//                             if (likely(PageTail(page))) return head;`
//                          PageTail(page) = test_bit(PG_tail, &page->flags): a plain load
//                          page_count(page) = atomic_read(&compound_head(page)->_count)
//   include/linux/page-flags.h  v4.4 (B3, 1d798ca3f164 "mm: make compound_head() robust"):
//                            `unsigned long head = READ_ONCE(page->compound_head);
//                             if (unlikely(head & 1)) return (struct page *)(head - 1);`
//                          set_compound_head() / clear_compound_head() (WRITE_ONCE);
//                          PF_ANY/PF_HEAD/PF_NO_TAIL policies: PageFoo(page) tests
//                          compound_head(page)->flags (the 2015 page-flags rework, B1+PF)
//   mm/page_alloc.c        prep_compound_page(): per tail: B0 __SetPageTail;
//                            set_page_count(p, 0); p->first_page = page
//                          B1 (668f9abbd433): set_page_count(p, 0); p->first_page = page;
//                            smp_wmb() "Make sure p->first_page is always valid for
//                            PageTail()"; __SetPageTail(p)
//                          B3: set_page_count(p, 0); set_compound_head(p, page)
//                          free_pages_prepare() / free_pages_check(): page->flags &=
//                            ~PAGE_FLAGS_CHECK_AT_PREP; v4.4 free_tail_pages_check():
//                            clear_compound_head(page)
//   mm/huge_memory.c       __split_huge_page_refcount() (≤v4.4, under compound_lock +
//                            zone->lru_lock): atomic_add(..., &page_tail->_count);
//                            smp_mb__after_atomic(); page_tail->flags &= ~CHECK_AT_PREP;
//                            page_tail->flags |= (page->flags & ...) | PG_dirty;
//                            [v4.4: clear_compound_head(page_tail)];
//                            smp_wmb() "clear PageTail before overwriting first_page";
//                            page_tail->mapping/index = ...
//                          split_huge_page_to_list() (B4, e9b61f19858a, v4.5): caller holds a
//                            reference and the page lock; freeze_page() unmaps every PTE to
//                            migration entries; under split_queue_lock
//                            `if (!mapcount && count == 1) __split_huge_page() else -EBUSY`
//                            and unfreeze_page() remaps. __split_huge_page_tail():
//                            page_ref_inc(page_tail); flags; smp_wmb() "Page flags must be
//                            visible before we make the page non-compound";
//                            clear_compound_head(page_tail)
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
// Memory (State::mem, memory::Machine, bounds: 8 CPU slots (5 used), 4 locations,
// store buffers of 4 entries, 16 readable values per location: under lkmm a CPU that has
// not acted yet keeps its propagation frontier at old values of L, and B4 with prep_h1,
// realloc and REF writes L 16 times (8 steps that lock and unlock it); with 8 values
// the B4 lkmm rows overflow). Locations:
//   kLocFlags   T->flags: PG_tail (bit 0, ≤v4.3) and the bits split sets (PG_dirty, bit 1)
//               share the one word, as in the kernel
//   kLocHead    the word RD follows: T->first_page (≤v4.3, union with private) or
//               T->compound_head (≥v4.4, union with lru.next); a proposal has one of them
//   kLocH1Count H1->_count (B4's page_count(head); the owner's, SPLIT's and REF's references)
//   kLocLock    L: the lock hand-offs of the lifecycle (see below)
// T->_count is spec state (t_count), not memory: nothing reads it but B2's scanner, which
// discards the value, so the order in which its stores become visible is unobservable.
// Accesses use kernel::Kernel with the kernel's ordering: PageTail and the first_page load
// are plain loads; __SetPageTail and split's `flags &= ...; flags |= ...` are plain
// read-modify-writes of the flags word (a load and a buffered store);
// first_page/set_compound_head/clear_compound_head are (WRITE_)ONCE stores; get_page is
// atomic_inc (unordered), put_page atomic_dec_and_test (fully ordered); split's
// smp_mb__after_atomic (after its atomic_add on T->_count) is a full barrier.
// Barriers sit where each version has them: B1 prep: smp_wmb between first_page and
// PG_tail; B1 RD: the single smp_rmb between its first_page load and the PG_tail recheck
// (no barrier between the first PageTail() and the first_page load: only a control
// dependency, which orders no loads); old split: smp_mb__after_atomic before the flags,
// smp_wmb after them; B4 split: smp_wmb between the flags and clear_compound_head; B3/B4
// RD: one READ_ONCE. B1-extra-rmb ([analysis], not in any kernel) adds the smp_rmb
// between RD's PageTail() and its first_page load that §B.5 "B1 weak extra" asks for.
//
// Lifecycle hand-offs. The kernel orders each actor's work on T after the previous owner's
// by lock release/acquire chains this spec does not spell out: the owner's PTE and its PTL
// (ALLOC's compound page is mapped before FREE zaps it, SPLIT and REF find H1 through it),
// compound_lock/lru_lock (old split), zone->lock of the buddy between FREE, the next owner
// and ALLOC. One lock word L stands for them: the steps at which T changes hands take
// spin_lock(L) ... spin_unlock(L) inside the step (split.get_ref, split.unmap,
// split.clear_tail, free.put_page, free.clear_tail, free.new_owner_write, ref.get_page),
// and ALLOC holds L from its first prep store to its last (it got T from the buddy and
// publishes the compound page at the end). So under every model the next owner's stores
// are coherence-after the previous owner's and (lkmm) cumulative. RD takes no lock: it is
// the only actor whose ordering the proposals differ on. Under sc L is 0 between steps
// except during a prep (L = 1 iff a prep is half done), so the sc graph is the one of the
// spec before memory models (same distinct-state counts).
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
// The weak race (relaxed, lkmm; protocols.md §B.5 "B1 weak extra", litmus L3), B1 with
// `prep_h1=1,realloc=0` (no re-allocation, so no ABA): ALLOC's smp_wmb makes first_page:=H1
// reach memory before PG_tail, but RD's first PageTail() and its first_page load are not
// ordered: RD sees PG_tail = 1 and still reads first_page from before the prep (NULL, its
// invalidate queue not yet processed), then smp_rmb, PG_tail = 1 again, and returns NULL.
// Under sc and tso loads are not reordered, so B1 holds there; B1-extra-rmb holds under all.
//
// Measured (distinct states, properties/mm/compound_head.expect; sc / tso / relaxed / lkmm):
//   B1 no-ABA (prep_h1=1,realloc=0)        ✓ 98 / ✓ 374 / ✗ 86 / ✗ 1387   (the weak extra)
//   B1-extra-rmb no-ABA                    ✓ 98 / ✓ 374 / ✓ 636 / ✓ 6953
//   B1 default (the ABA)                   ✗ 208 / ✗ 747 / ✗ 1695 / ✗ 35749
//   B3 default                             ✓ 62 / ✓ 194 / ✓ 325 / ✓ 8707
//   B4 ref_holder=1                        ✓ 166 / ✓ 520 / ✓ 819 / ✓ 75064 (B-I1 and B-I2)
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
//   B1-extra-rmb          [analysis] B1 plus smp_rmb() between PageTail() and the
//                         first_page load (closes "B1 weak extra"; not the ABA).
//
// B-I1 under weak models. Under sc the property is the one of §B.4: T was a tail of the
// returned head at an instant of the call (ghost time: g_rd_seen collects g_head_of(T) from
// RD's first load to its return). Under tso/relaxed/lkmm a load may return a value older
// than the writers' program order suggests (a store still buffered, an invalidation not yet
// processed), and RD is ordered after nothing: a stale value it reads is one it could have
// read at an earlier instant. The call is then linearizable at any instant up to its return
// that RD's loads do not rule out; the spec does not track which are ruled out and checks
// the weaker "T was a tail of h at some instant before the return" (rd_return() adds every
// head T had so far to g_rd_seen). This keeps every breakage of §B.5 (NULL, a head T never
// had) and drops only stale heads, the caveat §B.5 lists for B3 (callers re-validate).
//
// Abstractions (what is not modelled):
//   - One tail page T, heads H1 and H2, at most one free/split + re-allocation cycle; RD makes
//     one call.
//   - RD's use of the result (page_count(h) = R h->_count, or the bit operation on h->flags)
//     is not a step: the property judges the pointer at the moment compound_head() returns,
//     so B3's address dependency for H's fields read through the pointer is not exercised.
//     RD's own writes (SetPageFoo on a page it does not own) are not modelled.
//   - The head's own fields (PG_head, compound order/dtor) are not modelled; nor are
//     page->mapping/index of the tail or the other tails of H1/H2.
//   - The lock chains are one lock L (above); compound_lock/lru_lock (old split), the page
//     lock and split_queue_lock (B4) and the PTL have no other contender here.
//   - put_page's atomic_dec_and_test inside an L step (split.unmap, free.put_page) is
//     modelled unordered (the lock orders it; a full barrier inside a lock step cannot be
//     expressed as one step under lkmm): an over-approximation.
//   - SPLIT and the owner's zap (free.put_page) are serialised (the split caller works while
//     the owner's PTE maps the page; a zap during a split is not modelled). The split caller
//     finds H1 through that PTE, as REF does.
//   - After a split, the owner's eventual free of T as an order-0 page and the buddy writes
//     are one step, free.new_owner_write; so is the next owner after FREE (set_page_private
//     (page, 0) in the buddy, list_add to a free list under v4.4). The page is then freed
//     again to the buddy before ALLOC takes it (not a step: it writes none of T's modelled
//     words). The CPU whose put_page dropped H1's last reference frees it: in the model
//     always CPU2, after its lock hand-off.
//   - When prep_compound_page(H1) completes (prep_h1=1), the owner's mapping of H1 (refcount
//     1, mapcount 1) exists at once (H1's count is set at the end of the prep, unordered).
//   - B4's `count == 1` is a plain read under split_queue_lock; speculative references taken
//     after it (fixed later by page_ref_freeze) are not modelled: REF only gets references
//     through a PTE, and freeze_page() has replaced the PTE with a migration entry by then.
//   - H1's mapcount (under the PTL) is spec state, not memory.
//   - Reductions: only RD's views are kept (every other CPU's load follows a lock acquire
//     in the same step, or reads a word nobody else writes meanwhile); mem.advance only
//     right before an RD load that no smp_rmb precedes; a CPU that will not access memory
//     again is retired; under lkmm RD's frontier is dropped for words it never reads.
#pragma once

#include <array>
#include <cstdint>

#include "mmcheck/memory/machine.hpp"
#include "mmcheck/memory/model.hpp"

namespace mmcheck::mm::compound_head {

enum Proposal : int {
  kB0 = 0,     // B0-no-recheck
  kB1 = 1,     // B1-double-check-rmb
  kB1PF = 2,   // B1-PF-flags-rework
  kB2 = 3,     // B2-scanner-raw-count
  kB3 = 4,     // B3-compound-head-word
  kB4 = 5,     // B4-ref-blocks-split
  kB1Rmb = 6,  // B1-extra-rmb
};

// Who RD is (parameter `caller`).
enum Caller : int { kCallerScanner = 0, kCallerFlagOp = 1 };

// How RD finds the page it works on, per proposal and caller (Config::reader()).
enum Reader : std::uint8_t {
  kReaderB0,        // t := R TAIL ; t ? R first_page : T
  kReaderB1,        // t1 := R TAIL ; [rmb] ; h := R first_page ; rmb ; t2 := R TAIL ; t2 ? h : T
  kReaderWord,      // v := READ_ONCE(compound_head) ; v & 1 ? v - 1 : T
  kReaderRawCount,  // B2 scanner: atomic_read(&T->_count), no compound_head()
  kReaderOwnFlag,   // pre-rework PageFoo(T): test_bit on T->flags, no compound_head()
};

// Pages, as pointer values. kNull is also what T's union word holds after
// set_page_private(page, 0).
enum PageRef : std::uint8_t { kNull = 0, kH1 = 1, kH2 = 2, kT = 3 };

// T->flags bits (one word: PG_tail and the bits split sets share it).
inline constexpr int kBitTail = 0;   // PG_tail (≤v4.3 only)
inline constexpr int kBitDirty = 1;  // PG_dirty etc., set by split on the tail
inline constexpr std::int32_t kFlagTail = 1 << kBitTail;
inline constexpr std::int32_t kFlagDirty = 1 << kBitDirty;

// T->compound_head (≥v4.4): head | 1 for a tail; otherwise a value with bit 0
// clear: 0 after clear_compound_head(), kListPtr while lru.next points into a
// free list (the union user must keep bit 0 clear).
inline constexpr std::int32_t kListPtr = 8;
inline constexpr std::int32_t tail_word(PageRef head) { return (head << 1) | 1; }

// Memory locations (State::mem).
enum Loc : int { kLocFlags = 0, kLocHead = 1, kLocH1Count = 2, kLocLock = 3 };
inline constexpr int kNumLocs = 4;
// CPUs (= timeline columns).
enum Cpu : int { kCpuRd = 0, kCpuSplit = 1, kCpuFree = 2, kCpuAlloc = 3, kCpuRef = 4 };

// 4 store-buffer entries: B1's last prep store of H1 finds first_page | PG_tail,
// H1._count | L in the buffer when nothing has drained yet. 16 values of history.
using Bounds = memory::Bounds<8, 4, 4, 16>;
template <memory::Model M>
using MachineOf = memory::Machine<M, Bounds>;

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

template <memory::Model M>
struct StateOf {
  typename MachineOf<M>::Mem mem;  // T->flags, T's head word, H1->_count, L
  std::uint8_t t_count;            // T->_count (see above: not memory)
  std::uint8_t h1_mapcount;        // total_mapcount(H1): the owner's PTE (under the PTL)
  std::uint8_t stage;              // Stage
  std::uint8_t alloc_done;         // stores of the current prep_compound_page done
  std::uint8_t split_pc;           // SplitPc
  std::uint8_t free_pc;            // FreePc
  std::uint8_t ref_pc;             // RefPc
  std::uint8_t rd_pc;              // RdPc
  std::uint8_t rd_h;               // RD's local h (first_page read)
  std::uint8_t rd_ret;             // RD's result (PageRef), valid at kRdDone
  std::uint8_t g_rd_seen;   // ghost: bit p set if g_head_of(T) == p at an instant of RD's call
  std::uint8_t g_obs;       // ghost: kObs* bits
  std::uint8_t g_ref_head;  // ghost: g_head_of(T) when REF took its reference
  std::uint8_t zero[3];     // always 0: no padding after the byte fields
  bool operator==(const StateOf&) const = default;
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
      case kB1Rmb:
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
  // 668f9abbd433's prep: first_page, smp_wmb, PG_tail.
  bool prep_wmb() const { return !head_word() && proposal != kB0; }
  // [analysis] smp_rmb between RD's PageTail() and its first_page load.
  bool rmb_before_first_page() const { return proposal == kB1Rmb; }
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
template <typename S>
PageRef head_of(const S& s) {
  if (s.stage == kStageTailH1) return kH1;
  if (s.stage == kStageTailH2) return kH2;
  return kT;
}
inline std::uint8_t bit(PageRef p) { return static_cast<std::uint8_t>(1u << p); }
template <typename S>
bool rd_in_call(const S& s) {
  return s.rd_pc != kRdIdle && s.rd_pc != kRdDone;
}

}  // namespace mmcheck::mm::compound_head

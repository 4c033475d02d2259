// File: spec/mm/cow_pin.hpp
//
// cow_pin: page_count()- vs mapcount-based COW decisions against GUP
// references/pins, in-place write protection, reclaim, fork and speculative
// references (protocols.md §C, "any pinning will do the COW", 2020-21; the
// merged PageAnonExclusive design of §E for comparison).
//
// Kernel code modelled (one anon page X in a private mapping of mm A):
//   mm/memory.c do_wp_page():
//     CW-map (2.6.29 .. v5.8): trylock_page, else get/unlock ptl/lock_page/relock/
//       pte_same; reuse_swap_page(): mapcount + swapcount == 1 (deletes X from the
//       swap cache when it reuses); unlock_page; reuse or wp_page_copy.
//     CW-count (09854ba94c6a, v5.9): page_count != 1 -> copy; !trylock_page -> copy;
//       mapcount != 1 || page_count != 1 -> copy; else reuse.
//     anon-exclusive (v5.19, 6c287605fd56, c89357e27f20): PageAnonExclusive -> reuse;
//       else page_count > 1 + PageSwapCache -> copy; !trylock -> copy;
//       try_to_free_swap; page_count != 1 -> copy; else page_move_anon_rmap (sets
//       the bit) and reuse.
//     wp_page_copy(): new page, pte := copy|W, page_remove_rmap + put_page(X).
//   mm/memory.c do_swap_page() (read fault): lookup_swap_cache + get, lock_page,
//     pte_same, pte := X R/O, page_add_anon_rmap, swap_free, unlock_page; v5.19:
//     RMAP_EXCLUSIVE iff the swap pte had the exclusive bit (1493a1913e34).
//   mm/gup.c:
//     GUP-old (<= v5.7): FOLL_WRITE && !pte_write -> write fault; else reference
//       whatever the pte maps (R/O allowed).
//     GUP-breakcow (17839856fd58, v5.8): COW mapping && FOLL_GET|FOLL_PIN ->
//       FOLL_WRITE (a read GUP breaks COW); gup-fast accepts only writable ptes.
//     GUP-v5.9 (a308c71bf1e6): no forced COW break; FOLL_PIN adds 1024
//       (GUP_PIN_COUNTING_BIAS); has_pinned (008cfe4418b3).
//     gup-fast: [has_pinned; raw_read_seqcount(write_protect_seq), 57efa1fe5957]
//       ptep_get_lockless, try_grab_compound_head, pte recheck, [v5.19: !writable &&
//       FOLL_PIN && !PageAnonExclusive -> fail (B5)], [read_seqcount_retry].
//     anon-exclusive slow path: R/O FOLL_PIN of a !PageAnonExclusive page ->
//       FAULT_FLAG_UNSHARE (gup_must_unshare, a7f226604170).
//   mm/memory.c copy_present_page()/copy_present_pte() (fork): v5.9 70e806e4e645:
//     has_pinned && page_maybe_dma_pinned -> the child gets a copy; else get_page,
//     page_dup_rmap, ptep_set_wrprotect. v5.19: page_try_dup_anon_rmap clears
//     PageAnonExclusive. copy_page_range(): write_protect_seq (57efa1fe5957).
//   fs/proc/task_mmu.c clear_soft_dirty(): 9348b73c2e1b pte_is_pinned() skips
//     writable ptes of maybe-pinned pages (has_pinned && page_maybe_dma_pinned).
//   mm/vmscan.c shrink_page_list(): trylock_page; feb889fb40fa keeps maybe-pinned
//     pages out of the swap cache; add_to_swap; try_to_unmap (mm/rmap.c
//     try_to_unmap_one: ptep_clear_flush, swap pte; v5.19 page_try_share_anon_rmap:
//     A1 clear pte, A2 maybe pinned -> restore and abort, A3 clear the bit, A4 swap
//     pte with the exclusive bit).
//
// The interleavings (protocols.md §C.5), C2-pagecount-reuse:
//
//  (a) WP, Andrea [param wp=2]:
//   PIN CPU0 (FOLL_PIN, read)   WP CPU2 (uffd-wp/mprotect)   T CPU1 (write)
//   refcount(X) += 1024
//                               lock ptl; pte &= ~W; unlock
//                                                            fault: refcount 1025 != 1
//                                                            copy: pte := X'|W
//   the device uses X, the process X': pinned_page_stays_mapped fails.
//
//  (b) RECL, check-then-act [param recl=1]:
//   RECL CPU3                   PIN CPU0                     T CPU1
//   trylock X; maybe_pinned? no
//                               refcount(X) += 1024 (pte still present)
//   add_to_swap; try_to_unmap:
//   pte := swap entry (X stays in the swap cache: pinned)
//                                                            read fault: X mapped R/O
//                                                            write fault: count > 1: copy
//
//  (c) FOLL_GET (O_DIRECT read into X) [pin=1,pin_write=1, wp=1 or recl=1]: a plain
//      reference is invisible to page_maybe_dma_pinned, so clear_refs (9348b73c2e1b)
//      and reclaim (feb889fb40fa) do not skip X; the write to another part of X COWs.
//
//  C0-mapcount-reuse, CVE-2020-29374 [fork=1,child_gup=1]:
//   FORK CPU4                   CHILD CPU5                   T CPU1 (parent)
//   dup: mapcount 2, both R/O
//                               read GUP (vmsplice): ref X
//                               munmap: mapcount 1
//                                                            write fault: mapcount 1:
//                                                            reuse X in place
//   the child reads the parent's post-fork data through its reference:
//   child_never_sees_parent_write fails.
//
// Proposals (branch points marked `proposal` in cow_pin.cpp):
//   C0-mapcount-reuse   CW-map + GUP-old (<= v5.7)
//   C1-gup-breaks-cow   CW-map + GUP-breakcow (v5.8)
//   C2-pagecount-reuse  CW-count + GUP-v5.9 + fork early COW (70e806e4e645) +
//                       feb889fb40fa + 9348b73c2e1b + write_protect_seq (v5.11)
//   C-A-mapcount-revert Andrea: CW-map back in do_wp_page; fork copies any page with
//                       a reference beyond its mappings (refcount > mapcount +
//                       swapcache: "fork COWs any GUP-pinned page", FOLL_GET included);
//                       no pin checks in reclaim/clear_refs (not needed with mapcount);
//                       write_protect_seq kept. Param gup_unshare=1: a read GUP of a
//                       R/O pte with mapcount > 1 unshares (copy mapped R/O); gup-fast
//                       falls back to the slow path then (E-v1's gup_must_unshare).
//   anon-exclusive      v5.19 PageAnonExclusive (§E merged) with v6.0's barriers
//                       (088b8aa537c2: smp_mb__after_atomic after try_grab_folio,
//                       smp_rmb before B5, smp_mb before A2 and after A3; swap-out's
//                       A1 is ptep_get_and_clear); has_pinned, seqcount, feb889fb40fa
//                       and 9348b73c2e1b kept as in the tree. (v5.19 without the
//                       barriers: spec gupfast_fork, E2.)
//
// Contracts (protocols.md §C.4), param contract: C-A (0) INV-PIN-COHERENT for every
// GUP reference, across in-place write protection too; C-L (1) only for a pin that
// obtained exclusive ownership at pin time (pte writable, or PageAnonExclusive) and
// only until user space write-protects the pinned range in place (wp=2: uffd-wp /
// mprotect). clear_refs (wp=1) does not void it: the kernel itself promised to skip
// pinned pages there (9348b73c2e1b).
//
// Memory models (memory::Model; the spec is registered once per model by
// make_model_spec_entry). Shared words live in `mem` (memory::Machine), one
// location per kernel word: _refcount, _mapcount and page->flags (PG_locked,
// PG_swapcache, PG_anon_exclusive: one word) of X and the copy slots X1..X3,
// A's pte, has_pinned / mm->flags, write_protect_seq and A's ptl. Every access
// goes through kernel::Kernel primitives with the kernel's ordering
// (protocols.md §0.2, §C.3):
//   READ_ONCE         ptep_get_lockless (gup-fast), the pte under the ptl,
//                     atomic_read (page_count, page_mapcount,
//                     page_maybe_dma_pinned, has_pinned), test_bit (PageSwapCache,
//                     PageAnonExclusive, MMF_HAS_PINNED)
//   plain store       set_pte_at (swap-in, reuse, wp_page_copy, swap pte, restore),
//                     v5.9 atomic_set(has_pinned)
//   unordered RMW     get_page, page_dup_rmap, try_grab_page's page_ref_add (slow
//                     GUP), add_to_swap's page_ref_add, folio_ref_add(1023),
//                     set_bit/clear_bit (SwapCache, AnonExclusive, MMF_HAS_PINNED),
//                     ptep_set_wrprotect, ptep_modify_prot (WP), v6.0 swap-out's
//                     ptep_get_and_clear
//   fully ordered     put_page / unpin (atomic_dec_and_test), page_remove_rmap
//                     (atomic_add_negative), do_page_add_anon_rmap
//                     (atomic_inc_and_test), page_ref_add_unless (gup-fast grab,
//                     lookup_swap_cache, get_page_unless_zero), <= v5.18 swap-out's
//                     ptep_clear_flush (xchg + flush)
//   acquire/release   lock_page / trylock_page (test_and_set_bit_lock; a failed
//                     trylock orders nothing), unlock_page (clear_bit_unlock),
//                     spin_lock / spin_unlock of A's ptl
//   barriers          write_protect_seq (write_seqcount_begin/end, raw_read_seqcount,
//                     read_seqcount_retry), wp_page_copy's __SetPageUptodate
//                     smp_wmb, the v6.0 barriers listed above.
// Plain fields (ordering irrelevant): swap_map (under the swap device lock, with
// X's page lock or inside a ptl section), the child's pte (fork writes it before
// the child exists; then only the child), mmap_lock (a token: everything its
// holders share is also under the ptl), program counters, CPU-local registers,
// ghosts. Under `sc` the sc instance explores exactly the graph of the earlier
// SC-only spec (same distinct-state counts and golden traces).
//
// Modelling choices for weak memory:
//   - Steps are atomic blocks of one CPU's primitives in program order. Inside
//     a step a fully ordered / release RMW, spin_lock or smp_mb first commits
//     the CPU's buffered stores, and under lkmm takes the propagation steps its
//     ordering needs (`drain`, `settle`: a legal schedule of the environment
//     steps, which can also run earlier).
//   - T's loads and stores go through the MMU: the page-table walk sees the pte
//     in memory (or T's own buffered store). The TLB flushes that follow every
//     downgrade of the pte are not modelled; as under sc they take effect with
//     the pte change, so T never writes through a stale writable translation.
//     Gup-fast's ptep_get_lockless and every other pte read is a READ_ONCE.
//   - fork wakes the child: the child's first step comes after an smp_mb of
//     fork's CPU (dup_mmap returns; wake_up_new_task) and one of the child's
//     (the scheduler's barriers). Without them lkmm lets the child's GUP read a
//     mapcount from before fork's page_dup_rmap.
//   - fork checks the pin before get_page (v5.9 order; v5.19 takes the reference
//     first), as the sc spec does.
//   - Views (invalidate queues) are don't-care outside the window between a
//     CPU's last barrier and its next plain load of that word (relevant()); a
//     done CPU with an empty buffer is retired; under lkmm a CPU's frontier of a
//     word it never accesses is don't-care.
//   - Bounds: 8 CPU slots (7 used), 16 locations, store buffers of 2 (a step
//     that needs a third slot commits the oldest store first), 5 readable values
//     per word under relaxed/lkmm (a step that would need a sixth waits).
//
// Abstractions (what is not modelled):
//   - One page X of mm A at one address; one write by thread T (a read access first,
//     which is a no-op unless the pte is a swap entry: the read-fault-then-write path
//     of (b)); at most one GUP actor in A (PIN), one in the child. Copies take free
//     page slots X1..X3 (the allocator is not modelled: a copy's words are
//     initialised by unordered RMWs before the smp_wmb that precedes its pte).
//   - Sections under the page-table lock with no lockless reader of their
//     intermediate state are one step: the GUP slow path (mmap_lock read + ptl +
//     follow_page + fault + grab), faults taken inside GUP or by the child (their
//     do_wp_page decision is the same per-proposal logic as T's, in one step),
//     do_swap_page's locked part, wp_page_copy (alloc/copy/relock/pte_same),
//     fork's dup (get_page + page_dup_rmap [+ clear PageAnonExclusive]), try_to_unmap
//     for the pre-v5.19 kernels. Steps with lockless readers stay separate: every
//     refcount read and page-lock op of do_wp_page, gup-fast, clear_refs' check vs its
//     wrprotect, reclaim's pin check vs add_to_swap vs unmap, v5.19's A1 vs A2.
//   - Reclaim leaves X in the swap cache (pageout / __remove_mapping / freeing not
//     modelled) and does not combine with fork (configure() refuses recl+fork). A
//     write fault directly on a swap pte is modelled as the read fault followed by the
//     write fault (both paths exist in the kernel).
//   - LRU pagevec references, lru_add_drain, KSM, THP, the TLB flush, mmu notifiers,
//     device (DMA) writes through a write pin, and writes by the child are not
//     modelled. The child only takes a read GUP reference (vmsplice), unmaps, and
//     drops the reference. The speculative reference (SPEC) is get/put on X.
//   - mprotect takes mmap_lock for write in the kernel; all WP kinds take it for read
//     here (they are excluded from fork either way).
#pragma once

#include <array>
#include <cstdint>
#include <type_traits>

#include "mmcheck/memory/machine.hpp"
#include "mmcheck/memory/model.hpp"

namespace mmcheck::mm::cow_pin {

using memory::Model;

inline constexpr int kPages = 4;                 // X, X1, X2, X3
inline constexpr std::uint8_t kX = 0;            // the original anon page
inline constexpr std::uint8_t kNoPage = 0xff;    // no reference held
inline constexpr std::uint16_t kPinBias = 1024;  // GUP_PIN_COUNTING_BIAS

enum Proposal : int {
  kC0MapcountReuse = 0,
  kC1GupBreaksCow = 1,
  kC2PagecountReuse = 2,
  kCAMapcountRevert = 3,
  kAnonExclusive = 4,
};

// Parameter values.
enum PinKind : int { kPinNone = 0, kPinGet = 1, kPinPin = 2 };
enum WpKind : int { kWpNone = 0, kWpClearRefs = 1, kWpUser = 2 };
enum Contract : int { kContractA = 0, kContractL = 1 };
enum Check : int { kCheckCorrectness = 0, kCheckSpurious = 1 };

// A pte is one word: page index (bits 0-1) | flags. 0 = pte_none.
inline constexpr std::uint8_t kPtePageMask = 0x03;
inline constexpr std::uint8_t kPtePresent = 0x04;
inline constexpr std::uint8_t kPteWrite = 0x08;
inline constexpr std::uint8_t kPteSwap = 0x10;     // swap entry of X's swap slot
inline constexpr std::uint8_t kPteSwpExcl = 0x20;  // pte_swp_exclusive (1493a1913e34)

// page->flags bits (one word: PG_locked, PG_swapcache, PG_anon_exclusive).
inline constexpr std::uint8_t kPgLocked = 0x01;
inline constexpr std::uint8_t kPgSwapCache = 0x02;
inline constexpr std::uint8_t kPgAnonExcl = 0x04;

// mm->flags / has_pinned of mm A.
inline constexpr std::uint8_t kMmHasPinned = 0x01;

// mmap_lock of A: reader count | writer bit.
inline constexpr std::uint8_t kMmapWriter = 0x80;

// Ghost bits.
inline constexpr std::uint8_t kGForked = 0x01;    // fork returned
inline constexpr std::uint8_t kGSpurious = 0x02;  // T copied an exclusive page
inline constexpr std::uint8_t kGCovered = 0x04;   // C-L: pin obtained ownership
inline constexpr std::uint8_t kGVoided = 0x08;    // C-L: user wrprotect while pinned
inline constexpr std::uint8_t kGWpSawPin = 0x10;  // WP examined A's pte while PIN's ref was held
inline constexpr std::uint8_t kGTExcl = 0x20;     // T's copy decision: the page was exclusive to A

// Actor ids (ptl owner values; timeline columns in this order if enabled).
enum Actor : std::uint8_t {
  kNobody = 0,
  kActT = 1,
  kActPin = 2,
  kActWp = 3,
  kActRecl = 4,
  kActFork = 5,
  kActChild = 6,
  kActSpec = 7,
};

enum TPc : std::uint8_t {
  kTRead,          // next: the read access
  kTSwapLookup,    // do_swap_page: lookup_swap_cache + get
  kTSwapLockPage,  // lock_page
  kTSwapMap,       // ptl, pte_same, map R/O, swap_free, unlock
  kTWrite,         // next: the store
  kTFaultLock,     // write fault: mmap_read_lock + ptl
  kTMapTrylock,    // CW-map: trylock_page
  kTMapLockPage,   // CW-map: ptl dropped, lock_page
  kTMapRelock,     // CW-map: relock ptl, pte_same
  kTMapCheck,      // CW-map: reuse_swap_page, unlock_page
  kTCountRead,     // CW-count: page_count != 1
  kTCountTrylock,  // CW-count: trylock_page
  kTCountRecheck,  // CW-count: mapcount/page_count recheck, unlock_page
  kTAxExcl,        // v5.19: PageAnonExclusive
  kTAxRead,        // v5.19: page_count > 1 + PageSwapCache
  kTAxTrylock,     // v5.19: trylock_page
  kTAxRecheck,     // v5.19: try_to_free_swap, page_count != 1, page_move_anon_rmap
  kTReuse,         // wp_page_reuse
  kTCopy,          // wp_page_copy
  kTDone,
  kTCount
};

enum PinPc : std::uint8_t {
  kPinFastFlag,        // gup-fast: has_pinned := 1
  kPinFastSeq,         // gup-fast: raw_read_seqcount
  kPinFastPte,         // gup-fast: ptep_get_lockless
  kPinFastGrab,        // gup-fast: try_grab_compound_head
  kPinFastRecheckPte,  // gup-fast: pte recheck (+ B5 PageAnonExclusive)
  kPinFastRecheckSeq,  // gup-fast: read_seqcount_retry
  kPinSlow,            // slow path (one step)
  kPinHold,            // reference/pin held (DMA in flight)
  kPinDone,
  kPinCount
};

enum WpPc : std::uint8_t { kWpCheck, kWpProtect, kWpDone, kWpCount };

enum ReclPc : std::uint8_t {
  kRTrylock,      // trylock_page
  kRCheckPinned,  // feb889fb40fa: page_maybe_dma_pinned -> keep
  kRAddToSwap,    // add_to_swap
  kRUnmap,        // try_to_unmap_one (v5.19: A1 clear pte)
  kRShare,        // v5.19: A2 maybe pinned -> restore; A3 clear bit; A4 swap pte
  kRUnlock,       // unlock_page
  kRDone,
  kRCount
};

enum ForkPc : std::uint8_t {
  kFMmapLock,
  kFSeqBegin,
  kFLockPtl,
  kFCheck,
  kFCopy,
  kFDup,
  kFWrprotect,
  kFUnlockPtl,
  kFSeqEnd,
  kFUnlockMmap,
  kFDone,
  kFCount
};

enum ChildPc : std::uint8_t { kCGup, kCUnmap, kCHold, kCDone, kCCount };
enum SpecPc : std::uint8_t { kSGet, kSPut, kSDone, kSCount };

// Memory locations (memory::Machine), one per kernel word; per-page words
// are `base + page`.
inline constexpr int kLocRef = 0;    // page->_refcount of X..X3 (FOLL_PIN adds 1024)
inline constexpr int kLocMap = 4;    // page->_mapcount + 1 of X..X3
inline constexpr int kLocFlags = 8;  // page->flags of X..X3 (PG_locked, PG_swapcache,
                                     // PG_anon_exclusive: one word)
inline constexpr int kLocPte = 12;   // A's pte at addr
inline constexpr int kLocMm = 13;    // A: has_pinned (v5.9) / MMF_HAS_PINNED (v5.19)
inline constexpr int kLocSeq = 14;   // A: write_protect_seq
inline constexpr int kLocPtl = 15;   // A's page-table lock word
inline constexpr int kLocCount = 16;
inline constexpr int kPgLockedBit = 0;  // bit numbers of kPgLocked, kPgSwapCache, kPgAnonExcl
inline constexpr int kPgSwapCacheBit = 1;
inline constexpr int kPgAnonExclBit = 2;
inline constexpr int kMmHasPinnedBit = 0;

// CPU of each actor: Actor - 1 (T 0, PIN 1, WP 2, RECL 3, FORK 4, CHILD 5, SPEC 6).
inline constexpr int kCpus = 7;
inline int cpu_of(Actor a) { return static_cast<int>(a) - 1; }

// Memory bounds: 8 CPU slots (7 used), 16 locations, store buffers of 2 (a
// step that would buffer a third store first commits its oldest one: one
// legal schedule), history of 5 values per word under relaxed/lkmm (a step
// that would need a sixth readable value waits: `room`).
inline constexpr int kWeakHist = 5;
template <Model M>
using BoundsOf = std::conditional_t<M == Model::sc || M == Model::tso, memory::Bounds<8, 16, 2, 2>,
                                    memory::Bounds<8, 16, 2, kWeakHist>>;
template <Model M>
using MachineOf = memory::Machine<M, BoundsOf<M>>;

// The shared words live in `mem`; the rest are CPU-local registers, program
// counters, ghosts and three spec-level objects: swapcount (swap_map[e],
// changed and read only under the swap device's lock, with X's page lock
// held or inside a ptl section), pte_c (the child's pte: written by fork
// before the child runs, then by the child only) and mmap_lock (a token:
// every shared word its holders touch is also under the ptl). `ptl` names
// the owner of A's ptl (its lock word is kLocPtl in `mem`).
template <Model M>
struct State {
  typename MachineOf<M>::Mem mem;
  std::uint8_t swapcount;  // swap_map[e]: swap ptes of X's slot
  std::uint8_t pte_c;      // the child's pte at addr
  std::uint8_t mmap_lock;  // A: readers | kMmapWriter
  std::uint8_t ptl;        // A's ptl owner (Actor)
  std::uint8_t t_pc;       // TPc
  std::uint8_t t_pte;      // T: orig_pte for pte_same
  std::uint8_t pin_pc;     // PinPc
  std::uint8_t pin_page;   // page the PIN reference holds
  std::uint8_t pin_pte;    // gup-fast pte snapshot
  std::uint8_t pin_seq;    // gup-fast seq snapshot
  std::uint8_t wp_pc;      // WpPc
  std::uint8_t recl_pc;    // ReclPc
  std::uint8_t recl_pte;   // v5.19 A1: saved pteval
  std::uint8_t fork_pc;    // ForkPc
  std::uint8_t child_pc;   // ChildPc
  std::uint8_t child_ref;  // page of the child's GUP reference
  std::uint8_t spec_pc;    // SpecPc
  std::uint8_t ghost;      // kG* bits
  std::uint8_t g_awrote;   // pages T wrote after fork (bit per page)
  std::uint8_t pad;        // 0 (no padding bytes)
  bool operator==(const State&) const = default;
};

struct Config {
  Proposal proposal;
  int pin;  // PinKind
  bool pin_write;
  bool pin_fast;
  int wp;  // WpKind
  bool recl;
  bool fork;
  bool child_gup;
  bool spec;
  int contract;  // Contract
  int check;     // Check
  bool gup_unshare;

  // Branch points per proposal.
  bool cw_map() const {
    return proposal == kC0MapcountReuse || proposal == kC1GupBreaksCow ||
           proposal == kCAMapcountRevert;
  }
  bool cw_count() const { return proposal == kC2PagecountReuse; }
  bool anon_excl() const { return proposal == kAnonExclusive; }
  bool breakcow() const { return proposal == kC1GupBreaksCow; }
  bool has_pinned_flag() const { return proposal == kC2PagecountReuse || anon_excl(); }
  bool seqcount() const { return proposal >= kC2PagecountReuse; }
  bool pin_checks() const { return has_pinned_flag(); }  // feb889fb40fa, 9348b73c2e1b
  bool fork_early_cow() const { return proposal >= kC2PagecountReuse; }
  // T's pte can become R/O (write fault) only through WP, fork or a swap-in.
  bool t_faults() const { return wp != kWpNone || fork || recl; }
  std::uint16_t bias() const { return pin == kPinPin ? kPinBias : 1; }
};

inline std::uint8_t page_of(std::uint8_t pte) { return pte & kPtePageMask; }
inline bool present(std::uint8_t pte) { return (pte & kPtePresent) != 0; }
inline bool writable(std::uint8_t pte) { return (pte & kPteWrite) != 0; }
inline bool is_swap(std::uint8_t pte) { return (pte & kPteSwap) != 0; }

// The value a word has once every buffered store has reached memory: a
// buffered store of the location (pte and ptl stores are made under the ptl,
// so at most one CPU has one), else the newest value in coherence order.
// Properties and printing use it.
template <Model M>
std::int32_t latest(const State<M>& s, int loc) {
  return memory::latest(s.mem, loc);
}
template <Model M>
std::uint8_t pte_a(const State<M>& s) {
  return static_cast<std::uint8_t>(latest(s, kLocPte));
}

}  // namespace mmcheck::mm::cow_pin

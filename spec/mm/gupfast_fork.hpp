// File: spec/mm/gupfast_fork.hpp
//
// gupfast_fork: gup-fast vs fork's copy_page_range, the parent's later write
// fault and (from v5.19) the paths that "share" an exclusive anon page
// (protocols.md §E and §C FORK).
//
// Kernel code modelled (v5.11; read from the 5.11.4 tree):
//   mm/gup.c     internal_get_user_pages_fast(): atomic_set(&mm->has_pinned, 1)
//                lockless_pages_from_mm(): raw_read_seqcount(&mm->write_protect_seq),
//                  `seq & 1` -> slow path; gup_pgd_range(); read_seqcount_retry() ->
//                  unpin_user_pages() and slow path                       (57efa1fe5957)
//                gup_pte_range(): ptep_get_lockless(); pte_access_permitted(FOLL_WRITE);
//                  try_grab_compound_head() (+GUP_PIN_COUNTING_BIAS); recheck
//                  pte_val(pte) != pte_val(*ptep) -> put, fail
//   mm/memory.c  copy_page_range(): mmap_assert_write_locked();
//                  raw_write_seqcount_begin/end around the PTE copy       (57efa1fe5957)
//                copy_present_page(): !atomic_read(has_pinned) or
//                  !page_maybe_dma_pinned() -> share; else the child gets a copy
//                                                                     (70e806e4e645)
//                copy_present_pte(): get_page(); page_dup_rmap(); ptep_set_wrprotect()
//                do_wp_page(): reuse iff page_count == 1 && mapcount == 1, else
//                  wp_page_copy()                                        (09854ba94c6a)
//   kernel/fork.c dup_mmap(): mmap_write_lock for the whole copy.
//
// The race (57efa1fe5957's commit message), proposal `unsynchronized`:
//
//   gup CPU0 (FOLL_PIN|FOLL_WRITE)     fork CPU1                   parent CPU2
//   ------------------------------     -------------------------   ----------------
//                                      lock ptl
//                                      R has_pinned == 0 -> share
//   W has_pinned := 1
//   p := R pte  (writable, X)
//   refcount(X) += 1024
//   R pte == p  -> pin returned
//                                      get_page; mapcount++
//                                      wrprotect parent pte
//                                      unlock ptl; mmap_write_unlock
//                                                                  write: fault
//                                                                  refcount != 1:
//                                                                  copy X -> X'
//   the device writes X while the parent's pte maps X': pinned_page_never_cowed fails
//
// With `write-protect-seq` the fork's seqcount section makes gup-fast's
// read_seqcount_retry fail, so it unpins and falls back to the slow path.
//
// ---------------------------------------------------------------------------
// Proposals of protocols.md §E (ids of §H). They start from an exclusive anon
// page X mapped READ-ONLY (swapped in by a read fault: do_swap_page maps an
// exclusive swap entry R/O and, from v5.19, sets PageAnonExclusive), so the
// R/O-GUP paths of §E are exercised; gup-fast is a read-only GUP (no
// FOLL_WRITE), the case §E is about.
//
// E1-mapcount-unshare: David Hildenbrand's v1 ("[PATCH v1 00/11] mm: COW fixes
//   part 1", 17 Dec 2021, patches 06-07/11, on v5.16). Gup-fast is FOLL_GET
//   (O_DIRECT style): it neither sets has_pinned nor reads write_protect_seq
//   (lockless_pages_from_mm() reads the seqcount for FOLL_PIN only):
//     gup_pte_range(): pte := ptep_get_lockless(); try_grab_compound_head(+1);
//       pte recheck; if (!pte_write(pte) && gup_must_unshare(flags, page)) put, fail
//     gup_must_unshare_v1(): ... && page_mapcount(page) > 1
//   fork and do_wp_page are v5.16's (= `write-protect-seq`; fork still bumps
//   the seqcount, nobody FOLL_GET reads it). The claim checked is David's
//   own: "If we have a shared anonymous page we cannot have GUP references,
//   not even R/O ones" (gup_page_never_shared). Race (E.5):
//
//   gup CPU0 (FOLL_GET, R/O)           fork CPU1
//   ------------------------------     -------------------------
//   p := R pte  (R/O, X)
//   refcount(X) += 1
//   R pte == p
//   R mapcount(X) == 1 -> no unshare
//   reference returned
//                                      mmap_write_lock; seq++; lock ptl
//                                      R has_pinned == 0 -> share
//                                      get_page; mapcount(X)++ -> child maps X
//   the GUP'd page is now shared: gup_page_never_shared fails
//
// E2-anon-exclusive-5.19 (c89357e27f20, a7f226604170, 6c287605fd56,
//   b6a2619c60b4, 1493a1913e34, MMF_HAS_PINNED a458b76a4171), FOLL_PIN R/O:
//     gup-fast  B0 mm_set_has_pinned_flag(): test_bit, set_bit(MMF_HAS_PINNED)
//               (unordered RMW); s := raw_read_seqcount (READ_ONCE; smp_rmb);
//               odd -> fail
//               B1 p := ptep_get_lockless() (READ_ONCE)  B2 (FOLL_WRITE only)
//               B3 try_grab_folio(): folio_try_get_rcu (+1, page_ref_add_unless:
//                  fully ordered on success, fails on 0), folio_ref_add(1023)
//                  (unordered, no return value)
//               B4 READ_ONCE(*ptep) != p -> unpin (folio_put_refs: fully ordered), fail
//               B5 !pte_write(p) && !PageAnonExclusive (test_bit) -> unpin, fail
//               B6 read_seqcount_retry(s) (smp_rmb; READ_ONCE) -> unpin, fail
//     fork      copy_pte_range(): spin_lock(src ptl) (ACQUIRE);
//               copy_present_pte(): get_page() (atomic_inc, unordered) BEFORE
//               page_try_dup_anon_rmap(): F3 page_needs_cow_for_dma
//               (test_bit(MMF_HAS_PINNED) && page_maybe_dma_pinned: atomic_read)
//               -> put_page (fully ordered), F4 copy for the child; else F5
//               ClearPageAnonExclusive (clear_bit), page_dup_rmap (atomic_inc);
//               F6 ptep_set_wrprotect (unordered RMW) if writable.
//               copy_nonpresent_pte(): a swap entry loses its exclusive bit
//               (pte_swp_clear_exclusive + set_pte_at) and is duplicated.
//     do_wp_page: PageAnonExclusive -> reuse; else page_count == 1 -> reuse and
//               page_move_anon_rmap() (SetPageAnonExclusive); else wp_page_copy()
//               (the copy is exclusive).
//     do_swap_page: pte_swp_exclusive || page_count == 1 -> exclusive (and writable
//               on a write fault); else map R/O and do_wp_page().
//     UNMAP     try_to_unmap_one() (swap-out) and KSM write_protect_page(), both
//               under the ptl: anon_exclusive := PageAnonExclusive;
//               A1 ptep_clear_flush (v5.19 forces the flush for anon_exclusive:
//               xchg + TLB flush, which "implies a memory barrier" (088b8aa537c2):
//               a fully ordered RMW); [KSM: mapcount + 1 != page_count -> restore];
//               page_try_share_anon_rmap(): A2 page_maybe_dma_pinned (atomic_read)
//               -> restore, -EBUSY; A3 ClearPageAnonExclusive (clear_bit); A4
//               set_pte_at(swap entry with the exclusive bit := anon_exclusive)
//               or (KSM) the R/O clean pte. No barrier between A1..A4 but A1's.
// E3-anon-exclusive-6.0 (088b8aa537c2, "mm: fix PageAnonExclusive clearing racing
//   with concurrent RCU GUP-fast"; read from the patch, Message-Id
//   20220901083559.67446-1-david@redhat.com): E2 plus smp_mb__after_atomic
//   after B3's folio_ref_add (try_grab_folio), smp_rmb before B5
//   (gup_must_unshare), smp_mb before A2 and smp_mb__after_atomic after A3
//   (page_try_share_anon_rmap); try_to_unmap_one may now defer the flush, so
//   swap-out's A1 is ptep_get_and_clear (unordered RMW); KSM keeps
//   ptep_clear_flush. fork is unchanged: raw_write_seqcount_begin (seq++;
//   smp_wmb), spin_lock, get_page, test_bit(MMF_HAS_PINNED).
//
//   The races E2/E3 close (all hold under SC):
//   gup CPU0 (FOLL_PIN, R/O)           unmap CPU4 (KSM)
//   ------------------------------     -------------------------
//   p := R pte (R/O, X, exclusive)
//                                      lock ptl; A1 pte := none
//                                      A2 refcount < 1024; A3 clear ANON_EXCLUSIVE
//                                      A4 pte := p (same value); unlock
//   refcount(X) += 1; += 1023
//   R pte == p   (ABA: the recheck passes)
//   B5 R ANON_EXCLUSIVE == 0 -> unpin, fail   (E.5 (ii); SB/MP shapes under weak memory)
//
// Memory models (memory::Model; the spec is registered once per model by
// make_model_spec_entry). Shared words live in `mem` (memory::Machine), one
// location per kernel word: the pte, refcount and mapcount of X and X',
// mm->has_pinned / mm->flags, write_protect_seq, page->flags of X and X',
// the ptl. Every access goes through kernel::Kernel primitives with the
// ordering of the kernel code above: READ_ONCE loads (ptep_get_lockless,
// pte rechecks, atomic_read, test_bit), plain stores (set_pte_at, v5.11
// atomic_set), unordered RMWs (atomic_inc/folio_ref_add, set_bit/clear_bit,
// ptep_set_wrprotect, ptep_get_and_clear), fully ordered RMWs
// (page_ref_add_unless, put_page/folio_put_refs, page_remove_rmap's
// atomic_add_negative, ptep_clear_flush = xchg + flush), seqcount
// write_begin/end (store + smp_wmb) and raw_read_seqcount /
// read_seqcount_retry, spin_lock (acquire) / spin_unlock (release), and the
// explicit v6.0 barriers. Under `sc` the barriers are no-ops and the sc
// instance explores exactly the graph of the earlier SC-only spec (same
// distinct-state and transition counts).
//
// Modelling choices for weak memory (each a faithful rendering in the
// machine, or an over-approximation that can only add executions, unless
// noted):
//   - Steps are atomic blocks of one CPU's primitives in program order
//     (e.g. parent.reuse = set_bit; set_pte_at; spin_unlock). The stores go
//     to the store buffer anyway; blocks never put a load of one CPU after a
//     write it has to wait for. fork's get_page is in the step of its
//     has_pinned load (after the lock step), so gup-fast can pin between
//     fork's spin_lock and its get_page, as in the kernel.
//   - wp_page_copy: page_remove_rmap(X) and put_page(X) (fully ordered) come
//     first in the step (in the kernel put_page follows the unlock); X' is
//     initialised with RMWs before __SetPageUptodate's smp_wmb and the pte
//     store that publishes it.
//   - fork's RMWs after raw_write_seqcount_begin are unordered, as in the
//     kernel; the machine orders them after the seq store as LKMM's
//     W seq ->wmb-> W (cumul-fence) does.
//   - folio_ref_add(1023) is Noreturn (LKMM's smp_rmb does not order its
//     read); in E3 smp_mb__after_atomic does, so there the RMW must have
//     received the value it reads (Machine::can_rmw returns=true).
//   - Views (invalidate queues) are don't-care outside the window between a
//     CPU's last barrier and its next load of that word (relevant());
//     mem.advance only right before such a load (may_advance()); a CPU that
//     is done (and whose buffer is empty) is retired; under lkmm a CPU's
//     frontier of a word it never accesses is don't-care (nobody waits for
//     values to reach a CPU that never reads them; LKMM's cumulativity is
//     about values read).
//   - Bounds: 8 CPUs, 12 locations, store buffers of 2 (an action needing a
//     third buffered store waits; only the swap-in-then-reuse fault path
//     can), history 5 values per word (an action that would need a sixth
//     readable value waits until views/frontiers move: `room`).
//   - mmap_lock is a spec-level token (no memory effect): everything its
//     holders share is also under the ptl. The child's pte is spec-level
//     (`child`); the child's exit is a CPU of its own (fully ordered RMWs).
//
// Weak-memory verdicts (properties/mm/gupfast_fork.expect,
// results/findings-gupfast_fork.md): E2 is violated under relaxed/lkmm (L4
// SB vs swap-out; vs fork too) and holds under tso; E3 holds against UNMAP
// under every model; against fork, E3 and v5.11 are violated under lkmm (L6):
//
//   gup CPU0 (E3, FOLL_PIN R/O)           fork CPU1
//   set_bit(MMF_HAS_PINNED)
//   s := seq (0); smp_rmb; p := pte
//                                         seq = 1; smp_wmb; spin_lock(ptl) (ACQUIRE)
//   +1 (full); +1023; smp_mb__after_atomic
//                                         get_page; test_bit(MMF_HAS_PINNED) == 0 (stale)
//                                         ClearPageAnonExclusive; dup to the child
//   pte == p; smp_rmb; AnonExclusive == 1 (stale); smp_rmb; seq == 0 -> pin returned
//
// Abstractions (what is not modelled):
//   - One page X at one address of mm A, one fork, one parent writer thread,
//     one UNMAP (E2/E3; it picks swap-out or KSM as the action's parameter).
//     Params fork/parent/unmap (default 1) switch actors off, to check gup-fast
//     against UNMAP or against fork alone.
//   - The gup-fast slow-path fallback (under mmap_lock read, hence excluded
//     from fork; in §E also the FAULT_FLAG_UNSHARE fault) is not modelled: a
//     failed gup-fast attempt simply ends.
//   - do_wp_page's two refcount reads (before and after trylock_page) are one
//     read; the page lock has no other holder in this model (UNMAP's page lock
//     is not modelled: UNMAP and the fault are serialised by the ptl).
//     wp_page_copy's unlock/allocate/relock/pte_same is one step under the ptl
//     (fork cannot run: the fault holds mmap_lock for read).
//   - The child only exits (dropping its reference and mapping); its own
//     writes are not modelled. The mmu notifier and TLB flush are not modelled
//     (v5.19's flush only as the full barrier of A1). fork's dst page-table
//     allocation between F2 and the ptl (pte_alloc_map_lock) is not modelled:
//     its fast paths (pcp lists, memcg stock) contain no full barrier.
//   - fork's PageAnonExclusive test before the pin check (page_try_dup_anon_rmap
//     skips the check for a page that is not exclusive) is not modelled: the
//     check is always made.
//   - Swap (E2/E3): a swap entry counts as a mapping in refcount/mapcount (the
//     swap-cache reference plus the swap count), so swap-out and swap-in leave
//     both unchanged; the page stays in the swap cache until the parent's
//     fault maps it back (no swap I/O, no freeing). Migration entries behave
//     like swap entries at this granularity and are not a separate kind.
//   - KSM: only write_protect_page() (the sharing step); the merge that would
//     replace the page by a KSM page is not modelled; its own page reference
//     is left out of both sides of its `mapcount + 1 != page_count` check.
//     "pte_write || pte_dirty || anon_exclusive" is read as "write || anon_exclusive".
//   - B3's try_grab_folio is two RMWs on the refcount (E2/E3), as in v5.19;
//     v5.11's page_ref_add_unless(1024) is one (`gup.pin`, no zero check).
#pragma once

#include <array>
#include <cstdint>
#include <type_traits>

#include "mmcheck/memory/machine.hpp"
#include "mmcheck/memory/model.hpp"

namespace mmcheck::mm::gupfast_fork {

using memory::Model;

inline constexpr int kMaxGupCpus = 4;
inline constexpr std::uint16_t kPinBias = 1024;  // GUP_PIN_COUNTING_BIAS

enum Proposal : int {
  kUnsynchronized = 0,
  kWriteProtectSeq = 1,
  kMapcountUnshare = 2,   // E1-mapcount-unshare
  kAnonExclusive519 = 3,  // E2-anon-exclusive-5.19
  kAnonExclusive60 = 4,   // E3-anon-exclusive-6.0
};

// Pages: X is the anon page at the address; X' is the parent's COW copy.
enum Page : std::uint8_t { kX = 0, kXCopy = 1 };

// The parent's pte is one word (as in the kernel): a present pte is
// page << 1 | write; a cleared pte (ptep_clear_flush) is kPteNone; a swap
// entry is kPteSwap | page << 1 [| kPteSwpExclusive].
inline constexpr std::uint8_t kPteWrite = 1;
inline constexpr std::uint8_t kPtePage = 2;  // set: the pfn is X'
inline constexpr std::uint8_t kPteNone = 4;
inline constexpr std::uint8_t kPteSwap = 8;
inline constexpr std::uint8_t kPteSwpExclusive = 16;  // pte_swp_exclusive (1493a1913e34)

// page->flags bits (one word per page).
inline constexpr std::uint8_t kPageAnonExclusive = 1;  // PG_anon_exclusive (v5.19)
inline constexpr int kPgAnonExclusive = 0;             // its bit number

// Memory locations (memory::Machine). One location per kernel word; the
// per-page words are `base + page`.
inline constexpr int kLocPte = 0;    // the parent's pte
inline constexpr int kLocRef = 1;    // page->_refcount of X, X' (atomic_t; pins add 1024)
inline constexpr int kLocMap = 3;    // page->_mapcount + 1 of X, X'
inline constexpr int kLocMm = 5;     // v5.9/v5.11 mm->has_pinned; v5.19 mm->flags (MMF_HAS_PINNED)
inline constexpr int kLocSeq = 6;    // mm->write_protect_seq
inline constexpr int kLocFlags = 7;  // page->flags of X, X' (PG_anon_exclusive)
inline constexpr int kLocPtl = 9;    // the pte's page-table spinlock
inline constexpr int kLocCount = 10;
inline constexpr int kMmfHasPinned = 0;  // bit of kLocMm used by v5.19 (value 1 either way)

// Memory bounds per model: 8 CPUs (up to 4 gup-fast CPUs, fork, parent,
// child, UNMAP), 12 locations (10 used). Store buffers of 2 are exact: no
// CPU ever has more than two stores in flight (an unlock and one pte or seq
// store). History (values of one location readable at once): a step that
// would need a fifth value waits (docs/memory-model.md; the spec's `room`).
inline constexpr int kWeakHist = 5;
template <Model M>
using BoundsOf = std::conditional_t<M == Model::sc, memory::Bounds<8, 12, 2, 2>,
                                    std::conditional_t<M == Model::tso, memory::Bounds<8, 12, 2, 2>,
                                                       memory::Bounds<8, 12, 2, kWeakHist>>>;
template <Model M>
using MachineOf = memory::Machine<M, BoundsOf<M>>;

enum GupPc : std::uint8_t {
  kGupIdle,                // before an attempt
  kGupReadSeq,             // has_pinned set; next: read write_protect_seq
  kGupReadPte,             // next: ptep_get_lockless
  kGupPin,                 // next: try_grab_compound_head / try_grab_folio
  kGupRecheckPte,          // next: pte_val(pte) != pte_val(*ptep)
  kGupRecheckSeq,          // next: read_seqcount_retry
  kGupHold,                // pin returned to the caller (DMA in flight)
  kGupPinBias,             // E2/E3: next folio_ref_add(1023)
  kGupMbAfterAtomic,       // E3: next smp_mb__after_atomic in try_grab_folio
  kGupRmb,                 // E3: next smp_rmb in gup_must_unshare
  kGupCheckAnonExclusive,  // E2/E3 B5: next R PageAnonExclusive
  kGupCheckMapcount,       // E1: next R page_mapcount (gup_must_unshare_v1)
  kGupCount
};

enum ForkPc : std::uint8_t {
  kForkIdle,      // next: mmap_write_lock
  kForkSeqBegin,  // next: raw_write_seqcount_begin
  kForkLockPtl,   // next: lock src/dst ptl (E2/E3: and get_page)
  kForkReadHasPinned,
  kForkReadRefcount,
  kForkCopy,       // pinned: child gets a private copy
  kForkDup,        // not pinned: get_page + page_dup_rmap
  kForkWrprotect,  // ptep_set_wrprotect on the parent pte
  kForkUnlockPtl,
  kForkSeqEnd,  // raw_write_seqcount_end
  kForkUnlockMmap,
  kForkDone,
  kForkClearAnonExclusive,  // E2/E3 F5: next ClearPageAnonExclusive
  kForkCount
};

enum ParentPc : std::uint8_t {
  kParentIdle,       // next: store to the page
  kParentFaultLock,  // write fault: next mmap_read_lock + ptl
  kParentCheck,      // next: page_count/mapcount (E2/E3: PageAnonExclusive) reuse check
  kParentReuse,      // next: wp_page_reuse
  kParentCopy,       // next: wp_page_copy
  kParentDone,
  kParentSwapIn,  // E2/E3: next do_swap_page maps the page back
  kParentCount
};

enum UnmapPc : std::uint8_t {
  kUnmapIdle,                // next: lock the ptl (page_vma_mapped_walk)
  kUnmapClearPte,            // next: A1 ptep_clear_flush
  kUnmapKsmCheck,            // KSM: next mapcount + 1 != page_count
  kUnmapMb,                  // E3: next smp_mb before A2
  kUnmapReadRefcount,        // next: A2 page_maybe_dma_pinned
  kUnmapClearAnonExclusive,  // next: A3 ClearPageAnonExclusive
  kUnmapMbAfterAtomic,       // E3: next smp_mb__after_atomic after A3
  kUnmapSetPte,              // next: A4 swap entry / R/O pte; unlock
  kUnmapRestore,             // backed off: next restore the pte; unlock
  kUnmapDone,
  kUnmapCount
};

enum UnmapKind : std::uint8_t { kUnmapSwap = 0, kUnmapKsm = 1, kUnmapKinds = 2 };

enum Child : std::uint8_t {
  kChildNone,
  kChildShares,  // maps (or holds a swap entry of) X
  kChildCopied,
  kChildExited,
  kChildSharesCopy,  // maps X' (the parent had COWed before the fork)
  kChildCount
};
enum MmapLock : std::uint8_t { kMmapFree, kMmapWrite, kMmapRead };
enum Ptl : std::uint8_t { kPtlFree, kPtlFork, kPtlParent, kPtlUnmap };

// The shared words live in `mem` (memory::Machine); the rest are CPU-local
// registers (gup_seq, gup_pte, unmap_excl, unmap_pte), program counters and
// two spec-level objects: mmap_lock (a token: every shared word its holders
// touch is also covered by the ptl, whose acquire/release is in `mem`) and
// `child` (the child's pte, written by fork under the child's ptl and read
// only by the child's exit). No padding: Mem is a multiple of 4 bytes.
template <Model M>
struct State {
  typename MachineOf<M>::Mem mem;
  std::array<std::uint8_t, kMaxGupCpus> gup_seq;       // seq read at entry
  std::array<std::uint8_t, kMaxGupCpus> gup_attempts;  // attempts finished
  std::array<std::uint8_t, kMaxGupCpus> gup_pte;       // pte snapshot: page << 1 | write
  std::array<std::uint8_t, kMaxGupCpus> gup_pc;        // GupPc
  std::uint8_t unmap_excl;                             // UNMAP: anon_exclusive, read before A1
  std::uint8_t unmap_kind;                             // UNMAP: UnmapKind
  std::uint8_t mmap_lock;                              // MmapLock
  std::uint8_t fork_pc;                                // ForkPc
  std::uint8_t unmap_pc;                               // UNMAP (E2/E3): UnmapPc
  std::uint8_t unmap_pte;                              // UNMAP: pteval saved by A1
  std::uint8_t child;                                  // Child
  std::uint8_t parent_pc;                              // ParentPc
  bool operator==(const State&) const = default;
};

struct Config {
  Proposal proposal;
  int gup_cpus;
  int attempts;
  bool fork = true;  // actors switched on (params fork, parent, unmap)
  bool parent = true;
  bool unmap = true;
  // v5.9 / v5.11: gup-fast is FOLL_PIN|FOLL_WRITE, one refcount RMW.
  bool legacy() const { return proposal <= kWriteProtectSeq; }
  // fork bumps write_protect_seq (v5.11+).
  bool fork_seqcount() const { return proposal != kUnsynchronized; }
  // gup-fast is FOLL_PIN (sets has_pinned, pins with 1024); E1 is FOLL_GET.
  bool foll_pin() const { return proposal != kMapcountUnshare; }
  bool foll_write() const { return legacy(); }
  // lockless_pages_from_mm() reads the seqcount for FOLL_PIN only.
  bool gup_seqcount() const { return fork_seqcount() && foll_pin(); }
  bool mapcount_unshare() const { return proposal == kMapcountUnshare; }
  bool anon_exclusive() const { return proposal >= kAnonExclusive519; }
  bool v6_barriers() const { return proposal == kAnonExclusive60; }
  bool section_e() const { return proposal >= kMapcountUnshare; }
  bool has_unmap() const { return anon_exclusive() && unmap; }
  std::uint16_t pin_refs() const { return foll_pin() ? kPinBias : 1; }
  // CPUs: gup 0..n-1, fork n, parent n+1, child n+2, UNMAP n+3.
  int fork_cpu() const { return gup_cpus; }
  int parent_cpu() const { return gup_cpus + 1; }
  int child_cpu() const { return gup_cpus + 2; }
  int unmap_cpu() const { return gup_cpus + 3; }
};

// The value a word has once every buffered store has reached memory: a
// buffered store of the location (only one CPU at a time has one: pte and
// ptl stores are made under the ptl, seq by fork only), else the newest
// value in coherence order. Properties and printing use it.
template <Model M>
std::int32_t latest(const State<M>& s, int loc) {
  return memory::latest(s.mem, loc);
}

inline bool pte_present(int pte) { return (pte & (kPteNone | kPteSwap)) == 0; }
inline bool pte_is_swap(int pte) { return (pte & kPteSwap) != 0; }
inline bool pte_writable(int pte) { return pte_present(pte) && (pte & kPteWrite) != 0; }
inline int pte_page(int pte) { return (pte & kPtePage) ? kXCopy : kX; }

template <Model M>
int pte_value(const State<M>& s) {
  return latest(s, kLocPte);
}
template <Model M>
int refcount(const State<M>& s, int page) {
  return latest(s, kLocRef + page);
}
template <Model M>
int mapcount(const State<M>& s, int page) {
  return latest(s, kLocMap + page);
}
template <Model M>
bool anon_exclusive(const State<M>& s, int page) {
  return (latest(s, kLocFlags + page) & kPageAnonExclusive) != 0;
}
// The page the child maps (or holds a swap entry of), or -1.
template <Model M>
int child_page(const State<M>& s) {
  if (s.child == kChildShares) return kX;
  if (s.child == kChildSharesCopy) return kXCopy;
  return -1;
}
// Which actor is inside a ptl section (from the program counters; the lock
// word itself is in `mem`).
template <Model M>
Ptl ptl_owner(const State<M>& s) {
  switch (s.fork_pc) {
    case kForkReadHasPinned:
    case kForkReadRefcount:
    case kForkCopy:
    case kForkDup:
    case kForkWrprotect:
    case kForkUnlockPtl:
    case kForkClearAnonExclusive:
      return kPtlFork;
    default:
      break;
  }
  switch (s.parent_pc) {
    case kParentCheck:
    case kParentReuse:
    case kParentCopy:
    case kParentSwapIn:
      return kPtlParent;
    default:
      break;
  }
  switch (s.unmap_pc) {
    case kUnmapIdle:
    case kUnmapDone:
      return kPtlFree;
    default:
      return kPtlUnmap;
  }
}

}  // namespace mmcheck::mm::gupfast_fork

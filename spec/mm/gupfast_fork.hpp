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
//     gup-fast  B0 set_bit(MMF_HAS_PINNED); s := raw_read_seqcount; odd -> fail
//               B1 p := ptep_get_lockless()   B2 (FOLL_WRITE only) !write -> fail
//               B3 try_grab_folio(): folio_try_get_rcu (+1, fails on 0),
//                  folio_ref_add(1023)
//               B4 R pte != p -> unpin, fail
//               B5 !pte_write(p) && !PageAnonExclusive -> unpin, fail (gup_must_unshare)
//               B6 read_seqcount_retry(s) -> unpin, fail
//     fork      copy_present_pte(): F3 page_needs_cow_for_dma (MMF_HAS_PINNED &&
//               page_maybe_dma_pinned) -> F4 copy for the child; else F5
//               page_try_dup_anon_rmap(): ClearPageAnonExclusive, dup rmap, get_page;
//               F6 ptep_set_wrprotect. copy_nonpresent_pte(): a swap entry loses
//               its exclusive bit (pte_swp_clear_exclusive) and is duplicated.
//     do_wp_page: PageAnonExclusive -> reuse; else page_count == 1 -> reuse and
//               page_move_anon_rmap() (SetPageAnonExclusive); else wp_page_copy()
//               (the copy is exclusive).
//     do_swap_page: pte_swp_exclusive || page_count == 1 -> exclusive (and writable
//               on a write fault); else map R/O and do_wp_page().
//     UNMAP     try_to_unmap_one() (swap-out) and KSM write_protect_page(), both
//               under the ptl: anon_exclusive := PageAnonExclusive;
//               A1 ptep_clear_flush; [KSM: mapcount + 1 != page_count -> restore];
//               page_try_share_anon_rmap(): A2 page_maybe_dma_pinned -> restore,
//               -EBUSY; A3 ClearPageAnonExclusive; A4 set_pte_at(swap entry with
//               the exclusive bit := anon_exclusive) or (KSM) the R/O clean pte.
// E3-anon-exclusive-6.0 (088b8aa537c2): E2 plus smp_mb__after_atomic after B3,
//   smp_rmb before B5 (gup_must_unshare), smp_mb before A2 and
//   smp_mb__after_atomic after A3. Under "sc" they are explicit no-op steps,
//   so E2 and E3 have the same SC verdict; they differ only under weak memory.
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
// Abstractions (what is not modelled):
//   - One page X at one address of mm A, one fork, one parent writer thread,
//     one UNMAP (E2/E3; it picks swap-out or KSM as the action's parameter).
//     Memory is sequentially consistent: barriers (smp_wmb in the seqcount,
//     smp_rmb in raw_read_seqcount) are no-ops here; the weak-memory issue
//     moves this spec onto include/mmcheck/kernel primitives.
//   - The gup-fast slow-path fallback (under mmap_lock read, hence excluded
//     from fork; in §E also the FAULT_FLAG_UNSHARE fault) is not modelled: a
//     failed gup-fast attempt simply ends.
//   - do_wp_page's two refcount reads (before and after trylock_page) are one
//     read; the page lock has no other holder in this model (UNMAP's page lock
//     is not modelled: UNMAP and the fault are serialised by the ptl).
//     wp_page_copy's unlock/allocate/relock/pte_same is one step under the ptl
//     (fork cannot run: the fault holds mmap_lock for read).
//   - The child only exits (dropping its reference and mapping); its own
//     writes are not modelled. The mmu notifier and TLB flush are not modelled.
//   - get_page and page_dup_rmap are one step (nothing reads mapcount
//     concurrently with fork in this model).
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

namespace mmcheck::mm::gupfast_fork {

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
  kForkLockPtl,   // next: lock src/dst ptl
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

// Field order: the explorer picks, among equally short counterexamples, the
// one whose states come first in fingerprint (XXH3 of the state bytes) order,
// so the layout decides which interleaving is reported. This order was chosen
// (by trying permutations) so that `unsynchronized` still reports the golden
// trace results/gupfast_fork/unsynchronized.sc.trace.json recorded before §E
// was added; states of v5.9/v5.11 keep §E fields at 0 (mapcount[X'] follows
// pte.page), so their distinct counts are unchanged. Reordering fields can
// change that golden trace (not the verdicts or counts).
struct State {
  std::array<std::uint16_t, 2> refcount;               // page->_refcount of X, X' (pins add 1024)
  std::uint8_t unmap_excl;                             // UNMAP: anon_exclusive, read before A1
  std::array<std::uint8_t, kMaxGupCpus> gup_seq;       // seq read at entry
  std::uint8_t seq;                                    // mm->write_protect_seq
  std::array<std::uint8_t, kMaxGupCpus> gup_attempts;  // attempts finished
  std::uint8_t unmap_kind;                             // UNMAP: UnmapKind
  std::uint8_t mmap_lock;                              // MmapLock
  std::uint8_t ptl;                                    // Ptl
  std::uint8_t has_pinned;                             // mm->has_pinned (v5.19: MMF_HAS_PINNED)
  std::uint8_t fork_pc;                                // ForkPc
  std::array<std::uint8_t, kMaxGupCpus> gup_pte;       // pte snapshot: page << 1 | write
  std::uint8_t pte;                                    // the parent's pte word (kPte* bits)
  std::array<std::uint8_t, kMaxGupCpus> gup_pc;        // GupPc
  std::uint8_t unmap_pc;                               // UNMAP (E2/E3): UnmapPc
  std::uint8_t unmap_pte;                              // UNMAP: pteval saved by A1
  std::array<std::uint8_t, 2> mapcount;                // page->_mapcount + 1 of X, X'
  std::uint8_t child;                                  // Child
  std::uint8_t parent_pc;                              // ParentPc
  std::array<std::uint8_t, 2> flags;                   // page->flags of X, X' (kPageAnonExclusive)
  bool operator==(const State&) const = default;
};

struct Config {
  Proposal proposal;
  int gup_cpus;
  int attempts;
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
  std::uint16_t pin_refs() const { return foll_pin() ? kPinBias : 1; }
};

inline bool pte_present(std::uint8_t pte) { return (pte & (kPteNone | kPteSwap)) == 0; }
inline bool pte_is_swap(std::uint8_t pte) { return (pte & kPteSwap) != 0; }
inline bool pte_writable(std::uint8_t pte) { return pte_present(pte) && (pte & kPteWrite) != 0; }
inline int pte_page(std::uint8_t pte) { return (pte & kPtePage) ? kXCopy : kX; }
inline int pte_value(const State& s) { return s.pte; }
inline bool anon_exclusive(const State& s, int page) {
  return (s.flags[page] & kPageAnonExclusive) != 0;
}
// The page the child maps (or holds a swap entry of), or -1.
inline int child_page(const State& s) {
  if (s.child == kChildShares) return kX;
  if (s.child == kChildSharesCopy) return kXCopy;
  return -1;
}

}  // namespace mmcheck::mm::gupfast_fork

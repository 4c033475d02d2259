// File: spec/mm/gupfast_fork.hpp
//
// gupfast_fork: gup-fast FOLL_PIN vs fork's copy_page_range, and the parent's
// later write fault (protocols.md §E and §C FORK).
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
// Abstractions (what is not modelled):
//   - One page X at one address of mm A, one fork, one parent writer thread.
//     Memory is sequentially consistent: barriers (smp_wmb in the seqcount,
//     smp_rmb in raw_read_seqcount) are no-ops here; the weak-memory issue
//     moves this spec onto include/mmcheck/kernel primitives.
//   - The gup-fast slow-path fallback (under mmap_lock read, hence excluded
//     from fork) is not modelled: a failed gup-fast attempt simply ends.
//   - do_wp_page's two refcount reads (before and after trylock_page) are one
//     read; the page lock has no other holder in this model. wp_page_copy's
//     unlock/allocate/relock/pte_same is one step under the ptl (fork cannot
//     run: the fault holds mmap_lock for read).
//   - The child only exits (dropping its reference and mapping); its own
//     writes are not modelled. The mmu notifier and TLB flush are not modelled.
//   - get_page and page_dup_rmap are one step (nothing reads mapcount
//     concurrently with fork in this model).
#pragma once

#include <array>
#include <cstdint>

namespace mmcheck::mm::gupfast_fork {

inline constexpr int kMaxGupCpus = 4;
inline constexpr std::uint16_t kPinBias = 1024;  // GUP_PIN_COUNTING_BIAS

enum Proposal : int { kUnsynchronized = 0, kWriteProtectSeq = 1 };

// Pages: X is the anon page at the address; X' is the parent's COW copy.
enum Page : std::uint8_t { kX = 0, kXCopy = 1 };

enum GupPc : std::uint8_t {
  kGupIdle,         // before an attempt
  kGupReadSeq,      // has_pinned set; next: read write_protect_seq
  kGupReadPte,      // next: ptep_get_lockless
  kGupPin,          // next: try_grab_compound_head
  kGupRecheckPte,   // next: pte_val(pte) != pte_val(*ptep)
  kGupRecheckSeq,   // next: read_seqcount_retry
  kGupHold,         // pin returned to the caller (DMA in flight)
  kGupCount
};

enum ForkPc : std::uint8_t {
  kForkIdle,        // next: mmap_write_lock
  kForkSeqBegin,    // next: raw_write_seqcount_begin
  kForkLockPtl,     // next: lock src/dst ptl
  kForkReadHasPinned,
  kForkReadRefcount,
  kForkCopy,        // pinned: child gets a private copy
  kForkDup,         // not pinned: get_page + page_dup_rmap
  kForkWrprotect,   // ptep_set_wrprotect on the parent pte
  kForkUnlockPtl,
  kForkSeqEnd,      // raw_write_seqcount_end
  kForkUnlockMmap,
  kForkDone,
  kForkCount
};

enum ParentPc : std::uint8_t {
  kParentIdle,       // next: store to the page
  kParentFaultLock,  // write fault: next mmap_read_lock + ptl
  kParentCheck,      // next: page_count/mapcount reuse check
  kParentReuse,      // next: wp_page_reuse
  kParentCopy,       // next: wp_page_copy
  kParentDone,
  kParentCount
};

enum Child : std::uint8_t { kChildNone, kChildShares, kChildCopied, kChildExited, kChildCount };
enum MmapLock : std::uint8_t { kMmapFree, kMmapWrite, kMmapRead };
enum Ptl : std::uint8_t { kPtlFree, kPtlFork, kPtlParent };

struct State {
  std::array<std::uint16_t, 2> refcount;  // page->_refcount of X, X' (pins add 1024)
  std::uint8_t mapcount_x;                // page->_mapcount + 1 of X
  std::uint8_t seq;                       // mm->write_protect_seq
  std::uint8_t has_pinned;                // mm->has_pinned
  std::uint8_t pte_page;                  // parent pte: which page it maps
  std::uint8_t pte_write;                 // parent pte: write bit
  std::uint8_t child;                     // Child
  std::uint8_t mmap_lock;                 // MmapLock
  std::uint8_t ptl;                       // Ptl
  std::uint8_t fork_pc;                   // ForkPc
  std::uint8_t parent_pc;                 // ParentPc
  std::array<std::uint8_t, kMaxGupCpus> gup_pc;        // GupPc
  std::array<std::uint8_t, kMaxGupCpus> gup_seq;       // seq read at entry
  std::array<std::uint8_t, kMaxGupCpus> gup_pte;       // pte snapshot: page << 1 | write
  std::array<std::uint8_t, kMaxGupCpus> gup_attempts;  // attempts finished
  bool operator==(const State&) const = default;
};

struct Config {
  Proposal proposal;
  int gup_cpus;
  int attempts;
  bool seqcount() const { return proposal == kWriteProtectSeq; }
};

inline int pte_value(const State& s) { return (s.pte_page << 1) | s.pte_write; }

}  // namespace mmcheck::mm::gupfast_fork

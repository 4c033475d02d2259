// File: spec/mm/wp_reuse.hpp
//
// wp_reuse: do_wp_page's "reuse or copy" decision for an anonymous page vs
// the page lock and the swap count (protocols.md §D, 2008; registry ids §H
// D0-trylock .. D-merged-relock).
//
// Kernel code modelled (2.6.26 unless noted):
//   mm/memory.c   do_wp_page(): anon path
//                   if (!TestSetPageLocked(old_page)) {
//                           reuse = can_share_swap_page(old_page);
//                           unlock_page(old_page); }
//                 then either ptep_set_access_flags(maybe_mkwrite(pte_mkdirty))
//                 (reuse, VM_FAULT_WRITE) or the copy: page_cache_get,
//                 pte_unmap_unlock, copy, pte_offset_map_lock, pte_same ->
//                 page_remove_rmap(old) + set_pte_at(new).
//                 do_swap_page(): lookup_swap_cache; lock_page; pte_offset_map_lock;
//                   pte_same; set_pte_at; page_add_anon_rmap; swap_free(entry);
//                   unlock_page; pte_unmap_unlock.
//                 get_user_pages(): follow_page(FOLL_WRITE) fails on a R/O pte ->
//                   handle_mm_fault(write); `if (ret & VM_FAULT_WRITE)
//                   foll_flags &= ~FOLL_WRITE` (2.6.26); from 2.6.29 only when
//                   !(vma->vm_flags & VM_WRITE) ("mm: gup persist for write
//                   permission", D1).
//                 2.6.29 ab967d86015a "mm: wp lock page before deciding cow":
//                   if (!trylock_page) { page_cache_get; pte_unmap_unlock; lock_page;
//                   pte_offset_map_lock; if (!pte_same) { unlock_page; put; goto unlock } }
//                   reuse = reuse_swap_page(old_page); unlock_page(old_page);
//   mm/swapfile.c can_share_swap_page(): count = page_mapcount; if (count <= 1 &&
//                   PageSwapCache) count += page_swapcount(page); return count == 1
//                 page_swapcount(): entry.val = page_private; swap_info_get (swap_lock);
//                   swap_map[offset] - 1; spin_unlock(&swap_lock)
//                 reuse_swap_page() (2.6.29, same series): as above and, when
//                   count == 1, delete_from_swap_cache + SetPageDirty.
//                 get_swap_page() (swap_lock), swap_duplicate(), swap_free().
//   mm/swap_state.c add_to_swap() -> add_to_swap_cache(): modelled in the order
//                   Hugh's 23 Jun rollup (D3b) imposes: set_page_private(e); smp_wmb();
//                   SetPageSwapCache.  (2.6.26 did SetPageSwapCache first, under
//                   tree_lock; only D3a/D3b read `private` without the page lock.)
//                 delete_from_swap_cache(): ClearPageSwapCache, private := 0 (not
//                   zeroed under D3b), then swap_free(entry).
//   mm/rmap.c     try_to_unmap_one(): swap_duplicate(entry) before set_pte_at(swap
//                   pte) and page_remove_rmap (the add-before-free order).
//   mm/vmscan.c   shrink_page_list(): TestSetPageLocked; add_to_swap if
//                   !PageSwapCache; try_to_unmap; unlock_page.
//
// Race 1 (D0-trylock, D1-gup-vmwrite; D-I1): the page lock is held by reclaim.
//
//   T CPU0 (write fault, ptlA)            RECL CPU1 (shrink_page_list)
//   -------------------------------       ------------------------------
//                                         TestSetPageLocked(X) -> got it
//   lock ptlA; pteA R/O X
//   TestSetPageLocked(X) -> busy: copy
//   unlock ptlA; copy X -> X'
//   lock ptlA; pte_same; page_remove_rmap(X)
//   pteA := X' writable                   unlock_page(X)
//   X was T's alone (mapcount 1, swap count 0): no_cow_of_exclusive_page fails;
//   the driver's get_user_pages reference still points at X.
//
// Race 2 (D3a-unlocked-swapcount; D-I2): Nick Piggin's "can't another process
// have moved their swapcount to mapcount?"
//
//   T CPU0 (write fault, ptlA)            B CPU2 (do_swap_page, B's swap pte e)
//   -------------------------------       ------------------------------
//   R mapcount == 1; R SWAPCACHE
//                                         lookup_swap_cache(e) = X; lock_page(X)
//                                         lock ptlB; page_add_anon_rmap: mapcount 2
//                                         swap_free(e): swap_map[e] 2 -> 1
//   trylock(X) fails (B holds it)
//   page_swapcount(X) = swap_map[e]-1 = 0
//   reuse: pteA := X writable while B maps X: never_reuse_shared_page fails.
//
// Race 3 (D3b-swaplock-sum, relaxed/lkmm only; D-I2): the unlocked pre-check
// `page_mapcount == 1 && !PageSwapCache` has no smp_rmb between its loads.
//
//   T CPU0 (write fault, ptlA)            RECL CPU1 (b=2: B maps X, X not in swap cache)
//   -------------------------------       ------------------------------
//   lock ptlA (views of flags, mapcount
//   now: !SWAPCACHE, 2)                   TestSetPageLocked; get_swap_page;
//                                         private := e; smp_wmb; SetPageSwapCache
//                                         try_to_unmap_one(B): swap_duplicate, B's
//                                         pte := swap e, page_remove_rmap (full): 1
//   R mapcount == 1 (new value)
//   R SWAPCACHE == 0 (stale)  -> reuse: pteA := X writable while B holds a swap
//   pte for e and X is e's swap-cache page: never_reuse_shared_page fails.
//
// Proposals (all share one action table; the branch points are the
// `Config::...()` predicates and families whose count is 0 when unused):
//   D0-trylock             2.6.26 as above.
//   D1-gup-vmwrite         GUP keeps FOLL_WRITE after VM_FAULT_WRITE for VM_WRITE vmas;
//                          do_wp_page unchanged.
//   D2-nick-lockpage-test  get; unlock ptlA; lock_page; can_share_swap_page; unlock_page;
//                          relock ptlA; pte_same or bail; act.  (protocols.md expects
//                          ✗ D-I2 [analysis]; the checker finds it holds under every
//                          model: every sharer is counted under the page lock, see
//                          findings-wp_reuse.md.)
//   D3a-unlocked-swapcount mapcount == 1 && (!SWAPCACHE || (trylock ? locked check :
//                          page_swapcount == 0)).
//   D3b-swaplock-sum       mapcount == 1 && (!SWAPCACHE || (trylock ? locked check with
//                          swap-cache freeing : sum mapcount + swapcount under swap_lock
//                          with SWAPCACHE; rmb; private)); private not zeroed on delete.
//                          Parameter no_rmb=1 drops that smp_rmb (broken on purpose).
//   D-merged-relock        ab967d86015a + reuse_swap_page (2.6.29).
//   D1-gup-vmwrite and D-merged-relock use the 2.6.29 get_user_pages rule, the
//   others the 2.6.26 one.
//
// Measured (properties/mm/wp_reuse.expect has every row; default params b=1
// swapcache=1 recl=1 gup=0 unless noted; distinct states):
//   proposal   sc            tso           relaxed                   lkmm
//   D0, D1     ✗ D-I1 259    ✗ D-I1 434    ✗ D-I1 434                ✗ D-I1 1314 (b=0 swapcache=0)
//   D2         ✓ 2459        ✓ 6377        ✓ 7274                    ✓ 13539 (recl=0)
//   D3a        ✗ D-I2 871    ✗ D-I2 1738   ✗ D-I2 2178               ✗ D-I2 5450 (recl=0)
//   D3b        ✓ 3049        ✓ 7797        ✓ 10039; ✗ D-I2 1851 with ✓ 13307 (recl=0)
//                                          b=2 swapcache=0 (race 3)
//   D-merged   ✓ 2401        ✓ 7063        ✓ 8118                    ✓ 25972 (recl=0)
//   no_rmb=1 changes no verdict and no count (the swap_lock acquire after the
//   pre-check already refreshes `private` in these models).
//
// Memory (template parameter memory::Model M; registered for sc, tso, relaxed,
// lkmm by make_model_spec_entry). Every word the actors share lives in
// `State::mem` (memory::Machine, bounds kBounds: 4 CPUs, 12 locations (9 used),
// kSb store-buffer slots, kHist values per location) and is accessed only
// through kernel::Kernel primitives with the 2.6.2x ordering:
//   flags     page->flags: PG_locked, PG_swapcache, PG_dirty in ONE word.
//             TestSetPageLocked / lock_page = test_and_set_bit_lock (acquire on
//             success, unordered on failure; 2.6.24+), unlock_page =
//             clear_bit_unlock (release), SetPageSwapCache / ClearPageSwapCache /
//             SetPageDirty = set_bit / clear_bit (unordered), PageSwapCache =
//             test_bit (plain read).
//   private   page->private: set_page_private is a plain store, page_private a
//             plain read. add_to_swap_cache: W private; smp_wmb; SetPageSwapCache.
//             D3b's page_swapcount: R SWAPCACHE; smp_rmb; R private (§D.3); the
//             `no_rmb=1` variant drops that smp_rmb.
//   mapcount  _mapcount (atomic_t): page_mapcount = atomic_read (plain);
//             page_add_anon_rmap = atomic_inc_and_test, page_remove_rmap =
//             atomic_add_negative: fully ordered (Kernel::atomic_add_return).
//   swap_map  swap_map[e], only accessed under swap_lock. The kernel's plain
//             `count--` under the lock is a relaxed RMW here: every reader holds
//             swap_lock, so it cannot tell, and the store buffer stays smaller.
//   swap_lock, ptlA, ptlB  spinlocks (spin_lock acquire RMW, spin_unlock release).
//   pteA, pteB  PTE words, written under their ptl (set_pte_at: plain store;
//             ptep_get_and_clear in zap: relaxed xchg); read under the ptl, by
//             T's hardware walk (plain read) and by B's fault entry.
// CPUs: T = 0, RECL = 1, B = 2, GUP (follow_page and its fault) = 3.
// A step that the sc model ran as one critical section (lock; accesses;
// unlock) stays one step: the lock RMW, the accesses and the release store
// happen in program order inside it, RMWs before the step's first buffered
// store (a locked RMW cannot follow an own buffered store within one step
// under tso); where this reorders kernel code it says so at the step. Ghost
// state (g_*) reads the newest value of a word (an own buffered store, else
// the end of coherence order): `memory::latest()`.
//
// Abstractions (what is not modelled):
//   - One anon page X, mapped read-only by mm A (T and GUP are two threads of A),
//     one swap entry e, one related mm B (a fork relative) that starts with a swap
//     pte for e, a present mapping of X, or nothing (parameter `b`). X' is T's copy.
//   - _count is not modelled: no variant of §D reads it (D-I1 holds "whatever
//     the refcount"). tree_lock and the swapper_space radix tree are not
//     modelled: lookup_swap_cache is "SWAPCACHE && private == e" read after an
//     smp_rmb (the RCU radix walk + page_cache_get_speculative).
//   - Every section under a spinlock that contains a single access to state
//     shared with non-holders is one step (e.g. zap of B's pte, swap_free,
//     follow_page under ptlA). Sections with several such accesses (T's reads
//     under swap_lock, the copy install under ptlA) are split.
//   - try_to_unmap() unmaps B's pte only: A's pte was just accessed by T (young),
//     so try_to_unmap_one returns SWAP_FAIL for it; pageout is not modelled.
//     Reclaim makes one pass. add_to_swap fails when e is still in use.
//   - do_swap_page's vm_swap_full() / remove_exclusive_swap_page and
//     free_swap_and_cache's trylock-and-delete tail are not modelled.
//   - GUP (parameter `gup`) is one get_user_pages(write=1, force=1) call of A
//     whose write fault runs the same do_wp_page steps as T (cpu=1). mprotect
//     and fork are excluded by mmap_sem (held for read by every fault).
#pragma once

#include <array>
#include <cstdint>
#include <iterator>

#include "mmcheck/memory/machine.hpp"

namespace mmcheck::mm::wp_reuse {

inline constexpr int kMaxFaultCpus = 2;  // wp[0] = T (user store), wp[1] = GUP's fault

enum Proposal : int {
  kD0Trylock = 0,
  kD1GupVmWrite = 1,
  kD2NickLockPage = 2,
  kD3aUnlockedSwapcount = 3,
  kD3bSwaplockSum = 4,
  kDMergedRelock = 5,
};

// Memory CPUs (the actors' CPUs).
enum Cpu : int { kCpuT = 0, kCpuRecl = 1, kCpuB = 2, kCpuGup = 3, kNumCpus = 4 };

// Memory locations.
enum Loc : int {
  kLocFlags,     // page->flags
  kLocPrivate,   // page->private
  kLocMapcount,  // page->_mapcount (+1)
  kLocSwapMap,   // swap_map[e]
  kLocSwapLock,  // swap_lock
  kLocPteA,      // A's pte
  kLocPtlA,      // A's page-table lock
  kLocPteB,      // B's pte
  kLocPtlB,      // B's page-table lock
  kNumLocs
};

// page->flags bit numbers: one word, as in the kernel.
enum PageBit : int { kPgLocked = 0, kPgSwapCache = 1, kPgDirty = 2 };
enum PageFlag : std::uint8_t { kLocked = 1, kSwapCache = 2, kDirty = 4 };

// page->private: the swap entry (0 = none).
enum SwapEntry : std::uint8_t { kNoEntry = 0, kEntryE = 1 };

// A's pte at the address.
enum PteA : std::uint8_t { kPteRoX, kPteRwX, kPteRwCopy };

// B's pte: nothing, a swap pte for e, X mapped, or a page read back from disk.
enum PteB : std::uint8_t { kBNone, kBSwap, kBMapX, kBOther };

// Lock owners (ghosts: the lock words in memory hold 0/1).
enum Owner : std::uint8_t { kFree = 0, kOwnerT = 1, kOwnerGup = 2, kOwnerRecl = 3, kOwnerB = 4 };

// do_wp_page program counter of one faulting CPU.
enum WpPc : std::uint8_t {
  kWpIdle,             // not in a fault
  kWpLockPtl,          // handle_pte_fault: lock ptlA, read pte
  kWpPreMapcount,      // D3a/D3b: R mapcount == 1
  kWpPreSwapcache,     // D3a/D3b: R SWAPCACHE
  kWpTrylock,          // TestSetPageLocked / trylock_page
  kWpGetUnlockPtl,     // D2/D-merged: page_cache_get; pte_unmap_unlock
  kWpLockPage,         // D2/D-merged: lock_page (sleeps)
  kWpRelockPtl,        // D2/D-merged: pte_offset_map_lock; pte_same
  kWpBailUnlockPage,   // D-merged: pte changed: unlock_page; put
  kWpUnlockPtl,        // pte_unmap_unlock; return
  kWpCsMapcount,       // can_share_swap_page: R mapcount (page locked)
  kWpCsSwapcache,      // can_share_swap_page: R SWAPCACHE
  kWpSwapLock,         // page_swapcount: spin_lock(&swap_lock)
  kWpSwMapcount,       // D3b unlocked: R mapcount under swap_lock
  kWpSwSwapcache,      // D3b unlocked: R SWAPCACHE under swap_lock
  kWpRmb,              // D3b unlocked: smp_rmb
  kWpReadPrivate,      // R page->private
  kWpReadSwapMap,      // R swap_map[e]
  kWpSwapUnlock,       // spin_unlock(&swap_lock); decide
  kWpDeleteSwapcache,  // reuse_swap_page / D3b: delete_from_swap_cache
  kWpSwapFree,         // delete_from_swap_cache: swap_free(e)
  kWpSetDirty,         // SetPageDirty
  kWpUnlockPage,       // unlock_page
  kWpAct,              // reuse (pte writable) or start the copy (ptlA held)
  kWpCopyRelock,       // copy done: lock ptlA; pte_same
  kWpCopyRemoveRmap,   // page_remove_rmap(X)
  kWpCopySetPte,       // set_pte_at(X' writable); unlock
  kWpCount
};

// Which page_swapcount flavour a fault is computing.
enum WpPath : std::uint8_t { kPathLocked, kPathD3aUnlocked, kPathD3bUnlocked };

// Per-fault ghost bits.
enum WpGhost : std::uint8_t {
  kGhostExclAtEntry = 1,  // B neither mapped X nor held a swap pte for it at fault entry
  kGhostContended = 2,    // the fault found PG_locked held by someone else
  kGhostRetWrite = 4,     // do_wp_page returned VM_FAULT_WRITE
};

enum TPc : std::uint8_t { kTStore, kTFault, kTDone };
enum GupPc : std::uint8_t { kGupFollow, kGupFault, kGupDone };

enum ReclPc : std::uint8_t {
  kReclTrylock,
  kReclCheckSwapcache,
  kReclGetSwapPage,
  kReclSetPrivate,
  kReclWmb,
  kReclSetSwapcache,
  kReclLockPtlB,
  kReclSwapDuplicate,
  kReclRemoveRmap,
  kReclUnlockPtlB,
  kReclUnlockPage,
  kReclDone,
  kReclCount
};

enum BPc : std::uint8_t {
  kBIdle,
  kBLockPage,
  kBLockPtl,
  kBAddRmap,
  kBSwapFree,
  kBUnlockPage,
  kBUnlockPtl,
  kBPcCount
};

// Store-buffer slots per CPU and readable values per location. No step
// buffers more than two stores (a critical section's last store and its
// release); kHist covers the longest lag of a CPU's view (relaxed) or
// propagation frontier (lkmm) behind the newest value of page->flags.
inline constexpr int kSb = 2;
inline constexpr int kHist = 8;
using Bounds = memory::Bounds<kNumCpus, 12, kSb, kHist>;
template <memory::Model M>
using MachineOf = memory::Machine<M, Bounds>;

template <memory::Model M>
struct StateOf {
  typename MachineOf<M>::Mem mem;  // flags, private, mapcount, swap_map, locks, ptes
  std::uint8_t t_pc;               // TPc
  std::uint8_t gup_pc;             // GupPc
  std::uint8_t gup_foll_write;     // FOLL_WRITE still set
  std::uint8_t gup_page;           // 0 none, 1 X, 2 X' (the page get_user_pages returned)
  std::uint8_t recl_pc;            // ReclPc
  std::uint8_t b_pc;               // BPc
  std::array<std::uint8_t, kMaxFaultCpus> wp_pc;     // WpPc
  std::array<std::uint8_t, kMaxFaultCpus> wp_path;   // WpPath
  std::array<std::uint8_t, kMaxFaultCpus> wp_count;  // count being computed
  std::array<std::uint8_t, kMaxFaultCpus> wp_entry;  // private as read
  std::array<std::uint8_t, kMaxFaultCpus> wp_reuse;  // decision
  std::array<std::uint8_t, kMaxFaultCpus> wp_ghost;  // WpGhost bits
  // Ghosts (properties, timelines only; functions of the rest of the state).
  std::uint8_t g_ptl_a;            // Owner of ptlA
  std::uint8_t g_ptl_b;            // Owner of ptlB
  std::uint8_t g_swap_lock;        // Owner of swap_lock
  std::uint8_t g_lock_owner;       // Owner of PG_locked
  std::uint8_t g_wrong_cow;        // a fault installed X' although X was A's alone
  std::uint8_t g_window;           // bit 1: a fault ran while RECL held PG_locked;
                                   // bit 2: B added its rmap while a fault was in do_wp_page
  std::uint8_t g_reuse_contended;  // a fault reused X after finding PG_locked held
  std::uint8_t g_swapcache_freed;  // reuse dropped X from the swap cache
  std::uint8_t g_recl_unmapped_b;  // try_to_unmap_one moved B's pte to swap
  std::uint8_t g_published;        // add_to_swap_cache published private + SWAPCACHE
  bool operator==(const StateOf&) const = default;
};

struct Config {
  Proposal proposal;
  int b_start;    // PteB at the start (kBNone, kBSwap, kBMapX)
  int swapcache;  // X starts in the swap cache for e
  int recl;       // reclaim makes a pass
  int gup;        // a get_user_pages(write, force) call runs concurrently
  int no_rmb;     // D3b broken on purpose: page_swapcount without its smp_rmb
  int faulters() const { return 1 + gup; }
  bool d3() const { return proposal == kD3aUnlockedSwapcount || proposal == kD3bSwaplockSum; }
  bool relocks() const { return proposal == kD2NickLockPage || proposal == kDMergedRelock; }
  bool trylocks() const { return proposal != kD2NickLockPage; }
  bool frees_swapcache() const { return proposal == kD3bSwaplockSum || proposal == kDMergedRelock; }
  // 2.6.29 get_user_pages: keep FOLL_WRITE on VM_WRITE vmas (our vma is VM_WRITE).
  bool gup_persists() const { return proposal == kD1GupVmWrite || proposal == kDMergedRelock; }
  // Only D2, D3b and D-merged reuse after finding PG_locked held.
  bool reuses_when_contended() const { return proposal != kD0Trylock && proposal != kD1GupVmWrite; }
};

// B references X: maps it, or holds a swap pte for e while X is e's swap cache page.
template <typename S>
bool b_refs_x(const S& s) {
  const std::int32_t pte_b = latest(s.mem, kLocPteB);
  return pte_b == kBMapX || (pte_b == kBSwap && (latest(s.mem, kLocFlags) & kSwapCache) != 0 &&
                             latest(s.mem, kLocPrivate) == kEntryE);
}

}  // namespace mmcheck::mm::wp_reuse

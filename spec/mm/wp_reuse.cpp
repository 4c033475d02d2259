// File: spec/mm/wp_reuse.cpp
//
// The action table, proposals and registration of wp_reuse (a template over
// memory::Model); the kernel references, the races, the memory layout and the
// abstractions are in wp_reuse.hpp.
#include "spec/mm/wp_reuse.hpp"

#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "mmcheck/kernel/primitives.hpp"
#include "mmcheck/memory/environment.hpp"
#include "mmcheck/memory/por.hpp"
#include "mmcheck/spec.hpp"
#include "mmcheck/text.hpp"
#include "properties/mm/wp_reuse.hpp"
#include "registry/models.hpp"

namespace mmcheck::mm::wp_reuse {
namespace {

using memory::Ord;

constexpr std::string_view kWpPcNames[] = {"idle",          "lock_ptl",         "pre_mapcount",
                                           "pre_swapcache", "trylock",          "get_unlock_ptl",
                                           "lock_page",     "relock_ptl",       "bail_unlock_page",
                                           "unlock_ptl",    "cs_mapcount",      "cs_swapcache",
                                           "swap_lock",     "sw_mapcount",      "sw_swapcache",
                                           "rmb",           "read_private",     "read_swap_map",
                                           "swap_unlock",   "delete_swapcache", "swap_free",
                                           "set_dirty",     "unlock_page",      "act",
                                           "copy_relock",   "copy_remove_rmap", "copy_set_pte"};
constexpr std::string_view kPathNames[] = {"locked", "d3a_unlocked", "d3b_unlocked"};
constexpr std::string_view kTPcNames[] = {"store", "fault", "done"};
constexpr std::string_view kGupPcNames[] = {"follow_page", "fault", "done"};
constexpr std::string_view kReclPcNames[] = {
    "trylock",     "check_swapcache", "get_swap_page", "set_private",
    "wmb",         "set_swapcache",   "lock_ptl_b",    "swap_duplicate",
    "remove_rmap", "unlock_ptl_b",    "unlock_page",   "done"};
constexpr std::string_view kBPcNames[] = {"idle",      "lock_page",   "lock_ptl",  "add_rmap",
                                          "swap_free", "unlock_page", "unlock_ptl"};
constexpr std::string_view kPteANames[] = {"X ro", "X rw", "X' rw"};
constexpr std::string_view kPteBNames[] = {"none", "swap e", "X", "other (from disk)"};
constexpr std::string_view kOwnerNames[] = {"free", "T", "GUP", "RECL", "B"};
constexpr std::string_view kEntryNames[] = {"0", "e"};
constexpr std::string_view kGupPageNames[] = {"-", "X", "X'"};

const std::string kLocNames[] = {"flags", "private", "mapcount", "swap_map", "swap_lock",
                                 "pteA",  "ptlA",    "pteB",     "ptlB"};

template <memory::Model M>
struct Spec {
  using Machine = MachineOf<M>;
  using K = kernel::Kernel<Machine>;
  using V = std::int32_t;
  using State = StateOf<M>;
  using Config = wp_reuse::Config;
  using Family = ActionFamily<State, Config>;
  using Prop = Property<State, Config>;
  static_assert(sizeof(State) == sizeof(typename Machine::Mem) + 28, "no padding");

  static constexpr std::string_view name = "wp_reuse";
  static constexpr std::string_view summary =
      "do_wp_page reuse of an anon page vs the page lock and the swap count (2008, 2.6.26-29)";
  static constexpr DeadlockPolicy deadlock_policy = DeadlockPolicy::stuck;

  static std::span<const ProposalSpec> proposals() {
    static constexpr ProposalSpec kProposals[] = {
        {"D0-trylock",
         "2.6.26: TestSetPageLocked failure => copy; can_share_swap_page under the page lock"},
        {"D1-gup-vmwrite",
         "Hugh 18 Jun 2008 / 2.6.29 patch 1/8: get_user_pages keeps FOLL_WRITE on VM_WRITE "
         "vmas; do_wp_page unchanged"},
        {"D2-nick-lockpage-test",
         "Nick 20 Jun 2008: unlock ptl, lock_page, decide, unlock_page, relock ptl, pte_same"},
        {"D3a-unlocked-swapcount",
         "Hugh 19 Jun 2008: mapcount == 1 && (!SwapCache || trylock ? locked check : "
         "page_swapcount == 0)"},
        {"D3b-swaplock-sum",
         "Hugh 23 Jun 2008 rollup: trylock failure => mapcount + swapcount under swap_lock; "
         "private published with wmb/rmb"},
        {"D-merged-relock",
         "ab967d86015a (2.6.29): trylock, else unlock ptl, lock_page, relock, pte_same; "
         "reuse_swap_page"},
    };
    return kProposals;
  }
  static std::span<const ParamSpec> params() {
    static constexpr ParamSpec kParams[] = {
        {"b", 1, 0, 2, "B's pte at the start: 0 none, 1 swap pte for e, 2 maps X"},
        {"swapcache", 1, 0, 1, "X starts in the swap cache for e"},
        {"recl", 1, 0, 1, "reclaim (shrink_page_list) makes one pass over X"},
        {"gup", 0, 0, 1, "a concurrent get_user_pages(write=1, force=1) of A (fault on CPU1)"},
        {"no_rmb", 0, 0, 1,
         "D3b-swaplock-sum only, broken on purpose: page_swapcount reads private without the "
         "smp_rmb after PageSwapCache"},
    };
    return kParams;
  }
  static Config configure(const RunConfig& run) {
    Config c{static_cast<Proposal>(run.proposal),
             run.params[0],
             run.params[1],
             run.params[2],
             run.params[3],
             run.params[4]};
    if (c.b_start == kBSwap && c.swapcache == 0) {
      throw UsageError("b=1 (B holds a swap pte for e) needs swapcache=1");
    }
    if (c.no_rmb && c.proposal != kD3bSwaplockSum) {
      throw UsageError("no_rmb=1 applies to D3b-swaplock-sum only");
    }
    return c;
  }

  // ---- memory -------------------------------------------------------------
  static int memory_cpus(const Config&) { return kNumCpus; }
  static int memory_locs(const Config&) { return kNumLocs; }
  static int memory_actor(const Config&, int cpu) { return cpu; }  // T, RECL, B, GUP columns
  static int cpu_of(int i) { return i == 0 ? kCpuT : kCpuGup; }
  static constexpr std::uint64_t bit(int loc) { return std::uint64_t{1} << loc; }

  // Locations whose view matters to fault `i`: the plain reads it makes before
  // its next acquire / smp_rmb. Every pc below is entered right after an
  // acquire (ptlA, PG_locked, swap_lock), so a view made relevant there starts
  // at the newest value, as the acquire would have left it.
  static std::uint64_t wp_relevant(const Config& c, const State& s, int i) {
    const std::uint64_t late = bit(kLocPrivate) | bit(kLocSwapMap);
    switch (s.wp_pc[i]) {
      case kWpPreMapcount:
      case kWpCsMapcount:
        return bit(kLocMapcount) | bit(kLocFlags);
      case kWpPreSwapcache:
      case kWpCsSwapcache:
        return bit(kLocFlags);
      case kWpSwMapcount:
        return bit(kLocMapcount) | bit(kLocFlags) | (c.no_rmb ? late : 0);
      case kWpSwSwapcache:
        return bit(kLocFlags) | (c.no_rmb ? late : 0);
      case kWpRmb:
        return c.no_rmb ? late : 0;
      case kWpReadPrivate:
        return late;
      case kWpReadSwapMap:
        return bit(kLocSwapMap);
      default:
        return 0;
    }
  }
  static std::uint64_t relevant(const Config& c, const State& s, int cpu) {
    switch (cpu) {
      case kCpuT:  // T's store: hardware walk of pteA
        return (s.t_pc == kTStore ? bit(kLocPteA) : 0) | wp_relevant(c, s, 0);
      case kCpuRecl:
        return s.recl_pc == kReclCheckSwapcache ? bit(kLocFlags) : 0;
      case kCpuGup:
        return c.gup ? wp_relevant(c, s, 1) : 0;
      default:  // B reads only right after an acquire or smp_rmb
        return 0;
    }
  }
  // The location the CPU's next step reads with a plain load (-1: none).
  static int wp_next_read(const State& s, int i) {
    switch (s.wp_pc[i]) {
      case kWpPreMapcount:
      case kWpCsMapcount:
      case kWpSwMapcount:
        return kLocMapcount;
      case kWpPreSwapcache:
      case kWpCsSwapcache:
      case kWpSwSwapcache:
        return kLocFlags;
      case kWpReadPrivate:
        return kLocPrivate;
      case kWpReadSwapMap:
        return kLocSwapMap;
      default:
        return -1;
    }
  }
  // Reduction: a CPU processes an invalidation only right before the load it
  // affects (mem.advance commutes with every other step).
  static bool may_advance(const Config& c, const State& s, int cpu, int loc) {
    switch (cpu) {
      case kCpuT:
        return loc == (s.t_pc == kTStore ? kLocPteA : wp_next_read(s, 0));
      case kCpuRecl:
        return s.recl_pc == kReclCheckSwapcache && loc == kLocFlags;
      case kCpuGup:
        return c.gup && loc == wp_next_read(s, 1);
      default:
        return false;
    }
  }
  static bool cpu_done(const Config&, const State& s, int cpu) {
    if (s.mem.sb_n[cpu] != 0) return false;
    switch (cpu) {
      case kCpuT:
        return s.t_pc == kTDone;
      case kCpuRecl:
        return s.recl_pc == kReclDone;
      case kCpuB:
        return s.b_pc == kBIdle && latest(s.mem, kLocPteB) == kBNone;
      default:
        return s.gup_pc == kGupDone;
    }
  }
  // Canonical form after every step: irrelevant views don't-care, finished
  // CPUs retired (lkmm), unreadable history dropped.
  static void after_memory_step(const Config& c, State& s) {
    if constexpr (Machine::kViews) {
      for (int cpu = 0; cpu < kNumCpus; ++cpu)
        Machine::set_relevant(s.mem, cpu, relevant(c, s, cpu));
    }
    if constexpr (Machine::kLk) {
      for (int cpu = 0; cpu < kNumCpus; ++cpu) {
        if (cpu_done(c, s, cpu)) Machine::retire(s.mem, cpu);
      }
    }
    Machine::normalize(s.mem);
  }

  static State initial(const Config& c) {
    State s;
    std::memset(&s, 0, sizeof s);
    const std::int32_t init[kNumLocs] = {
        c.swapcache ? kSwapCache : 0,                     // flags
        c.swapcache ? kEntryE : kNoEntry,                 // private
        c.b_start == kBMapX ? 2 : 1,                      // mapcount
        c.swapcache ? (c.b_start == kBSwap ? 2 : 1) : 0,  // swap_map[e]
        0,                                                // swap_lock
        kPteRoX,    // pteA: mprotect off/on, or swap-out and a read fault
        0,          // ptlA
        c.b_start,  // pteB
        0,          // ptlB
    };
    Machine::init(s.mem, init);
    s.t_pc = kTStore;
    s.gup_pc = c.gup ? kGupFollow : kGupDone;
    s.gup_foll_write = 1;
    s.recl_pc = c.recl ? kReclTrylock : kReclDone;
    s.b_pc = kBIdle;
    after_memory_step(c, s);
    return s;
  }

  // ---- helpers --------------------------------------------------------------
  // What `cpu` reads from `loc` right after an smp_rmb / acquire (guards of
  // steps that start with one).
  static V fresh(const State& s, int cpu, int loc) {
    const auto& m = s.mem;
    for (int i = m.sb_n[cpu] - 1; i >= 0; --i) {
      if (m.sb_loc[cpu][i] == loc) return m.sb_val[cpu][i];
    }
    return m.hist[loc][Machine::top(m, cpu, loc)];
  }
  static bool can_lock(const State& s, int cpu, int loc) {
    return K::can_spin_lock(s.mem, cpu, loc);
  }
  // spin_lock(&swap_lock); swap_map[e] op; spin_unlock(&swap_lock) in one step.
  static bool can_swap_map_op(const State& s, int cpu) {
    return can_lock(s, cpu, kLocSwapLock) && K::can_rmw(s.mem, cpu, kLocSwapMap, Ord::relaxed);
  }
  template <typename Op>
  static V swap_map_op(State& s, int cpu, Op op) {
    K::spin_lock(s.mem, cpu, kLocSwapLock);
    const V old = K::rmw(s.mem, cpu, kLocSwapMap, Ord::relaxed, op);
    K::spin_unlock(s.mem, cpu, kLocSwapLock);
    return old;
  }
  static bool can_page_lock(const State& s, int cpu) {  // lock_page: waits for PG_locked clear
    return K::can_test_and_set_bit_lock(s.mem, cpu, kLocFlags) &&
           (Machine::rmw_read(s.mem, kLocFlags) & kLocked) == 0;
  }
  // Room for `n` more stores in the CPU's store buffer.
  static bool room(const State& s, int cpu, int n) {
    return Machine::can_store(s.mem, cpu, kSb - n + 1);
  }

  // Actor columns: T, RECL, B, then GUP when present.
  static int wp_actor(const Config&, int i) { return i == 0 ? 0 : 3; }
  static int t_actor(const Config&, int) { return 0; }
  static int recl_actor(const Config&, int) { return 1; }
  static int b_actor(const Config&, int) { return 2; }
  static int gup_actor(const Config&, int) { return 3; }

  // Family sizes: a family a proposal never uses has no members.
  static int n_wp(const Config& c) { return c.faulters(); }
  static int n_d3(const Config& c) { return c.d3() ? c.faulters() : 0; }
  static int n_try(const Config& c) { return c.trylocks() ? c.faulters() : 0; }
  static int n_relock(const Config& c) { return c.relocks() ? c.faulters() : 0; }
  static int n_merged(const Config& c) { return c.proposal == kDMergedRelock ? c.faulters() : 0; }
  static int n_d3b(const Config& c) { return c.proposal == kD3bSwaplockSum ? c.faulters() : 0; }
  static int n_free(const Config& c) { return c.frees_swapcache() ? c.faulters() : 0; }
  static int n_gup(const Config& c) { return c.gup; }
  static int n_recl(const Config& c) { return c.recl; }
  static int n_b(const Config& c) { return c.b_start != kBNone ? 1 : 0; }

  static std::uint8_t owner(int i) { return i == 0 ? kOwnerT : kOwnerGup; }
  static bool in_do_wp_page(const State& s, int i) {
    return s.wp_pc[i] != kWpIdle && s.wp_pc[i] != kWpLockPtl;
  }
  static bool any_in_do_wp_page(const Config& c, const State& s) {
    for (int i = 0; i < c.faulters(); ++i) {
      if (in_do_wp_page(s, i)) return true;
    }
    return false;
  }
  // Ghost: D0's window (a fault in do_wp_page while reclaim holds PG_locked).
  static void observe_recl_window(const Config& c, State& s) {
    if (s.g_lock_owner == kOwnerRecl && any_in_do_wp_page(c, s)) s.g_window |= 1;
  }
  // do_wp_page / handle_mm_fault returns to its caller (T retries the store,
  // GUP retries follow_page).
  static void fault_return(State& s, int i, bool ret_write) {
    s.wp_pc[i] = kWpIdle;
    s.wp_path[i] = kPathLocked;
    s.wp_count[i] = 0;
    s.wp_entry[i] = kNoEntry;
    s.wp_reuse[i] = 0;
    s.wp_ghost[i] = ret_write ? kGhostRetWrite : 0;
    if (i == 0) {
      s.t_pc = kTStore;
    } else {
      s.gup_pc = kGupFollow;
    }
  }
  // Where a decision taken under the page lock goes next.
  static void locked_done(State& s, int i, bool reuse) {
    s.wp_reuse[i] = reuse;
    s.wp_pc[i] = kWpUnlockPage;
  }

  // Family tables as named functions so one guard/effect pair reads as the
  // kernel code it models.
  // T's store to the page: hardware walk; a R/O pte -> write fault.
  static bool t_store_g(const Config&, const State& s, int) { return s.t_pc == kTStore; }
  static void t_store(const Config& c, State& s, int) {
    if (K::read_once(s.mem, kCpuT, kLocPteA) != kPteRoX) {
      s.t_pc = kTDone;
    } else {
      s.t_pc = kTFault;
      s.wp_pc[0] = kWpLockPtl;
    }
    after_memory_step(c, s);
  }
  // get_user_pages(): `if (ret & VM_FAULT_WRITE) foll_flags &= ~FOLL_WRITE`
  // (2.6.26; 2.6.29: only if !(vma->vm_flags & VM_WRITE)), then
  // follow_page(): pte_offset_map_lock; pte_write check; get_page; unlock.
  static bool gup_follow_g(const Config&, const State& s, int) {
    return s.gup_pc == kGupFollow && can_lock(s, kCpuGup, kLocPtlA);
  }
  static void gup_follow(const Config& c, State& s, int) {
    if ((s.wp_ghost[1] & kGhostRetWrite) && !c.gup_persists()) s.gup_foll_write = 0;
    s.wp_ghost[1] = 0;
    K::spin_lock(s.mem, kCpuGup, kLocPtlA);
    const V pte = K::read_once(s.mem, kCpuGup, kLocPteA);
    K::spin_unlock(s.mem, kCpuGup, kLocPtlA);
    if (pte != kPteRoX || !s.gup_foll_write) {
      s.gup_page = pte == kPteRwCopy ? 2 : 1;
      s.gup_pc = kGupDone;
    } else {
      s.gup_pc = kGupFault;
      s.wp_pc[1] = kWpLockPtl;
    }
    after_memory_step(c, s);
  }
  // handle_pte_fault(): pte_offset_map_lock; write to a R/O pte -> do_wp_page,
  // already writable -> pte_mkdirty, unlock, return 0.
  static bool wp_lock_ptl_g(const Config&, const State& s, int i) {
    return s.wp_pc[i] == kWpLockPtl && can_lock(s, cpu_of(i), kLocPtlA);
  }
  static void wp_lock_ptl(const Config& c, State& s, int i) {
    const int cpu = cpu_of(i);
    K::spin_lock(s.mem, cpu, kLocPtlA);
    if (K::read_once(s.mem, cpu, kLocPteA) != kPteRoX) {
      K::spin_unlock(s.mem, cpu, kLocPtlA);
      fault_return(s, i, false);
    } else {
      s.g_ptl_a = owner(i);
      s.wp_ghost[i] = b_refs_x(s) ? 0 : kGhostExclAtEntry;
      s.wp_pc[i] = c.d3()                          ? kWpPreMapcount
                   : c.proposal == kD2NickLockPage ? kWpGetUnlockPtl
                                                   : kWpTrylock;
      observe_recl_window(c, s);
    }
    after_memory_step(c, s);
  }
  // D3a/D3b: if (page_mapcount(old_page) == 1)   (atomic_read: plain)
  static bool wp_pre_mapcount_g(const Config&, const State& s, int i) {
    return s.wp_pc[i] == kWpPreMapcount;
  }
  static void wp_pre_mapcount(const Config& c, State& s, int i) {
    if (K::atomic_read(s.mem, cpu_of(i), kLocMapcount) != 1) {
      s.wp_reuse[i] = 0;
      s.wp_pc[i] = kWpAct;
    } else {
      s.wp_pc[i] = kWpPreSwapcache;
    }
    after_memory_step(c, s);
  }
  // D3a/D3b: if (!PageSwapCache(old_page)) reuse = 1   (test_bit: plain)
  static bool wp_pre_swapcache_g(const Config&, const State& s, int i) {
    return s.wp_pc[i] == kWpPreSwapcache;
  }
  static void wp_pre_swapcache(const Config& c, State& s, int i) {
    if (!K::test_bit(s.mem, cpu_of(i), kPgSwapCache, kLocFlags)) {
      s.wp_reuse[i] = 1;
      s.wp_pc[i] = kWpAct;
    } else {
      s.wp_pc[i] = kWpTrylock;
    }
    after_memory_step(c, s);
  }
  // TestSetPageLocked(old_page) / trylock_page(): test_and_set_bit_lock on
  // page->flags (acquire on success, unordered on failure).
  static bool wp_trylock_g(const Config&, const State& s, int i) {
    return s.wp_pc[i] == kWpTrylock && K::can_test_and_set_bit_lock(s.mem, cpu_of(i), kLocFlags);
  }
  static void wp_trylock(const Config& c, State& s, int i) {
    if (!K::test_and_set_bit_lock(s.mem, cpu_of(i), kPgLocked, kLocFlags)) {
      s.g_lock_owner = owner(i);
      s.wp_path[i] = kPathLocked;
      s.wp_pc[i] = kWpCsMapcount;
      after_memory_step(c, s);
      return;
    }
    s.wp_ghost[i] |= kGhostContended;
    switch (c.proposal) {
      case kD3aUnlockedSwapcount:  // elif (page_swapcount(old_page) == 0)
        s.wp_path[i] = kPathD3aUnlocked;
        s.wp_count[i] = 0;
        s.wp_pc[i] = kWpSwapLock;
        break;
      case kD3bSwaplockSum:  // page_swapcount(old_page, add_mapcount) == 1
        s.wp_path[i] = kPathD3bUnlocked;
        s.wp_pc[i] = kWpSwapLock;
        break;
      case kDMergedRelock:
        s.wp_pc[i] = kWpGetUnlockPtl;
        break;
      default:  // D0/D1: lock busy -> copy
        s.wp_reuse[i] = 0;
        s.wp_pc[i] = kWpAct;
        break;
    }
    after_memory_step(c, s);
  }
  // D2/D-merged: page_cache_get(old_page); pte_unmap_unlock(page_table, ptl)
  static bool wp_get_unlock_ptl_g(const Config&, const State& s, int i) {
    return s.wp_pc[i] == kWpGetUnlockPtl && K::can_spin_unlock(s.mem, cpu_of(i));
  }
  static void wp_get_unlock_ptl(const Config& c, State& s, int i) {
    if (latest(s.mem, kLocFlags) & kLocked) s.wp_ghost[i] |= kGhostContended;  // ghost read
    K::spin_unlock(s.mem, cpu_of(i), kLocPtlA);
    s.g_ptl_a = kFree;
    s.wp_pc[i] = kWpLockPage;
    after_memory_step(c, s);
  }
  // D2/D-merged: lock_page(old_page): sleeps until PG_locked is clear.
  static bool wp_lock_page_g(const Config&, const State& s, int i) {
    return s.wp_pc[i] == kWpLockPage && can_page_lock(s, cpu_of(i));
  }
  static void wp_lock_page(const Config& c, State& s, int i) {
    K::test_and_set_bit_lock(s.mem, cpu_of(i), kPgLocked, kLocFlags);
    s.g_lock_owner = owner(i);
    s.wp_path[i] = kPathLocked;
    s.wp_pc[i] = c.proposal == kD2NickLockPage ? kWpCsMapcount : kWpRelockPtl;
    after_memory_step(c, s);
  }
  // D2/D-merged: pte_offset_map_lock(); if (!pte_same(*page_table, orig_pte))
  static bool wp_relock_ptl_g(const Config&, const State& s, int i) {
    return s.wp_pc[i] == kWpRelockPtl && can_lock(s, cpu_of(i), kLocPtlA);
  }
  static void wp_relock_ptl(const Config& c, State& s, int i) {
    K::spin_lock(s.mem, cpu_of(i), kLocPtlA);
    s.g_ptl_a = owner(i);
    const bool same = K::read_once(s.mem, cpu_of(i), kLocPteA) == kPteRoX;
    if (c.proposal == kD2NickLockPage) {  // page already unlocked; put_page
      s.wp_pc[i] = same ? kWpAct : kWpUnlockPtl;
    } else {
      s.wp_pc[i] = same ? kWpCsMapcount : kWpBailUnlockPage;
    }
    after_memory_step(c, s);
  }
  // unlock_page(old_page): clear_bit_unlock(PG_locked) + wake_up_page
  static bool can_unlock_page(const State& s, int cpu) {
    return K::can_clear_bit_unlock(s.mem, cpu, kLocFlags);
  }
  static void unlock_page(State& s, int cpu) {
    K::clear_bit_unlock(s.mem, cpu, kPgLocked, kLocFlags);
    s.g_lock_owner = kFree;
  }
  // D-merged: pte changed: unlock_page(old_page); page_cache_release()
  static bool wp_bail_unlock_page_g(const Config&, const State& s, int i) {
    return s.wp_pc[i] == kWpBailUnlockPage && can_unlock_page(s, cpu_of(i));
  }
  static void wp_bail_unlock_page(const Config& c, State& s, int i) {
    unlock_page(s, cpu_of(i));
    s.wp_pc[i] = kWpUnlockPtl;
    after_memory_step(c, s);
  }
  // pte_unmap_unlock(); return without VM_FAULT_WRITE (pte changed under us)
  static bool wp_unlock_ptl_g(const Config&, const State& s, int i) {
    return s.wp_pc[i] == kWpUnlockPtl && K::can_spin_unlock(s.mem, cpu_of(i));
  }
  static void wp_unlock_ptl(const Config& c, State& s, int i) {
    K::spin_unlock(s.mem, cpu_of(i), kLocPtlA);
    s.g_ptl_a = kFree;
    fault_return(s, i, false);
    after_memory_step(c, s);
  }
  // can_share_swap_page(): count = page_mapcount(page)   (page locked)
  static bool wp_cs_mapcount_g(const Config&, const State& s, int i) {
    return s.wp_pc[i] == kWpCsMapcount;
  }
  static void wp_cs_mapcount(const Config& c, State& s, int i) {
    const V mapcount = K::atomic_read(s.mem, cpu_of(i), kLocMapcount);
    s.wp_count[i] = static_cast<std::uint8_t>(mapcount);
    if (mapcount <= 1) {
      s.wp_pc[i] = kWpCsSwapcache;
    } else {
      locked_done(s, i, false);
    }
    after_memory_step(c, s);
  }
  // can_share_swap_page(): if (count <= 1 && PageSwapCache(page))
  static bool wp_cs_swapcache_g(const Config&, const State& s, int i) {
    return s.wp_pc[i] == kWpCsSwapcache;
  }
  static void wp_cs_swapcache(const Config& c, State& s, int i) {
    if (K::test_bit(s.mem, cpu_of(i), kPgSwapCache, kLocFlags)) {
      s.wp_pc[i] = kWpSwapLock;
    } else {
      locked_done(s, i, s.wp_count[i] == 1);
    }
    after_memory_step(c, s);
  }
  // page_swapcount(): swap_info_get() -> spin_lock(&swap_lock)
  static bool wp_swap_lock_g(const Config&, const State& s, int i) {
    return s.wp_pc[i] == kWpSwapLock && can_lock(s, cpu_of(i), kLocSwapLock);
  }
  static void wp_swap_lock(const Config& c, State& s, int i) {
    K::spin_lock(s.mem, cpu_of(i), kLocSwapLock);
    s.g_swap_lock = owner(i);
    s.wp_pc[i] = s.wp_path[i] == kPathD3bUnlocked ? kWpSwMapcount : kWpReadPrivate;
    after_memory_step(c, s);
  }
  // D3b page_swapcount(page, add_mapcount): c = page_mapcount(page) under swap_lock
  static bool wp_sw_mapcount_g(const Config&, const State& s, int i) {
    return s.wp_pc[i] == kWpSwMapcount;
  }
  static void wp_sw_mapcount(const Config& c, State& s, int i) {
    s.wp_count[i] = static_cast<std::uint8_t>(K::atomic_read(s.mem, cpu_of(i), kLocMapcount));
    s.wp_pc[i] = kWpSwSwapcache;
    after_memory_step(c, s);
  }
  // D3b page_swapcount(): if (PageSwapCache(page))
  static bool wp_sw_swapcache_g(const Config&, const State& s, int i) {
    return s.wp_pc[i] == kWpSwSwapcache;
  }
  static void wp_sw_swapcache(const Config& c, State& s, int i) {
    s.wp_pc[i] = K::test_bit(s.mem, cpu_of(i), kPgSwapCache, kLocFlags) ? kWpRmb : kWpSwapUnlock;
    after_memory_step(c, s);
  }
  // D3b page_swapcount(): smp_rmb() (pairs with add_to_swap_cache's smp_wmb);
  // no_rmb=1 leaves it out.
  static bool wp_rmb_g(const Config&, const State& s, int i) { return s.wp_pc[i] == kWpRmb; }
  static void wp_rmb(const Config& c, State& s, int i) {
    if (!c.no_rmb) K::smp_rmb(s.mem, cpu_of(i));
    s.wp_pc[i] = kWpReadPrivate;
    after_memory_step(c, s);
  }
  // page_swapcount(): entry.val = page_private(page)
  static bool wp_read_private_g(const Config&, const State& s, int i) {
    return s.wp_pc[i] == kWpReadPrivate;
  }
  static void wp_read_private(const Config& c, State& s, int i) {
    s.wp_entry[i] = static_cast<std::uint8_t>(K::read_once(s.mem, cpu_of(i), kLocPrivate));
    s.wp_pc[i] = kWpReadSwapMap;
    after_memory_step(c, s);
  }
  // page_swapcount(): count += p->swap_map[swp_offset(entry)] - 1; a bad or
  // free entry (swap_info_get fails) adds 0.
  static bool wp_read_swap_map_g(const Config&, const State& s, int i) {
    return s.wp_pc[i] == kWpReadSwapMap;
  }
  static void wp_read_swap_map(const Config& c, State& s, int i) {
    const V swap_map = K::read_once(s.mem, cpu_of(i), kLocSwapMap);
    if (s.wp_entry[i] == kEntryE && swap_map > 0) {
      s.wp_count[i] = static_cast<std::uint8_t>(s.wp_count[i] + swap_map - 1);
    }
    s.wp_pc[i] = kWpSwapUnlock;
    after_memory_step(c, s);
  }
  // spin_unlock(&swap_lock); the caller decides.
  static bool wp_swap_unlock_g(const Config&, const State& s, int i) {
    return s.wp_pc[i] == kWpSwapUnlock && K::can_spin_unlock(s.mem, cpu_of(i));
  }
  static void wp_swap_unlock(const Config& c, State& s, int i) {
    K::spin_unlock(s.mem, cpu_of(i), kLocSwapLock);
    s.g_swap_lock = kFree;
    switch (s.wp_path[i]) {
      case kPathD3aUnlocked:  // page_swapcount(old_page) == 0
        s.wp_reuse[i] = s.wp_count[i] == 0;
        s.wp_pc[i] = kWpAct;
        break;
      case kPathD3bUnlocked:  // mapcount + swapcount == 1
        s.wp_reuse[i] = s.wp_count[i] == 1;
        s.wp_pc[i] = kWpAct;
        break;
      default: {  // locked: can_share_swap_page / reuse_swap_page
        const bool reuse = s.wp_count[i] == 1;
        if (reuse && c.frees_swapcache()) {
          s.wp_reuse[i] = 1;
          s.wp_pc[i] = kWpDeleteSwapcache;
        } else {
          locked_done(s, i, reuse);
        }
      }
    }
    after_memory_step(c, s);
  }
  // delete_from_swap_cache(): under tree_lock, radix delete,
  // set_page_private(page, 0) (kept under D3b), ClearPageSwapCache. The
  // clear_bit runs first here (an RMW cannot follow an own buffered store in
  // one step under tso); both change under the page lock, and the only
  // unlocked reader (lookup_swap_cache) finds X absent either way.
  static bool wp_delete_swapcache_g(const Config&, const State& s, int i) {
    return s.wp_pc[i] == kWpDeleteSwapcache && K::can_set_bit(s.mem, cpu_of(i), kLocFlags) &&
           room(s, cpu_of(i), 1);
  }
  static void wp_delete_swapcache(const Config& c, State& s, int i) {
    K::clear_bit(s.mem, cpu_of(i), kPgSwapCache, kLocFlags);
    if (c.proposal != kD3bSwaplockSum) K::write_once(s.mem, cpu_of(i), kLocPrivate, kNoEntry);
    s.g_swapcache_freed = 1;
    s.wp_pc[i] = kWpSwapFree;
    after_memory_step(c, s);
  }
  // delete_from_swap_cache(): swap_free(entry): swap_lock; swap_map[e]--
  static bool wp_swap_free_g(const Config&, const State& s, int i) {
    return s.wp_pc[i] == kWpSwapFree && can_swap_map_op(s, cpu_of(i));
  }
  static void wp_swap_free(const Config& c, State& s, int i) {
    swap_map_op(s, cpu_of(i), [](V x) { return x > 0 ? x - 1 : x; });
    s.wp_pc[i] = kWpSetDirty;
    after_memory_step(c, s);
  }
  // SetPageDirty(page): set_bit on page->flags
  static bool wp_set_dirty_g(const Config&, const State& s, int i) {
    return s.wp_pc[i] == kWpSetDirty && K::can_set_bit(s.mem, cpu_of(i), kLocFlags);
  }
  static void wp_set_dirty(const Config& c, State& s, int i) {
    K::set_bit(s.mem, cpu_of(i), kPgDirty, kLocFlags);
    s.wp_pc[i] = kWpUnlockPage;
    after_memory_step(c, s);
  }
  // unlock_page(old_page)
  static bool wp_unlock_page_g(const Config&, const State& s, int i) {
    return s.wp_pc[i] == kWpUnlockPage && can_unlock_page(s, cpu_of(i));
  }
  static void wp_unlock_page(const Config& c, State& s, int i) {
    unlock_page(s, cpu_of(i));
    s.wp_pc[i] = c.proposal == kD2NickLockPage ? kWpRelockPtl : kWpAct;
    after_memory_step(c, s);
  }
  // reuse: ptep_set_access_flags(maybe_mkwrite(pte_mkdirty(entry))); unlock;
  // VM_FAULT_WRITE.  copy: page_cache_get; pte_unmap_unlock; (copy the page)
  static bool wp_act_g(const Config&, const State& s, int i) {
    return s.wp_pc[i] == kWpAct && room(s, cpu_of(i), s.wp_reuse[i] ? 2 : 1);
  }
  static void wp_act(const Config& c, State& s, int i) {
    const int cpu = cpu_of(i);
    if (s.wp_reuse[i]) K::write_once(s.mem, cpu, kLocPteA, kPteRwX);
    K::spin_unlock(s.mem, cpu, kLocPtlA);
    s.g_ptl_a = kFree;
    if (s.wp_reuse[i]) {
      if (s.wp_ghost[i] & kGhostContended) s.g_reuse_contended = 1;
      fault_return(s, i, true);
    } else {
      s.wp_pc[i] = kWpCopyRelock;
    }
    after_memory_step(c, s);
  }
  // page_table = pte_offset_map_lock(); if (likely(pte_same(*page_table, orig_pte)))
  static bool wp_copy_relock_g(const Config&, const State& s, int i) {
    return s.wp_pc[i] == kWpCopyRelock && can_lock(s, cpu_of(i), kLocPtlA);
  }
  static void wp_copy_relock(const Config& c, State& s, int i) {
    K::spin_lock(s.mem, cpu_of(i), kLocPtlA);
    s.g_ptl_a = owner(i);
    s.wp_pc[i] =
        K::read_once(s.mem, cpu_of(i), kLocPteA) == kPteRoX ? kWpCopyRemoveRmap : kWpUnlockPtl;
    after_memory_step(c, s);
  }
  // page_remove_rmap(old_page, vma): atomic_add_negative(-1, &_mapcount) (full)
  static bool wp_copy_remove_rmap_g(const Config&, const State& s, int i) {
    return s.wp_pc[i] == kWpCopyRemoveRmap && K::can_rmw(s.mem, cpu_of(i), kLocMapcount, Ord::full);
  }
  static void wp_copy_remove_rmap(const Config& c, State& s, int i) {
    K::atomic_add_return(s.mem, cpu_of(i), kLocMapcount, -1);
    s.wp_pc[i] = kWpCopySetPte;
    after_memory_step(c, s);
  }
  // set_pte_at(new_page, writable); page_add_new_anon_rmap; unlock; VM_FAULT_WRITE
  static bool wp_copy_set_pte_g(const Config&, const State& s, int i) {
    return s.wp_pc[i] == kWpCopySetPte && room(s, cpu_of(i), 2);
  }
  static void wp_copy_set_pte(const Config& c, State& s, int i) {
    K::write_once(s.mem, cpu_of(i), kLocPteA, kPteRwCopy);
    K::spin_unlock(s.mem, cpu_of(i), kLocPtlA);
    s.g_ptl_a = kFree;
    if (s.wp_ghost[i] & kGhostExclAtEntry) s.g_wrong_cow = 1;
    fault_return(s, i, true);
    after_memory_step(c, s);
  }

  // ---- RECL: shrink_page_list ----------------------------------------------
  // if (TestSetPageLocked(page)) goto keep;
  static bool recl_trylock_g(const Config&, const State& s, int) {
    return s.recl_pc == kReclTrylock && K::can_test_and_set_bit_lock(s.mem, kCpuRecl, kLocFlags);
  }
  static void recl_trylock(const Config& c, State& s, int) {
    if (K::test_and_set_bit_lock(s.mem, kCpuRecl, kPgLocked, kLocFlags)) {
      s.recl_pc = kReclDone;
    } else {
      s.g_lock_owner = kOwnerRecl;
      s.recl_pc = kReclCheckSwapcache;
      observe_recl_window(c, s);
    }
    after_memory_step(c, s);
  }
  // if (PageAnon(page) && !PageSwapCache(page)) add_to_swap(page)
  static bool recl_check_swapcache_g(const Config&, const State& s, int) {
    return s.recl_pc == kReclCheckSwapcache;
  }
  static void recl_check_swapcache(const Config& c, State& s, int) {
    s.recl_pc =
        K::test_bit(s.mem, kCpuRecl, kPgSwapCache, kLocFlags) ? kReclLockPtlB : kReclGetSwapPage;
    after_memory_step(c, s);
  }
  // add_to_swap(): get_swap_page(): swap_lock; swap_map[e] = 1 (fails if e is in use)
  static bool recl_get_swap_page_g(const Config&, const State& s, int) {
    return s.recl_pc == kReclGetSwapPage && can_swap_map_op(s, kCpuRecl);
  }
  static void recl_get_swap_page(const Config& c, State& s, int) {
    const V old = swap_map_op(s, kCpuRecl, [](V x) { return x == 0 ? 1 : x; });
    s.recl_pc = old == 0 ? kReclSetPrivate : kReclUnlockPage;  // else activate_locked
    after_memory_step(c, s);
  }
  // add_to_swap_cache(): set_page_private(page, entry.val)
  static bool recl_set_private_g(const Config&, const State& s, int) {
    return s.recl_pc == kReclSetPrivate && K::can_write_once(s.mem, kCpuRecl);
  }
  static void recl_set_private(const Config& c, State& s, int) {
    K::write_once(s.mem, kCpuRecl, kLocPrivate, kEntryE);
    s.recl_pc = kReclWmb;
    after_memory_step(c, s);
  }
  // add_to_swap_cache(): smp_wmb() (D3b rollup; pairs with page_swapcount's rmb)
  static bool recl_wmb_g(const Config&, const State& s, int) { return s.recl_pc == kReclWmb; }
  static void recl_wmb(const Config& c, State& s, int) {
    K::smp_wmb(s.mem, kCpuRecl);
    s.recl_pc = kReclSetSwapcache;
    after_memory_step(c, s);
  }
  // add_to_swap_cache(): tree_lock; radix_tree_insert; SetPageSwapCache(page)
  static bool recl_set_swapcache_g(const Config&, const State& s, int) {
    return s.recl_pc == kReclSetSwapcache && K::can_set_bit(s.mem, kCpuRecl, kLocFlags);
  }
  static void recl_set_swapcache(const Config& c, State& s, int) {
    K::set_bit(s.mem, kCpuRecl, kPgSwapCache, kLocFlags);
    s.g_published = 1;
    s.recl_pc = kReclLockPtlB;
    after_memory_step(c, s);
  }
  // try_to_unmap() -> try_to_unmap_one(B's vma): page_check_address takes ptlB;
  // B does not map X -> unlock, next vma (A's pte is young: SWAP_FAIL) -> unlock_page
  static bool recl_lock_ptl_b_g(const Config&, const State& s, int) {
    return s.recl_pc == kReclLockPtlB && can_lock(s, kCpuRecl, kLocPtlB);
  }
  static void recl_lock_ptl_b(const Config& c, State& s, int) {
    K::spin_lock(s.mem, kCpuRecl, kLocPtlB);
    if (K::read_once(s.mem, kCpuRecl, kLocPteB) == kBMapX) {
      s.g_ptl_b = kOwnerRecl;
      s.recl_pc = kReclSwapDuplicate;
    } else {
      K::spin_unlock(s.mem, kCpuRecl, kLocPtlB);
      s.recl_pc = kReclUnlockPage;
    }
    after_memory_step(c, s);
  }
  // try_to_unmap_one(): ptep_clear_flush; swap_duplicate(entry) (swap_lock);
  // set_pte_at(swp_entry_to_pte(entry))
  static bool recl_swap_duplicate_g(const Config&, const State& s, int) {
    return s.recl_pc == kReclSwapDuplicate && can_swap_map_op(s, kCpuRecl);
  }
  static void recl_swap_duplicate(const Config& c, State& s, int) {
    swap_map_op(s, kCpuRecl, [](V x) { return x + 1; });
    K::write_once(s.mem, kCpuRecl, kLocPteB, kBSwap);
    s.recl_pc = kReclRemoveRmap;
    after_memory_step(c, s);
  }
  // try_to_unmap_one(): page_remove_rmap(page, vma) — after swap_duplicate
  static bool recl_remove_rmap_g(const Config&, const State& s, int) {
    return s.recl_pc == kReclRemoveRmap && K::can_rmw(s.mem, kCpuRecl, kLocMapcount, Ord::full);
  }
  static void recl_remove_rmap(const Config& c, State& s, int) {
    K::atomic_add_return(s.mem, kCpuRecl, kLocMapcount, -1);
    s.g_recl_unmapped_b = 1;
    s.recl_pc = kReclUnlockPtlB;
    after_memory_step(c, s);
  }
  // try_to_unmap_one(): pte_unmap_unlock
  static bool recl_unlock_ptl_b_g(const Config&, const State& s, int) {
    return s.recl_pc == kReclUnlockPtlB && K::can_spin_unlock(s.mem, kCpuRecl);
  }
  static void recl_unlock_ptl_b(const Config& c, State& s, int) {
    K::spin_unlock(s.mem, kCpuRecl, kLocPtlB);
    s.g_ptl_b = kFree;
    s.recl_pc = kReclUnlockPage;
    after_memory_step(c, s);
  }
  // keep_locked / activate_locked: unlock_page(page)
  static bool recl_unlock_page_g(const Config&, const State& s, int) {
    return s.recl_pc == kReclUnlockPage && can_unlock_page(s, kCpuRecl);
  }
  static void recl_unlock_page(const Config& c, State& s, int) {
    unlock_page(s, kCpuRecl);
    s.recl_pc = kReclDone;
    after_memory_step(c, s);
  }

  // ---- B: do_swap_page, exit ------------------------------------------------
  // do_swap_page(): page = lookup_swap_cache(entry) (RCU radix walk +
  // page_cache_get_speculative: smp_rmb, then SWAPCACHE && private == e).
  // Not found (X left the swap cache): read from disk into a page of B's own,
  // swap_free, set_pte_at (collapsed; the pte store is B's own, no ptlB).
  static bool b_found(const State& s) {
    return (fresh(s, kCpuB, kLocFlags) & kSwapCache) != 0 &&
           fresh(s, kCpuB, kLocPrivate) == kEntryE;
  }
  static bool b_lookup_g(const Config&, const State& s, int) {
    return s.b_pc == kBIdle && fresh(s, kCpuB, kLocPteB) == kBSwap &&
           (b_found(s) || can_swap_map_op(s, kCpuB));
  }
  static void b_lookup(const Config& c, State& s, int) {
    K::smp_rmb(s.mem, kCpuB);
    if (K::test_bit(s.mem, kCpuB, kPgSwapCache, kLocFlags) &&
        K::read_once(s.mem, kCpuB, kLocPrivate) == kEntryE) {
      s.b_pc = kBLockPage;
    } else {
      swap_map_op(s, kCpuB, [](V x) { return x - 1; });
      K::write_once(s.mem, kCpuB, kLocPteB, kBOther);
    }
    after_memory_step(c, s);
  }
  // do_swap_page(): lock_page(page)
  static bool b_lock_page_g(const Config&, const State& s, int) {
    return s.b_pc == kBLockPage && can_page_lock(s, kCpuB);
  }
  static void b_lock_page(const Config& c, State& s, int) {
    K::test_and_set_bit_lock(s.mem, kCpuB, kPgLocked, kLocFlags);
    s.g_lock_owner = kOwnerB;
    s.b_pc = kBLockPtl;
    after_memory_step(c, s);
  }
  // do_swap_page(): pte_offset_map_lock; pte_same (B's pte cannot change: X locked)
  static bool b_lock_ptl_g(const Config&, const State& s, int) {
    return s.b_pc == kBLockPtl && can_lock(s, kCpuB, kLocPtlB);
  }
  static void b_lock_ptl(const Config& c, State& s, int) {
    K::spin_lock(s.mem, kCpuB, kLocPtlB);
    s.g_ptl_b = kOwnerB;
    s.b_pc = kBAddRmap;
    after_memory_step(c, s);
  }
  // do_swap_page(): set_pte_at(mk_pte(page)); page_add_anon_rmap:
  // atomic_inc_and_test(_mapcount), fully ordered. The RMW runs first here
  // (it would wait for the pte store to commit; no environment step runs
  // inside a step); only ptlB holders read B's pte.
  static bool b_add_rmap_g(const Config&, const State& s, int) {
    return s.b_pc == kBAddRmap && K::can_rmw(s.mem, kCpuB, kLocMapcount, Ord::full);
  }
  static void b_add_rmap(const Config& c, State& s, int) {
    K::atomic_add_return(s.mem, kCpuB, kLocMapcount, 1);
    K::write_once(s.mem, kCpuB, kLocPteB, kBMapX);
    if (any_in_do_wp_page(c, s)) s.g_window |= 2;
    s.b_pc = kBSwapFree;
    after_memory_step(c, s);
  }
  // do_swap_page(): swap_free(entry): swap_lock; swap_map[e]--  (after the rmap)
  static bool b_swap_free_g(const Config&, const State& s, int) {
    return s.b_pc == kBSwapFree && can_swap_map_op(s, kCpuB);
  }
  static void b_swap_free(const Config& c, State& s, int) {
    swap_map_op(s, kCpuB, [](V x) { return x - 1; });
    s.b_pc = kBUnlockPage;
    after_memory_step(c, s);
  }
  // do_swap_page(): unlock_page(page)
  static bool b_unlock_page_g(const Config&, const State& s, int) {
    return s.b_pc == kBUnlockPage && can_unlock_page(s, kCpuB);
  }
  static void b_unlock_page(const Config& c, State& s, int) {
    unlock_page(s, kCpuB);
    s.b_pc = kBUnlockPtl;
    after_memory_step(c, s);
  }
  // do_swap_page(): pte_unmap_unlock
  static bool b_unlock_ptl_g(const Config&, const State& s, int) {
    return s.b_pc == kBUnlockPtl && K::can_spin_unlock(s.mem, kCpuB);
  }
  static void b_unlock_ptl(const Config& c, State& s, int) {
    K::spin_unlock(s.mem, kCpuB, kLocPtlB);
    s.g_ptl_b = kFree;
    s.b_pc = kBIdle;
    after_memory_step(c, s);
  }
  // B exits: zap_pte_range under ptlB: ptep_get_and_clear (a relaxed xchg),
  // then page_remove_rmap (mapped X: fully ordered) or free_swap_and_cache ->
  // swap_free (swap pte; the trylock-and-delete tail is not modelled). With X
  // mapped the lock is taken as a fully ordered RMW: page_remove_rmap's full
  // fence would wait (lkmm) for the lock word to reach every CPU, and no
  // environment step runs inside a step.
  static bool b_zap_g(const Config&, const State& s, int) {
    if (s.b_pc != kBIdle) return false;
    const V pte = fresh(s, kCpuB, kLocPteB);
    if (pte == kBNone || !can_lock(s, kCpuB, kLocPtlB)) return false;
    if (!K::can_rmw(s.mem, kCpuB, kLocPteB, Ord::relaxed)) return false;
    if (pte == kBMapX) {
      return K::can_rmw(s.mem, kCpuB, kLocPtlB, Ord::full) &&
             K::can_rmw(s.mem, kCpuB, kLocMapcount, Ord::full);
    }
    return pte != kBSwap || can_swap_map_op(s, kCpuB);
  }
  static void b_zap(const Config& c, State& s, int) {
    if (fresh(s, kCpuB, kLocPteB) == kBMapX) {
      K::xchg(s.mem, kCpuB, kLocPtlB, 1, Ord::full);
    } else {
      K::spin_lock(s.mem, kCpuB, kLocPtlB);
    }
    const V pte = K::xchg(s.mem, kCpuB, kLocPteB, kBNone, Ord::relaxed);
    if (pte == kBMapX) K::atomic_add_return(s.mem, kCpuB, kLocMapcount, -1);
    if (pte == kBSwap) swap_map_op(s, kCpuB, [](V x) { return x - 1; });
    K::spin_unlock(s.mem, kCpuB, kLocPtlB);
    after_memory_step(c, s);
  }

  static std::span<const Family> actions() {
    static constexpr Family kFamilies[] = {
        {"t.store", "", one<Config>, t_store_g, t_store, t_actor},
        {"gup.follow_page", "", n_gup, gup_follow_g, gup_follow, gup_actor},
        {"wp.lock_ptl", "cpu", n_wp, wp_lock_ptl_g, wp_lock_ptl, wp_actor},
        {"wp.pre_mapcount", "cpu", n_d3, wp_pre_mapcount_g, wp_pre_mapcount, wp_actor},
        {"wp.pre_swapcache", "cpu", n_d3, wp_pre_swapcache_g, wp_pre_swapcache, wp_actor},
        {"wp.trylock", "cpu", n_try, wp_trylock_g, wp_trylock, wp_actor},
        {"wp.get_unlock_ptl", "cpu", n_relock, wp_get_unlock_ptl_g, wp_get_unlock_ptl, wp_actor},
        {"wp.lock_page", "cpu", n_relock, wp_lock_page_g, wp_lock_page, wp_actor},
        {"wp.relock_ptl", "cpu", n_relock, wp_relock_ptl_g, wp_relock_ptl, wp_actor},
        {"wp.bail_unlock_page", "cpu", n_merged, wp_bail_unlock_page_g, wp_bail_unlock_page,
         wp_actor},
        {"wp.unlock_ptl", "cpu", n_wp, wp_unlock_ptl_g, wp_unlock_ptl, wp_actor},
        {"wp.cs_mapcount", "cpu", n_wp, wp_cs_mapcount_g, wp_cs_mapcount, wp_actor},
        {"wp.cs_swapcache", "cpu", n_wp, wp_cs_swapcache_g, wp_cs_swapcache, wp_actor},
        {"wp.swap_lock", "cpu", n_wp, wp_swap_lock_g, wp_swap_lock, wp_actor},
        {"wp.sw_mapcount", "cpu", n_d3b, wp_sw_mapcount_g, wp_sw_mapcount, wp_actor},
        {"wp.sw_swapcache", "cpu", n_d3b, wp_sw_swapcache_g, wp_sw_swapcache, wp_actor},
        {"wp.rmb", "cpu", n_d3b, wp_rmb_g, wp_rmb, wp_actor},
        {"wp.read_private", "cpu", n_wp, wp_read_private_g, wp_read_private, wp_actor},
        {"wp.read_swap_map", "cpu", n_wp, wp_read_swap_map_g, wp_read_swap_map, wp_actor},
        {"wp.swap_unlock", "cpu", n_wp, wp_swap_unlock_g, wp_swap_unlock, wp_actor},
        {"wp.delete_swapcache", "cpu", n_free, wp_delete_swapcache_g, wp_delete_swapcache,
         wp_actor},
        {"wp.swap_free", "cpu", n_free, wp_swap_free_g, wp_swap_free, wp_actor},
        {"wp.set_dirty", "cpu", n_free, wp_set_dirty_g, wp_set_dirty, wp_actor},
        {"wp.unlock_page", "cpu", n_wp, wp_unlock_page_g, wp_unlock_page, wp_actor},
        {"wp.act", "cpu", n_wp, wp_act_g, wp_act, wp_actor},
        {"wp.copy_relock", "cpu", n_wp, wp_copy_relock_g, wp_copy_relock, wp_actor},
        {"wp.copy_remove_rmap", "cpu", n_wp, wp_copy_remove_rmap_g, wp_copy_remove_rmap, wp_actor},
        {"wp.copy_set_pte", "cpu", n_wp, wp_copy_set_pte_g, wp_copy_set_pte, wp_actor},
        {"recl.trylock", "", n_recl, recl_trylock_g, recl_trylock, recl_actor},
        {"recl.check_swapcache", "", n_recl, recl_check_swapcache_g, recl_check_swapcache,
         recl_actor},
        {"recl.get_swap_page", "", n_recl, recl_get_swap_page_g, recl_get_swap_page, recl_actor},
        {"recl.set_private", "", n_recl, recl_set_private_g, recl_set_private, recl_actor},
        {"recl.wmb", "", n_recl, recl_wmb_g, recl_wmb, recl_actor},
        {"recl.set_swapcache", "", n_recl, recl_set_swapcache_g, recl_set_swapcache, recl_actor},
        {"recl.lock_ptl_b", "", n_recl, recl_lock_ptl_b_g, recl_lock_ptl_b, recl_actor},
        {"recl.swap_duplicate", "", n_recl, recl_swap_duplicate_g, recl_swap_duplicate, recl_actor},
        {"recl.remove_rmap", "", n_recl, recl_remove_rmap_g, recl_remove_rmap, recl_actor},
        {"recl.unlock_ptl_b", "", n_recl, recl_unlock_ptl_b_g, recl_unlock_ptl_b, recl_actor},
        {"recl.unlock_page", "", n_recl, recl_unlock_page_g, recl_unlock_page, recl_actor},
        {"b.lookup_swap_cache", "", n_b, b_lookup_g, b_lookup, b_actor},
        {"b.lock_page", "", n_b, b_lock_page_g, b_lock_page, b_actor},
        {"b.lock_ptl", "", n_b, b_lock_ptl_g, b_lock_ptl, b_actor},
        {"b.add_rmap", "", n_b, b_add_rmap_g, b_add_rmap, b_actor},
        {"b.swap_free", "", n_b, b_swap_free_g, b_swap_free, b_actor},
        {"b.unlock_page", "", n_b, b_unlock_page_g, b_unlock_page, b_actor},
        {"b.unlock_ptl", "", n_b, b_unlock_ptl_g, b_unlock_ptl, b_actor},
        {"b.zap", "", n_b, b_zap_g, b_zap, b_actor},
    };
    return memory::with_environment<Spec>(kFamilies);
  }

  static std::span<const Prop> properties() {
    static constexpr Prop kProps[] = {
        {PropertyKind::always, "no_cow_of_exclusive_page",
         "D-I1: a write fault on an exclusively owned X never copies it, whoever holds "
         "PG_locked",
         no_cow_of_exclusive_page<State>},
        {PropertyKind::always, "never_reuse_shared_page",
         "D-I2: A's pte never maps X writable while B maps X or holds a swap pte for it",
         never_reuse_shared_page<State>},
        {PropertyKind::reachable, "fault_while_recl_holds_page_lock",
         "a fault is in do_wp_page while reclaim holds PG_locked",
         fault_while_recl_holds_page_lock<State>},
        {PropertyKind::reachable, "b_swaps_in_during_fault",
         "B's do_swap_page adds its rmap while a fault of A is in do_wp_page",
         b_swaps_in_during_fault<State>},
        {PropertyKind::reachable, "recl_unmaps_b",
         "try_to_unmap_one moves B's pte to swap (swap_duplicate before page_remove_rmap)",
         recl_unmaps_b<State>},
        {PropertyKind::reachable, "recl_adds_to_swap_cache",
         "add_to_swap_cache publishes private, wmb, SWAPCACHE", recl_adds_to_swap_cache<State>},
        {PropertyKind::reachable, "x_reused", "a write fault reuses X", x_reused<State>},
        {PropertyKind::reachable, "x_copied", "a write fault copies X", x_copied<State>},
        {PropertyKind::reachable, "reuse_despite_lock_contention",
         "a fault finds PG_locked held and still reuses X", reuse_despite_lock_contention<State>},
        {PropertyKind::reachable, "swap_cache_freed_on_reuse",
         "reuse_swap_page / D3b's locked path drops X from the swap cache",
         swap_cache_freed_on_reuse<State>},
    };
    return kProps;
  }

  // Guards that a configuration cannot reach by construction are n/a, not
  // `unreached`: no reclaim pass, no B, or a path the proposal does not have.
  static bool applies(const Config& c, std::string_view property) {
    if (property == "fault_while_recl_holds_page_lock") return c.recl != 0;
    if (property == "b_swaps_in_during_fault") return c.b_start != kBNone;
    if (property == "recl_unmaps_b") return c.recl != 0 && c.b_start != kBNone;
    // add_to_swap runs only on a page outside the swap cache: X starts outside
    // it, or a proposal's reuse drops it (D2/D0/D1/D3a never do).
    if (property == "recl_adds_to_swap_cache") {
      return c.recl != 0 && (c.swapcache == 0 || c.frees_swapcache());
    }
    if (property == "reuse_despite_lock_contention") return c.reuses_when_contended();
    if (property == "swap_cache_freed_on_reuse") {
      return c.frees_swapcache() && (c.swapcache != 0 || c.recl != 0);
    }
    return true;
  }

  // ---- partial-order reduction (--por; memory/por.hpp) ------------------------
  // Actors are the CPUs: T 0 (t.store and fault wp[0]), RECL 1, B 2, GUP 3
  // (gup.follow_page and fault wp[1]); a CPU's mem.commit steps are its own.
  // Resources: bits 0..kNumLocs-1 are the memory words. The ghosts that
  // shadow a lock (g_ptl_a, g_ptl_b, g_swap_lock, g_lock_owner) change only
  // with that lock's word and share its bit. Above them: "fault i is in
  // do_wp_page" (read by the g_window observers: the other fault's lock_ptl,
  // recl.trylock, b.add_rmap; written by the steps that enter or leave
  // do_wp_page), and, for the properties, one bit per g_window bit and per
  // write-once ghost.
  using Por = memory::Por<Machine>;
  static constexpr std::uint64_t kRInWp0 = std::uint64_t{1} << 16;
  static constexpr std::uint64_t kRInWp1 = std::uint64_t{1} << 17;
  static constexpr std::uint64_t kRWindowRecl = std::uint64_t{1} << 18;  // g_window bit 1
  static constexpr std::uint64_t kRWindowB = std::uint64_t{1} << 19;     // g_window bit 2
  static constexpr std::uint64_t kRWrongCow = std::uint64_t{1} << 20;
  static constexpr std::uint64_t kRReuseContended = std::uint64_t{1} << 21;
  static constexpr std::uint64_t kRSwapcacheFreed = std::uint64_t{1} << 22;
  static constexpr std::uint64_t kRReclUnmappedB = std::uint64_t{1} << 23;
  static constexpr std::uint64_t kRPublished = std::uint64_t{1} << 24;
  static constexpr std::uint64_t in_wp_bit(int i) { return i == 0 ? kRInWp0 : kRInWp1; }
  // The wp pcs whose families have members in this proposal.
  static bool wp_pc_used(const Config& c, int pc) {
    switch (pc) {
      case kWpIdle:
        return false;
      case kWpPreMapcount:
      case kWpPreSwapcache:
        return n_d3(c) != 0;
      case kWpTrylock:
        return n_try(c) != 0;
      case kWpGetUnlockPtl:
      case kWpLockPage:
      case kWpRelockPtl:
        return n_relock(c) != 0;
      case kWpBailUnlockPage:
        return n_merged(c) != 0;
      case kWpSwMapcount:
      case kWpSwSwapcache:
      case kWpRmb:
        return n_d3b(c) != 0;
      case kWpDeleteSwapcache:
      case kWpSwapFree:
      case kWpSetDirty:
        return n_free(c) != 0;
      default:
        return true;
    }
  }
  // The step of fault i at `pc`.
  static Footprint wp_step(int i, int pc) {
    Footprint f;
    const std::uint64_t pte_a = bit(kLocPteA);
    const std::uint64_t ptl_a = bit(kLocPtlA);
    const std::uint64_t flags = bit(kLocFlags);
    const std::uint64_t swap = bit(kLocSwapLock) | bit(kLocSwapMap);
    switch (pc) {
      case kWpLockPtl:  // b_refs_x (latest pteB, flags, private), observe_recl_window
        Por::rmw(f, ptl_a | in_wp_bit(i));
        f.reads |= pte_a | bit(kLocPteB) | flags | bit(kLocPrivate) | in_wp_bit(1 - i);
        f.writes |= kRWindowRecl;
        break;
      case kWpPreMapcount:
      case kWpCsMapcount:
      case kWpSwMapcount:
        f.reads |= bit(kLocMapcount);
        break;
      case kWpPreSwapcache:
      case kWpCsSwapcache:
      case kWpSwSwapcache:
        f.reads |= flags;
        break;
      case kWpGetUnlockPtl:  // ghost read of PG_locked
        f.reads |= flags;
        Por::rmw(f, ptl_a);
        break;
      case kWpTrylock:
      case kWpLockPage:
      case kWpBailUnlockPage:
      case kWpSetDirty:
      case kWpUnlockPage:
        Por::rmw(f, flags);
        break;
      case kWpRelockPtl:
      case kWpCopyRelock:
        f.reads |= pte_a;
        Por::rmw(f, ptl_a);
        break;
      case kWpUnlockPtl:  // returns
        Por::rmw(f, ptl_a | in_wp_bit(i));
        break;
      case kWpSwapLock:
      case kWpSwapUnlock:
        Por::rmw(f, bit(kLocSwapLock));
        break;
      case kWpReadPrivate:
        f.reads |= bit(kLocPrivate);
        break;
      case kWpReadSwapMap:
        f.reads |= bit(kLocSwapMap);
        break;
      case kWpDeleteSwapcache:
        Por::rmw(f, flags | bit(kLocPrivate));
        f.writes |= kRSwapcacheFreed;
        break;
      case kWpSwapFree:
        Por::rmw(f, swap);
        break;
      case kWpAct:  // reuse returns
        Por::rmw(f, pte_a | ptl_a | in_wp_bit(i));
        f.writes |= kRReuseContended;
        break;
      case kWpCopyRemoveRmap:
        Por::rmw(f, bit(kLocMapcount));
        break;
      case kWpCopySetPte:  // returns
        Por::rmw(f, pte_a | ptl_a | in_wp_bit(i));
        f.writes |= kRWrongCow;
        break;
      default:  // idle; smp_rmb: the CPU's own views
        break;
    }
    return f;
  }
  // Every step fault i may take (the fault returns and is retried: a loop).
  static Footprint wp_all(const Config& c, int i) {
    Footprint f;
    for (int k = 0; k < kWpCount; ++k) {
      if (wp_pc_used(c, k)) f |= wp_step(i, k);
    }
    return f;
  }
  static Footprint recl_step(int pc) {
    Footprint f;
    const std::uint64_t swap = bit(kLocSwapLock) | bit(kLocSwapMap);
    switch (pc) {
      case kReclTrylock:  // observe_recl_window
        Por::rmw(f, bit(kLocFlags));
        f.reads |= kRInWp0 | kRInWp1;
        f.writes |= kRWindowRecl;
        break;
      case kReclCheckSwapcache:
        f.reads |= bit(kLocFlags);
        break;
      case kReclGetSwapPage:
        Por::rmw(f, swap);
        break;
      case kReclSetPrivate:
        Por::rmw(f, bit(kLocPrivate));
        break;
      case kReclSetSwapcache:
        Por::rmw(f, bit(kLocFlags));
        f.writes |= kRPublished;
        break;
      case kReclLockPtlB:
        f.reads |= bit(kLocPteB);
        Por::rmw(f, bit(kLocPtlB));
        break;
      case kReclSwapDuplicate:
        Por::rmw(f, swap | bit(kLocPteB));
        break;
      case kReclRemoveRmap:
        Por::rmw(f, bit(kLocMapcount));
        f.writes |= kRReclUnmappedB;
        break;
      case kReclUnlockPtlB:
        Por::rmw(f, bit(kLocPtlB));
        break;
      case kReclUnlockPage:
        Por::rmw(f, bit(kLocFlags));
        break;
      default:  // wmb: own buffer; done
        break;
    }
    return f;
  }
  static Footprint b_step(int pc) {
    Footprint f;
    const std::uint64_t swap = bit(kLocSwapLock) | bit(kLocSwapMap);
    switch (pc) {
      case kBIdle:  // lookup_swap_cache (or its not-found path) and zap
        f.reads |= bit(kLocFlags) | bit(kLocPrivate);
        Por::rmw(f, bit(kLocPteB) | bit(kLocPtlB) | bit(kLocMapcount) | swap);
        break;
      case kBLockPage:
      case kBUnlockPage:
        Por::rmw(f, bit(kLocFlags));
        break;
      case kBLockPtl:
      case kBUnlockPtl:
        Por::rmw(f, bit(kLocPtlB));
        break;
      case kBAddRmap:  // any_in_do_wp_page
        Por::rmw(f, bit(kLocMapcount) | bit(kLocPteB));
        f.reads |= kRInWp0 | kRInWp1;
        f.writes |= kRWindowB;
        break;
      case kBSwapFree:
        Por::rmw(f, swap);
        break;
      default:
        break;
    }
    return f;
  }
  // Steps of actor `a` in `s` (future: from `s` on).
  static Footprint por_steps(const Config& c, const State& s, int a, bool future) {
    Footprint f;
    switch (a) {
      case kCpuT:
      case kCpuGup: {
        const int i = a == kCpuT ? 0 : 1;
        if (i == 1 && !c.gup) return {};
        const int pc = i == 0 ? s.t_pc : s.gup_pc;
        if (pc == (i == 0 ? int{kTDone} : int{kGupDone})) return {};
        // t.store / gup.follow_page: the hardware walk / follow_page under ptlA.
        Footprint entry;
        entry.reads |= bit(kLocPteA);
        if (i == 1) Por::rmw(entry, bit(kLocPtlA));
        if (future) return entry |= wp_all(c, i);
        return pc == (i == 0 ? int{kTStore} : int{kGupFollow}) ? entry : wp_step(i, s.wp_pc[i]);
      }
      case kCpuRecl:
        if (!c.recl || s.recl_pc == kReclDone) return {};
        if (!future) return recl_step(s.recl_pc);
        // ReclPc is in program order (every step moves to a later pc).
        for (int k = s.recl_pc; k < kReclCount; ++k) f |= recl_step(k);
        return f;
      case kCpuB:
        if (n_b(c) == 0) return {};
        if (s.b_pc == kBIdle && latest(s.mem, kLocPteB) == kBNone) return {};  // exited
        if (!future) return b_step(s.b_pc);
        for (int k = 0; k < kBPcCount; ++k) f |= b_step(k);  // swap-in, then zap
        return f;
      default:
        return {};
    }
  }
  // The memory environment has every CPU's commit steps, GUP's included when
  // gup=0 (never enabled then): one reduction actor per CPU.
  static int por_actors(const Config&) { return kNumCpus; }
  static int por_actor(const Config&, int, int, int actor) { return actor; }
  static Footprint por_next(const Config& c, const State& s, int a) {
    return Por::cpu(por_steps(c, s, a, false), s.mem, a);
  }
  static Footprint por_future(const Config& c, const State& s, int a) {
    return Por::cpu(por_steps(c, s, a, true), s.mem, a);
  }
  // What each property reads.
  static std::uint64_t por_visible(const Config&, int property) {
    const std::string_view n = properties()[static_cast<std::size_t>(property)].name;
    if (n == "no_cow_of_exclusive_page") return kRWrongCow;
    if (n == "never_reuse_shared_page") {
      return bit(kLocPteA) | bit(kLocPteB) | bit(kLocFlags) | bit(kLocPrivate);
    }
    if (n == "fault_while_recl_holds_page_lock") return kRWindowRecl;
    if (n == "b_swaps_in_during_fault") return kRWindowB;
    if (n == "recl_unmaps_b") return kRReclUnmappedB;
    if (n == "recl_adds_to_swap_cache") return kRPublished;
    if (n == "x_reused" || n == "x_copied") return bit(kLocPteA);
    if (n == "reuse_despite_lock_contention") return kRReuseContended;
    if (n == "swap_cache_freed_on_reuse") return kRSwapcacheFreed;
    return ~std::uint64_t{0};  // a property added without its reads: every step visible
  }

  static std::vector<std::string> actors(const Config& c) {
    std::vector<std::string> names = {"T CPU0", "RECL CPU1", "B CPU2"};
    if (c.gup) names.push_back("GUP CPU3");
    return names;
  }

  static void describe(const Config& c, const State& s, FieldPrinter& p) {
    const V flags = latest(s.mem, kLocFlags);
    p.text("X.flags", absl::StrCat((flags & kLocked) ? "L" : "-", (flags & kSwapCache) ? "S" : "-",
                                   (flags & kDirty) ? "D" : "-"));
    p.choice("X.private", latest(s.mem, kLocPrivate), kEntryNames);
    p.num("X.mapcount", latest(s.mem, kLocMapcount));
    p.num("swap_map[e]", latest(s.mem, kLocSwapMap));
    p.choice("pteA", latest(s.mem, kLocPteA), kPteANames);
    p.choice("pteB", latest(s.mem, kLocPteB), kPteBNames);
    p.choice("ptlA", s.g_ptl_a, kOwnerNames);
    p.choice("ptlB", s.g_ptl_b, kOwnerNames);
    p.choice("swap_lock", s.g_swap_lock, kOwnerNames);
    p.choice("g_lock_owner", s.g_lock_owner, kOwnerNames);
    p.choice("t.pc", s.t_pc, kTPcNames);
    for (int i = 0; i < c.faulters(); ++i) {
      const std::string w = absl::StrCat("wp[", i, "].");
      p.choice(w + "pc", s.wp_pc[i], kWpPcNames);
      p.choice(w + "path", s.wp_path[i], kPathNames);
      p.num(w + "count", s.wp_count[i]);
      p.choice(w + "entry", s.wp_entry[i], kEntryNames);
      p.flag(w + "reuse", s.wp_reuse[i]);
      p.flag(w + "g_excl_at_entry", s.wp_ghost[i] & kGhostExclAtEntry);
      p.flag(w + "g_contended", s.wp_ghost[i] & kGhostContended);
      p.flag(w + "ret_write", s.wp_ghost[i] & kGhostRetWrite);
    }
    if (c.gup) {
      p.choice("gup.pc", s.gup_pc, kGupPcNames);
      p.flag("gup.foll_write", s.gup_foll_write);
      p.choice("gup.page", s.gup_page, kGupPageNames);
    }
    p.choice("recl.pc", s.recl_pc, kReclPcNames);
    p.choice("b.pc", s.b_pc, kBPcNames);
    p.flag("g_wrong_cow", s.g_wrong_cow);
    p.num("g_window", s.g_window);
    p.flag("g_reuse_contended", s.g_reuse_contended);
    p.flag("g_swapcache_freed", s.g_swapcache_freed);
    p.flag("g_recl_unmapped_b", s.g_recl_unmapped_b);
    p.flag("g_published", s.g_published);
    if constexpr (M != memory::Model::sc) {
      // Per CPU: buffered stores ('|' separates smp_wmb groups) and stale views.
      static constexpr std::string_view kCpuNames[] = {"T", "RECL", "B", "GUP"};
      for (int cpu = 0; cpu < kNumCpus; ++cpu) {
        if (cpu == kCpuGup && !c.gup) continue;
        p.text("mem[" + std::string(kCpuNames[cpu]) + "]",
               Machine::describe_cpu(s.mem, cpu, kLocNames));
      }
    }
  }

  // T's store went through, GUP returned a page, reclaim finished its pass and B
  // exited.
  static bool is_final(const Config&, const State& s) {
    return s.t_pc == kTDone && s.gup_pc == kGupDone && s.recl_pc == kReclDone && s.b_pc == kBIdle &&
           latest(s.mem, kLocPteB) == kBNone;
  }
};

static_assert(SpecType<Spec<memory::Model::sc>>);
static_assert(SpecType<Spec<memory::Model::lkmm>>);
static_assert(HasApplicability<Spec<memory::Model::sc>>);
static_assert(PorActorSpec<Spec<memory::Model::tso>>);

}  // namespace
}  // namespace mmcheck::mm::wp_reuse

namespace mmcheck {
void register_wp_reuse(Registry& r) { r.add(make_model_spec_entry<mm::wp_reuse::Spec>()); }
}  // namespace mmcheck

// File: spec/mm/wp_reuse.cpp
//
// The action table, proposals and registration of wp_reuse; the kernel
// references, the races and the abstractions are in wp_reuse.hpp.
#include "spec/mm/wp_reuse.hpp"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "mmcheck/spec.hpp"
#include "mmcheck/text.hpp"
#include "properties/mm/wp_reuse.hpp"
#include "registry/adapter.hpp"

namespace mmcheck::mm::wp_reuse {
namespace {

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

struct Spec {
  using State = wp_reuse::State;
  using Config = wp_reuse::Config;
  using Family = ActionFamily<State, Config>;
  using Prop = Property<State, Config>;

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
    };
    return kParams;
  }
  static Config configure(const RunConfig& run) {
    Config c{static_cast<Proposal>(run.proposal), run.params[0], run.params[1], run.params[2],
             run.params[3]};
    if (c.b_start == kBSwap && c.swapcache == 0) {
      throw UsageError("b=1 (B holds a swap pte for e) needs swapcache=1");
    }
    return c;
  }
  static State initial(const Config& c) {
    State s{};
    s.flags = c.swapcache ? kSwapCache : 0;
    s.private_ = c.swapcache ? kEntryE : kNoEntry;
    s.mapcount = c.b_start == kBMapX ? 2 : 1;
    s.swap_map = c.swapcache ? (c.b_start == kBSwap ? 2 : 1) : 0;
    s.pte_a = kPteRoX;  // mprotect off/on, or swap-out and a read fault
    s.pte_b = static_cast<std::uint8_t>(c.b_start);
    s.t_pc = kTStore;
    s.gup_pc = c.gup ? kGupFollow : kGupDone;
    s.gup_foll_write = 1;
    s.recl_pc = c.recl ? kReclTrylock : kReclDone;
    s.b_pc = kBIdle;
    return s;
  }

  // Actor columns: T, RECL, B, then GUP when present.
  static int wp_actor(const Config&, int cpu) { return cpu == 0 ? 0 : 3; }
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

  static std::uint8_t owner(int cpu) { return cpu == 0 ? kOwnerT : kOwnerGup; }
  static bool in_do_wp_page(const State& s, int cpu) {
    return s.wp_pc[cpu] != kWpIdle && s.wp_pc[cpu] != kWpLockPtl;
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
  static void page_lock(State& s, std::uint8_t who) {
    s.flags |= kLocked;
    s.g_lock_owner = who;
  }
  static void page_unlock(State& s) {
    s.flags &= static_cast<std::uint8_t>(~kLocked);
    s.g_lock_owner = kFree;
  }
  // do_wp_page / handle_mm_fault returns to its caller (T retries the store,
  // GUP retries follow_page).
  static void fault_return(State& s, int cpu, bool ret_write) {
    s.wp_pc[cpu] = kWpIdle;
    s.wp_path[cpu] = kPathLocked;
    s.wp_count[cpu] = 0;
    s.wp_entry[cpu] = kNoEntry;
    s.wp_reuse[cpu] = 0;
    s.wp_ghost[cpu] = ret_write ? kGhostRetWrite : 0;
    if (cpu == 0) {
      s.t_pc = kTStore;
    } else {
      s.gup_pc = kGupFollow;
    }
  }
  // Where a decision taken under the page lock goes next.
  static void locked_done(State& s, int cpu, bool reuse) {
    s.wp_reuse[cpu] = reuse;
    s.wp_pc[cpu] = kWpUnlockPage;
  }

  static std::span<const Family> actions() {
    static constexpr Family kFamilies[] = {
        // T's store to the page: hardware walk; a R/O pte -> write fault.
        {"t.store", "", one<Config>,
         [](const Config&, const State& s, int) { return s.t_pc == kTStore; },
         [](const Config&, State& s, int) {
           if (s.pte_a != kPteRoX) {
             s.t_pc = kTDone;
           } else {
             s.t_pc = kTFault;
             s.wp_pc[0] = kWpLockPtl;
           }
         },
         t_actor},
        // get_user_pages(): `if (ret & VM_FAULT_WRITE) foll_flags &= ~FOLL_WRITE`
        // (2.6.26; 2.6.29: only if !(vma->vm_flags & VM_WRITE)), then
        // follow_page(): pte_offset_map_lock; pte_write check; get_page; unlock.
        {"gup.follow_page", "", n_gup,
         [](const Config&, const State& s, int) {
           return s.gup_pc == kGupFollow && s.ptl_a == kFree;
         },
         [](const Config& c, State& s, int) {
           if ((s.wp_ghost[1] & kGhostRetWrite) && !c.gup_persists()) s.gup_foll_write = 0;
           s.wp_ghost[1] = 0;
           if (s.pte_a != kPteRoX || !s.gup_foll_write) {
             s.gup_page = s.pte_a == kPteRwCopy ? 2 : 1;
             s.gup_pc = kGupDone;
           } else {
             s.gup_pc = kGupFault;
             s.wp_pc[1] = kWpLockPtl;
           }
         },
         gup_actor},
        // handle_pte_fault(): pte_offset_map_lock; write to a R/O pte -> do_wp_page,
        // already writable -> pte_mkdirty, return 0.
        {"wp.lock_ptl", "cpu", n_wp,
         [](const Config&, const State& s, int i) {
           return s.wp_pc[i] == kWpLockPtl && s.ptl_a == kFree;
         },
         [](const Config& c, State& s, int i) {
           if (s.pte_a != kPteRoX) {
             fault_return(s, i, false);
             return;
           }
           s.ptl_a = owner(i);
           s.wp_ghost[i] = b_refs_x(s) ? 0 : kGhostExclAtEntry;
           s.wp_pc[i] = c.d3()                          ? kWpPreMapcount
                        : c.proposal == kD2NickLockPage ? kWpGetUnlockPtl
                                                        : kWpTrylock;
           observe_recl_window(c, s);
         },
         wp_actor},
        // D3a/D3b: if (page_mapcount(old_page) == 1)
        {"wp.pre_mapcount", "cpu", n_d3,
         [](const Config&, const State& s, int i) { return s.wp_pc[i] == kWpPreMapcount; },
         [](const Config&, State& s, int i) {
           if (s.mapcount != 1) {
             s.wp_reuse[i] = 0;
             s.wp_pc[i] = kWpAct;
           } else {
             s.wp_pc[i] = kWpPreSwapcache;
           }
         },
         wp_actor},
        // D3a/D3b: if (!PageSwapCache(old_page)) reuse = 1
        {"wp.pre_swapcache", "cpu", n_d3,
         [](const Config&, const State& s, int i) { return s.wp_pc[i] == kWpPreSwapcache; },
         [](const Config&, State& s, int i) {
           if (!(s.flags & kSwapCache)) {
             s.wp_reuse[i] = 1;
             s.wp_pc[i] = kWpAct;
           } else {
             s.wp_pc[i] = kWpTrylock;
           }
         },
         wp_actor},
        // TestSetPageLocked(old_page) / trylock_page(): RMW[full] on page->flags.
        {"wp.trylock", "cpu", n_try,
         [](const Config&, const State& s, int i) { return s.wp_pc[i] == kWpTrylock; },
         [](const Config& c, State& s, int i) {
           if (!(s.flags & kLocked)) {
             page_lock(s, owner(i));
             s.wp_path[i] = kPathLocked;
             s.wp_pc[i] = kWpCsMapcount;
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
         },
         wp_actor},
        // D2/D-merged: page_cache_get(old_page); pte_unmap_unlock(page_table, ptl)
        {"wp.get_unlock_ptl", "cpu", n_relock,
         [](const Config&, const State& s, int i) { return s.wp_pc[i] == kWpGetUnlockPtl; },
         [](const Config&, State& s, int i) {
           if (s.flags & kLocked) s.wp_ghost[i] |= kGhostContended;  // ghost read
           s.ptl_a = kFree;
           s.wp_pc[i] = kWpLockPage;
         },
         wp_actor},
        // D2/D-merged: lock_page(old_page): sleeps until PG_locked is clear.
        {"wp.lock_page", "cpu", n_relock,
         [](const Config&, const State& s, int i) {
           return s.wp_pc[i] == kWpLockPage && !(s.flags & kLocked);
         },
         [](const Config& c, State& s, int i) {
           page_lock(s, owner(i));
           s.wp_path[i] = kPathLocked;
           s.wp_pc[i] = c.proposal == kD2NickLockPage ? kWpCsMapcount : kWpRelockPtl;
         },
         wp_actor},
        // D2/D-merged: pte_offset_map_lock(); if (!pte_same(*page_table, orig_pte))
        {"wp.relock_ptl", "cpu", n_relock,
         [](const Config&, const State& s, int i) {
           return s.wp_pc[i] == kWpRelockPtl && s.ptl_a == kFree;
         },
         [](const Config& c, State& s, int i) {
           s.ptl_a = owner(i);
           const bool same = s.pte_a == kPteRoX;
           if (c.proposal == kD2NickLockPage) {  // page already unlocked; put_page
             s.wp_pc[i] = same ? kWpAct : kWpUnlockPtl;
           } else {
             s.wp_pc[i] = same ? kWpCsMapcount : kWpBailUnlockPage;
           }
         },
         wp_actor},
        // D-merged: pte changed: unlock_page(old_page); page_cache_release()
        {"wp.bail_unlock_page", "cpu", n_merged,
         [](const Config&, const State& s, int i) { return s.wp_pc[i] == kWpBailUnlockPage; },
         [](const Config&, State& s, int i) {
           page_unlock(s);
           s.wp_pc[i] = kWpUnlockPtl;
         },
         wp_actor},
        // pte_unmap_unlock(); return without VM_FAULT_WRITE (pte changed under us)
        {"wp.unlock_ptl", "cpu", n_wp,
         [](const Config&, const State& s, int i) { return s.wp_pc[i] == kWpUnlockPtl; },
         [](const Config&, State& s, int i) {
           s.ptl_a = kFree;
           fault_return(s, i, false);
         },
         wp_actor},
        // can_share_swap_page(): count = page_mapcount(page)   (page locked)
        {"wp.cs_mapcount", "cpu", n_wp,
         [](const Config&, const State& s, int i) { return s.wp_pc[i] == kWpCsMapcount; },
         [](const Config&, State& s, int i) {
           s.wp_count[i] = s.mapcount;
           if (s.mapcount <= 1) {
             s.wp_pc[i] = kWpCsSwapcache;
           } else {
             locked_done(s, i, false);
           }
         },
         wp_actor},
        // can_share_swap_page(): if (count <= 1 && PageSwapCache(page))
        {"wp.cs_swapcache", "cpu", n_wp,
         [](const Config&, const State& s, int i) { return s.wp_pc[i] == kWpCsSwapcache; },
         [](const Config&, State& s, int i) {
           if (s.flags & kSwapCache) {
             s.wp_pc[i] = kWpSwapLock;
           } else {
             locked_done(s, i, s.wp_count[i] == 1);
           }
         },
         wp_actor},
        // page_swapcount(): swap_info_get() -> spin_lock(&swap_lock)
        {"wp.swap_lock", "cpu", n_wp,
         [](const Config&, const State& s, int i) {
           return s.wp_pc[i] == kWpSwapLock && s.swap_lock == kFree;
         },
         [](const Config&, State& s, int i) {
           s.swap_lock = owner(i);
           s.wp_pc[i] = s.wp_path[i] == kPathD3bUnlocked ? kWpSwMapcount : kWpReadPrivate;
         },
         wp_actor},
        // D3b page_swapcount(page, add_mapcount): c = page_mapcount(page) under swap_lock
        {"wp.sw_mapcount", "cpu", n_d3b,
         [](const Config&, const State& s, int i) { return s.wp_pc[i] == kWpSwMapcount; },
         [](const Config&, State& s, int i) {
           s.wp_count[i] = s.mapcount;
           s.wp_pc[i] = kWpSwSwapcache;
         },
         wp_actor},
        // D3b page_swapcount(): if (PageSwapCache(page))
        {"wp.sw_swapcache", "cpu", n_d3b,
         [](const Config&, const State& s, int i) { return s.wp_pc[i] == kWpSwSwapcache; },
         [](const Config&, State& s, int i) {
           s.wp_pc[i] = (s.flags & kSwapCache) ? kWpRmb : kWpSwapUnlock;
         },
         wp_actor},
        // D3b page_swapcount(): smp_rmb() (pairs with add_to_swap_cache's smp_wmb)
        {"wp.rmb", "cpu", n_d3b,
         [](const Config&, const State& s, int i) { return s.wp_pc[i] == kWpRmb; },
         [](const Config&, State& s, int i) { s.wp_pc[i] = kWpReadPrivate; }, wp_actor},
        // page_swapcount(): entry.val = page_private(page)
        {"wp.read_private", "cpu", n_wp,
         [](const Config&, const State& s, int i) { return s.wp_pc[i] == kWpReadPrivate; },
         [](const Config&, State& s, int i) {
           s.wp_entry[i] = s.private_;
           s.wp_pc[i] = kWpReadSwapMap;
         },
         wp_actor},
        // page_swapcount(): count += p->swap_map[swp_offset(entry)] - 1; a bad or
        // free entry (swap_info_get fails) adds 0.
        {"wp.read_swap_map", "cpu", n_wp,
         [](const Config&, const State& s, int i) { return s.wp_pc[i] == kWpReadSwapMap; },
         [](const Config&, State& s, int i) {
           if (s.wp_entry[i] == kEntryE && s.swap_map > 0) {
             s.wp_count[i] = static_cast<std::uint8_t>(s.wp_count[i] + s.swap_map - 1);
           }
           s.wp_pc[i] = kWpSwapUnlock;
         },
         wp_actor},
        // spin_unlock(&swap_lock); the caller decides.
        {"wp.swap_unlock", "cpu", n_wp,
         [](const Config&, const State& s, int i) { return s.wp_pc[i] == kWpSwapUnlock; },
         [](const Config& c, State& s, int i) {
           s.swap_lock = kFree;
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
         },
         wp_actor},
        // delete_from_swap_cache(): under tree_lock, radix delete,
        // set_page_private(page, 0) (kept under D3b), ClearPageSwapCache.
        {"wp.delete_swapcache", "cpu", n_free,
         [](const Config&, const State& s, int i) { return s.wp_pc[i] == kWpDeleteSwapcache; },
         [](const Config& c, State& s, int i) {
           s.flags &= static_cast<std::uint8_t>(~kSwapCache);
           if (c.proposal != kD3bSwaplockSum) s.private_ = kNoEntry;
           s.g_swapcache_freed = 1;
           s.wp_pc[i] = kWpSwapFree;
         },
         wp_actor},
        // delete_from_swap_cache(): swap_free(entry): swap_lock; swap_map[e]--
        {"wp.swap_free", "cpu", n_free,
         [](const Config&, const State& s, int i) {
           return s.wp_pc[i] == kWpSwapFree && s.swap_lock == kFree;
         },
         [](const Config&, State& s, int i) {
           if (s.swap_map > 0) --s.swap_map;
           s.wp_pc[i] = kWpSetDirty;
         },
         wp_actor},
        // SetPageDirty(page): set_bit on page->flags
        {"wp.set_dirty", "cpu", n_free,
         [](const Config&, const State& s, int i) { return s.wp_pc[i] == kWpSetDirty; },
         [](const Config&, State& s, int i) {
           s.flags |= kDirty;
           s.wp_pc[i] = kWpUnlockPage;
         },
         wp_actor},
        // unlock_page(old_page): clear_bit_unlock(PG_locked) + wake_up_page
        {"wp.unlock_page", "cpu", n_wp,
         [](const Config&, const State& s, int i) { return s.wp_pc[i] == kWpUnlockPage; },
         [](const Config& c, State& s, int i) {
           page_unlock(s);
           s.wp_pc[i] = c.proposal == kD2NickLockPage ? kWpRelockPtl : kWpAct;
         },
         wp_actor},
        // reuse: ptep_set_access_flags(maybe_mkwrite(pte_mkdirty(entry))); unlock;
        // VM_FAULT_WRITE.  copy: page_cache_get; pte_unmap_unlock; (copy the page)
        {"wp.act", "cpu", n_wp,
         [](const Config&, const State& s, int i) { return s.wp_pc[i] == kWpAct; },
         [](const Config&, State& s, int i) {
           s.ptl_a = kFree;
           if (s.wp_reuse[i]) {
             s.pte_a = kPteRwX;
             if (s.wp_ghost[i] & kGhostContended) s.g_reuse_contended = 1;
             fault_return(s, i, true);
           } else {
             s.wp_pc[i] = kWpCopyRelock;
           }
         },
         wp_actor},
        // page_table = pte_offset_map_lock(); if (likely(pte_same(*page_table, orig_pte)))
        {"wp.copy_relock", "cpu", n_wp,
         [](const Config&, const State& s, int i) {
           return s.wp_pc[i] == kWpCopyRelock && s.ptl_a == kFree;
         },
         [](const Config&, State& s, int i) {
           s.ptl_a = owner(i);
           s.wp_pc[i] = s.pte_a == kPteRoX ? kWpCopyRemoveRmap : kWpUnlockPtl;
         },
         wp_actor},
        // page_remove_rmap(old_page, vma): atomic_add_negative(-1, &_mapcount)
        {"wp.copy_remove_rmap", "cpu", n_wp,
         [](const Config&, const State& s, int i) { return s.wp_pc[i] == kWpCopyRemoveRmap; },
         [](const Config&, State& s, int i) {
           --s.mapcount;
           s.wp_pc[i] = kWpCopySetPte;
         },
         wp_actor},
        // set_pte_at(new_page, writable); page_add_new_anon_rmap; unlock; VM_FAULT_WRITE
        {"wp.copy_set_pte", "cpu", n_wp,
         [](const Config&, const State& s, int i) { return s.wp_pc[i] == kWpCopySetPte; },
         [](const Config&, State& s, int i) {
           s.pte_a = kPteRwCopy;
           if (s.wp_ghost[i] & kGhostExclAtEntry) s.g_wrong_cow = 1;
           s.ptl_a = kFree;
           fault_return(s, i, true);
         },
         wp_actor},
        // shrink_page_list(): if (TestSetPageLocked(page)) goto keep;
        {"recl.trylock", "", n_recl,
         [](const Config&, const State& s, int) { return s.recl_pc == kReclTrylock; },
         [](const Config& c, State& s, int) {
           if (s.flags & kLocked) {
             s.recl_pc = kReclDone;
             return;
           }
           page_lock(s, kOwnerRecl);
           s.recl_pc = kReclCheckSwapcache;
           observe_recl_window(c, s);
         },
         recl_actor},
        // if (PageAnon(page) && !PageSwapCache(page)) add_to_swap(page)
        {"recl.check_swapcache", "", n_recl,
         [](const Config&, const State& s, int) { return s.recl_pc == kReclCheckSwapcache; },
         [](const Config&, State& s, int) {
           s.recl_pc = (s.flags & kSwapCache) ? kReclLockPtlB : kReclGetSwapPage;
         },
         recl_actor},
        // add_to_swap(): get_swap_page(): swap_lock; swap_map[e] = 1 (fails if e is in use)
        {"recl.get_swap_page", "", n_recl,
         [](const Config&, const State& s, int) {
           return s.recl_pc == kReclGetSwapPage && s.swap_lock == kFree;
         },
         [](const Config&, State& s, int) {
           if (s.swap_map == 0) {
             s.swap_map = 1;
             s.recl_pc = kReclSetPrivate;
           } else {
             s.recl_pc = kReclUnlockPage;  // activate_locked
           }
         },
         recl_actor},
        // add_to_swap_cache(): set_page_private(page, entry.val)
        {"recl.set_private", "", n_recl,
         [](const Config&, const State& s, int) { return s.recl_pc == kReclSetPrivate; },
         [](const Config&, State& s, int) {
           s.private_ = kEntryE;
           s.recl_pc = kReclWmb;
         },
         recl_actor},
        // add_to_swap_cache(): smp_wmb() (D3b rollup; pairs with page_swapcount's rmb)
        {"recl.wmb", "", n_recl,
         [](const Config&, const State& s, int) { return s.recl_pc == kReclWmb; },
         [](const Config&, State& s, int) { s.recl_pc = kReclSetSwapcache; }, recl_actor},
        // add_to_swap_cache(): tree_lock; radix_tree_insert; SetPageSwapCache(page)
        {"recl.set_swapcache", "", n_recl,
         [](const Config&, const State& s, int) { return s.recl_pc == kReclSetSwapcache; },
         [](const Config&, State& s, int) {
           s.flags |= kSwapCache;
           s.g_published = 1;
           s.recl_pc = kReclLockPtlB;
         },
         recl_actor},
        // try_to_unmap() -> try_to_unmap_one(B's vma): page_check_address takes ptlB;
        // B does not map X -> next vma (A's pte is young: SWAP_FAIL) -> unlock_page
        {"recl.lock_ptl_b", "", n_recl,
         [](const Config&, const State& s, int) {
           return s.recl_pc == kReclLockPtlB && s.ptl_b == kFree;
         },
         [](const Config&, State& s, int) {
           if (s.pte_b == kBMapX) {
             s.ptl_b = kOwnerRecl;
             s.recl_pc = kReclSwapDuplicate;
           } else {
             s.recl_pc = kReclUnlockPage;
           }
         },
         recl_actor},
        // try_to_unmap_one(): ptep_clear_flush; swap_duplicate(entry) (swap_lock);
        // set_pte_at(swp_entry_to_pte(entry))
        {"recl.swap_duplicate", "", n_recl,
         [](const Config&, const State& s, int) {
           return s.recl_pc == kReclSwapDuplicate && s.swap_lock == kFree;
         },
         [](const Config&, State& s, int) {
           ++s.swap_map;
           s.pte_b = kBSwap;
           s.recl_pc = kReclRemoveRmap;
         },
         recl_actor},
        // try_to_unmap_one(): page_remove_rmap(page, vma) — after swap_duplicate
        {"recl.remove_rmap", "", n_recl,
         [](const Config&, const State& s, int) { return s.recl_pc == kReclRemoveRmap; },
         [](const Config&, State& s, int) {
           --s.mapcount;
           s.g_recl_unmapped_b = 1;
           s.recl_pc = kReclUnlockPtlB;
         },
         recl_actor},
        // try_to_unmap_one(): pte_unmap_unlock
        {"recl.unlock_ptl_b", "", n_recl,
         [](const Config&, const State& s, int) { return s.recl_pc == kReclUnlockPtlB; },
         [](const Config&, State& s, int) {
           s.ptl_b = kFree;
           s.recl_pc = kReclUnlockPage;
         },
         recl_actor},
        // keep_locked / activate_locked: unlock_page(page)
        {"recl.unlock_page", "", n_recl,
         [](const Config&, const State& s, int) { return s.recl_pc == kReclUnlockPage; },
         [](const Config&, State& s, int) {
           page_unlock(s);
           s.recl_pc = kReclDone;
         },
         recl_actor},
        // do_swap_page(): page = lookup_swap_cache(entry). Not found (X left the
        // swap cache): read from disk into a page of B's own, swap_free (collapsed).
        {"b.lookup_swap_cache", "", n_b,
         [](const Config&, const State& s, int) {
           const bool found = (s.flags & kSwapCache) && s.private_ == kEntryE;
           return s.b_pc == kBIdle && s.pte_b == kBSwap && (found || s.swap_lock == kFree);
         },
         [](const Config&, State& s, int) {
           if ((s.flags & kSwapCache) && s.private_ == kEntryE) {
             s.b_pc = kBLockPage;
           } else {
             s.pte_b = kBOther;
             --s.swap_map;
           }
         },
         b_actor},
        // do_swap_page(): lock_page(page)
        {"b.lock_page", "", n_b,
         [](const Config&, const State& s, int) {
           return s.b_pc == kBLockPage && !(s.flags & kLocked);
         },
         [](const Config&, State& s, int) {
           page_lock(s, kOwnerB);
           s.b_pc = kBLockPtl;
         },
         b_actor},
        // do_swap_page(): pte_offset_map_lock; pte_same (B's pte cannot change: X locked)
        {"b.lock_ptl", "", n_b,
         [](const Config&, const State& s, int) { return s.b_pc == kBLockPtl && s.ptl_b == kFree; },
         [](const Config&, State& s, int) {
           s.ptl_b = kOwnerB;
           s.b_pc = kBAddRmap;
         },
         b_actor},
        // do_swap_page(): set_pte_at(mk_pte(page)); page_add_anon_rmap: RMW[full] mapcount+1
        {"b.add_rmap", "", n_b,
         [](const Config&, const State& s, int) { return s.b_pc == kBAddRmap; },
         [](const Config& c, State& s, int) {
           s.pte_b = kBMapX;
           ++s.mapcount;
           if (any_in_do_wp_page(c, s)) s.g_window |= 2;
           s.b_pc = kBSwapFree;
         },
         b_actor},
        // do_swap_page(): swap_free(entry): swap_lock; swap_map[e]--  (after the rmap)
        {"b.swap_free", "", n_b,
         [](const Config&, const State& s, int) {
           return s.b_pc == kBSwapFree && s.swap_lock == kFree;
         },
         [](const Config&, State& s, int) {
           --s.swap_map;
           s.b_pc = kBUnlockPage;
         },
         b_actor},
        // do_swap_page(): unlock_page(page)
        {"b.unlock_page", "", n_b,
         [](const Config&, const State& s, int) { return s.b_pc == kBUnlockPage; },
         [](const Config&, State& s, int) {
           page_unlock(s);
           s.b_pc = kBUnlockPtl;
         },
         b_actor},
        // do_swap_page(): pte_unmap_unlock
        {"b.unlock_ptl", "", n_b,
         [](const Config&, const State& s, int) { return s.b_pc == kBUnlockPtl; },
         [](const Config&, State& s, int) {
           s.ptl_b = kFree;
           s.b_pc = kBIdle;
         },
         b_actor},
        // B exits: zap_pte_range under ptlB: page_remove_rmap (mapped X) or
        // free_swap_and_cache -> swap_free (swap pte; the trylock-and-delete tail
        // is not modelled).
        {"b.zap", "", n_b,
         [](const Config&, const State& s, int) {
           return s.b_pc == kBIdle && s.pte_b != kBNone && s.ptl_b == kFree &&
                  (s.pte_b != kBSwap || s.swap_lock == kFree);
         },
         [](const Config&, State& s, int) {
           if (s.pte_b == kBMapX) --s.mapcount;
           if (s.pte_b == kBSwap) --s.swap_map;
           s.pte_b = kBNone;
         },
         b_actor},
    };
    return kFamilies;
  }

  static std::span<const Prop> properties() {
    static constexpr Prop kProps[] = {
        {PropertyKind::always, "no_cow_of_exclusive_page",
         "D-I1: a write fault on an exclusively owned X never copies it, whoever holds "
         "PG_locked",
         no_cow_of_exclusive_page},
        {PropertyKind::always, "never_reuse_shared_page",
         "D-I2: A's pte never maps X writable while B maps X or holds a swap pte for it",
         never_reuse_shared_page},
        {PropertyKind::reachable, "fault_while_recl_holds_page_lock",
         "a fault is in do_wp_page while reclaim holds PG_locked",
         fault_while_recl_holds_page_lock},
        {PropertyKind::reachable, "b_swaps_in_during_fault",
         "B's do_swap_page adds its rmap while a fault of A is in do_wp_page",
         b_swaps_in_during_fault},
        {PropertyKind::reachable, "recl_unmaps_b",
         "try_to_unmap_one moves B's pte to swap (swap_duplicate before page_remove_rmap)",
         recl_unmaps_b},
        {PropertyKind::reachable, "recl_adds_to_swap_cache",
         "add_to_swap_cache publishes private, wmb, SWAPCACHE", recl_adds_to_swap_cache},
        {PropertyKind::reachable, "x_reused", "a write fault reuses X", x_reused},
        {PropertyKind::reachable, "x_copied", "a write fault copies X", x_copied},
        {PropertyKind::reachable, "reuse_despite_lock_contention",
         "a fault finds PG_locked held and still reuses X", reuse_despite_lock_contention},
        {PropertyKind::reachable, "swap_cache_freed_on_reuse",
         "reuse_swap_page / D3b's locked path drops X from the swap cache",
         swap_cache_freed_on_reuse},
    };
    return kProps;
  }

  static std::vector<std::string> actors(const Config& c) {
    std::vector<std::string> names = {"T CPU0", "RECL CPU1", "B CPU2"};
    if (c.gup) names.push_back("GUP CPU3");
    return names;
  }

  static void describe(const Config& c, const State& s, FieldPrinter& p) {
    p.text("X.flags",
           absl::StrCat((s.flags & kLocked) ? "L" : "-", (s.flags & kSwapCache) ? "S" : "-",
                        (s.flags & kDirty) ? "D" : "-"));
    p.choice("X.private", s.private_, kEntryNames);
    p.num("X.mapcount", s.mapcount);
    p.num("swap_map[e]", s.swap_map);
    p.choice("pteA", s.pte_a, kPteANames);
    p.choice("pteB", s.pte_b, kPteBNames);
    p.choice("ptlA", s.ptl_a, kOwnerNames);
    p.choice("ptlB", s.ptl_b, kOwnerNames);
    p.choice("swap_lock", s.swap_lock, kOwnerNames);
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
  }

  // T's store went through, GUP returned a page, reclaim finished its pass and B
  // exited.
  static bool is_final(const Config&, const State& s) {
    return s.t_pc == kTDone && s.gup_pc == kGupDone && s.recl_pc == kReclDone && s.b_pc == kBIdle &&
           s.pte_b == kBNone;
  }
};

static_assert(SpecType<Spec>);

}  // namespace
}  // namespace mmcheck::mm::wp_reuse

namespace mmcheck {
void register_wp_reuse(Registry& r) { r.add(make_spec_entry<mm::wp_reuse::Spec>()); }
}  // namespace mmcheck

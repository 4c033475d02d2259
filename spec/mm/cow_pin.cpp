// File: spec/mm/cow_pin.cpp
//
// The action table, proposals and registration of cow_pin; the kernel
// references, the interleavings and the abstractions are in cow_pin.hpp.
// Proposal branch points are marked `proposal:`.
#include "spec/mm/cow_pin.hpp"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "mmcheck/spec.hpp"
#include "mmcheck/text.hpp"
#include "properties/mm/cow_pin.hpp"
#include "registry/adapter.hpp"

namespace mmcheck::mm::cow_pin {
namespace {

constexpr std::string_view kPageNames[] = {"X", "X1", "X2", "X3"};
constexpr std::string_view kTPcNames[] = {"read",          "swapin_lookup", "swapin_lock_page",
                                          "swapin_map",    "write",         "fault_lock",
                                          "map_trylock",   "map_lock_page", "map_relock",
                                          "map_check",     "count_read",    "count_trylock",
                                          "count_recheck", "ax_excl",       "ax_read",
                                          "ax_trylock",    "ax_recheck",    "reuse",
                                          "copy",          "done"};
constexpr std::string_view kPinPcNames[] = {
    "fast_flag",        "fast_seq", "fast_pte", "fast_grab", "fast_recheck_pte",
    "fast_recheck_seq", "slow",     "hold",     "done"};
constexpr std::string_view kWpPcNames[] = {"check", "protect", "done"};
constexpr std::string_view kReclPcNames[] = {"trylock", "check_pinned", "add_to_swap", "unmap",
                                             "share",   "unlock",       "done"};
constexpr std::string_view kForkPcNames[] = {"mmap_lock", "seq_begin",   "lock_ptl",  "check",
                                             "copy",      "dup",         "wrprotect", "unlock_ptl",
                                             "seq_end",   "unlock_mmap", "done"};
constexpr std::string_view kChildPcNames[] = {"gup", "unmap", "hold", "done"};
constexpr std::string_view kSpecPcNames[] = {"get", "put", "done"};
constexpr std::string_view kActorNames[] = {"-", "T", "PIN", "WP", "RECL", "FORK", "CHILD", "SPEC"};

std::string pte_text(std::uint8_t pte) {
  if (pte == 0) return "none";
  if (is_swap(pte)) return (pte & kPteSwpExcl) ? "swap(X) excl" : "swap(X)";
  return absl::StrCat(av(kPageNames[page_of(pte)]), writable(pte) ? " rw" : " ro");
}

std::string page_flags_text(std::uint8_t f) {
  std::vector<std::string_view> names;
  if (f & kPgLocked) names.push_back("LOCKED");
  if (f & kPgSwapCache) names.push_back("SWAPCACHE");
  if (f & kPgAnonExcl) names.push_back("ANON_EXCLUSIVE");
  return names.empty() ? "-" : join(names, "|");
}

bool locked(const State& s, int p) { return (s.flags[p] & kPgLocked) != 0; }

// put_page(): a page whose last reference goes is freed (its slot reusable).
void put_page(State& s, int p, std::uint16_t n = 1) {
  if (s.refcount[p] < n) throw SpecError("cow_pin: refcount underflow");
  s.refcount[p] -= n;
  if (s.refcount[p] == 0) {
    if (s.mapcount[p] != 0) throw SpecError("cow_pin: freeing a mapped page");
    s.flags[p] = 0;
  }
}

// alloc_page() for a COW copy: the first free slot after X.
int alloc_page(const Config& c, State& s) {
  for (int p = 1; p < kPages; ++p) {
    if (s.refcount[p] == 0 && s.mapcount[p] == 0) {
      s.refcount[p] = 1;
      s.mapcount[p] = 1;
      // proposal: v5.19 new anon pages and copies are exclusive.
      s.flags[p] = c.anon_excl() ? kPgAnonExcl : 0;
      return p;
    }
  }
  throw SpecError("cow_pin: out of page slots");
}

// P is exclusive to A: the child neither maps nor references it.
bool exclusive_to_a(const State& s, int p) {
  if (present(s.pte_c) && page_of(s.pte_c) == p) return false;
  return s.child_ref != p;
}

void record_write(State& s, int p) {
  if (s.ghost & kGForked) s.g_awrote |= static_cast<std::uint8_t>(1u << p);
}

// reuse_swap_page() (CW-map): mapcount + swapcount == 1; on reuse of a swap
// cache page, delete_from_swap_cache.
bool reuse_swap_page(State& s, int p) {
  const bool swapcache = (s.flags[p] & kPgSwapCache) != 0;
  const int count = s.mapcount[p] + (swapcache ? s.swapcount : 0);
  if (count == 1 && swapcache) {
    s.flags[p] &= ~kPgSwapCache;
    put_page(s, p);
  }
  return count == 1;
}

// try_to_free_swap() under the page lock: no swap pte left -> leave the swap cache.
void try_to_free_swap(State& s, int p) {
  if ((s.flags[p] & kPgSwapCache) && s.swapcount == 0) {
    s.flags[p] &= ~kPgSwapCache;
    put_page(s, p);
  }
}

// A write (or v5.19 unshare) fault taken inside GUP or by the child, folded
// into the caller's step: the same decision as T's step-wise do_wp_page.
// CW-map sleeps in lock_page (callers' guards wait for it); CW-count and
// v5.19 copy when trylock_page fails.
void folded_wp_fault(const Config& c, State& s, std::uint8_t& pte, bool unshare) {
  const int p = page_of(pte);
  bool reuse = false;
  if (c.cw_map()) {  // proposal: CW-map
    reuse = reuse_swap_page(s, p);
  } else if (c.cw_count()) {  // proposal: CW-count
    reuse = s.refcount[p] == 1 && !locked(s, p) && s.mapcount[p] == 1;
  } else {  // proposal: anon-exclusive
    if (s.flags[p] & kPgAnonExcl) {
      reuse = true;
    } else if (!locked(s, p)) {
      try_to_free_swap(s, p);
      reuse = s.refcount[p] == 1;
      if (reuse) s.flags[p] |= kPgAnonExcl;
    }
  }
  if (reuse) {
    if (!unshare) pte |= kPteWrite;
    return;
  }
  const int q = alloc_page(c, s);
  pte = static_cast<std::uint8_t>(q | kPtePresent | (unshare ? 0 : kPteWrite));
  --s.mapcount[p];
  put_page(s, p);
}

// do_swap_page (read fault) folded for GUP: map X R/O from the swap cache.
void folded_swapin(const Config& c, State& s) {
  ++s.refcount[kX];
  ++s.mapcount[kX];
  --s.swapcount;
  // proposal: v5.19 restores PageAnonExclusive from the swap pte.
  if (c.anon_excl() && (s.pte_a & kPteSwpExcl)) s.flags[kX] |= kPgAnonExcl;
  s.pte_a = kX | kPtePresent;
}

bool mmap_no_writer(const State& s) { return (s.mmap_lock & kMmapWriter) == 0; }

struct Spec {
  using State = cow_pin::State;
  using Config = cow_pin::Config;
  using Family = ActionFamily<State, Config>;
  using Prop = Property<State, Config>;

  static constexpr std::string_view name = "cow_pin";
  static constexpr std::string_view summary =
      "page_count- vs mapcount-based COW against GUP pins, write-protect, reclaim, fork "
      "(2020-21; PageAnonExclusive v5.19)";
  static constexpr DeadlockPolicy deadlock_policy = DeadlockPolicy::stuck;

  static std::span<const ProposalSpec> proposals() {
    static constexpr ProposalSpec kProposals[] = {
        {"C0-mapcount-reuse", "<= v5.7: CW-map do_wp_page + GUP-old (R/O GUP allowed)"},
        {"C1-gup-breaks-cow",
         "v5.8: CW-map + every GUP of a COW mapping breaks COW (17839856fd58)"},
        {"C2-pagecount-reuse",
         "v5.9-v5.18: page_count reuse (09854ba94c6a) + fork early COW (70e806e4e645) + "
         "feb889fb40fa + 9348b73c2e1b + write_protect_seq (57efa1fe5957)"},
        {"C-A-mapcount-revert",
         "Andrea: mapcount reuse back; fork copies pages with extra references"},
        {"anon-exclusive", "v5.19: PageAnonExclusive, unshare on R/O FOLL_PIN (§E merged)"},
    };
    return kProposals;
  }
  static std::span<const ParamSpec> params() {
    static constexpr ParamSpec kParams[] = {
        {"pin", 2, 0, 2, "GUP by PIN in mm A: 0 none, 1 FOLL_GET, 2 FOLL_PIN"},
        {"pin_write", 0, 0, 1, "PIN uses FOLL_WRITE (O_DIRECT read into the page)"},
        {"pin_fast", 0, 0, 1, "PIN tries gup-fast first (else the slow path only)"},
        {"wp", 0, 0, 2, "in-place write protect: 0 none, 1 clear_refs, 2 uffd-wp/mprotect"},
        {"recl", 0, 0, 1, "reclaim (shrink_page_list) swaps the page out"},
        {"fork", 0, 0, 1, "A forks a child"},
        {"child_gup", 0, 0, 1, "the child takes a read GUP reference (vmsplice), then unmaps"},
        {"spec", 0, 0, 1, "a speculative get/put of the page's refcount"},
        {"contract", 0, 0, 1, "INV-PIN-COHERENT contract: 0 C-A (Andrea), 1 C-L (Linus)"},
        {"check", 0, 0, 1, "0: INV-PIN-COHERENT + INV-PRIVATE; 1: NO-SPURIOUS-COW only"},
        {"gup_unshare", 0, 0, 1, "C-A only: a read GUP of a shared R/O page unshares"},
    };
    return kParams;
  }
  static Config configure(const RunConfig& run) {
    const auto& v = run.params;
    Config c{static_cast<Proposal>(run.proposal),
             v[0],
             v[1] != 0,
             v[2] != 0,
             v[3],
             v[4] != 0,
             v[5] != 0,
             v[6] != 0,
             v[7] != 0,
             v[8],
             v[9],
             v[10] != 0};
    if (c.child_gup && !c.fork) throw UsageError("cow_pin: child_gup needs fork=1");
    if (c.recl && c.fork) throw UsageError("cow_pin: recl with fork is not modelled");
    if (c.pin == kPinNone && (c.pin_write || c.pin_fast)) {
      throw UsageError("cow_pin: pin_write/pin_fast need pin=1 or pin=2");
    }
    if (c.gup_unshare && c.proposal != kCAMapcountRevert) {
      throw UsageError("cow_pin: gup_unshare applies to C-A-mapcount-revert only");
    }
    return c;
  }

  static std::uint8_t pin_first_pc(const Config& c) {
    if (c.pin == kPinNone) return kPinDone;
    if (!c.pin_fast) return kPinSlow;
    if (c.has_pinned_flag() && c.pin == kPinPin) return kPinFastFlag;
    return c.seqcount() ? kPinFastSeq : kPinFastPte;
  }

  static State initial(const Config& c) {
    State s{};
    s.refcount = {1, 0, 0, 0};  // A's mapping holds X's only reference
    s.mapcount = {1, 0, 0, 0};
    s.flags = {static_cast<std::uint8_t>(c.anon_excl() ? kPgAnonExcl : 0), 0, 0, 0};
    s.pte_a = kX | kPtePresent | kPteWrite;
    s.t_pc = kTRead;
    s.pin_page = kNoPage;
    s.pin_pc = pin_first_pc(c);
    s.wp_pc = c.wp != kWpNone ? kWpCheck : kWpDone;
    s.recl_pc = c.recl ? kRTrylock : kRDone;
    s.fork_pc = c.fork ? kFMmapLock : kFDone;
    s.child_pc = !c.fork ? kCDone : (c.child_gup ? kCGup : kCUnmap);
    s.child_ref = kNoPage;
    s.spec_pc = c.spec ? kSGet : kSDone;
    return s;
  }

  // ---- actor columns ----
  static bool enabled(const Config& c, int actor) {
    switch (actor) {
      case kActT:
        return true;
      case kActPin:
        return c.pin != kPinNone;
      case kActWp:
        return c.wp != kWpNone;
      case kActRecl:
        return c.recl;
      case kActFork:
        return c.fork;
      case kActChild:
        return c.fork;
      case kActSpec:
        return c.spec;
    }
    return false;
  }
  static int column(const Config& c, int actor) {
    int col = 0;
    for (int a = kActT; a < actor; ++a) col += enabled(c, a) ? 1 : 0;
    return col;
  }
  static int t_col(const Config& c, int) { return column(c, kActT); }
  static int pin_col(const Config& c, int) { return column(c, kActPin); }
  static int wp_col(const Config& c, int) { return column(c, kActWp); }
  static int recl_col(const Config& c, int) { return column(c, kActRecl); }
  static int fork_col(const Config& c, int) { return column(c, kActFork); }
  static int child_col(const Config& c, int) { return column(c, kActChild); }
  static int spec_col(const Config& c, int) { return column(c, kActSpec); }

  // ---- family counts: absent families are branch points ----
  static int if_pin(const Config& c) { return c.pin != kPinNone ? 1 : 0; }
  static int if_fast(const Config& c) { return c.pin_fast ? 1 : 0; }
  static int if_fast_flag(const Config& c) {
    return c.pin_fast && c.pin == kPinPin && c.has_pinned_flag() ? 1 : 0;
  }
  static int if_fast_seq(const Config& c) { return c.pin_fast && c.seqcount() ? 1 : 0; }
  static int if_wp(const Config& c) { return c.wp != kWpNone ? 1 : 0; }
  static int if_recl(const Config& c) { return c.recl ? 1 : 0; }
  static int if_recl_check(const Config& c) { return c.recl && c.pin_checks() ? 1 : 0; }
  static int if_recl_share(const Config& c) { return c.recl && c.anon_excl() ? 1 : 0; }
  static int if_swap(const Config& c) { return c.recl ? 1 : 0; }
  static int if_fork(const Config& c) { return c.fork ? 1 : 0; }
  static int if_fork_seq(const Config& c) { return c.fork && c.seqcount() ? 1 : 0; }
  static int if_fork_copy(const Config& c) { return c.fork && c.fork_early_cow() ? 1 : 0; }
  static int if_child_gup(const Config& c) { return c.child_gup ? 1 : 0; }
  static int if_spec(const Config& c) { return c.spec ? 1 : 0; }
  static int if_map(const Config& c) { return c.cw_map() && c.t_faults() ? 1 : 0; }
  static int if_count(const Config& c) { return c.cw_count() && c.t_faults() ? 1 : 0; }
  static int if_ax(const Config& c) { return c.anon_excl() && c.t_faults() ? 1 : 0; }

  // ---- T helpers ----
  static void t_release(State& s) {
    if (s.ptl == kActT) s.ptl = kNobody;
    --s.mmap_lock;
    s.t_pc = kTDone;
  }
  // do_wp_page()'s trylock_page(): busy -> copy; taken -> go on to `next`.
  static void t_trylock_or_copy(State& s, std::uint8_t next) {
    const int p = page_of(s.pte_a);
    if (locked(s, p)) {
      t_decide_copy(s);
    } else {
      s.flags[p] |= kPgLocked;
      s.t_pc = next;
    }
  }
  static void t_decide_copy(State& s) {
    if (exclusive_to_a(s, page_of(s.pte_a))) {
      s.ghost |= kGTExcl;
    } else {
      s.ghost &= ~kGTExcl;
    }
    s.t_pc = kTCopy;
  }
  static void t_unlock_page(State& s) { s.flags[page_of(s.pte_a)] &= ~kPgLocked; }

  // ---- PIN helpers ----
  static bool pin_needs_write(const Config& c) { return c.pin_write || c.breakcow(); }
  static void pin_hold(const Config&, State& s, int p, std::uint8_t pte) {
    s.pin_page = static_cast<std::uint8_t>(p);
    s.pin_pc = kPinHold;
    s.pin_pte = 0;
    s.pin_seq = 0;
    // C-L: the pin obtained exclusive ownership at pin time.
    if (writable(pte) || (s.flags[p] & kPgAnonExcl)) s.ghost |= kGCovered;
  }
  static void pin_fail_fast(const Config& c, State& s, bool grabbed) {
    if (grabbed) put_page(s, page_of(s.pin_pte), c.bias());
    s.pin_pte = 0;
    s.pin_seq = 0;
    s.pin_pc = kPinSlow;
  }
  // A CW-map fault inside GUP sleeps in lock_page (CW-count / v5.19 trylock and copy).
  static bool slow_waits_for_page_lock(const Config& c, const State& s) {
    if (!c.cw_map() || writable(s.pte_a)) return false;
    const int p = page_of(s.pte_a);
    return pin_needs_write(c) || (c.gup_unshare && s.mapcount[p] > 1);
  }

  static std::span<const Family> actions() {
    static constexpr Family kFamilies[] = {
        // ================= T: a thread of A reading, then writing, the page ========
        // The read access: a present pte needs no fault; a swap pte -> do_swap_page.
        {"t.read", "", one<Config>,
         [](const Config&, const State& s, int) { return s.t_pc == kTRead && s.pte_a != 0; },
         [](const Config&, State& s, int) { s.t_pc = present(s.pte_a) ? kTWrite : kTSwapLookup; },
         t_col},
        // do_swap_page(): lookup_swap_cache() + get (X stays in the swap cache)
        {"t.swapin_lookup", "", if_swap,
         [](const Config&, const State& s, int) { return s.t_pc == kTSwapLookup; },
         [](const Config&, State& s, int) {
           ++s.refcount[kX];
           s.t_pc = kTSwapLockPage;
         },
         t_col},
        // do_swap_page(): lock_page_or_retry()
        {"t.swapin_lock_page", "", if_swap,
         [](const Config&, const State& s, int) {
           return s.t_pc == kTSwapLockPage && !locked(s, kX);
         },
         [](const Config&, State& s, int) {
           s.flags[kX] |= kPgLocked;
           s.t_pc = kTSwapMap;
         },
         t_col},
        // do_swap_page(): pte_offset_map_lock; pte_same; mk_pte R/O; do_page_add_anon_rmap
        // [v5.19: RMAP_EXCLUSIVE if pte_swp_exclusive]; swap_free; unlock_page; unlock ptl
        {"t.swapin_map", "", if_swap,
         [](const Config&, const State& s, int) { return s.t_pc == kTSwapMap && s.ptl == kNobody; },
         [](const Config& c, State& s, int) {
           if (!is_swap(s.pte_a)) {  // !pte_same: someone else swapped it in
             put_page(s, kX);
             s.flags[kX] &= ~kPgLocked;
             s.t_pc = kTRead;
             return;
           }
           ++s.mapcount[kX];
           --s.swapcount;
           // proposal: v5.19 exclusive swap pte -> PageAnonExclusive
           if (c.anon_excl() && (s.pte_a & kPteSwpExcl)) s.flags[kX] |= kPgAnonExcl;
           s.pte_a = kX | kPtePresent;
           s.flags[kX] &= ~kPgLocked;
           s.t_pc = kTWrite;
         },
         t_col},
        // The store: no fault through a writable pte; R/O -> write fault; swap -> fault in.
        {"t.write", "", one<Config>,
         [](const Config&, const State& s, int) { return s.t_pc == kTWrite && s.pte_a != 0; },
         [](const Config&, State& s, int) {
           if (is_swap(s.pte_a)) {
             s.t_pc = kTSwapLookup;
           } else if (writable(s.pte_a)) {
             record_write(s, page_of(s.pte_a));
             s.t_pc = kTDone;
           } else {
             s.t_pc = kTFaultLock;
           }
         },
         t_col},
        // handle_mm_fault(): mmap_read_lock; pte_offset_map_lock; re-read the pte
        {"t.fault_lock", "", one<Config>,
         [](const Config&, const State& s, int) {
           return s.t_pc == kTFaultLock && mmap_no_writer(s) && s.ptl == kNobody;
         },
         [](const Config& c, State& s, int) {
           if (!present(s.pte_a)) {  // swapped out meanwhile: retry the access
             s.t_pc = kTWrite;
             return;
           }
           if (writable(s.pte_a)) {  // made writable meanwhile: the store goes through
             record_write(s, page_of(s.pte_a));
             s.t_pc = kTDone;
             return;
           }
           ++s.mmap_lock;
           s.ptl = kActT;
           s.t_pte = s.pte_a;
           // proposal: which do_wp_page
           s.t_pc = c.cw_map() ? kTMapTrylock : c.cw_count() ? kTCountRead : kTAxExcl;
         },
         t_col},
        // --- CW-map (C0, C1, C-A) ---
        // do_wp_page(): trylock_page(); on failure get_page, unlock ptl
        {"t.map_trylock", "", if_map,
         [](const Config&, const State& s, int) { return s.t_pc == kTMapTrylock; },
         [](const Config&, State& s, int) {
           const int p = page_of(s.pte_a);
           if (locked(s, p)) {
             ++s.refcount[p];  // get_page
             s.ptl = kNobody;
             s.t_pc = kTMapLockPage;
           } else {
             s.flags[p] |= kPgLocked;
             s.t_pc = kTMapCheck;
           }
         },
         t_col},
        // do_wp_page(): lock_page() (sleeps)
        {"t.map_lock_page", "", if_map,
         [](const Config&, const State& s, int) {
           return s.t_pc == kTMapLockPage && !locked(s, page_of(s.t_pte));
         },
         [](const Config&, State& s, int) {
           s.flags[page_of(s.t_pte)] |= kPgLocked;
           s.t_pc = kTMapRelock;
         },
         t_col},
        // do_wp_page(): pte_offset_map_lock; if !pte_same: unlock_page, put_page, return
        {"t.map_relock", "", if_map,
         [](const Config&, const State& s, int) {
           return s.t_pc == kTMapRelock && s.ptl == kNobody;
         },
         [](const Config&, State& s, int) {
           const int p = page_of(s.t_pte);
           put_page(s, p);
           if (s.pte_a != s.t_pte) {
             s.flags[p] &= ~kPgLocked;
             --s.mmap_lock;
             s.t_pc = kTWrite;  // the fault returns; the store retries
             return;
           }
           s.ptl = kActT;
           s.t_pc = kTMapCheck;
         },
         t_col},
        // do_wp_page(): reuse_swap_page() (mapcount + swapcount == 1); unlock_page
        {"t.map_reuse_check", "", if_map,
         [](const Config&, const State& s, int) { return s.t_pc == kTMapCheck; },
         [](const Config&, State& s, int) {
           const bool reuse = reuse_swap_page(s, page_of(s.pte_a));
           t_unlock_page(s);
           if (reuse) {
             s.t_pc = kTReuse;
           } else {
             t_decide_copy(s);
           }
         },
         t_col},
        // --- CW-count (C2, 09854ba94c6a) ---
        // do_wp_page(): if (PageKsm(page) || page_count(page) != 1) goto copy
        {"t.count_read_refcount", "", if_count,
         [](const Config&, const State& s, int) { return s.t_pc == kTCountRead; },
         [](const Config&, State& s, int) {
           if (s.refcount[page_of(s.pte_a)] != 1) {
             t_decide_copy(s);
           } else {
             s.t_pc = kTCountTrylock;
           }
         },
         t_col},
        // do_wp_page(): if (!trylock_page(page)) goto copy
        {"t.count_trylock", "", if_count,
         [](const Config&, const State& s, int) { return s.t_pc == kTCountTrylock; },
         [](const Config&, State& s, int) { t_trylock_or_copy(s, kTCountRecheck); }, t_col},
        // do_wp_page(): mapcount != 1 || page_count != 1 -> unlock, copy; unlock_page
        {"t.count_recheck", "", if_count,
         [](const Config&, const State& s, int) { return s.t_pc == kTCountRecheck; },
         [](const Config&, State& s, int) {
           const int p = page_of(s.pte_a);
           const bool reuse = s.mapcount[p] == 1 && s.refcount[p] == 1;
           t_unlock_page(s);
           if (reuse) {
             s.t_pc = kTReuse;
           } else {
             t_decide_copy(s);
           }
         },
         t_col},
        // --- anon-exclusive (v5.19) ---
        // do_wp_page(): if (PageAnonExclusive(page)) goto reuse
        {"t.ax_test_exclusive", "", if_ax,
         [](const Config&, const State& s, int) { return s.t_pc == kTAxExcl; },
         [](const Config&, State& s, int) {
           s.t_pc = (s.flags[page_of(s.pte_a)] & kPgAnonExcl) ? kTReuse : kTAxRead;
         },
         t_col},
        // do_wp_page(): if (page_count(page) > 1 + PageSwapCache(page)) goto copy
        // (one read of the flags word and one of the refcount, folded)
        {"t.ax_read_refcount", "", if_ax,
         [](const Config&, const State& s, int) { return s.t_pc == kTAxRead; },
         [](const Config&, State& s, int) {
           const int p = page_of(s.pte_a);
           const int swapcache = (s.flags[p] & kPgSwapCache) ? 1 : 0;
           if (s.refcount[p] > 1 + swapcache) {
             t_decide_copy(s);
           } else {
             s.t_pc = kTAxTrylock;
           }
         },
         t_col},
        // do_wp_page(): if (!trylock_page(page)) goto copy
        {"t.ax_trylock", "", if_ax,
         [](const Config&, const State& s, int) { return s.t_pc == kTAxTrylock; },
         [](const Config&, State& s, int) { t_trylock_or_copy(s, kTAxRecheck); }, t_col},
        // do_wp_page(): try_to_free_swap; page_count != 1 -> copy; page_move_anon_rmap
        // (SetPageAnonExclusive); unlock_page
        {"t.ax_recheck", "", if_ax,
         [](const Config&, const State& s, int) { return s.t_pc == kTAxRecheck; },
         [](const Config&, State& s, int) {
           const int p = page_of(s.pte_a);
           try_to_free_swap(s, p);
           const bool reuse = s.refcount[p] == 1;
           if (reuse) s.flags[p] |= kPgAnonExcl;
           t_unlock_page(s);
           if (reuse) {
             s.t_pc = kTReuse;
           } else {
             t_decide_copy(s);
           }
         },
         t_col},
        // wp_page_reuse(): pte := pte | W | D; the store; unlock ptl, mmap_read_unlock
        {"t.reuse", "", [](const Config& c) { return c.t_faults() ? 1 : 0; },
         [](const Config&, const State& s, int) { return s.t_pc == kTReuse; },
         [](const Config&, State& s, int) {
           s.pte_a |= kPteWrite;
           record_write(s, page_of(s.pte_a));
           t_release(s);
         },
         t_col},
        // wp_page_copy(): alloc + copy; relock; pte_same; pte := X'|W; page_remove_rmap;
        // put_page(old); the store goes to the copy
        {"t.cow_copy", "", [](const Config& c) { return c.t_faults() ? 1 : 0; },
         [](const Config&, const State& s, int) { return s.t_pc == kTCopy; },
         [](const Config& c, State& s, int) {
           const int p = page_of(s.pte_a);
           const int q = alloc_page(c, s);
           s.pte_a = static_cast<std::uint8_t>(q | kPtePresent | kPteWrite);
           --s.mapcount[p];
           put_page(s, p);
           record_write(s, q);
           if (s.ghost & kGTExcl) s.ghost |= kGSpurious;
           s.ghost &= ~kGTExcl;
           t_release(s);
         },
         t_col},

        // ================= PIN: get_user_pages / pin_user_pages in mm A ===========
        // internal_get_user_pages_fast(): atomic_set(&mm->has_pinned, 1) (FOLL_PIN)
        {"pin.fast_set_has_pinned", "", if_fast_flag,
         [](const Config&, const State& s, int) { return s.pin_pc == kPinFastFlag; },
         [](const Config& c, State& s, int) {
           s.mm_flags |= kMmHasPinned;
           s.pin_pc = c.seqcount() ? kPinFastSeq : kPinFastPte;
         },
         pin_col},
        // lockless_pages_from_mm(): raw_read_seqcount(&mm->write_protect_seq) [rmb];
        // odd -> slow path
        {"pin.fast_read_seq", "", if_fast_seq,
         [](const Config&, const State& s, int) { return s.pin_pc == kPinFastSeq; },
         [](const Config& c, State& s, int) {
           if (s.seq & 1) {
             pin_fail_fast(c, s, false);
           } else {
             s.pin_seq = s.seq;
             s.pin_pc = kPinFastPte;
           }
         },
         pin_col},
        // gup_pte_range(): ptep_get_lockless; !present or (FOLL_WRITE && !write) -> slow
        // proposal: C1 gup-fast accepts writable ptes only
        {"pin.fast_read_pte", "", if_fast,
         [](const Config&, const State& s, int) { return s.pin_pc == kPinFastPte; },
         [](const Config& c, State& s, int) {
           if (!present(s.pte_a) || (pin_needs_write(c) && !writable(s.pte_a))) {
             pin_fail_fast(c, s, false);
           } else {
             s.pin_pte = s.pte_a;
             s.pin_pc = kPinFastGrab;
           }
         },
         pin_col},
        // try_grab_compound_head(): refcount += 1 (FOLL_GET) / 1024 (FOLL_PIN),
        // failing on a freed page (get_page_unless_zero)
        {"pin.fast_grab", "", if_fast,
         [](const Config&, const State& s, int) { return s.pin_pc == kPinFastGrab; },
         [](const Config& c, State& s, int) {
           const int p = page_of(s.pin_pte);
           if (s.refcount[p] == 0) {
             pin_fail_fast(c, s, false);
             return;
           }
           s.refcount[p] += c.bias();
           s.pin_pc = kPinFastRecheckPte;
         },
         pin_col},
        // gup_pte_range(): pte_val(pte) != pte_val(*ptep) -> put, slow;
        // proposal: v5.19 B5: !pte_write && FOLL_PIN && !FOLL_WRITE && !PageAnonExclusive
        // [v6.0: rmb before reading the flags]
        {"pin.fast_recheck_pte", "", if_fast,
         [](const Config&, const State& s, int) { return s.pin_pc == kPinFastRecheckPte; },
         [](const Config& c, State& s, int) {
           const int p = page_of(s.pin_pte);
           if (s.pte_a != s.pin_pte) {
             pin_fail_fast(c, s, true);
             return;
           }
           if (c.anon_excl() && c.pin == kPinPin && !c.pin_write && !writable(s.pin_pte) &&
               !(s.flags[p] & kPgAnonExcl)) {
             pin_fail_fast(c, s, true);
             return;
           }
           // proposal: C-A gup_unshare in gup-fast (as E-v1's gup_must_unshare:
           // R/O pte and mapcount > 1 -> slow path, which unshares)
           if (c.gup_unshare && !writable(s.pin_pte) && s.mapcount[p] > 1) {
             pin_fail_fast(c, s, true);
             return;
           }
           if (c.seqcount()) {
             s.pin_pc = kPinFastRecheckSeq;
           } else {
             pin_hold(c, s, p, s.pin_pte);
           }
         },
         pin_col},
        // lockless_pages_from_mm(): read_seqcount_retry [rmb] -> unpin, slow path
        {"pin.fast_recheck_seq", "", if_fast_seq,
         [](const Config&, const State& s, int) { return s.pin_pc == kPinFastRecheckSeq; },
         [](const Config& c, State& s, int) {
           if (s.seq != s.pin_seq) {
             pin_fail_fast(c, s, true);
           } else {
             pin_hold(c, s, page_of(s.pin_pte), s.pin_pte);
           }
         },
         pin_col},
        // __get_user_pages(), one step under mmap_read_lock + ptl: follow_page_pte;
        // faultin_page (swap-in; write fault if FOLL_WRITE [C1: forced for COW
        // mappings]; v5.19 unshare for R/O FOLL_PIN of !PageAnonExclusive; C-A
        // gup_unshare for mapcount > 1); try_grab_page.
        {"pin.slow", "", if_pin,
         [](const Config& c, const State& s, int) {
           if (s.pin_pc != kPinSlow || !mmap_no_writer(s) || s.ptl != kNobody) return false;
           if (s.pte_a == 0) return false;
           if (is_swap(s.pte_a)) return !locked(s, kX);
           return !(slow_waits_for_page_lock(c, s) && locked(s, page_of(s.pte_a)));
         },
         [](const Config& c, State& s, int) {
           if (c.has_pinned_flag() && c.pin == kPinPin) s.mm_flags |= kMmHasPinned;
           if (is_swap(s.pte_a)) folded_swapin(c, s);
           if (pin_needs_write(c) && !writable(s.pte_a)) {
             folded_wp_fault(c, s, s.pte_a, false);
           } else if (!writable(s.pte_a)) {
             const int p = page_of(s.pte_a);
             // proposal: v5.19 gup_must_unshare; C-A with gup_unshare
             const bool unshare =
                 (c.anon_excl() && c.pin == kPinPin && !(s.flags[p] & kPgAnonExcl)) ||
                 (c.gup_unshare && s.mapcount[p] > 1);
             if (unshare) folded_wp_fault(c, s, s.pte_a, true);
           }
           const int p = page_of(s.pte_a);
           s.refcount[p] += c.bias();
           pin_hold(c, s, p, s.pte_a);
         },
         pin_col},
        // put_page / unpin_user_page: the I/O is done
        {"pin.release", "", if_pin,
         [](const Config&, const State& s, int) { return s.pin_pc == kPinHold; },
         [](const Config& c, State& s, int) {
           put_page(s, s.pin_page, c.bias());
           s.pin_page = kNoPage;
           s.ghost &= ~(kGCovered | kGVoided);
           s.pin_pc = kPinDone;
         },
         pin_col},

        // ================= WP: in-place write protection of A's pte ==============
        // clear_refs_pte_range/change_pte_range: lock ptl; read the pte;
        // proposal: clear_refs 9348b73c2e1b pte_is_pinned(): has_pinned &&
        // page_maybe_dma_pinned -> skip
        {"wp.lock_check", "", if_wp,
         [](const Config&, const State& s, int) {
           return s.wp_pc == kWpCheck && mmap_no_writer(s) && s.ptl == kNobody;
         },
         [](const Config& c, State& s, int) {
           if (pin_held(s)) s.ghost |= kGWpSawPin;
           if (!present(s.pte_a) || !writable(s.pte_a)) {
             s.wp_pc = kWpDone;
             return;
           }
           if (c.wp == kWpClearRefs && c.pin_checks() && (s.mm_flags & kMmHasPinned) &&
               s.refcount[page_of(s.pte_a)] >= kPinBias) {
             s.wp_pc = kWpDone;
             return;
           }
           ++s.mmap_lock;
           s.ptl = kActWp;
           s.wp_pc = kWpProtect;
         },
         wp_col},
        // ptep_modify_prot_start/commit: pte := pte & ~W; unlock ptl (TLB flush later)
        {"wp.wrprotect", "", if_wp,
         [](const Config&, const State& s, int) { return s.wp_pc == kWpProtect; },
         [](const Config& c, State& s, int) {
           s.pte_a &= ~kPteWrite;
           if (pin_held(s) && c.wp == kWpUser) s.ghost |= kGVoided;  // C-L: "don't do that then"
           s.ptl = kNobody;
           --s.mmap_lock;
           s.wp_pc = kWpDone;
         },
         wp_col},

        // ================= RECL: shrink_page_list on X ===========================
        // trylock_page(page); not mapped -> nothing to do
        {"recl.trylock_page", "", if_recl,
         [](const Config&, const State& s, int) { return s.recl_pc == kRTrylock; },
         [](const Config& c, State& s, int) {
           if (locked(s, kX) || s.mapcount[kX] == 0) {
             s.recl_pc = kRDone;
             return;
           }
           s.flags[kX] |= kPgLocked;
           s.recl_pc = c.pin_checks() ? kRCheckPinned : kRAddToSwap;
         },
         recl_col},
        // proposal: feb889fb40fa: if (page_maybe_dma_pinned(page)) goto keep_locked
        {"recl.check_pinned", "", if_recl_check,
         [](const Config&, const State& s, int) { return s.recl_pc == kRCheckPinned; },
         [](const Config&, State& s, int) {
           s.recl_pc = s.refcount[kX] >= kPinBias ? kRUnlock : kRAddToSwap;
         },
         recl_col},
        // add_to_swap(): SetPageSwapCache; the swap cache's reference
        {"recl.add_to_swap", "", if_recl,
         [](const Config&, const State& s, int) { return s.recl_pc == kRAddToSwap; },
         [](const Config&, State& s, int) {
           s.flags[kX] |= kPgSwapCache;
           ++s.refcount[kX];
           s.recl_pc = kRUnmap;
         },
         recl_col},
        // try_to_unmap_one(): lock ptl; ptep_clear_flush;
        //   <= v5.18: set swap pte, mapcount--, put_page, swap_duplicate; unlock ptl
        //   v5.19 A1: the pte is cleared, ptl kept for A2..A4
        {"recl.unmap", "", if_recl,
         [](const Config&, const State& s, int) {
           return s.recl_pc == kRUnmap && s.ptl == kNobody;
         },
         [](const Config& c, State& s, int) {
           if (!present(s.pte_a) || page_of(s.pte_a) != kX) {
             s.recl_pc = kRUnlock;
             return;
           }
           if (c.anon_excl()) {  // proposal: v5.19 A1 (then [v6.0: mb] A2)
             s.recl_pte = s.pte_a;
             s.pte_a = 0;
             s.ptl = kActRecl;
             s.recl_pc = kRShare;
             return;
           }
           s.pte_a = kPteSwap;
           --s.mapcount[kX];
           put_page(s, kX);
           ++s.swapcount;
           s.recl_pc = kRUnlock;
         },
         recl_col},
        // v5.19 page_try_share_anon_rmap(): A2 maybe pinned -> set_pte_at(pteval), abort;
        // A3 ClearPageAnonExclusive [v6.0: mb__after_atomic]; A4 swap pte (exclusive bit);
        // mapcount--, put_page, swap_duplicate; unlock ptl
        {"recl.share_anon", "", if_recl_share,
         [](const Config&, const State& s, int) { return s.recl_pc == kRShare; },
         [](const Config&, State& s, int) {
           const bool excl = (s.flags[kX] & kPgAnonExcl) != 0;
           if (excl && s.refcount[kX] >= kPinBias) {
             s.pte_a = s.recl_pte;
           } else {
             s.flags[kX] &= ~kPgAnonExcl;
             s.pte_a = static_cast<std::uint8_t>(kPteSwap | (excl ? kPteSwpExcl : 0));
             --s.mapcount[kX];
             put_page(s, kX);
             ++s.swapcount;
           }
           s.recl_pte = 0;
           s.ptl = kNobody;
           s.recl_pc = kRUnlock;
         },
         recl_col},
        // unlock_page() (keep_locked / after pageout: X stays in the swap cache)
        {"recl.unlock_page", "", if_recl,
         [](const Config&, const State& s, int) { return s.recl_pc == kRUnlock; },
         [](const Config&, State& s, int) {
           s.flags[kX] &= ~kPgLocked;
           s.recl_pc = kRDone;
         },
         recl_col},

        // ================= FORK: dup_mmap / copy_page_range of A's pte ===========
        {"fork.mmap_write_lock", "", if_fork,
         [](const Config&, const State& s, int) {
           return s.fork_pc == kFMmapLock && s.mmap_lock == 0;
         },
         [](const Config& c, State& s, int) {
           s.mmap_lock = kMmapWriter;
           s.fork_pc = c.seqcount() ? kFSeqBegin : kFLockPtl;
         },
         fork_col},
        // copy_page_range(): raw_write_seqcount_begin: seq++ ; wmb
        {"fork.seq_begin", "", if_fork_seq,
         [](const Config&, const State& s, int) { return s.fork_pc == kFSeqBegin; },
         [](const Config&, State& s, int) {
           ++s.seq;
           s.fork_pc = kFLockPtl;
         },
         fork_col},
        // copy_pte_range(): lock dst and src ptl
        {"fork.lock_ptl", "", if_fork,
         [](const Config&, const State& s, int) {
           return s.fork_pc == kFLockPtl && s.ptl == kNobody;
         },
         [](const Config&, State& s, int) {
           s.ptl = kActFork;
           s.fork_pc = kFCheck;
         },
         fork_col},
        // proposal: copy_present_page(): C2/v5.19: has_pinned && page_maybe_dma_pinned;
        // C-A: page_count > mapcount + swapcache; C0/C1: always share
        {"fork.check_pinned", "", if_fork,
         [](const Config&, const State& s, int) { return s.fork_pc == kFCheck; },
         [](const Config& c, State& s, int) {
           const int p = page_of(s.pte_a);
           bool copy = false;
           if (c.proposal == kCAMapcountRevert) {
             const int swapcache = (s.flags[p] & kPgSwapCache) ? 1 : 0;
             copy = s.refcount[p] > s.mapcount[p] + swapcache;
           } else if (c.fork_early_cow()) {
             copy = (s.mm_flags & kMmHasPinned) && s.refcount[p] >= kPinBias;
           }
           s.fork_pc = copy ? kFCopy : kFDup;
         },
         fork_col},
        // copy_present_page(): the child gets a private (writable) copy
        {"fork.copy_for_child", "", if_fork_copy,
         [](const Config&, const State& s, int) { return s.fork_pc == kFCopy; },
         [](const Config& c, State& s, int) {
           const int q = alloc_page(c, s);
           s.pte_c = static_cast<std::uint8_t>(q | kPtePresent | kPteWrite);
           s.fork_pc = kFUnlockPtl;
         },
         fork_col},
        // copy_present_pte(): get_page; page_dup_rmap [v5.19 page_try_dup_anon_rmap:
        // ClearPageAnonExclusive]; child pte R/O
        {"fork.dup", "", if_fork,
         [](const Config&, const State& s, int) { return s.fork_pc == kFDup; },
         [](const Config& c, State& s, int) {
           const int p = page_of(s.pte_a);
           ++s.refcount[p];
           ++s.mapcount[p];
           if (c.anon_excl()) s.flags[p] &= ~kPgAnonExcl;
           s.pte_c = static_cast<std::uint8_t>(p | kPtePresent);
           s.fork_pc = writable(s.pte_a) ? kFWrprotect : kFUnlockPtl;
         },
         fork_col},
        // copy_present_pte(): ptep_set_wrprotect(src_mm, addr, src_pte)
        {"fork.wrprotect", "", if_fork,
         [](const Config&, const State& s, int) { return s.fork_pc == kFWrprotect; },
         [](const Config&, State& s, int) {
           s.pte_a &= ~kPteWrite;
           s.fork_pc = kFUnlockPtl;
         },
         fork_col},
        {"fork.unlock_ptl", "", if_fork,
         [](const Config&, const State& s, int) { return s.fork_pc == kFUnlockPtl; },
         [](const Config& c, State& s, int) {
           s.ptl = kNobody;
           s.fork_pc = c.seqcount() ? kFSeqEnd : kFUnlockMmap;
         },
         fork_col},
        // copy_page_range(): raw_write_seqcount_end: wmb ; seq++
        {"fork.seq_end", "", if_fork_seq,
         [](const Config&, const State& s, int) { return s.fork_pc == kFSeqEnd; },
         [](const Config&, State& s, int) {
           ++s.seq;
           s.fork_pc = kFUnlockMmap;
         },
         fork_col},
        // dup_mmap(): mmap_write_unlock; fork returns
        {"fork.mmap_write_unlock", "", if_fork,
         [](const Config&, const State& s, int) { return s.fork_pc == kFUnlockMmap; },
         [](const Config&, State& s, int) {
           s.mmap_lock = 0;
           s.ghost |= kGForked;
           s.fork_pc = kFDone;
         },
         fork_col},

        // ================= CHILD: the forked child ===============================
        // vmsplice: get_user_pages_fast(!FOLL_WRITE) in the child's mm, one step;
        // proposal: C1 breaks COW (write fault, CW-map); C-A gup_unshare unshares
        {"child.gup", "", if_child_gup,
         [](const Config& c, const State& s, int) {
           if (s.child_pc != kCGup || s.fork_pc != kFDone) return false;
           const bool fault = !writable(s.pte_c) &&
                              (c.breakcow() || (c.gup_unshare && s.mapcount[page_of(s.pte_c)] > 1));
           return !(fault && locked(s, page_of(s.pte_c)));
         },
         [](const Config& c, State& s, int) {
           if (!writable(s.pte_c)) {
             if (c.breakcow()) {
               folded_wp_fault(c, s, s.pte_c, false);
             } else if (c.gup_unshare && s.mapcount[page_of(s.pte_c)] > 1) {
               folded_wp_fault(c, s, s.pte_c, true);
             }
           }
           const int p = page_of(s.pte_c);
           ++s.refcount[p];
           s.child_ref = static_cast<std::uint8_t>(p);
           s.child_pc = kCUnmap;
         },
         child_col},
        // munmap / exit: zap_pte_range: page_remove_rmap; put_page
        {"child.unmap", "", if_fork,
         [](const Config&, const State& s, int) {
           return s.child_pc == kCUnmap && s.fork_pc == kFDone;
         },
         [](const Config&, State& s, int) {
           if (present(s.pte_c)) {
             const int p = page_of(s.pte_c);
             --s.mapcount[p];
             put_page(s, p);
           }
           s.pte_c = 0;
           s.child_pc = s.child_ref != kNoPage ? kCHold : kCDone;
         },
         child_col},
        // The pipe buffer is consumed: put_page
        {"child.put_ref", "", if_child_gup,
         [](const Config&, const State& s, int) { return s.child_pc == kCHold; },
         [](const Config&, State& s, int) {
           put_page(s, s.child_ref);
           s.child_ref = kNoPage;
           s.child_pc = kCDone;
         },
         child_col},

        // ================= SPEC: a transient speculative reference ==============
        // get_page_unless_zero (page cache lookup on a recycled page, compaction, ...)
        {"spec.get", "", if_spec,
         [](const Config&, const State& s, int) { return s.spec_pc == kSGet; },
         [](const Config&, State& s, int) {
           if (s.refcount[kX] == 0) {
             s.spec_pc = kSDone;
           } else {
             ++s.refcount[kX];
             s.spec_pc = kSPut;
           }
         },
         spec_col},
        {"spec.put", "", if_spec,
         [](const Config&, const State& s, int) { return s.spec_pc == kSPut; },
         [](const Config&, State& s, int) {
           put_page(s, kX);
           s.spec_pc = kSDone;
         },
         spec_col},
    };
    return kFamilies;
  }

  static std::span<const Prop> properties() {
    static constexpr Prop kProps[] = {
        {PropertyKind::always, "pinned_page_stays_mapped",
         "INV-PIN-COHERENT: while PIN's GUP reference on P is held (under the selected "
         "contract), A's present pte maps P",
         pinned_page_stays_mapped},
        {PropertyKind::always, "child_never_sees_parent_write",
         "INV-PRIVATE: no page the parent wrote after fork is mapped or GUP-referenced by the "
         "child",
         child_never_sees_parent_write},
        {PropertyKind::always, "no_spurious_cow",
         "NO-SPURIOUS-COW (performance; check=1 only): T never copies a page exclusive to A",
         no_spurious_cow},
        {PropertyKind::reachable, "pin_returned", "PIN's GUP returns a reference", pin_returned},
        {PropertyKind::reachable, "t_takes_write_fault", "T's store takes a write fault",
         t_takes_write_fault},
        {PropertyKind::reachable, "wp_runs_while_pinned",
         "window (a): WP examines A's pte while PIN's reference is held", wp_runs_while_pinned},
        {PropertyKind::reachable, "reclaim_past_check_while_pinned",
         "window (b): reclaim is past its pin check while PIN's reference is held",
         reclaim_past_check_while_pinned},
        {PropertyKind::reachable, "page_swapped_out", "A's pte becomes a swap entry",
         page_swapped_out},
        {PropertyKind::reachable, "fork_copies_for_child",
         "fork's early COW gives the child a copy", fork_copies_for_child},
        {PropertyKind::reachable, "child_ref_outlives_mapping",
         "the child's GUP reference is held after it unmapped the page",
         child_ref_outlives_mapping},
        {PropertyKind::reachable, "parent_writes_after_fork", "T stores after fork returned",
         parent_writes_after_fork},
        {PropertyKind::reachable, "spec_ref_held", "the speculative reference is held",
         spec_ref_held},
    };
    return kProps;
  }

  static std::vector<std::string> actors(const Config& c) {
    std::vector<std::string> names;
    for (int a = kActT; a <= kActSpec; ++a) {
      if (enabled(c, a)) names.emplace_back(kActorNames[a]);
    }
    return names;
  }

  static void describe(const Config& c, const State& s, FieldPrinter& p) {
    for (int i = 0; i < kPages; ++i) {
      if (i > 0 && s.refcount[i] == 0 && s.mapcount[i] == 0) continue;
      const std::string g = absl::StrCat("page[", av(kPageNames[i]), "].");
      p.num(g + "refcount", s.refcount[i]);
      p.num(g + "mapcount", s.mapcount[i]);
      p.text(g + "flags", page_flags_text(s.flags[i]));
    }
    if (c.recl) p.num("swap_map", s.swapcount);
    p.text("pteA", pte_text(s.pte_a));
    if (c.fork) p.text("pteChild", pte_text(s.pte_c));
    if (c.has_pinned_flag()) p.flag("mm.has_pinned", s.mm_flags & kMmHasPinned);
    if (c.seqcount()) p.num("mm.write_protect_seq", s.seq);
    p.text("mmap_lock", (s.mmap_lock & kMmapWriter) ? std::string("write")
                                                    : absl::StrCat("readers=", s.mmap_lock));
    p.choice("ptlA", s.ptl, kActorNames);
    p.choice("T.pc", s.t_pc, kTPcNames);
    if (c.pin != kPinNone) {
      p.choice("PIN.pc", s.pin_pc, kPinPcNames);
      p.text("PIN.ref", s.pin_page == kNoPage ? "-" : std::string(kPageNames[s.pin_page]));
      if (c.pin_fast)
        p.text("PIN.pte", s.pin_pc == kPinFastGrab || s.pin_pc == kPinFastRecheckPte ||
                                  s.pin_pc == kPinFastRecheckSeq
                              ? pte_text(s.pin_pte)
                              : "-");
    }
    if (c.wp != kWpNone) p.choice("WP.pc", s.wp_pc, kWpPcNames);
    if (c.recl) p.choice("RECL.pc", s.recl_pc, kReclPcNames);
    if (c.fork) {
      p.choice("FORK.pc", s.fork_pc, kForkPcNames);
      p.choice("CHILD.pc", s.child_pc, kChildPcNames);
      p.text("CHILD.ref", s.child_ref == kNoPage ? "-" : std::string(kPageNames[s.child_ref]));
    }
    if (c.spec) p.choice("SPEC.pc", s.spec_pc, kSpecPcNames);
    std::vector<std::string> ghosts;
    if (s.ghost & kGForked) ghosts.emplace_back("forked");
    if (s.ghost & kGCovered) ghosts.emplace_back("covered");
    if (s.ghost & kGVoided) ghosts.emplace_back("voided");
    if (s.ghost & kGWpSawPin) ghosts.emplace_back("wp_saw_pin");
    if (s.ghost & kGSpurious) ghosts.emplace_back("spurious_cow");
    for (int i = 0; i < kPages; ++i) {
      if (s.g_awrote & (1u << i))
        ghosts.push_back(absl::StrCat("parent_wrote_", av(kPageNames[i])));
    }
    p.text("ghost", ghosts.empty() ? "-" : join(ghosts, ","));
  }

  static bool is_final(const Config&, const State& s) {
    return s.t_pc == kTDone && s.pin_pc == kPinDone && s.wp_pc == kWpDone && s.recl_pc == kRDone &&
           s.fork_pc == kFDone && s.child_pc == kCDone && s.spec_pc == kSDone;
  }
};

static_assert(SpecType<Spec>);

}  // namespace
}  // namespace mmcheck::mm::cow_pin

namespace mmcheck {
void register_cow_pin(Registry& r) { r.add(make_spec_entry<mm::cow_pin::Spec>()); }
}  // namespace mmcheck

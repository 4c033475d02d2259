// File: spec/mm/cow_pin.cpp
//
// The action table, proposals and registration of cow_pin; the kernel
// references, the interleavings and the abstractions are in cow_pin.hpp.
// Proposal branch points are marked `proposal:`.
#include "spec/mm/cow_pin.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "mmcheck/kernel/primitives.hpp"
#include "mmcheck/memory/environment.hpp"
#include "mmcheck/memory/por.hpp"
#include "mmcheck/spec.hpp"
#include "mmcheck/text.hpp"
#include "properties/mm/cow_pin.hpp"
#include "registry/models.hpp"

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

constexpr std::uint64_t bit(int loc) { return std::uint64_t{1} << loc; }
constexpr std::uint64_t page_bits(int p) {
  return bit(kLocRef + p) | bit(kLocMap + p) | bit(kLocFlags + p);
}
constexpr std::uint64_t all_pages() {
  return page_bits(0) | page_bits(1) | page_bits(2) | page_bits(3);
}

const std::vector<std::string> kLocNames = {
    "ref[X]",   "ref[X1]",   "ref[X2]",   "ref[X3]",   "map[X]", "map[X1]", "map[X2]", "map[X3]",
    "flags[X]", "flags[X1]", "flags[X2]", "flags[X3]", "pte",    "mm",      "seq",     "ptl"};

bool mmap_no_writer(std::uint8_t mmap_lock) { return (mmap_lock & kMmapWriter) == 0; }

template <Model Mo>
struct Spec {
  using State = cow_pin::State<Mo>;
  using Config = cow_pin::Config;
  using Family = ActionFamily<State, Config>;
  using Prop = Property<State, Config>;
  using Machine = MachineOf<Mo>;
  using K = kernel::Kernel<Machine>;
  using V = std::int32_t;
  using Ord = memory::Ord;
  using Run = bool (*)(const Config&, State&, int);

  static constexpr std::string_view name = "cow_pin";
  static constexpr std::string_view summary =
      "page_count- vs mapcount-based COW against GUP pins, write-protect, reclaim, fork "
      "(2020-21; PageAnonExclusive v5.19)";
  static constexpr DeadlockPolicy deadlock_policy = DeadlockPolicy::stuck;

  static constexpr int T = 0, PIN = 1, WP = 2, RECL = 3, FORK = 4, CHILD = 5, SPEC = 6;

  // ---- memory ----------------------------------------------------------------
  static int memory_cpus(const Config&) { return kCpus; }
  static int memory_locs(const Config&) { return kLocCount; }
  static int memory_actor(const Config& c, int cpu) { return column(c, cpu + 1); }

  // Room for `n` more values of `loc` in the history, counting the buffered
  // stores still to commit (a step that would overflow it waits).
  static bool room(const State& s, int loc, int n = 1) {
    return Machine::history_room(s.mem, loc, n);
  }
  // The CPU's buffered stores reach memory in program order (one legal
  // schedule inside a step: a fully ordered / release RMW, spin_lock or
  // smp_mb needs them committed first, and so does a third store).
  static bool drain(State& s, int cpu, int keep = 0) {
    if constexpr (Machine::kBuffered) {
      while (s.mem.sb_n[cpu] > keep) {
        if (!Machine::can_commit(s.mem, cpu, 0, 0)) return false;
        Machine::commit(s.mem, cpu, 0, 0);
      }
    }
    (void)s, (void)cpu, (void)keep;
    return true;
  }
  // lkmm, fused steps: a value-returning RMW (and spin_lock / lock_page)
  // needs the newest value of its location, and a fully ordered RMW or smp_mb
  // after the step's own writes needs every value that reached the CPU to
  // have reached every live CPU; `settle` takes exactly these propagation
  // steps inside the step (one legal schedule: mem.propagate may run at any
  // time), with the values their cumulativity requires first.
  static bool receive(State& s, int cpu, int loc, int want, int depth = 0) {
    if constexpr (Machine::kLk) {
      if (depth > kLocCount) return false;
      for (;;) {
        const std::uint8_t mine = Machine::prop(s.mem, cpu, loc);
        if (mine == memory::kDontCare || mine >= want) return true;
        if (Machine::can_propagate(s.mem, cpu, loc)) {
          Machine::propagate(s.mem, cpu, loc);
          continue;
        }
        bool moved = false;
        for (int l2 = 0; l2 < kLocCount; ++l2) {
          const std::uint8_t r = Machine::req(s.mem, loc, mine + 1, l2);
          const std::uint8_t q = Machine::prop(s.mem, cpu, l2);
          if (l2 == loc || r == 0 || q == memory::kDontCare || q >= r) continue;
          if (!receive(s, cpu, l2, r, depth + 1)) return false;
          moved = true;
        }
        if (!moved) return false;
      }
    }
    (void)s, (void)cpu, (void)loc, (void)want, (void)depth;
    return true;
  }
  static void settle(State& s, int cpu, int loc, bool everywhere) {
    if constexpr (Machine::kLk) {
      if (loc >= 0) receive(s, cpu, loc, s.mem.len[loc] - 1);
      if (!everywhere) return;
      for (int l = 0; l < kLocCount; ++l) {
        if (Machine::prop(s.mem, cpu, l) == memory::kDontCare) continue;
        receive(s, cpu, l, Machine::nrq(s.mem, cpu, l));
        const int mine = Machine::prop(s.mem, cpu, l);
        for (int d = 0; d < kCpus; ++d) {
          if (d != cpu) receive(s, d, l, mine);
        }
      }
    }
    (void)s, (void)cpu, (void)loc, (void)everywhere;
  }
  static V ld(const State& s, int cpu, int loc) { return K::read_once(s.mem, cpu, loc); }
  // T's loads and stores go through the MMU: the page-table walk (and the TLB)
  // sees the pte in memory, or T's own buffered pte store. The TLB flushes that
  // follow every downgrade of the pte (ptep_clear_flush, change_protection's
  // flush_tlb_range, dup_mmap's flush_tlb_mm) are not modelled; as under sc,
  // they take effect with the pte change, so T never writes through a stale
  // writable translation.
  static V mmu_pte(const State& s, int cpu) {
    if constexpr (Machine::kBuffered) {
      for (int k = s.mem.sb_n[cpu] - 1; k >= 0; --k) {
        if (s.mem.sb_loc[cpu][k] == kLocPte) return s.mem.sb_val[cpu][k];
      }
    }
    return Machine::newest(s.mem, kLocPte);
  }
  static bool test(const State& s, int cpu, int page, int nr) {
    return K::test_bit(s.mem, cpu, nr, kLocFlags + page);
  }
  static bool store(State& s, int cpu, int loc, V v) {
    if (!drain(s, cpu, Machine::kSb - 1) || !room(s, loc)) return false;
    K::write_once(s.mem, cpu, loc, v);
    return true;
  }
  // `returns`: value-returning RMW (lkmm: it must read the newest value).
  template <typename Op>
  static bool rmw(State& s, int cpu, int loc, Ord ord, bool returns, Op op) {
    if (ord == Ord::full || ord == Ord::release || ord == Ord::acquire) {
      if (!drain(s, cpu)) return false;
    }
    if (!Machine::can_rmw(s.mem, cpu, loc, ord, returns)) {
      if (!drain(s, cpu)) return false;
      settle(s, cpu, returns ? loc : -1, ord == Ord::full);
      if (!Machine::can_rmw(s.mem, cpu, loc, ord, returns)) return false;
    }
    if (!room(s, loc)) return false;
    K::rmw(s.mem, cpu, loc, ord, op);
    return true;
  }
  static bool add(State& s, int cpu, int loc, V d, Ord ord, bool returns) {
    return rmw(s, cpu, loc, ord, returns, [d](V x) { return x + d; });
  }
  // Initialising a word of a page nobody else references yet.
  static bool set_to(State& s, int cpu, int loc, V v) {
    return rmw(s, cpu, loc, Ord::relaxed, false, [v](V) { return v; });
  }
  static bool set_flag(State& s, int cpu, int page, int nr) {  // set_bit
    return rmw(s, cpu, kLocFlags + page, Ord::relaxed, false, [nr](V x) { return x | K::bit(nr); });
  }
  static bool clear_flag(State& s, int cpu, int page, int nr) {  // clear_bit
    return rmw(s, cpu, kLocFlags + page, Ord::relaxed, false,
               [nr](V x) { return x & ~K::bit(nr); });
  }
  static bool mb(State& s, int cpu) {
    if (!drain(s, cpu)) return false;
    settle(s, cpu, -1, true);
    if (!K::can_smp_mb(s.mem, cpu)) return false;
    K::smp_mb(s.mem, cpu);
    return true;
  }
  // spin_lock(ptl): waits while it is held.
  static bool lock_ptl(State& s, int cpu) {
    if (!drain(s, cpu)) return false;
    if (Machine::rmw_read(s.mem, kLocPtl) == 0) settle(s, cpu, kLocPtl, false);
    if (!K::can_spin_lock(s.mem, cpu, kLocPtl) || !room(s, kLocPtl)) return false;
    K::spin_lock(s.mem, cpu, kLocPtl);
    return true;
  }
  static bool unlock_ptl(State& s, int cpu) {
    if (!drain(s, cpu, Machine::kSb - 1) || !room(s, kLocPtl)) return false;
    K::spin_unlock(s.mem, cpu, kLocPtl);
    return true;
  }
  static bool page_locked(const State& s, int page) {
    return (Machine::rmw_read(s.mem, kLocFlags + page) & kPgLocked) != 0;
  }
  // lock_page / trylock_page success: test_and_set_bit_lock (ACQUIRE).
  static bool lock_page(State& s, int cpu, int page) {
    if (page_locked(s, page)) return false;
    if (!drain(s, cpu)) return false;
    settle(s, cpu, kLocFlags + page, false);
    if (!K::can_test_and_set_bit_lock(s.mem, cpu, kLocFlags + page) || !room(s, kLocFlags + page))
      return false;
    K::test_and_set_bit_lock(s.mem, cpu, kPgLockedBit, kLocFlags + page);
    return true;
  }
  // unlock_page: clear_bit_unlock (RELEASE).
  static bool unlock_page(State& s, int cpu, int page) {
    return rmw(s, cpu, kLocFlags + page, Ord::release, false,
               [](V x) { return x & ~K::bit(kPgLockedBit); });
  }

  // put_page(): atomic_dec_and_test / page_ref_sub_and_test (fully ordered);
  // a page whose last reference goes is freed (free_pages_prepare clears its
  // flags; its slot is reusable).
  static bool put_page(State& s, int cpu, int p, V n = 1) {
    if (Machine::rmw_read(s.mem, kLocRef + p) < n) throw SpecError("cow_pin: refcount underflow");
    if (!add(s, cpu, kLocRef + p, -n, Ord::full, true)) return false;
    if (Machine::newest(s.mem, kLocRef + p) == 0) {
      if (latest(s, kLocMap + p) != 0) throw SpecError("cow_pin: freeing a mapped page");
      if (!set_to(s, cpu, kLocFlags + p, 0)) return false;
    }
    return true;
  }
  // alloc_page() for a COW copy: the first free slot after X (the allocator
  // is not modelled: it hands out a page nobody references); its words are
  // initialised before the smp_wmb that precedes its publication.
  static int alloc_page(const Config& c, State& s, int cpu) {
    for (int p = 1; p < kPages; ++p) {
      if (latest(s, kLocRef + p) == 0 && latest(s, kLocMap + p) == 0) {
        // proposal: v5.19 new anon pages and copies are exclusive.
        if (!set_to(s, cpu, kLocRef + p, 1) || !set_to(s, cpu, kLocMap + p, 1) ||
            !set_to(s, cpu, kLocFlags + p, c.anon_excl() ? kPgAnonExcl : 0))
          return -1;
        K::smp_wmb(s.mem, cpu);  // __SetPageUptodate
        return p;
      }
    }
    throw SpecError("cow_pin: out of page slots");
  }

  // P is exclusive to A: the child neither maps nor references it.
  static bool exclusive_to_a(const State& s, int p) {
    if (present(s.pte_c) && page_of(s.pte_c) == p) return false;
    return s.child_ref != p;
  }
  static void record_write(State& s, int p) {
    if (s.ghost & kGForked) s.g_awrote |= static_cast<std::uint8_t>(1u << p);
  }

  // reuse_swap_page() (CW-map, page lock held): page_mapcount + page_swapcount
  // == 1; on reuse of a swap cache page, delete_from_swap_cache
  // (ClearPageSwapCache, put_page). -1: a primitive must wait.
  static int reuse_swap_page(State& s, int cpu, int p) {
    const bool swapcache = test(s, cpu, p, kPgSwapCacheBit);
    const int count = K::atomic_read(s.mem, cpu, kLocMap + p) + (swapcache ? s.swapcount : 0);
    if (count == 1 && swapcache) {
      if (!clear_flag(s, cpu, p, kPgSwapCacheBit) || !put_page(s, cpu, p)) return -1;
    }
    return count == 1 ? 1 : 0;
  }
  // try_to_free_swap() under the page lock: no swap pte left -> leave the swap cache.
  static bool try_to_free_swap(State& s, int cpu, int p) {
    if (test(s, cpu, p, kPgSwapCacheBit) && s.swapcount == 0) {
      return clear_flag(s, cpu, p, kPgSwapCacheBit) && put_page(s, cpu, p);
    }
    return true;
  }

  // A write (or v5.19 unshare) fault taken inside GUP or by the child, folded
  // into the caller's step: the same decision as T's step-wise do_wp_page.
  // CW-map sleeps in lock_page (callers' guards wait for it); CW-count and
  // v5.19 copy when trylock_page fails. `pte` is the caller's copy of the pte.
  static bool folded_wp_fault(const Config& c, State& s, int cpu, std::uint8_t& pte, bool unshare) {
    const int p = page_of(pte);
    bool reuse = false;
    if (c.cw_map()) {  // proposal: CW-map
      const int r = reuse_swap_page(s, cpu, p);
      if (r < 0) return false;
      reuse = r == 1;
    } else if (c.cw_count()) {  // proposal: CW-count
      reuse = K::atomic_read(s.mem, cpu, kLocRef + p) == 1 && !page_locked(s, p) &&
              K::atomic_read(s.mem, cpu, kLocMap + p) == 1;
    } else {  // proposal: anon-exclusive
      if (test(s, cpu, p, kPgAnonExclBit)) {
        reuse = true;
      } else if (!page_locked(s, p)) {
        if (!try_to_free_swap(s, cpu, p)) return false;
        reuse = K::atomic_read(s.mem, cpu, kLocRef + p) == 1;
        if (reuse && !set_flag(s, cpu, p, kPgAnonExclBit)) return false;
      }
    }
    if (reuse) {
      if (!unshare) pte |= kPteWrite;
      return true;
    }
    const int q = alloc_page(c, s, cpu);
    if (q < 0) return false;
    pte = static_cast<std::uint8_t>(q | kPtePresent | (unshare ? 0 : kPteWrite));
    // page_remove_rmap (atomic_add_negative) and put_page: fully ordered.
    return add(s, cpu, kLocMap + p, -1, Ord::full, true) && put_page(s, cpu, p);
  }

  // do_swap_page (read fault) folded for GUP: map X R/O from the swap cache.
  static bool folded_swapin(const Config& c, State& s, int cpu, std::uint8_t& pte) {
    if (!add(s, cpu, kLocRef + kX, 1, Ord::full, true)) return false;  // lookup_swap_cache
    if (!add(s, cpu, kLocMap + kX, 1, Ord::full, true)) return false;  // page_add_anon_rmap
    --s.swapcount;
    // proposal: v5.19 restores PageAnonExclusive from the swap pte.
    if (c.anon_excl() && (pte & kPteSwpExcl) && !set_flag(s, cpu, kX, kPgAnonExclBit)) return false;
    pte = kX | kPtePresent;
    return true;
  }

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
    // A's mapping holds X's only reference; X is mapped writable.
    std::int32_t init[kLocCount] = {};
    init[kLocRef + kX] = 1;
    init[kLocMap + kX] = 1;
    init[kLocFlags + kX] = c.anon_excl() ? kPgAnonExcl : 0;
    init[kLocPte] = kX | kPtePresent | kPteWrite;
    Machine::init(s.mem, init);
    if constexpr (Machine::kLk) {
      for (int cpu = 0; cpu < Machine::kCpus; ++cpu) {
        const std::uint64_t a = cpu < kCpus ? accessed(c, cpu) : 0;
        for (int l = 0; l < Machine::kLocs; ++l) {
          if (!((a >> l) & 1)) Machine::prop(s.mem, cpu, l) = memory::kDontCare;
        }
      }
    }
    for (int cpu = kCpus; cpu < Machine::kCpus; ++cpu) Machine::set_relevant(s.mem, cpu, 0);
    s.t_pc = kTRead;
    s.pin_page = kNoPage;
    s.pin_pc = pin_first_pc(c);
    s.wp_pc = c.wp != kWpNone ? kWpCheck : kWpDone;
    s.recl_pc = c.recl ? kRTrylock : kRDone;
    s.fork_pc = c.fork ? kFMmapLock : kFDone;
    s.child_pc = !c.fork ? kCDone : (c.child_gup ? kCGup : kCUnmap);
    s.child_ref = kNoPage;
    s.spec_pc = c.spec ? kSGet : kSDone;
    after_memory_step(c, s);
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
  static int if_t_faults(const Config& c) { return c.t_faults() ? 1 : 0; }
  static int if_map(const Config& c) { return c.cw_map() && c.t_faults() ? 1 : 0; }
  static int if_count(const Config& c) { return c.cw_count() && c.t_faults() ? 1 : 0; }
  static int if_ax(const Config& c) { return c.anon_excl() && c.t_faults() ? 1 : 0; }

  // ---- T: a thread of A reading, then writing, the page ------------------------
  static void t_release(State& s) {
    if (s.ptl == kActT) s.ptl = kNobody;
    --s.mmap_lock;
    s.t_pc = kTDone;
  }
  static void t_decide_copy(State& s) {
    if (exclusive_to_a(s, page_of(s.t_pte))) {
      s.ghost |= kGTExcl;
    } else {
      s.ghost &= ~kGTExcl;
    }
    s.t_pc = kTCopy;
  }
  // do_wp_page()'s trylock_page(): busy -> copy (a failed test_and_set_bit_lock
  // orders nothing); taken -> go on to `next`.
  static bool t_trylock_or_copy(State& s, std::uint8_t next) {
    const int p = page_of(s.t_pte);
    if (page_locked(s, p)) {
      t_decide_copy(s);
      return true;
    }
    if (!lock_page(s, T, p)) return false;
    s.t_pc = next;
    return true;
  }

  // The read access (page-table walk: READ_ONCE of the pte): a present pte
  // needs no fault; a swap pte -> do_swap_page.
  static bool run_t_read(const Config&, State& s, int) {
    if (s.t_pc != kTRead) return false;
    const V pte = mmu_pte(s, T);
    if (pte == 0) return false;
    s.t_pc = present(pte) ? kTWrite : kTSwapLookup;
    return true;
  }
  // do_swap_page(): lookup_swap_cache() + get (page_ref_add_unless: fully
  // ordered; X stays in the swap cache)
  static bool run_t_swapin_lookup(const Config&, State& s, int) {
    if (s.t_pc != kTSwapLookup) return false;
    if (!add(s, T, kLocRef + kX, 1, Ord::full, true)) return false;
    s.t_pc = kTSwapLockPage;
    return true;
  }
  // do_swap_page(): lock_page_or_retry() (test_and_set_bit_lock: ACQUIRE)
  static bool run_t_swapin_lock_page(const Config&, State& s, int) {
    if (s.t_pc != kTSwapLockPage || !lock_page(s, T, kX)) return false;
    s.t_pc = kTSwapMap;
    return true;
  }
  // do_swap_page(): pte_offset_map_lock; pte_same; do_page_add_anon_rmap
  // (atomic_inc_and_test: fully ordered) [v5.19: RMAP_EXCLUSIVE if
  // pte_swp_exclusive: SetPageAnonExclusive]; set_pte_at(X R/O); swap_free;
  // unlock_page (RELEASE); pte_unmap_unlock
  static bool run_t_swapin_map(const Config& c, State& s, int) {
    if (s.t_pc != kTSwapMap || !lock_ptl(s, T)) return false;
    const V pte = ld(s, T, kLocPte);
    if (!is_swap(static_cast<std::uint8_t>(pte))) {  // !pte_same: someone else swapped it in
      if (!unlock_ptl(s, T) || !unlock_page(s, T, kX) || !put_page(s, T, kX)) return false;
      s.t_pc = kTRead;
      return true;
    }
    if (!add(s, T, kLocMap + kX, 1, Ord::full, true)) return false;
    --s.swapcount;
    // proposal: v5.19 exclusive swap pte -> PageAnonExclusive
    if (c.anon_excl() && (pte & kPteSwpExcl) && !set_flag(s, T, kX, kPgAnonExclBit)) return false;
    if (!store(s, T, kLocPte, kX | kPtePresent)) return false;
    if (!unlock_page(s, T, kX) || !unlock_ptl(s, T)) return false;
    s.t_pc = kTWrite;
    return true;
  }
  // The store: no fault through a writable pte; R/O -> write fault; swap -> fault in.
  static bool run_t_write(const Config&, State& s, int) {
    if (s.t_pc != kTWrite) return false;
    const auto pte = static_cast<std::uint8_t>(mmu_pte(s, T));
    if (pte == 0) return false;
    if (is_swap(pte)) {
      s.t_pc = kTSwapLookup;
    } else if (writable(pte)) {
      record_write(s, page_of(pte));
      s.t_pc = kTDone;
    } else {
      s.t_pc = kTFaultLock;
    }
    return true;
  }
  // handle_mm_fault(): mmap_read_lock; pte_offset_map_lock; re-read the pte
  static bool run_t_fault_lock(const Config& c, State& s, int) {
    if (s.t_pc != kTFaultLock || !mmap_no_writer(s.mmap_lock) || !lock_ptl(s, T)) return false;
    const auto pte = static_cast<std::uint8_t>(ld(s, T, kLocPte));
    if (!present(pte) || writable(pte)) {
      if (!unlock_ptl(s, T)) return false;
      if (!present(pte)) {  // swapped out meanwhile: retry the access
        s.t_pc = kTWrite;
      } else {  // made writable meanwhile: the store goes through
        record_write(s, page_of(pte));
        s.t_pc = kTDone;
      }
      return true;
    }
    ++s.mmap_lock;
    s.ptl = kActT;
    s.t_pte = pte;
    // proposal: which do_wp_page
    s.t_pc = c.cw_map() ? kTMapTrylock : c.cw_count() ? kTCountRead : kTAxExcl;
    return true;
  }
  // --- CW-map (C0, C1, C-A) ---
  // do_wp_page(): trylock_page(); on failure get_page (atomic_inc), unlock ptl
  static bool run_t_map_trylock(const Config&, State& s, int) {
    if (s.t_pc != kTMapTrylock) return false;
    const int p = page_of(s.t_pte);
    if (page_locked(s, p)) {
      if (!add(s, T, kLocRef + p, 1, Ord::relaxed, false) || !unlock_ptl(s, T)) return false;
      s.ptl = kNobody;
      s.t_pc = kTMapLockPage;
    } else {
      if (!lock_page(s, T, p)) return false;
      s.t_pc = kTMapCheck;
    }
    return true;
  }
  // do_wp_page(): lock_page() (sleeps)
  static bool run_t_map_lock_page(const Config&, State& s, int) {
    if (s.t_pc != kTMapLockPage || !lock_page(s, T, page_of(s.t_pte))) return false;
    s.t_pc = kTMapRelock;
    return true;
  }
  // do_wp_page(): pte_offset_map_lock; if !pte_same: unlock_page, unlock, put_page,
  // return; else put_page
  static bool run_t_map_relock(const Config&, State& s, int) {
    if (s.t_pc != kTMapRelock || !lock_ptl(s, T)) return false;
    const int p = page_of(s.t_pte);
    if (ld(s, T, kLocPte) != s.t_pte) {
      if (!unlock_page(s, T, p) || !unlock_ptl(s, T) || !put_page(s, T, p)) return false;
      --s.mmap_lock;
      s.t_pc = kTWrite;  // the fault returns; the store retries
      return true;
    }
    if (!put_page(s, T, p)) return false;
    s.ptl = kActT;
    s.t_pc = kTMapCheck;
    return true;
  }
  // do_wp_page(): reuse_swap_page() (mapcount + swapcount == 1); unlock_page
  static bool run_t_map_reuse_check(const Config&, State& s, int) {
    if (s.t_pc != kTMapCheck) return false;
    const int p = page_of(s.t_pte);
    const int reuse = reuse_swap_page(s, T, p);
    if (reuse < 0 || !unlock_page(s, T, p)) return false;
    if (reuse == 1) {
      s.t_pc = kTReuse;
    } else {
      t_decide_copy(s);
    }
    return true;
  }
  // --- CW-count (C2, 09854ba94c6a) ---
  // do_wp_page(): if (PageKsm(page) || page_count(page) != 1) goto copy
  static bool run_t_count_read_refcount(const Config&, State& s, int) {
    if (s.t_pc != kTCountRead) return false;
    if (K::atomic_read(s.mem, T, kLocRef + page_of(s.t_pte)) != 1) {
      t_decide_copy(s);
    } else {
      s.t_pc = kTCountTrylock;
    }
    return true;
  }
  // do_wp_page(): if (!trylock_page(page)) goto copy
  static bool run_t_count_trylock(const Config&, State& s, int) {
    if (s.t_pc != kTCountTrylock) return false;
    return t_trylock_or_copy(s, kTCountRecheck);
  }
  // do_wp_page(): mapcount != 1 || page_count != 1 -> unlock, copy; unlock_page
  static bool run_t_count_recheck(const Config&, State& s, int) {
    if (s.t_pc != kTCountRecheck) return false;
    const int p = page_of(s.t_pte);
    const bool reuse =
        K::atomic_read(s.mem, T, kLocMap + p) == 1 && K::atomic_read(s.mem, T, kLocRef + p) == 1;
    if (!unlock_page(s, T, p)) return false;
    if (reuse) {
      s.t_pc = kTReuse;
    } else {
      t_decide_copy(s);
    }
    return true;
  }
  // --- anon-exclusive (v5.19) ---
  // do_wp_page(): if (PageAnonExclusive(page)) goto reuse
  static bool run_t_ax_test_exclusive(const Config&, State& s, int) {
    if (s.t_pc != kTAxExcl) return false;
    s.t_pc = test(s, T, page_of(s.t_pte), kPgAnonExclBit) ? kTReuse : kTAxRead;
    return true;
  }
  // do_wp_page(): if (page_count(page) > 1 + PageSwapCache(page)) goto copy
  // (one read of the flags word and one of the refcount, folded)
  static bool run_t_ax_read_refcount(const Config&, State& s, int) {
    if (s.t_pc != kTAxRead) return false;
    const int p = page_of(s.t_pte);
    const int swapcache = test(s, T, p, kPgSwapCacheBit) ? 1 : 0;
    if (K::atomic_read(s.mem, T, kLocRef + p) > 1 + swapcache) {
      t_decide_copy(s);
    } else {
      s.t_pc = kTAxTrylock;
    }
    return true;
  }
  // do_wp_page(): if (!trylock_page(page)) goto copy
  static bool run_t_ax_trylock(const Config&, State& s, int) {
    if (s.t_pc != kTAxTrylock) return false;
    return t_trylock_or_copy(s, kTAxRecheck);
  }
  // do_wp_page(): try_to_free_swap; page_count != 1 -> copy; page_move_anon_rmap
  // (SetPageAnonExclusive); unlock_page
  static bool run_t_ax_recheck(const Config&, State& s, int) {
    if (s.t_pc != kTAxRecheck) return false;
    const int p = page_of(s.t_pte);
    if (!try_to_free_swap(s, T, p)) return false;
    const bool reuse = K::atomic_read(s.mem, T, kLocRef + p) == 1;
    if (reuse && !set_flag(s, T, p, kPgAnonExclBit)) return false;
    if (!unlock_page(s, T, p)) return false;
    if (reuse) {
      s.t_pc = kTReuse;
    } else {
      t_decide_copy(s);
    }
    return true;
  }
  // wp_page_reuse(): pte := pte | W | D (set_pte); the store; unlock ptl,
  // mmap_read_unlock
  static bool run_t_reuse(const Config&, State& s, int) {
    if (s.t_pc != kTReuse) return false;
    const auto pte = static_cast<std::uint8_t>(ld(s, T, kLocPte));
    if (!store(s, T, kLocPte, pte | kPteWrite) || !unlock_ptl(s, T)) return false;
    record_write(s, page_of(pte));
    t_release(s);
    return true;
  }
  // wp_page_copy(): alloc + copy (the new page's words, __SetPageUptodate's
  // smp_wmb); relock; pte_same; set_pte_at_notify(X'|W); page_remove_rmap(X)
  // (fully ordered); unlock; put_page(X); the store goes to the copy
  static bool run_t_cow_copy(const Config& c, State& s, int) {
    if (s.t_pc != kTCopy) return false;
    const int p = page_of(s.t_pte);
    const int q = alloc_page(c, s, T);
    if (q < 0) return false;
    if (!store(s, T, kLocPte, q | kPtePresent | kPteWrite)) return false;
    if (!add(s, T, kLocMap + p, -1, Ord::full, true) || !unlock_ptl(s, T) || !put_page(s, T, p))
      return false;
    record_write(s, q);
    if (s.ghost & kGTExcl) s.ghost |= kGSpurious;
    s.ghost &= ~kGTExcl;
    t_release(s);
    return true;
  }

  // ---- PIN: get_user_pages / pin_user_pages in mm A ------------------------------
  static bool pin_needs_write(const Config& c) { return c.pin_write || c.breakcow(); }
  static void pin_hold(State& s, int p, std::uint8_t pte) {
    s.pin_page = static_cast<std::uint8_t>(p);
    s.pin_pc = kPinHold;
    s.pin_pte = 0;
    s.pin_seq = 0;
    // C-L: the pin obtained exclusive ownership at pin time.
    if (writable(pte) || test(s, PIN, p, kPgAnonExclBit)) s.ghost |= kGCovered;
  }
  // GUP's reference goes: put_page / unpin_user_page (fully ordered).
  static bool pin_put(const Config& c, State& s, int p) { return put_page(s, PIN, p, c.bias()); }
  static bool pin_fail_fast(const Config& c, State& s, bool grabbed) {
    if (grabbed && !pin_put(c, s, page_of(s.pin_pte))) return false;
    s.pin_pte = 0;
    s.pin_seq = 0;
    s.pin_pc = kPinSlow;
    return true;
  }
  // mm->has_pinned: v5.9 atomic_set(&mm->has_pinned, 1) (a plain store);
  // v5.19 mm_set_has_pinned_flag(): test_bit, set_bit(MMF_HAS_PINNED) (unordered).
  static bool set_has_pinned(const Config& c, State& s) {
    if (c.anon_excl()) {
      if (K::test_bit(s.mem, PIN, kMmHasPinnedBit, kLocMm)) return true;
      return rmw(s, PIN, kLocMm, Ord::relaxed, false,
                 [](V x) { return x | K::bit(kMmHasPinnedBit); });
    }
    return store(s, PIN, kLocMm, kMmHasPinned);
  }
  // A CW-map fault inside GUP sleeps in lock_page (CW-count / v5.19 trylock and copy).
  static bool slow_waits_for_page_lock(const Config& c, const State& s, std::uint8_t pte) {
    if (!c.cw_map() || writable(pte)) return false;
    const int p = page_of(pte);
    return pin_needs_write(c) || (c.gup_unshare && latest(s, kLocMap + p) > 1);
  }

  // internal_get_user_pages_fast(): has_pinned := 1 (FOLL_PIN)
  static bool run_pin_fast_set_has_pinned(const Config& c, State& s, int) {
    if (s.pin_pc != kPinFastFlag || !set_has_pinned(c, s)) return false;
    s.pin_pc = c.seqcount() ? kPinFastSeq : kPinFastPte;
    return true;
  }
  // lockless_pages_from_mm(): raw_read_seqcount(&mm->write_protect_seq)
  // (READ_ONCE; smp_rmb); odd -> slow path
  static bool run_pin_fast_read_seq(const Config& c, State& s, int) {
    if (s.pin_pc != kPinFastSeq) return false;
    const V seq = ld(s, PIN, kLocSeq);
    K::smp_rmb(s.mem, PIN);
    if (seq & 1) return pin_fail_fast(c, s, false);
    s.pin_seq = static_cast<std::uint8_t>(seq);
    s.pin_pc = kPinFastPte;
    return true;
  }
  // gup_pte_range(): ptep_get_lockless (READ_ONCE); !present or (FOLL_WRITE &&
  // !write) -> slow. proposal: C1 gup-fast accepts writable ptes only
  static bool run_pin_fast_read_pte(const Config& c, State& s, int) {
    if (s.pin_pc != kPinFastPte) return false;
    const auto pte = static_cast<std::uint8_t>(ld(s, PIN, kLocPte));
    if (!present(pte) || (pin_needs_write(c) && !writable(pte))) return pin_fail_fast(c, s, false);
    s.pin_pte = pte;
    s.pin_pc = kPinFastGrab;
    return true;
  }
  // try_grab_compound_head(): page_ref_add_unless(+1 FOLL_GET / +1024 FOLL_PIN;
  // fully ordered on success, an unordered read of 0 on a freed page).
  // v5.19 try_grab_folio(): folio_try_get_rcu (+1, fully ordered), then
  // folio_ref_add(1023) (unordered, no return value); [v6.0:
  // smp_mb__after_atomic (088b8aa537c2)]
  static bool run_pin_fast_grab(const Config& c, State& s, int) {
    if (s.pin_pc != kPinFastGrab) return false;
    const int p = page_of(s.pin_pte);
    if (Machine::newest(s.mem, kLocRef + p) == 0) return pin_fail_fast(c, s, false);
    if (c.anon_excl() && c.pin == kPinPin) {
      if (!add(s, PIN, kLocRef + p, 1, Ord::full, true) ||
          !add(s, PIN, kLocRef + p, kPinBias - 1, Ord::relaxed, true) || !mb(s, PIN))
        return false;
    } else if (!add(s, PIN, kLocRef + p, c.bias(), Ord::full, true)) {
      return false;
    }
    s.pin_pc = kPinFastRecheckPte;
    return true;
  }
  // gup_pte_range(): pte_val(pte) != pte_val(*ptep) -> put, slow;
  // proposal: v5.19 B5: !pte_write && FOLL_PIN && !FOLL_WRITE && !PageAnonExclusive
  // [v6.0: smp_rmb before reading the flags]
  static bool run_pin_fast_recheck_pte(const Config& c, State& s, int) {
    if (s.pin_pc != kPinFastRecheckPte) return false;
    const int p = page_of(s.pin_pte);
    if (ld(s, PIN, kLocPte) != s.pin_pte) return pin_fail_fast(c, s, true);
    if (c.anon_excl() && c.pin == kPinPin && !c.pin_write && !writable(s.pin_pte)) {
      K::smp_rmb(s.mem, PIN);
      if (!test(s, PIN, p, kPgAnonExclBit)) return pin_fail_fast(c, s, true);
    }
    // proposal: C-A gup_unshare in gup-fast (as E-v1's gup_must_unshare:
    // R/O pte and mapcount > 1 (atomic_read) -> slow path, which unshares)
    if (c.gup_unshare && !writable(s.pin_pte) && K::atomic_read(s.mem, PIN, kLocMap + p) > 1)
      return pin_fail_fast(c, s, true);
    if (c.seqcount()) {
      s.pin_pc = kPinFastRecheckSeq;
    } else {
      pin_hold(s, p, s.pin_pte);
    }
    return true;
  }
  // lockless_pages_from_mm(): read_seqcount_retry (smp_rmb; READ_ONCE) -> unpin, slow path
  static bool run_pin_fast_recheck_seq(const Config& c, State& s, int) {
    if (s.pin_pc != kPinFastRecheckSeq) return false;
    if (K::read_seqcount_retry(s.mem, PIN, kLocSeq, s.pin_seq)) return pin_fail_fast(c, s, true);
    pin_hold(s, page_of(s.pin_pte), s.pin_pte);
    return true;
  }
  // __get_user_pages(), one step: [has_pinned := 1]; mmap_read_lock + ptl;
  // follow_page_pte; faultin_page (swap-in; write fault if FOLL_WRITE [C1:
  // forced for COW mappings]; v5.19 unshare for R/O FOLL_PIN of
  // !PageAnonExclusive; C-A gup_unshare for mapcount > 1); try_grab_page
  // (page_ref_add / get_page: unordered); unlock.
  static bool run_pin_slow(const Config& c, State& s, int) {
    if (s.pin_pc != kPinSlow || !mmap_no_writer(s.mmap_lock)) return false;
    const auto cur = pte_a(s);  // under the ptl: the pte's value
    if (cur == 0) return false;
    if (is_swap(cur) ? page_locked(s, kX)
                     : (slow_waits_for_page_lock(c, s, cur) && page_locked(s, page_of(cur))))
      return false;
    if (c.has_pinned_flag() && c.pin == kPinPin && !set_has_pinned(c, s)) return false;
    if (!lock_ptl(s, PIN)) return false;
    auto pte = static_cast<std::uint8_t>(ld(s, PIN, kLocPte));
    if (is_swap(pte) && !folded_swapin(c, s, PIN, pte)) return false;
    if (pin_needs_write(c) && !writable(pte)) {
      if (!folded_wp_fault(c, s, PIN, pte, false)) return false;
    } else if (!writable(pte)) {
      const int p = page_of(pte);
      // proposal: v5.19 gup_must_unshare; C-A with gup_unshare
      const bool unshare =
          (c.anon_excl() && c.pin == kPinPin && !test(s, PIN, p, kPgAnonExclBit)) ||
          (c.gup_unshare && K::atomic_read(s.mem, PIN, kLocMap + p) > 1);
      if (unshare && !folded_wp_fault(c, s, PIN, pte, true)) return false;
    }
    if (pte != ld(s, PIN, kLocPte) && !store(s, PIN, kLocPte, pte)) return false;
    const int p = page_of(pte);
    if (!add(s, PIN, kLocRef + p, c.bias(), Ord::relaxed, false)) return false;
    if (!unlock_ptl(s, PIN)) return false;
    pin_hold(s, p, pte);
    return true;
  }
  // put_page / unpin_user_page: the I/O is done
  static bool run_pin_release(const Config& c, State& s, int) {
    if (s.pin_pc != kPinHold || !pin_put(c, s, s.pin_page)) return false;
    s.pin_page = kNoPage;
    s.ghost &= ~(kGCovered | kGVoided);
    s.pin_pc = kPinDone;
    return true;
  }

  // ---- WP: in-place write protection of A's pte ----------------------------------
  // clear_refs_pte_range/change_pte_range: mmap_read_lock; lock ptl; read the pte;
  // proposal: clear_refs 9348b73c2e1b pte_is_pinned(): has_pinned (atomic_read /
  // test_bit) && page_maybe_dma_pinned (atomic_read) -> skip
  static bool run_wp_lock_check(const Config& c, State& s, int) {
    if (s.wp_pc != kWpCheck || !mmap_no_writer(s.mmap_lock) || !lock_ptl(s, WP)) return false;
    if (pin_held(s)) s.ghost |= kGWpSawPin;
    const auto pte = static_cast<std::uint8_t>(ld(s, WP, kLocPte));
    const bool skip = !present(pte) || !writable(pte) ||
                      (c.wp == kWpClearRefs && c.pin_checks() && ld(s, WP, kLocMm) != 0 &&
                       K::atomic_read(s.mem, WP, kLocRef + page_of(pte)) >= kPinBias);
    if (skip) {
      if (!unlock_ptl(s, WP)) return false;
      s.wp_pc = kWpDone;
      return true;
    }
    ++s.mmap_lock;
    s.ptl = kActWp;
    s.wp_pc = kWpProtect;
    return true;
  }
  // ptep_modify_prot_start/commit: pte := pte & ~W (an unordered RMW of the
  // pte); unlock ptl (TLB flush later)
  static bool run_wp_wrprotect(const Config& c, State& s, int) {
    if (s.wp_pc != kWpProtect) return false;
    if (!rmw(s, WP, kLocPte, Ord::relaxed, false, [](V x) { return x & ~V{kPteWrite}; }) ||
        !unlock_ptl(s, WP))
      return false;
    if (pin_held(s) && c.wp == kWpUser) s.ghost |= kGVoided;  // C-L: "don't do that then"
    s.ptl = kNobody;
    --s.mmap_lock;
    s.wp_pc = kWpDone;
    return true;
  }

  // ---- RECL: shrink_page_list on X -------------------------------------------------
  // trylock_page(page) (ACQUIRE; a failed one orders nothing); not mapped ->
  // unlock, nothing to do
  static bool run_recl_trylock_page(const Config& c, State& s, int) {
    if (s.recl_pc != kRTrylock) return false;
    if (page_locked(s, kX)) {
      s.recl_pc = kRDone;
      return true;
    }
    if (!lock_page(s, RECL, kX)) return false;
    if (K::atomic_read(s.mem, RECL, kLocMap + kX) == 0) {
      if (!unlock_page(s, RECL, kX)) return false;
      s.recl_pc = kRDone;
      return true;
    }
    s.recl_pc = c.pin_checks() ? kRCheckPinned : kRAddToSwap;
    return true;
  }
  // proposal: feb889fb40fa: if (page_maybe_dma_pinned(page)) goto keep_locked
  static bool run_recl_check_pinned(const Config&, State& s, int) {
    if (s.recl_pc != kRCheckPinned) return false;
    s.recl_pc = K::atomic_read(s.mem, RECL, kLocRef + kX) >= kPinBias ? kRUnlock : kRAddToSwap;
    return true;
  }
  // add_to_swap(): SetPageSwapCache (set_bit); the swap cache's reference
  // (page_ref_add: unordered)
  static bool run_recl_add_to_swap(const Config&, State& s, int) {
    if (s.recl_pc != kRAddToSwap) return false;
    if (!set_flag(s, RECL, kX, kPgSwapCacheBit) ||
        !add(s, RECL, kLocRef + kX, 1, Ord::relaxed, false))
      return false;
    s.recl_pc = kRUnmap;
    return true;
  }
  // Swap pte of X: page_remove_rmap (fully ordered), put_page, swap_duplicate.
  static bool recl_swap_pte(State& s, V pte) {
    if (!store(s, RECL, kLocPte, pte)) return false;
    if (!add(s, RECL, kLocMap + kX, -1, Ord::full, true) || !put_page(s, RECL, kX)) return false;
    ++s.swapcount;
    return true;
  }
  // try_to_unmap_one(): lock ptl; ptep_clear_flush (xchg + TLB flush: fully ordered);
  //   <= v5.18: set swap pte, mapcount--, put_page, swap_duplicate; unlock ptl
  //   v5.19 A1: the pte is cleared, ptl kept for A2..A4 [v6.0: ptep_get_and_clear,
  //   unordered, the flush deferred]
  static bool run_recl_unmap(const Config& c, State& s, int) {
    if (s.recl_pc != kRUnmap || !lock_ptl(s, RECL)) return false;
    const auto pte = static_cast<std::uint8_t>(ld(s, RECL, kLocPte));
    if (!present(pte) || page_of(pte) != kX) {
      if (!unlock_ptl(s, RECL)) return false;
      s.recl_pc = kRUnlock;
      return true;
    }
    const Ord ord = c.anon_excl() ? Ord::relaxed : Ord::full;
    if (!rmw(s, RECL, kLocPte, ord, true, [](V) { return V{0}; })) return false;
    if (c.anon_excl()) {  // proposal: v5.19 A1 (then [v6.0: mb] A2)
      s.recl_pte = pte;
      s.ptl = kActRecl;
      s.recl_pc = kRShare;
      return true;
    }
    if (!recl_swap_pte(s, kPteSwap) || !unlock_ptl(s, RECL)) return false;
    s.recl_pc = kRUnlock;
    return true;
  }
  // v5.19 page_try_share_anon_rmap(): [v6.0 smp_mb]; A2 maybe pinned (atomic_read)
  // -> set_pte_at(pteval), abort; A3 ClearPageAnonExclusive (clear_bit) [v6.0:
  // smp_mb__after_atomic]; A4 swap pte (exclusive bit); mapcount--, put_page,
  // swap_duplicate; unlock ptl
  static bool run_recl_share_anon(const Config&, State& s, int) {
    if (s.recl_pc != kRShare || !mb(s, RECL)) return false;
    const bool excl = test(s, RECL, kX, kPgAnonExclBit);
    if (excl && K::atomic_read(s.mem, RECL, kLocRef + kX) >= kPinBias) {
      if (!store(s, RECL, kLocPte, s.recl_pte)) return false;
    } else {
      if (!clear_flag(s, RECL, kX, kPgAnonExclBit) || !mb(s, RECL)) return false;
      if (!recl_swap_pte(s, kPteSwap | (excl ? kPteSwpExcl : 0))) return false;
    }
    if (!unlock_ptl(s, RECL)) return false;
    s.recl_pte = 0;
    s.ptl = kNobody;
    s.recl_pc = kRUnlock;
    return true;
  }
  // unlock_page() (RELEASE; keep_locked / after pageout: X stays in the swap cache)
  static bool run_recl_unlock_page(const Config&, State& s, int) {
    if (s.recl_pc != kRUnlock || !unlock_page(s, RECL, kX)) return false;
    s.recl_pc = kRDone;
    return true;
  }

  // ---- FORK: dup_mmap / copy_page_range of A's pte ---------------------------------
  static bool run_fork_mmap_write_lock(const Config& c, State& s, int) {
    if (s.fork_pc != kFMmapLock || s.mmap_lock != 0) return false;
    s.mmap_lock = kMmapWriter;
    s.fork_pc = c.seqcount() ? kFSeqBegin : kFLockPtl;
    return true;
  }
  // copy_page_range(): raw_write_seqcount_begin: seq++ ; smp_wmb
  static bool run_fork_seq_begin(const Config&, State& s, int) {
    if (s.fork_pc != kFSeqBegin || !drain(s, FORK, Machine::kSb - 1) || !room(s, kLocSeq))
      return false;
    K::write_seqcount_begin(s.mem, FORK, kLocSeq);
    s.fork_pc = kFLockPtl;
    return true;
  }
  // copy_pte_range(): lock dst and src ptl (spin_lock: ACQUIRE)
  static bool run_fork_lock_ptl(const Config&, State& s, int) {
    if (s.fork_pc != kFLockPtl || !lock_ptl(s, FORK)) return false;
    s.ptl = kActFork;
    s.fork_pc = kFCheck;
    return true;
  }
  // proposal: copy_present_page(): C2/v5.19: has_pinned (atomic_read / test_bit)
  // && page_maybe_dma_pinned (atomic_read); C-A: page_count > mapcount +
  // swapcache; C0/C1: always share
  static bool run_fork_check_pinned(const Config& c, State& s, int) {
    if (s.fork_pc != kFCheck) return false;
    const int p = page_of(static_cast<std::uint8_t>(ld(s, FORK, kLocPte)));
    bool copy = false;
    if (c.proposal == kCAMapcountRevert) {
      const int swapcache = test(s, FORK, p, kPgSwapCacheBit) ? 1 : 0;
      copy = K::atomic_read(s.mem, FORK, kLocRef + p) >
             K::atomic_read(s.mem, FORK, kLocMap + p) + swapcache;
    } else if (c.fork_early_cow()) {
      copy = ld(s, FORK, kLocMm) != 0 && K::atomic_read(s.mem, FORK, kLocRef + p) >= kPinBias;
    }
    s.fork_pc = copy ? kFCopy : kFDup;
    return true;
  }
  // copy_present_page(): the child gets a private (writable) copy
  static bool run_fork_copy_for_child(const Config& c, State& s, int) {
    if (s.fork_pc != kFCopy) return false;
    const int q = alloc_page(c, s, FORK);
    if (q < 0) return false;
    s.pte_c = static_cast<std::uint8_t>(q | kPtePresent | kPteWrite);
    s.fork_pc = kFUnlockPtl;
    return true;
  }
  // copy_present_pte(): get_page (atomic_inc); page_dup_rmap (atomic_inc)
  // [v5.19 page_try_dup_anon_rmap: ClearPageAnonExclusive (clear_bit)]; child
  // pte R/O. Unordered RMWs after raw_write_seqcount_begin's smp_wmb.
  static bool run_fork_dup(const Config& c, State& s, int) {
    if (s.fork_pc != kFDup) return false;
    const auto pte = static_cast<std::uint8_t>(ld(s, FORK, kLocPte));
    const int p = page_of(pte);
    if (!add(s, FORK, kLocRef + p, 1, Ord::relaxed, false) ||
        !add(s, FORK, kLocMap + p, 1, Ord::relaxed, false))
      return false;
    if (c.anon_excl() && !clear_flag(s, FORK, p, kPgAnonExclBit)) return false;
    s.pte_c = static_cast<std::uint8_t>(p | kPtePresent);
    s.fork_pc = writable(pte) ? kFWrprotect : kFUnlockPtl;
    return true;
  }
  // copy_present_pte(): ptep_set_wrprotect(src_mm, addr, src_pte) (unordered RMW)
  static bool run_fork_wrprotect(const Config&, State& s, int) {
    if (s.fork_pc != kFWrprotect) return false;
    if (!rmw(s, FORK, kLocPte, Ord::relaxed, false, [](V x) { return x & ~V{kPteWrite}; }))
      return false;
    s.fork_pc = kFUnlockPtl;
    return true;
  }
  static bool run_fork_unlock_ptl(const Config& c, State& s, int) {
    if (s.fork_pc != kFUnlockPtl || !unlock_ptl(s, FORK)) return false;
    s.ptl = kNobody;
    s.fork_pc = c.seqcount() ? kFSeqEnd : kFUnlockMmap;
    return true;
  }
  // copy_page_range(): raw_write_seqcount_end: smp_wmb ; seq++
  static bool run_fork_seq_end(const Config&, State& s, int) {
    if (s.fork_pc != kFSeqEnd || !drain(s, FORK, Machine::kSb - 1) || !room(s, kLocSeq))
      return false;
    K::write_seqcount_end(s.mem, FORK, kLocSeq);
    s.fork_pc = kFUnlockMmap;
    return true;
  }
  // dup_mmap(): mmap_write_unlock; fork returns. wake_up_new_task(): the child
  // first runs after the scheduler's full barriers (rq lock,
  // smp_mb__after_spinlock): an smp_mb here and one in the child's first step.
  static bool run_fork_mmap_write_unlock(const Config&, State& s, int) {
    if (s.fork_pc != kFUnlockMmap || !mb(s, FORK)) return false;
    s.mmap_lock = 0;
    s.ghost |= kGForked;
    s.fork_pc = kFDone;
    return true;
  }

  // ---- CHILD: the forked child -----------------------------------------------------
  // vmsplice: get_user_pages_fast(!FOLL_WRITE) in the child's mm, one step
  // (first the scheduler's smp_mb of the child's first run); proposal: C1 breaks COW (write
  // fault, CW-map); C-A gup_unshare unshares; the reference: page_ref_add_unless
  // (fully ordered)
  static bool run_child_gup(const Config& c, State& s, int) {
    if (s.child_pc != kCGup || s.fork_pc != kFDone) return false;
    const int cp = page_of(s.pte_c);
    const bool fault =
        !writable(s.pte_c) && (c.breakcow() || (c.gup_unshare && latest(s, kLocMap + cp) > 1));
    if (fault && page_locked(s, cp)) return false;
    if (!mb(s, CHILD)) return false;
    if (!writable(s.pte_c)) {
      if (c.breakcow()) {
        if (!folded_wp_fault(c, s, CHILD, s.pte_c, false)) return false;
      } else if (c.gup_unshare && K::atomic_read(s.mem, CHILD, kLocMap + cp) > 1) {
        if (!folded_wp_fault(c, s, CHILD, s.pte_c, true)) return false;
      }
    }
    const int p = page_of(s.pte_c);
    if (!add(s, CHILD, kLocRef + p, 1, Ord::full, true)) return false;
    s.child_ref = static_cast<std::uint8_t>(p);
    s.child_pc = kCUnmap;
    return true;
  }
  // munmap / exit: zap_pte_range: page_remove_rmap; put_page (fully ordered)
  static bool run_child_unmap(const Config&, State& s, int) {
    if (s.child_pc != kCUnmap || s.fork_pc != kFDone) return false;
    if (present(s.pte_c)) {
      const int p = page_of(s.pte_c);
      if (!add(s, CHILD, kLocMap + p, -1, Ord::full, true) || !put_page(s, CHILD, p)) return false;
    }
    s.pte_c = 0;
    s.child_pc = s.child_ref != kNoPage ? kCHold : kCDone;
    return true;
  }
  // The pipe buffer is consumed: put_page
  static bool run_child_put_ref(const Config&, State& s, int) {
    if (s.child_pc != kCHold || !put_page(s, CHILD, s.child_ref)) return false;
    s.child_ref = kNoPage;
    s.child_pc = kCDone;
    return true;
  }

  // ---- SPEC: a transient speculative reference -----------------------------------
  // get_page_unless_zero (page cache lookup on a recycled page, compaction, ...):
  // fully ordered on success, an unordered read of 0 on failure
  static bool run_spec_get(const Config&, State& s, int) {
    if (s.spec_pc != kSGet) return false;
    if (Machine::newest(s.mem, kLocRef + kX) == 0) {
      s.spec_pc = kSDone;
      return true;
    }
    if (!add(s, SPEC, kLocRef + kX, 1, Ord::full, true)) return false;
    s.spec_pc = kSPut;
    return true;
  }
  static bool run_spec_put(const Config&, State& s, int) {
    if (s.spec_pc != kSPut || !put_page(s, SPEC, kX)) return false;
    s.spec_pc = kSDone;
    return true;
  }

  // ---- views -----------------------------------------------------------------------
  static bool cpu_done(const Config&, const State& s, int cpu) {
    switch (cpu) {
      case T:
        return s.t_pc == kTDone;
      case PIN:
        return s.pin_pc == kPinDone;
      case WP:
        return s.wp_pc == kWpDone;
      case RECL:
        return s.recl_pc == kRDone;
      case FORK:
        return s.fork_pc == kFDone;
      case CHILD:
        return s.child_pc == kCDone;
      case SPEC:
        return s.spec_pc == kSDone;
    }
    return true;
  }
  // Locations the CPU reads through its view before its next smp_rmb, acquire
  // or fully ordered RMW (which moves the views to the frontier anyway); the
  // others are don't-care, so equal futures give equal states. mem.advance is
  // enabled only for these.
  static std::uint64_t relevant(const Config& c, const State& s, int cpu) {
    if (cpu_done(c, s, cpu)) return 0;
    switch (cpu) {
      case T: {
        const int p = page_of(s.t_pte);
        switch (s.t_pc) {
          case kTMapTrylock:
          case kTCountTrylock:
          case kTAxTrylock:
          case kTReuse:
          case kTCopy:
            return bit(kLocPte);
          case kTMapCheck:
            return bit(kLocPte) | bit(kLocMap + p) | bit(kLocFlags + p);
          case kTCountRead:
          case kTCountRecheck:
            return bit(kLocPte) | bit(kLocRef + p) | bit(kLocMap + p);
          case kTAxExcl:
          case kTAxRead:
          case kTAxRecheck:
            return bit(kLocPte) | bit(kLocRef + p) | bit(kLocFlags + p);
          default:
            return 0;
        }
      }
      case PIN: {
        const int p = page_of(s.pin_pte);
        switch (s.pin_pc) {
          case kPinFastFlag:
            return bit(kLocMm) | bit(kLocSeq) | bit(kLocPte);
          case kPinFastSeq:
            return bit(kLocSeq);
          case kPinFastPte:
            return bit(kLocPte);
          case kPinFastRecheckPte:
            return bit(kLocPte) | (c.gup_unshare ? bit(kLocMap + p) : 0);
          default:
            return 0;
        }
      }
      case RECL:
        return s.recl_pc == kRCheckPinned ? bit(kLocRef + kX) : 0;
      case FORK:
        if (s.fork_pc == kFCheck) {
          const int p = page_of(pte_a(s));
          return bit(kLocPte) | bit(kLocMm) | page_bits(p);
        }
        return s.fork_pc == kFDup ? bit(kLocPte) : 0;
      default:
        return 0;
    }
  }
  // Locations a CPU ever accesses (lkmm: the others' frontiers are don't-care).
  static std::uint64_t accessed(const Config& c, int cpu) {
    const std::uint64_t ptl = bit(kLocPte) | bit(kLocPtl);
    switch (cpu) {
      case T:
        return ptl | all_pages();
      case PIN:
        return c.pin != kPinNone ? ptl | all_pages() | bit(kLocMm) | bit(kLocSeq) : 0;
      case WP:
        return c.wp != kWpNone ? ptl | bit(kLocMm) | bit(kLocRef) | bit(kLocRef + 1) |
                                     bit(kLocRef + 2) | bit(kLocRef + 3)
                               : 0;
      case RECL:
        return c.recl ? ptl | page_bits(kX) : 0;
      case FORK:
        return c.fork ? ptl | all_pages() | bit(kLocMm) | bit(kLocSeq) : 0;
      case CHILD:
        return c.fork ? all_pages() : 0;
      case SPEC:
        return c.spec ? page_bits(kX) : 0;
    }
    return 0;
  }
  static bool may_advance(const Config& c, const State& s, int cpu, int loc) {
    return ((relevant(c, s, cpu) >> loc) & 1) || !room(s, loc);
  }
  // After every step: views, retired CPUs, canonical history.
  static void after_memory_step(const Config& c, State& s) {
    for (int cpu = 0; cpu < kCpus; ++cpu) {
      if (cpu_done(c, s, cpu) && Machine::sb_empty(s.mem, cpu)) {
        Machine::set_relevant(s.mem, cpu, 0);
        Machine::retire(s.mem, cpu);
      } else {
        Machine::set_relevant(s.mem, cpu, relevant(c, s, cpu));
      }
    }
    Machine::normalize(s.mem);
  }

  // Guard: the step's primitives may run now (tried on a copy). Effect: run
  // it, then canonicalise.
  template <Run R>
  static bool guard(const Config& c, const State& s, int i) {
    State t = s;
    return R(c, t, i);
  }
  template <Run R>
  static void effect(const Config& c, State& s, int i) {
    if (!R(c, s, i)) throw SpecError("cow_pin: a step's primitive refused after its guard");
    after_memory_step(c, s);
  }

  static std::span<const Family> actions() {
    static constexpr Family kFamilies[] = {
        {"t.read", "", one<Config>, guard<run_t_read>, effect<run_t_read>, t_col},
        {"t.swapin_lookup", "", if_swap, guard<run_t_swapin_lookup>, effect<run_t_swapin_lookup>,
         t_col},
        {"t.swapin_lock_page", "", if_swap, guard<run_t_swapin_lock_page>,
         effect<run_t_swapin_lock_page>, t_col},
        {"t.swapin_map", "", if_swap, guard<run_t_swapin_map>, effect<run_t_swapin_map>, t_col},
        {"t.write", "", one<Config>, guard<run_t_write>, effect<run_t_write>, t_col},
        {"t.fault_lock", "", one<Config>, guard<run_t_fault_lock>, effect<run_t_fault_lock>, t_col},
        {"t.map_trylock", "", if_map, guard<run_t_map_trylock>, effect<run_t_map_trylock>, t_col},
        {"t.map_lock_page", "", if_map, guard<run_t_map_lock_page>, effect<run_t_map_lock_page>,
         t_col},
        {"t.map_relock", "", if_map, guard<run_t_map_relock>, effect<run_t_map_relock>, t_col},
        {"t.map_reuse_check", "", if_map, guard<run_t_map_reuse_check>,
         effect<run_t_map_reuse_check>, t_col},
        {"t.count_read_refcount", "", if_count, guard<run_t_count_read_refcount>,
         effect<run_t_count_read_refcount>, t_col},
        {"t.count_trylock", "", if_count, guard<run_t_count_trylock>, effect<run_t_count_trylock>,
         t_col},
        {"t.count_recheck", "", if_count, guard<run_t_count_recheck>, effect<run_t_count_recheck>,
         t_col},
        {"t.ax_test_exclusive", "", if_ax, guard<run_t_ax_test_exclusive>,
         effect<run_t_ax_test_exclusive>, t_col},
        {"t.ax_read_refcount", "", if_ax, guard<run_t_ax_read_refcount>,
         effect<run_t_ax_read_refcount>, t_col},
        {"t.ax_trylock", "", if_ax, guard<run_t_ax_trylock>, effect<run_t_ax_trylock>, t_col},
        {"t.ax_recheck", "", if_ax, guard<run_t_ax_recheck>, effect<run_t_ax_recheck>, t_col},
        {"t.reuse", "", if_t_faults, guard<run_t_reuse>, effect<run_t_reuse>, t_col},
        {"t.cow_copy", "", if_t_faults, guard<run_t_cow_copy>, effect<run_t_cow_copy>, t_col},
        {"pin.fast_set_has_pinned", "", if_fast_flag, guard<run_pin_fast_set_has_pinned>,
         effect<run_pin_fast_set_has_pinned>, pin_col},
        {"pin.fast_read_seq", "", if_fast_seq, guard<run_pin_fast_read_seq>,
         effect<run_pin_fast_read_seq>, pin_col},
        {"pin.fast_read_pte", "", if_fast, guard<run_pin_fast_read_pte>,
         effect<run_pin_fast_read_pte>, pin_col},
        {"pin.fast_grab", "", if_fast, guard<run_pin_fast_grab>, effect<run_pin_fast_grab>,
         pin_col},
        {"pin.fast_recheck_pte", "", if_fast, guard<run_pin_fast_recheck_pte>,
         effect<run_pin_fast_recheck_pte>, pin_col},
        {"pin.fast_recheck_seq", "", if_fast_seq, guard<run_pin_fast_recheck_seq>,
         effect<run_pin_fast_recheck_seq>, pin_col},
        {"pin.slow", "", if_pin, guard<run_pin_slow>, effect<run_pin_slow>, pin_col},
        {"pin.release", "", if_pin, guard<run_pin_release>, effect<run_pin_release>, pin_col},
        {"wp.lock_check", "", if_wp, guard<run_wp_lock_check>, effect<run_wp_lock_check>, wp_col},
        {"wp.wrprotect", "", if_wp, guard<run_wp_wrprotect>, effect<run_wp_wrprotect>, wp_col},
        {"recl.trylock_page", "", if_recl, guard<run_recl_trylock_page>,
         effect<run_recl_trylock_page>, recl_col},
        {"recl.check_pinned", "", if_recl_check, guard<run_recl_check_pinned>,
         effect<run_recl_check_pinned>, recl_col},
        {"recl.add_to_swap", "", if_recl, guard<run_recl_add_to_swap>, effect<run_recl_add_to_swap>,
         recl_col},
        {"recl.unmap", "", if_recl, guard<run_recl_unmap>, effect<run_recl_unmap>, recl_col},
        {"recl.share_anon", "", if_recl_share, guard<run_recl_share_anon>,
         effect<run_recl_share_anon>, recl_col},
        {"recl.unlock_page", "", if_recl, guard<run_recl_unlock_page>, effect<run_recl_unlock_page>,
         recl_col},
        {"fork.mmap_write_lock", "", if_fork, guard<run_fork_mmap_write_lock>,
         effect<run_fork_mmap_write_lock>, fork_col},
        {"fork.seq_begin", "", if_fork_seq, guard<run_fork_seq_begin>, effect<run_fork_seq_begin>,
         fork_col},
        {"fork.lock_ptl", "", if_fork, guard<run_fork_lock_ptl>, effect<run_fork_lock_ptl>,
         fork_col},
        {"fork.check_pinned", "", if_fork, guard<run_fork_check_pinned>,
         effect<run_fork_check_pinned>, fork_col},
        {"fork.copy_for_child", "", if_fork_copy, guard<run_fork_copy_for_child>,
         effect<run_fork_copy_for_child>, fork_col},
        {"fork.dup", "", if_fork, guard<run_fork_dup>, effect<run_fork_dup>, fork_col},
        {"fork.wrprotect", "", if_fork, guard<run_fork_wrprotect>, effect<run_fork_wrprotect>,
         fork_col},
        {"fork.unlock_ptl", "", if_fork, guard<run_fork_unlock_ptl>, effect<run_fork_unlock_ptl>,
         fork_col},
        {"fork.seq_end", "", if_fork_seq, guard<run_fork_seq_end>, effect<run_fork_seq_end>,
         fork_col},
        {"fork.mmap_write_unlock", "", if_fork, guard<run_fork_mmap_write_unlock>,
         effect<run_fork_mmap_write_unlock>, fork_col},
        {"child.gup", "", if_child_gup, guard<run_child_gup>, effect<run_child_gup>, child_col},
        {"child.unmap", "", if_fork, guard<run_child_unmap>, effect<run_child_unmap>, child_col},
        {"child.put_ref", "", if_child_gup, guard<run_child_put_ref>, effect<run_child_put_ref>,
         child_col},
        {"spec.get", "", if_spec, guard<run_spec_get>, effect<run_spec_get>, spec_col},
        {"spec.put", "", if_spec, guard<run_spec_put>, effect<run_spec_put>, spec_col},
    };
    return memory::with_environment<Spec>(kFamilies);
  }

  static std::span<const Prop> properties() {
    static constexpr Prop kProps[] = {
        {PropertyKind::always, "pinned_page_stays_mapped",
         "INV-PIN-COHERENT: while PIN's GUP reference on P is held (under the selected "
         "contract), A's present pte maps P",
         pinned_page_stays_mapped<Mo>},
        {PropertyKind::always, "child_never_sees_parent_write",
         "INV-PRIVATE: no page the parent wrote after fork is mapped or GUP-referenced by the "
         "child",
         child_never_sees_parent_write<Mo>},
        {PropertyKind::always, "no_spurious_cow",
         "NO-SPURIOUS-COW (performance; check=1 only): T never copies a page exclusive to A",
         no_spurious_cow<Mo>},
        {PropertyKind::reachable, "pin_returned", "PIN's GUP returns a reference",
         pin_returned<Mo>},
        {PropertyKind::reachable, "t_takes_write_fault", "T's store takes a write fault",
         t_takes_write_fault<Mo>},
        {PropertyKind::reachable, "wp_runs_while_pinned",
         "window (a): WP examines A's pte while PIN's reference is held", wp_runs_while_pinned<Mo>},
        {PropertyKind::reachable, "reclaim_past_check_while_pinned",
         "window (b): reclaim is past its pin check while PIN's reference is held",
         reclaim_past_check_while_pinned<Mo>},
        {PropertyKind::reachable, "page_swapped_out", "A's pte becomes a swap entry",
         page_swapped_out<Mo>},
        {PropertyKind::reachable, "fork_copies_for_child",
         "fork's early COW gives the child a copy", fork_copies_for_child<Mo>},
        {PropertyKind::reachable, "child_ref_outlives_mapping",
         "the child's GUP reference is held after it unmapped the page",
         child_ref_outlives_mapping<Mo>},
        {PropertyKind::reachable, "parent_writes_after_fork", "T stores after fork returned",
         parent_writes_after_fork<Mo>},
        {PropertyKind::reachable, "spec_ref_held", "the speculative reference is held",
         spec_ref_held<Mo>},
    };
    return kProps;
  }

  // ---- partial-order reduction (--por; memory/por.hpp) ------------------------
  // Actors are the enabled columns (T, PIN, WP, RECL, FORK, CHILD, SPEC); a
  // CPU's mem.commit steps are its own. Resources: bits 0..kLocCount-1 are the
  // memory words (the `ptl` owner field changes only with the ptl word and
  // shares its bit); above them the spec-level objects: swapcount, the
  // child's pte and reference (T's exclusive_to_a reads them), mmap_lock, "fork
  // returned" (kGForked, read by T's record_write and by the child's guards),
  // "PIN holds its reference" (pin_pc == hold and pin_page: WP and the
  // properties read it), the ghost bits other actors or the properties read,
  // and, for visibility only, the program counters the properties read. A
  // page word is the page T's orig_pte, PIN's snapshot or X names; steps that
  // allocate a copy or follow a pte they read (fork, the child, PIN's slow
  // path, WP's pin check) touch every page.
  using Por = memory::Por<Machine>;
  static constexpr std::uint64_t kRSwap = bit(16);
  static constexpr std::uint64_t kRChild = bit(17);  // pte_c, child_ref
  static constexpr std::uint64_t kRMmap = bit(18);
  static constexpr std::uint64_t kRForked = bit(19);   // kGForked, fork_pc == done
  static constexpr std::uint64_t kRPinHold = bit(20);  // pin_pc == hold, pin_page
  static constexpr std::uint64_t kRCovered = bit(21);
  static constexpr std::uint64_t kRVoided = bit(22);
  static constexpr std::uint64_t kRWpSawPin = bit(23);
  static constexpr std::uint64_t kRSpurious = bit(24);
  static constexpr std::uint64_t kRAWrote = bit(25);
  // The pc predicates the vacuity guards read, written by the steps that
  // enter or leave them: T in its write fault (map_trylock .. copy), RECL
  // past its pin check (add_to_swap .. share), FORK at copy, CHILD holding
  // its reference, SPEC holding its reference.
  static constexpr std::uint64_t kRTPc = bit(26);
  static constexpr std::uint64_t kRReclPc = bit(27);
  static constexpr std::uint64_t kRForkPc = bit(28);
  static constexpr std::uint64_t kRChildPc = bit(29);
  static constexpr std::uint64_t kRSpecPc = bit(30);
  static bool t_pc_changes_fault(int pc) {
    return pc == kTFaultLock || pc == kTMapRelock || pc == kTReuse || pc == kTCopy;
  }
  static bool recl_pc_changes_window(int pc) {
    return pc == kRTrylock || pc == kRCheckPinned || pc == kRUnmap || pc == kRShare;
  }
  // The words of page p (-1: every page).
  static std::uint64_t pg(int p) { return p < 0 ? all_pages() : page_bits(p); }
  // The Actor of reduction actor (column) `a`.
  static int actor_at(const Config& c, int a) {
    for (int act = kActT; act <= kActSpec; ++act) {
      if (enabled(c, act) && a-- == 0) return act;
    }
    return kNobody;
  }
  // record_write(): reads "fork returned", writes g_awrote.
  static void record_fp(Footprint& f) {
    f.reads |= kRForked;
    f.writes |= kRAWrote;
  }
  // One step of T at `pc` on page p (-1: any page).
  static Footprint t_step(int pc, int p) {
    Footprint f{0, t_pc_changes_fault(pc) ? kRTPc : 0};
    const std::uint64_t pte = bit(kLocPte), ptl = bit(kLocPtl);
    switch (pc) {
      case kTRead:
        f.reads |= pte;
        break;
      case kTSwapLookup:
        Por::rmw(f, bit(kLocRef + kX));
        break;
      case kTSwapLockPage:
        Por::rmw(f, bit(kLocFlags + kX));
        break;
      case kTSwapMap:
        Por::rmw(f, ptl | pte | page_bits(kX) | kRSwap);
        break;
      case kTWrite:
        f.reads |= pte;
        record_fp(f);
        break;
      case kTFaultLock:
        Por::rmw(f, kRMmap | ptl | pte);
        record_fp(f);
        break;
      case kTMapTrylock:
      case kTMapLockPage:
      case kTCountTrylock:
      case kTAxTrylock:
      case kTCountRead:
      case kTCountRecheck:
      case kTAxExcl:
      case kTAxRead:
        Por::rmw(f, ptl | pg(p));
        f.reads |= kRChild;  // t_decide_copy
        break;
      case kTMapRelock:
        Por::rmw(f, ptl | pte | pg(p) | kRMmap);
        break;
      case kTMapCheck:
      case kTAxRecheck:
        Por::rmw(f, pg(p));
        f.reads |= kRSwap | kRChild;
        break;
      case kTReuse:
        Por::rmw(f, pte | ptl | kRMmap);
        record_fp(f);
        break;
      case kTCopy:
        Por::rmw(f, all_pages() | pte | ptl | kRMmap);
        record_fp(f);
        f.writes |= kRSpurious;
        break;
      default:
        return {};
    }
    return f;
  }
  static Footprint pin_step(int pc, int p) {
    Footprint f;
    const std::uint64_t hold = kRPinHold | kRCovered;
    switch (pc) {
      case kPinFastFlag:
        Por::rmw(f, bit(kLocMm));
        break;
      case kPinFastSeq:
        f.reads |= bit(kLocSeq);
        break;
      case kPinFastPte:
        f.reads |= bit(kLocPte);
        break;
      case kPinFastGrab:
        Por::rmw(f, pg(p));
        break;
      case kPinFastRecheckPte:
      case kPinFastRecheckSeq:
        f.reads |= bit(kLocPte) | bit(kLocSeq);
        Por::rmw(f, pg(p) | hold);
        break;
      case kPinSlow:
        f.reads |= kRMmap;
        Por::rmw(f, all_pages() | bit(kLocPte) | bit(kLocPtl) | bit(kLocMm) | kRSwap | hold);
        break;
      case kPinHold:
        Por::rmw(f, all_pages() | hold | kRVoided);
        break;
      default:
        return {};
    }
    return f;
  }
  static Footprint wp_step(int pc) {
    Footprint f;
    switch (pc) {
      case kWpCheck:
        Por::rmw(f, kRMmap | bit(kLocPtl));
        f.reads |= kRPinHold | bit(kLocPte) | bit(kLocMm) | bit(kLocRef) | bit(kLocRef + 1) |
                   bit(kLocRef + 2) | bit(kLocRef + 3);
        f.writes |= kRWpSawPin;
        break;
      case kWpProtect:
        Por::rmw(f, kRMmap | bit(kLocPtl) | bit(kLocPte));
        f.reads |= kRPinHold;
        f.writes |= kRVoided;
        break;
      default:
        return {};
    }
    return f;
  }
  static Footprint recl_step(int pc) {
    Footprint f{0, recl_pc_changes_window(pc) ? kRReclPc : 0};
    switch (pc) {
      case kRTrylock:
        Por::rmw(f, bit(kLocFlags + kX));
        f.reads |= bit(kLocMap + kX);
        break;
      case kRCheckPinned:
        f.reads |= bit(kLocRef + kX);
        break;
      case kRAddToSwap:
        Por::rmw(f, bit(kLocFlags + kX) | bit(kLocRef + kX));
        break;
      case kRUnmap:
      case kRShare:
        Por::rmw(f, bit(kLocPtl) | bit(kLocPte) | page_bits(kX) | kRSwap);
        break;
      case kRUnlock:
        Por::rmw(f, bit(kLocFlags + kX));
        break;
      default:
        return {};
    }
    return f;
  }
  static Footprint fork_step(int pc) {
    Footprint f{0, pc == kFCheck || pc == kFCopy ? kRForkPc : 0};
    switch (pc) {
      case kFMmapLock:
        Por::rmw(f, kRMmap);
        break;
      case kFSeqBegin:
      case kFSeqEnd:
        Por::rmw(f, bit(kLocSeq));
        break;
      case kFLockPtl:
      case kFUnlockPtl:
        Por::rmw(f, bit(kLocPtl));
        break;
      case kFCheck:
        f.reads |= bit(kLocPte) | bit(kLocMm) | all_pages();
        break;
      case kFCopy:
        Por::rmw(f, all_pages() | kRChild);
        break;
      case kFDup:
        f.reads |= bit(kLocPte);
        Por::rmw(f, all_pages() | kRChild);
        break;
      case kFWrprotect:
        Por::rmw(f, bit(kLocPte));
        break;
      case kFUnlockMmap:
        Por::rmw(f, kRMmap | kRForked);
        break;
      default:
        return {};
    }
    return f;
  }
  static Footprint child_step(int pc) {
    Footprint f{0, pc == kCUnmap || pc == kCHold ? kRChildPc : 0};
    switch (pc) {
      case kCGup:
      case kCUnmap:
        f.reads |= kRForked | kRSwap;
        Por::rmw(f, all_pages() | kRChild);
        break;
      case kCHold:
        Por::rmw(f, all_pages() | kRChild);
        break;
      default:
        return {};
    }
    return f;
  }
  static Footprint spec_step(int pc) {
    Footprint f{0, kRSpecPc};
    if (pc != kSGet && pc != kSPut) return {};
    Por::rmw(f, page_bits(kX));
    return f;
  }
  // Steps of actor `act` in `s` (future: from `s` on). Every actor's pcs but
  // T's are in program order (each step moves to a later pc).
  static Footprint por_steps(const State& s, int act, bool future) {
    Footprint f;
    switch (act) {
      case kActT: {
        if (s.t_pc == kTDone) return {};
        const bool known = s.t_pc >= kTMapTrylock && s.t_pc <= kTCopy;
        const int p = known ? page_of(s.t_pte) : -1;
        // reuse and copy end the access; every other pc may loop back.
        if (!future || s.t_pc == kTReuse || s.t_pc == kTCopy) return t_step(s.t_pc, p);
        for (int k = 0; k < kTDone; ++k) f |= t_step(k, -1);
        return f;
      }
      case kActPin: {
        const int p =
            s.pin_pc >= kPinFastGrab && s.pin_pc <= kPinFastRecheckSeq ? page_of(s.pin_pte) : -1;
        if (!future) return pin_step(s.pin_pc, p);
        for (int k = s.pin_pc; k < kPinDone; ++k) f |= pin_step(k, -1);
        return f;
      }
      case kActWp:
        if (!future) return wp_step(s.wp_pc);
        for (int k = s.wp_pc; k < kWpDone; ++k) f |= wp_step(k);
        return f;
      case kActRecl:
        if (!future) return recl_step(s.recl_pc);
        for (int k = s.recl_pc; k < kRDone; ++k) f |= recl_step(k);
        return f;
      case kActFork:
        if (!future) return fork_step(s.fork_pc);
        for (int k = s.fork_pc; k < kFDone; ++k) f |= fork_step(k);
        return f;
      case kActChild:
        if (!future) return child_step(s.child_pc);
        for (int k = s.child_pc; k < kCDone; ++k) f |= child_step(k);
        return f;
      case kActSpec:
        if (!future) return spec_step(s.spec_pc);
        for (int k = s.spec_pc; k < kSDone; ++k) f |= spec_step(k);
        return f;
      default:
        return {};
    }
  }
  // The memory environment has every CPU's steps; a disabled CPU's (never
  // enabled: it stores nothing) name the column after the enabled ones before
  // it, which is one past the last column when no enabled actor follows: that
  // extra reduction actor has no steps of its own.
  static int por_actors(const Config& c) { return column(c, kActSpec + 1) + 1; }
  static int por_actor(const Config&, int, int, int actor) { return actor; }
  static Footprint por_of(const Config& c, const State& s, int a, bool future) {
    const int act = actor_at(c, a);
    if (act == kNobody) return Por::kSupported ? Footprint{} : Footprint::everything();
    return Por::cpu(por_steps(s, act, future), s.mem, cpu_of(static_cast<Actor>(act)));
  }
  static Footprint por_next(const Config& c, const State& s, int a) {
    return por_of(c, s, a, false);
  }
  static Footprint por_future(const Config& c, const State& s, int a) {
    return por_of(c, s, a, true);
  }
  // What each property reads (0: trivially true in this configuration).
  static std::uint64_t por_visible(const Config& c, int property) {
    const std::string_view n = properties()[static_cast<std::size_t>(property)].name;
    const bool correctness = c.check == kCheckCorrectness;
    if (n == "pinned_page_stays_mapped") {
      return correctness ? kRPinHold | kRCovered | kRVoided | bit(kLocPte) : 0;
    }
    if (n == "child_never_sees_parent_write") return correctness ? kRAWrote | kRChild : 0;
    if (n == "no_spurious_cow") return c.check == kCheckSpurious ? kRSpurious : 0;
    const bool pin = c.pin != kPinNone;
    if (n == "pin_returned") return pin ? kRPinHold : 0;
    if (n == "t_takes_write_fault") return c.t_faults() ? kRTPc : 0;
    if (n == "wp_runs_while_pinned") return c.wp != kWpNone && pin ? kRWpSawPin : 0;
    if (n == "reclaim_past_check_while_pinned") return c.recl && pin ? kRPinHold | kRReclPc : 0;
    if (n == "page_swapped_out") return c.recl ? bit(kLocPte) : 0;
    if (n == "fork_copies_for_child") {
      return c.fork && pin && c.fork_early_cow() ? kRForkPc : 0;
    }
    if (n == "child_ref_outlives_mapping") return c.fork && c.child_gup ? kRChildPc : 0;
    if (n == "parent_writes_after_fork") return c.fork ? kRAWrote : 0;
    if (n == "spec_ref_held") return c.spec ? kRSpecPc : 0;
    return ~std::uint64_t{0};  // a property added without its reads: every step visible
  }

  static std::vector<std::string> actors(const Config& c) {
    std::vector<std::string> names;
    for (int a = kActT; a <= kActSpec; ++a) {
      if (enabled(c, a)) names.emplace_back(kActorNames[a]);
    }
    return names;
  }

  // The fields print exactly as before the memory models (golden traces);
  // weak models add each CPU's store buffer and stale views (`mem.<actor>`).
  static void describe(const Config& c, const State& s, FieldPrinter& p) {
    for (int i = 0; i < kPages; ++i) {
      const V ref = latest(s, kLocRef + i);
      const V map = latest(s, kLocMap + i);
      if (i > 0 && ref == 0 && map == 0) continue;
      const std::string g = absl::StrCat("page[", av(kPageNames[i]), "].");
      p.num(g + "refcount", ref);
      p.num(g + "mapcount", map);
      p.text(g + "flags", page_flags_text(static_cast<std::uint8_t>(latest(s, kLocFlags + i))));
    }
    if (c.recl) p.num("swap_map", s.swapcount);
    p.text("pteA", pte_text(pte_a(s)));
    if (c.fork) p.text("pteChild", pte_text(s.pte_c));
    if (c.has_pinned_flag()) p.flag("mm.has_pinned", latest(s, kLocMm) & kMmHasPinned);
    if (c.seqcount()) p.num("mm.write_protect_seq", latest(s, kLocSeq));
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
    if constexpr (Mo != Model::sc) {
      for (int a = kActT; a <= kActSpec; ++a) {
        if (!enabled(c, a)) continue;
        const std::string m = Machine::describe_cpu(s.mem, a - 1, kLocNames);
        p.text(absl::StrCat("mem.", av(kActorNames[a])), m.empty() ? "-" : m);
      }
    }
  }

  static bool is_final(const Config&, const State& s) {
    return s.t_pc == kTDone && s.pin_pc == kPinDone && s.wp_pc == kWpDone && s.recl_pc == kRDone &&
           s.fork_pc == kFDone && s.child_pc == kCDone && s.spec_pc == kSDone;
  }
};

static_assert(SpecType<Spec<Model::sc>>);
static_assert(SpecType<Spec<Model::lkmm>>);
static_assert(PorActorSpec<Spec<Model::tso>>);

}  // namespace
}  // namespace mmcheck::mm::cow_pin

namespace mmcheck {
void register_cow_pin(Registry& r) { r.add(make_model_spec_entry<mm::cow_pin::Spec>()); }
}  // namespace mmcheck

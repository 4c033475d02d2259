// File: spec/mm/pin_mkclean.cpp
//
// The action table, proposals and registration of pin_mkclean; the kernel
// references, the memory layout, the races and the abstractions are in
// pin_mkclean.hpp. The spec is a template over memory::Model, registered once
// for sc, tso, relaxed and lkmm (make_model_spec_entry).
//
// Every step is written once as `bool step(cfg, state&, param)`: it performs
// the step's primitives in program order and returns false as soon as one of
// them may not run yet (a barrier waiting for the store buffer, a held lock,
// lkmm propagation). The guard runs it on a copy; the effect runs it for real.
#include "spec/mm/pin_mkclean.hpp"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "mmcheck/kernel/primitives.hpp"
#include "mmcheck/memory/environment.hpp"
#include "mmcheck/memory/por.hpp"
#include "mmcheck/spec.hpp"
#include "mmcheck/text.hpp"
#include "properties/mm/pin_mkclean.hpp"
#include "registry/adapter.hpp"
#include "registry/models.hpp"

namespace mmcheck::mm::pin_mkclean {
namespace {

constexpr std::string_view kGupPcNames[] = {"idle",    "recheck_pte", "check_wb",     "G0",
                                            "wait_wb", "lock_page",   "inc_mapcount", "set_pin",
                                            "G6",      "G6_undo",     "unlock_page",  "hold"};
constexpr std::string_view kWbPcNames[] = {
    "idle",           "test_clear_pin", "read_mapcount", "walk",          "test_pin",
    "read_mapcount2", "rewalk",         "update_pin",    "set_writeback", "bounce_check",
    "unlock",         "end_writeback",  "done"};
constexpr std::string_view kZapPcNames[] = {"idle", "clear_pte", "remove_rmap", "unlock_ptl"};
constexpr std::string_view kObsPcNames[] = {"idle", "read_locked", "unlock", "done"};
constexpr std::string_view kPteNames[] = {"none", "ro", "rw", "zapped"};
constexpr std::string_view kBounceNames[] = {"-", "PIN=0 (no bounce)", "PIN=1 (bounce)"};

std::string flags_text(std::int32_t f) {
  std::string out;
  if (f & kPin) out += "PIN ";
  if (f & kLocked) out += "LOCKED ";
  if (f & kWriteback) out += "WRITEBACK ";
  if (out.empty()) return "0";
  out.pop_back();
  return out;
}

const std::string kLocNames[] = {"flags", "mapcount", "refcount", "pte0",
                                 "pte1",  "ptl0",     "ptl1",     "pin"};

constexpr std::uint64_t bit(int loc) { return std::uint64_t{1} << loc; }
bool present(std::int32_t pte) { return pte == kPteRo || pte == kPteRw; }

// The actor whose pc a step checks first (cheap, before the guard copies the state).
enum Role : int { kRoleGup, kRoleWb, kRoleZap, kRoleObs };

template <memory::Model M>
struct Spec {
  using State = pin_mkclean::State<M>;
  using Config = pin_mkclean::Config;
  using Machine = MachineOf<M>;
  using K = kernel::Kernel<Machine>;
  using Family = ActionFamily<State, Config>;
  using Prop = Property<State, Config>;
  using Step = bool (*)(const Config&, State&, int);

  static constexpr std::string_view name = "pin_mkclean";
  static constexpr std::string_view summary =
      "2019 put_user_page()/PagePin: detecting GUP pins of a file page in page_mkclean";
  static constexpr DeadlockPolicy deadlock_policy = DeadlockPolicy::stuck;

  static std::span<const ProposalSpec> proposals() {
    static constexpr ProposalSpec kProposals[] = {
        {"A0-mapcount-minus-real",
         "pins counted in mapcount; WB: PIN := mapcount - walked PTEs > 0 (Dec 2018)"},
        {"A1-snapshot-recheck",
         "WB snapshots mapcount before the walk, rechecks, rewalks special zap PTEs (2 Jan 2019)"},
        {"A2-pagepin-testclear",
         "GUP G0-G6 sets PagePin; WB test_and_clear C1-C5 + set_page_writeback T1-T3 (11 Jan "
         "2019)"},
        {"A3-lock-page",
         "GUP sets PIN under lock_page; WB clears PIN iff walk == mapcount (John, 11 Jan 2019)"},
        {"A3-lock-page-mapcount-first",
         "[analysis] A3 with WB reading mapcount before the walk instead of after"},
    };
    return kProposals;
  }
  static std::span<const ParamSpec> params() {
    static constexpr ParamSpec kParams[] = {
        {"gup_cpus", 1, 1, kMaxGupCpus, "CPUs running gup-fast (FOLL_WRITE) through pte[0]"},
        {"pins", 1, 1, 3,
         "pin attempts per GUP CPU, each released (put_user_page) before the next"},
        {"mappings", 2, 1, kMaxMappings, "VM_SHARED PTEs mapping the page"},
        {"zaps", 1, 0, kMaxMappings, "PTEs munmap may zap (concurrently with writeback)"},
        {"observer", 0, 0, 2, "PIN observer: 0 none, 1 without the page lock, 2 under it"},
        {"wb_io_check", 1, 0, 1,
         "1: check pin_established_during_io_is_bounced; 0: skip it to check the rest"},
        {"split_flags", 0, 0, 1,
         "1: DELIBERATELY WRONG model: PIN in a word of its own, not in page->flags (§0.2 "
         "pitfall, litmus L2')"},
    };
    return kParams;
  }
  static Config configure(const RunConfig& run) {
    Config c{static_cast<Proposal>(run.proposal),
             run.params[0],
             run.params[1],
             run.params[2],
             run.params[3],
             run.params[4],
             run.params[5],
             run.params[6]};
    if (c.zaps > c.mappings) throw UsageError("zaps must not exceed mappings");
    return c;
  }

  // ---- memory component --------------------------------------------------
  static int memory_cpus(const Config& c) { return c.gup_cpus + 3; }
  static int memory_locs(const Config& c) { return c.split_flags ? kLocPin + 1 : kLocPin; }

  static bool gup_done(const Config& c, const State& s, int i) {
    return s.gup_pc[i] == kGupIdle && s.gup_attempts[i] >= c.pins;
  }
  static std::uint32_t all_mappings(const Config& c) { return (1u << c.mappings) - 1; }
  static bool zap_done(const Config& c, const State& s) {
    return s.zap_pc == kZapIdle && (s.zaps_done >= c.zaps || s.zapped == all_mappings(c));
  }
  static bool obs_done(const Config& c, const State& s) {
    return c.observer == kObserverNone || s.obs_pc == kObsDone;
  }

  // Locations `cpu` may load (plain loads) before its next step that refreshes
  // its views (smp_rmb, acquire, fully ordered RMW). The others are
  // don't-care; making one relevant again sets it to what such a refresh
  // gives, which is what the step that re-enables it has just done.
  static std::uint64_t relevance(const Config& c, const State& s, int cpu) {
    const std::uint64_t flags = bit(kLocFlags);
    const std::uint64_t pin = bit(c.pin_loc());
    if (cpu < c.gup_cpus) {
      const std::uint8_t pc = s.gup_pc[cpu];
      std::uint64_t r = 0;
      if ((pc == kGupIdle && s.gup_attempts[cpu] < c.pins) || pc == kGupWaitWb) {
        r |= bit(kLocPte0);
      }
      if (c.a2()) {
        if (pc == kGupG0 || pc == kGupIncMapcount || pc == kGupSetPin || pc == kGupG6 ||
            pc == kGupWaitWb) {
          r |= flags;
        }
        if (pc == kGupG0) r |= pin;
      }
      if (c.a1() && (pc == kGupCheckWb || pc == kGupWaitWb)) r |= flags;
      return r;
    }
    if (cpu == c.wb_cpu()) {
      std::uint64_t r = 0;
      const bool a1_after_walk = c.a1() && (s.wb_pc == kWbTestPin || s.wb_pc == kWbReadMapcount2);
      if (s.wb_pc == kWbReadMapcount || a1_after_walk) r |= bit(kLocMapcount);
      if (s.wb_pc == kWbBounceCheck || (c.a1() && s.wb_pc == kWbTestPin)) r |= pin;
      return r;
    }
    if (cpu == c.obs_cpu()) {
      if (c.observer == kObserverUnlocked && s.obs_pc == kObsIdle) return pin;
      if (c.observer == kObserverLocked && s.obs_pc == kObsReadLocked) return pin;
    }
    return 0;
  }
  // Locations `cpu`'s next step loads: invalidations are processed only
  // there (they commute with every other step).
  static std::uint64_t next_loads(const Config& c, const State& s, int cpu) {
    const std::uint64_t flags = bit(kLocFlags);
    const std::uint64_t pin = bit(c.pin_loc());
    if (cpu < c.gup_cpus) {
      switch (s.gup_pc[cpu]) {
        case kGupIdle:
          return s.gup_attempts[cpu] < c.pins ? bit(kLocPte0) : 0;
        case kGupCheckWb:
        case kGupG6:
        case kGupWaitWb:
          return flags;
        case kGupG0:
          return flags | pin;
        default:
          return 0;
      }
    }
    if (cpu == c.wb_cpu()) {
      if (s.wb_pc == kWbReadMapcount || s.wb_pc == kWbReadMapcount2) return bit(kLocMapcount);
      if (s.wb_pc == kWbTestPin || s.wb_pc == kWbBounceCheck) return pin;
      return 0;
    }
    if (cpu == c.obs_cpu()) return relevance(c, s, cpu);
    return 0;
  }
  static bool may_advance(const Config& c, const State& s, int cpu, int loc) {
    return (next_loads(c, s, cpu) & bit(loc)) != 0;
  }
  static bool cpu_done(const Config& c, const State& s, int cpu) {
    if (cpu < c.gup_cpus) return gup_done(c, s, cpu);
    if (cpu == c.wb_cpu()) return s.wb_pc == kWbDone;
    if (cpu == c.zap_cpu()) return zap_done(c, s);
    if (cpu == c.obs_cpu()) return obs_done(c, s);
    return true;  // unused slot
  }
  // Canonical form after every step: views per relevance, finished CPUs
  // retired (lkmm), unreadable history dropped.
  static void canon(const Config& c, State& s) {
    for (int cpu = 0; cpu < Machine::kCpus; ++cpu) {
      Machine::set_relevant(s.mem, cpu, relevance(c, s, cpu));
      if (cpu_done(c, s, cpu) && Machine::sb_empty(s.mem, cpu)) Machine::retire(s.mem, cpu);
    }
    Machine::normalize(s.mem);
    s.g_reign &= static_cast<std::uint8_t>((1u << s.mem.len[c.pin_loc()]) - 1);
  }
  static void after_memory_step(const Config& c, State& s) { canon(c, s); }

  static State initial(const Config& c) {
    State s{};
    std::int32_t init[Machine::kLocs] = {};
    init[kLocMapcount] = c.mappings;
    init[kLocRefcount] = 1 + c.mappings;
    for (int i = 0; i < c.mappings; ++i) init[kLocPte0 + i] = kPteRw;  // dirty, writable
    Machine::init(s.mem, init);
    if (c.observer != kObserverNone) s.g_reign = 1;  // no pin held yet
    canon(c, s);
    return s;
  }

  // ---- guard / effect from one step function --------------------------------
  static std::uint8_t pc_of(const State& s, int role, int i) {
    switch (role) {
      case kRoleGup:
        return s.gup_pc[i];
      case kRoleWb:
        return s.wb_pc;
      case kRoleZap:
        return s.zap_pc;
      default:
        return s.obs_pc;
    }
  }
  template <int R, int Pc, Step F>
  static bool guard(const Config& c, const State& s, int i) {
    if (pc_of(s, R, i) != Pc) return false;
    State t = s;
    return F(c, t, i);
  }
  template <Step F>
  static void effect(const Config& c, State& s, int i) {
    if (!F(c, s, i)) throw SpecError("pin_mkclean: effect of a disabled step");
    canon(c, s);
  }

  // Actor columns = memory CPUs: gup CPU0..n-1, wb, zap, obs.
  static int gup_actor(const Config&, int cpu) { return cpu; }
  static int wb_actor(const Config& c, int) { return c.wb_cpu(); }
  static int zap_actor(const Config& c, int) { return c.zap_cpu(); }
  static int obs_actor(const Config& c, int) { return c.obs_cpu(); }

  static int gup_count(const Config& c) { return c.gup_cpus; }
  static int gup_a1_count(const Config& c) { return c.a1() ? c.gup_cpus : 0; }
  static int gup_a2_count(const Config& c) { return c.a2() ? c.gup_cpus : 0; }
  static int gup_a3_count(const Config& c) { return c.a3() ? c.gup_cpus : 0; }
  static int gup_wait_count(const Config& c) { return c.a1() || c.a2() ? c.gup_cpus : 0; }
  static int gup_set_pin_count(const Config& c) { return c.a0() ? 0 : c.gup_cpus; }
  static int a1_count(const Config& c) { return c.a1() ? 1 : 0; }
  static int a2_count(const Config& c) { return c.a2() ? 1 : 0; }
  static int zap_count(const Config& c) { return c.zaps > 0 ? 1 : 0; }
  static int zap_lock_count(const Config& c) { return c.zaps > 0 ? c.mappings : 0; }
  static int obs_unlocked_count(const Config& c) { return c.observer == kObserverUnlocked; }
  static int obs_locked_count(const Config& c) { return c.observer == kObserverLocked; }

  // ---- shared pieces -------------------------------------------------------
  // The attempt ends: gup-fast failed (slow path not modelled) or the pin
  // was released.
  static void gup_end(State& s, int i) {
    s.gup_pc[i] = kGupIdle;
    s.gup_ghost[i] = 0;
    ++s.gup_attempts[i];
  }
  // lkmm, inside a fused step: a full barrier after the step's own earlier
  // writes waits until everything that reached `cpu` has reached every live
  // CPU. The propagation steps it waits for are taken here, eagerly (one
  // legal schedule; a fused step is atomic anyway). Other models: nothing.
  static void settle(State& s, int cpu) {
    if constexpr (Machine::kLk) {
      for (bool changed = true; changed;) {
        changed = false;
        for (int d = 0; d < Machine::kCpus; ++d) {
          for (int l = 0; l < Machine::kLocs && d != cpu; ++l) {
            const std::uint8_t mine = Machine::prop(s.mem, cpu, l);
            if (mine == memory::kDontCare) continue;
            while (Machine::prop(s.mem, d, l) != memory::kDontCare &&
                   Machine::prop(s.mem, d, l) < mine && Machine::can_propagate(s.mem, d, l)) {
              Machine::propagate(s.mem, d, l);
              changed = true;
            }
          }
        }
      }
    }
    (void)s, (void)cpu;
  }
  // page_cache_get_speculative / put_page on the refcount: fully ordered.
  static bool ref_add(State& s, int cpu, int d) {
    if (!K::can_rmw(s.mem, cpu, kLocRefcount, memory::Ord::full)) return false;
    K::rmw(s.mem, cpu, kLocRefcount, memory::Ord::full, [d](std::int32_t x) { return x + d; });
    return true;
  }
  // Every write to `loc` is an RMW, so it is the newest in coherence order
  // (under lkmm too): the PIN word's g_reign shifts by one.
  static void wrote(const Config& c, State& s, int loc) {
    if (c.observer == kObserverNone || loc != c.pin_loc()) return;
    s.g_reign = static_cast<std::uint8_t>((s.g_reign << 1) | (s.g_pins == 0 ? 1 : 0));
  }
  static void pin_released(const Config& c, State& s) {
    --s.g_pins;
    if (c.observer != kObserverNone && s.g_pins == 0) s.g_reign |= 1;
  }
  // lock_page: test_and_set_bit_lock(PG_locked) succeeds (a held lock: wait).
  static bool lock_page(const Config& c, State& s, int cpu) {
    if (!K::can_test_and_set_bit_lock(s.mem, cpu, kLocFlags)) return false;
    if (K::test_and_set_bit_lock(s.mem, cpu, kLockedBit, kLocFlags)) return false;
    wrote(c, s, kLocFlags);
    return true;
  }
  // unlock_page: clear_bit_unlock(PG_locked) (release).
  static bool unlock_page(const Config& c, State& s, int cpu) {
    if (!K::can_clear_bit_unlock(s.mem, cpu, kLocFlags)) return false;
    K::clear_bit_unlock(s.mem, cpu, kLockedBit, kLocFlags);
    wrote(c, s, kLocFlags);
    return true;
  }
  // SetPagePin / ClearPagePin: set_bit / clear_bit (unordered).
  static bool change_pin(const Config& c, State& s, int cpu, bool set) {
    if (!K::can_set_bit(s.mem, cpu, c.pin_loc())) return false;
    if (set) {
      K::set_bit(s.mem, cpu, kPinBit, c.pin_loc());
    } else {
      K::clear_bit(s.mem, cpu, kPinBit, c.pin_loc());
    }
    wrote(c, s, c.pin_loc());
    return true;
  }
  static bool mapcount_add(State& s, int cpu, int d) {  // atomic_inc / atomic_dec
    if (!K::can_rmw(s.mem, cpu, kLocMapcount, memory::Ord::relaxed)) return false;
    K::atomic_add(s.mem, cpu, kLocMapcount, d);
    return true;
  }
  // WB's decision is made: A-I1's window opens.
  static void wb_decided(State& s) {
    if (s.g_pins > 0) s.g_seen |= kSeenPinnedAtDecision;
    s.wb_pc = kWbSetWriteback;
  }
  static void wb_walk_done(const Config& c, State& s) {
    switch (c.proposal) {
      case kA0MapcountMinusReal:
      case kA3LockPage:
        s.wb_pc = kWbReadMapcount;
        break;
      case kA1SnapshotRecheck:
        s.wb_pc = kWbTestPin;
        break;
      case kA2PagepinTestclear:
      case kA3LockPageMapcountFirst:
        s.wb_pc = kWbUpdatePin;
        break;
    }
  }

  // ---- GUP (gup-fast, no locks) --------------------------------------------
  // gup_pte_range(): pte = ptep_get_lockless(ptep) (READ_ONCE); needs present
  // and pte_access_permitted(pte, FOLL_WRITE); otherwise the slow path (not
  // modelled).
  static bool gup_read_pte(const Config& c, State& s, int i) {
    if (s.gup_attempts[i] >= c.pins) return false;
    if (K::read_once(s.mem, i, kLocPte0) == kPteRw) {
      s.gup_pc[i] = kGupRecheckPte;
    } else {
      gup_end(s, i);
    }
    return true;
  }
  // page_cache_get_speculative() (full); if (pte_val(pte) != pte_val(*ptep))
  // put_page, fail.
  static bool gup_recheck_pte(const Config& c, State& s, int i) {
    if (!ref_add(s, i, 1)) return false;
    if (K::read_once(s.mem, i, kLocPte0) != kPteRw) {
      if (!ref_add(s, i, -1)) return false;
      gup_end(s, i);
      return true;
    }
    switch (c.proposal) {
      case kA0MapcountMinusReal:
        s.gup_pc[i] = kGupIncMapcount;
        break;
      case kA1SnapshotRecheck:
        s.gup_pc[i] = kGupCheckWb;
        break;
      case kA2PagepinTestclear:
        s.gup_pc[i] = kGupG0;
        break;
      case kA3LockPage:
      case kA3LockPageMapcountFirst:
        s.gup_pc[i] = kGupLockPage;
        break;
    }
    return true;
  }
  // A1: "back off / refault if it sees WRITEBACK": PageWriteback(page);
  // set: put_page, wait, refault.
  static bool gup_check_writeback(const Config&, State& s, int i) {
    if (K::test_bit(s.mem, i, kWritebackBit, kLocFlags)) {
      if (!ref_add(s, i, -1)) return false;
      s.gup_pc[i] = kGupWaitWb;
    } else {
      s.gup_pc[i] = kGupIncMapcount;
    }
    return true;
  }
  // A2 G0: wb := PageWriteback, pin := PagePin (one read of page->flags;
  // two with split_flags); G1 smp_rmb; wb && !pin -> put_page, wait, retry.
  static bool gup_read_flags(const Config& c, State& s, int i) {
    const bool wb = K::test_bit(s.mem, i, kWritebackBit, kLocFlags);
    const bool pin = K::test_bit(s.mem, i, kPinBit, c.pin_loc());
    K::smp_rmb(s.mem, i);
    s.gup_ghost[i] = static_cast<std::uint8_t>((wb ? kG0SawWb : 0) | (pin ? kG0SawPin : 0));
    if (wb && !pin) {
      if (!ref_add(s, i, -1)) return false;
      s.g_seen |= kSeenG0Wait;
      s.gup_pc[i] = kGupWaitWb;
    } else {
      s.gup_pc[i] = kGupIncMapcount;
    }
    return true;
  }
  // A1/A2: wait_on_page_writeback() (PageWriteback read until clear); retry
  // from the lookup (refault).
  static bool gup_wait_writeback(const Config&, State& s, int i) {
    if (K::test_bit(s.mem, i, kWritebackBit, kLocFlags)) return false;
    s.gup_pc[i] = kGupIdle;  // retry: the attempt is not used up
    s.gup_ghost[i] = 0;
    return true;
  }
  // A3: lock_page(page) in the post-pass after IRQs are re-enabled.
  static bool gup_lock_page(const Config& c, State& s, int i) {
    if (!lock_page(c, s, i)) return false;
    s.gup_pc[i] = kGupIncMapcount;
    return true;
  }
  // atomic_inc(&page->_mapcount) (A2: G2, then G3 smp_wmb).
  static bool gup_inc_mapcount(const Config& c, State& s, int i) {
    if (!mapcount_add(s, i, 1)) return false;
    if (c.a2()) K::smp_wmb(s.mem, i);
    if (c.a0()) {  // A0: the pin is returned to the caller
      ++s.g_pins;
      s.gup_pc[i] = kGupHold;
    } else {
      s.gup_pc[i] = kGupSetPin;
    }
    return true;
  }
  // SetPagePin(page) = set_bit(PG_pin, &page->flags) (A2: G4, then G5
  // smp_wmb). The pin counts from here (A2: until G6 undoes it).
  static bool gup_set_pin(const Config& c, State& s, int i) {
    if (!change_pin(c, s, i, true)) return false;
    ++s.g_pins;
    s.g_reign &= static_cast<std::uint8_t>(~1u);  // the new value reigns while pinned
    if (c.a3()) {
      s.gup_pc[i] = kGupUnlockPage;
    } else if (c.a2()) {
      K::smp_wmb(s.mem, i);
      if (io_in_flight(s.wb_pc)) s.gup_ghost[i] |= kG4DuringWb;
      const bool g6 = !(s.gup_ghost[i] & (kG0SawWb | kG0SawPin));
      s.gup_pc[i] = g6 ? kGupG6 : kGupHold;
    } else {
      s.gup_pc[i] = kGupHold;
    }
    return true;
  }
  // A2 G6: if (!wb && !pin && PageWriteback(page)): back off.
  static bool gup_recheck_writeback(const Config&, State& s, int i) {
    if (K::test_bit(s.mem, i, kWritebackBit, kLocFlags)) {
      s.gup_pc[i] = kGupG6Undo;
    } else {
      if (s.wb_pc < kWbDone) s.gup_ghost[i] |= kG6MissedWb;  // sc: before T1
      s.gup_pc[i] = kGupHold;
    }
    return true;
  }
  // A2 G6: atomic_dec(&page->_mapcount); put_page; the pin is withdrawn;
  // PIN stays.
  static bool gup_undo_mapcount(const Config& c, State& s, int i) {
    if (!mapcount_add(s, i, -1)) return false;
    settle(s, i);
    if (!ref_add(s, i, -1)) return false;
    pin_released(c, s);
    s.g_seen |= kSeenG6Backoff;
    s.gup_pc[i] = kGupWaitWb;
    return true;
  }
  // A3: unlock_page(page); pin returned.
  static bool gup_unlock_page(const Config& c, State& s, int i) {
    if (!unlock_page(c, s, i)) return false;
    s.gup_pc[i] = kGupHold;
    return true;
  }
  // PUP, put_user_page(), no locks: P1 atomic_dec(&page->_mapcount); P2 put_page.
  static bool pup(const Config& c, State& s, int i) {
    if (!mapcount_add(s, i, -1)) return false;
    settle(s, i);
    if (!ref_add(s, i, -1)) return false;
    pin_released(c, s);
    gup_end(s, i);
    return true;
  }

  // ---- WB: write_cache_pages -> clear_page_dirty_for_io -> page_mkclean ----
  static bool wb_lock_page(const Config& c, State& s, int) {
    if (!lock_page(c, s, c.wb_cpu())) return false;
    switch (c.proposal) {
      case kA0MapcountMinusReal:
      case kA3LockPage:
        s.wb_pc = kWbWalk;
        break;
      case kA1SnapshotRecheck:
      case kA3LockPageMapcountFirst:
        s.wb_pc = kWbReadMapcount;
        break;
      case kA2PagepinTestclear:
        s.wb_pc = kWbTestClearPin;
        break;
    }
    return true;
  }
  // A2 C1: pinned := TestClearPagePin(page) (full); C2 smp_mb.
  static bool wb_test_and_clear_pin(const Config& c, State& s, int) {
    const int w = c.wb_cpu();
    if (!K::can_test_and_set_bit(s.mem, w, c.pin_loc())) return false;
    s.wb_pinned = K::test_and_clear_bit(s.mem, w, kPinBit, c.pin_loc()) ? 1 : 0;
    wrote(c, s, c.pin_loc());
    if (!K::can_smp_mb(s.mem, w)) return false;
    K::smp_mb(s.mem, w);
    s.wb_pc = kWbReadMapcount;
    return true;
  }
  // atomic_read(&page->_mapcount): A0 step 2 / A3 after the walk; A1 m1,
  // A2 C3 (mp), A3' before the walk.
  static bool wb_read_mapcount(const Config& c, State& s, int) {
    s.wb_m = static_cast<std::uint8_t>(K::atomic_read(s.mem, c.wb_cpu(), kLocMapcount));
    if (c.a0() || c.proposal == kA3LockPage) {
      s.wb_pc = kWbUpdatePin;
    } else {
      s.wb_idx = 0;
      s.wb_real = 0;
      s.wb_pc = kWbWalk;
    }
    return true;
  }
  // page_mkclean_one() for pte[wb_idx] (A2: C4): spin_lock(ptl); if present:
  // ptep_clear_flush (full) + set_pte_at(write-protected, clean), count it;
  // spin_unlock(ptl).
  static bool wb_walk_pte(const Config& c, State& s, int) {
    const int w = c.wb_cpu();
    const int pte = kLocPte0 + s.wb_idx;
    const int ptl = kLocPtl0 + s.wb_idx;
    if (!K::can_spin_lock(s.mem, w, ptl)) return false;
    K::spin_lock(s.mem, w, ptl);
    if (present(K::read_once(s.mem, w, pte))) {
      settle(s, w);
      if (!K::can_rmw(s.mem, w, pte, memory::Ord::full)) return false;
      K::xchg(s.mem, w, pte, kPteRo, memory::Ord::full);
      ++s.wb_real;
    }
    if (!K::can_spin_unlock(s.mem, w)) return false;
    K::spin_unlock(s.mem, w, ptl);
    if (++s.wb_idx == c.mappings) wb_walk_done(c, s);
    return true;
  }
  // A1 step 3: if PagePin(page): m1 == real -> ClearPin, else recheck.
  static bool wb_test_pin(const Config& c, State& s, int) {
    if (!K::test_bit(s.mem, c.wb_cpu(), kPinBit, c.pin_loc())) {
      wb_decided(s);
    } else {
      s.wb_pc = s.wb_m == s.wb_real ? kWbUpdatePin : kWbReadMapcount2;
    }
    return true;
  }
  // A1: m2 := atomic_read(&page->_mapcount); m2 > real -> keep PIN.
  static bool wb_read_mapcount_again(const Config& c, State& s, int) {
    s.wb_m2 = static_cast<std::uint8_t>(K::atomic_read(s.mem, c.wb_cpu(), kLocMapcount));
    if (s.wb_m2 > s.wb_real) {
      wb_decided(s);
    } else {
      s.g_seen |= kSeenRewalk;
      s.wb_idx = 0;
      s.wb_rc2 = 0;
      s.wb_pc = kWbRewalk;
    }
    return true;
  }
  // A1: rewalk pte[wb_idx] under its ptl, counting special zapped entries;
  // at the end m2 <= real + rc2 -> ClearPin.
  static bool wb_rewalk_pte(const Config& c, State& s, int) {
    const int w = c.wb_cpu();
    const int ptl = kLocPtl0 + s.wb_idx;
    if (!K::can_spin_lock(s.mem, w, ptl)) return false;
    K::spin_lock(s.mem, w, ptl);
    if (K::read_once(s.mem, w, kLocPte0 + s.wb_idx) == kPteZapped) ++s.wb_rc2;
    if (!K::can_spin_unlock(s.mem, w)) return false;
    K::spin_unlock(s.mem, w, ptl);
    if (++s.wb_idx == c.mappings) {
      if (s.wb_m2 <= s.wb_real + s.wb_rc2) {
        s.wb_pc = kWbUpdatePin;
      } else {
        wb_decided(s);
      }
    }
    return true;
  }
  // The PIN decision, one RMW on page->flags (if any):
  // A0 m - real > 0 ? SetPagePin : ClearPagePin; A1 ClearPagePin;
  // A2 C5 pinned && m < mp -> SetPagePin; A3 real == m -> ClearPagePin.
  static bool wb_update_pin(const Config& c, State& s, int) {
    const int w = c.wb_cpu();
    switch (c.proposal) {
      case kA0MapcountMinusReal:
        if (!change_pin(c, s, w, s.wb_m > s.wb_real)) return false;
        break;
      case kA1SnapshotRecheck:
        if (!change_pin(c, s, w, false)) return false;
        break;
      case kA2PagepinTestclear:
        if (s.wb_pinned && s.wb_real < s.wb_m) {
          if (!change_pin(c, s, w, true)) return false;
          s.g_seen |= kSeenRestorePin;
        }
        break;
      case kA3LockPage:
      case kA3LockPageMapcountFirst:
        if (s.wb_real == s.wb_m && !change_pin(c, s, w, false)) return false;
        break;
    }
    wb_decided(s);
    return true;
  }
  // set_page_writeback(): T1 TestSetPageWriteback (full); T2 smp_wmb.
  static bool wb_set_writeback(const Config& c, State& s, int) {
    const int w = c.wb_cpu();
    if (!K::can_test_and_set_bit(s.mem, w, kLocFlags)) return false;
    K::test_and_set_bit(s.mem, w, kWritebackBit, kLocFlags);
    wrote(c, s, kLocFlags);
    K::smp_wmb(s.mem, w);
    s.wb_pc = kWbBounceCheck;
    return true;
  }
  // T3: g_bounce := PagePin(page) (writeback's bounce decision).
  static bool wb_bounce_check(const Config& c, State& s, int) {
    s.g_bounce = K::test_bit(s.mem, c.wb_cpu(), kPinBit, c.pin_loc()) ? 2 : 1;
    s.wb_pc = kWbUnlock;
    return true;
  }
  // unlock_page(page) at the end of ->writepage.
  static bool wb_unlock_page(const Config& c, State& s, int) {
    if (!unlock_page(c, s, c.wb_cpu())) return false;
    s.wb_pc = kWbEndWriteback;
    return true;
  }
  // I/O completion: end_page_writeback() -> TestClearPageWriteback (full).
  static bool wb_end_writeback(const Config& c, State& s, int) {
    const int w = c.wb_cpu();
    if (!K::can_test_and_set_bit(s.mem, w, kLocFlags)) return false;
    K::test_and_clear_bit(s.mem, w, kWritebackBit, kLocFlags);
    wrote(c, s, kLocFlags);
    s.wb_pc = kWbDone;
    return true;
  }

  // ---- ZAP: munmap -> zap_pte_range (no page lock) ----------------------------
  // spin_lock(ptl) of a mapping munmap has not unmapped yet.
  static bool zap_lock_ptl(const Config& c, State& s, int i) {
    if (s.zaps_done >= c.zaps || (s.zapped & (1u << i))) return false;
    const int z = c.zap_cpu();
    if (!K::can_spin_lock(s.mem, z, kLocPtl0 + i)) return false;
    K::spin_lock(s.mem, z, kLocPtl0 + i);
    s.zapped |= static_cast<std::uint8_t>(1u << i);
    s.zap_pte = static_cast<std::uint8_t>(i);
    s.zap_pc = kZapClear;
    return true;
  }
  // ptep_get_and_clear_full() (xchg_relaxed); A1 leaves a special "zapped" entry.
  static bool zap_clear_pte(const Config& c, State& s, int) {
    const int z = c.zap_cpu();
    const int pte = kLocPte0 + s.zap_pte;
    if (!K::can_rmw(s.mem, z, pte, memory::Ord::relaxed)) return false;
    K::xchg(s.mem, z, pte, c.a1() ? kPteZapped : kPteNone, memory::Ord::relaxed);
    s.zap_pc = kZapDecMapcount;
    return true;
  }
  // page_remove_rmap(): atomic_add_negative(-1, &page->_mapcount) (full).
  static bool zap_remove_rmap(const Config& c, State& s, int) {
    const int z = c.zap_cpu();
    if (!K::can_rmw(s.mem, z, kLocMapcount, memory::Ord::full)) return false;
    K::atomic_add_return(s.mem, z, kLocMapcount, -1);
    if (wb_holds_lock(s.wb_pc) && s.wb_pc < kWbSetWriteback) s.g_seen |= kSeenZapInWalk;
    s.zap_pc = kZapUnlock;
    return true;
  }
  // pte_unmap_unlock(): spin_unlock(ptl).
  static bool zap_unlock_ptl(const Config& c, State& s, int) {
    const int z = c.zap_cpu();
    if (!K::can_spin_unlock(s.mem, z)) return false;
    K::spin_unlock(s.mem, z, kLocPtl0 + s.zap_pte);
    ++s.zaps_done;
    s.zap_pc = kZapIdle;
    return true;
  }

  // ---- OBS: another reader of PagePin (reclaim, migration, ...) ------------
  // A miss: the load returns PIN = 0 from a value during whose reign as the
  // newest a pin was held all the time (g_reign; under sc: g_pins > 0 now).
  static void observe(const Config& c, State& s, std::uint8_t miss) {
    const int o = c.obs_cpu();
    const int loc = c.pin_loc();
    const bool pin = K::test_bit(s.mem, o, kPinBit, loc);
    int index = Machine::top(s.mem, o, loc);
    if constexpr (Machine::kViews) {
      if (s.mem.view[o][loc] != memory::kDontCare) index = s.mem.view[o][loc];
    }
    const int age = s.mem.len[loc] - 1 - index;
    const bool unpinned_instant = ((s.g_reign >> age) & 1) != 0;
    if (s.g_pins > 0) s.g_seen |= kSeenObsPinned;
    if (!pin && !unpinned_instant) s.g_obs |= miss;
  }
  // PagePin(page) without the page lock.
  static bool obs_read_pin(const Config& c, State& s, int) {
    observe(c, s, kObsMissUnlocked);
    s.obs_pc = kObsDone;
    return true;
  }
  static bool obs_lock_page(const Config& c, State& s, int) {
    if (!lock_page(c, s, c.obs_cpu())) return false;
    s.obs_pc = kObsReadLocked;
    return true;
  }
  // PagePin(page) under the page lock.
  static bool obs_read_pin_locked(const Config& c, State& s, int) {
    observe(c, s, kObsMissLocked);
    s.obs_pc = kObsUnlock;
    return true;
  }
  static bool obs_unlock_page(const Config& c, State& s, int) {
    if (!unlock_page(c, s, c.obs_cpu())) return false;
    s.obs_pc = kObsDone;
    return true;
  }

  static std::span<const Family> actions() {
    static constexpr Family kFamilies[] = {
        {"gup.read_pte", "cpu", gup_count, guard<kRoleGup, kGupIdle, gup_read_pte>,
         effect<gup_read_pte>, gup_actor},
        {"gup.recheck_pte", "cpu", gup_count, guard<kRoleGup, kGupRecheckPte, gup_recheck_pte>,
         effect<gup_recheck_pte>, gup_actor},
        {"gup.check_writeback", "cpu", gup_a1_count,
         guard<kRoleGup, kGupCheckWb, gup_check_writeback>, effect<gup_check_writeback>, gup_actor},
        {"gup.read_flags", "cpu", gup_a2_count, guard<kRoleGup, kGupG0, gup_read_flags>,
         effect<gup_read_flags>, gup_actor},
        {"gup.wait_writeback", "cpu", gup_wait_count,
         guard<kRoleGup, kGupWaitWb, gup_wait_writeback>, effect<gup_wait_writeback>, gup_actor},
        {"gup.lock_page", "cpu", gup_a3_count, guard<kRoleGup, kGupLockPage, gup_lock_page>,
         effect<gup_lock_page>, gup_actor},
        {"gup.inc_mapcount", "cpu", gup_count, guard<kRoleGup, kGupIncMapcount, gup_inc_mapcount>,
         effect<gup_inc_mapcount>, gup_actor},
        {"gup.set_pin", "cpu", gup_set_pin_count, guard<kRoleGup, kGupSetPin, gup_set_pin>,
         effect<gup_set_pin>, gup_actor},
        {"gup.recheck_writeback", "cpu", gup_a2_count,
         guard<kRoleGup, kGupG6, gup_recheck_writeback>, effect<gup_recheck_writeback>, gup_actor},
        {"gup.undo_mapcount", "cpu", gup_a2_count, guard<kRoleGup, kGupG6Undo, gup_undo_mapcount>,
         effect<gup_undo_mapcount>, gup_actor},
        {"gup.unlock_page", "cpu", gup_a3_count, guard<kRoleGup, kGupUnlockPage, gup_unlock_page>,
         effect<gup_unlock_page>, gup_actor},
        {"pup.dec_mapcount", "cpu", gup_count, guard<kRoleGup, kGupHold, pup>, effect<pup>,
         gup_actor},
        {"wb.lock_page", "", one<Config>, guard<kRoleWb, kWbIdle, wb_lock_page>,
         effect<wb_lock_page>, wb_actor},
        {"wb.test_and_clear_pin", "", a2_count,
         guard<kRoleWb, kWbTestClearPin, wb_test_and_clear_pin>, effect<wb_test_and_clear_pin>,
         wb_actor},
        {"wb.read_mapcount", "", one<Config>, guard<kRoleWb, kWbReadMapcount, wb_read_mapcount>,
         effect<wb_read_mapcount>, wb_actor},
        {"wb.walk_pte", "", one<Config>, guard<kRoleWb, kWbWalk, wb_walk_pte>, effect<wb_walk_pte>,
         wb_actor},
        {"wb.test_pin", "", a1_count, guard<kRoleWb, kWbTestPin, wb_test_pin>, effect<wb_test_pin>,
         wb_actor},
        {"wb.read_mapcount_again", "", a1_count,
         guard<kRoleWb, kWbReadMapcount2, wb_read_mapcount_again>, effect<wb_read_mapcount_again>,
         wb_actor},
        {"wb.rewalk_pte", "", a1_count, guard<kRoleWb, kWbRewalk, wb_rewalk_pte>,
         effect<wb_rewalk_pte>, wb_actor},
        {"wb.update_pin", "", one<Config>, guard<kRoleWb, kWbUpdatePin, wb_update_pin>,
         effect<wb_update_pin>, wb_actor},
        {"wb.set_writeback", "", one<Config>, guard<kRoleWb, kWbSetWriteback, wb_set_writeback>,
         effect<wb_set_writeback>, wb_actor},
        {"wb.bounce_check", "", one<Config>, guard<kRoleWb, kWbBounceCheck, wb_bounce_check>,
         effect<wb_bounce_check>, wb_actor},
        {"wb.unlock_page", "", one<Config>, guard<kRoleWb, kWbUnlock, wb_unlock_page>,
         effect<wb_unlock_page>, wb_actor},
        {"wb.end_writeback", "", one<Config>, guard<kRoleWb, kWbEndWriteback, wb_end_writeback>,
         effect<wb_end_writeback>, wb_actor},
        {"zap.lock_ptl", "pte", zap_lock_count, guard<kRoleZap, kZapIdle, zap_lock_ptl>,
         effect<zap_lock_ptl>, zap_actor},
        {"zap.clear_pte", "", zap_count, guard<kRoleZap, kZapClear, zap_clear_pte>,
         effect<zap_clear_pte>, zap_actor},
        {"zap.remove_rmap", "", zap_count, guard<kRoleZap, kZapDecMapcount, zap_remove_rmap>,
         effect<zap_remove_rmap>, zap_actor},
        {"zap.unlock_ptl", "", zap_count, guard<kRoleZap, kZapUnlock, zap_unlock_ptl>,
         effect<zap_unlock_ptl>, zap_actor},
        {"obs.read_pin", "", obs_unlocked_count, guard<kRoleObs, kObsIdle, obs_read_pin>,
         effect<obs_read_pin>, obs_actor},
        {"obs.lock_page", "", obs_locked_count, guard<kRoleObs, kObsIdle, obs_lock_page>,
         effect<obs_lock_page>, obs_actor},
        {"obs.read_pin_locked", "", obs_locked_count,
         guard<kRoleObs, kObsReadLocked, obs_read_pin_locked>, effect<obs_read_pin_locked>,
         obs_actor},
        {"obs.unlock_page", "", obs_locked_count, guard<kRoleObs, kObsUnlock, obs_unlock_page>,
         effect<obs_unlock_page>, obs_actor},
    };
    return memory::with_environment<Spec>(kFamilies);
  }

  static std::span<const Prop> properties() {
    static constexpr Prop kProps[] = {
        {PropertyKind::always, "pin_visible_at_wb_decision",
         "A-I1: from WB's PIN decision until unlock_page, g_pins > 0 => PIN",
         pin_visible_at_wb_decision<M>},
        {PropertyKind::always, "wb_handshake_no_double_miss",
         "A-I3 (A2): no held pin whose G6 missed WRITEBACK while T3 missed PIN (litmus L2)",
         wb_handshake_no_double_miss<M>},
        {PropertyKind::always, "pin_established_during_io_is_bounced",
         "INV-WB-PIN for A2 [analysis]: no pin set at G4 during an I/O whose T3 read PIN = 0",
         pin_established_during_io_is_bounced<M>},
        {PropertyKind::always, "pin_visible_to_locked_observer",
         "A-I2 (thread outcome): an observer holding the page lock never reads PIN = 0 while "
         "g_pins > 0",
         pin_visible_to_locked_observer<M>},
        {PropertyKind::always, "pin_visible_to_any_observer",
         "A-I2 (John's objection): an observer without the page lock never reads PIN = 0 while "
         "g_pins > 0",
         pin_visible_to_any_observer<M>},
        {PropertyKind::reachable, "pin_held_at_wb_decision",
         "WB makes its PIN decision while a pin is held", pin_held_at_wb_decision<M>},
        {PropertyKind::reachable, "zap_during_wb_walk",
         "munmap decrements mapcount between WB's lock_page and its decision (zaps > 0)",
         zap_during_wb_walk<M>},
        {PropertyKind::reachable, "observer_reads_pinned_page",
         "the observer reads PIN while a pin is held (observer > 0)",
         observer_reads_pinned_page<M>},
        {PropertyKind::reachable, "writeback_completes", "WB reaches end_page_writeback",
         writeback_completes<M>},
        {PropertyKind::reachable, "a1_rewalk_taken",
         "A1 takes the special-PTE rewalk branch (zaps > 0)", a1_rewalk_taken<M>},
        {PropertyKind::reachable, "a2_wb_restores_pin", "A2 C5 sets PIN again",
         a2_wb_restores_pin<M>},
        {PropertyKind::reachable, "a2_gup_backs_off_at_g6",
         "A2 G6 sees WRITEBACK and withdraws the pin", a2_gup_backs_off_at_g6<M>},
        {PropertyKind::reachable, "a2_gup_waits_at_g0", "A2 G0 sees WRITEBACK && !PIN and waits",
         a2_gup_waits_at_g0<M>},
        {PropertyKind::reachable, "a2_handshake_pin_held_during_io",
         "A-I3's premise: a pin whose G6 read WRITEBACK = 0 is held during the I/O",
         a2_handshake_pin_held_during_io<M>},
        {PropertyKind::reachable, "a3_gup_waits_for_page_lock",
         "A3 GUP's post-pass waits for the page lock WB holds", a3_gup_waits_for_page_lock<M>},
    };
    return kProps;
  }
  static bool applies(const Config& c, std::string_view property) {
    return property_applies(c, property);
  }

  // ---- partial-order reduction (--por; memory/por.hpp) ------------------------
  // Actors are the memory CPUs (gup 0..n-1, wb, zap, obs); a CPU's mem.commit
  // steps are its own. Resources: bits 0..kLocs-1 are the memory words;
  // g_pins; g_reign; "WB is between lock_page and its decision" (wb_pc as
  // zap.remove_rmap reads it); "the I/O is in flight or done" (wb_pc as
  // gup.set_pin and G6 read it); and, for visibility only, each actor's
  // program counter and registers, split by what the properties read of
  // them (e.g. "WB has decided and holds the page lock", "GUP CPU i holds
  // its pin", the PIN bit apart from the rest of its word), each written by
  // every step that may change it. g_seen, g_obs, g_bounce and gup_ghost
  // are counted as registers of the actors that set them: g_seen is only
  // ever or-ed (steps of different actors commute on it) and no step reads
  // it.
  using Por = memory::Por<Machine>;
  static constexpr std::uint64_t kRPins = bit(Machine::kLocs);
  static constexpr std::uint64_t kRReign = bit(Machine::kLocs + 1);
  static constexpr std::uint64_t kRWbWindow = bit(Machine::kLocs + 2);
  static constexpr std::uint64_t kRWbIo = bit(Machine::kLocs + 3);
  static constexpr std::uint64_t kRWbPc = bit(Machine::kLocs + 4);
  static constexpr std::uint64_t kRZapPc = bit(Machine::kLocs + 5);
  static constexpr std::uint64_t kRObsPc = bit(Machine::kLocs + 6);
  static constexpr std::uint64_t kRWbDecided =
      bit(Machine::kLocs + 7);                                          // wb_decided_locked, g_seen
  static constexpr std::uint64_t kRWbLock = bit(Machine::kLocs + 8);    // wb_holds_lock
  static constexpr std::uint64_t kRBounce = bit(Machine::kLocs + 9);    // g_bounce
  static constexpr std::uint64_t kRPinBit = bit(Machine::kLocs + 10);   // the PIN bit
  static constexpr std::uint64_t kRZapSeen = bit(Machine::kLocs + 11);  // kSeenZapInWalk
  static constexpr std::uint64_t kRObsRead = bit(Machine::kLocs + 12);  // g_obs, kSeenObsPinned
  // GUP CPU i: its pc and registers; "holds its pin" (with gup_ghost, which
  // changes while holding only when the pin is taken or released); its
  // g_seen bits; "waits at lock_page".
  static constexpr std::uint64_t gup_pc_bit(int i) { return bit(Machine::kLocs + 16 + 4 * i); }
  static constexpr std::uint64_t gup_hold_bit(int i) { return gup_pc_bit(i) << 1; }
  static constexpr std::uint64_t gup_seen_bit(int i) { return gup_pc_bit(i) << 2; }
  static constexpr std::uint64_t gup_lock_bit(int i) { return gup_pc_bit(i) << 3; }
  template <typename Bit>
  static std::uint64_t all_gups(const Config& c, Bit b) {
    std::uint64_t r = 0;
    for (int i = 0; i < c.gup_cpus; ++i) r |= b(i);
    return r;
  }
  // An RMW of `loc` with wrote(): on the PIN word it reads g_pins and
  // updates g_reign (observer > 0).
  static void write_word(const Config& c, Footprint& f, int loc) {
    Por::rmw(f, bit(loc));
    if (c.observer != kObserverNone && loc == c.pin_loc()) {
      f.reads |= kRPins;
      Por::rmw(f, kRReign);
    }
  }
  // A pin taken or released: g_pins, g_reign.
  static void pins_fp(Footprint& f) { Por::rmw(f, kRPins | kRReign); }
  // Reachable program counters from `pc` (bit k: pc k), given `succ`.
  template <typename Succ>
  static std::uint32_t reach(int pc, Succ succ) {
    std::uint32_t seen = 0;
    std::uint32_t todo = 1u << pc;
    while (todo != 0) {
      const int k = __builtin_ctz(todo);
      todo &= todo - 1;
      if (seen & (1u << k)) continue;
      seen |= 1u << k;
      todo |= succ(k) & ~seen;
    }
    return seen;
  }
  // GUP program graph within one attempt (ending the attempt is not an edge;
  // wait_writeback retries from idle in the same attempt).
  static std::uint32_t gup_succ(const Config& c, int pc) {
    auto b = [](int k) { return 1u << k; };
    switch (pc) {
      case kGupIdle:
        return b(kGupRecheckPte);
      case kGupRecheckPte:
        if (c.a0()) return b(kGupIncMapcount);
        if (c.a1()) return b(kGupCheckWb);
        if (c.a2()) return b(kGupG0);
        return b(kGupLockPage);
      case kGupCheckWb:
      case kGupG0:
        return b(kGupWaitWb) | b(kGupIncMapcount);
      case kGupWaitWb:
        return b(kGupIdle);
      case kGupLockPage:
        return b(kGupIncMapcount);
      case kGupIncMapcount:
        return c.a0() ? b(kGupHold) : b(kGupSetPin);
      case kGupSetPin:
        if (c.a3()) return b(kGupUnlockPage);
        if (c.a2()) return b(kGupG6) | b(kGupHold);
        return b(kGupHold);
      case kGupG6:
        return b(kGupG6Undo) | b(kGupHold);
      case kGupG6Undo:
        return b(kGupWaitWb);
      case kGupUnlockPage:
        return b(kGupHold);
      default:  // hold: put_user_page ends the attempt
        return 0;
    }
  }
  static Footprint gup_step(const Config& c, int i, int pc) {
    Footprint f{0, gup_pc_bit(i)};
    switch (pc) {
      case kGupIdle:
        f.reads |= bit(kLocPte0);
        break;
      case kGupRecheckPte:
        f.reads |= bit(kLocPte0);
        Por::rmw(f, bit(kLocRefcount));
        f.writes |= gup_lock_bit(i);
        break;
      case kGupCheckWb:
        f.reads |= bit(kLocFlags);
        Por::rmw(f, bit(kLocRefcount));
        break;
      case kGupG0:
        f.reads |= bit(kLocFlags) | bit(c.pin_loc());
        Por::rmw(f, bit(kLocRefcount));
        f.writes |= gup_seen_bit(i);
        break;
      case kGupWaitWb:
        f.reads |= bit(kLocFlags);
        break;
      case kGupLockPage:
        write_word(c, f, kLocFlags);
        f.writes |= gup_lock_bit(i);
        break;
      case kGupUnlockPage:
        write_word(c, f, kLocFlags);
        f.writes |= gup_hold_bit(i);
        break;
      case kGupIncMapcount:
        Por::rmw(f, bit(kLocMapcount));
        if (c.a0()) pins_fp(f);
        f.writes |= gup_hold_bit(i);
        break;
      case kGupSetPin:
        write_word(c, f, c.pin_loc());
        pins_fp(f);
        if (c.a2()) f.reads |= kRWbIo;
        f.writes |= gup_hold_bit(i) | kRPinBit;
        break;
      case kGupG6:
        f.reads |= bit(kLocFlags) | kRWbIo;
        f.writes |= gup_hold_bit(i);
        break;
      case kGupG6Undo:
        Por::rmw(f, bit(kLocMapcount) | bit(kLocRefcount));
        pins_fp(f);
        f.writes |= gup_seen_bit(i);
        break;
      case kGupHold:
        Por::rmw(f, bit(kLocMapcount) | bit(kLocRefcount));
        pins_fp(f);
        f.writes |= gup_hold_bit(i);
        break;
      default:
        return {};
    }
    return f;
  }
  // WB program graph (enum order is not program order: A0/A3 walk first).
  static std::uint32_t wb_succ(const Config& c, int pc) {
    auto b = [](int k) { return 1u << k; };
    switch (pc) {
      case kWbIdle:
        if (c.a2()) return b(kWbTestClearPin);
        if (c.a1() || c.proposal == kA3LockPageMapcountFirst) return b(kWbReadMapcount);
        return b(kWbWalk);
      case kWbTestClearPin:
        return b(kWbReadMapcount);
      case kWbReadMapcount:
        return c.a0() || c.proposal == kA3LockPage ? b(kWbUpdatePin) : b(kWbWalk);
      case kWbWalk:
        if (c.a0() || c.proposal == kA3LockPage) return b(kWbReadMapcount);
        return c.a1() ? b(kWbTestPin) : b(kWbUpdatePin);
      case kWbTestPin:
        return b(kWbSetWriteback) | b(kWbUpdatePin) | b(kWbReadMapcount2);
      case kWbReadMapcount2:
        return b(kWbSetWriteback) | b(kWbRewalk);
      case kWbRewalk:
        return b(kWbSetWriteback) | b(kWbUpdatePin);
      case kWbUpdatePin:
        return b(kWbSetWriteback);
      case kWbSetWriteback:
        return b(kWbBounceCheck);
      case kWbBounceCheck:
        return b(kWbUnlock);
      case kWbUnlock:
        return b(kWbEndWriteback);
      case kWbEndWriteback:
        return b(kWbDone);
      default:
        return 0;
    }
  }
  // One WB step at `pc` on PTE `idx` (-1: every PTE).
  static Footprint wb_step(const Config& c, int pc, int idx) {
    Footprint f{0, kRWbPc};
    std::uint64_t ptes = 0;
    std::uint64_t ptls = 0;
    for (int k = 0; k < c.mappings; ++k) {
      if (idx < 0 || idx == k) {
        ptes |= bit(kLocPte0 + k);
        ptls |= bit(kLocPtl0 + k);
      }
    }
    switch (pc) {
      case kWbIdle:
        write_word(c, f, kLocFlags);
        f.writes |= kRWbWindow | kRWbLock;
        break;
      case kWbTestClearPin:
        write_word(c, f, c.pin_loc());
        f.writes |= kRPinBit;
        break;
      case kWbReadMapcount:
        f.reads |= bit(kLocMapcount);
        break;
      case kWbWalk:
        Por::rmw(f, ptes | ptls);
        break;
      case kWbTestPin:
        f.reads |= bit(c.pin_loc()) | kRPins;
        f.writes |= kRWbWindow | kRWbDecided;
        break;
      case kWbReadMapcount2:
        f.reads |= bit(kLocMapcount) | kRPins;
        f.writes |= kRWbWindow | kRWbDecided;
        break;
      case kWbRewalk:
        f.reads |= ptes | kRPins;
        Por::rmw(f, ptls);
        f.writes |= kRWbWindow | kRWbDecided;
        break;
      case kWbUpdatePin:
        write_word(c, f, c.pin_loc());
        f.reads |= kRPins;
        f.writes |= kRWbWindow | kRWbDecided | kRPinBit;
        break;
      case kWbSetWriteback:
      case kWbEndWriteback:
        write_word(c, f, kLocFlags);
        f.writes |= kRWbIo;
        break;
      case kWbBounceCheck:
        f.reads |= bit(c.pin_loc());
        f.writes |= kRBounce;
        break;
      case kWbUnlock:
        write_word(c, f, kLocFlags);
        f.writes |= kRWbDecided | kRWbLock;
        break;
      default:
        return {};
    }
    return f;
  }
  // One zap step at `pc` on the mappings `maps` (bit k: mapping k).
  static Footprint zap_step(int pc, std::uint32_t maps) {
    Footprint f{0, kRZapPc};
    for (int k = 0; k < kMaxMappings; ++k) {
      if (!(maps & (1u << k))) continue;
      if (pc == kZapIdle || pc == kZapUnlock) Por::rmw(f, bit(kLocPtl0 + k));
      if (pc == kZapClear) Por::rmw(f, bit(kLocPte0 + k));
    }
    if (pc == kZapDecMapcount) {
      Por::rmw(f, bit(kLocMapcount));
      f.reads |= kRWbWindow;
      f.writes |= kRZapSeen;
    }
    return f;
  }
  static Footprint obs_step(const Config& c, int pc) {
    Footprint f{0, kRObsPc};
    switch (pc) {
      case kObsIdle:
        if (c.observer == kObserverLocked) {
          write_word(c, f, kLocFlags);
          break;
        }
        [[fallthrough]];
      case kObsReadLocked:
        f.reads |= bit(c.pin_loc()) | kRPins | kRReign;
        f.writes |= kRObsRead;
        break;
      case kObsUnlock:
        write_word(c, f, kLocFlags);
        break;
      default:
        return {};
    }
    return f;
  }
  // Steps of actor `a` in `s` (future: from `s` on).
  static Footprint por_steps(const Config& c, const State& s, int a, bool future) {
    Footprint f;
    if (a < c.gup_cpus) {
      if (gup_done(c, s, a)) return {};
      const int pc = s.gup_pc[a];
      if (!future) return gup_step(c, a, pc);
      // Another attempt may follow this one: everything from idle.
      const bool more = s.gup_attempts[a] + 1 < c.pins;
      const std::uint32_t pcs =
          reach(more ? int{kGupIdle} : pc, [&c](int k) { return gup_succ(c, k); }) |
          reach(pc, [&c](int k) { return gup_succ(c, k); });
      for (int k = 0; k < kGupCount; ++k) {
        if (pcs & (1u << k)) f |= gup_step(c, a, k);
      }
      return f;
    }
    if (a == c.wb_cpu()) {
      if (!future) return wb_step(c, s.wb_pc, s.wb_idx);
      const std::uint32_t pcs = reach(s.wb_pc, [&c](int k) { return wb_succ(c, k); });
      for (int k = 0; k < kWbCount; ++k) {
        if (pcs & (1u << k)) f |= wb_step(c, k, -1);
      }
      return f;
    }
    if (a == c.zap_cpu()) {
      if (zap_done(c, s)) return {};
      const std::uint32_t unzapped = all_mappings(c) & ~std::uint32_t{s.zapped};
      if (s.zap_pc == kZapIdle) {
        if (!future) return zap_step(kZapIdle, unzapped);
        for (int k = 0; k < kZapCount; ++k) f |= zap_step(k, unzapped);
        return f;
      }
      const std::uint32_t mine = 1u << s.zap_pte;
      if (!future) return zap_step(s.zap_pc, mine);
      for (int k = s.zap_pc; k < kZapCount; ++k) f |= zap_step(k, mine);
      if (s.zaps_done + 1 < c.zaps && unzapped != 0) {
        for (int k = 0; k < kZapCount; ++k) f |= zap_step(k, unzapped);
      }
      return f;
    }
    if (a == c.obs_cpu()) {
      if (obs_done(c, s)) return {};
      if (!future) return obs_step(c, s.obs_pc);
      for (int k = s.obs_pc; k < kObsDone; ++k) {
        if (c.observer == kObserverUnlocked && k != kObsIdle) break;
        f |= obs_step(c, k);
      }
      return f;
    }
    return {};
  }
  static Footprint por_next(const Config& c, const State& s, int a) {
    return Por::cpu(por_steps(c, s, a, false), s.mem, a);
  }
  static Footprint por_future(const Config& c, const State& s, int a) {
    return Por::cpu(por_steps(c, s, a, true), s.mem, a);
  }
  // What each property reads.
  static std::uint64_t por_visible(const Config& c, int property) {
    const std::string_view n = properties()[static_cast<std::size_t>(property)].name;
    if (n == "pin_visible_at_wb_decision") return kRWbDecided | kRPins | kRPinBit;
    if (n == "wb_handshake_no_double_miss" || n == "pin_established_during_io_is_bounced" ||
        n == "a2_handshake_pin_held_during_io") {
      return kRWbIo | kRBounce | all_gups(c, gup_hold_bit);
    }
    if (n == "pin_visible_to_locked_observer" || n == "pin_visible_to_any_observer" ||
        n == "observer_reads_pinned_page") {
      return kRObsRead;
    }
    if (n == "pin_held_at_wb_decision" || n == "a1_rewalk_taken" || n == "a2_wb_restores_pin") {
      return kRWbDecided;
    }
    if (n == "writeback_completes") return kRWbIo;
    if (n == "zap_during_wb_walk") return kRZapSeen;
    if (n == "a2_gup_backs_off_at_g6" || n == "a2_gup_waits_at_g0")
      return all_gups(c, gup_seen_bit);
    if (n == "a3_gup_waits_for_page_lock") return kRWbLock | all_gups(c, gup_lock_bit);
    return ~std::uint64_t{0};  // a property added without its reads: every step visible
  }

  static std::vector<std::string> actors(const Config& c) {
    std::vector<std::string> names;
    for (int i = 0; i < c.gup_cpus; ++i) names.push_back(absl::StrCat("gup CPU", i));
    names.push_back(absl::StrCat("wb CPU", c.wb_cpu()));
    names.push_back(absl::StrCat("zap CPU", c.zap_cpu()));
    names.push_back(absl::StrCat("obs CPU", c.obs_cpu()));
    return names;
  }

  static void describe(const Config& c, const State& s, FieldPrinter& p) {
    if (c.split_flags) {
      p.text("page.flags", flags_text(newest(s, kLocFlags)));
      p.text("page.pin(split)", flags_text(newest(s, kLocPin)));
    } else {
      p.text("page.flags", flags_text(newest(s, kLocFlags)));
    }
    p.num("page.mapcount", newest(s, kLocMapcount));
    p.num("page.refcount", newest(s, kLocRefcount));
    int ptl = 0;
    for (int i = 0; i < c.mappings; ++i) {
      p.choice(absl::StrCat("pte[", i, "]"), newest(s, kLocPte0 + i), kPteNames);
      if (newest(s, kLocPtl0 + i) != 0) ptl |= 1 << i;
    }
    p.num("ptl", ptl);
    if constexpr (Machine::kBuffered) {
      const std::vector<std::string> cols = actors(c);
      const std::span<const std::string> locs(kLocNames);
      for (int cpu = 0; cpu < memory_cpus(c); ++cpu) {
        p.text(absl::StrCat("mem.", cols[cpu]), Machine::describe_cpu(s.mem, cpu, locs));
      }
    }
    p.num("g_pins", s.g_pins);
    p.choice("wb.pc", s.wb_pc, kWbPcNames);
    p.num("wb.idx", s.wb_idx);
    p.num("wb.real", s.wb_real);
    p.num("wb.m", s.wb_m);
    if (c.a1()) {
      p.num("wb.m2", s.wb_m2);
      p.num("wb.rc2", s.wb_rc2);
    }
    if (c.a2()) p.flag("wb.pinned", s.wb_pinned);
    p.choice("g_bounce", s.g_bounce, kBounceNames);
    if (c.zaps > 0) {
      p.choice("zap.pc", s.zap_pc, kZapPcNames);
      p.num("zap.pte", s.zap_pte);
      p.num("zap.done", s.zaps_done);
    }
    if (c.observer != kObserverNone) {
      p.choice("obs.pc", s.obs_pc, kObsPcNames);
      p.num("g_obs_missed", s.g_obs);
    }
    p.num("g_seen", s.g_seen);
    for (int i = 0; i < c.gup_cpus; ++i) {
      const std::string g = absl::StrCat("gup[", i, "].");
      p.choice(g + "pc", s.gup_pc[i], kGupPcNames);
      p.num(g + "attempts", s.gup_attempts[i]);
      if (c.a2()) p.num(g + "ghost", s.gup_ghost[i]);
    }
  }

  // GUP CPUs used their attempts, writeback completed, munmap zapped what it
  // could, the observer finished.
  static bool is_final(const Config& c, const State& s) {
    for (int i = 0; i < c.gup_cpus; ++i) {
      if (s.gup_pc[i] != kGupIdle || s.gup_attempts[i] != c.pins) return false;
    }
    return s.wb_pc == kWbDone && zap_done(c, s) && obs_done(c, s);
  }
};

static_assert(SpecType<Spec<memory::Model::sc>>);
static_assert(SpecType<Spec<memory::Model::lkmm>>);
static_assert(PorSpec<Spec<memory::Model::tso>>);
static_assert(HasApplicability<Spec<memory::Model::sc>>);

}  // namespace
}  // namespace mmcheck::mm::pin_mkclean

namespace mmcheck {
void register_pin_mkclean(Registry& r) { r.add(make_model_spec_entry<mm::pin_mkclean::Spec>()); }
}  // namespace mmcheck

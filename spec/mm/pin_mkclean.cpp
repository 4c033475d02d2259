// File: spec/mm/pin_mkclean.cpp
//
// The action table, proposals and registration of pin_mkclean; the kernel
// references, the races and the abstractions are in pin_mkclean.hpp.
#include "spec/mm/pin_mkclean.hpp"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "mmcheck/spec.hpp"
#include "mmcheck/text.hpp"
#include "properties/mm/pin_mkclean.hpp"
#include "registry/adapter.hpp"

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

std::string flags_text(std::uint8_t f) {
  std::string out;
  if (f & kPin) out += "PIN ";
  if (f & kLocked) out += "LOCKED ";
  if (f & kWriteback) out += "WRITEBACK ";
  if (out.empty()) return "0";
  out.pop_back();
  return out;
}

struct Spec {
  using State = pin_mkclean::State;
  using Config = pin_mkclean::Config;
  using Family = ActionFamily<State, Config>;
  using Prop = Property<State, Config>;

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
             run.params[5]};
    if (c.zaps > c.mappings) throw UsageError("zaps must not exceed mappings");
    return c;
  }
  static State initial(const Config& c) {
    State s{};
    s.mapcount = static_cast<std::uint8_t>(c.mappings);
    for (int i = 0; i < c.mappings; ++i) s.pte[i] = kPteRw;  // dirty, writable
    return s;
  }

  // Actor columns: gup CPU0..n-1, wb, zap, obs.
  static int gup_actor(const Config&, int cpu) { return cpu; }
  static int wb_actor(const Config& c, int) { return c.gup_cpus; }
  static int zap_actor(const Config& c, int) { return c.gup_cpus + 1; }
  static int obs_actor(const Config& c, int) { return c.gup_cpus + 2; }

  static int gup_count(const Config& c) { return c.gup_cpus; }
  static int gup_a1_count(const Config& c) { return c.a1() ? c.gup_cpus : 0; }
  static int gup_a2_count(const Config& c) { return c.a2() ? c.gup_cpus : 0; }
  static int gup_a3_count(const Config& c) { return c.a3() ? c.gup_cpus : 0; }
  static int gup_wait_count(const Config& c) { return c.a1() || c.a2() ? c.gup_cpus : 0; }
  static int gup_set_pin_count(const Config& c) { return c.a0() ? 0 : c.gup_cpus; }
  static int a1_count(const Config& c) { return c.a1() ? 1 : 0; }
  static int a2_count(const Config& c) { return c.a2() ? 1 : 0; }
  static int mappings_count(const Config& c) { return c.mappings; }
  static int zap_count(const Config& c) { return c.zaps > 0 ? 1 : 0; }
  static int zap_lock_count(const Config& c) { return c.zaps > 0 ? c.mappings : 0; }
  static int obs_unlocked_count(const Config& c) { return c.observer == kObserverUnlocked; }
  static int obs_locked_count(const Config& c) { return c.observer == kObserverLocked; }

  static bool present(std::uint8_t pte) { return pte == kPteRo || pte == kPteRw; }

  // The attempt ends: gup-fast failed (slow path not modelled) or the pin
  // was released.
  static void gup_end(State& s, int i) {
    s.gup_pc[i] = kGupIdle;
    s.gup_ghost[i] = 0;
    ++s.gup_attempts[i];
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

  static std::span<const Family> actions() {
    static constexpr Family kFamilies[] = {
        // ---- GUP (gup-fast, no locks) -----------------------------------
        // gup_pte_range(): pte = ptep_get_lockless(ptep); needs present and
        // pte_access_permitted(pte, FOLL_WRITE); then page_cache_get_speculative
        // (refcount: not modelled). Otherwise the slow path (not modelled).
        {"gup.read_pte", "cpu", gup_count,
         [](const Config& c, const State& s, int i) {
           return s.gup_pc[i] == kGupIdle && s.gup_attempts[i] < c.pins;
         },
         [](const Config&, State& s, int i) {
           if (s.pte[0] == kPteRw) {
             s.gup_pc[i] = kGupRecheckPte;
           } else {
             gup_end(s, i);
           }
         },
         gup_actor},
        // gup_pte_range(): if (pte_val(pte) != pte_val(*ptep)) put_page, fail
        {"gup.recheck_pte", "cpu", gup_count,
         [](const Config&, const State& s, int i) { return s.gup_pc[i] == kGupRecheckPte; },
         [](const Config& c, State& s, int i) {
           if (s.pte[0] != kPteRw) {
             gup_end(s, i);
             return;
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
         },
         gup_actor},
        // A1: "back off / refault if it sees WRITEBACK": R page->flags
        {"gup.check_writeback", "cpu", gup_a1_count,
         [](const Config&, const State& s, int i) { return s.gup_pc[i] == kGupCheckWb; },
         [](const Config&, State& s, int i) {
           s.gup_pc[i] = (s.flags & kWriteback) ? kGupWaitWb : kGupIncMapcount;
         },
         gup_actor},
        // A2 G0: wb := PageWriteback, pin := PagePin (one read of page->flags);
        // wb && !pin -> wait for writeback, retry. Then G1 smp_rmb (no-op in sc).
        {"gup.read_flags", "cpu", gup_a2_count,
         [](const Config&, const State& s, int i) { return s.gup_pc[i] == kGupG0; },
         [](const Config&, State& s, int i) {
           const bool wb = s.flags & kWriteback;
           const bool pin = s.flags & kPin;
           s.gup_ghost[i] = static_cast<std::uint8_t>((wb ? kG0SawWb : 0) | (pin ? kG0SawPin : 0));
           if (wb && !pin) {
             s.g_seen |= kSeenG0Wait;
             s.gup_pc[i] = kGupWaitWb;
           } else {
             s.gup_pc[i] = kGupIncMapcount;
           }
         },
         gup_actor},
        // A1/A2: wait_on_page_writeback(); retry from the lookup (refault)
        {"gup.wait_writeback", "cpu", gup_wait_count,
         [](const Config&, const State& s, int i) {
           return s.gup_pc[i] == kGupWaitWb && !(s.flags & kWriteback);
         },
         [](const Config&, State& s, int i) {
           s.gup_pc[i] = kGupIdle;  // retry: the attempt is not used up
           s.gup_ghost[i] = 0;
         },
         gup_actor},
        // A3: lock_page(page) in the post-pass after IRQs are re-enabled
        // (trylock_page / test_and_set_bit_lock(PG_locked) on page->flags)
        {"gup.lock_page", "cpu", gup_a3_count,
         [](const Config&, const State& s, int i) {
           return s.gup_pc[i] == kGupLockPage && !(s.flags & kLocked);
         },
         [](const Config&, State& s, int i) {
           s.flags |= kLocked;
           s.gup_pc[i] = kGupIncMapcount;
         },
         gup_actor},
        // atomic_inc(&page->_mapcount) (A2: G2), then G3 smp_wmb (no-op in sc)
        {"gup.inc_mapcount", "cpu", gup_count,
         [](const Config&, const State& s, int i) { return s.gup_pc[i] == kGupIncMapcount; },
         [](const Config& c, State& s, int i) {
           ++s.mapcount;
           if (c.a0()) {  // A0: the pin is returned to the caller
             ++s.g_pins;
             s.gup_pc[i] = kGupHold;
           } else {
             s.gup_pc[i] = kGupSetPin;
           }
         },
         gup_actor},
        // SetPagePin(page) = set_bit(PG_pin, &page->flags) (A2: G4), then G5
        // smp_wmb (no-op in sc). The pin counts from here (A2: until G6 undoes it).
        {"gup.set_pin", "cpu", gup_set_pin_count,
         [](const Config&, const State& s, int i) { return s.gup_pc[i] == kGupSetPin; },
         [](const Config& c, State& s, int i) {
           s.flags |= kPin;
           ++s.g_pins;
           if (c.a3()) {
             s.gup_pc[i] = kGupUnlockPage;
           } else if (c.a2()) {
             if (s.flags & kWriteback) s.gup_ghost[i] |= kG4DuringWb;
             const bool g6 = !(s.gup_ghost[i] & (kG0SawWb | kG0SawPin));
             s.gup_pc[i] = g6 ? kGupG6 : kGupHold;
           } else {
             s.gup_pc[i] = kGupHold;
           }
         },
         gup_actor},
        // A2 G6: if (!wb && !pin && PageWriteback(page)): back off
        {"gup.recheck_writeback", "cpu", gup_a2_count,
         [](const Config&, const State& s, int i) { return s.gup_pc[i] == kGupG6; },
         [](const Config&, State& s, int i) {
           if (s.flags & kWriteback) {
             s.gup_pc[i] = kGupG6Undo;
           } else {
             if (s.wb_pc <= kWbSetWriteback) s.gup_ghost[i] |= kG6MissedWb;  // before T1
             s.gup_pc[i] = kGupHold;
           }
         },
         gup_actor},
        // A2 G6: atomic_dec(&page->_mapcount); the pin is withdrawn; PIN stays
        {"gup.undo_mapcount", "cpu", gup_a2_count,
         [](const Config&, const State& s, int i) { return s.gup_pc[i] == kGupG6Undo; },
         [](const Config&, State& s, int i) {
           --s.mapcount;
           --s.g_pins;
           s.g_seen |= kSeenG6Backoff;
           s.gup_pc[i] = kGupWaitWb;
         },
         gup_actor},
        // A3: unlock_page(page) (clear_bit_unlock(PG_locked)); pin returned
        {"gup.unlock_page", "cpu", gup_a3_count,
         [](const Config&, const State& s, int i) { return s.gup_pc[i] == kGupUnlockPage; },
         [](const Config&, State& s, int i) {
           s.flags &= static_cast<std::uint8_t>(~kLocked);
           s.gup_pc[i] = kGupHold;
         },
         gup_actor},
        // ---- PUP: put_user_page(), no locks ---------------------------
        // P1 atomic_dec(&page->_mapcount); P2 put_page (refcount: not modelled)
        {"pup.dec_mapcount", "cpu", gup_count,
         [](const Config&, const State& s, int i) { return s.gup_pc[i] == kGupHold; },
         [](const Config&, State& s, int i) {
           --s.mapcount;
           --s.g_pins;
           gup_end(s, i);
         },
         gup_actor},
        // ---- WB: write_cache_pages -> clear_page_dirty_for_io -> page_mkclean
        // lock_page(page)
        {"wb.lock_page", "", one<Config>,
         [](const Config&, const State& s, int) {
           return s.wb_pc == kWbIdle && !(s.flags & kLocked);
         },
         [](const Config& c, State& s, int) {
           s.flags |= kLocked;
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
         },
         wb_actor},
        // A2 C1: pinned := TestClearPagePin(page) (test_and_clear_bit: full);
        // C2 smp_mb (no-op in sc)
        {"wb.test_and_clear_pin", "", a2_count,
         [](const Config&, const State& s, int) { return s.wb_pc == kWbTestClearPin; },
         [](const Config&, State& s, int) {
           s.wb_pinned = (s.flags & kPin) ? 1 : 0;
           s.flags &= static_cast<std::uint8_t>(~kPin);
           s.wb_pc = kWbReadMapcount;
         },
         wb_actor},
        // atomic_read(&page->_mapcount): A0 step 2 / A3 after the walk; A1 m1,
        // A2 C3 (mp), A3' before the walk
        {"wb.read_mapcount", "", one<Config>,
         [](const Config&, const State& s, int) { return s.wb_pc == kWbReadMapcount; },
         [](const Config& c, State& s, int) {
           s.wb_m = s.mapcount;
           if (c.a0() || c.proposal == kA3LockPage) {
             s.wb_pc = kWbUpdatePin;
           } else {
             s.wb_idx = 0;
             s.wb_real = 0;
             s.wb_pc = kWbWalk;
           }
         },
         wb_actor},
        // page_mkclean_one() for pte[wb_idx]: lock ptl; if present:
        // write-protect + clean, count it; unlock ptl (A2: C4)
        {"wb.walk_pte", "", one<Config>,
         [](const Config&, const State& s, int) {
           return s.wb_pc == kWbWalk && !(s.ptl & (1u << s.wb_idx));
         },
         [](const Config& c, State& s, int) {
           if (present(s.pte[s.wb_idx])) {
             s.pte[s.wb_idx] = kPteRo;
             ++s.wb_real;
           }
           if (++s.wb_idx == c.mappings) wb_walk_done(c, s);
         },
         wb_actor},
        // A1 step 3: if PagePin(page): m1 == real -> ClearPin, else recheck
        {"wb.test_pin", "", a1_count,
         [](const Config&, const State& s, int) { return s.wb_pc == kWbTestPin; },
         [](const Config&, State& s, int) {
           if (!(s.flags & kPin)) {
             wb_decided(s);
           } else {
             s.wb_pc = s.wb_m == s.wb_real ? kWbUpdatePin : kWbReadMapcount2;
           }
         },
         wb_actor},
        // A1: m2 := atomic_read(&page->_mapcount); m2 > real -> keep PIN
        {"wb.read_mapcount_again", "", a1_count,
         [](const Config&, const State& s, int) { return s.wb_pc == kWbReadMapcount2; },
         [](const Config&, State& s, int) {
           s.wb_m2 = s.mapcount;
           if (s.wb_m2 > s.wb_real) {
             wb_decided(s);
           } else {
             s.g_seen |= kSeenRewalk;
             s.wb_idx = 0;
             s.wb_rc2 = 0;
             s.wb_pc = kWbRewalk;
           }
         },
         wb_actor},
        // A1: rewalk pte[wb_idx] under its ptl, counting special zapped entries;
        // at the end m2 <= real + rc2 -> ClearPin
        {"wb.rewalk_pte", "", a1_count,
         [](const Config&, const State& s, int) {
           return s.wb_pc == kWbRewalk && !(s.ptl & (1u << s.wb_idx));
         },
         [](const Config& c, State& s, int) {
           if (s.pte[s.wb_idx] == kPteZapped) ++s.wb_rc2;
           if (++s.wb_idx == c.mappings) {
             if (s.wb_m2 <= s.wb_real + s.wb_rc2) {
               s.wb_pc = kWbUpdatePin;
             } else {
               wb_decided(s);
             }
           }
         },
         wb_actor},
        // The PIN decision, one RMW on page->flags (if any):
        // A0 m - real > 0 ? SetPagePin : ClearPagePin; A1 ClearPagePin;
        // A2 C5 pinned && m < mp -> SetPagePin; A3 real == m -> ClearPagePin
        {"wb.update_pin", "", one<Config>,
         [](const Config&, const State& s, int) { return s.wb_pc == kWbUpdatePin; },
         [](const Config& c, State& s, int) {
           const std::uint8_t clear = static_cast<std::uint8_t>(~kPin);
           switch (c.proposal) {
             case kA0MapcountMinusReal:
               if (s.wb_m > s.wb_real) {
                 s.flags |= kPin;
               } else {
                 s.flags &= clear;
               }
               break;
             case kA1SnapshotRecheck:
               s.flags &= clear;
               break;
             case kA2PagepinTestclear:
               if (s.wb_pinned && s.wb_real < s.wb_m) {
                 s.flags |= kPin;
                 s.g_seen |= kSeenRestorePin;
               }
               break;
             case kA3LockPage:
             case kA3LockPageMapcountFirst:
               if (s.wb_real == s.wb_m) s.flags &= clear;
               break;
           }
           wb_decided(s);
         },
         wb_actor},
        // set_page_writeback(): T1 TestSetPageWriteback (full); T2 smp_wmb
        {"wb.set_writeback", "", one<Config>,
         [](const Config&, const State& s, int) { return s.wb_pc == kWbSetWriteback; },
         [](const Config&, State& s, int) {
           s.flags |= kWriteback;
           s.wb_pc = kWbBounceCheck;
         },
         wb_actor},
        // T3: g_bounce := PagePin(page) (writeback's bounce decision)
        {"wb.bounce_check", "", one<Config>,
         [](const Config&, const State& s, int) { return s.wb_pc == kWbBounceCheck; },
         [](const Config&, State& s, int) {
           s.g_bounce = (s.flags & kPin) ? 2 : 1;
           s.wb_pc = kWbUnlock;
         },
         wb_actor},
        // unlock_page(page) at the end of ->writepage
        {"wb.unlock_page", "", one<Config>,
         [](const Config&, const State& s, int) { return s.wb_pc == kWbUnlock; },
         [](const Config&, State& s, int) {
           s.flags &= static_cast<std::uint8_t>(~kLocked);
           s.wb_pc = kWbEndWriteback;
         },
         wb_actor},
        // I/O completion: end_page_writeback() clears PG_writeback
        {"wb.end_writeback", "", one<Config>,
         [](const Config&, const State& s, int) { return s.wb_pc == kWbEndWriteback; },
         [](const Config&, State& s, int) {
           s.flags &= static_cast<std::uint8_t>(~kWriteback);
           s.wb_pc = kWbDone;
         },
         wb_actor},
        // ---- ZAP: munmap -> zap_pte_range (no page lock) ----------------
        // spin_lock(ptl) of a PTE that maps the page
        {"zap.lock_ptl", "pte", zap_lock_count,
         [](const Config& c, const State& s, int i) {
           return s.zap_pc == kZapIdle && s.zaps_done < c.zaps && present(s.pte[i]);
         },
         [](const Config&, State& s, int i) {
           s.ptl |= static_cast<std::uint8_t>(1u << i);
           s.zap_pte = static_cast<std::uint8_t>(i);
           s.zap_pc = kZapClear;
         },
         zap_actor},
        // ptep_get_and_clear_full(); A1 leaves a special "zapped" entry
        {"zap.clear_pte", "", zap_count,
         [](const Config&, const State& s, int) { return s.zap_pc == kZapClear; },
         [](const Config& c, State& s, int) {
           s.pte[s.zap_pte] = c.a1() ? kPteZapped : kPteNone;
           s.zap_pc = kZapDecMapcount;
         },
         zap_actor},
        // page_remove_rmap(): atomic_add_negative(-1, &page->_mapcount)
        {"zap.remove_rmap", "", zap_count,
         [](const Config&, const State& s, int) { return s.zap_pc == kZapDecMapcount; },
         [](const Config&, State& s, int) {
           --s.mapcount;
           if (wb_holds_lock(s) && s.wb_pc < kWbSetWriteback) s.g_seen |= kSeenZapInWalk;
           s.zap_pc = kZapUnlock;
         },
         zap_actor},
        // pte_unmap_unlock()
        {"zap.unlock_ptl", "", zap_count,
         [](const Config&, const State& s, int) { return s.zap_pc == kZapUnlock; },
         [](const Config&, State& s, int) {
           s.ptl &= static_cast<std::uint8_t>(~(1u << s.zap_pte));
           ++s.zaps_done;
           s.zap_pc = kZapIdle;
         },
         zap_actor},
        // ---- OBS: another reader of PagePin (reclaim, migration, ...) ----
        // PagePin(page) without the page lock
        {"obs.read_pin", "", obs_unlocked_count,
         [](const Config&, const State& s, int) { return s.obs_pc == kObsIdle; },
         [](const Config&, State& s, int) {
           if (s.g_pins > 0) {
             s.g_seen |= kSeenObsPinned;
             if (!(s.flags & kPin)) s.g_obs |= kObsMissUnlocked;
           }
           s.obs_pc = kObsDone;
         },
         obs_actor},
        // lock_page(page)
        {"obs.lock_page", "", obs_locked_count,
         [](const Config&, const State& s, int) {
           return s.obs_pc == kObsIdle && !(s.flags & kLocked);
         },
         [](const Config&, State& s, int) {
           s.flags |= kLocked;
           s.obs_pc = kObsReadLocked;
         },
         obs_actor},
        // PagePin(page) under the page lock
        {"obs.read_pin_locked", "", obs_locked_count,
         [](const Config&, const State& s, int) { return s.obs_pc == kObsReadLocked; },
         [](const Config&, State& s, int) {
           if (s.g_pins > 0) {
             s.g_seen |= kSeenObsPinned;
             if (!(s.flags & kPin)) s.g_obs |= kObsMissLocked;
           }
           s.obs_pc = kObsUnlock;
         },
         obs_actor},
        // unlock_page(page)
        {"obs.unlock_page", "", obs_locked_count,
         [](const Config&, const State& s, int) { return s.obs_pc == kObsUnlock; },
         [](const Config&, State& s, int) {
           s.flags &= static_cast<std::uint8_t>(~kLocked);
           s.obs_pc = kObsDone;
         },
         obs_actor},
    };
    return kFamilies;
  }

  static std::span<const Prop> properties() {
    static constexpr Prop kProps[] = {
        {PropertyKind::always, "pin_visible_at_wb_decision",
         "A-I1: from WB's PIN decision until unlock_page, g_pins > 0 => PIN",
         pin_visible_at_wb_decision},
        {PropertyKind::always, "wb_handshake_no_double_miss",
         "A-I3: no held pin whose G6 missed WRITEBACK while T3 missed PIN (litmus L2)",
         wb_handshake_no_double_miss},
        {PropertyKind::always, "pin_established_during_io_is_bounced",
         "INV-WB-PIN for A2 [analysis]: no pin set at G4 during an I/O whose T3 read PIN = 0",
         pin_established_during_io_is_bounced},
        {PropertyKind::always, "pin_visible_to_locked_observer",
         "A-I2 (thread outcome): an observer holding the page lock never reads PIN = 0 while "
         "g_pins > 0",
         pin_visible_to_locked_observer},
        {PropertyKind::always, "pin_visible_to_any_observer",
         "A-I2 (John's objection): an observer without the page lock never reads PIN = 0 while "
         "g_pins > 0",
         pin_visible_to_any_observer},
        {PropertyKind::reachable, "pin_held_at_wb_decision",
         "WB makes its PIN decision while a pin is held", pin_held_at_wb_decision},
        {PropertyKind::reachable, "zap_during_wb_walk",
         "munmap decrements mapcount between WB's lock_page and its decision (zaps > 0)",
         zap_during_wb_walk},
        {PropertyKind::reachable, "observer_reads_pinned_page",
         "the observer reads PIN while a pin is held (observer > 0)", observer_reads_pinned_page},
        {PropertyKind::reachable, "writeback_completes", "WB reaches end_page_writeback",
         writeback_completes},
        {PropertyKind::reachable, "a1_rewalk_taken", "A1 takes the special-PTE rewalk branch",
         a1_rewalk_taken},
        {PropertyKind::reachable, "a2_wb_restores_pin", "A2 C5 sets PIN again", a2_wb_restores_pin},
        {PropertyKind::reachable, "a2_gup_backs_off_at_g6",
         "A2 G6 sees WRITEBACK and withdraws the pin", a2_gup_backs_off_at_g6},
        {PropertyKind::reachable, "a2_gup_waits_at_g0", "A2 G0 sees WRITEBACK && !PIN and waits",
         a2_gup_waits_at_g0},
        {PropertyKind::reachable, "a2_handshake_pin_held_during_io",
         "A-I3's premise: a pin whose G6 passed before T1 is held during the I/O",
         a2_handshake_pin_held_during_io},
        {PropertyKind::reachable, "a3_gup_waits_for_page_lock",
         "A3 GUP's post-pass waits for the page lock WB holds", a3_gup_waits_for_page_lock},
    };
    return kProps;
  }

  static std::vector<std::string> actors(const Config& c) {
    std::vector<std::string> names;
    for (int i = 0; i < c.gup_cpus; ++i) names.push_back(absl::StrCat("gup CPU", i));
    names.push_back(absl::StrCat("wb CPU", c.gup_cpus));
    names.push_back(absl::StrCat("zap CPU", c.gup_cpus + 1));
    names.push_back(absl::StrCat("obs CPU", c.gup_cpus + 2));
    return names;
  }

  static void describe(const Config& c, const State& s, FieldPrinter& p) {
    p.text("page.flags", flags_text(s.flags));
    p.num("page.mapcount", s.mapcount);
    for (int i = 0; i < c.mappings; ++i) {
      p.choice(absl::StrCat("pte[", i, "]"), s.pte[i], kPteNames);
    }
    p.num("ptl(zap)", s.ptl);
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
    if (s.wb_pc != kWbDone) return false;
    if (s.zap_pc != kZapIdle) return false;
    if (s.zaps_done < c.zaps) {
      for (int i = 0; i < c.mappings; ++i) {
        if (present(s.pte[i])) return false;
      }
    }
    return c.observer == kObserverNone || s.obs_pc == kObsDone;
  }
};

static_assert(SpecType<Spec>);

}  // namespace
}  // namespace mmcheck::mm::pin_mkclean

namespace mmcheck {
void register_pin_mkclean(Registry& r) { r.add(make_spec_entry<mm::pin_mkclean::Spec>()); }
}  // namespace mmcheck

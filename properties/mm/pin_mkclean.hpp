// File: properties/mm/pin_mkclean.hpp
//
// What pin_mkclean claims (protocols.md §A.4), apart from how the proposals
// are modelled (spec/mm/pin_mkclean.hpp). The expected verdict per proposal is
// the table properties/mm/pin_mkclean.expect.
#pragma once

#include "spec/mm/pin_mkclean.hpp"

namespace mmcheck::mm::pin_mkclean {

inline bool gup_holds(const State& s, int i) { return s.gup_pc[i] == kGupHold; }

// A-I1 (no false negative at the decision point): from the end of WB's PIN
// decision until it unlocks the page, g_pins > 0 => PIN.
inline bool pin_visible_at_wb_decision(const Config&, const State& s) {
  return !wb_decided_locked(s) || s.g_pins == 0 || (s.flags & kPin) != 0;
}

// A-I3 (writeback handshake, A2): no pin whose G6 read WRITEBACK = 0 before
// WB's T1 is held while the I/O is in flight after T3 read PIN = 0 (the SB
// outcome of litmus L2). Only A2 runs G6.
inline bool wb_handshake_no_double_miss(const Config& c, const State& s) {
  if (!(s.flags & kWriteback) || s.g_bounce != 1) return true;
  for (int i = 0; i < c.gup_cpus; ++i) {
    if (gup_holds(s, i) && (s.gup_ghost[i] & kG6MissedWb)) return false;
  }
  return true;
}

// INV-WB-PIN for the A2 handshake [analysis]: a pin whose G4 ran while
// WRITEBACK was set is not held during an I/O whose T3 read PIN = 0
// (writeback treats P as stable while the device may write it). Checked only
// with wb_io_check=1, so A-I1/A-I3 can be checked where this fails first.
inline bool pin_established_during_io_is_bounced(const Config& c, const State& s) {
  if (!c.wb_io_check || !(s.flags & kWriteback) || s.g_bounce != 1) return true;
  for (int i = 0; i < c.gup_cpus; ++i) {
    if (gup_holds(s, i) && (s.gup_ghost[i] & kG4DuringWb)) return false;
  }
  return true;
}

// A-I2 for observers holding the page lock (the thread's outcome).
inline bool pin_visible_to_locked_observer(const Config&, const State& s) {
  return (s.g_obs & kObsMissLocked) == 0;
}

// A-I2 for every observer (John's objection): an unlocked reader of PIN.
inline bool pin_visible_to_any_observer(const Config&, const State& s) {
  return (s.g_obs & kObsMissUnlocked) == 0;
}

// Vacuity guards. Proposal- or parameter-specific paths count as reached
// where the proposal/parameters do not have them (the API has no per-proposal
// reachable properties).
inline bool pin_held_at_wb_decision(const Config&, const State& s) {
  return (s.g_seen & kSeenPinnedAtDecision) != 0;
}
inline bool zap_during_wb_walk(const Config& c, const State& s) {
  return c.zaps == 0 || (s.g_seen & kSeenZapInWalk) != 0;
}
inline bool observer_reads_pinned_page(const Config& c, const State& s) {
  return c.observer == kObserverNone || (s.g_seen & kSeenObsPinned) != 0;
}
inline bool writeback_completes(const Config&, const State& s) { return s.wb_pc == kWbDone; }
inline bool a1_rewalk_taken(const Config& c, const State& s) {
  return !c.a1() || c.zaps == 0 || (s.g_seen & kSeenRewalk) != 0;
}
inline bool a2_wb_restores_pin(const Config& c, const State& s) {
  return !c.a2() || (s.g_seen & kSeenRestorePin) != 0;
}
inline bool a2_gup_backs_off_at_g6(const Config& c, const State& s) {
  return !c.a2() || (s.g_seen & kSeenG6Backoff) != 0;
}
inline bool a2_gup_waits_at_g0(const Config& c, const State& s) {
  return !c.a2() || (s.g_seen & kSeenG0Wait) != 0;
}
// A-I3's premise: a pin that passed G6 (WRITEBACK read 0 before T1) is held
// while the I/O is in flight after T3.
inline bool a2_handshake_pin_held_during_io(const Config& c, const State& s) {
  if (!c.a2()) return true;
  if (!(s.flags & kWriteback) || s.g_bounce == 0) return false;
  for (int i = 0; i < c.gup_cpus; ++i) {
    if (gup_holds(s, i) && (s.gup_ghost[i] & kG6MissedWb)) return true;
  }
  return false;
}
inline bool a3_gup_waits_for_page_lock(const Config& c, const State& s) {
  if (!c.a3()) return true;
  for (int i = 0; i < c.gup_cpus; ++i) {
    if (s.gup_pc[i] == kGupLockPage && wb_holds_lock(s)) return true;
  }
  return false;
}

}  // namespace mmcheck::mm::pin_mkclean

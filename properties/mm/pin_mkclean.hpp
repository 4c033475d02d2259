// File: properties/mm/pin_mkclean.hpp
//
// What pin_mkclean claims (protocols.md §A.4), apart from how the proposals
// are modelled (spec/mm/pin_mkclean.hpp). The expected verdict per proposal is
// the table properties/mm/pin_mkclean.expect. "PIN" is the newest value of
// the PIN bit in coherence order (under sc: the only value); the observers
// record what their own loads returned.
#pragma once

#include <string_view>

#include "spec/mm/pin_mkclean.hpp"

namespace mmcheck::mm::pin_mkclean {

template <memory::Model M>
bool gup_holds(const State<M>& s, int i) {
  return s.gup_pc[i] == kGupHold;
}

// A-I1 (no false negative at the decision point): from the end of WB's PIN
// decision until it unlocks the page, g_pins > 0 => PIN.
template <memory::Model M>
bool pin_visible_at_wb_decision(const Config& c, const State<M>& s) {
  return !wb_decided_locked(s.wb_pc) || s.g_pins == 0 || pin_set(c, s);
}

// A-I3 (writeback handshake, A2 only): no pin whose G6 read WRITEBACK = 0
// (before end_page_writeback) is held while the I/O is in flight after T3
// read PIN = 0 (the SB outcome of litmus L2).
template <memory::Model M>
bool wb_handshake_no_double_miss(const Config& c, const State<M>& s) {
  if (!io_in_flight(s.wb_pc) || s.g_bounce != 1) return true;
  for (int i = 0; i < c.gup_cpus; ++i) {
    if (gup_holds(s, i) && (s.gup_ghost[i] & kG6MissedWb)) return false;
  }
  return true;
}

// INV-WB-PIN for the A2 handshake [analysis]: a pin whose G4 ran while the
// I/O was in flight is not held during an I/O whose T3 read PIN = 0
// (writeback treats P as stable while the device may write it). Applies to A2
// with wb_io_check=1, so A-I1/A-I3 can be checked where this fails first.
template <memory::Model M>
bool pin_established_during_io_is_bounced(const Config& c, const State<M>& s) {
  if (!io_in_flight(s.wb_pc) || s.g_bounce != 1) return true;
  for (int i = 0; i < c.gup_cpus; ++i) {
    if (gup_holds(s, i) && (s.gup_ghost[i] & kG4DuringWb)) return false;
  }
  return true;
}

// A-I2 for observers holding the page lock (the thread's outcome; observer=2).
template <memory::Model M>
bool pin_visible_to_locked_observer(const Config&, const State<M>& s) {
  return (s.g_obs & kObsMissLocked) == 0;
}

// A-I2 for every observer (John's objection): an unlocked reader (observer=1).
template <memory::Model M>
bool pin_visible_to_any_observer(const Config&, const State<M>& s) {
  return (s.g_obs & kObsMissUnlocked) == 0;
}

// Vacuity guards. Those of a path only some proposals or parameters have
// apply only there (applies() below); elsewhere they are reported n/a.
template <memory::Model M>
bool pin_held_at_wb_decision(const Config&, const State<M>& s) {
  return (s.g_seen & kSeenPinnedAtDecision) != 0;
}
template <memory::Model M>
bool zap_during_wb_walk(const Config&, const State<M>& s) {
  return (s.g_seen & kSeenZapInWalk) != 0;
}
template <memory::Model M>
bool observer_reads_pinned_page(const Config&, const State<M>& s) {
  return (s.g_seen & kSeenObsPinned) != 0;
}
template <memory::Model M>
bool writeback_completes(const Config&, const State<M>& s) {
  return s.wb_pc == kWbDone;
}
template <memory::Model M>
bool a1_rewalk_taken(const Config&, const State<M>& s) {
  return (s.g_seen & kSeenRewalk) != 0;
}
template <memory::Model M>
bool a2_wb_restores_pin(const Config&, const State<M>& s) {
  return (s.g_seen & kSeenRestorePin) != 0;
}
template <memory::Model M>
bool a2_gup_backs_off_at_g6(const Config&, const State<M>& s) {
  return (s.g_seen & kSeenG6Backoff) != 0;
}
template <memory::Model M>
bool a2_gup_waits_at_g0(const Config&, const State<M>& s) {
  return (s.g_seen & kSeenG0Wait) != 0;
}
// A-I3's premise: a pin that passed G6 reading WRITEBACK = 0 is held while the
// I/O is in flight after T3.
template <memory::Model M>
bool a2_handshake_pin_held_during_io(const Config& c, const State<M>& s) {
  if (!io_in_flight(s.wb_pc) || s.g_bounce == 0) return false;
  for (int i = 0; i < c.gup_cpus; ++i) {
    if (gup_holds(s, i) && (s.gup_ghost[i] & kG6MissedWb)) return true;
  }
  return false;
}
template <memory::Model M>
bool a3_gup_waits_for_page_lock(const Config& c, const State<M>& s) {
  for (int i = 0; i < c.gup_cpus; ++i) {
    if (s.gup_pc[i] == kGupLockPage && wb_holds_lock(s.wb_pc)) return true;
  }
  return false;
}

// Which properties a configuration has: proposal-specific invariants and
// guards, and those of an actor a parameter switches off, are n/a elsewhere.
inline bool property_applies(const Config& c, std::string_view p) {
  if (p == "wb_handshake_no_double_miss" || p == "a2_wb_restores_pin" ||
      p == "a2_gup_backs_off_at_g6" || p == "a2_gup_waits_at_g0" ||
      p == "a2_handshake_pin_held_during_io") {
    return c.a2();
  }
  if (p == "pin_established_during_io_is_bounced") return c.a2() && c.wb_io_check != 0;
  if (p == "pin_visible_to_locked_observer") return c.observer == kObserverLocked;
  if (p == "pin_visible_to_any_observer") return c.observer == kObserverUnlocked;
  if (p == "observer_reads_pinned_page") return c.observer != kObserverNone;
  if (p == "zap_during_wb_walk") return c.zaps > 0;
  if (p == "a1_rewalk_taken") return c.a1() && c.zaps > 0;
  if (p == "a3_gup_waits_for_page_lock") return c.a3();
  return true;
}

}  // namespace mmcheck::mm::pin_mkclean

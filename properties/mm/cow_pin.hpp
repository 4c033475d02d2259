// File: properties/mm/cow_pin.hpp
//
// What cow_pin claims, apart from how the protocol is modelled
// (spec/mm/cow_pin.hpp). The expected verdict per proposal and scenario is the
// table properties/mm/cow_pin.expect.
//
// Param `check` selects the claim: 0 = correctness (INV-PIN-COHERENT,
// INV-PRIVATE), 1 = performance (NO-SPURIOUS-COW) only. The explorer reports the
// shallowest violation of any `always` property, and a spurious COW is usually
// shallower than the wrong COW it may cause, so the two are never checked in the
// same run.
//
// Under every memory model the claims read A's pte as it will be once every
// buffered store has reached memory (`pte_a`: a buffered pte store, else the
// newest value in coherence order): a pte store in flight is already the
// mapping. NO-SPURIOUS-COW judges exclusivity when T decides to copy, so under
// relaxed/lkmm a copy decided on a stale mapcount counts as spurious.
#pragma once

#include "spec/mm/cow_pin.hpp"

namespace mmcheck::mm::cow_pin {

template <Model M>
inline bool pin_held(const State<M>& s) {
  return s.pin_pc == kPinHold;
}

// The GUP reference of PIN carries the coherence promise of the selected
// contract: C-A always; C-L only if it obtained exclusive ownership at pin time
// and user space has not write-protected the range in place since.
template <Model M>
inline bool promise_in_force(const Config& c, const State<M>& s) {
  if (!pin_held(s)) return false;
  if (c.contract == kContractA) return true;
  return (s.ghost & kGCovered) != 0 && (s.ghost & kGVoided) == 0;
}

// INV-PIN-COHERENT (protocols.md §0.3, §C.4; §E.4 E-I3): while PIN's reference
// on page P is held (and promised coherent), every present pte of A at the
// address maps P: no write fault of A replaced P by a copy.
template <Model M>
inline bool pinned_page_stays_mapped(const Config& c, const State<M>& s) {
  if (c.check != kCheckCorrectness || !promise_in_force(c, s)) return true;
  const std::uint8_t pte = pte_a(s);
  return !present(pte) || page_of(pte) == s.pin_page;
}

// INV-PRIVATE (protocols.md §0.3, §C.4; §E.4 E-I4): no page T wrote after fork
// is observable by the child, neither through its pte nor through its GUP
// reference.
template <Model M>
inline bool child_never_sees_parent_write(const Config& c, const State<M>& s) {
  if (c.check != kCheckCorrectness) return true;
  for (int p = 0; p < kPages; ++p) {
    if ((s.g_awrote & (1u << p)) == 0) continue;
    if (present(s.pte_c) && page_of(s.pte_c) == p) return false;
    if (s.child_ref == p) return false;
  }
  return true;
}

// NO-SPURIOUS-COW (protocols.md §0.3, performance only): T's write fault does
// not copy a page that no other mm maps or references.
template <Model M>
inline bool no_spurious_cow(const Config& c, const State<M>& s) {
  return c.check != kCheckSpurious || (s.ghost & kGSpurious) == 0;
}

// Vacuity guards. Each is trivially reached when its actor is disabled in the
// configuration, so a row's verdict only depends on the scenario it enables.
template <Model M>
inline bool pin_returned(const Config& c, const State<M>& s) {
  return c.pin == kPinNone || pin_held(s);
}
template <Model M>
inline bool t_takes_write_fault(const Config& c, const State<M>& s) {
  if (c.wp == kWpNone && !c.fork && !c.recl) return true;
  return s.t_pc >= kTMapTrylock && s.t_pc <= kTCopy;
}
// Window (a): WP examined A's pte (and cleared its write bit, unless clear_refs
// skipped a maybe-pinned page) while PIN's reference was held.
template <Model M>
inline bool wp_runs_while_pinned(const Config& c, const State<M>& s) {
  return c.wp == kWpNone || c.pin == kPinNone || (s.ghost & kGWpSawPin) != 0;
}
// Window (b): reclaim passed its pin check (if any) while PIN's reference is held.
template <Model M>
inline bool reclaim_past_check_while_pinned(const Config& c, const State<M>& s) {
  if (!c.recl || c.pin == kPinNone) return true;
  return pin_held(s) && s.recl_pc >= kRAddToSwap && s.recl_pc <= kRShare;
}
template <Model M>
inline bool page_swapped_out(const Config& c, const State<M>& s) {
  return !c.recl || is_swap(pte_a(s));
}
// Fork's early COW (70e806e4e645 / Andrea's fork copy) is taken.
template <Model M>
inline bool fork_copies_for_child(const Config& c, const State<M>& s) {
  if (!c.fork || c.pin == kPinNone || !c.fork_early_cow()) return true;
  return s.fork_pc == kFCopy;
}
// The CVE-2020-29374 window: the child's GUP reference outlives its mapping.
template <Model M>
inline bool child_ref_outlives_mapping(const Config& c, const State<M>& s) {
  return !(c.fork && c.child_gup) || s.child_pc == kCHold;
}
template <Model M>
inline bool parent_writes_after_fork(const Config& c, const State<M>& s) {
  return !c.fork || s.g_awrote != 0;
}
template <Model M>
inline bool spec_ref_held(const Config& c, const State<M>& s) {
  return !c.spec || s.spec_pc == kSPut;
}

}  // namespace mmcheck::mm::cow_pin

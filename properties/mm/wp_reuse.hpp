// File: properties/mm/wp_reuse.hpp
//
// What wp_reuse claims, apart from how the race is modelled
// (spec/mm/wp_reuse.hpp). The expected verdict per proposal and memory model
// is the table properties/mm/wp_reuse.expect. Properties read the newest
// value of each word (`latest`: an own buffered store, else the end of
// coherence order), i.e. what the writer has done in program order.
#pragma once

#include "spec/mm/wp_reuse.hpp"

namespace mmcheck::mm::wp_reuse {

// D-I1 (INV-PIN-COHERENT specialised, protocols.md §D.4): a write fault that
// starts while X is A's alone (mapcount + swapcount == 1; B neither maps X nor
// holds a swap pte for it, and cannot come back) never replaces X by a copy,
// whoever holds PG_locked.
template <typename S>
bool no_cow_of_exclusive_page(const Config&, const S& s) {
  return s.g_wrong_cow == 0;
}

// D-I2 (INV-PRIVATE, §D.4): A's pte never maps X writable while B maps X or
// holds a swap pte for e with X still e's swap-cache page.
template <typename S>
bool never_reuse_shared_page(const Config&, const S& s) {
  return !(latest(s.mem, kLocPteA) == kPteRwX && b_refs_x(s));
}

// Vacuity guards. Spec::applies() marks each n/a in the configurations that
// cannot reach it by construction (no reclaim, no B, a proposal without the path).
// D0's window: a fault is inside do_wp_page while reclaim holds PG_locked.
template <typename S>
bool fault_while_recl_holds_page_lock(const Config&, const S& s) {
  return (s.g_window & 1) != 0;
}
// D2/D3's window: B's page_add_anon_rmap runs while a fault of A is in do_wp_page.
template <typename S>
bool b_swaps_in_during_fault(const Config&, const S& s) {
  return (s.g_window & 2) != 0;
}
// try_to_unmap_one's swap_duplicate-before-page_remove_rmap path ran.
template <typename S>
bool recl_unmaps_b(const Config&, const S& s) {
  return s.g_recl_unmapped_b != 0;
}
// add_to_swap_cache published private and SWAPCACHE.
template <typename S>
bool recl_adds_to_swap_cache(const Config&, const S& s) {
  return s.g_published != 0;
}
template <typename S>
bool x_reused(const Config&, const S& s) {
  return latest(s.mem, kLocPteA) == kPteRwX;
}
template <typename S>
bool x_copied(const Config&, const S& s) {
  return latest(s.mem, kLocPteA) == kPteRwCopy;
}
// The fix's branch: a fault found PG_locked held and still reused X.
template <typename S>
bool reuse_despite_lock_contention(const Config&, const S& s) {
  return s.g_reuse_contended != 0;
}
// reuse_swap_page (D-merged) / D3b's locked path dropped X from the swap cache.
template <typename S>
bool swap_cache_freed_on_reuse(const Config&, const S& s) {
  return s.g_swapcache_freed != 0;
}

}  // namespace mmcheck::mm::wp_reuse

// File: properties/mm/gupfast_fork.hpp
//
// What gupfast_fork claims, apart from how the race is modelled
// (spec/mm/gupfast_fork.hpp). The expected verdict per proposal is the table
// properties/mm/gupfast_fork.expect.
#pragma once

#include "spec/mm/gupfast_fork.hpp"

namespace mmcheck::mm::gupfast_fork {

// INV-PIN-COHERENT for fork (protocols.md §0.3, §E.4 E-I1): while a FOLL_PIN
// pin returned by gup-fast is held, the parent's PTE maps the pinned page;
// in particular no write fault replaced it by a copy.
inline bool pinned_page_never_cowed(const Config& c, const State& s) {
  for (int i = 0; i < c.gup_cpus; ++i) {
    if (s.gup_pc[i] == kGupHold && (s.gup_pte[i] >> 1) != s.pte_page) return false;
  }
  return true;
}

// Vacuity guards: the interesting paths of the protocol do happen.
inline bool pin_taken(const Config& c, const State& s) {
  for (int i = 0; i < c.gup_cpus; ++i) {
    if (s.gup_pc[i] == kGupHold) return true;
  }
  return false;
}
inline bool fork_copies_pinned_page(const Config&, const State& s) {
  return s.child == kChildCopied;
}
inline bool child_shares_page(const Config&, const State& s) { return s.child == kChildShares; }
inline bool parent_cow_after_fork(const Config&, const State& s) { return s.pte_page == kXCopy; }

}  // namespace mmcheck::mm::gupfast_fork

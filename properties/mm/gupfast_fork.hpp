// File: properties/mm/gupfast_fork.hpp
//
// What gupfast_fork claims, apart from how the race is modelled
// (spec/mm/gupfast_fork.hpp). The expected verdict per proposal is the table
// properties/mm/gupfast_fork.expect.
//
// A property that does not apply to a proposal (e.g. ANON_EXCLUSIVE before
// v5.19) holds there trivially: `always` ones are true, `reachable` guards
// are reported reached ("vacuous" in their summaries). The v5.9/v5.11
// proposals check only pinned_page_never_cowed, as before §E was added.
#pragma once

#include "spec/mm/gupfast_fork.hpp"

namespace mmcheck::mm::gupfast_fork {

// Every predicate reads the words as they are once buffered stores have
// reached memory (`latest`, spec/mm/gupfast_fork.hpp): the value the program
// order of the writing CPU gives, whatever the memory model.

template <Model M>
bool holds_pin(const Config& c, const State<M>& s, int i) {
  return c.foll_pin() && s.gup_pc[i] == kGupHold;
}
template <Model M>
int gup_page(const State<M>& s, int i) {
  return s.gup_pte[i] >> 1;
}

// INV-PIN-COHERENT for fork (protocols.md §0.3, §E.4 E-I3): while a FOLL_PIN
// pin returned by gup-fast is held, the parent's present PTE maps the pinned
// page; in particular no write fault replaced it by a copy.
template <Model M>
bool pinned_page_never_cowed(const Config& c, const State<M>& s) {
  for (int i = 0; i < c.gup_cpus; ++i) {
    if (holds_pin(c, s, i) && pte_present(pte_value(s)) &&
        gup_page(s, i) != pte_page(pte_value(s))) {
      return false;
    }
  }
  return true;
}

// E-I1 (pinned => exclusive), what sanity_check_pinned_pages() asserts:
// while a FOLL_PIN pin on X is held, ANON_EXCLUSIVE(X) and no other mm maps X.
template <Model M>
bool pinned_page_exclusive(const Config& c, const State<M>& s) {
  if (!c.anon_exclusive()) return true;
  for (int i = 0; i < c.gup_cpus; ++i) {
    if (!holds_pin(c, s, i)) continue;
    const int page = gup_page(s, i);
    if (!anon_exclusive(s, page) || child_page(s) == page) return false;
  }
  return true;
}

// E-I2 (exclusive => unshared): ANON_EXCLUSIVE(P) => only the parent maps or
// swap-references P.
template <Model M>
bool exclusive_page_unshared(const Config& c, const State<M>& s) {
  if (!c.anon_exclusive()) return true;
  const int shared = child_page(s);
  return shared < 0 || !anon_exclusive(s, shared);
}

// E-I4 (= INV-PRIVATE): a page that is not ANON_EXCLUSIVE is never mapped
// writable. Checked outside ptl sections: fork clears the bit (F5) before it
// write-protects (F6), both under the ptl.
template <Model M>
bool shared_page_never_writable(const Config& c, const State<M>& s) {
  if (!c.anon_exclusive() || ptl_owner(s) != kPtlFree) return true;
  return !pte_writable(pte_value(s)) || anon_exclusive(s, pte_page(pte_value(s)));
}

// E-v1's own claim (David, §E.4): "If we have a shared anonymous page we
// cannot have GUP references, not even R/O ones": while gup-fast holds a
// reference (FOLL_GET or FOLL_PIN) on P, the child does not map P.
template <Model M>
bool gup_page_never_shared(const Config& c, const State<M>& s) {
  if (!c.section_e()) return true;
  for (int i = 0; i < c.gup_cpus; ++i) {
    if (s.gup_pc[i] == kGupHold && child_page(s) == gup_page(s, i)) return false;
  }
  return true;
}

// Vacuity guards: the interesting paths of the protocol do happen.
template <Model M>
bool pin_taken(const Config& c, const State<M>& s) {
  for (int i = 0; i < c.gup_cpus; ++i) {
    if (s.gup_pc[i] == kGupHold) return true;
  }
  return false;
}
template <Model M>
bool fork_copies_pinned_page(const Config&, const State<M>& s) {
  return s.child == kChildCopied;
}
template <Model M>
bool child_shares_page(const Config&, const State<M>& s) {
  return s.child == kChildShares;
}
template <Model M>
bool parent_cow_after_fork(const Config&, const State<M>& s) {
  return pte_present(pte_value(s)) && pte_page(pte_value(s)) == kXCopy;
}

// §E: a reference taken through a R/O pte is returned.
template <Model M>
bool ro_pin_taken(const Config& c, const State<M>& s) {
  if (!c.section_e()) return true;
  for (int i = 0; i < c.gup_cpus; ++i) {
    if (s.gup_pc[i] == kGupHold && !(s.gup_pte[i] & kPteWrite)) return true;
  }
  return false;
}
// §E: gup_must_unshare is about to say "possibly shared".
template <Model M>
bool gup_backs_off_shared_page(const Config& c, const State<M>& s) {
  if (!c.section_e()) return true;
  for (int i = 0; i < c.gup_cpus; ++i) {
    const int page = gup_page(s, i);
    if (s.gup_pc[i] == kGupCheckMapcount && mapcount(s, page) > 1) return true;
    if (s.gup_pc[i] == kGupCheckAnonExclusive && !anon_exclusive(s, page)) return true;
  }
  return false;
}
// E2/E3, E.5 (ii): B4 passed (same pte value) but the page is no longer
// exclusive; B5 must catch it.
template <Model M>
bool pte_recheck_passes_on_shared_page(const Config& c, const State<M>& s) {
  if (!c.anon_exclusive()) return true;
  for (int i = 0; i < c.gup_cpus; ++i) {
    if ((s.gup_pc[i] == kGupCheckAnonExclusive || s.gup_pc[i] == kGupRmb) &&
        s.gup_pte[i] == pte_value(s) && !anon_exclusive(s, gup_page(s, i))) {
      return true;
    }
  }
  return false;
}
// E2/E3, E-I3: do_wp_page on a pinned exclusive page (refcount > 1) reuses it.
template <Model M>
bool pinned_exclusive_page_reused(const Config& c, const State<M>& s) {
  if (!c.anon_exclusive()) return true;
  const int page = pte_page(pte_value(s));
  return s.parent_pc == kParentCheck && anon_exclusive(s, page) && refcount(s, page) >= kPinBias;
}
// E2/E3: page_try_share_anon_rmap is about to see the pin (A2 -> -EBUSY).
template <Model M>
bool unmap_sees_pin(const Config& c, const State<M>& s) {
  if (!c.anon_exclusive()) return true;
  return s.unmap_pc == kUnmapReadRefcount && refcount(s, pte_page(s.unmap_pte)) >= kPinBias;
}
// E2/E3: A3 cleared ANON_EXCLUSIVE (A4 comes next).
template <Model M>
bool unmap_shares_exclusive_page(const Config& c, const State<M>& s) {
  if (!c.anon_exclusive()) return true;
  return s.unmap_pc == kUnmapSetPte && s.unmap_excl;
}
template <Model M>
bool exclusive_swap_entry(const Config& c, const State<M>& s) {
  if (!c.anon_exclusive()) return true;
  return pte_is_swap(pte_value(s)) && (pte_value(s) & kPteSwpExclusive);
}

}  // namespace mmcheck::mm::gupfast_fork

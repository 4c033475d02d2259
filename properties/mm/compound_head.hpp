// File: properties/mm/compound_head.hpp
//
// What compound_head claims, apart from how the race is modelled
// (spec/mm/compound_head.hpp). The expected verdict per proposal is the table
// properties/mm/compound_head.expect.
#pragma once

#include "spec/mm/compound_head.hpp"

namespace mmcheck::mm::compound_head {

// B-I1 = INV-HEAD (protocols.md §B.4, §0.3): if RD's compound_head(T) returns
// h != T, there was an instant during the call when T was a tail of the
// compound page headed by h. g_rd_seen collects g_head_of(T) over the call
// (from RD's first load to its return; under tso/relaxed/lkmm also every head
// T had before the return, see "B-I1 under weak models" in the spec header);
// NULL is never a head.
template <typename S>
bool returned_head_was_head_during_call(const Config&, const S& s) {
  if (s.rd_pc != kRdDone || s.rd_ret == kT) return true;
  return s.rd_ret != kNull && (s.g_rd_seen & bit(static_cast<PageRef>(s.rd_ret))) != 0;
}

// B-I2 (Kirill's claim for B4): a caller holding a reference on H sees
// g_head_of(T) = H until it drops it.
template <typename S>
bool ref_holder_sees_same_head(const Config&, const S& s) {
  return s.ref_pc != kRefHeld || head_of(s) == s.g_ref_head;
}

// Vacuity guards: the interesting paths happen.
// RD loads T's words while prep_compound_page is half done.
template <typename S>
bool rd_reads_during_prep(const Config&, const S& s) {
  return (s.g_obs & kObsDuringPrep) != 0;
}
// RD loads T's words after T stopped being a tail of H1 (free or split) and
// before the next owner rewrote the union word.
template <typename S>
bool rd_reads_after_untail(const Config&, const S& s) {
  return (s.g_obs & kObsAfterUntail) != 0;
}
// RD loads T's words after the next owner rewrote the union word and before
// any re-allocation finished.
template <typename S>
bool rd_reads_reused_page(const Config&, const S& s) {
  return (s.g_obs & kObsReused) != 0;
}
// RD returns from a call during which T was a tail (of H1 or H2).
template <typename S>
bool rd_completes_on_tail(const Config&, const S& s) {
  return s.rd_pc == kRdDone && (s.g_rd_seen & (bit(kH1) | bit(kH2))) != 0;
}
// SPLIT takes T out of H1 (old split, or B4 after its refcount check).
template <typename S>
bool split_separates_tail(const Config&, const S& s) {
  return s.split_pc == kSplitFinish || s.split_pc == kSplitRemap;
}
// FREE frees H1 with T as its tail (last put_page, then free_pages_prepare).
template <typename S>
bool free_untails_t(const Config&, const S& s) {
  // After a split the owner's zap of H1 no longer concerns T (free.put_page
  // needs T to be H1's tail), so an unmapped owner here means FREE untailed T.
  return s.stage == kStageUnlinked && s.free_pc == kFreeUnmapped;
}
// With REF configured: SPLIT reaches its deciding step (old: clearing T's tail
// marker; B4: the refcount check) while REF holds its reference on H1. Without
// REF (ref_holder=0) there is no such path: the spec's applies() says n/a.
template <typename S>
bool split_decides_while_ref_held(const Config&, const S& s) {
  return (s.g_obs & kObsSplitWithRef) != 0;
}

}  // namespace mmcheck::mm::compound_head

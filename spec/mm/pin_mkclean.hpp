// File: spec/mm/pin_mkclean.hpp
//
// pin_mkclean: detecting GUP pins of a file page in page_mkclean / writeback,
// the 2019 put_user_page() / PagePin proposals (protocols.md §A, ids of §H).
//
// Kernel code and mail modelled (v5.0-rc era; none of the proposals was merged):
//   mm/page-writeback.c  write_cache_pages(): lock_page(); clear_page_dirty_for_io()
//                          -> page_mkclean(); ->writepage() -> set_page_writeback();
//                          unlock_page(); end_page_writeback() at I/O completion
//   mm/rmap.c            page_mkclean() -> rmap_walk() -> page_mkclean_one(): per
//                          PTE under its ptl, write-protect + clean (the "walk")
//   mm/memory.c          zap_pte_range(): under the ptl ptep_get_and_clear_full(),
//                          then page_remove_rmap() (atomic_add_negative on _mapcount)
//   mm/gup.c             gup_pte_range() (gup-fast, IRQs off, no locks):
//                          ptep_get_lockless; pte_access_permitted(FOLL_WRITE);
//                          page_cache_get_speculative; recheck pte_val != *ptep
//   put_user_page()      the proposed release path; takes no lock [thread: John]
//   Proposals (mail, Dec 2018 - Jan 2019; message ids in protocols.md §S):
//     A0-mapcount-minus-real  Jérôme/John 18-19 Dec: pins counted in _mapcount,
//                             WB: real := walk; m := mapcount; PIN := m - real > 0
//     A1-snapshot-recheck     Jérôme 2 Jan: m1 := mapcount before the walk, recheck
//                             with m2 and a rewalk counting special "zapped" PTEs
//     A2-pagepin-testclear    Jérôme 11 Jan: GUP G0-G6, WB C1-C5, set_page_writeback
//                             T1-T3 (labels from the mail)
//     A3-lock-page            John 11 Jan: GUP sets PIN under lock_page (gup-fast:
//                             as a post-pass), WB clears PIN iff walk == mapcount
//     A3-lock-page-mapcount-first  [analysis, not from the thread] A3 with WB's
//                             mapcount read moved before the walk (see below)
//   A2' (special PTEs recording the mapcount at zap time) is not modelled.
//
// Race 1, A0 (Jan Kara): P mapped by two PTEs and pinned once, mapcount 3.
//
//   gup CPU0          wb CPU1 (holds LOCKED)          zap CPU2
//   --------------    ----------------------------    ---------------------
//   pin: mapcount 3   walk pte0, pte1: real = 2
//                                                     lock ptl1; clear pte1
//                                                     mapcount 3 -> 2
//                     m := R mapcount = 2
//                     m - real = 0: ClearPin          <- g_pins = 1, PIN = 0
//
//   (equally: gup-fast reads the still-writable pte before the walk and adds
//   its mapcount after WB's read; the checker's shortest trace is this one.)
//
// Race 2, A1 (Jan Kara, "what prevents GUP_fast() to grab reference here"):
//
//   gup CPU0 (gup-fast)              wb CPU1 (holds LOCKED)
//   -------------------------------  ----------------------------
//                                    m1 := R mapcount = 2
//   R pte (writable); mapcount 3
//   SetPin                           walk: real = 2
//                                    R PIN = 1; m1 == real: ClearPin  <- pinned
//
// Race 3, A2 vs an unlocked observer (John's objection, A-I2): C1 clears PIN
// of a pinned page, C5 sets it again; an observer between them reads PIN = 0.
//
// Race 4, A3 as written (WB reads mapcount after the walk) is race 1 again: the
// page lock excludes GUP and WB, but munmap's zap takes no page lock.
//
// Abstractions (what is not modelled):
//   - One file page P, `mappings` VM_SHARED PTEs; GUP always goes through
//     pte[0]. GUP is gup-fast only (FOLL_WRITE): it needs a present writable
//     PTE; a failed attempt would take the slow path (fault, page_mkwrite under
//     the page lock) which is not modelled - the attempt simply ends. Slow GUP
//     holds the ptl across the lookup, a subset of gup-fast's interleavings.
//   - refcount (get_page/put_page) is read by no actor of §A and is omitted;
//     PUP is its mapcount decrement (P1), done by the pin holder's CPU.
//   - pte write/dirty bits: one value (none, present read-only, present
//     writable, special zapped entry). page_mkclean_one's lock, check,
//     write-protect and unlock of one PTE is one step: the PTE is its only
//     shared access and the ptl is only observed by zap's guard.
//   - One writeback pass; nothing makes PTEs writable again (no write faults).
//   - PIN, LOCKED, WRITEBACK are bits of ONE `flags` word (protocols.md §0.2
//     modelling pitfall). Barriers (G1 rmb, G3/G5 wmb, C2 mb, T2 wmb) are
//     comments at the steps they sit between: no-ops under "sc".
//   - g_pins counts a pin from the step that publishes it (A2: G4, undone by
//     the G6 back-off; others: the last GUP step) until PUP.
#pragma once

#include <array>
#include <cstdint>

namespace mmcheck::mm::pin_mkclean {

inline constexpr int kMaxGupCpus = 2;
inline constexpr int kMaxMappings = 2;

enum Proposal : int {
  kA0MapcountMinusReal = 0,
  kA1SnapshotRecheck = 1,
  kA2PagepinTestclear = 2,
  kA3LockPage = 3,
  kA3LockPageMapcountFirst = 4,
};

// page->flags bits: one word.
enum Flag : std::uint8_t { kPin = 1, kLocked = 2, kWriteback = 4 };

enum Pte : std::uint8_t { kPteNone, kPteRo, kPteRw, kPteZapped, kPteCount };

enum GupPc : std::uint8_t {
  kGupIdle,         // next: gup-fast reads pte[0]
  kGupRecheckPte,   // next: pte_val(pte) != pte_val(*ptep) -> put, fail
  kGupCheckWb,      // A1: R flags; WRITEBACK -> wait, refault
  kGupG0,           // A2 G0: wb := R WRITEBACK, pin := R PIN (one flags read)
  kGupWaitWb,       // A1/A2: wait_on_page_writeback, then retry
  kGupLockPage,     // A3: lock_page(P)
  kGupIncMapcount,  // A0/A1/A3: mapcount += 1; A2: G2
  kGupSetPin,       // A1/A3: SetPin; A2: G4
  kGupG6,           // A2 G6: R flags & WRITEBACK
  kGupG6Undo,       // A2 G6: mapcount -= 1, then wait
  kGupUnlockPage,   // A3: unlock_page(P)
  kGupHold,         // pin returned to the caller; next: put_user_page
  kGupCount
};

enum WbPc : std::uint8_t {
  kWbIdle,           // next: lock_page
  kWbTestClearPin,   // A2 C1
  kWbReadMapcount,   // A0 step 2, A1 m1, A2 C3, A3 after / A3' before the walk
  kWbWalk,           // page_mkclean: one PTE per step, index wb_idx
  kWbTestPin,        // A1: R PIN
  kWbReadMapcount2,  // A1: m2
  kWbRewalk,         // A1: count special entries, index wb_idx
  kWbUpdatePin,      // A0 Set/ClearPin; A1/A3 ClearPin; A2 C5
  kWbSetWriteback,   // T1 test_and_set(WRITEBACK)
  kWbBounceCheck,    // T3 g_bounce := R PIN
  kWbUnlock,         // unlock_page
  kWbEndWriteback,   // I/O completion: end_page_writeback
  kWbDone,
  kWbCount
};

enum ZapPc : std::uint8_t { kZapIdle, kZapClear, kZapDecMapcount, kZapUnlock, kZapCount };

enum ObsPc : std::uint8_t { kObsIdle, kObsReadLocked, kObsUnlock, kObsDone, kObsCount };

enum Observer : int { kObserverNone = 0, kObserverUnlocked = 1, kObserverLocked = 2 };

// g_obs bits: an observer read PIN = 0 while g_pins > 0.
enum ObsMiss : std::uint8_t { kObsMissUnlocked = 1, kObsMissLocked = 2 };

// gup_ghost bits (per pin, cleared when the pin is released).
enum GupGhost : std::uint8_t {
  kG0SawWb = 1,     // G0 read WRITEBACK = 1
  kG0SawPin = 2,    // G0 read PIN = 1
  kG6MissedWb = 4,  // G6 read WRITEBACK = 0 before WB's T1
  kG4DuringWb = 8,  // G4 ran while WRITEBACK was set (A2 handshake pins)
};

// g_seen bits: sticky witnesses for the vacuity guards.
enum Seen : std::uint8_t {
  kSeenRestorePin = 1,  // A2 C5 set PIN again
  kSeenG6Backoff = 2,   // A2 G6 backed off
  kSeenRewalk = 4,      // A1 took the rewalk branch
  kSeenUnused = 8,
  kSeenZapInWalk = 16,         // a zap finished between WB's lock_page and its decision
  kSeenPinnedAtDecision = 32,  // WB decided while g_pins > 0
  kSeenG0Wait = 64,            // A2 G0 waited for writeback
  kSeenObsPinned = 128,        // an observer read PIN while g_pins > 0
};

struct State {
  std::uint8_t flags;                          // page->flags: kPin | kLocked | kWriteback
  std::uint8_t mapcount;                       // page->_mapcount + 1: present PTEs + counted pins
  std::array<std::uint8_t, kMaxMappings> pte;  // Pte
  std::uint8_t ptl;                            // bit i: ptl[i] held by zap
  std::uint8_t g_pins;                         // pins held (ghost)
  std::uint8_t wb_pc;                          // WbPc
  std::uint8_t wb_idx;                         // walk / rewalk index
  std::uint8_t wb_real;                        // present PTEs counted by the walk
  std::uint8_t wb_m;                           // mapcount snapshot (A0 m, A1 m1, A2 mp, A3 m)
  std::uint8_t wb_m2;                          // A1 m2
  std::uint8_t wb_rc2;                         // A1 special entries counted by the rewalk
  std::uint8_t wb_pinned;                      // A2 C1 result
  std::uint8_t g_bounce;                       // T3: 0 not yet, 1 read PIN = 0, 2 read PIN = 1
  std::uint8_t zap_pc;                         // ZapPc
  std::uint8_t zap_pte;                        // the PTE being zapped
  std::uint8_t zaps_done;
  std::uint8_t obs_pc;                                 // ObsPc
  std::uint8_t g_obs;                                  // ObsMiss bits
  std::uint8_t g_seen;                                 // Seen bits
  std::array<std::uint8_t, kMaxGupCpus> gup_pc;        // GupPc
  std::array<std::uint8_t, kMaxGupCpus> gup_attempts;  // attempts finished
  std::array<std::uint8_t, kMaxGupCpus> gup_ghost;     // GupGhost bits
  bool operator==(const State&) const = default;
};

struct Config {
  Proposal proposal;
  int gup_cpus;
  int pins;  // pin attempts per GUP CPU (each released before the next)
  int mappings;
  int zaps;
  int observer;     // Observer
  int wb_io_check;  // 1: check pin_established_during_io_is_bounced
  bool a0() const { return proposal == kA0MapcountMinusReal; }
  bool a1() const { return proposal == kA1SnapshotRecheck; }
  bool a2() const { return proposal == kA2PagepinTestclear; }
  bool a3() const { return proposal == kA3LockPage || proposal == kA3LockPageMapcountFirst; }
};

// WB holds LOCKED: after its lock_page, up to and including its unlock step.
inline bool wb_holds_lock(const State& s) { return s.wb_pc > kWbIdle && s.wb_pc <= kWbUnlock; }

// WB has made its PIN decision and still holds LOCKED (A-I1's window).
inline bool wb_decided_locked(const State& s) {
  return s.wb_pc == kWbSetWriteback || s.wb_pc == kWbBounceCheck || s.wb_pc == kWbUnlock;
}

}  // namespace mmcheck::mm::pin_mkclean

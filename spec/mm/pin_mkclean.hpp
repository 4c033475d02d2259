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
// Memory (protocols.md §0.2; the spec is a template over memory::Model and
// runs under sc, tso, relaxed and lkmm). The words the actors share live in
// `mem` (memory::Machine) and are accessed only through kernel::Kernel
// primitives, with the kernel's ordering:
//   page->flags   ONE location holding PIN (bit 0), LOCKED (bit 1) and
//                 WRITEBACK (bit 2): SetPagePin/ClearPagePin = set_bit/
//                 clear_bit (unordered); TestClearPagePin (C1),
//                 TestSetPageWriteback (T1) and TestClearPageWriteback
//                 (end_page_writeback) = test_and_{set,clear}_bit (full);
//                 lock_page = test_and_set_bit_lock (acquire; success only,
//                 a held lock makes the step wait); unlock_page =
//                 clear_bit_unlock (release); PagePin/PageWriteback = test_bit
//                 (plain load).
//   _mapcount     atomic_t: atomic_inc/atomic_dec (GUP G2, PUP P1, G6 undo:
//                 unordered), atomic_add_negative (page_remove_rmap: full),
//                 atomic_read (WB).
//   _refcount     page_cache_get_speculative (gup-fast, full on success) and
//                 put_page (atomic_dec_and_test: full). Nobody reads it for a
//                 decision; it is there for the ordering of its full RMWs.
//                 Initial value 1 + mappings (page cache + mappings).
//   pte[i]        gup-fast reads it with READ_ONCE (ptep_get_lockless) and
//                 rechecks it after the refcount RMW; page_mkclean_one reads
//                 it under the ptl and write-protects it with ptep_clear_flush
//                 (xchg + TLB flush: full); the set_pte_at that follows only
//                 turns the cleared entry into a read-only one, which no
//                 reader tells apart from "none" (both fail gup-fast), so it
//                 is folded into the xchg. zap: ptep_get_and_clear_full
//                 (xchg_relaxed, arm64; x86 is stronger).
//   ptl[i]        spin_lock / spin_unlock of the PTE table lock.
// Barriers exactly as in §A.3: G1 smp_rmb, G3 and G5 smp_wmb (A2 GUP), C2
// smp_mb (A2 WB), T2 smp_wmb (set_page_writeback, every proposal).
// `split_flags=1` is a DELIBERATELY WRONG model (protocols.md §0.2 pitfall,
// litmus L2'): PIN gets a location of its own, LOCKED and WRITEBACK stay in
// page->flags. It exists to show that A2's A-I3 rests on PIN and WRITEBACK
// sharing one word (results/findings-pin_mkclean.md).
//
// Weak memory (measured; rows in properties/mm/pin_mkclean.expect): A0, A1
// and A3 as written violate A-I1 under every model; A2 holds A-I1 (MP, L1)
// and A-I3 (one flags word, L2) under tso, relaxed and lkmm and violates
// A-I2 for unlocked observers; with split_flags=1 A2 violates A-I3 under
// relaxed and lkmm (SB, L2') - results/findings-pin_mkclean.md.
// lkmm, fused steps: a full barrier after the step's own writes (PUP's
// put_page after P1, G6's put_page, the walk's xchg after spin_lock) needs
// those writes to reach every CPU; `settle` takes these propagation steps
// inside the step (one legal schedule of an atomic step).
// Observers (A-I2): a load of PIN = 0 is a miss only if that value was the
// newest while a pin was held all the time (ghost g_reign); a stale load
// that can be placed before the pin was taken is not. Under sc: the
// instantaneous check.
//
// Memory bounds: 8 CPU slots (gup CPUs, wb, zap, obs), 8 locations, 2
// store-buffer slots per CPU (1 is used: the only plain stores are ptl unlocks, and
// spin_lock waits for an empty buffer), 8 readable values per location.
// Steps that the kernel performs back to back on one CPU are fused where
// only the CPU's own accesses sit between them (e.g. the walk of one PTE:
// spin_lock, read, xchg, spin_unlock); each fused step waits until every
// primitive in it may run.
//
// Abstractions (what is not modelled):
//   - One file page P, `mappings` VM_SHARED PTEs; GUP always goes through
//     pte[0]. GUP is gup-fast only (FOLL_WRITE): it needs a present writable
//     PTE; a failed attempt would take the slow path (fault, page_mkwrite under
//     the page lock) which is not modelled - the attempt simply ends. Slow GUP
//     holds the ptl across the lookup, a subset of gup-fast's interleavings.
//     gup-fast runs with IRQs off; x86's IPI-based TLB flush in
//     ptep_clear_flush would wait for it, arm64's broadcast TLBI does not:
//     the model does not use the IPI (the weaker architecture).
//   - PUP is P1 (mapcount decrement) + P2 (put_page) in one step, by the pin
//     holder's CPU. A GUP that waits for writeback (A1, A2 G0/G6) drops its
//     page reference first.
//   - pte write/dirty bits: one value (none, present read-only, present
//     writable, special zapped entry).
//   - munmap chooses a mapping that it has not unmapped yet (ghost `zapped`).
//   - One writeback pass; nothing makes PTEs writable again (no write faults).
//   - g_pins counts a pin from the step that publishes it (A2: G4, undone by
//     the G6 back-off; others: the last GUP step) until PUP.
//   - lkmm: set_bit/atomic_inc are checked as if they had to see the newest
//     value (kernel::Kernel's guards; LKMM's Noreturn RMWs need not): an
//     under-approximation of lkmm for these steps.
#pragma once

#include <array>
#include <cstdint>

#include "mmcheck/kernel/primitives.hpp"
#include "mmcheck/memory/machine.hpp"

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

// page->flags bits: one word (bit numbers for kernel::Kernel bitops).
enum FlagBit : int { kPinBit = 0, kLockedBit = 1, kWritebackBit = 2 };
enum Flag : std::uint8_t { kPin = 1, kLocked = 2, kWriteback = 4 };

// Memory locations.
enum Loc : int {
  kLocFlags = 0,     // page->flags (with split_flags=1: LOCKED and WRITEBACK only)
  kLocMapcount = 1,  // page->_mapcount + 1: present PTEs + counted pins
  kLocRefcount = 2,  // page->_refcount
  kLocPte0 = 3,      // pte[i] at kLocPte0 + i
  kLocPtl0 = 5,      // ptl[i] at kLocPtl0 + i
  kLocPin = 7,       // split_flags=1 only: PIN in a word of its own (WRONG model)
};

using Bounds = memory::Bounds<8, 8, 2, 8>;
template <memory::Model M>
using MachineOf = memory::Machine<M, Bounds>;

enum Pte : std::uint8_t { kPteNone, kPteRo, kPteRw, kPteZapped, kPteCount };

enum GupPc : std::uint8_t {
  kGupIdle,         // next: gup-fast reads pte[0]
  kGupRecheckPte,   // next: get_page (full); pte_val(pte) != pte_val(*ptep) -> put, fail
  kGupCheckWb,      // A1: R flags; WRITEBACK -> put, wait, refault
  kGupG0,           // A2 G0: wb := R WRITEBACK, pin := R PIN (one flags read); G1 rmb
  kGupWaitWb,       // A1/A2: wait_on_page_writeback, then retry
  kGupLockPage,     // A3: lock_page(P)
  kGupIncMapcount,  // A0/A1/A3: mapcount += 1; A2: G2, G3
  kGupSetPin,       // A1/A3: SetPin; A2: G4, G5
  kGupG6,           // A2 G6: R flags & WRITEBACK
  kGupG6Undo,       // A2 G6: mapcount -= 1, put_page, then wait
  kGupUnlockPage,   // A3: unlock_page(P)
  kGupHold,         // pin returned to the caller; next: put_user_page
  kGupCount
};

enum WbPc : std::uint8_t {
  kWbIdle,           // next: lock_page
  kWbTestClearPin,   // A2 C1, C2
  kWbReadMapcount,   // A0 step 2, A1 m1, A2 C3, A3 after / A3' before the walk
  kWbWalk,           // page_mkclean: one PTE per step, index wb_idx
  kWbTestPin,        // A1: R PIN
  kWbReadMapcount2,  // A1: m2
  kWbRewalk,         // A1: count special entries, index wb_idx
  kWbUpdatePin,      // A0 Set/ClearPin; A1/A3 ClearPin; A2 C5
  kWbSetWriteback,   // T1 test_and_set(WRITEBACK), T2 wmb
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
  kG6MissedWb = 4,  // G6 read WRITEBACK = 0 before end_page_writeback (sc: before T1)
  kG4DuringWb = 8,  // G4 ran while the I/O was in flight (after T1, before end_page_writeback)
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

template <memory::Model M>
struct State {
  typename MachineOf<M>::Mem mem;  // flags, mapcount, refcount, pte[], ptl[] (Loc)
  std::uint8_t zapped;             // ghost: bit i: munmap chose mapping i
  std::uint8_t g_pins;             // pins held (ghost)
  std::uint8_t wb_pc;              // WbPc
  std::uint8_t wb_idx;             // walk / rewalk index
  std::uint8_t wb_real;            // present PTEs counted by the walk
  std::uint8_t wb_m;               // mapcount snapshot (A0 m, A1 m1, A2 mp, A3 m)
  std::uint8_t wb_m2;              // A1 m2
  std::uint8_t wb_rc2;             // A1 special entries counted by the rewalk
  std::uint8_t wb_pinned;          // A2 C1 result
  std::uint8_t g_bounce;           // T3: 0 not yet, 1 read PIN = 0, 2 read PIN = 1
  std::uint8_t zap_pc;             // ZapPc
  std::uint8_t zap_pte;            // the PTE being zapped
  std::uint8_t zaps_done;
  std::uint8_t obs_pc;                                 // ObsPc
  std::uint8_t g_obs;                                  // ObsMiss bits
  std::uint8_t g_seen;                                 // Seen bits
  std::array<std::uint8_t, kMaxGupCpus> gup_pc;        // GupPc
  std::array<std::uint8_t, kMaxGupCpus> gup_attempts;  // attempts finished
  std::array<std::uint8_t, kMaxGupCpus> gup_ghost;     // GupGhost bits
  // observer > 0: bit k: g_pins was 0 at some instant while the value of the
  // PIN word k places from the newest (coherence order) was the newest, i.e.
  // a load returning it can be placed where no pin was held.
  std::uint8_t g_reign;
  std::uint8_t pad;  // keeps the size a multiple of 4
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
  int split_flags;  // 1: PIN in its own location (deliberately wrong model)
  bool a0() const { return proposal == kA0MapcountMinusReal; }
  bool a1() const { return proposal == kA1SnapshotRecheck; }
  bool a2() const { return proposal == kA2PagepinTestclear; }
  bool a3() const { return proposal == kA3LockPage || proposal == kA3LockPageMapcountFirst; }
  // The location holding PIN.
  int pin_loc() const { return split_flags ? kLocPin : kLocFlags; }
  // Memory CPUs: gup 0..gup_cpus-1, wb, zap, obs.
  int wb_cpu() const { return gup_cpus; }
  int zap_cpu() const { return gup_cpus + 1; }
  int obs_cpu() const { return gup_cpus + 2; }
};

// The newest value of a location in coherence order (what a ghost observer
// at this instant would call "the value"; under sc the only value).
template <memory::Model M>
std::int32_t newest(const State<M>& s, int loc) {
  return MachineOf<M>::newest(s.mem, loc);
}
template <memory::Model M>
bool pin_set(const Config& c, const State<M>& s) {
  return (newest(s, c.pin_loc()) & kPin) != 0;
}

// WB holds LOCKED: after its lock_page, up to and including its unlock step.
inline bool wb_holds_lock(std::uint8_t wb_pc) { return wb_pc > kWbIdle && wb_pc <= kWbUnlock; }

// WB has made its PIN decision and still holds LOCKED (A-I1's window).
inline bool wb_decided_locked(std::uint8_t wb_pc) {
  return wb_pc == kWbSetWriteback || wb_pc == kWbBounceCheck || wb_pc == kWbUnlock;
}

// The I/O is in flight: T1 set WRITEBACK, end_page_writeback has not run.
inline bool io_in_flight(std::uint8_t wb_pc) { return wb_pc > kWbSetWriteback && wb_pc < kWbDone; }

}  // namespace mmcheck::mm::pin_mkclean

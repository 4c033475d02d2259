// File: spec/mm/gupfast_fork.cpp
//
// The action table, proposals and registration of gupfast_fork; the kernel
// references, the races and the abstractions are in gupfast_fork.hpp.
//
// Proposals are branch points: a family absent from a proposal has count 0
// (e.g. the seqcount steps in `unsynchronized`, UNMAP before E2, the v6.0
// barriers before E3); the few behavioural differences are Config predicates
// tested in effects (legacy(), foll_pin(), anon_exclusive(), ...).
#include "spec/mm/gupfast_fork.hpp"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "mmcheck/spec.hpp"
#include "mmcheck/text.hpp"
#include "properties/mm/gupfast_fork.hpp"
#include "registry/adapter.hpp"

namespace mmcheck::mm::gupfast_fork {
namespace {

constexpr std::string_view kGupPcNames[] = {
    "idle", "read_seq", "read_pte",        "pin", "recheck_pte",          "recheck_seq",
    "hold", "pin_bias", "mb_after_atomic", "rmb", "check_anon_exclusive", "check_mapcount"};
constexpr std::string_view kForkPcNames[] = {"idle",
                                             "seq_begin",
                                             "lock_ptl",
                                             "read_has_pinned",
                                             "read_refcount",
                                             "copy",
                                             "dup",
                                             "wrprotect",
                                             "unlock_ptl",
                                             "seq_end",
                                             "unlock_mmap",
                                             "done",
                                             "clear_anon_exclusive"};
constexpr std::string_view kParentPcNames[] = {"idle", "fault_lock", "check",  "reuse",
                                               "copy", "done",       "swap_in"};
constexpr std::string_view kUnmapPcNames[] = {"idle",
                                              "clear_pte",
                                              "ksm_check",
                                              "mb",
                                              "read_refcount",
                                              "clear_anon_exclusive",
                                              "mb_after_atomic",
                                              "set_pte",
                                              "restore",
                                              "done"};
constexpr std::string_view kUnmapKindNames[] = {"swap", "ksm"};
constexpr std::string_view kChildNames[] = {"none", "shares", "copied", "exited", "shares X'"};
constexpr std::string_view kMmapNames[] = {"free", "write(fork)", "read(parent)"};
constexpr std::string_view kPtlNames[] = {"free", "fork", "parent", "unmap"};
constexpr std::string_view kPageNames[] = {"X", "X'"};

std::string pte_kind(std::uint8_t pte) {
  if (pte & kPteNone) return "none";
  if (pte & kPteSwap) return (pte & kPteSwpExclusive) ? "swap(exclusive)" : "swap";
  return "present";
}

struct Spec {
  using State = gupfast_fork::State;
  using Config = gupfast_fork::Config;
  using Family = ActionFamily<State, Config>;
  using Prop = Property<State, Config>;

  static constexpr std::string_view name = "gupfast_fork";
  static constexpr std::string_view summary =
      "gup-fast vs fork, the parent's write fault and (v5.19+) PageAnonExclusive sharing "
      "(v5.9-v6.0)";
  static constexpr DeadlockPolicy deadlock_policy = DeadlockPolicy::stuck;

  static std::span<const ProposalSpec> proposals() {
    static constexpr ProposalSpec kProposals[] = {
        {"unsynchronized",
         "v5.9: fork copies pages with has_pinned && page_maybe_dma_pinned (70e806e4e645, "
         "f3c64eda3e50); no seqcount"},
        {"write-protect-seq",
         "v5.11: fork bumps mm->write_protect_seq, gup-fast rechecks it (57efa1fe5957)"},
        {"E1-mapcount-unshare",
         "David's v1 (Dec 2021): R/O FOLL_GET gup-fast unshares iff mapcount > 1, no seqcount"},
        {"E2-anon-exclusive-5.19",
         "v5.19: PageAnonExclusive; gup-fast B5 check, fork clears it, UNMAP shares (A1-A4)"},
        {"E3-anon-exclusive-6.0",
         "v6.0: E2 plus the GUP-fast/page_try_share_anon_rmap barriers (088b8aa537c2)"},
    };
    return kProposals;
  }
  static std::span<const ParamSpec> params() {
    static constexpr ParamSpec kParams[] = {
        {"gup_cpus", 1, 1, kMaxGupCpus,
         "CPUs running gup-fast (FOLL_PIN|FOLL_WRITE; E1 FOLL_GET, E2/E3 FOLL_PIN, R/O)"},
        {"attempts", 1, 1, 3, "gup-fast attempts per CPU (each pins and later unpins)"},
    };
    return kParams;
  }
  static Config configure(const RunConfig& run) {
    return Config{static_cast<Proposal>(run.proposal), run.params[0], run.params[1]};
  }
  static State initial(const Config& c) {
    State s{};
    s.refcount = {1, 0};  // the parent's mapping holds X's only reference
    s.mapcount = {1, 0};
    // v5.9/v5.11: X was just faulted in writable. §E: X was swapped in by a
    // read fault, so it is mapped R/O (and, from v5.19, exclusive).
    s.pte = c.legacy() ? static_cast<std::uint8_t>(kX << 1 | kPteWrite)
                       : static_cast<std::uint8_t>(kX << 1);
    if (c.anon_exclusive()) s.flags[kX] = kPageAnonExclusive;
    return s;
  }

  // Actor columns: gup CPU0..n-1, fork, parent, child, (E2/E3) unmap.
  static int gup_actor(const Config&, int cpu) { return cpu; }
  static int fork_actor(const Config& c, int) { return c.gup_cpus; }
  static int parent_actor(const Config& c, int) { return c.gup_cpus + 1; }
  static int child_actor(const Config& c, int) { return c.gup_cpus + 2; }
  static int unmap_actor(const Config& c, int) { return c.gup_cpus + 3; }

  // Family counts: 0 removes a family from a proposal.
  static int gup_count(const Config& c) { return c.gup_cpus; }
  static int pin_gup_count(const Config& c) { return c.foll_pin() ? c.gup_cpus : 0; }
  static int seq_gup_count(const Config& c) { return c.gup_seqcount() ? c.gup_cpus : 0; }
  static int legacy_gup_count(const Config& c) { return c.legacy() ? c.gup_cpus : 0; }
  static int e_gup_count(const Config& c) { return c.section_e() ? c.gup_cpus : 0; }
  static int ae_gup_count(const Config& c) { return c.anon_exclusive() ? c.gup_cpus : 0; }
  static int v6_gup_count(const Config& c) { return c.v6_barriers() ? c.gup_cpus : 0; }
  static int get_gup_count(const Config& c) { return c.mapcount_unshare() ? c.gup_cpus : 0; }
  static int seq_count(const Config& c) { return c.fork_seqcount() ? 1 : 0; }
  static int ae_count(const Config& c) { return c.anon_exclusive() ? 1 : 0; }
  static int v6_count(const Config& c) { return c.v6_barriers() ? 1 : 0; }
  static int unmap_kind_count(const Config& c) { return c.anon_exclusive() ? kUnmapKinds : 0; }

  // A failed gup-fast attempt falls back to the slow path (not modelled).
  static void gup_fail(State& s, int i) {
    s.gup_pc[i] = kGupIdle;
    s.gup_seq[i] = 0;
    s.gup_pte[i] = 0;
    ++s.gup_attempts[i];
  }
  static void unpin(const Config& c, State& s, int i) {
    s.refcount[s.gup_pte[i] >> 1] -= c.pin_refs();
  }
  static ForkPc after_read_decision(const Config& c) {
    return c.anon_exclusive() ? kForkClearAnonExclusive : kForkDup;
  }
  // After A1 (and KSM's count check): share an exclusive page, else go to A4.
  static UnmapPc unmap_share_step(const Config& c, const State& s) {
    if (!s.unmap_excl) return kUnmapSetPte;
    return c.v6_barriers() ? kUnmapMb : kUnmapReadRefcount;
  }
  static void unmap_unlock(State& s) {
    s.ptl = kPtlFree;
    s.unmap_pc = kUnmapDone;
  }

  static std::span<const Family> actions() {
    static constexpr Family kFamilies[] = {
        // internal_get_user_pages_fast(): atomic_set(&mm->has_pinned, 1)
        // (v5.19 B0: set_bit(MMF_HAS_PINNED) if clear). FOLL_PIN only.
        {"gup.set_has_pinned", "cpu", pin_gup_count,
         [](const Config& c, const State& s, int i) {
           return s.gup_pc[i] == kGupIdle && s.gup_attempts[i] < c.attempts;
         },
         [](const Config& c, State& s, int i) {
           s.has_pinned = 1;
           s.gup_pc[i] = c.gup_seqcount() ? kGupReadSeq : kGupReadPte;
         },
         gup_actor},
        // raw_read_seqcount(&mm->write_protect_seq) (seq; smp_rmb); odd -> slow path
        {"gup.read_seq", "cpu", seq_gup_count,
         [](const Config&, const State& s, int i) { return s.gup_pc[i] == kGupReadSeq; },
         [](const Config&, State& s, int i) {
           if (s.seq & 1) {
             gup_fail(s, i);
           } else {
             s.gup_seq[i] = s.seq;
             s.gup_pc[i] = kGupReadPte;
           }
         },
         gup_actor},
        // B1/B2: ptep_get_lockless(); pte_present; pte_access_permitted(pte, FOLL_WRITE).
        // E1 (FOLL_GET) starts its attempt here.
        {"gup.read_pte", "cpu", gup_count,
         [](const Config& c, const State& s, int i) {
           return s.gup_pc[i] == kGupReadPte ||
                  (!c.foll_pin() && s.gup_pc[i] == kGupIdle && s.gup_attempts[i] < c.attempts);
         },
         [](const Config& c, State& s, int i) {
           if (!pte_present(s.pte) || (c.foll_write() && !pte_writable(s.pte))) {
             gup_fail(s, i);
           } else {
             s.gup_pte[i] = static_cast<std::uint8_t>(pte_value(s));
             s.gup_pc[i] = kGupPin;
           }
         },
         gup_actor},
        // v5.11 try_grab_compound_head(): page_ref_add_unless(page, 1024, 0)
        {"gup.pin", "cpu", legacy_gup_count,
         [](const Config&, const State& s, int i) { return s.gup_pc[i] == kGupPin; },
         [](const Config&, State& s, int i) {
           s.refcount[s.gup_pte[i] >> 1] += kPinBias;
           s.gup_pc[i] = kGupRecheckPte;
         },
         gup_actor},
        // B3, §E: try_grab_folio() -> try_get_folio(): folio_try_get_rcu (+1;
        // fully ordered on success, fails on a freed page). FOLL_GET stops here.
        {"gup.try_get", "cpu", e_gup_count,
         [](const Config&, const State& s, int i) { return s.gup_pc[i] == kGupPin; },
         [](const Config& c, State& s, int i) {
           const int page = s.gup_pte[i] >> 1;
           if (s.refcount[page] == 0) {
             gup_fail(s, i);
             return;
           }
           ++s.refcount[page];
           s.gup_pc[i] = c.foll_pin() ? kGupPinBias : kGupRecheckPte;
         },
         gup_actor},
        // B3, FOLL_PIN small folio: folio_ref_add(folio, 1023) (unordered RMW)
        {"gup.pin_bias", "cpu", ae_gup_count,
         [](const Config&, const State& s, int i) { return s.gup_pc[i] == kGupPinBias; },
         [](const Config& c, State& s, int i) {
           s.refcount[s.gup_pte[i] >> 1] += kPinBias - 1;
           s.gup_pc[i] = c.v6_barriers() ? kGupMbAfterAtomic : kGupRecheckPte;
         },
         gup_actor},
        // v6.0 try_grab_folio(): smp_mb__after_atomic() (088b8aa537c2); no-op under sc
        {"gup.smp_mb_after_atomic", "cpu", v6_gup_count,
         [](const Config&, const State& s, int i) { return s.gup_pc[i] == kGupMbAfterAtomic; },
         [](const Config&, State& s, int i) { s.gup_pc[i] = kGupRecheckPte; }, gup_actor},
        // B4: if (pte_val(pte) != pte_val(*ptep)) put and fail. §E: then, for a
        // R/O pte, gup_must_unshare (E1: mapcount; E2/E3: PageAnonExclusive).
        {"gup.recheck_pte", "cpu", gup_count,
         [](const Config&, const State& s, int i) { return s.gup_pc[i] == kGupRecheckPte; },
         [](const Config& c, State& s, int i) {
           if (s.gup_pte[i] != pte_value(s)) {
             unpin(c, s, i);
             gup_fail(s, i);
           } else if (c.section_e() && !(s.gup_pte[i] & kPteWrite)) {
             s.gup_pc[i] = c.mapcount_unshare() ? kGupCheckMapcount
                           : c.v6_barriers()    ? kGupRmb
                                                : kGupCheckAnonExclusive;
           } else {
             s.gup_pc[i] = c.gup_seqcount() ? kGupRecheckSeq : kGupHold;
           }
         },
         gup_actor},
        // v6.0 gup_must_unshare(): smp_rmb() before PageAnonExclusive; no-op under sc
        {"gup.smp_rmb", "cpu", v6_gup_count,
         [](const Config&, const State& s, int i) { return s.gup_pc[i] == kGupRmb; },
         [](const Config&, State& s, int i) { s.gup_pc[i] = kGupCheckAnonExclusive; }, gup_actor},
        // B5: gup_must_unshare(): !PageAnonExclusive(page) -> unpin, fail (slow
        // path unshares)
        {"gup.check_anon_exclusive", "cpu", ae_gup_count,
         [](const Config&, const State& s, int i) { return s.gup_pc[i] == kGupCheckAnonExclusive; },
         [](const Config& c, State& s, int i) {
           if (!anon_exclusive(s, s.gup_pte[i] >> 1)) {
             unpin(c, s, i);
             gup_fail(s, i);
           } else {
             s.gup_pc[i] = kGupRecheckSeq;
           }
         },
         gup_actor},
        // E1: gup_must_unshare_v1(): page_mapcount(page) > 1 -> put_page, fail
        {"gup.check_mapcount", "cpu", get_gup_count,
         [](const Config&, const State& s, int i) { return s.gup_pc[i] == kGupCheckMapcount; },
         [](const Config& c, State& s, int i) {
           if (s.mapcount[s.gup_pte[i] >> 1] > 1) {
             unpin(c, s, i);
             gup_fail(s, i);
           } else {
             s.gup_pc[i] = kGupHold;
           }
         },
         gup_actor},
        // B6: read_seqcount_retry() (smp_rmb; seq); changed -> unpin_user_pages()
        // and slow path
        {"gup.recheck_seq", "cpu", seq_gup_count,
         [](const Config&, const State& s, int i) { return s.gup_pc[i] == kGupRecheckSeq; },
         [](const Config& c, State& s, int i) {
           if (s.seq != s.gup_seq[i]) {
             unpin(c, s, i);
             gup_fail(s, i);
           } else {
             s.gup_pc[i] = kGupHold;
           }
         },
         gup_actor},
        // The pin's user is done: unpin_user_page() (E1: put_page())
        {"gup.unpin", "cpu", gup_count,
         [](const Config&, const State& s, int i) { return s.gup_pc[i] == kGupHold; },
         [](const Config& c, State& s, int i) {
           unpin(c, s, i);
           s.gup_pc[i] = kGupIdle;
           s.gup_seq[i] = 0;
           s.gup_pte[i] = 0;
           ++s.gup_attempts[i];
         },
         gup_actor},
        // dup_mmap(): mmap_write_lock(oldmm)
        {"fork.mmap_write_lock", "", one<Config>,
         [](const Config&, const State& s, int) {
           return s.fork_pc == kForkIdle && s.mmap_lock == kMmapFree;
         },
         [](const Config& c, State& s, int) {
           s.mmap_lock = kMmapWrite;
           s.fork_pc = c.fork_seqcount() ? kForkSeqBegin : kForkLockPtl;
         },
         fork_actor},
        // F2 copy_page_range(): raw_write_seqcount_begin(&src_mm->write_protect_seq)
        // (seq++; smp_wmb)
        {"fork.seq_begin", "", seq_count,
         [](const Config&, const State& s, int) { return s.fork_pc == kForkSeqBegin; },
         [](const Config&, State& s, int) {
           ++s.seq;
           s.fork_pc = kForkLockPtl;
         },
         fork_actor},
        // copy_pte_range(): lock the dst and src ptl; a swap pte goes to
        // copy_nonpresent_pte() (no pin check)
        {"fork.lock_ptl", "", one<Config>,
         [](const Config&, const State& s, int) {
           return s.fork_pc == kForkLockPtl && s.ptl == kPtlFree;
         },
         [](const Config&, State& s, int) {
           s.ptl = kPtlFork;
           s.fork_pc = pte_present(s.pte) ? kForkReadHasPinned : kForkDup;
         },
         fork_actor},
        // F3 copy_present_page(): if (likely(!atomic_read(&src_mm->has_pinned))) share
        // (v5.19 page_needs_cow_for_dma(): test_bit(MMF_HAS_PINNED))
        {"fork.read_has_pinned", "", one<Config>,
         [](const Config&, const State& s, int) { return s.fork_pc == kForkReadHasPinned; },
         [](const Config& c, State& s, int) {
           s.fork_pc = s.has_pinned ? kForkReadRefcount : after_read_decision(c);
         },
         fork_actor},
        // F3 copy_present_page(): if (likely(!page_maybe_dma_pinned(page))) share
        {"fork.read_refcount", "", one<Config>,
         [](const Config&, const State& s, int) { return s.fork_pc == kForkReadRefcount; },
         [](const Config& c, State& s, int) {
           s.fork_pc = s.refcount[pte_page(s.pte)] >= kPinBias ? kForkCopy : after_read_decision(c);
         },
         fork_actor},
        // F4 copy_present_page(): the child gets a private copy; parent pte untouched
        {"fork.copy_for_child", "", one<Config>,
         [](const Config&, const State& s, int) { return s.fork_pc == kForkCopy; },
         [](const Config&, State& s, int) {
           s.child = kChildCopied;
           s.fork_pc = kForkUnlockPtl;
         },
         fork_actor},
        // F5 page_try_dup_anon_rmap(): ClearPageAnonExclusive(page) (RMW, unordered)
        {"fork.clear_anon_exclusive", "", ae_count,
         [](const Config&, const State& s, int) { return s.fork_pc == kForkClearAnonExclusive; },
         [](const Config&, State& s, int) {
           s.flags[pte_page(s.pte)] &= static_cast<std::uint8_t>(~kPageAnonExclusive);
           s.fork_pc = kForkDup;
         },
         fork_actor},
        // F5 copy_present_pte(): get_page(page); page_dup_rmap(page, false).
        // copy_nonpresent_pte(): swap_duplicate(); pte_swp_clear_exclusive(src pte).
        {"fork.dup", "", one<Config>,
         [](const Config&, const State& s, int) { return s.fork_pc == kForkDup; },
         [](const Config&, State& s, int) {
           const int page = pte_page(s.pte);
           ++s.refcount[page];
           ++s.mapcount[page];
           s.child = page == kX ? kChildShares : kChildSharesCopy;
           if (pte_is_swap(s.pte)) {
             s.pte &= static_cast<std::uint8_t>(~kPteSwpExclusive);
             s.fork_pc = kForkUnlockPtl;
           } else {
             s.fork_pc = kForkWrprotect;
           }
         },
         fork_actor},
        // F6 copy_present_pte(): if (is_cow_mapping && pte_write) ptep_set_wrprotect()
        {"fork.wrprotect", "", one<Config>,
         [](const Config&, const State& s, int) { return s.fork_pc == kForkWrprotect; },
         [](const Config&, State& s, int) {
           s.pte &= static_cast<std::uint8_t>(~kPteWrite);
           s.fork_pc = kForkUnlockPtl;
         },
         fork_actor},
        {"fork.unlock_ptl", "", one<Config>,
         [](const Config&, const State& s, int) { return s.fork_pc == kForkUnlockPtl; },
         [](const Config& c, State& s, int) {
           s.ptl = kPtlFree;
           s.fork_pc = c.fork_seqcount() ? kForkSeqEnd : kForkUnlockMmap;
         },
         fork_actor},
        // F7 copy_page_range(): raw_write_seqcount_end() (smp_wmb; seq++)
        {"fork.seq_end", "", seq_count,
         [](const Config&, const State& s, int) { return s.fork_pc == kForkSeqEnd; },
         [](const Config&, State& s, int) {
           ++s.seq;
           s.fork_pc = kForkUnlockMmap;
         },
         fork_actor},
        {"fork.mmap_write_unlock", "", one<Config>,
         [](const Config&, const State& s, int) { return s.fork_pc == kForkUnlockMmap; },
         [](const Config&, State& s, int) {
           s.mmap_lock = kMmapFree;
           s.fork_pc = kForkDone;
         },
         fork_actor},
        // The parent stores to the page: no fault while the pte is writable.
        {"parent.write", "", one<Config>,
         [](const Config&, const State& s, int) { return s.parent_pc == kParentIdle; },
         [](const Config&, State& s, int) {
           s.parent_pc = pte_writable(s.pte) ? kParentDone : kParentFaultLock;
         },
         parent_actor},
        // Write fault: mmap_read_lock, then the pte's ptl (handle_pte_fault);
        // a swap pte goes to do_swap_page
        {"parent.fault_lock", "", one<Config>,
         [](const Config&, const State& s, int) {
           return s.parent_pc == kParentFaultLock && s.mmap_lock == kMmapFree && s.ptl == kPtlFree;
         },
         [](const Config&, State& s, int) {
           s.mmap_lock = kMmapRead;
           s.ptl = kPtlParent;
           s.parent_pc = pte_is_swap(s.pte)    ? kParentSwapIn
                         : pte_writable(s.pte) ? kParentReuse
                                               : kParentCheck;
         },
         parent_actor},
        // do_swap_page(): exclusive := pte_swp_exclusive; if exclusive ||
        // page_count == 1: RMAP_EXCLUSIVE and (write fault) a writable pte; else
        // map R/O and do_wp_page()
        {"parent.swap_in", "", ae_count,
         [](const Config&, const State& s, int) { return s.parent_pc == kParentSwapIn; },
         [](const Config&, State& s, int) {
           const int page = pte_page(s.pte);
           const bool exclusive = (s.pte & kPteSwpExclusive) || s.refcount[page] == 1;
           s.pte = static_cast<std::uint8_t>(page << 1);
           if (exclusive) {
             s.flags[page] |= kPageAnonExclusive;
             s.pte |= kPteWrite;
             s.ptl = kPtlFree;
             s.mmap_lock = kMmapFree;
             s.parent_pc = kParentDone;
           } else {
             s.parent_pc = kParentCheck;
           }
         },
         parent_actor},
        // do_wp_page(): v5.11 reuse iff page_count == 1 && page_mapcount == 1;
        // v5.19: PageAnonExclusive -> reuse, else page_count == 1
        {"parent.check_reuse", "", one<Config>,
         [](const Config&, const State& s, int) { return s.parent_pc == kParentCheck; },
         [](const Config& c, State& s, int) {
           const int page = pte_page(s.pte);
           const bool reuse = c.anon_exclusive() ? anon_exclusive(s, page) || s.refcount[page] == 1
                                                 : s.refcount[page] == 1 && s.mapcount[page] == 1;
           s.parent_pc = reuse ? kParentReuse : kParentCopy;
         },
         parent_actor},
        // wp_page_reuse(): make the pte writable; unlock. v5.19: after
        // page_move_anon_rmap() (SetPageAnonExclusive)
        {"parent.reuse", "", one<Config>,
         [](const Config&, const State& s, int) { return s.parent_pc == kParentReuse; },
         [](const Config& c, State& s, int) {
           if (c.anon_exclusive()) s.flags[pte_page(s.pte)] |= kPageAnonExclusive;
           s.pte |= kPteWrite;
           s.ptl = kPtlFree;
           s.mmap_lock = kMmapFree;
           s.parent_pc = kParentDone;
         },
         parent_actor},
        // wp_page_copy(): pte := X' writable (exclusive); page_remove_rmap(X); put_page(X)
        {"parent.cow_copy", "", one<Config>,
         [](const Config&, const State& s, int) { return s.parent_pc == kParentCopy; },
         [](const Config& c, State& s, int) {
           s.refcount[kXCopy] = 1;
           s.mapcount[kXCopy] = 1;
           if (c.anon_exclusive()) s.flags[kXCopy] = kPageAnonExclusive;
           --s.refcount[kX];
           --s.mapcount[kX];
           s.pte = static_cast<std::uint8_t>(kXCopy << 1 | kPteWrite);
           s.ptl = kPtlFree;
           s.mmap_lock = kMmapFree;
           s.parent_pc = kParentDone;
         },
         parent_actor},
        // The child exits: zap its pte (put_page + page_remove_rmap if shared)
        {"child.exit", "", one<Config>,
         [](const Config&, const State& s, int) {
           return s.fork_pc == kForkDone && (s.child == kChildShares || s.child == kChildCopied ||
                                             s.child == kChildSharesCopy);
         },
         [](const Config&, State& s, int) {
           const int page = child_page(s);
           if (page >= 0) {
             --s.refcount[page];
             --s.mapcount[page];
           }
           s.child = kChildExited;
         },
         child_actor},
        // UNMAP (E2/E3), kind = swap-out (try_to_unmap_one) or KSM
        // (write_protect_page): page_vma_mapped_walk() takes the ptl; nothing
        // to do unless the pte is present.
        {"unmap.lock_ptl", "kind", unmap_kind_count,
         [](const Config&, const State& s, int) {
           return s.unmap_pc == kUnmapIdle && s.ptl == kPtlFree;
         },
         [](const Config&, State& s, int kind) {
           s.unmap_kind = static_cast<std::uint8_t>(kind);
           if (!pte_present(s.pte)) {
             s.unmap_pc = kUnmapDone;
           } else {
             s.ptl = kPtlUnmap;
             s.unmap_pc = kUnmapClearPte;
           }
         },
         unmap_actor},
        // anon_exclusive := PageAnonExclusive(subpage) (writers hold this ptl);
        // A1: pteval := ptep_clear_flush(). KSM does this only if
        // pte_write || pte_dirty || anon_exclusive, else the page is already R/O.
        {"unmap.clear_pte", "", ae_count,
         [](const Config&, const State& s, int) { return s.unmap_pc == kUnmapClearPte; },
         [](const Config& c, State& s, int) {
           s.unmap_excl = anon_exclusive(s, pte_page(s.pte)) ? 1 : 0;
           if (s.unmap_kind == kUnmapKsm && !s.unmap_excl && !pte_writable(s.pte)) {
             unmap_unlock(s);
             return;
           }
           s.unmap_pte = s.pte;
           s.pte = kPteNone;
           s.unmap_pc = s.unmap_kind == kUnmapKsm ? kUnmapKsmCheck : unmap_share_step(c, s);
         },
         unmap_actor},
        // KSM write_protect_page(): page_mapcount + 1 + swapped != page_count -> restore
        {"unmap.ksm_check_refcount", "", ae_count,
         [](const Config&, const State& s, int) { return s.unmap_pc == kUnmapKsmCheck; },
         [](const Config& c, State& s, int) {
           const int page = pte_page(s.unmap_pte);
           s.unmap_pc =
               s.refcount[page] != s.mapcount[page] ? kUnmapRestore : unmap_share_step(c, s);
         },
         unmap_actor},
        // v6.0 page_try_share_anon_rmap(): smp_mb() before A2; no-op under sc
        {"unmap.smp_mb", "", v6_count,
         [](const Config&, const State& s, int) { return s.unmap_pc == kUnmapMb; },
         [](const Config&, State& s, int) { s.unmap_pc = kUnmapReadRefcount; }, unmap_actor},
        // A2 page_try_share_anon_rmap(): page_maybe_dma_pinned() -> -EBUSY
        {"unmap.read_refcount", "", ae_count,
         [](const Config&, const State& s, int) { return s.unmap_pc == kUnmapReadRefcount; },
         [](const Config&, State& s, int) {
           s.unmap_pc = s.refcount[pte_page(s.unmap_pte)] >= kPinBias ? kUnmapRestore
                                                                      : kUnmapClearAnonExclusive;
         },
         unmap_actor},
        // A3 page_try_share_anon_rmap(): ClearPageAnonExclusive() (RMW, unordered)
        {"unmap.clear_anon_exclusive", "", ae_count,
         [](const Config&, const State& s, int) { return s.unmap_pc == kUnmapClearAnonExclusive; },
         [](const Config& c, State& s, int) {
           s.flags[pte_page(s.unmap_pte)] &= static_cast<std::uint8_t>(~kPageAnonExclusive);
           s.unmap_pc = c.v6_barriers() ? kUnmapMbAfterAtomic : kUnmapSetPte;
         },
         unmap_actor},
        // v6.0 page_try_share_anon_rmap(): smp_mb__after_atomic() ("conceptually
        // smp_wmb"); no-op under sc
        {"unmap.smp_mb_after_atomic", "", v6_count,
         [](const Config&, const State& s, int) { return s.unmap_pc == kUnmapMbAfterAtomic; },
         [](const Config&, State& s, int) { s.unmap_pc = kUnmapSetPte; }, unmap_actor},
        // A4: set_pte_at(swp_pte [pte_swp_mkexclusive if anon_exclusive]) or
        // (KSM) set_pte_at_notify(pte_mkclean(pte_wrprotect(pteval))); unlock
        {"unmap.set_pte", "", ae_count,
         [](const Config&, const State& s, int) { return s.unmap_pc == kUnmapSetPte; },
         [](const Config&, State& s, int) {
           if (s.unmap_kind == kUnmapSwap) {
             s.pte = static_cast<std::uint8_t>(kPteSwap | (s.unmap_pte & kPtePage) |
                                               (s.unmap_excl ? kPteSwpExclusive : 0));
           } else {
             s.pte = static_cast<std::uint8_t>(s.unmap_pte & ~kPteWrite);
           }
           unmap_unlock(s);
         },
         unmap_actor},
        // Backed off (pinned): set_pte_at(pteval) restores the pte; unlock
        {"unmap.restore_pte", "", ae_count,
         [](const Config&, const State& s, int) { return s.unmap_pc == kUnmapRestore; },
         [](const Config&, State& s, int) {
           s.pte = s.unmap_pte;
           unmap_unlock(s);
         },
         unmap_actor},
    };
    return kFamilies;
  }

  static std::span<const Prop> properties() {
    static constexpr Prop kProps[] = {
        {PropertyKind::always, "pinned_page_never_cowed",
         "INV-PIN-COHERENT/E-I3: while a gup-fast FOLL_PIN pin is held, the parent's present pte "
         "maps the pinned page",
         pinned_page_never_cowed},
        {PropertyKind::always, "pinned_page_exclusive",
         "E-I1 (E2/E3): while a FOLL_PIN pin on X is held, ANON_EXCLUSIVE(X) and no other mm "
         "maps X",
         pinned_page_exclusive},
        {PropertyKind::always, "exclusive_page_unshared",
         "E-I2 (E2/E3): ANON_EXCLUSIVE(X) => only one mm maps or swap-references X",
         exclusive_page_unshared},
        {PropertyKind::always, "shared_page_never_writable",
         "E-I4 (E2/E3): outside ptl sections, a writable pte maps an ANON_EXCLUSIVE page",
         shared_page_never_writable},
        {PropertyKind::always, "gup_page_never_shared",
         "E-v1's claim (§E): while a GUP reference (GET or PIN) on X is held, no other mm maps X",
         gup_page_never_shared},
        {PropertyKind::reachable, "pin_taken", "gup-fast returns a pin", pin_taken},
        {PropertyKind::reachable, "fork_copies_pinned_page",
         "fork sees the pin and gives the child a private copy", fork_copies_pinned_page},
        {PropertyKind::reachable, "child_shares_page", "fork shares the page with the child",
         child_shares_page},
        {PropertyKind::reachable, "parent_cow_after_fork",
         "the parent's write fault copies the page", parent_cow_after_fork},
        {PropertyKind::reachable, "ro_pin_taken",
         "§E: gup-fast returns a reference taken from a R/O pte (vacuous before §E)", ro_pin_taken},
        {PropertyKind::reachable, "gup_backs_off_shared_page",
         "§E: gup_must_unshare finds a possibly shared page (E1 mapcount > 1, E2/E3 "
         "!ANON_EXCLUSIVE) (vacuous before §E)",
         gup_backs_off_shared_page},
        {PropertyKind::reachable, "pte_recheck_passes_on_shared_page",
         "E2/E3: B4 sees the same pte but the page was shared meanwhile: only B5 (or B6) "
         "stops the pin (vacuous otherwise)",
         pte_recheck_passes_on_shared_page},
        {PropertyKind::reachable, "pinned_exclusive_page_reused",
         "E2/E3: a write fault on a pinned R/O ANON_EXCLUSIVE page reuses it (vacuous otherwise)",
         pinned_exclusive_page_reused},
        {PropertyKind::reachable, "unmap_sees_pin",
         "E2/E3: A2 page_maybe_dma_pinned is true, UNMAP backs off (vacuous otherwise)",
         unmap_sees_pin},
        {PropertyKind::reachable, "unmap_shares_exclusive_page",
         "E2/E3: A3 clears ANON_EXCLUSIVE (vacuous otherwise)", unmap_shares_exclusive_page},
        {PropertyKind::reachable, "exclusive_swap_entry",
         "E2/E3: the parent's pte is a swap entry with the exclusive bit (vacuous otherwise)",
         exclusive_swap_entry},
    };
    return kProps;
  }

  static std::vector<std::string> actors(const Config& c) {
    std::vector<std::string> names;
    for (int i = 0; i < c.gup_cpus; ++i) names.push_back(absl::StrCat("gup CPU", i));
    names.push_back(absl::StrCat("fork CPU", c.gup_cpus));
    names.push_back(absl::StrCat("parent CPU", c.gup_cpus + 1));
    names.push_back(absl::StrCat("child CPU", c.gup_cpus + 2));
    if (c.anon_exclusive()) names.push_back(absl::StrCat("unmap CPU", c.gup_cpus + 3));
    return names;
  }

  // The fields of v5.9/v5.11 print exactly as before §E was added (golden
  // traces); §E adds its own.
  static void describe(const Config& c, const State& s, FieldPrinter& p) {
    p.num("page[X].refcount", s.refcount[kX]);
    p.num("page[X].mapcount", s.mapcount[kX]);
    p.num("page[X'].refcount", s.refcount[kXCopy]);
    if (c.section_e()) p.num("page[X'].mapcount", s.mapcount[kXCopy]);
    if (c.anon_exclusive()) {
      p.flag("page[X].anon_exclusive", anon_exclusive(s, kX));
      p.flag("page[X'].anon_exclusive", anon_exclusive(s, kXCopy));
    }
    p.num("mm.write_protect_seq", s.seq);
    p.flag("mm.has_pinned", s.has_pinned);
    if (c.section_e()) p.text("pte.kind", pte_kind(s.pte));
    if (s.pte & kPteNone) {
      p.text("pte.page", "-");
    } else {
      p.choice("pte.page", pte_page(s.pte), kPageNames);
    }
    p.flag("pte.write", pte_writable(s.pte));
    p.choice("child", s.child, kChildNames);
    p.choice("mmap_lock", s.mmap_lock, kMmapNames);
    p.choice("ptl", s.ptl, kPtlNames);
    p.choice("fork.pc", s.fork_pc, kForkPcNames);
    p.choice("parent.pc", s.parent_pc, kParentPcNames);
    if (c.anon_exclusive()) {
      p.choice("unmap.pc", s.unmap_pc, kUnmapPcNames);
      p.choice("unmap.kind", s.unmap_kind, kUnmapKindNames);
      p.flag("unmap.anon_exclusive", s.unmap_excl);
    }
    for (int i = 0; i < c.gup_cpus; ++i) {
      const std::string g = absl::StrCat("gup[", i, "].");
      const bool snapshot =
          s.gup_pc[i] != kGupIdle && s.gup_pc[i] != kGupReadSeq && s.gup_pc[i] != kGupReadPte;
      p.choice(g + "pc", s.gup_pc[i], kGupPcNames);
      p.num(g + "seq", s.gup_seq[i]);
      p.text(g + "pte", snapshot ? absl::StrCat(av(kPageNames[s.gup_pte[i] >> 1]),
                                                (s.gup_pte[i] & 1) ? " rw" : " ro")
                                 : "-");
      p.num(g + "attempts", s.gup_attempts[i]);
    }
  }

  // Everyone finished: gup-fast CPUs used their attempts, fork, the parent's
  // store, the child's exit and (E2/E3) UNMAP are done.
  static bool is_final(const Config& c, const State& s) {
    for (int i = 0; i < c.gup_cpus; ++i) {
      if (s.gup_pc[i] != kGupIdle || s.gup_attempts[i] != c.attempts) return false;
    }
    if (c.anon_exclusive() && s.unmap_pc != kUnmapDone) return false;
    return s.fork_pc == kForkDone && s.parent_pc == kParentDone && s.child == kChildExited;
  }
};

static_assert(SpecType<Spec>);

}  // namespace
}  // namespace mmcheck::mm::gupfast_fork

namespace mmcheck {
void register_gupfast_fork(Registry& r) { r.add(make_spec_entry<mm::gupfast_fork::Spec>()); }
}  // namespace mmcheck

// File: spec/mm/gupfast_fork.cpp
//
// The action table, proposals and registration of gupfast_fork; the kernel
// references, the race and the abstractions are in gupfast_fork.hpp.
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

constexpr std::string_view kGupPcNames[] = {"idle",        "read_seq",    "read_pte", "pin",
                                            "recheck_pte", "recheck_seq", "hold"};
constexpr std::string_view kForkPcNames[] = {
    "idle",         "seq_begin", "lock_ptl", "read_has_pinned", "read_refcount", "copy",
    "dup",          "wrprotect", "unlock_ptl", "seq_end",       "unlock_mmap",   "done"};
constexpr std::string_view kParentPcNames[] = {"idle",  "fault_lock", "check",
                                               "reuse", "copy",       "done"};
constexpr std::string_view kChildNames[] = {"none", "shares", "copied", "exited"};
constexpr std::string_view kMmapNames[] = {"free", "write(fork)", "read(parent)"};
constexpr std::string_view kPtlNames[] = {"free", "fork", "parent"};
constexpr std::string_view kPageNames[] = {"X", "X'"};

struct Spec {
  using State = gupfast_fork::State;
  using Config = gupfast_fork::Config;
  using Family = ActionFamily<State, Config>;
  using Prop = Property<State, Config>;

  static constexpr std::string_view name = "gupfast_fork";
  static constexpr std::string_view summary =
      "gup-fast FOLL_PIN vs fork's PTE copy and the parent's write fault (v5.9-v5.11)";
  static constexpr DeadlockPolicy deadlock_policy = DeadlockPolicy::stuck;

  static std::span<const ProposalSpec> proposals() {
    static constexpr ProposalSpec kProposals[] = {
        {"unsynchronized",
         "v5.9: fork copies pages with has_pinned && page_maybe_dma_pinned (70e806e4e645, "
         "f3c64eda3e50); no seqcount"},
        {"write-protect-seq",
         "v5.11: fork bumps mm->write_protect_seq, gup-fast rechecks it (57efa1fe5957)"},
    };
    return kProposals;
  }
  static std::span<const ParamSpec> params() {
    static constexpr ParamSpec kParams[] = {
        {"gup_cpus", 1, 1, kMaxGupCpus, "CPUs running gup-fast (FOLL_PIN|FOLL_WRITE)"},
        {"attempts", 1, 1, 3, "gup-fast attempts per CPU (each pins and later unpins)"},
    };
    return kParams;
  }
  static Config configure(const RunConfig& run) {
    return Config{static_cast<Proposal>(run.proposal), run.params[0], run.params[1]};
  }
  static State initial(const Config&) {
    State s{};
    s.refcount = {1, 0};  // the parent's mapping holds X's only reference
    s.mapcount_x = 1;
    s.pte_page = kX;
    s.pte_write = 1;
    return s;
  }

  // Actor columns: gup CPU0..n-1, fork, parent, child.
  static int gup_actor(const Config&, int cpu) { return cpu; }
  static int fork_actor(const Config& c, int) { return c.gup_cpus; }
  static int parent_actor(const Config& c, int) { return c.gup_cpus + 1; }
  static int child_actor(const Config& c, int) { return c.gup_cpus + 2; }
  static int gup_count(const Config& c) { return c.gup_cpus; }
  static int seq_gup_count(const Config& c) { return c.seqcount() ? c.gup_cpus : 0; }
  static int seq_count(const Config& c) { return c.seqcount() ? 1 : 0; }

  // A failed gup-fast attempt falls back to the slow path (not modelled).
  static void gup_fail(State& s, int i) {
    s.gup_pc[i] = kGupIdle;
    s.gup_seq[i] = 0;
    s.gup_pte[i] = 0;
    ++s.gup_attempts[i];
  }
  static void unpin(State& s, int i) { s.refcount[s.gup_pte[i] >> 1] -= kPinBias; }

  static std::span<const Family> actions() {
    static constexpr Family kFamilies[] = {
        // internal_get_user_pages_fast(): atomic_set(&mm->has_pinned, 1)
        {"gup.set_has_pinned", "cpu", gup_count,
         [](const Config& c, const State& s, int i) {
           return s.gup_pc[i] == kGupIdle && s.gup_attempts[i] < c.attempts;
         },
         [](const Config& c, State& s, int i) {
           s.has_pinned = 1;
           s.gup_pc[i] = c.seqcount() ? kGupReadSeq : kGupReadPte;
         },
         gup_actor},
        // raw_read_seqcount(&mm->write_protect_seq); odd -> slow path
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
        // ptep_get_lockless(); pte_access_permitted(pte, FOLL_WRITE)
        {"gup.read_pte", "cpu", gup_count,
         [](const Config&, const State& s, int i) { return s.gup_pc[i] == kGupReadPte; },
         [](const Config&, State& s, int i) {
           if (!s.pte_write) {
             gup_fail(s, i);
           } else {
             s.gup_pte[i] = static_cast<std::uint8_t>(pte_value(s));
             s.gup_pc[i] = kGupPin;
           }
         },
         gup_actor},
        // try_grab_compound_head(): page_ref_add_unless(page, 1024, 0)
        {"gup.pin", "cpu", gup_count,
         [](const Config&, const State& s, int i) { return s.gup_pc[i] == kGupPin; },
         [](const Config&, State& s, int i) {
           s.refcount[s.gup_pte[i] >> 1] += kPinBias;
           s.gup_pc[i] = kGupRecheckPte;
         },
         gup_actor},
        // if (pte_val(pte) != pte_val(*ptep)) put and fail
        {"gup.recheck_pte", "cpu", gup_count,
         [](const Config&, const State& s, int i) { return s.gup_pc[i] == kGupRecheckPte; },
         [](const Config& c, State& s, int i) {
           if (s.gup_pte[i] != pte_value(s)) {
             unpin(s, i);
             gup_fail(s, i);
           } else {
             s.gup_pc[i] = c.seqcount() ? kGupRecheckSeq : kGupHold;
           }
         },
         gup_actor},
        // read_seqcount_retry(); changed -> unpin_user_pages() and slow path
        {"gup.recheck_seq", "cpu", seq_gup_count,
         [](const Config&, const State& s, int i) { return s.gup_pc[i] == kGupRecheckSeq; },
         [](const Config&, State& s, int i) {
           if (s.seq != s.gup_seq[i]) {
             unpin(s, i);
             gup_fail(s, i);
           } else {
             s.gup_pc[i] = kGupHold;
           }
         },
         gup_actor},
        // The pin's user is done: unpin_user_page()
        {"gup.unpin", "cpu", gup_count,
         [](const Config&, const State& s, int i) { return s.gup_pc[i] == kGupHold; },
         [](const Config&, State& s, int i) {
           unpin(s, i);
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
           s.fork_pc = c.seqcount() ? kForkSeqBegin : kForkLockPtl;
         },
         fork_actor},
        // copy_page_range(): raw_write_seqcount_begin(&src_mm->write_protect_seq)
        {"fork.seq_begin", "", seq_count,
         [](const Config&, const State& s, int) { return s.fork_pc == kForkSeqBegin; },
         [](const Config&, State& s, int) {
           ++s.seq;
           s.fork_pc = kForkLockPtl;
         },
         fork_actor},
        // copy_pte_range(): lock the dst and src ptl
        {"fork.lock_ptl", "", one<Config>,
         [](const Config&, const State& s, int) {
           return s.fork_pc == kForkLockPtl && s.ptl == kPtlFree;
         },
         [](const Config&, State& s, int) {
           s.ptl = kPtlFork;
           s.fork_pc = kForkReadHasPinned;
         },
         fork_actor},
        // copy_present_page(): if (likely(!atomic_read(&src_mm->has_pinned))) share
        {"fork.read_has_pinned", "", one<Config>,
         [](const Config&, const State& s, int) { return s.fork_pc == kForkReadHasPinned; },
         [](const Config&, State& s, int) {
           s.fork_pc = s.has_pinned ? kForkReadRefcount : kForkDup;
         },
         fork_actor},
        // copy_present_page(): if (likely(!page_maybe_dma_pinned(page))) share
        {"fork.read_refcount", "", one<Config>,
         [](const Config&, const State& s, int) { return s.fork_pc == kForkReadRefcount; },
         [](const Config&, State& s, int) {
           s.fork_pc = s.refcount[s.pte_page] >= kPinBias ? kForkCopy : kForkDup;
         },
         fork_actor},
        // copy_present_page(): the child gets a private copy; parent pte untouched
        {"fork.copy_for_child", "", one<Config>,
         [](const Config&, const State& s, int) { return s.fork_pc == kForkCopy; },
         [](const Config&, State& s, int) {
           s.child = kChildCopied;
           s.fork_pc = kForkUnlockPtl;
         },
         fork_actor},
        // copy_present_pte(): get_page(page); page_dup_rmap(page, false)
        {"fork.dup", "", one<Config>,
         [](const Config&, const State& s, int) { return s.fork_pc == kForkDup; },
         [](const Config&, State& s, int) {
           ++s.refcount[s.pte_page];
           ++s.mapcount_x;
           s.child = kChildShares;
           s.fork_pc = kForkWrprotect;
         },
         fork_actor},
        // copy_present_pte(): if (is_cow_mapping && pte_write) ptep_set_wrprotect()
        {"fork.wrprotect", "", one<Config>,
         [](const Config&, const State& s, int) { return s.fork_pc == kForkWrprotect; },
         [](const Config&, State& s, int) {
           s.pte_write = 0;
           s.fork_pc = kForkUnlockPtl;
         },
         fork_actor},
        {"fork.unlock_ptl", "", one<Config>,
         [](const Config&, const State& s, int) { return s.fork_pc == kForkUnlockPtl; },
         [](const Config& c, State& s, int) {
           s.ptl = kPtlFree;
           s.fork_pc = c.seqcount() ? kForkSeqEnd : kForkUnlockMmap;
         },
         fork_actor},
        // copy_page_range(): raw_write_seqcount_end()
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
           s.parent_pc = s.pte_write ? kParentDone : kParentFaultLock;
         },
         parent_actor},
        // Write fault: mmap_read_lock, then the pte's ptl (handle_pte_fault)
        {"parent.fault_lock", "", one<Config>,
         [](const Config&, const State& s, int) {
           return s.parent_pc == kParentFaultLock && s.mmap_lock == kMmapFree &&
                  s.ptl == kPtlFree;
         },
         [](const Config&, State& s, int) {
           s.mmap_lock = kMmapRead;
           s.ptl = kPtlParent;
           s.parent_pc = s.pte_write ? kParentReuse : kParentCheck;
         },
         parent_actor},
        // do_wp_page(): reuse iff page_count == 1 && page_mapcount == 1
        {"parent.check_reuse", "", one<Config>,
         [](const Config&, const State& s, int) { return s.parent_pc == kParentCheck; },
         [](const Config&, State& s, int) {
           const bool reuse = s.refcount[s.pte_page] == 1 && s.mapcount_x == 1;
           s.parent_pc = reuse ? kParentReuse : kParentCopy;
         },
         parent_actor},
        // wp_page_reuse(): make the pte writable; unlock
        {"parent.reuse", "", one<Config>,
         [](const Config&, const State& s, int) { return s.parent_pc == kParentReuse; },
         [](const Config&, State& s, int) {
           s.pte_write = 1;
           s.ptl = kPtlFree;
           s.mmap_lock = kMmapFree;
           s.parent_pc = kParentDone;
         },
         parent_actor},
        // wp_page_copy(): pte := X' writable; page_remove_rmap(X); put_page(X)
        {"parent.cow_copy", "", one<Config>,
         [](const Config&, const State& s, int) { return s.parent_pc == kParentCopy; },
         [](const Config&, State& s, int) {
           s.refcount[kXCopy] = 1;
           --s.refcount[kX];
           --s.mapcount_x;
           s.pte_page = kXCopy;
           s.pte_write = 1;
           s.ptl = kPtlFree;
           s.mmap_lock = kMmapFree;
           s.parent_pc = kParentDone;
         },
         parent_actor},
        // The child exits: zap its pte (put_page + page_remove_rmap if shared)
        {"child.exit", "", one<Config>,
         [](const Config&, const State& s, int) {
           return s.fork_pc == kForkDone && (s.child == kChildShares || s.child == kChildCopied);
         },
         [](const Config&, State& s, int) {
           if (s.child == kChildShares) {
             --s.refcount[kX];
             --s.mapcount_x;
           }
           s.child = kChildExited;
         },
         child_actor},
    };
    return kFamilies;
  }

  static std::span<const Prop> properties() {
    static constexpr Prop kProps[] = {
        {PropertyKind::always, "pinned_page_never_cowed",
         "while a gup-fast pin is held, the parent's pte maps the pinned page",
         pinned_page_never_cowed},
        {PropertyKind::reachable, "pin_taken", "gup-fast returns a pin", pin_taken},
        {PropertyKind::reachable, "fork_copies_pinned_page",
         "fork sees the pin and gives the child a private copy", fork_copies_pinned_page},
        {PropertyKind::reachable, "child_shares_page", "fork shares the page with the child",
         child_shares_page},
        {PropertyKind::reachable, "parent_cow_after_fork",
         "the parent's write fault copies the page", parent_cow_after_fork},
    };
    return kProps;
  }

  static std::vector<std::string> actors(const Config& c) {
    std::vector<std::string> names;
    for (int i = 0; i < c.gup_cpus; ++i) names.push_back(absl::StrCat("gup CPU", i));
    names.push_back(absl::StrCat("fork CPU", c.gup_cpus));
    names.push_back(absl::StrCat("parent CPU", c.gup_cpus + 1));
    names.push_back(absl::StrCat("child CPU", c.gup_cpus + 2));
    return names;
  }

  static void describe(const Config& c, const State& s, FieldPrinter& p) {
    p.num("page[X].refcount", s.refcount[kX]);
    p.num("page[X].mapcount", s.mapcount_x);
    p.num("page[X'].refcount", s.refcount[kXCopy]);
    p.num("mm.write_protect_seq", s.seq);
    p.flag("mm.has_pinned", s.has_pinned);
    p.choice("pte.page", s.pte_page, kPageNames);
    p.flag("pte.write", s.pte_write);
    p.choice("child", s.child, kChildNames);
    p.choice("mmap_lock", s.mmap_lock, kMmapNames);
    p.choice("ptl", s.ptl, kPtlNames);
    p.choice("fork.pc", s.fork_pc, kForkPcNames);
    p.choice("parent.pc", s.parent_pc, kParentPcNames);
    for (int i = 0; i < c.gup_cpus; ++i) {
      const std::string g = absl::StrCat("gup[", i, "].");
      p.choice(g + "pc", s.gup_pc[i], kGupPcNames);
      p.num(g + "seq", s.gup_seq[i]);
      p.text(g + "pte", s.gup_pc[i] >= kGupPin
                            ? absl::StrCat(av(kPageNames[s.gup_pte[i] >> 1]),
                                           (s.gup_pte[i] & 1) ? " rw" : " ro")
                            : "-");
      p.num(g + "attempts", s.gup_attempts[i]);
    }
  }

  // Everyone finished: gup-fast CPUs used their attempts, fork, the parent's
  // store and the child's exit are done.
  static bool is_final(const Config& c, const State& s) {
    for (int i = 0; i < c.gup_cpus; ++i) {
      if (s.gup_pc[i] != kGupIdle || s.gup_attempts[i] != c.attempts) return false;
    }
    return s.fork_pc == kForkDone && s.parent_pc == kParentDone && s.child == kChildExited;
  }
};

static_assert(SpecType<Spec>);

}  // namespace
}  // namespace mmcheck::mm::gupfast_fork

namespace mmcheck {
void register_gupfast_fork(Registry& r) {
  r.add(make_spec_entry<mm::gupfast_fork::Spec>());
}
}  // namespace mmcheck

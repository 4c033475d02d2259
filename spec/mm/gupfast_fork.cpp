// File: spec/mm/gupfast_fork.cpp
//
// The action table, proposals and registration of gupfast_fork; the kernel
// references, the races, the memory-model mapping and the abstractions are in
// gupfast_fork.hpp.
//
// Proposals are branch points: a family absent from a proposal has count 0
// (e.g. the seqcount steps in `unsynchronized`, UNMAP before E2, the v6.0
// barriers before E3); the few behavioural differences are Config predicates
// tested in effects (legacy(), foll_pin(), anon_exclusive(), ...).
//
// Every step is a `run_*` function that performs the step's kernel
// primitives in program order and returns false as soon as one of them may
// not execute now (a barrier waiting for the store buffer, a lock held, no
// room in the history); the guard runs it on a copy of the state, the effect
// on the state itself. Under `sc` every primitive but spin_lock is always
// enabled, so the sc instance explores the graph of the pre-memory-model
// spec.
#include "spec/mm/gupfast_fork.hpp"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "mmcheck/kernel/primitives.hpp"
#include "mmcheck/memory/environment.hpp"
#include "mmcheck/memory/por.hpp"
#include "mmcheck/spec.hpp"
#include "mmcheck/text.hpp"
#include "properties/mm/gupfast_fork.hpp"
#include "registry/models.hpp"

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

const std::vector<std::string> kLocNames = {"pte", "ref[X]", "ref[X']",  "map[X]",    "map[X']",
                                            "mm",  "seq",    "flags[X]", "flags[X']", "ptl"};

std::string pte_kind(int pte) {
  if (pte & kPteNone) return "none";
  if (pte & kPteSwap) return (pte & kPteSwpExclusive) ? "swap(exclusive)" : "swap";
  return "present";
}

constexpr std::uint64_t bit(int loc) { return std::uint64_t{1} << loc; }

template <Model Mo>
struct Spec {
  using State = gupfast_fork::State<Mo>;
  using Config = gupfast_fork::Config;
  using Family = ActionFamily<State, Config>;
  using Prop = Property<State, Config>;
  using Machine = MachineOf<Mo>;
  using K = kernel::Kernel<Machine>;
  using V = std::int32_t;
  using Run = bool (*)(const Config&, State&, int);
  using Pc = bool (*)(const Config&, const State&, int);

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
        {"fork", 1, 0, 1, "1: another thread forks (0: no fork, no child)"},
        {"parent", 1, 0, 1, "1: a parent thread writes to the page (write fault)"},
        {"unmap", 1, 0, 1, "E2/E3, 1: UNMAP (swap-out or KSM) shares the page"},
    };
    return kParams;
  }
  static Config configure(const RunConfig& run) {
    Config c{static_cast<Proposal>(run.proposal), run.params[0], run.params[1]};
    c.fork = run.params[2] != 0;
    c.parent = run.params[3] != 0;
    c.unmap = run.params[4] != 0;
    return c;
  }

  // ---- memory ----------------------------------------------------------------
  static int memory_cpus(const Config& c) { return c.gup_cpus + (c.anon_exclusive() ? 4 : 3); }
  static int memory_locs(const Config&) { return kLocCount; }

  // Room for `n` more values of `loc` in the history, counting the buffered
  // stores still to commit (a step that would overflow it waits).
  static bool room(const State& s, int loc, int n = 1) {
    return Machine::history_room(s.mem, loc, n);
  }
  static bool sb_room(const State& s, int cpu, int n) {
    if constexpr (Machine::kBuffered) {
      return s.mem.sb_n[cpu] + n <= Machine::kSb;
    } else {
      (void)s, (void)cpu, (void)n;
      return true;
    }
  }
  // Primitives that check their own guard: false (nothing done) if it may
  // not execute now.
  static V ld(const State& s, int cpu, int loc) { return K::read_once(s.mem, cpu, loc); }
  static bool store(State& s, int cpu, int loc, V v) {
    if (!sb_room(s, cpu, 1) || !room(s, loc)) return false;
    K::write_once(s.mem, cpu, loc, v);
    return true;
  }
  // `returns`: value-returning RMW (LKMM: must read the newest value).
  template <typename Op>
  static bool rmw(State& s, int cpu, int loc, memory::Ord ord, bool returns, Op op) {
    if (!Machine::can_rmw(s.mem, cpu, loc, ord, returns) || !room(s, loc)) return false;
    K::rmw(s.mem, cpu, loc, ord, op);
    return true;
  }
  static bool add(State& s, int cpu, int loc, V d, memory::Ord ord, bool returns) {
    return rmw(s, cpu, loc, ord, returns, [d](V x) { return x + d; });
  }
  static bool set_to(State& s, int cpu, int loc, V v) {  // initialising a new page's word
    return rmw(s, cpu, loc, memory::Ord::relaxed, false, [v](V) { return v; });
  }
  static bool mb(State& s, int cpu) {
    if (!K::can_smp_mb(s.mem, cpu)) return false;
    K::smp_mb(s.mem, cpu);
    return true;
  }
  static bool lock(State& s, int cpu) {
    if (!K::can_spin_lock(s.mem, cpu, kLocPtl) || !room(s, kLocPtl)) return false;
    K::spin_lock(s.mem, cpu, kLocPtl);
    return true;
  }
  static bool unlock(State& s, int cpu) {
    if (!K::can_spin_unlock(s.mem, cpu) || !sb_room(s, cpu, 1) || !room(s, kLocPtl)) return false;
    K::spin_unlock(s.mem, cpu, kLocPtl);
    return true;
  }
  // fork's RMWs inside the seqcount section (get_page, page_dup_rmap,
  // ClearPageAnonExclusive, ptep_set_wrprotect): unordered RMWs, as in the
  // kernel. They are po-after raw_write_seqcount_begin's smp_wmb, which the
  // machine turns into the LKMM ordering W seq ->wmb-> W (cumul-fence).
  static memory::Ord fork_ord(const Config&) { return memory::Ord::relaxed; }

  static int view_page(const State& s, int cpu) { return pte_page(ld(s, cpu, kLocPte)); }
  static bool gup_done(const Config& c, const State& s, int i) {
    return s.gup_pc[i] == kGupIdle && s.gup_attempts[i] >= c.attempts;
  }
  static bool cpu_done(const Config& c, const State& s, int cpu) {
    if (cpu < c.gup_cpus) return gup_done(c, s, cpu);
    if (cpu == c.fork_cpu()) return s.fork_pc == kForkDone;
    if (cpu == c.parent_cpu()) return s.parent_pc == kParentDone;
    if (cpu == c.unmap_cpu()) return s.unmap_pc == kUnmapDone;
    if (cpu == c.child_cpu()) return s.child == kChildExited || !c.fork;
    return true;  // unused CPUs
  }

  // Locations the CPU's next step reads through its view (mem.advance is
  // enabled only for them: an invalidation commutes with everything else).
  static std::uint64_t next_reads(const Config& c, const State& s, int cpu) {
    if (cpu < c.gup_cpus) {
      const int p = s.gup_pte[cpu] >> 1;
      switch (s.gup_pc[cpu]) {
        case kGupIdle:
          if (gup_done(c, s, cpu)) return 0;
          if (!c.foll_pin()) return bit(kLocPte);
          return c.anon_exclusive() ? bit(kLocMm) : 0;
        case kGupReadSeq:
          return bit(kLocSeq);
        case kGupReadPte:
          return bit(kLocPte);
        case kGupRecheckPte:
          return bit(kLocPte);
        case kGupCheckAnonExclusive:
          return bit(kLocFlags + p);
        case kGupCheckMapcount:
          return bit(kLocMap + p);
        default:
          return 0;
      }
    }
    if (cpu == c.fork_cpu()) {
      if (s.fork_pc == kForkReadHasPinned) return bit(kLocMm);
      if (s.fork_pc == kForkReadRefcount) return bit(kLocRef + view_page(s, cpu));
      return 0;
    }
    if (cpu == c.parent_cpu()) {
      const int p = view_page(s, cpu);
      switch (s.parent_pc) {
        case kParentIdle:
          return bit(kLocPte);
        case kParentCheck:
          return bit(kLocRef + p) | bit(kLocMap + p) | bit(kLocFlags + p);
        case kParentSwapIn:
          return bit(kLocRef + p);
        case kParentReuse:
          return bit(kLocFlags + p);
        default:
          return 0;
      }
    }
    if (cpu == c.unmap_cpu()) {
      const int p = pte_page(s.unmap_pte);
      switch (s.unmap_pc) {
        case kUnmapClearPte:
          return bit(kLocFlags + view_page(s, cpu));
        case kUnmapKsmCheck:
          return bit(kLocRef + p) | bit(kLocMap + p);
        case kUnmapReadRefcount:
          return bit(kLocRef + p);
        default:
          return 0;
      }
    }
    return 0;
  }
  // Locations whose view matters: read before the CPU's next smp_rmb /
  // acquire / fully ordered RMW (which moves views to the frontier anyway).
  // The others are don't-care, so equal futures give equal states.
  static std::uint64_t relevant(const Config& c, const State& s, int cpu) {
    if (cpu_done(c, s, cpu)) return 0;
    if (cpu < c.gup_cpus) {
      const int p = s.gup_pte[cpu] >> 1;
      const bool ro = !(s.gup_pte[cpu] & kPteWrite);
      switch (s.gup_pc[cpu]) {
        case kGupIdle:
          if (!c.foll_pin()) return bit(kLocPte);
          if (c.anon_exclusive()) return bit(kLocMm) | bit(kLocSeq);
          return c.gup_seqcount() ? bit(kLocSeq) : bit(kLocPte);
        case kGupReadSeq:
          return bit(kLocSeq);
        case kGupReadPte:
          return bit(kLocPte);
        case kGupPinBias:
          if (c.v6_barriers()) return 0;
          return bit(kLocPte) | (ro ? bit(kLocFlags + p) : 0);
        case kGupRecheckPte:
          return bit(kLocPte) |
                 (ro && c.anon_exclusive() && !c.v6_barriers() ? bit(kLocFlags + p) : 0) |
                 (ro && c.mapcount_unshare() ? bit(kLocMap + p) : 0);
        case kGupCheckAnonExclusive:
          return bit(kLocFlags + p);
        case kGupCheckMapcount:
          return bit(kLocMap + p);
        default:
          return 0;
      }
    }
    if (cpu == c.fork_cpu()) {
      switch (s.fork_pc) {
        case kForkSeqBegin:
        case kForkSeqEnd:
          return bit(kLocSeq);
        case kForkReadHasPinned:
          return bit(kLocPte) | bit(kLocMm) | bit(kLocRef + view_page(s, cpu));
        case kForkReadRefcount:
          return bit(kLocPte) | bit(kLocRef + view_page(s, cpu));
        case kForkClearAnonExclusive:
        case kForkDup:
        case kForkWrprotect:
          return bit(kLocPte);
        default:
          return 0;
      }
    }
    if (cpu == c.parent_cpu()) {
      const int p = view_page(s, cpu);
      switch (s.parent_pc) {
        case kParentIdle:
          return bit(kLocPte);
        case kParentCheck:
          return bit(kLocPte) | bit(kLocRef + p) | bit(kLocMap + p) | bit(kLocFlags + p);
        case kParentSwapIn:
          return bit(kLocPte) | bit(kLocRef + p);
        case kParentReuse:
          return bit(kLocPte) | bit(kLocFlags + p);
        case kParentCopy:
          return bit(kLocPte);
        default:
          return 0;
      }
    }
    if (cpu == c.unmap_cpu()) {
      const int p = pte_page(s.unmap_pte);
      switch (s.unmap_pc) {
        case kUnmapClearPte:
          return bit(kLocPte) | bit(kLocFlags + view_page(s, cpu));
        case kUnmapKsmCheck:
          return bit(kLocRef + p) | bit(kLocMap + p);
        case kUnmapReadRefcount:
          return bit(kLocRef + p);
        default:
          return 0;
      }
    }
    return 0;
  }
  // Locations a CPU ever accesses (lkmm: the others' frontiers are
  // don't-care, so nobody waits for values to reach a CPU that never looks).
  static std::uint64_t accessed(const Config& c, int cpu) {
    const std::uint64_t pages = bit(kLocRef) | bit(kLocRef + 1) | bit(kLocMap) | bit(kLocMap + 1) |
                                bit(kLocFlags) | bit(kLocFlags + 1);
    if (cpu < c.gup_cpus) return bit(kLocMm) | bit(kLocSeq) | bit(kLocPte) | pages;
    if (cpu == c.fork_cpu())
      return bit(kLocSeq) | bit(kLocPtl) | bit(kLocPte) | bit(kLocMm) | pages;
    if (cpu == c.parent_cpu() || cpu == c.unmap_cpu()) return bit(kLocPtl) | bit(kLocPte) | pages;
    // The child's exit: fully ordered RMWs, which take part in cumulativity
    // chains, so its frontier of the counts is tracked like anyone's.
    if (cpu == c.child_cpu())
      return bit(kLocRef) | bit(kLocRef + 1) | bit(kLocMap) | bit(kLocMap + 1);
    return 0;
  }
  static bool may_advance(const Config& c, const State& s, int cpu, int loc) {
    return ((next_reads(c, s, cpu) >> loc) & 1) || !room(s, loc);
  }
  // After every step: views, retired CPUs, canonical history.
  static void after_memory_step(const Config& c, State& s) {
    for (int cpu = 0; cpu < memory_cpus(c); ++cpu) {
      if (cpu_done(c, s, cpu) && Machine::sb_empty(s.mem, cpu)) {
        Machine::set_relevant(s.mem, cpu, 0);
        Machine::retire(s.mem, cpu);
      } else {
        Machine::set_relevant(s.mem, cpu, relevant(c, s, cpu));
      }
    }
    Machine::normalize(s.mem);
  }

  static State initial(const Config& c) {
    State s{};
    // The parent's mapping holds X's only reference. v5.9/v5.11: X was just
    // faulted in writable. §E: X was swapped in by a read fault, so it is
    // mapped R/O (and, from v5.19, exclusive).
    std::int32_t init[kLocCount] = {};
    init[kLocPte] = c.legacy() ? (kX << 1 | kPteWrite) : (kX << 1);
    init[kLocRef + kX] = 1;
    init[kLocMap + kX] = 1;
    if (c.anon_exclusive()) init[kLocFlags + kX] = kPageAnonExclusive;
    Machine::init(s.mem, init);
    if constexpr (Machine::kLk) {
      for (int cpu = 0; cpu < Machine::kCpus; ++cpu) {
        const std::uint64_t a = cpu < memory_cpus(c) ? accessed(c, cpu) : 0;
        for (int l = 0; l < Machine::kLocs; ++l) {
          if (!((a >> l) & 1)) Machine::prop(s.mem, cpu, l) = memory::kDontCare;
        }
      }
    }
    for (int cpu = memory_cpus(c); cpu < Machine::kCpus; ++cpu) {
      Machine::set_relevant(s.mem, cpu, 0);
    }
    if (!c.fork) s.fork_pc = kForkDone;
    if (!c.parent) s.parent_pc = kParentDone;
    if (!c.has_unmap()) s.unmap_pc = c.anon_exclusive() ? kUnmapDone : kUnmapIdle;
    after_memory_step(c, s);
    return s;
  }

  // Actor columns: gup CPU0..n-1, fork, parent, child, (E2/E3) unmap.
  static int gup_actor(const Config&, int cpu) { return cpu; }
  static int fork_actor(const Config& c, int) { return c.fork_cpu(); }
  static int parent_actor(const Config& c, int) { return c.parent_cpu(); }
  static int child_actor(const Config& c, int) { return c.child_cpu(); }
  static int unmap_actor(const Config& c, int) { return c.unmap_cpu(); }

  // Family counts: 0 removes a family from a proposal.
  static int gup_count(const Config& c) { return c.gup_cpus; }
  static int pin_gup_count(const Config& c) { return c.foll_pin() ? c.gup_cpus : 0; }
  static int seq_gup_count(const Config& c) { return c.gup_seqcount() ? c.gup_cpus : 0; }
  static int legacy_gup_count(const Config& c) { return c.legacy() ? c.gup_cpus : 0; }
  static int e_gup_count(const Config& c) { return c.section_e() ? c.gup_cpus : 0; }
  static int ae_gup_count(const Config& c) { return c.anon_exclusive() ? c.gup_cpus : 0; }
  static int v6_gup_count(const Config& c) { return c.v6_barriers() ? c.gup_cpus : 0; }
  static int get_gup_count(const Config& c) { return c.mapcount_unshare() ? c.gup_cpus : 0; }
  static int fork_count(const Config& c) { return c.fork ? 1 : 0; }
  static int seq_count(const Config& c) { return c.fork && c.fork_seqcount() ? 1 : 0; }
  static int fork_ae_count(const Config& c) { return c.fork && c.anon_exclusive() ? 1 : 0; }
  static int parent_count(const Config& c) { return c.parent ? 1 : 0; }
  static int parent_ae_count(const Config& c) { return c.parent && c.anon_exclusive() ? 1 : 0; }
  static int unmap_count(const Config& c) { return c.has_unmap() ? 1 : 0; }
  static int unmap_v6_count(const Config& c) { return c.has_unmap() && c.v6_barriers() ? 1 : 0; }
  static int unmap_kind_count(const Config& c) { return c.has_unmap() ? kUnmapKinds : 0; }

  // Guard: the program counter allows the step and its primitives may run
  // now (tried on a copy). Effect: run it, then canonicalise.
  template <Pc P, Run R>
  static bool guard(const Config& c, const State& s, int i) {
    if (!P(c, s, i)) return false;
    State t = s;
    return R(c, t, i);
  }
  template <Run R>
  static void effect(const Config& c, State& s, int i) {
    if (!R(c, s, i)) throw SpecError("gupfast_fork: a step's primitive refused after its guard");
    after_memory_step(c, s);
  }

  // ---- gup-fast (CPU i) --------------------------------------------------------
  // A failed gup-fast attempt falls back to the slow path (not modelled).
  static void gup_fail(State& s, int i) {
    s.gup_pc[i] = kGupIdle;
    s.gup_seq[i] = 0;
    s.gup_pte[i] = 0;
    ++s.gup_attempts[i];
  }
  // unpin_user_page / gup_put_folio: folio_put_refs -> folio_ref_sub_and_test
  // (fully ordered); E1: put_page.
  static bool unpin(const Config& c, State& s, int i) {
    return add(s, i, kLocRef + (s.gup_pte[i] >> 1), -static_cast<V>(c.pin_refs()),
               memory::Ord::full, true);
  }

  static bool pc_set_has_pinned(const Config& c, const State& s, int i) {
    return s.gup_pc[i] == kGupIdle && s.gup_attempts[i] < c.attempts;
  }
  // v5.9/v5.11: atomic_set(&mm->has_pinned, 1) (a plain store).
  // v5.19 mm_set_has_pinned_flag(): if (!test_bit(MMF_HAS_PINNED)) set_bit().
  static bool run_set_has_pinned(const Config& c, State& s, int i) {
    if (c.legacy()) {
      if (!store(s, i, kLocMm, 1)) return false;
    } else if (!K::test_bit(s.mem, i, kMmfHasPinned, kLocMm)) {
      if (!rmw(s, i, kLocMm, memory::Ord::relaxed, false,
               [](V x) { return x | K::bit(kMmfHasPinned); }))
        return false;
    }
    s.gup_pc[i] = c.gup_seqcount() ? kGupReadSeq : kGupReadPte;
    return true;
  }
  static bool pc_read_seq(const Config&, const State& s, int i) {
    return s.gup_pc[i] == kGupReadSeq;
  }
  // raw_read_seqcount(): seq := READ_ONCE(sequence); smp_rmb(); odd -> slow path
  static bool run_read_seq(const Config&, State& s, int i) {
    const V seq = ld(s, i, kLocSeq);
    K::smp_rmb(s.mem, i);
    if (seq & 1) {
      gup_fail(s, i);
    } else {
      s.gup_seq[i] = static_cast<std::uint8_t>(seq);
      s.gup_pc[i] = kGupReadPte;
    }
    return true;
  }
  static bool pc_read_pte(const Config& c, const State& s, int i) {
    return s.gup_pc[i] == kGupReadPte ||
           (!c.foll_pin() && s.gup_pc[i] == kGupIdle && s.gup_attempts[i] < c.attempts);
  }
  // B1/B2: ptep_get_lockless() (READ_ONCE); pte_present; pte_access_permitted(FOLL_WRITE).
  static bool run_read_pte(const Config& c, State& s, int i) {
    const V pte = ld(s, i, kLocPte);
    if (!pte_present(pte) || (c.foll_write() && !pte_writable(pte))) {
      gup_fail(s, i);
    } else {
      s.gup_pte[i] = static_cast<std::uint8_t>(pte);
      s.gup_pc[i] = kGupPin;
    }
    return true;
  }
  static bool pc_pin(const Config&, const State& s, int i) { return s.gup_pc[i] == kGupPin; }
  // v5.11 try_grab_compound_head(): page_ref_add_unless(page, 1024, 0),
  // fully ordered on success (no zero check modelled).
  static bool run_pin(const Config&, State& s, int i) {
    if (!add(s, i, kLocRef + (s.gup_pte[i] >> 1), kPinBias, memory::Ord::full, true)) return false;
    s.gup_pc[i] = kGupRecheckPte;
    return true;
  }
  // B3, §E: try_get_folio() -> folio_try_get_rcu(): page_ref_add_unless(+1, 0),
  // fully ordered on success; fails (an unordered read) on a freed page.
  static bool run_try_get(const Config& c, State& s, int i) {
    const int loc = kLocRef + (s.gup_pte[i] >> 1);
    if (Machine::newest(s.mem, loc) == 0) {
      gup_fail(s, i);
      return true;
    }
    if (!add(s, i, loc, 1, memory::Ord::full, true)) return false;
    s.gup_pc[i] = c.foll_pin() ? kGupPinBias : kGupRecheckPte;
    return true;
  }
  static bool pc_pin_bias(const Config&, const State& s, int i) {
    return s.gup_pc[i] == kGupPinBias;
  }
  // B3, FOLL_PIN small folio: folio_ref_add(folio, 1023) (unordered, no
  // return value). LKMM's smp_rmb does not order the read of such an RMW
  // (it is Noreturn), but smp_mb__after_atomic does (E3): then the RMW must
  // have received the value it reads (with that value's cumulativity), which
  // the machine expresses as a value-returning RMW.
  static bool run_pin_bias(const Config& c, State& s, int i) {
    if (!add(s, i, kLocRef + (s.gup_pte[i] >> 1), kPinBias - 1, memory::Ord::relaxed,
             c.v6_barriers()))
      return false;
    s.gup_pc[i] = c.v6_barriers() ? kGupMbAfterAtomic : kGupRecheckPte;
    return true;
  }
  static bool pc_mb_after_atomic(const Config&, const State& s, int i) {
    return s.gup_pc[i] == kGupMbAfterAtomic;
  }
  // v6.0 try_grab_folio(): smp_mb__after_atomic() (088b8aa537c2)
  static bool run_mb_after_atomic(const Config&, State& s, int i) {
    if (!mb(s, i)) return false;
    s.gup_pc[i] = kGupRecheckPte;
    return true;
  }
  static bool pc_recheck_pte(const Config&, const State& s, int i) {
    return s.gup_pc[i] == kGupRecheckPte;
  }
  // B4: if (pte_val(pte) != pte_val(*ptep)) put and fail. §E: then, for a
  // R/O pte, gup_must_unshare (E1: mapcount; E2/E3: PageAnonExclusive).
  static bool run_recheck_pte(const Config& c, State& s, int i) {
    if (s.gup_pte[i] != ld(s, i, kLocPte)) {
      if (!unpin(c, s, i)) return false;
      gup_fail(s, i);
    } else if (c.section_e() && !(s.gup_pte[i] & kPteWrite)) {
      s.gup_pc[i] = c.mapcount_unshare() ? kGupCheckMapcount
                    : c.v6_barriers()    ? kGupRmb
                                         : kGupCheckAnonExclusive;
    } else {
      s.gup_pc[i] = c.gup_seqcount() ? kGupRecheckSeq : kGupHold;
    }
    return true;
  }
  static bool pc_rmb(const Config&, const State& s, int i) { return s.gup_pc[i] == kGupRmb; }
  // v6.0 gup_must_unshare(): smp_rmb() before PageAnonExclusive
  static bool run_rmb(const Config&, State& s, int i) {
    K::smp_rmb(s.mem, i);
    s.gup_pc[i] = kGupCheckAnonExclusive;
    return true;
  }
  static bool pc_check_anon_exclusive(const Config&, const State& s, int i) {
    return s.gup_pc[i] == kGupCheckAnonExclusive;
  }
  // B5: gup_must_unshare(): !PageAnonExclusive(page) (test_bit) -> unpin, fail
  static bool run_check_anon_exclusive(const Config& c, State& s, int i) {
    if (!K::test_bit(s.mem, i, kPgAnonExclusive, kLocFlags + (s.gup_pte[i] >> 1))) {
      if (!unpin(c, s, i)) return false;
      gup_fail(s, i);
    } else {
      s.gup_pc[i] = kGupRecheckSeq;
    }
    return true;
  }
  static bool pc_check_mapcount(const Config&, const State& s, int i) {
    return s.gup_pc[i] == kGupCheckMapcount;
  }
  // E1: gup_must_unshare_v1(): page_mapcount(page) > 1 (atomic_read) -> put_page, fail
  static bool run_check_mapcount(const Config& c, State& s, int i) {
    if (K::atomic_read(s.mem, i, kLocMap + (s.gup_pte[i] >> 1)) > 1) {
      if (!unpin(c, s, i)) return false;
      gup_fail(s, i);
    } else {
      s.gup_pc[i] = kGupHold;
    }
    return true;
  }
  static bool pc_recheck_seq(const Config&, const State& s, int i) {
    return s.gup_pc[i] == kGupRecheckSeq;
  }
  // B6: read_seqcount_retry() (smp_rmb; READ_ONCE); changed -> unpin_user_pages()
  static bool run_recheck_seq(const Config& c, State& s, int i) {
    if (K::read_seqcount_retry(s.mem, i, kLocSeq, s.gup_seq[i])) {
      if (!unpin(c, s, i)) return false;
      gup_fail(s, i);
    } else {
      s.gup_pc[i] = kGupHold;
    }
    return true;
  }
  static bool pc_unpin(const Config&, const State& s, int i) { return s.gup_pc[i] == kGupHold; }
  // The pin's user is done: unpin_user_page() (E1: put_page())
  static bool run_unpin(const Config& c, State& s, int i) {
    if (!unpin(c, s, i)) return false;
    s.gup_pc[i] = kGupIdle;
    s.gup_seq[i] = 0;
    s.gup_pte[i] = 0;
    ++s.gup_attempts[i];
    return true;
  }

  // ---- fork --------------------------------------------------------------------
  static bool pc_fork_mmap_lock(const Config&, const State& s, int) {
    return s.fork_pc == kForkIdle && s.mmap_lock == kMmapFree;
  }
  // dup_mmap(): mmap_write_lock(oldmm)
  static bool run_fork_mmap_lock(const Config& c, State& s, int) {
    s.mmap_lock = kMmapWrite;
    s.fork_pc = c.fork_seqcount() ? kForkSeqBegin : kForkLockPtl;
    return true;
  }
  static bool pc_fork(const Config&, const State& s, int pc) { return s.fork_pc == pc; }
  template <int P>
  static bool pc_fork_at(const Config& c, const State& s, int) {
    return pc_fork(c, s, P);
  }
  // F2 copy_page_range(): raw_write_seqcount_begin(): sequence++; smp_wmb()
  static bool run_fork_seq_begin(const Config& c, State& s, int) {
    if (!sb_room(s, c.fork_cpu(), 1) || !room(s, kLocSeq)) return false;
    K::write_seqcount_begin(s.mem, c.fork_cpu(), kLocSeq);
    s.fork_pc = kForkLockPtl;
    return true;
  }
  // copy_pte_range(): spin_lock(src ptl) (dst ptl: another lock, not modelled);
  // pte := *src_pte. A swap pte goes to copy_nonpresent_pte().
  static bool run_fork_lock_ptl(const Config& c, State& s, int) {
    const int f = c.fork_cpu();
    if (!lock(s, f)) return false;
    s.fork_pc = pte_present(ld(s, f, kLocPte)) ? kForkReadHasPinned : kForkDup;
    return true;
  }
  // E2/E3 copy_present_pte(): get_page(page) (atomic_inc, no return value)
  // before page_try_dup_anon_rmap(); then F3.
  // F3 v5.11 copy_present_page(): atomic_read(&src_mm->has_pinned);
  // v5.19 page_needs_cow_for_dma(): test_bit(MMF_HAS_PINNED, &mm->flags)
  static bool run_fork_read_has_pinned(const Config& c, State& s, int) {
    const int f = c.fork_cpu();
    if (c.anon_exclusive() && !add(s, f, kLocRef + view_page(s, f), 1, fork_ord(c), false))
      return false;
    const bool pinned = K::read_once(s.mem, c.fork_cpu(), kLocMm) != 0;
    s.fork_pc = pinned ? kForkReadRefcount : after_read_decision(c);
    return true;
  }
  static ForkPc after_read_decision(const Config& c) {
    return c.anon_exclusive() ? kForkClearAnonExclusive : kForkDup;
  }
  // F3 page_maybe_dma_pinned(): page_ref_count() >= 1024 (atomic_read)
  static bool run_fork_read_refcount(const Config& c, State& s, int) {
    const int f = c.fork_cpu();
    const bool pinned = K::atomic_read(s.mem, f, kLocRef + view_page(s, f)) >= kPinBias;
    s.fork_pc = pinned ? kForkCopy : after_read_decision(c);
    return true;
  }
  // F4: the child gets a private copy; parent pte untouched. E2/E3: first
  // put_page(page) (fully ordered) undoes the get_page.
  static bool run_fork_copy(const Config& c, State& s, int) {
    const int f = c.fork_cpu();
    if (c.anon_exclusive() && !add(s, f, kLocRef + view_page(s, f), -1, memory::Ord::full, true))
      return false;
    s.child = kChildCopied;
    s.fork_pc = kForkUnlockPtl;
    return true;
  }
  // F5 page_try_dup_anon_rmap(): ClearPageAnonExclusive(page) (clear_bit)
  static bool run_fork_clear_anon_exclusive(const Config& c, State& s, int) {
    const int f = c.fork_cpu();
    if (!rmw(s, f, kLocFlags + view_page(s, f), fork_ord(c), false,
             [](V x) { return x & ~K::bit(kPgAnonExclusive); }))
      return false;
    s.fork_pc = kForkDup;
    return true;
  }
  // F5 copy_present_pte(): [v5.11/E1: get_page()] page_dup_rmap() (atomic_inc).
  // copy_nonpresent_pte(): swap_duplicate(); pte_swp_clear_exclusive + set_pte_at.
  static bool run_fork_dup(const Config& c, State& s, int) {
    const int f = c.fork_cpu();
    const V pte = ld(s, f, kLocPte);
    const int page = pte_page(pte);
    const bool swap = pte_is_swap(pte);
    if ((swap || !c.anon_exclusive()) && !add(s, f, kLocRef + page, 1, fork_ord(c), false))
      return false;
    if (!add(s, f, kLocMap + page, 1, fork_ord(c), false)) return false;
    s.child = page == kX ? kChildShares : kChildSharesCopy;
    if (swap) {
      if ((pte & kPteSwpExclusive) && !store(s, f, kLocPte, pte & ~kPteSwpExclusive)) return false;
      s.fork_pc = kForkUnlockPtl;
    } else {
      s.fork_pc = kForkWrprotect;
    }
    return true;
  }
  // F6 copy_present_pte(): if (is_cow_mapping && pte_write) ptep_set_wrprotect()
  // (an unordered RMW of the pte: arm64 cmpxchg_relaxed loop, x86 clear_bit)
  static bool run_fork_wrprotect(const Config& c, State& s, int) {
    const int f = c.fork_cpu();
    if (pte_writable(ld(s, f, kLocPte)) &&
        !rmw(s, f, kLocPte, fork_ord(c), false, [](V x) { return x & ~V{kPteWrite}; }))
      return false;
    s.fork_pc = kForkUnlockPtl;
    return true;
  }
  static bool run_fork_unlock_ptl(const Config& c, State& s, int) {
    if (!unlock(s, c.fork_cpu())) return false;
    s.fork_pc = c.fork_seqcount() ? kForkSeqEnd : kForkUnlockMmap;
    return true;
  }
  // F7 copy_page_range(): raw_write_seqcount_end(): smp_wmb(); sequence++
  static bool run_fork_seq_end(const Config& c, State& s, int) {
    if (!sb_room(s, c.fork_cpu(), 1) || !room(s, kLocSeq)) return false;
    K::write_seqcount_end(s.mem, c.fork_cpu(), kLocSeq);
    s.fork_pc = kForkUnlockMmap;
    return true;
  }
  static bool run_fork_mmap_unlock(const Config&, State& s, int) {
    s.mmap_lock = kMmapFree;
    s.fork_pc = kForkDone;
    return true;
  }

  // ---- the parent's write and fault ------------------------------------------
  template <int P>
  static bool pc_parent_at(const Config&, const State& s, int) {
    return s.parent_pc == P;
  }
  // The parent stores to the page: no fault while the pte (as the CPU's
  // page-table walk reads it) is writable.
  static bool run_parent_write(const Config& c, State& s, int) {
    s.parent_pc = pte_writable(ld(s, c.parent_cpu(), kLocPte)) ? kParentDone : kParentFaultLock;
    return true;
  }
  static bool pc_parent_fault_lock(const Config&, const State& s, int) {
    return s.parent_pc == kParentFaultLock && s.mmap_lock == kMmapFree;
  }
  // Write fault: mmap_read_lock, then spin_lock(ptl) (handle_pte_fault); a
  // swap pte goes to do_swap_page
  static bool run_parent_fault_lock(const Config& c, State& s, int) {
    const int p = c.parent_cpu();
    if (!lock(s, p)) return false;
    s.mmap_lock = kMmapRead;
    const V pte = ld(s, p, kLocPte);
    s.parent_pc = pte_is_swap(pte)    ? kParentSwapIn
                  : pte_writable(pte) ? kParentReuse
                                      : kParentCheck;
    return true;
  }
  static bool parent_unlock(const Config& c, State& s) {
    if (!unlock(s, c.parent_cpu())) return false;
    s.mmap_lock = kMmapFree;
    s.parent_pc = kParentDone;
    return true;
  }
  // do_swap_page(): exclusive := pte_swp_exclusive || page_count == 1; if
  // exclusive: page_add_anon_rmap(RMAP_EXCLUSIVE) (SetPageAnonExclusive) and
  // (write fault) a writable pte; else map R/O and do_wp_page()
  static bool run_parent_swap_in(const Config& c, State& s, int) {
    const int p = c.parent_cpu();
    const V pte = ld(s, p, kLocPte);
    const int page = pte_page(pte);
    const bool exclusive =
        (pte & kPteSwpExclusive) || K::atomic_read(s.mem, p, kLocRef + page) == 1;
    if (exclusive) {
      if (!rmw(s, p, kLocFlags + page, memory::Ord::relaxed, false,
               [](V x) { return x | K::bit(kPgAnonExclusive); }))
        return false;
      if (!store(s, p, kLocPte, page << 1 | kPteWrite)) return false;
      return parent_unlock(c, s);
    }
    if (!store(s, p, kLocPte, page << 1)) return false;
    s.parent_pc = kParentCheck;
    return true;
  }
  // do_wp_page(): v5.11 reuse iff page_count == 1 && page_mapcount == 1;
  // v5.19: PageAnonExclusive -> reuse, else page_count == 1
  static bool run_parent_check_reuse(const Config& c, State& s, int) {
    const int p = c.parent_cpu();
    const int page = view_page(s, p);
    const V ref = K::atomic_read(s.mem, p, kLocRef + page);
    const bool reuse = c.anon_exclusive()
                           ? K::test_bit(s.mem, p, kPgAnonExclusive, kLocFlags + page) || ref == 1
                           : ref == 1 && K::atomic_read(s.mem, p, kLocMap + page) == 1;
    s.parent_pc = reuse ? kParentReuse : kParentCopy;
    return true;
  }
  // wp_page_reuse(): make the pte writable; unlock. v5.19: for a page that
  // was not exclusive, page_move_anon_rmap() (SetPageAnonExclusive) first.
  static bool run_parent_reuse(const Config& c, State& s, int) {
    const int p = c.parent_cpu();
    const V pte = ld(s, p, kLocPte);
    const int page = pte_page(pte);
    if (c.anon_exclusive() && !K::test_bit(s.mem, p, kPgAnonExclusive, kLocFlags + page) &&
        !rmw(s, p, kLocFlags + page, memory::Ord::relaxed, false,
             [](V x) { return x | K::bit(kPgAnonExclusive); }))
      return false;
    if (!store(s, p, kLocPte, pte | kPteWrite)) return false;
    return parent_unlock(c, s);
  }
  // wp_page_copy(): page_remove_rmap(X) and put_page(X) (fully ordered; the
  // put is after the unlock in the kernel), X' initialised (refcount 1,
  // mapcount 1, v5.19 exclusive), __SetPageUptodate's smp_wmb, pte := X'
  // writable; unlock.
  static bool run_parent_cow_copy(const Config& c, State& s, int) {
    const int p = c.parent_cpu();
    const int old = view_page(s, p);
    if (!add(s, p, kLocMap + old, -1, memory::Ord::full, true)) return false;
    if (!add(s, p, kLocRef + old, -1, memory::Ord::full, true)) return false;
    if (!set_to(s, p, kLocRef + kXCopy, 1) || !set_to(s, p, kLocMap + kXCopy, 1)) return false;
    if (c.anon_exclusive() && !set_to(s, p, kLocFlags + kXCopy, kPageAnonExclusive)) return false;
    K::smp_wmb(s.mem, p);
    if (!store(s, p, kLocPte, kXCopy << 1 | kPteWrite)) return false;
    return parent_unlock(c, s);
  }

  // ---- the child -----------------------------------------------------------------
  static bool pc_child_exit(const Config&, const State& s, int) {
    return s.fork_pc == kForkDone &&
           (s.child == kChildShares || s.child == kChildCopied || s.child == kChildSharesCopy);
  }
  // The child exits: zap_pte_range(): page_remove_rmap (atomic_add_negative)
  // and the batched put_page (both fully ordered)
  static bool run_child_exit(const Config& c, State& s, int) {
    const int page = child_page(s);
    if (page >= 0) {
      if (!add(s, c.child_cpu(), kLocMap + page, -1, memory::Ord::full, true)) return false;
      if (!add(s, c.child_cpu(), kLocRef + page, -1, memory::Ord::full, true)) return false;
    }
    s.child = kChildExited;
    return true;
  }

  // ---- UNMAP (E2/E3) -------------------------------------------------------------
  template <int P>
  static bool pc_unmap_at(const Config&, const State& s, int) {
    return s.unmap_pc == P;
  }
  static bool unmap_unlock(const Config& c, State& s) {
    if (!unlock(s, c.unmap_cpu())) return false;
    s.unmap_pc = kUnmapDone;
    return true;
  }
  // After A1 (and KSM's count check): share an exclusive page, else go to A4.
  static UnmapPc unmap_share_step(const Config& c, const State& s) {
    if (!s.unmap_excl) return kUnmapSetPte;
    return c.v6_barriers() ? kUnmapMb : kUnmapReadRefcount;
  }
  // kind = swap-out (try_to_unmap_one) or KSM (write_protect_page):
  // page_vma_mapped_walk() takes the ptl; nothing to do unless the pte is present.
  static bool run_unmap_lock_ptl(const Config& c, State& s, int kind) {
    const int u = c.unmap_cpu();
    if (!lock(s, u)) return false;
    s.unmap_kind = static_cast<std::uint8_t>(kind);
    if (!pte_present(ld(s, u, kLocPte))) {
      if (!unlock(s, u)) return false;
      s.unmap_pc = kUnmapDone;
    } else {
      s.unmap_pc = kUnmapClearPte;
    }
    return true;
  }
  // anon_exclusive := PageAnonExclusive(subpage); A1: pteval :=
  // ptep_clear_flush() (v5.19, and KSM in v6.0: xchg + TLB flush, which
  // implies a full barrier: a fully ordered RMW) or, v6.0 swap-out,
  // ptep_get_and_clear() (unordered RMW; the flush may be deferred). KSM does
  // this only if pte_write || pte_dirty || anon_exclusive.
  static bool run_unmap_clear_pte(const Config& c, State& s, int) {
    const int u = c.unmap_cpu();
    const V pte = ld(s, u, kLocPte);
    s.unmap_excl = K::test_bit(s.mem, u, kPgAnonExclusive, kLocFlags + pte_page(pte)) ? 1 : 0;
    if (s.unmap_kind == kUnmapKsm && !s.unmap_excl && !pte_writable(pte)) {
      return unmap_unlock(c, s);
    }
    const memory::Ord ord =
        c.v6_barriers() && s.unmap_kind == kUnmapSwap ? memory::Ord::relaxed : memory::Ord::full;
    if (!Machine::can_rmw(s.mem, u, kLocPte, ord, true) || !room(s, kLocPte)) return false;
    s.unmap_pte = static_cast<std::uint8_t>(K::xchg(s.mem, u, kLocPte, kPteNone, ord));
    s.unmap_pc = s.unmap_kind == kUnmapKsm ? kUnmapKsmCheck : unmap_share_step(c, s);
    return true;
  }
  // KSM write_protect_page(): page_mapcount + 1 + swapped != page_count -> restore
  static bool run_unmap_ksm_check(const Config& c, State& s, int) {
    const int u = c.unmap_cpu();
    const int page = pte_page(s.unmap_pte);
    s.unmap_pc =
        K::atomic_read(s.mem, u, kLocRef + page) != K::atomic_read(s.mem, u, kLocMap + page)
            ? kUnmapRestore
            : unmap_share_step(c, s);
    return true;
  }
  // v6.0 page_try_share_anon_rmap(): smp_mb() before A2
  static bool run_unmap_mb(const Config& c, State& s, int) {
    if (!mb(s, c.unmap_cpu())) return false;
    s.unmap_pc = kUnmapReadRefcount;
    return true;
  }
  // A2 page_try_share_anon_rmap(): page_maybe_dma_pinned() -> -EBUSY
  static bool run_unmap_read_refcount(const Config& c, State& s, int) {
    const V ref = K::atomic_read(s.mem, c.unmap_cpu(), kLocRef + pte_page(s.unmap_pte));
    s.unmap_pc = ref >= kPinBias ? kUnmapRestore : kUnmapClearAnonExclusive;
    return true;
  }
  // A3 page_try_share_anon_rmap(): ClearPageAnonExclusive() (clear_bit)
  static bool run_unmap_clear_anon_exclusive(const Config& c, State& s, int) {
    if (!rmw(s, c.unmap_cpu(), kLocFlags + pte_page(s.unmap_pte), memory::Ord::relaxed,
             c.v6_barriers(), [](V x) { return x & ~K::bit(kPgAnonExclusive); }))
      return false;
    s.unmap_pc = c.v6_barriers() ? kUnmapMbAfterAtomic : kUnmapSetPte;
    return true;
  }
  // v6.0 page_try_share_anon_rmap(): smp_mb__after_atomic() ("conceptually smp_wmb")
  static bool run_unmap_mb_after_atomic(const Config& c, State& s, int) {
    if (!mb(s, c.unmap_cpu())) return false;
    s.unmap_pc = kUnmapSetPte;
    return true;
  }
  // A4: set_pte_at(swp_pte [pte_swp_mkexclusive if anon_exclusive]) or
  // (KSM) set_pte_at_notify(pte_mkclean(pte_wrprotect(pteval))); unlock
  static bool run_unmap_set_pte(const Config& c, State& s, int) {
    const V pte =
        s.unmap_kind == kUnmapSwap
            ? (kPteSwap | (s.unmap_pte & kPtePage) | (s.unmap_excl ? kPteSwpExclusive : 0))
            : (s.unmap_pte & ~kPteWrite);
    if (!store(s, c.unmap_cpu(), kLocPte, pte)) return false;
    return unmap_unlock(c, s);
  }
  // Backed off (pinned): set_pte_at(pteval) restores the pte; unlock
  static bool run_unmap_restore_pte(const Config& c, State& s, int) {
    if (!store(s, c.unmap_cpu(), kLocPte, s.unmap_pte)) return false;
    return unmap_unlock(c, s);
  }

  template <int P>
  static bool pc_gup_at(const Config&, const State& s, int i) {
    return s.gup_pc[i] == P;
  }

  static std::span<const Family> actions() {
    static constexpr Family kFamilies[] = {
        {"gup.set_has_pinned", "cpu", pin_gup_count, guard<pc_set_has_pinned, run_set_has_pinned>,
         effect<run_set_has_pinned>, gup_actor},
        {"gup.read_seq", "cpu", seq_gup_count, guard<pc_read_seq, run_read_seq>,
         effect<run_read_seq>, gup_actor},
        {"gup.read_pte", "cpu", gup_count, guard<pc_read_pte, run_read_pte>, effect<run_read_pte>,
         gup_actor},
        {"gup.pin", "cpu", legacy_gup_count, guard<pc_pin, run_pin>, effect<run_pin>, gup_actor},
        {"gup.try_get", "cpu", e_gup_count, guard<pc_pin, run_try_get>, effect<run_try_get>,
         gup_actor},
        {"gup.pin_bias", "cpu", ae_gup_count, guard<pc_pin_bias, run_pin_bias>,
         effect<run_pin_bias>, gup_actor},
        {"gup.smp_mb_after_atomic", "cpu", v6_gup_count,
         guard<pc_mb_after_atomic, run_mb_after_atomic>, effect<run_mb_after_atomic>, gup_actor},
        {"gup.recheck_pte", "cpu", gup_count, guard<pc_recheck_pte, run_recheck_pte>,
         effect<run_recheck_pte>, gup_actor},
        {"gup.smp_rmb", "cpu", v6_gup_count, guard<pc_rmb, run_rmb>, effect<run_rmb>, gup_actor},
        {"gup.check_anon_exclusive", "cpu", ae_gup_count,
         guard<pc_check_anon_exclusive, run_check_anon_exclusive>, effect<run_check_anon_exclusive>,
         gup_actor},
        {"gup.check_mapcount", "cpu", get_gup_count, guard<pc_check_mapcount, run_check_mapcount>,
         effect<run_check_mapcount>, gup_actor},
        {"gup.recheck_seq", "cpu", seq_gup_count, guard<pc_recheck_seq, run_recheck_seq>,
         effect<run_recheck_seq>, gup_actor},
        {"gup.unpin", "cpu", gup_count, guard<pc_unpin, run_unpin>, effect<run_unpin>, gup_actor},
        {"fork.mmap_write_lock", "", fork_count, guard<pc_fork_mmap_lock, run_fork_mmap_lock>,
         effect<run_fork_mmap_lock>, fork_actor},
        {"fork.seq_begin", "", seq_count, guard<pc_fork_at<kForkSeqBegin>, run_fork_seq_begin>,
         effect<run_fork_seq_begin>, fork_actor},
        {"fork.lock_ptl", "", fork_count, guard<pc_fork_at<kForkLockPtl>, run_fork_lock_ptl>,
         effect<run_fork_lock_ptl>, fork_actor},
        {"fork.read_has_pinned", "", fork_count,
         guard<pc_fork_at<kForkReadHasPinned>, run_fork_read_has_pinned>,
         effect<run_fork_read_has_pinned>, fork_actor},
        {"fork.read_refcount", "", fork_count,
         guard<pc_fork_at<kForkReadRefcount>, run_fork_read_refcount>,
         effect<run_fork_read_refcount>, fork_actor},
        {"fork.copy_for_child", "", fork_count, guard<pc_fork_at<kForkCopy>, run_fork_copy>,
         effect<run_fork_copy>, fork_actor},
        {"fork.clear_anon_exclusive", "", fork_ae_count,
         guard<pc_fork_at<kForkClearAnonExclusive>, run_fork_clear_anon_exclusive>,
         effect<run_fork_clear_anon_exclusive>, fork_actor},
        {"fork.dup", "", fork_count, guard<pc_fork_at<kForkDup>, run_fork_dup>,
         effect<run_fork_dup>, fork_actor},
        {"fork.wrprotect", "", fork_count, guard<pc_fork_at<kForkWrprotect>, run_fork_wrprotect>,
         effect<run_fork_wrprotect>, fork_actor},
        {"fork.unlock_ptl", "", fork_count, guard<pc_fork_at<kForkUnlockPtl>, run_fork_unlock_ptl>,
         effect<run_fork_unlock_ptl>, fork_actor},
        {"fork.seq_end", "", seq_count, guard<pc_fork_at<kForkSeqEnd>, run_fork_seq_end>,
         effect<run_fork_seq_end>, fork_actor},
        {"fork.mmap_write_unlock", "", fork_count,
         guard<pc_fork_at<kForkUnlockMmap>, run_fork_mmap_unlock>, effect<run_fork_mmap_unlock>,
         fork_actor},
        {"parent.write", "", parent_count, guard<pc_parent_at<kParentIdle>, run_parent_write>,
         effect<run_parent_write>, parent_actor},
        {"parent.fault_lock", "", parent_count, guard<pc_parent_fault_lock, run_parent_fault_lock>,
         effect<run_parent_fault_lock>, parent_actor},
        {"parent.swap_in", "", parent_ae_count,
         guard<pc_parent_at<kParentSwapIn>, run_parent_swap_in>, effect<run_parent_swap_in>,
         parent_actor},
        {"parent.check_reuse", "", parent_count,
         guard<pc_parent_at<kParentCheck>, run_parent_check_reuse>, effect<run_parent_check_reuse>,
         parent_actor},
        {"parent.reuse", "", parent_count, guard<pc_parent_at<kParentReuse>, run_parent_reuse>,
         effect<run_parent_reuse>, parent_actor},
        {"parent.cow_copy", "", parent_count, guard<pc_parent_at<kParentCopy>, run_parent_cow_copy>,
         effect<run_parent_cow_copy>, parent_actor},
        {"child.exit", "", fork_count, guard<pc_child_exit, run_child_exit>, effect<run_child_exit>,
         child_actor},
        {"unmap.lock_ptl", "kind", unmap_kind_count,
         guard<pc_unmap_at<kUnmapIdle>, run_unmap_lock_ptl>, effect<run_unmap_lock_ptl>,
         unmap_actor},
        {"unmap.clear_pte", "", unmap_count,
         guard<pc_unmap_at<kUnmapClearPte>, run_unmap_clear_pte>, effect<run_unmap_clear_pte>,
         unmap_actor},
        {"unmap.ksm_check_refcount", "", unmap_count,
         guard<pc_unmap_at<kUnmapKsmCheck>, run_unmap_ksm_check>, effect<run_unmap_ksm_check>,
         unmap_actor},
        {"unmap.smp_mb", "", unmap_v6_count, guard<pc_unmap_at<kUnmapMb>, run_unmap_mb>,
         effect<run_unmap_mb>, unmap_actor},
        {"unmap.read_refcount", "", unmap_count,
         guard<pc_unmap_at<kUnmapReadRefcount>, run_unmap_read_refcount>,
         effect<run_unmap_read_refcount>, unmap_actor},
        {"unmap.clear_anon_exclusive", "", unmap_count,
         guard<pc_unmap_at<kUnmapClearAnonExclusive>, run_unmap_clear_anon_exclusive>,
         effect<run_unmap_clear_anon_exclusive>, unmap_actor},
        {"unmap.smp_mb_after_atomic", "", unmap_v6_count,
         guard<pc_unmap_at<kUnmapMbAfterAtomic>, run_unmap_mb_after_atomic>,
         effect<run_unmap_mb_after_atomic>, unmap_actor},
        {"unmap.set_pte", "", unmap_count, guard<pc_unmap_at<kUnmapSetPte>, run_unmap_set_pte>,
         effect<run_unmap_set_pte>, unmap_actor},
        {"unmap.restore_pte", "", unmap_count,
         guard<pc_unmap_at<kUnmapRestore>, run_unmap_restore_pte>, effect<run_unmap_restore_pte>,
         unmap_actor},
    };
    return memory::with_environment<Spec>(kFamilies);
  }

  static std::span<const Prop> properties() {
    static constexpr Prop kProps[] = {
        {PropertyKind::always, "pinned_page_never_cowed",
         "INV-PIN-COHERENT/E-I3: while a gup-fast FOLL_PIN pin is held, the parent's present pte "
         "maps the pinned page",
         pinned_page_never_cowed<Mo>},
        {PropertyKind::always, "pinned_page_exclusive",
         "E-I1 (E2/E3): while a FOLL_PIN pin on X is held, ANON_EXCLUSIVE(X) and no other mm "
         "maps X",
         pinned_page_exclusive<Mo>},
        {PropertyKind::always, "exclusive_page_unshared",
         "E-I2 (E2/E3): ANON_EXCLUSIVE(X) => only one mm maps or swap-references X",
         exclusive_page_unshared<Mo>},
        {PropertyKind::always, "shared_page_never_writable",
         "E-I4 (E2/E3): outside ptl sections, a writable pte maps an ANON_EXCLUSIVE page",
         shared_page_never_writable<Mo>},
        {PropertyKind::always, "gup_page_never_shared",
         "E-v1's claim (§E): while a GUP reference (GET or PIN) on X is held, no other mm maps X",
         gup_page_never_shared<Mo>},
        {PropertyKind::reachable, "pin_taken", "gup-fast returns a pin", pin_taken<Mo>},
        {PropertyKind::reachable, "fork_copies_pinned_page",
         "fork sees the pin and gives the child a private copy", fork_copies_pinned_page<Mo>},
        {PropertyKind::reachable, "child_shares_page", "fork shares the page with the child",
         child_shares_page<Mo>},
        {PropertyKind::reachable, "parent_cow_after_fork",
         "the parent's write fault copies the page", parent_cow_after_fork<Mo>},
        {PropertyKind::reachable, "ro_pin_taken",
         "§E: gup-fast returns a reference taken from a R/O pte (vacuous before §E)",
         ro_pin_taken<Mo>},
        {PropertyKind::reachable, "gup_backs_off_shared_page",
         "§E: gup_must_unshare finds a possibly shared page (E1 mapcount > 1, E2/E3 "
         "!ANON_EXCLUSIVE) (vacuous before §E)",
         gup_backs_off_shared_page<Mo>},
        {PropertyKind::reachable, "pte_recheck_passes_on_shared_page",
         "E2/E3: B4 sees the same pte but the page was shared meanwhile: only B5 (or B6) "
         "stops the pin (vacuous otherwise)",
         pte_recheck_passes_on_shared_page<Mo>},
        {PropertyKind::reachable, "pinned_exclusive_page_reused",
         "E2/E3: a write fault on a pinned R/O ANON_EXCLUSIVE page reuses it (vacuous otherwise)",
         pinned_exclusive_page_reused<Mo>},
        {PropertyKind::reachable, "unmap_sees_pin",
         "E2/E3: A2 page_maybe_dma_pinned is true, UNMAP backs off (vacuous otherwise)",
         unmap_sees_pin<Mo>},
        {PropertyKind::reachable, "unmap_shares_exclusive_page",
         "E2/E3: A3 clears ANON_EXCLUSIVE (vacuous otherwise)", unmap_shares_exclusive_page<Mo>},
        {PropertyKind::reachable, "exclusive_swap_entry",
         "E2/E3: the parent's pte is a swap entry with the exclusive bit (vacuous otherwise)",
         exclusive_swap_entry<Mo>},
    };
    return kProps;
  }

  // Properties of actors a parameter switched off are "n/a".
  static bool applies(const Config& c, std::string_view property) {
    if (!c.fork && (property == "fork_copies_pinned_page" || property == "child_shares_page" ||
                    property == "parent_cow_after_fork")) {
      return false;
    }
    if (!c.parent &&
        (property == "parent_cow_after_fork" || property == "pinned_exclusive_page_reused")) {
      return false;
    }
    if (!c.has_unmap() && c.anon_exclusive() &&
        (property == "unmap_sees_pin" || property == "unmap_shares_exclusive_page" ||
         property == "exclusive_swap_entry")) {
      return false;
    }
    if (!c.fork && !c.has_unmap() && property == "pte_recheck_passes_on_shared_page") return false;
    if (!c.fork && !c.has_unmap() && property == "gup_backs_off_shared_page") return false;
    return true;
  }

  // ---- partial-order reduction (--por; memory/por.hpp) ------------------------
  // Actors are the CPUs (gup 0..n-1, fork, parent, child, unmap); a CPU's
  // mem.commit steps are its own. Resources: bits 0..kLocCount-1 are the
  // memory words; mmap_lock; `child` with "fork is done" (child.exit's guard
  // reads both); and, for visibility only, each actor's program counter and
  // registers (only the properties and ptl_owner() read another actor's).
  // A page-dependent word is the page the CPU's registers or view name in
  // the state (next steps) or both pages (future steps).
  using Por = memory::Por<Machine>;
  static constexpr std::uint64_t kRMmap = bit(12);
  static constexpr std::uint64_t kRChild = bit(13);
  static constexpr std::uint64_t kRForkPc = bit(14);
  static constexpr std::uint64_t kRParentPc = bit(15);
  static constexpr std::uint64_t kRUnmapPc = bit(16);
  static constexpr std::uint64_t gup_pc_bit(int i) { return bit(20 + i); }
  static std::uint64_t all_gup_pcs(const Config& c) { return (bit(c.gup_cpus) - 1) << 20; }
  static constexpr std::uint64_t pages(int base, int page) {
    return page < 0 ? bit(base) | bit(base + 1) : bit(base + page);
  }
  // One step of gup CPU i at `pc` on page `p` (-1: either page).
  static Footprint gup_step(const Config& c, int i, int pc, int p) {
    Footprint f{0, gup_pc_bit(i)};
    const std::uint64_t ref = pages(kLocRef, p);
    switch (pc) {
      case kGupIdle:  // set_has_pinned (FOLL_PIN) or E1's read_pte
        if (c.foll_pin()) {
          Por::rmw(f, bit(kLocMm));
        } else {
          f.reads |= bit(kLocPte);
        }
        break;
      case kGupReadSeq:
        f.reads |= bit(kLocSeq);
        break;
      case kGupReadPte:
        f.reads |= bit(kLocPte);
        break;
      case kGupPin:
      case kGupPinBias:
      case kGupHold:
        Por::rmw(f, ref);
        break;
      case kGupRecheckPte:
        f.reads |= bit(kLocPte);
        Por::rmw(f, ref);
        break;
      case kGupCheckAnonExclusive:
        f.reads |= pages(kLocFlags, p);
        Por::rmw(f, ref);
        break;
      case kGupCheckMapcount:
        f.reads |= pages(kLocMap, p);
        Por::rmw(f, ref);
        break;
      case kGupRecheckSeq:
        f.reads |= bit(kLocSeq);
        Por::rmw(f, ref);
        break;
      default:  // barriers: the CPU's own buffer and views
        break;
    }
    return f;
  }
  static Footprint fork_step(const Config& c, int pc, int p) {
    Footprint f{bit(kLocPte), kRForkPc};
    const std::uint64_t ref = pages(kLocRef, p);
    switch (pc) {
      case kForkIdle:
        f.reads = 0;
        Por::rmw(f, kRMmap);
        break;
      case kForkSeqBegin:
      case kForkSeqEnd:
        f.reads = 0;
        Por::rmw(f, bit(kLocSeq));
        break;
      case kForkLockPtl:
        Por::rmw(f, bit(kLocPtl));
        break;
      case kForkReadHasPinned:
        f.reads |= bit(kLocMm);
        if (c.anon_exclusive()) Por::rmw(f, ref);
        break;
      case kForkReadRefcount:
        f.reads |= ref;
        break;
      case kForkCopy:
        if (c.anon_exclusive()) Por::rmw(f, ref);
        f.writes |= kRChild;
        break;
      case kForkClearAnonExclusive:
        Por::rmw(f, pages(kLocFlags, p));
        break;
      case kForkDup:  // a swap pte also loses its exclusive bit
        Por::rmw(f, ref | pages(kLocMap, p) | bit(kLocPte));
        f.writes |= kRChild;
        break;
      case kForkWrprotect:
        Por::rmw(f, bit(kLocPte));
        break;
      case kForkUnlockPtl:
        f.reads = 0;
        Por::rmw(f, bit(kLocPtl));
        break;
      case kForkUnlockMmap:  // fork_pc := done enables child.exit
        f.reads = 0;
        Por::rmw(f, kRMmap | kRChild);
        break;
      default:
        return {};
    }
    return f;
  }
  // The parent's program order: write, fault_lock, swap_in, check, reuse | copy.
  static int parent_rank(int pc) {
    constexpr int kRank[kParentCount] = {0, 1, 3, 4, 5, 6, 2};
    return kRank[pc];
  }
  static Footprint parent_step(int pc, int p) {
    Footprint f{bit(kLocPte), kRParentPc};
    // Every path that ends the fault unlocks the ptl and mmap_lock.
    const std::uint64_t unlock = bit(kLocPtl) | kRMmap;
    switch (pc) {
      case kParentIdle:
        break;
      case kParentFaultLock:
        Por::rmw(f, kRMmap | bit(kLocPtl));
        break;
      case kParentSwapIn:
        f.reads |= pages(kLocRef, p);
        Por::rmw(f, pages(kLocFlags, p) | bit(kLocPte) | unlock);
        break;
      case kParentCheck:
        f.reads |= pages(kLocRef, p) | pages(kLocMap, p) | pages(kLocFlags, p);
        break;
      case kParentReuse:
        Por::rmw(f, pages(kLocFlags, p) | bit(kLocPte) | unlock);
        break;
      case kParentCopy:
        Por::rmw(f, pages(kLocRef, p) | pages(kLocMap, p) | bit(kLocRef + kXCopy) |
                        bit(kLocMap + kXCopy) | bit(kLocFlags + kXCopy) | bit(kLocPte) | unlock);
        break;
      default:
        return {};
    }
    return f;
  }
  static Footprint unmap_step(int pc, int p) {
    Footprint f{0, kRUnmapPc};
    switch (pc) {
      case kUnmapIdle:  // may unlock at once
        f.reads |= bit(kLocPte);
        Por::rmw(f, bit(kLocPtl));
        break;
      case kUnmapClearPte:  // KSM may unlock
        f.reads |= pages(kLocFlags, p);
        Por::rmw(f, bit(kLocPte) | bit(kLocPtl));
        break;
      case kUnmapKsmCheck:
        f.reads |= pages(kLocRef, p) | pages(kLocMap, p);
        break;
      case kUnmapReadRefcount:
        f.reads |= pages(kLocRef, p);
        break;
      case kUnmapClearAnonExclusive:
        Por::rmw(f, pages(kLocFlags, p));
        break;
      case kUnmapSetPte:
      case kUnmapRestore:
        Por::rmw(f, bit(kLocPte) | bit(kLocPtl));
        break;
      case kUnmapDone:
        return {};
      default:  // barriers
        break;
    }
    return f;
  }
  static Footprint child_step(const Config& c, const State& s, bool future) {
    if (!c.fork || s.child == kChildExited) return {};
    const int p = future || s.child == kChildNone ? -1 : child_page(s);
    Footprint f;
    Por::rmw(f, kRChild | pages(kLocMap, p) | pages(kLocRef, p));
    return f;
  }
  // Steps of actor `a` in `s` (future: from `s` on).
  static Footprint por_steps(const Config& c, const State& s, int a, bool future) {
    Footprint f;
    if (a < c.gup_cpus) {
      if (gup_done(c, s, a)) return {};
      const int pc = s.gup_pc[a];
      if (!future) return gup_step(c, a, pc, s.gup_pte[a] >> 1);
      // This attempt from its pc on (its page is fixed once the pte is
      // read), and every step of the later attempts.
      const bool more = pc == kGupIdle || s.gup_attempts[a] + 1 < c.attempts;
      const bool known = pc != kGupIdle && pc != kGupReadSeq && pc != kGupReadPte;
      for (int k = 0; k < kGupCount; ++k) {
        if (k == kGupIdle && !more) continue;
        f |= gup_step(c, a, k, more || !known ? -1 : s.gup_pte[a] >> 1);
      }
      return f;
    }
    if (a == c.fork_cpu()) {
      if (!future) return fork_step(c, s.fork_pc, view_page(s, a));
      // ForkPc is in program order up to kForkDone, but for F5
      // (clear_anon_exclusive: after read_refcount, before dup).
      const bool f5 = s.fork_pc == kForkClearAnonExclusive;
      for (int k = f5 ? int{kForkDup} : int{s.fork_pc}; k < kForkDone; ++k)
        f |= fork_step(c, k, -1);
      if (f5 || s.fork_pc < kForkCopy) f |= fork_step(c, kForkClearAnonExclusive, -1);
      return f;
    }
    if (a == c.parent_cpu()) {
      if (!future) return parent_step(s.parent_pc, view_page(s, a));
      for (int k = 0; k < kParentCount; ++k) {
        if (parent_rank(k) >= parent_rank(s.parent_pc)) f |= parent_step(k, -1);
      }
      return f;
    }
    if (a == c.child_cpu()) return child_step(c, s, future);
    if (a == c.unmap_cpu() && c.anon_exclusive()) {
      const int p = s.unmap_pc == kUnmapClearPte ? view_page(s, a) : pte_page(s.unmap_pte);
      if (!future) return unmap_step(s.unmap_pc, p);
      for (int k = s.unmap_pc; k < kUnmapCount; ++k) f |= unmap_step(k, -1);
      return f;
    }
    return {};
  }
  static Footprint por_next(const Config& c, const State& s, int a) {
    return Por::cpu(por_steps(c, s, a, false), s.mem, a);
  }
  static Footprint por_future(const Config& c, const State& s, int a) {
    return Por::cpu(por_steps(c, s, a, true), s.mem, a);
  }
  // What each property reads (0: trivially true in this proposal).
  static std::uint64_t por_visible(const Config& c, int property) {
    const std::string_view n = properties()[static_cast<std::size_t>(property)].name;
    const std::uint64_t gups = all_gup_pcs(c);
    const std::uint64_t pte = bit(kLocPte);
    const std::uint64_t flags = pages(kLocFlags, -1);
    const bool ae = c.anon_exclusive();
    const bool e = c.section_e();
    if (n == "pinned_page_never_cowed") return gups | pte;
    if (n == "pinned_page_exclusive") return ae ? gups | flags | kRChild : 0;
    if (n == "exclusive_page_unshared") return ae ? kRChild | flags : 0;
    if (n == "shared_page_never_writable") {
      return ae ? kRForkPc | kRParentPc | kRUnmapPc | pte | flags : 0;
    }
    if (n == "gup_page_never_shared") return e ? gups | kRChild : 0;
    if (n == "pin_taken") return gups;
    if (n == "fork_copies_pinned_page" || n == "child_shares_page") return kRChild;
    if (n == "parent_cow_after_fork") return pte;
    if (n == "ro_pin_taken") return e ? gups : 0;
    if (n == "gup_backs_off_shared_page") return e ? gups | pages(kLocMap, -1) | flags : 0;
    if (n == "pte_recheck_passes_on_shared_page") return ae ? gups | pte | flags : 0;
    if (n == "pinned_exclusive_page_reused") {
      return ae ? kRParentPc | pte | flags | pages(kLocRef, -1) : 0;
    }
    if (n == "unmap_sees_pin") return ae ? kRUnmapPc | pages(kLocRef, -1) : 0;
    if (n == "unmap_shares_exclusive_page") return ae ? kRUnmapPc : 0;
    if (n == "exclusive_swap_entry") return ae ? pte : 0;
    return ~std::uint64_t{0};  // a property added without its reads: every step visible
  }

  static std::vector<std::string> actors(const Config& c) {
    std::vector<std::string> names;
    for (int i = 0; i < c.gup_cpus; ++i) names.push_back(absl::StrCat("gup CPU", i));
    names.push_back(absl::StrCat("fork CPU", c.fork_cpu()));
    names.push_back(absl::StrCat("parent CPU", c.parent_cpu()));
    names.push_back(absl::StrCat("child CPU", c.child_cpu()));
    if (c.anon_exclusive()) names.push_back(absl::StrCat("unmap CPU", c.unmap_cpu()));
    return names;
  }

  // The fields of v5.9/v5.11 print exactly as before §E was added (golden
  // traces); §E adds its own; weak models add each CPU's store buffer and
  // stale views (`mem.<actor>`).
  static void describe(const Config& c, const State& s, FieldPrinter& p) {
    p.num("page[X].refcount", refcount(s, kX));
    p.num("page[X].mapcount", mapcount(s, kX));
    p.num("page[X'].refcount", refcount(s, kXCopy));
    if (c.section_e()) p.num("page[X'].mapcount", mapcount(s, kXCopy));
    if (c.anon_exclusive()) {
      p.flag("page[X].anon_exclusive", anon_exclusive(s, kX));
      p.flag("page[X'].anon_exclusive", anon_exclusive(s, kXCopy));
    }
    p.num("mm.write_protect_seq", latest(s, kLocSeq));
    p.flag("mm.has_pinned", latest(s, kLocMm) != 0);
    const int pte = pte_value(s);
    if (c.section_e()) p.text("pte.kind", pte_kind(pte));
    if (pte & kPteNone) {
      p.text("pte.page", "-");
    } else {
      p.choice("pte.page", pte_page(pte), kPageNames);
    }
    p.flag("pte.write", pte_writable(pte));
    p.choice("child", s.child, kChildNames);
    p.choice("mmap_lock", s.mmap_lock, kMmapNames);
    p.choice("ptl", ptl_owner(s), kPtlNames);
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
    if constexpr (Mo != Model::sc) {
      const std::vector<std::string> names = actors(c);
      for (int cpu = 0; cpu < memory_cpus(c); ++cpu) {
        const std::string m = Machine::describe_cpu(s.mem, cpu, kLocNames);
        p.text(absl::StrCat("mem.", names[cpu]), m.empty() ? "-" : m);
      }
    }
  }

  // Everyone finished: gup-fast CPUs used their attempts, fork, the parent's
  // store, the child's exit and (E2/E3) UNMAP are done.
  static bool is_final(const Config& c, const State& s) {
    for (int i = 0; i < c.gup_cpus; ++i) {
      if (s.gup_pc[i] != kGupIdle || s.gup_attempts[i] != c.attempts) return false;
    }
    if (c.has_unmap() && s.unmap_pc != kUnmapDone) return false;
    return s.fork_pc == kForkDone && s.parent_pc == kParentDone &&
           (s.child == kChildExited || !c.fork);
  }
};

static_assert(SpecType<Spec<Model::sc>>);
static_assert(SpecType<Spec<Model::lkmm>>);

}  // namespace
}  // namespace mmcheck::mm::gupfast_fork

namespace mmcheck {
void register_gupfast_fork(Registry& r) { r.add(make_model_spec_entry<mm::gupfast_fork::Spec>()); }
}  // namespace mmcheck

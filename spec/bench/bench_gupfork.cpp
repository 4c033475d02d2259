// File: spec/bench/bench_gupfork.cpp
//
// bench_gupfork: the peer benchmark model (../shared/bench/gupfork.m for
// Rumur/Murphi, gupfork.pml for SPIN) ported rule for rule, so its state counts
// must equal Rumur's and SPIN's with symmetry reduction off:
//   N=2..5, K=2, F=2: 3,703 / 63,533 / 1,127,119 / 20,684,141 states.
// One Murphi rule is one action family here; `ruleset i: cpu_t` becomes the
// `cpu` parameter. The model is a deliberately simplified seqcount-vs-fork
// race (see gupfork.m); the faithful kernel model is spec/mm/gupfast_fork.
//
// The state is packed into one 64-bit word (include/mmcheck/packed.hpp) so
// the exact store needs 8 + 4 bytes per state plus its hash index:
//   seq 3 bits | pte_w 1 | pincount 3 | shared 1 | child_copy 1 | fpc 3 | nfork 2
//   | per CPU (up to 6): gpc 3, snap 3, iter 2
// which bounds the parameters to N <= 6, K <= 3, F <= 3.
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "mmcheck/packed.hpp"
#include "mmcheck/spec.hpp"
#include "registry/adapter.hpp"

namespace mmcheck::bench {
namespace {

enum Gpc : unsigned { kIdle, kReadPte, kPin, kRecheck, kHold };
enum Fpc : unsigned { kFIdle, kFWp, kFDecide, kFEnd, kFChild, kFFault };
constexpr std::string_view kGpcNames[] = {"idle", "read_pte", "pin", "recheck", "hold"};
constexpr std::string_view kFpcNames[] = {"idle", "wrprotect", "decide", "end", "child", "fault"};

using Seq = Bits<0, 3>;
using PteW = Bits<3, 1>;
using PinCount = Bits<4, 3>;
using Shared = Bits<7, 1>;
using ChildCopy = Bits<8, 1>;
using ForkPc = Bits<9, 3>;
using NFork = Bits<12, 2>;
using GupPc = BitsArray<14, 3, 8, 6>;
using Snap = BitsArray<17, 3, 8, 6>;
using Iter = BitsArray<20, 2, 8, 6>;

struct BenchGupFork {
  struct State {
    std::uint64_t word;
    bool operator==(const State&) const = default;
  };
  struct Config {
    int n, k, f;
    bool buggy;
  };
  using Family = ActionFamily<State, Config>;
  using Prop = Property<State, Config>;

  static constexpr std::string_view name = "bench_gupfork";
  static constexpr std::string_view summary =
      "peer benchmark: the shared Rumur/SPIN gupfork model (simplified seqcount vs fork)";
  static constexpr DeadlockPolicy deadlock_policy = DeadlockPolicy::stuck;

  static std::span<const ProposalSpec> proposals() {
    static constexpr ProposalSpec kProposals[] = {
        {"seqcount", "gup-fast rechecks the seqcount after pinning (BUGGY=0)"},
        {"buggy", "the seqcount recheck is omitted (BUGGY=1)"},
    };
    return kProposals;
  }
  static std::span<const ParamSpec> params() {
    static constexpr ParamSpec kParams[] = {
        {"N", 3, 1, 6, "gup-fast CPUs"},
        {"K", 2, 1, 3, "gup-fast attempts per CPU"},
        {"F", 2, 1, 3, "fork iterations"},
    };
    return kParams;
  }
  static Config configure(const RunConfig& run) {
    return Config{run.params[0], run.params[1], run.params[2], run.proposal == 1};
  }
  static State initial(const Config&) {
    State s{0};
    PteW::set(s.word, 1);
    return s;
  }

  static int cpus(const Config& c) { return c.n; }
  static int cpu_actor(const Config&, int i) { return i; }
  static int fork_actor(const Config& c, int) { return c.n; }

  static std::span<const Family> actions() {
    static constexpr Family kFamilies[] = {
        {"gup.read_seq", "cpu", cpus,
         [](const Config& c, const State& s, int i) {
           return GupPc::get(s.word, i) == kIdle && Iter::get(s.word, i) < unsigned(c.k);
         },
         [](const Config&, State& s, int i) {
           if (Seq::get(s.word) % 2 == 1) {
             Iter::set(s.word, i, Iter::get(s.word, i) + 1);  // writer active: fall back
           } else {
             Snap::set(s.word, i, Seq::get(s.word));
             GupPc::set(s.word, i, kReadPte);
           }
         },
         cpu_actor},
        {"gup.read_pte", "cpu", cpus,
         [](const Config&, const State& s, int i) { return GupPc::get(s.word, i) == kReadPte; },
         [](const Config&, State& s, int i) {
           if (PteW::get(s.word)) {
             GupPc::set(s.word, i, kPin);
           } else {
             GupPc::set(s.word, i, kIdle);
             Snap::set(s.word, i, 0);
             Iter::set(s.word, i, Iter::get(s.word, i) + 1);
           }
         },
         cpu_actor},
        {"gup.pin", "cpu", cpus,
         [](const Config&, const State& s, int i) { return GupPc::get(s.word, i) == kPin; },
         [](const Config&, State& s, int i) {
           PinCount::set(s.word, PinCount::get(s.word) + 1);
           GupPc::set(s.word, i, kRecheck);
         },
         cpu_actor},
        {"gup.recheck_seq", "cpu", cpus,
         [](const Config&, const State& s, int i) { return GupPc::get(s.word, i) == kRecheck; },
         [](const Config& c, State& s, int i) {
           if (!c.buggy && Seq::get(s.word) != Snap::get(s.word, i)) {
             PinCount::set(s.word, PinCount::get(s.word) - 1);  // collided with fork
             GupPc::set(s.word, i, kIdle);
             Snap::set(s.word, i, 0);
             Iter::set(s.word, i, Iter::get(s.word, i) + 1);
           } else {
             GupPc::set(s.word, i, kHold);
             Snap::set(s.word, i, 0);
           }
         },
         cpu_actor},
        {"gup.unpin", "cpu", cpus,
         [](const Config&, const State& s, int i) { return GupPc::get(s.word, i) == kHold; },
         [](const Config&, State& s, int i) {
           PinCount::set(s.word, PinCount::get(s.word) - 1);
           GupPc::set(s.word, i, kIdle);
           Iter::set(s.word, i, Iter::get(s.word, i) + 1);
         },
         cpu_actor},
        {"fork.begin", "", one<Config>,
         [](const Config& c, const State& s, int) {
           return ForkPc::get(s.word) == kFIdle && NFork::get(s.word) < unsigned(c.f);
         },
         [](const Config&, State& s, int) {
           Seq::set(s.word, Seq::get(s.word) + 1);
           ForkPc::set(s.word, kFWp);
         },
         fork_actor},
        {"fork.wrprotect", "", one<Config>,
         [](const Config&, const State& s, int) { return ForkPc::get(s.word) == kFWp; },
         [](const Config&, State& s, int) {
           PteW::set(s.word, 0);
           ForkPc::set(s.word, kFDecide);
         },
         fork_actor},
        {"fork.copy_or_share", "", one<Config>,
         [](const Config&, const State& s, int) { return ForkPc::get(s.word) == kFDecide; },
         [](const Config&, State& s, int) {
           if (PinCount::get(s.word) > 0) {
             ChildCopy::set(s.word, 1);
           } else {
             Shared::set(s.word, 1);
           }
           ForkPc::set(s.word, kFEnd);
         },
         fork_actor},
        {"fork.end", "", one<Config>,
         [](const Config&, const State& s, int) { return ForkPc::get(s.word) == kFEnd; },
         [](const Config&, State& s, int) {
           Seq::set(s.word, Seq::get(s.word) + 1);
           ForkPc::set(s.word, kFChild);
         },
         fork_actor},
        {"child.exit", "", one<Config>,
         [](const Config&, const State& s, int) { return ForkPc::get(s.word) == kFChild; },
         [](const Config&, State& s, int) {
           Shared::set(s.word, 0);
           ChildCopy::set(s.word, 0);
           ForkPc::set(s.word, kFFault);
         },
         fork_actor},
        {"parent.write_fault_reuse", "", one<Config>,
         [](const Config&, const State& s, int) { return ForkPc::get(s.word) == kFFault; },
         [](const Config&, State& s, int) {
           PteW::set(s.word, 1);
           NFork::set(s.word, NFork::get(s.word) + 1);
           ForkPc::set(s.word, kFIdle);
         },
         fork_actor},
    };
    return kFamilies;
  }

  static std::span<const Prop> properties() {
    static constexpr Prop kProps[] = {
        {PropertyKind::always, "pinned_page_not_cow_shared",
         "no validated pin on a page shared with the child under a write-protected pte",
         [](const Config& c, const State& s) {
           if (!Shared::get(s.word) || PteW::get(s.word)) return true;
           for (int i = 0; i < c.n; ++i) {
             if (GupPc::get(s.word, i) == kHold) return false;
           }
           return true;
         }},
    };
    return kProps;
  }

  static std::vector<std::string> actors(const Config& c) {
    std::vector<std::string> names;
    for (int i = 0; i < c.n; ++i) names.push_back(absl::StrCat("gup CPU", i));
    names.push_back(absl::StrCat("fork CPU", c.n));
    return names;
  }

  static void describe(const Config& c, const State& s, FieldPrinter& p) {
    p.num("seq", Seq::get(s.word));
    p.flag("pte_w", PteW::get(s.word));
    p.num("pincount", PinCount::get(s.word));
    p.flag("shared", Shared::get(s.word));
    p.flag("child_copy", ChildCopy::get(s.word));
    p.choice("fork.pc", ForkPc::get(s.word), kFpcNames);
    p.num("nfork", NFork::get(s.word));
    for (int i = 0; i < c.n; ++i) {
      p.choice(absl::StrCat("gup[", i, "].pc"), GupPc::get(s.word, i), kGpcNames);
      p.num(absl::StrCat("gup[", i, "].snap"), Snap::get(s.word, i));
      p.num(absl::StrCat("gup[", i, "].iter"), Iter::get(s.word, i));
    }
  }

  // The gup-fast CPUs are interchangeable (Murphi's `scalarset(N)`): each
  // CPU's record (gpc, snap, iter) is one byte of the word at bit 14 + 8i, so
  // sorting those bytes maps a state to one canonical member of its orbit.
  // Exact: two states are permutations of each other iff the sorted records
  // and the shared fields are equal.
  static void canonicalize(const Config& c, State& s) {
    std::array<std::uint8_t, 6> records{};
    for (int i = 0; i < c.n; ++i) records[i] = static_cast<std::uint8_t>(s.word >> (14 + 8 * i));
    for (int i = 1; i < c.n; ++i) {  // insertion sort: n <= 6
      for (int j = i; j > 0 && records[j - 1] > records[j]; --j)
        std::swap(records[j - 1], records[j]);
    }
    for (int i = 0; i < c.n; ++i) {
      const int shift = 14 + 8 * i;
      s.word = (s.word & ~(std::uint64_t{0xff} << shift)) | (std::uint64_t{records[i]} << shift);
    }
  }

  // --por: the shared fields as resources; a CPU's gpc, snap and iter are its
  // own, except that the property reads "some CPU holds a validated pin".
  static constexpr std::uint64_t kRSeq = 1, kRPteW = 2, kRPin = 4, kRShared = 8, kRHold = 16;
  static Footprint gup_step(const Config& c, const State& s, int i) {
    switch (GupPc::get(s.word, i)) {
      case kIdle:
        return Iter::get(s.word, i) < unsigned(c.k) ? Footprint{kRSeq, 0} : Footprint{};
      case kReadPte:
        return {kRPteW, 0};
      case kPin:
        return {kRPin, kRPin};
      case kRecheck:
        return {kRSeq | kRPin, kRPin | kRHold};
      default:  // kHold: unpin
        return {kRPin, kRPin | kRHold};
    }
  }
  static Footprint fork_step(const Config& c, const State& s) {
    switch (ForkPc::get(s.word)) {
      case kFIdle:
        return NFork::get(s.word) < unsigned(c.f) ? Footprint{kRSeq, kRSeq} : Footprint{};
      case kFWp:
      case kFFault:
        return {0, kRPteW};
      case kFDecide:
        return {kRPin, kRShared};
      case kFEnd:
        return {kRSeq, kRSeq};
      default:  // kFChild
        return {0, kRShared};
    }
  }
  static Footprint por_next(const Config& c, const State& s, int actor) {
    return actor < c.n ? gup_step(c, s, actor) : fork_step(c, s);
  }
  static Footprint por_future(const Config& c, const State& s, int actor) {
    const Footprint next = por_next(c, s, actor);
    if (next.reads == 0 && next.writes == 0) return {};  // done for good
    return actor < c.n ? Footprint{kRSeq | kRPteW | kRPin, kRPin | kRHold}
                       : Footprint{kRSeq | kRPin, kRSeq | kRPteW | kRShared};
  }
  static std::uint64_t por_visible(const Config&, int) { return kRShared | kRPteW | kRHold; }

  // The model's natural end: every gup-fast CPU used its K attempts, fork ran F times.
  static bool is_final(const Config& c, const State& s) {
    if (ForkPc::get(s.word) != kFIdle || NFork::get(s.word) != unsigned(c.f)) return false;
    for (int i = 0; i < c.n; ++i) {
      if (GupPc::get(s.word, i) != kIdle || Iter::get(s.word, i) != unsigned(c.k)) return false;
    }
    return true;
  }
};

static_assert(SpecType<BenchGupFork>);

}  // namespace
}  // namespace mmcheck::bench

namespace mmcheck {
void register_bench_gupfork(Registry& r) { r.add(make_spec_entry<bench::BenchGupFork>()); }
}  // namespace mmcheck

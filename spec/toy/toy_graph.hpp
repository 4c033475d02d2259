// File: spec/toy/toy_graph.hpp
//
// toy_graph: calibration specs whose answers are known without a model
// checker (design-anchors §4.8): a chain, a diamond, an n x n grid and seeded
// random graphs. A state is a node; action `edge(i=k)` follows the node's k-th
// out-edge. Used by the engine tests (exact counts, shortest traces,
// determinism) and by the CLI tests for every exit class:
//   bad=V          the always-property never_bad fails at node V (exit 10)
//   target=V       the reachable-property target_reached needs node V (exit 11);
//                  without a target it does not apply (status n/a)
//   sinks_final=0  nodes without out-edges are deadlocks (exit 12)
//   proposal nondeterministic-initial: initial() answers differently on its
//                  second call, so trace replay fails (spec error, exit 3)
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "mmcheck/spec.hpp"

namespace mmcheck::toy {

enum Shape : int { kChain = 0, kDiamond = 1, kGrid = 2, kRandom = 3 };

struct ToyGraph {
  struct State {
    std::uint32_t node;
    bool operator==(const State&) const = default;
  };
  struct Config {
    std::shared_ptr<const std::vector<std::vector<std::uint32_t>>> adj;
    std::int64_t bad = -1;
    std::int64_t target = -1;
    bool sinks_final = true;
    bool nondeterministic_initial = false;
    std::shared_ptr<std::atomic<int>> initial_calls = std::make_shared<std::atomic<int>>(0);
    int max_degree = 0;
  };
  using Family = ActionFamily<State, Config>;
  using Prop = Property<State, Config>;

  static constexpr std::string_view name = "toy_graph";
  static constexpr std::string_view summary =
      "calibration graphs with known answers (chain, diamond, grid, seeded random)";
  static constexpr DeadlockPolicy deadlock_policy = DeadlockPolicy::stuck;

  static std::span<const ProposalSpec> proposals() {
    static constexpr ProposalSpec kProposals[] = {
        {"deterministic", "a well-formed spec"},
        {"nondeterministic-initial", "initial() differs between calls: trace replay must fail"},
    };
    return kProposals;
  }
  static std::span<const ParamSpec> params() {
    static constexpr ParamSpec kParams[] = {
        {"shape", kChain, kChain, kRandom, "0 chain, 1 diamond, 2 grid (n x n), 3 random"},
        {"n", 10, 1, 4000, "nodes (chain, random) or side length (grid)"},
        {"degree", 2, 1, 8, "out-edges per node (random)"},
        {"seed", 0, 0, 1000000, "random graph seed"},
        {"bad", -1, -1, 16000000, "node violating never_bad (-1: none)"},
        {"target", -1, -1, 16000000, "node target_reached needs (-1: any node)"},
        {"sinks_final", 1, 0, 1, "nodes without out-edges are final (0: deadlocks)"},
    };
    return kParams;
  }

  static std::vector<std::vector<std::uint32_t>> build(int shape, int n, int degree, int seed) {
    std::vector<std::vector<std::uint32_t>> adj;
    switch (shape) {
      case kChain:
        adj.resize(n);
        for (int i = 0; i + 1 < n; ++i) adj[i].push_back(i + 1);
        break;
      case kDiamond:
        adj = {{1, 2}, {3}, {3}, {}};
        break;
      case kGrid:
        adj.resize(static_cast<std::size_t>(n) * n);
        for (int r = 0; r < n; ++r) {
          for (int c = 0; c < n; ++c) {
            if (r + 1 < n) adj[r * n + c].push_back((r + 1) * n + c);
            if (c + 1 < n) adj[r * n + c].push_back(r * n + c + 1);
          }
        }
        break;
      default: {
        // std::mt19937_64's output sequence is fixed by the standard; the
        // modulo keeps the mapping independent of library distributions.
        std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
        adj.resize(n);
        for (int v = 0; v < n; ++v) {
          for (int k = 0; k < degree; ++k) adj[v].push_back(static_cast<std::uint32_t>(rng() % n));
        }
      }
    }
    return adj;
  }

  static Config configure(const RunConfig& run) {
    Config c;
    auto adj = build(run.params[0], run.params[1], run.params[2], run.params[3]);
    for (const auto& out : adj) c.max_degree = std::max<int>(c.max_degree, out.size());
    c.adj = std::make_shared<const std::vector<std::vector<std::uint32_t>>>(std::move(adj));
    c.bad = run.params[4];
    c.target = run.params[5];
    c.sinks_final = run.params[6] != 0;
    c.nondeterministic_initial = run.proposal == 1;
    return c;
  }
  static State initial(const Config& c) {
    const int call = c.initial_calls->fetch_add(1);
    return State{c.nondeterministic_initial && call > 0 ? 1u : 0u};
  }
  static std::span<const Family> actions() {
    static constexpr Family kFamilies[] = {
        {"edge", "i", [](const Config& c) { return c.max_degree; },
         [](const Config& c, const State& s, int i) {
           return static_cast<std::size_t>(i) < (*c.adj)[s.node].size();
         },
         [](const Config& c, State& s, int i) { s.node = (*c.adj)[s.node][i]; },
         [](const Config&, int) { return 0; }},
    };
    return kFamilies;
  }
  static std::span<const Prop> properties() {
    static constexpr Prop kProps[] = {
        {PropertyKind::always, "never_bad", "the bad node is never reached",
         [](const Config& c, const State& s) {
           return static_cast<std::int64_t>(s.node) != c.bad;
         }},
        {PropertyKind::reachable, "target_reached", "the target node is reached",
         [](const Config& c, const State& s) {
           return static_cast<std::int64_t>(s.node) == c.target;
         }},
    };
    return kProps;
  }
  // target_reached only means something when a target is set.
  static bool applies(const Config& c, std::string_view property) {
    return property != "target_reached" || c.target >= 0;
  }
  static std::vector<std::string> actors(const Config&) { return {"walker"}; }
  static void describe(const Config&, const State& s, FieldPrinter& p) { p.num("node", s.node); }
  static bool is_final(const Config& c, const State& s) {
    return c.sinks_final && (*c.adj)[s.node].empty();
  }
};

static_assert(SpecType<ToyGraph>);

}  // namespace mmcheck::toy

// File: tests/engine_test.cpp
//
// The explorer on synthetic graphs with known answers (spec/toy/toy_graph.hpp):
// exact counts, shortest counterexamples, determinism across thread counts,
// trace validation, deadlocks and limits.
#include <atomic>
#include <vector>

#include "engine/explorer.hpp"
#include "gtest/gtest.h"
#include "reference_bfs.hpp"
#include "spec/toy/toy_graph.hpp"
#include "spec/toy/toy_por.hpp"

namespace mmcheck {
namespace {

using toy::ToyGraph;
using Result = engine::ExploreResult<ToyGraph::State>;

struct Toy {
  int shape = toy::kChain;
  int n = 10;
  int degree = 2;
  int seed = 0;
  int bad = -1;
  int target = -1;
  int sinks_final = 1;
  int proposal = 0;
  RunConfig config() const {
    RunConfig c;
    c.proposal = proposal;
    c.params = {shape, n, degree, seed, bad, target, sinks_final};
    return c;
  }
};

Result explore(const Toy& toy, int threads = 1, engine::Limits limits = {},
               const std::atomic<bool>* interrupt = nullptr) {
  engine::ExploreOptions options;
  options.threads = threads;
  options.limits = limits;
  options.interrupt = interrupt;
  engine::Explorer<ToyGraph> explorer(ToyGraph::configure(toy.config()), options);
  return explorer.run();
}

// The same search on the fingerprint store (--store fingerprint).
Result explore_fp(const Toy& toy, int threads = 1) {
  engine::ExploreOptions options;
  options.threads = threads;
  options.fingerprint_store = true;
  engine::Explorer<ToyGraph, engine::FingerprintShard<ToyGraph::State>> explorer(
      ToyGraph::configure(toy.config()), options);
  return explorer.run();
}

std::vector<std::uint32_t> nodes(const Result& r) {
  std::vector<std::uint32_t> out;
  for (const auto& s : r.trace) out.push_back(s.node);
  return out;
}

// BFS distances from node 0, computed the obvious way.
std::vector<int> distances(const Toy& toy) {
  const auto adj = ToyGraph::build(toy.shape, toy.n, toy.degree, toy.seed);
  std::vector<int> dist(adj.size(), -1);
  std::vector<std::uint32_t> queue{0};
  dist[0] = 0;
  for (std::size_t i = 0; i < queue.size(); ++i) {
    for (std::uint32_t w : adj[queue[i]]) {
      if (dist[w] < 0) {
        dist[w] = dist[queue[i]] + 1;
        queue.push_back(w);
      }
    }
  }
  return dist;
}

TEST(Engine, ChainHasNStatesAndDepthNMinusOne) {
  for (int n : {1, 2, 10, 1000}) {
    const Result r = explore({.shape = toy::kChain, .n = n});
    EXPECT_EQ(r.outcome, engine::Outcome::complete) << n;
    EXPECT_EQ(r.distinct_states, static_cast<std::uint64_t>(n));
    EXPECT_EQ(r.transitions, static_cast<std::uint64_t>(n - 1));
    EXPECT_EQ(r.depth, n - 1);
  }
}

TEST(Engine, DiamondHasFourStatesFourTransitions) {
  const Result r = explore({.shape = toy::kDiamond});
  EXPECT_EQ(r.outcome, engine::Outcome::complete);
  EXPECT_EQ(r.distinct_states, 4u);
  EXPECT_EQ(r.transitions, 4u);
  EXPECT_EQ(r.depth, 2);
  EXPECT_EQ(r.action_counts, (std::vector<std::uint64_t>{3, 1}));  // edge(i=0) x3, edge(i=1) x1
}

TEST(Engine, GridCounts) {
  for (int n : {1, 2, 7, 120}) {
    const Result r = explore({.shape = toy::kGrid, .n = n}, 2);
    EXPECT_EQ(r.distinct_states, static_cast<std::uint64_t>(n) * n) << n;
    EXPECT_EQ(r.transitions, 2ull * n * (n - 1)) << n;
    EXPECT_EQ(r.depth, 2 * (n - 1)) << n;
  }
}

TEST(Engine, SeededRandomGraphsMatchReferenceBfs) {
  for (int seed = 0; seed < 10; ++seed) {
    const Toy toy{.shape = toy::kRandom, .n = 50, .degree = 3, .seed = seed};
    const auto ref = testing::reference_bfs<ToyGraph>(ToyGraph::configure(toy.config()));
    const Result r = explore(toy, 2);
    EXPECT_EQ(r.distinct_states, ref.distinct) << seed;
    EXPECT_EQ(r.transitions, ref.transitions) << seed;
    EXPECT_EQ(r.depth, ref.depth) << seed;
  }
  // Pinned once, so a change in the graph generator or the engine shows up.
  const Result r = explore({.shape = toy::kRandom, .n = 50, .degree = 3, .seed = 0});
  EXPECT_EQ(r.distinct_states, 46u);
  EXPECT_EQ(r.transitions, 138u);
}

// Levels far larger than one batch (128 Ki frontier states) and one block.
TEST(Engine, LargeRandomGraphMatchesReferenceBfs) {
  const Toy toy{.shape = toy::kRandom, .n = 600000, .degree = 3, .seed = 7};
  const auto dist = distances(toy);
  std::uint64_t reachable = 0;
  int depth = 0;
  for (int d : dist) {
    if (d >= 0) ++reachable;
    depth = std::max(depth, d);
  }
  const Result r = explore(toy, 2);
  EXPECT_EQ(r.distinct_states, reachable);
  EXPECT_EQ(r.transitions, reachable * 3);
  EXPECT_EQ(r.depth, depth);
}

TEST(Engine, CounterexampleIsShortest) {
  for (int seed : {1, 2, 3}) {
    Toy toy{.shape = toy::kRandom, .n = 3000, .degree = 2, .seed = seed};
    const auto dist = distances(toy);
    toy.bad = static_cast<int>(std::max_element(dist.begin(), dist.end()) - dist.begin());
    const Result r = explore(toy, 2);
    ASSERT_EQ(r.outcome, engine::Outcome::violated);
    EXPECT_EQ(r.property, 0);
    ASSERT_EQ(static_cast<int>(r.trace.size()) - 1, dist[toy.bad]);
    EXPECT_EQ(r.trace.back().node, static_cast<std::uint32_t>(toy.bad));
    // Every step follows the edge the recorded action names.
    const auto adj = ToyGraph::build(toy.shape, toy.n, toy.degree, toy.seed);
    for (std::size_t i = 1; i < r.trace.size(); ++i) {
      EXPECT_EQ(adj[r.trace[i - 1].node][r.trace_actions[i - 1]], r.trace[i].node);
    }
  }
}

TEST(Engine, ViolationInInitialState) {
  const Result r = explore({.shape = toy::kChain, .n = 5, .bad = 0});
  ASSERT_EQ(r.outcome, engine::Outcome::violated);
  EXPECT_EQ(r.trace.size(), 1u);
  EXPECT_EQ(r.distinct_states, 1u);
}

TEST(Engine, IdenticalResultsForOneTwoFourThreads) {
  Toy toy{.shape = toy::kRandom, .n = 400000, .degree = 3, .seed = 11};
  const auto dist = distances(toy);
  toy.bad = static_cast<int>(std::max_element(dist.begin(), dist.end()) - dist.begin());
  const Result base = explore(toy, 1);
  ASSERT_EQ(base.outcome, engine::Outcome::violated);
  for (int threads : {2, 4}) {
    const Result r = explore(toy, threads);
    EXPECT_EQ(r.distinct_states, base.distinct_states) << threads;
    EXPECT_EQ(r.transitions, base.transitions) << threads;
    EXPECT_EQ(r.depth, base.depth) << threads;
    EXPECT_EQ(r.action_counts, base.action_counts) << threads;
    EXPECT_EQ(nodes(r), nodes(base)) << threads;
    EXPECT_EQ(r.trace_actions, base.trace_actions) << threads;
  }
  // Complete searches too.
  toy.bad = -1;
  const Result full = explore(toy, 1);
  for (int threads : {2, 4}) {
    const Result r = explore(toy, threads);
    EXPECT_EQ(r.distinct_states, full.distinct_states);
    EXPECT_EQ(r.transitions, full.transitions);
  }
}

TEST(Engine, DeadlockWhenSinksAreNotFinal) {
  const Result r = explore({.shape = toy::kChain, .n = 10, .sinks_final = 0});
  ASSERT_EQ(r.outcome, engine::Outcome::deadlock);
  ASSERT_EQ(r.trace.size(), 10u);
  EXPECT_EQ(r.trace.back().node, 9u);
  const Result ok = explore({.shape = toy::kChain, .n = 10, .sinks_final = 1});
  EXPECT_EQ(ok.outcome, engine::Outcome::complete);
}

// A state constraint (ConstrainedSpec): node 5 and every nonzero multiple of
// 7 are stored and checked but not expanded.
struct CutGraph : ToyGraph {
  static bool within(const Config&, const State& s) {
    return s.node != 5 && (s.node == 0 || s.node % 7 != 0);
  }
};
static_assert(ConstrainedSpec<CutGraph>);

engine::ExploreResult<CutGraph::State> explore_cut(const Toy& toy, int threads = 1) {
  engine::ExploreOptions options;
  options.threads = threads;
  engine::Explorer<CutGraph> explorer(CutGraph::configure(toy.config()), options);
  return explorer.run();
}

TEST(Engine, StateConstraintStoresButDoesNotExpand) {
  // Chain 0-1-...-9 cut at 5: nodes 0..5 stored, 5 checked (target) but not
  // expanded, and not a deadlock although sinks are not final.
  auto r = explore_cut({.shape = toy::kChain, .n = 10, .target = 5, .sinks_final = 0});
  EXPECT_EQ(r.outcome, engine::Outcome::complete);
  EXPECT_EQ(r.distinct_states, 6u);
  EXPECT_EQ(r.transitions, 5u);
  EXPECT_EQ(r.reached_depth[1], 5);
  r = explore_cut({.shape = toy::kChain, .n = 10, .target = 6, .sinks_final = 0});
  EXPECT_EQ(r.reached_depth[1], -1);
  // The same graph for every thread count.
  for (int seed = 0; seed < 5; ++seed) {
    const Toy t{.shape = toy::kRandom, .n = 3000, .degree = 3, .seed = seed};
    const auto one = explore_cut(t, 1);
    const auto four = explore_cut(t, 4);
    EXPECT_LT(one.distinct_states, explore(t, 1).distinct_states) << seed;
    EXPECT_EQ(one.distinct_states, four.distinct_states) << seed;
    EXPECT_EQ(one.transitions, four.transitions) << seed;
    EXPECT_EQ(one.depth, four.depth) << seed;
  }
}

TEST(Engine, ReachableDepthsAndUnreached) {
  Result r = explore({.shape = toy::kChain, .n = 10, .target = 7});
  EXPECT_EQ(r.outcome, engine::Outcome::complete);
  EXPECT_EQ(r.reached_depth[1], 7);
  r = explore({.shape = toy::kChain, .n = 10, .target = 50});
  EXPECT_EQ(r.reached_depth[1], -1);
  EXPECT_TRUE(r.applicable[1]);
  // Without a target the guard does not apply: not evaluated, not "unreached".
  r = explore({.shape = toy::kChain, .n = 10});
  EXPECT_FALSE(r.applicable[1]);
  EXPECT_EQ(r.reached_depth[1], -1);
  EXPECT_TRUE(r.applicable[0]);
}

TEST(Engine, NondeterministicSpecIsASpecError) {
  EXPECT_THROW(explore({.shape = toy::kChain, .n = 10, .bad = 5, .proposal = 1}), SpecError);
  // Without a trace to build, the search itself completes.
  EXPECT_EQ(explore({.shape = toy::kChain, .n = 10, .proposal = 1}).outcome,
            engine::Outcome::complete);
}

TEST(Engine, LimitsGiveIncomplete) {
  Result r = explore({.shape = toy::kChain, .n = 1000}, 1, {.max_states = 100});
  EXPECT_EQ(r.outcome, engine::Outcome::incomplete);
  EXPECT_EQ(r.incomplete_reason, "max-states");
  EXPECT_EQ(r.distinct_states, 100u);

  // The limit is checked against work left: at exactly the limit the last
  // state is still unexpanded, so the search is incomplete; one more is enough.
  r = explore({.shape = toy::kChain, .n = 100}, 1, {.max_states = 100});
  EXPECT_EQ(r.outcome, engine::Outcome::incomplete);
  r = explore({.shape = toy::kChain, .n = 100}, 1, {.max_states = 101});
  EXPECT_EQ(r.outcome, engine::Outcome::complete);

  r = explore({.shape = toy::kChain, .n = 1000}, 1, {.max_depth = 5});
  EXPECT_EQ(r.outcome, engine::Outcome::incomplete);
  EXPECT_EQ(r.incomplete_reason, "max-depth");
  EXPECT_EQ(r.distinct_states, 6u);

  std::atomic<bool> interrupted{true};
  r = explore({.shape = toy::kRandom, .n = 600000, .degree = 3, .seed = 3}, 2, {}, &interrupted);
  EXPECT_EQ(r.outcome, engine::Outcome::incomplete);
  EXPECT_EQ(r.incomplete_reason, "interrupted");

  r = explore({.shape = toy::kRandom, .n = 600000, .degree = 3, .seed = 3}, 1,
              {.time_limit_s = 1e-6});
  EXPECT_EQ(r.outcome, engine::Outcome::incomplete);
  EXPECT_EQ(r.incomplete_reason, "time-limit");

  r = explore({.shape = toy::kRandom, .n = 600000, .degree = 3, .seed = 3}, 1,
              {.memory_limit_bytes = 1024});
  EXPECT_EQ(r.outcome, engine::Outcome::incomplete);
  EXPECT_EQ(r.incomplete_reason, "memory-limit");
}

TEST(Engine, FingerprintIsStable) {
  // Shard assignment, hence frontier order and traces, depends on this value:
  // it must never change between builds or processes.
  EXPECT_EQ(engine::fingerprint(ToyGraph::State{0}), 0x4347ba43c8a03258ull);
}

// --store fingerprint: the table alone, then whole searches against the exact store.
TEST(FingerprintStore, TableInsertsAndFindsAcrossGrowth) {
  engine::FingerprintTable table;
  std::uint64_t x = 1;
  std::vector<std::uint64_t> keys;
  for (int i = 0; i < 200000; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;  // distinct in the low 56 bits
    keys.push_back(x);
    EXPECT_TRUE(table.insert(x)) << i;
  }
  EXPECT_EQ(table.size(), keys.size());
  for (std::uint64_t k : keys) {
    ASSERT_TRUE(table.contains(k));
    ASSERT_FALSE(table.insert(k));  // already present
  }
  EXPECT_FALSE(table.contains(keys[0] + 1));
  // The top 8 bits select the shard and are not stored: keys equal in the low
  // 56 bits are one key to the table.
  EXPECT_FALSE(table.insert(keys[5] ^ (std::uint64_t{0xab} << 56)));
  // About 8 to 9.5 bytes per key at 90 % maximum load and growth by 5/4.
  const double per_key = static_cast<double>(table.bytes()) / static_cast<double>(table.size());
  EXPECT_GT(per_key, 7.7);
  EXPECT_LT(per_key, 9.8);
}

TEST(FingerprintStore, SameCountsAndTracesAsExact) {
  for (int seed : {1, 2, 3}) {
    Toy toy{.shape = toy::kRandom, .n = 300000, .degree = 3, .seed = seed};
    const Result exact = explore(toy, 2);
    const Result fp = explore_fp(toy, 2);
    EXPECT_EQ(fp.outcome, engine::Outcome::complete);
    EXPECT_EQ(fp.distinct_states, exact.distinct_states) << seed;
    EXPECT_EQ(fp.transitions, exact.transitions) << seed;
    EXPECT_EQ(fp.depth, exact.depth) << seed;
    // A violation deep in the graph: the trace is rebuilt from the level files.
    const auto dist = distances(toy);
    toy.bad = static_cast<int>(std::max_element(dist.begin(), dist.end()) - dist.begin());
    const Result exact_bad = explore(toy, 2);
    const Result fp_bad = explore_fp(toy, 2);
    ASSERT_EQ(fp_bad.outcome, engine::Outcome::violated);
    EXPECT_EQ(nodes(fp_bad), nodes(exact_bad)) << seed;
    EXPECT_EQ(fp_bad.trace_actions, exact_bad.trace_actions) << seed;
    EXPECT_EQ(static_cast<int>(fp_bad.trace.size()) - 1, dist[toy.bad]);
  }
  // Deadlocks too.
  const Result dl = explore_fp({.shape = toy::kChain, .n = 10, .sinks_final = 0});
  ASSERT_EQ(dl.outcome, engine::Outcome::deadlock);
  EXPECT_EQ(dl.trace.size(), 10u);
}

// --- Partial-order reduction (spec/toy/toy_por.hpp) ------------------------

using toy::ToyPor;
using PorResult = engine::ExploreResult<ToyPor::State>;

template <typename Store = engine::Shard<ToyPor::State>>
PorResult explore_por(std::vector<int> params, bool por, int threads = 1) {
  engine::ExploreOptions options;
  options.threads = threads;
  options.por = por;
  options.fingerprint_store = !Store::kExact;
  RunConfig run;
  run.params = std::move(params);
  engine::Explorer<ToyPor, Store> explorer(ToyPor::configure(run), options);
  return explorer.run();
}

TEST(Por, PrivateStepsOfDifferentWorkersAreNotInterleaved) {
  // 3 workers, 2 private steps each, then a visible publish of x.
  const PorResult full = explore_por({3, 2, 0, 99}, false);
  EXPECT_EQ(full.outcome, engine::Outcome::complete);
  EXPECT_EQ(full.distinct_states, 64u);  // (2 + 1 + 1)^3: pcs 0..3
  EXPECT_EQ(full.por_reduced, 0u);
  // Reduced: W0, W1, W2 take their private steps in turn (7 states on the
  // way, the last being pcs (2,2,2)), then the publishes (visible) interleave
  // fully: pcs in {2,3}^3, 8 states, one of them (2,2,2).
  const PorResult por = explore_por({3, 2, 0, 99}, true);
  EXPECT_EQ(por.outcome, engine::Outcome::complete);
  EXPECT_EQ(por.distinct_states, 7u + 8u - 1u);
  EXPECT_EQ(por.por_reduced, 6u);
  EXPECT_EQ(por.por_proviso, 0u);
  EXPECT_EQ(por.reached_depth, full.reached_depth);  // all_published at depth 9
  for (int threads : {2, 4}) {
    const PorResult t = explore_por({3, 2, 0, 99}, true, threads);
    EXPECT_EQ(t.distinct_states, por.distinct_states);
    EXPECT_EQ(t.transitions, por.transitions);
    EXPECT_EQ(t.por_reduced, por.por_reduced);
  }
  const PorResult fp = explore_por<engine::FingerprintShard<ToyPor::State>>({3, 2, 0, 99}, true);
  EXPECT_EQ(fp.distinct_states, por.distinct_states);
  EXPECT_EQ(fp.por_reduced, por.por_reduced);
}

TEST(Por, ViolationFoundWithARealTrace) {
  // x <= 1 fails once two workers published.
  const PorResult full = explore_por({3, 2, 0, 1}, false);
  ASSERT_EQ(full.outcome, engine::Outcome::violated);
  EXPECT_EQ(full.trace.size(), 7u);  // 2 x (2 private + publish): shortest
  const PorResult por = explore_por({3, 2, 0, 1}, true, 2);
  ASSERT_EQ(por.outcome, engine::Outcome::violated);
  // The reduced graph runs every private step first: not shortest, but a
  // real execution (build_trace replays guards and effects).
  EXPECT_EQ(por.trace.size(), 9u);
  EXPECT_EQ(por.trace.back().x, 2);
}

TEST(Por, CycleProvisoKeepsTheOtherWorkersAlive) {
  // Worker 0 loops over 2 private states forever; worker 1 publishes after 2
  // private steps. Choosing worker 0's step alone in every state would close
  // the cycle (0 -> 1 -> 0) and never let worker 1 move.
  const PorResult full = explore_por({2, 2, 1, 99}, false);
  const PorResult por = explore_por({2, 2, 1, 99}, true);
  ASSERT_EQ(por.outcome, engine::Outcome::complete);
  EXPECT_EQ(por.distinct_states, full.distinct_states);  // 2 x 4
  EXPECT_EQ(full.distinct_states, 8u);
  EXPECT_GE(por.reached_depth[1], 0);  // all_published
  EXPECT_EQ(por.por_proviso, 3u);      // pcs (1,0), (0,1), (1,2): back to a stored state
}

TEST(Por, RejectedWithoutFootprintsOrWithSymmetry) {
  engine::ExploreOptions options;
  options.por = true;
  EXPECT_THROW(engine::Explorer<ToyGraph>(ToyGraph::configure(Toy{}.config()), options),
               UsageError);
  options.symmetry = true;
  RunConfig run;
  run.params = {3, 2, 0, 99};
  EXPECT_THROW(engine::Explorer<ToyPor>(ToyPor::configure(run), options), UsageError);
}

}  // namespace
}  // namespace mmcheck

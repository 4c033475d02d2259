// File: tests/reference_bfs.hpp
//
// A deliberately simple single-threaded BFS over a spec, used only as a test
// oracle for the parallel explorer: std::map keyed by the state's bytes, no
// shards, no batches, no fingerprints. Same guards and effects, so its counts
// must equal the explorer's exactly.
#pragma once

#include <cstdint>
#include <cstring>
#include <deque>
#include <map>
#include <string>

#include "mmcheck/spec.hpp"

namespace mmcheck::testing {

struct ReferenceResult {
  std::uint64_t distinct = 0;
  std::uint64_t transitions = 0;
  int depth = 0;
};

template <SpecType Spec>
ReferenceResult reference_bfs(const typename Spec::Config& cfg) {
  using State = typename Spec::State;
  auto key = [](const State& s) {
    return std::string(reinterpret_cast<const char*>(&s), sizeof(State));
  };
  std::map<std::string, int> depth_of;
  std::deque<State> queue;
  const State init = Spec::initial(cfg);
  depth_of[key(init)] = 0;
  queue.push_back(init);
  ReferenceResult r;
  const auto families = Spec::actions();
  while (!queue.empty()) {
    const State s = queue.front();
    queue.pop_front();
    const int d = depth_of[key(s)];
    r.depth = std::max(r.depth, d);
    for (const auto& family : families) {
      for (int p = 0; p < family.count(cfg); ++p) {
        if (!family.guard(cfg, s, p)) continue;
        ++r.transitions;
        State t = s;
        family.effect(cfg, t, p);
        if (depth_of.emplace(key(t), d + 1).second) queue.push_back(t);
      }
    }
  }
  r.distinct = depth_of.size();
  return r;
}

}  // namespace mmcheck::testing

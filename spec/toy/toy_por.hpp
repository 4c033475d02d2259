// File: spec/toy/toy_por.hpp
//
// A synthetic spec for the engine's partial-order reduction tests (--por):
// `workers` actors, each taking `steps` private steps and then one step that
// adds 1 to a shared counter `x` (resource bit 0). With `looping` = 1, worker
// 0's private steps go round a cycle forever instead (pc 0 -> 1 -> ... -> 0)
// and it never publishes: the reduced search must not ignore the other
// workers (the cycle proviso).
//
// Without reduction the state count is (steps + 1)^workers (looping:
// steps * (steps + 1)^(workers - 1)); with it, independent private steps of
// different workers are not interleaved.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "mmcheck/spec.hpp"

namespace mmcheck::toy {

struct ToyPor {
  static constexpr int kMaxWorkers = 6;
  struct State {
    std::uint8_t pc[kMaxWorkers];
    std::uint8_t x;
    std::uint8_t pad;
    bool operator==(const State&) const = default;
  };
  struct Config {
    int workers = 3;
    int steps = 2;
    bool looping = false;
    int limit = 99;  // always-property: x <= limit
  };
  using Family = ActionFamily<State, Config>;
  using Prop = Property<State, Config>;

  static constexpr std::string_view name = "toy_por";
  static constexpr std::string_view summary = "independent workers publishing to one counter";
  static constexpr DeadlockPolicy deadlock_policy = DeadlockPolicy::stuck;
  static std::span<const ProposalSpec> proposals() {
    static constexpr ProposalSpec kP[] = {{"default", "as described"}};
    return kP;
  }
  static std::span<const ParamSpec> params() {
    static constexpr ParamSpec kParams[] = {
        {"workers", 3, 1, kMaxWorkers, "actors"},
        {"steps", 2, 1, 50, "private steps before publishing"},
        {"looping", 0, 0, 1, "worker 0 loops over its private steps forever"},
        {"limit", 99, 0, 99, "always: x <= limit"},
    };
    return kParams;
  }
  static Config configure(const RunConfig& run) {
    return Config{run.params.at(0), run.params.at(1), run.params.at(2) != 0, run.params.at(3)};
  }
  static State initial(const Config&) { return State{}; }

  static bool loops(const Config& c, int w) { return c.looping && w == 0; }
  static bool can_step(const Config& c, const State& s, int w) {
    return loops(c, w) || s.pc[w] <= c.steps;
  }
  static void step(const Config& c, State& s, int w) {
    if (loops(c, w)) {
      s.pc[w] = static_cast<std::uint8_t>((s.pc[w] + 1) % c.steps);
      return;
    }
    if (s.pc[w] == c.steps) ++s.x;
    ++s.pc[w];
  }
  static std::span<const Family> actions() {
    static constexpr Family kFamilies[] = {
        {"worker.step", "w", [](const Config& c) { return c.workers; }, &can_step, &step,
         [](const Config&, int w) { return w; }},
    };
    return kFamilies;
  }
  static std::span<const Prop> properties() {
    static constexpr Prop kProps[] = {
        {PropertyKind::always, "x_within_limit", "x <= limit",
         [](const Config& c, const State& s) { return s.x <= c.limit; }},
        {PropertyKind::reachable, "all_published", "x == number of publishing workers",
         [](const Config& c, const State& s) { return s.x == c.workers - (c.looping ? 1 : 0); }},
    };
    return kProps;
  }
  static std::vector<std::string> actors(const Config& c) {
    std::vector<std::string> a;
    for (int w = 0; w < c.workers; ++w) a.push_back(absl::StrCat("W", w));
    return a;
  }
  static void describe(const Config& c, const State& s, FieldPrinter& p) {
    for (int w = 0; w < c.workers; ++w) p.num(absl::StrCat("W", w, ".pc"), s.pc[w]);
    p.num("x", s.x);
  }
  static bool is_final(const Config&, const State&) { return true; }

  // --por: bit 0 is x; the pcs are the workers' own.
  static Footprint por_next(const Config& c, const State& s, int w) {
    if (!loops(c, w) && s.pc[w] == c.steps) return {1, 1};
    return {};
  }
  static Footprint por_future(const Config& c, const State& s, int w) {
    if (!loops(c, w) && s.pc[w] <= c.steps) return {1, 1};
    return {};
  }
  static std::uint64_t por_visible(const Config&, int) { return 1; }
};
static_assert(PorSpec<ToyPor>);

}  // namespace mmcheck::toy

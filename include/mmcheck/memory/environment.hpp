// File: include/mmcheck/memory/environment.hpp
//
// The propagation steps of a memory model as ordinary action families, so
// spec authors never write them: `with_environment<Spec>(own)` returns the
// spec's own families followed by
//   mem.commit(cpu_slot)   store-buffer entry `slot` of `cpu` reaches memory
//                          (param = (cpu * kSb + slot) * ways + way; tso: slot 0
//                          only; lkmm: `way` = coherence position from the end),
//   mem.advance(cpu_loc)   `cpu` processes one invalidation of location
//                          `loc`: its view moves one value forward
//                          (param = cpu * memory_locs(cfg) + loc; relaxed/lkmm).
//   mem.propagate(cpu_loc) lkmm: the next value of `loc` reaches `cpu`
//                          (param = cpu * memory_locs(cfg) + loc).
// Families a model does not use have no members.
//
// What a spec provides:
//   using Machine = memory::Machine<M, B>;   State has `Machine::Mem mem;`
//   static int memory_cpus(const Config&);   CPUs that use the memory
//   static int memory_locs(const Config&);   locations in use
// and optionally
//   static void after_memory_step(const Config&, State&);  canonicalisation
//     (default: Machine::normalize(s.mem));
//   static int memory_actor(const Config&, int cpu);  timeline column (default: cpu);
//   static bool may_advance(const Config&, const State&, int cpu, int loc):
//     a reduction: a view only matters to the CPU's next load of that
//     location, so a spec may allow mem.advance only right before such a
//     load (advance commutes with every other step);
//   static bool may_propagate(const Config&, const State&, int cpu, int loc):
//     the same for mem.propagate under lkmm (the spec argues why every
//     outcome survives: see explorer/litmus/run.cpp).
#pragma once

#include <span>
#include <vector>

#include "mmcheck/memory/machine.hpp"
#include "mmcheck/spec.hpp"

namespace mmcheck::memory {

template <typename Spec>
struct Environment {
  using State = typename Spec::State;
  using Config = typename Spec::Config;
  using Machine = typename Spec::Machine;
  using Family = ActionFamily<State, Config>;
  static constexpr int kSb = Machine::kSb;

  static void after(const Config& cfg, State& s) {
    if constexpr (requires { Spec::after_memory_step(cfg, s); }) {
      Spec::after_memory_step(cfg, s);
    } else {
      Machine::normalize(s.mem);
    }
  }
  static int actor(const Config& cfg, int cpu) {
    if constexpr (requires { Spec::memory_actor(cfg, cpu); }) {
      return Spec::memory_actor(cfg, cpu);
    } else {
      return cpu;
    }
  }

  static constexpr int kWays = Machine::kCommitWays;
  static int commit_count(const Config& cfg) {
    return Machine::kBuffered ? Spec::memory_cpus(cfg) * kSb * kWays : 0;
  }
  static bool commit_guard(const Config&, const State& s, int p) {
    const int q = p / kWays;
    return Machine::can_commit(s.mem, q / kSb, q % kSb, p % kWays);
  }
  static void commit_effect(const Config& cfg, State& s, int p) {
    const int q = p / kWays;
    Machine::commit(s.mem, q / kSb, q % kSb, p % kWays);
    after(cfg, s);
  }
  static int commit_actor(const Config& cfg, int p) { return actor(cfg, p / kWays / kSb); }

  static int propagate_count(const Config& cfg) {
    return Machine::kLk ? Spec::memory_cpus(cfg) * Spec::memory_locs(cfg) : 0;
  }
  static bool propagate_guard(const Config& cfg, const State& s, int p) {
    const int n = Spec::memory_locs(cfg);
    if (!Machine::can_propagate(s.mem, p / n, p % n)) return false;
    if constexpr (requires { Spec::may_propagate(cfg, s, 0, 0); }) {
      return Spec::may_propagate(cfg, s, p / n, p % n);
    }
    return true;
  }
  static void propagate_effect(const Config& cfg, State& s, int p) {
    const int n = Spec::memory_locs(cfg);
    Machine::propagate(s.mem, p / n, p % n);
    after(cfg, s);
  }

  static int advance_count(const Config& cfg) {
    return Machine::kViews ? Spec::memory_cpus(cfg) * Spec::memory_locs(cfg) : 0;
  }
  static bool advance_guard(const Config& cfg, const State& s, int p) {
    const int n = Spec::memory_locs(cfg);
    if (!Machine::can_advance(s.mem, p / n, p % n)) return false;
    if constexpr (requires { Spec::may_advance(cfg, s, 0, 0); }) {
      return Spec::may_advance(cfg, s, p / n, p % n);
    }
    return true;
  }
  static void advance_effect(const Config& cfg, State& s, int p) {
    const int n = Spec::memory_locs(cfg);
    Machine::advance(s.mem, p / n, p % n);
    after(cfg, s);
  }
  static int advance_actor(const Config& cfg, int p) {
    return actor(cfg, p / Spec::memory_locs(cfg));
  }

  static constexpr Family kCommit{"mem.commit",  "cpu_slot",     &commit_count,
                                  &commit_guard, &commit_effect, &commit_actor};
  static constexpr Family kAdvance{"mem.advance",  "cpu_loc",       &advance_count,
                                   &advance_guard, &advance_effect, &advance_actor};
  static constexpr Family kPropagate{"mem.propagate",  "cpu_loc",         &propagate_count,
                                     &propagate_guard, &propagate_effect, &advance_actor};
};

// The spec's own families followed by the memory model's environment steps.
// The result is built once per Spec (the first call's `own` is used).
template <typename Spec>
std::span<const ActionFamily<typename Spec::State, typename Spec::Config>> with_environment(
    std::span<const ActionFamily<typename Spec::State, typename Spec::Config>> own) {
  using Env = Environment<Spec>;
  static const std::vector<typename Env::Family> all = [own] {
    std::vector<typename Env::Family> v(own.begin(), own.end());
    v.push_back(Env::kCommit);
    v.push_back(Env::kAdvance);
    v.push_back(Env::kPropagate);
    return v;
  }();
  return all;
}

}  // namespace mmcheck::memory

// File: explorer/registry/registry.hpp
//
// The one type-erased seam between templated specs and the rest of the tool
// (CLI, reports, gate). A SpecEntry describes a spec as plain data and runs it;
// a RunReport is everything a run produced, in printable form.
//
// Registration is explicit: spec/all_specs.cpp calls each spec's register
// function in a fixed order. Nothing registers itself through static objects.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/explorer.hpp"
#include "mmcheck/spec.hpp"

namespace mmcheck {

// Final verdict of one run, ordered as the CLI exit codes document them.
enum class Verdict { holds, violated, unreached, deadlock, incomplete };

std::string_view verdict_name(Verdict v);
int exit_code_for(Verdict v);

struct PropertyInfo {
  std::string name;
  PropertyKind kind;
  std::string summary;
};

// One step of a counterexample, ready to print. Step 0 is the initial state.
struct TraceStep {
  std::string action;      // "gup.pin(cpu=1)"; empty for the initial state
  std::string family;      // "gup.pin"
  std::string param_name;  // "cpu"; empty when the family has no parameter
  int param = 0;
  int actor = -1;  // index into Trace::actors; -1 for the initial state
  std::vector<std::pair<std::string, std::string>> state;  // all fields, spec order
};

struct Trace {
  std::string spec;
  std::string proposal;
  std::string memory_model;
  std::vector<std::pair<std::string, int>> params;
  std::string verdict;   // verdict_name()
  std::string property;  // violated property; empty for a deadlock
  std::vector<std::string> actors;
  std::vector<TraceStep> steps;
};

struct PropertyResult {
  std::string name;
  std::string kind;    // "always" | "reachable"
  std::string status;  // "holds" | "violated" | "reached" | "unreached" | "unknown" | "n/a"
  int depth = -1;      // depth of the violation / first witness
};

struct RunReport {
  std::string spec;
  std::string proposal;
  std::string memory_model;
  std::vector<std::pair<std::string, int>> params;  // every parameter, declaration order
  bool symmetry = false;
  // --por: states expanded with one actor's steps only, and reduced
  // expansions abandoned for the full one by the cycle proviso.
  bool por = false;
  std::uint64_t por_reduced = 0;
  std::uint64_t por_proviso = 0;
  // --store fingerprint: states compared by 64-bit fingerprint. p_miss bounds
  // the probability that a hash collision hid a state: n(n-1)/2 pairs of
  // distinct states, each colliding with probability 2^-64.
  bool fingerprint = false;
  double p_miss = 0;
  Verdict verdict = Verdict::holds;
  std::string property;  // violated or unreached property
  bool exhaustive = false;
  std::string incomplete_reason;
  std::uint64_t distinct_states = 0;
  std::uint64_t transitions = 0;
  int depth = 0;
  int threads = 1;
  double elapsed_s = 0;
  double states_per_s = 0;
  std::uint64_t peak_rss_bytes = 0;
  std::vector<std::pair<std::string, std::uint64_t>> action_counts;  // per family, spec order
  std::vector<std::string> unfired_families;
  std::vector<PropertyResult> properties;
  std::optional<Trace> trace;
};

struct RunRequest {
  RunConfig config;
  engine::ExploreOptions options;
};

struct SpecEntry {
  std::string_view name;
  std::string_view summary;
  std::span<const ProposalSpec> proposals;
  std::span<const ParamSpec> params;
  std::vector<PropertyInfo> properties;
  std::vector<std::string_view> memory_models;
  std::vector<std::string_view> families;
  bool symmetry = false;  // declares interchangeable actors (supports --symmetry)
  // Runs one configuration. Throws UsageError (bad config) or SpecError.
  RunReport (*run)(const RunRequest&);
};

class Registry {
 public:
  void add(SpecEntry entry);
  const SpecEntry* find(std::string_view name) const;
  const std::vector<SpecEntry>& all() const { return entries_; }
  std::string names() const;  // "a, b, c" for error messages

 private:
  std::vector<SpecEntry> entries_;
};

// Every spec of the tool, in a fixed order (spec/all_specs.cpp).
const Registry& all_specs();

}  // namespace mmcheck

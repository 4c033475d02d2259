// File: include/mmcheck/spec.hpp
//
// The spec-writing API: what a protocol author includes to describe a
// concurrency protocol as a TLA+-style state machine.
//
// A spec is a struct with static members (see `SpecType` below):
//   - `State`: a trivially copyable aggregate of fixed-size members with a
//     defaulted `==` and no padding bytes. The explorer hashes and compares
//     states by their bytes, so two states are equal exactly when their bytes
//     are; `std::has_unique_object_representations` enforces "no padding".
//   - `Config`: the spec's own view of one run (proposal, parameter values),
//     built once by `configure()` and handed to every callback. Callbacks are
//     plain function pointers (captureless lambdas): no hidden state.
//   - named action families (`gup.read_pte`), each with a parameter domain
//     (usually a CPU number), a guard kept apart from a deterministic effect.
//     All nondeterminism lives in the choice of action and parameter, so a
//     trace is "initial state + list of actions" and can be replayed.
//   - properties: `always` invariants and `reachable` vacuity guards.
//   - proposals (design variants) and integer parameters, as data.
//
// What this header does not do: exploration (explorer/engine), printing
// (explorer/report) or registration (explorer/registry; the explicit list of
// specs is spec/all_specs.cpp).
#pragma once

#include <concepts>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace mmcheck {

// ---------------------------------------------------------------------------
// Errors a spec may raise.
// ---------------------------------------------------------------------------

// Bad user input detected by a spec's configure() (e.g. parameter
// combination out of range). The CLI maps it to exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The spec itself is wrong (e.g. an effect overflows a field, a trace does not
// replay). The CLI maps it to exit code 3.
class SpecError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---------------------------------------------------------------------------
// Declarations that are plain data.
// ---------------------------------------------------------------------------

// An integer parameter settable with `--param NAME=VALUE`.
struct ParamSpec {
  std::string_view name;
  int default_value;
  int min;
  int max;
  std::string_view help;
};

// One selectable design variant of a protocol.
struct ProposalSpec {
  std::string_view id;       // kebab-case, e.g. "write-protect-seq"
  std::string_view summary;  // one line, e.g. "fork bumps mm->write_protect_seq (57efa1fe5957)"
};

// What the user selected for one run, before the spec interprets it.
struct RunConfig {
  int proposal = 0;         // index into the spec's proposals
  std::vector<int> params;  // one value per ParamSpec, in declaration order
  std::string memory_model = "sc";
  // Properties to check; empty: all. The others are not evaluated ("skipped").
  std::vector<std::string> properties;
};

enum class PropertyKind { always, reachable };

// What the explorer does with a state that has no enabled action.
enum class DeadlockPolicy {
  stuck,  // report it (exit 12) unless the spec's is_final() accepts it
  off,    // never report
};

// ---------------------------------------------------------------------------
// Printing states: every spec names its fields through a FieldPrinter.
// ---------------------------------------------------------------------------

// Collects (name, value) pairs in the order the spec lists them. Traces show
// the changed ones per step, timelines show them in the final state, JSON
// traces store all of them.
class FieldPrinter {
 public:
  void text(std::string_view name, std::string value) {
    fields_.emplace_back(std::string(name), std::move(value));
  }
  void num(std::string_view name, std::int64_t value) { text(name, absl::StrCat(value)); }
  void flag(std::string_view name, bool value) { text(name, value ? "1" : "0"); }
  // An enumerated value printed by name; out-of-range values print as numbers.
  void choice(std::string_view name, int value, std::span<const std::string_view> names) {
    if (value >= 0 && static_cast<std::size_t>(value) < names.size()) {
      text(name, std::string(names[value]));
    } else {
      num(name, value);
    }
  }
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// ---------------------------------------------------------------------------
// Actions and properties, templated on the spec's State and Config.
// ---------------------------------------------------------------------------

// A named family of guarded steps. With `param` empty the family has one
// member (parameter value 0); otherwise `count(cfg)` members, values 0..n-1.
template <typename State, typename Config>
struct ActionFamily {
  std::string_view name;   // "<role>.<step>", e.g. "gup.read_pte"
  std::string_view param;  // parameter name, e.g. "cpu"; "" for none
  int (*count)(const Config&);
  bool (*guard)(const Config&, const State&, int param);
  void (*effect)(const Config&, State&, int param);  // applied to a copy
  int (*actor)(const Config&, int param);            // column in timelines
};

template <typename State, typename Config>
struct Property {
  PropertyKind kind;
  std::string_view name;     // a claim in snake_case: "pinned_page_never_cowed"
  std::string_view summary;  // one line of prose
  bool (*holds)(const Config&, const State&);
};

// ---------------------------------------------------------------------------
// The shape of a spec.
// ---------------------------------------------------------------------------

template <typename S>
concept SpecState = std::is_trivially_copyable_v<S> && std::equality_comparable<S> &&
    std::has_unique_object_representations_v<S>;

template <typename S>
concept SpecType = requires(const typename S::Config& cfg, const typename S::State& s,
                            FieldPrinter& printer, const RunConfig& run) {
  requires SpecState<typename S::State>;
  { S::name } -> std::convertible_to<std::string_view>;
  { S::summary } -> std::convertible_to<std::string_view>;
  { S::proposals() } -> std::convertible_to<std::span<const ProposalSpec>>;
  { S::params() } -> std::convertible_to<std::span<const ParamSpec>>;
  { S::configure(run) } -> std::same_as<typename S::Config>;
  { S::initial(cfg) } -> std::same_as<typename S::State>;
  {
    S::actions()
    } -> std::convertible_to<std::span<const ActionFamily<typename S::State, typename S::Config>>>;
  {
    S::properties()
    } -> std::convertible_to<std::span<const Property<typename S::State, typename S::Config>>>;
  { S::actors(cfg) } -> std::same_as<std::vector<std::string>>;
  S::describe(cfg, s, printer);
  { S::is_final(cfg, s) } -> std::same_as<bool>;
  { S::deadlock_policy } -> std::convertible_to<DeadlockPolicy>;
};

// Optional: a spec may declare which properties apply to a configuration,
//   static bool applies(const Config&, std::string_view property);
// A property that does not apply (a guard of a path only some proposals have,
// an invariant of an actor a parameter switched off) is not evaluated and is
// reported as "n/a": it neither fails nor leaves a run "unreached".
template <typename S>
concept HasApplicability = requires(const typename S::Config& cfg, std::string_view property) {
  { S::applies(cfg, property) } -> std::same_as<bool>;
};

// ---------------------------------------------------------------------------
// Optional: partial-order reduction (--por, docs/internals.md).
// ---------------------------------------------------------------------------

// What steps read and write, as a set of up to 64 shared resources the spec
// numbers itself (memory locations, a lock, "every CPU's propagation
// frontier"). State that only one actor's steps touch (its pc, registers,
// store buffer) is that actor's own and is not named: two steps of one actor
// are always dependent. Two steps of different actors are independent when
// neither writes a resource the other reads or writes; then, in every state
// where both are enabled, executing one leaves the other enabled, and both
// orders reach the same state.
struct Footprint {
  std::uint64_t reads = 0;
  std::uint64_t writes = 0;
  static constexpr Footprint everything() { return {~std::uint64_t{0}, ~std::uint64_t{0}}; }
  constexpr Footprint& operator|=(const Footprint& o) {
    reads |= o.reads;
    writes |= o.writes;
    return *this;
  }
  constexpr bool conflicts(const Footprint& o) const {
    return (writes & (o.reads | o.writes)) != 0 || (reads & o.writes) != 0;
  }
};

// A spec supports --por by declaring, for each actor a (the value its action
// families' `actor()` returns, 0 <= a < actors(cfg).size()):
//   por_next(cfg, s, a): every step `a` can take in `s`, enabled or not
//     (a disabled step that another actor could enable must be covered: its
//     guard's reads);
//   por_future(cfg, s, a): every step `a` may take in any execution from `s`
//     (a superset of por_next);
//   por_visible(cfg, property): what the property reads (a step writing it
//     is visible and never taken alone).
// Optionally a spec splits an actor for the reduction (e.g. a CPU's
// quiescent-state reports apart from its instructions):
//   por_actors(cfg): how many reduction actors there are;
//   por_actor(cfg, family, param, actor): the reduction actor of a step whose
//     timeline actor is `actor`.
// The explorer then expands, in a state, only the enabled steps of one actor
// p whose next steps are invisible and independent of every other actor's
// future steps (a persistent set), unless a successor is already stored (the
// cycle proviso). Every deadlock and, for properties whose reads are
// declared, every reachable verdict is preserved; traces stay real
// executions but need not be shortest.
template <typename S>
concept PorSpec = SpecType<S> &&
    requires(const typename S::Config& cfg, const typename S::State& s, int actor, int property) {
  { S::por_next(cfg, s, actor) } -> std::same_as<Footprint>;
  { S::por_future(cfg, s, actor) } -> std::same_as<Footprint>;
  { S::por_visible(cfg, property) } -> std::same_as<std::uint64_t>;
};

template <typename S>
concept PorActorSpec = PorSpec<S> && requires(const typename S::Config& cfg, int n) {
  { S::por_actors(cfg) } -> std::same_as<int>;
  { S::por_actor(cfg, n, n, n) } -> std::same_as<int>;
};

// ---------------------------------------------------------------------------
// Optional: a state constraint (TLC's CONSTRAINT).
// ---------------------------------------------------------------------------

// A spec may declare
//   static bool within(const Config&, const State&);
// A state for which it returns false is stored and its properties are
// evaluated, but its successors are not explored and it is never a deadlock.
// The spec must only cut where no property's verdict depends on what lies
// beyond (e.g. the litmus runner, once a final state violating the condition
// is known, cuts states from which every final state violates it).
template <typename S>
concept ConstrainedSpec = SpecType<S> &&
    requires(const typename S::Config& cfg, const typename S::State& s) {
  { S::within(cfg, s) } -> std::same_as<bool>;
};

// Helpers for writing action tables.
template <typename Config>
constexpr int one(const Config&) {
  return 1;
}

}  // namespace mmcheck

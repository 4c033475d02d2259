// File: explorer/registry/adapter.hpp
//
// Turns a SpecType into a SpecEntry: instantiates the explorer for the spec and
// converts its typed result into a RunReport. Included only by spec .cpp
// files, so each spec's templates are compiled in one translation unit.
#pragma once

#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/explorer.hpp"
#include "mmcheck/text.hpp"
#include "registry/registry.hpp"

namespace mmcheck {

template <SpecType Spec>
std::vector<std::pair<std::string, std::string>> describe_state(const typename Spec::Config& cfg,
                                                                const typename Spec::State& s) {
  FieldPrinter printer;
  Spec::describe(cfg, s, printer);
  return printer.fields();
}

// Converts the explorer's typed result into a RunReport.
template <SpecType Spec>
RunReport make_report(const RunRequest& request, const typename Spec::Config& cfg,
                      const engine::ExploreResult<typename Spec::State>& result,
                      std::span<const engine::FlatAction> flat) {
  RunReport report;
  report.spec = std::string(Spec::name);
  report.proposal = std::string(Spec::proposals()[request.config.proposal].id);
  report.memory_model = request.config.memory_model;
  const auto params = Spec::params();
  for (std::size_t i = 0; i < params.size(); ++i) {
    report.params.emplace_back(std::string(params[i].name), request.config.params[i]);
  }
  report.symmetry = request.options.symmetry;
  report.por = request.options.por;
  report.por_reduced = result.por_reduced;
  report.por_proviso = result.por_proviso;
  report.fingerprint = request.options.fingerprint_store;
  if (report.fingerprint) {
    const double n = static_cast<double>(result.distinct_states);
    report.p_miss = std::min(1.0, n * (n - 1) / 2 / 18446744073709551616.0);
  }
  report.distinct_states = result.distinct_states;
  report.transitions = result.transitions;
  report.depth = result.depth;
  report.threads = request.options.threads;
  report.elapsed_s = result.elapsed_s;
  report.states_per_s =
      result.elapsed_s > 0 ? static_cast<double>(result.distinct_states) / result.elapsed_s : 0;
  report.peak_rss_bytes = result.peak_rss_bytes;
  report.exhaustive = result.outcome == engine::Outcome::complete;
  report.incomplete_reason = result.incomplete_reason;

  const auto families = Spec::actions();
  std::vector<std::uint64_t> per_family(families.size(), 0);
  std::vector<int> members(families.size(), 0);  // 0: the family is absent in this config
  for (std::size_t a = 0; a < flat.size(); ++a) {
    per_family[flat[a].family] += result.action_counts[a];
    ++members[flat[a].family];
  }
  for (std::size_t f = 0; f < families.size(); ++f) {
    if (members[f] == 0) continue;
    report.action_counts.emplace_back(std::string(families[f].name), per_family[f]);
    if (per_family[f] == 0) report.unfired_families.emplace_back(families[f].name);
  }

  const auto props = Spec::properties();
  std::string first_unreached;
  for (std::size_t p = 0; p < props.size(); ++p) {
    PropertyResult pr;
    pr.name = std::string(props[p].name);
    pr.kind = props[p].kind == PropertyKind::always ? "always" : "reachable";
    pr.depth = result.reached_depth[p];
    if (!result.selected[p]) {
      pr.status = "skipped";
      pr.depth = -1;
    } else if (!result.applicable[p]) {
      pr.status = "n/a";
      pr.depth = -1;
    } else if (props[p].kind == PropertyKind::always) {
      if (result.outcome == engine::Outcome::violated && result.property == static_cast<int>(p)) {
        pr.status = "violated";
        pr.depth = result.depth;
      } else {
        pr.status = report.exhaustive ? "holds" : "unknown";
        pr.depth = -1;
      }
    } else if (result.reached_depth[p] >= 0) {
      pr.status = "reached";
    } else {
      pr.status = report.exhaustive ? "unreached" : "unknown";
      if (report.exhaustive && first_unreached.empty()) first_unreached = pr.name;
    }
    report.properties.push_back(std::move(pr));
  }

  switch (result.outcome) {
    case engine::Outcome::violated:
      report.verdict = Verdict::violated;
      report.property = std::string(props[result.property].name);
      break;
    case engine::Outcome::deadlock:
      report.verdict = Verdict::deadlock;
      break;
    case engine::Outcome::incomplete:
      report.verdict = Verdict::incomplete;
      break;
    case engine::Outcome::complete:
      report.verdict = first_unreached.empty() ? Verdict::holds : Verdict::unreached;
      report.property = first_unreached;
      break;
  }

  if (!result.trace.empty()) {
    Trace trace;
    trace.spec = report.spec;
    trace.proposal = report.proposal;
    trace.memory_model = report.memory_model;
    trace.params = report.params;
    trace.verdict = std::string(verdict_name(report.verdict));
    trace.property = report.property;
    trace.actors = Spec::actors(cfg);
    TraceStep first;
    first.state = describe_state<Spec>(cfg, result.trace[0]);
    trace.steps.push_back(std::move(first));
    for (std::size_t i = 0; i < result.trace_actions.size(); ++i) {
      const auto& fa = flat[result.trace_actions[i]];
      const auto& family = families[fa.family];
      TraceStep step;
      step.family = std::string(family.name);
      step.param_name = std::string(family.param);
      step.param = fa.param;
      step.action = family.param.empty()
                        ? step.family
                        : absl::StrCat(av(family.name), "(", av(family.param), "=", fa.param, ")");
      step.actor = family.actor(cfg, fa.param);
      step.state = describe_state<Spec>(cfg, result.trace[i + 1]);
      trace.steps.push_back(std::move(step));
    }
    report.trace = std::move(trace);
  }
  return report;
}

template <SpecType Spec>
RunReport run_spec(const RunRequest& request) {
  const typename Spec::Config cfg = Spec::configure(request.config);
  if (request.options.fingerprint_store) {
    engine::Explorer<Spec, engine::FingerprintShard<typename Spec::State>> explorer(
        cfg, request.options);
    return make_report<Spec>(request, cfg, explorer.run(), explorer.actions());
  }
  engine::Explorer<Spec> explorer(cfg, request.options);
  return make_report<Spec>(request, cfg, explorer.run(), explorer.actions());
}

template <SpecType Spec>
SpecEntry make_spec_entry(std::vector<std::string_view> memory_models = {"sc"}) {
  SpecEntry entry;
  entry.name = Spec::name;
  entry.summary = Spec::summary;
  entry.proposals = Spec::proposals();
  entry.params = Spec::params();
  for (const auto& p : Spec::properties()) {
    entry.properties.push_back({std::string(p.name), p.kind, std::string(p.summary)});
  }
  entry.memory_models = std::move(memory_models);
  for (const auto& f : Spec::actions()) entry.families.push_back(f.name);
  entry.symmetry = engine::SymmetricSpec<Spec>;
  entry.run = &run_spec<Spec>;
  return entry;
}

}  // namespace mmcheck

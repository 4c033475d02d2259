// File: tests/test_util.hpp
// Running registered specs from tests, as the CLI would.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "registry/registry.hpp"

namespace mmcheck::testing {

// Runs one configuration of `spec`: proposal by id, parameters by name (the
// rest keep their defaults); `only_properties` as `check --property`.
inline RunReport run_entry(const SpecEntry& spec, const std::string& proposal,
                           const std::vector<std::pair<std::string, int>>& params, int threads = 2,
                           bool symmetry = false, const std::string& memory_model = "sc",
                           bool por = false, const std::vector<std::string>& only_properties = {}) {
  RunRequest request;
  request.options.por = por;
  request.options.only_properties = only_properties;
  request.config.memory_model = memory_model;
  bool found = false;
  for (std::size_t i = 0; i < spec.proposals.size(); ++i) {
    if (spec.proposals[i].id == proposal) {
      request.config.proposal = static_cast<int>(i);
      found = true;
    }
  }
  if (!found) throw std::runtime_error("no proposal " + proposal);
  for (const auto& [name, v] : params) {
    bool known = false;
    for (const ParamSpec& p : spec.params) known = known || p.name == name;
    if (!known) throw std::runtime_error("no parameter " + name);
  }
  for (const ParamSpec& p : spec.params) {
    int value = p.default_value;
    for (const auto& [name, v] : params) {
      if (name == p.name) value = v;
    }
    request.config.params.push_back(value);
  }
  request.options.threads = threads;
  request.options.symmetry = symmetry;
  return spec.run(request);
}

// The same through the tool's registry (tests linked with mmcheck_core).
inline RunReport run(const std::string& spec_name, const std::string& proposal,
                     const std::vector<std::pair<std::string, int>>& params, int threads = 2,
                     bool symmetry = false, const std::string& memory_model = "sc",
                     bool por = false, const std::vector<std::string>& only_properties = {}) {
  const SpecEntry* spec = all_specs().find(spec_name);
  if (spec == nullptr) throw std::runtime_error("no spec " + spec_name);
  return run_entry(*spec, proposal, params, threads, symmetry, memory_model, por, only_properties);
}

// A spec entry from its register function, for tests linked with one spec only.
inline SpecEntry entry_of(void (*register_spec)(Registry&)) {
  Registry r;
  register_spec(r);
  if (r.all().size() != 1) throw std::runtime_error("register function added no spec");
  return r.all().front();
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline std::vector<std::string> trace_actions(const RunReport& r) {
  std::vector<std::string> out;
  if (!r.trace) return out;
  for (std::size_t i = 1; i < r.trace->steps.size(); ++i) out.push_back(r.trace->steps[i].action);
  return out;
}

// A property's status in a run ("holds", "violated", "reached", "n/a", ...);
// "missing" when the run has no such property.
inline std::string status_of(const RunReport& r, const std::string& property) {
  for (const PropertyResult& p : r.properties) {
    if (p.name == property) return p.status;
  }
  return "missing";
}

}  // namespace mmcheck::testing

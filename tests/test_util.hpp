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

inline RunReport run(const std::string& spec_name, const std::string& proposal,
                     const std::vector<std::pair<std::string, int>>& params, int threads = 2) {
  const SpecEntry* spec = all_specs().find(spec_name);
  if (spec == nullptr) throw std::runtime_error("no spec " + spec_name);
  RunRequest request;
  for (std::size_t i = 0; i < spec->proposals.size(); ++i) {
    if (spec->proposals[i].id == proposal) request.config.proposal = static_cast<int>(i);
  }
  for (const ParamSpec& p : spec->params) {
    int value = p.default_value;
    for (const auto& [name, v] : params) {
      if (name == p.name) value = v;
    }
    request.config.params.push_back(value);
  }
  request.options.threads = threads;
  return spec->run(request);
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

}  // namespace mmcheck::testing

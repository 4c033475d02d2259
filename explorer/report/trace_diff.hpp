// File: explorer/report/trace_diff.hpp
//
// `mmcheck trace diff A B`: aligns two counterexample traces by their action
// sequences (a longest common subsequence of the action labels) and reports
// steps present in one trace only and, for aligned steps, the state fields
// whose values differ. Works between two proposals' traces and between a
// golden trace and a fresh one.
#pragma once

#include <string>

#include "registry/registry.hpp"

namespace mmcheck::report {

struct TraceDiff {
  bool same = true;  // same actions in the same order and identical states
  std::string text;  // the rendering (empty header lines included)
};

TraceDiff diff_traces(const Trace& a, const std::string& a_name, const Trace& b,
                      const std::string& b_name);

}  // namespace mmcheck::report

// File: tests/memory/shapes.hpp
//
// Helpers shared by the memory tests: run litmus text or a corpus file under
// a model and get the verdict.
#pragma once

#include <string>

#include "gtest/gtest.h"
#include "litmus/parse.hpp"
#include "litmus/run.hpp"

namespace mmcheck::memtest {

inline litmus::RunOutcome run_text(const std::string& text, const std::string& model,
                                   bool por = false) {
  const litmus::ParseResult pr = litmus::parse_litmus(text, "inline.litmus");
  if (!pr.ok()) {
    litmus::RunOutcome o;
    o.verdict = "parse-error: " + pr.error->to_string();
    return o;
  }
  litmus::RunOptions opts;
  opts.memory_model = model;
  opts.time_limit_s = 60;
  opts.por = por;
  return litmus::run_litmus_test(*pr.test, opts);
}

// Final outcomes reachable: (condition true reachable, condition false reachable).
inline std::pair<bool, bool> reach(const litmus::RunOutcome& o) {
  if (o.verdict == "Never") return {false, !o.no_final_state};
  if (o.verdict == "Always") return {true, false};
  return {true, true};
}

}  // namespace mmcheck::memtest

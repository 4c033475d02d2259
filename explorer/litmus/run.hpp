// File: explorer/litmus/run.hpp
//
// Runs one C litmus test under a memory model: parse (parse.hpp), check the
// supported subset (support.hpp), compile the threads to a small register
// machine, explore every execution with the engine (an interpreter spec whose
// Config holds the compiled program and whose State holds the memory
// component of include/mmcheck/memory plus pcs and registers), and answer
// herd7's word: Never / Sometimes / Always for the final condition.
//
// The verdict comes from two `reachable` properties evaluated on final states
// (every thread done, every store buffer drained, `filter` true): "condition
// holds" and "condition fails"; one exhaustive run decides. A test with no
// final state at all (every execution blocks, e.g. a self-deadlock) answers
// Never with `no_final_state` set, which matches herd7's "Never 0 0" and the
// corpus' `Result: DEADLOCK`.
//
// Under lkmm a plain access in a possible data race (a static rule,
// plain_race() in run.cpp) turns a Never or Always verdict into
// "unsupported" with the racing pair in `reason`; a Sometimes stands.
//
// What this does not do: print (cli/litmus_cmd.cpp) or walk directories.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "litmus/ast.hpp"

namespace mmcheck::litmus {

struct RunOptions {
  std::string memory_model = "relaxed";  // sc | tso | relaxed | lkmm
  int threads = 1;                       // explorer threads per test
  double time_limit_s = 60;              // per test; 0 = none
  std::uint64_t max_states = 50'000'000;
  int sb_bound = 0;  // store-buffer slots per CPU; 0 = the size class' maximum
  bool por = false;  // partial-order reduction (engine --por; same verdicts)
  // Switch off the interpreter's three built-in reductions (quiescent states
  // reported eagerly where that is exact; lkmm propagation only when a value
  // can matter; the outcome cut of states whose condition is settled): the
  // reference the tests compare them with.
  bool full_graph = false;
};

struct RunOutcome {
  std::string file;
  std::string name;
  std::string expected;  // "Never", "Sometimes", "Always", "DEADLOCK", ... ; "" = none
  bool expected_datarace = false;
  // "Never" | "Sometimes" | "Always" | "unsupported" | "error" | "timeout"
  std::string verdict;
  std::optional<bool> agree;  // unset when not comparable
  bool no_final_state = false;
  std::uint64_t states = 0;
  double seconds = 0;
  int threads_in_test = 0;
  std::string reason;  // unsupported / error / timeout detail
};

// True when the verdict counts as agreement with the expected word.
std::optional<bool> compare_verdict(const std::string& expected, const std::string& verdict,
                                    bool no_final_state);

RunOutcome run_litmus_test(const Test& test, const RunOptions& options);
RunOutcome run_litmus_file(const std::string& path, const RunOptions& options);

}  // namespace mmcheck::litmus

// File: explorer/cli/commands.hpp
//
// The CLI's commands, apart from argument parsing (main.cpp holds CLI11, which
// is slow to compile, so it stays in one translation unit). Each returns the
// process exit code documented in docs/cli.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mmcheck::cli {

// Exit codes outside the verdict classes (see exit_code_for()).
inline constexpr int kExitInternal = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitSpecError = 3;
inline constexpr int kExitGateMismatch = 20;
inline constexpr int kExitTraceDiffers = 1;  // `trace diff`: the traces differ

struct CheckArgs {
  std::string spec;
  std::string proposal;  // empty: the spec's first proposal
  std::string memory_model = "sc";
  std::vector<std::string> params;  // "NAME=VALUE"
  int threads = 1;
  std::int64_t max_states = 0;
  std::int64_t max_depth = -1;
  double time_limit_s = 0;
  std::int64_t memory_limit_mb = 0;
  std::string trace_format = "steps";
  std::string trace_out;
  std::string json_out;
  bool progress = false;
  bool symmetry = false;
  bool por = false;
  std::string store = "exact";
  std::vector<std::string> properties;  // --property: check only these
};

struct GateArgs {
  std::string spec_glob = "*";
  std::string size = "small";
  bool update = false;
  std::string report;  // markdown table to write
  int threads = 1;
  std::string root;  // repository root; default: "." if it has properties/, else the source dir
  bool por = false;  // run every row with --por: compare verdicts only, report the reduction
};

int list_specs(bool json);
int check(const CheckArgs& args);
int gate(const GateArgs& args);
int trace_show(const std::string& file, const std::string& format);
int trace_diff(const std::string& a, const std::string& b);

}  // namespace mmcheck::cli

// File: explorer/cli/litmus_cmd.hpp
//
// `mmcheck litmus FILE|DIR... [--memory-model M] [--json-out F]`: runs C
// litmus tests (explorer/litmus/run.hpp), prints one line per test with
// herd7's word, state count and time, compares with the file's `Result:`
// line and ends with an agreement summary. Exit code: 0 when every comparable
// test agrees, 1 when some disagree, 2 on a usage error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mmcheck::cli {

struct LitmusArgs {
  std::vector<std::string> files;  // files or directories (searched for *.litmus)
  std::string memory_model = "relaxed";
  std::string json_out;      // "" = none
  std::string tsv_out;       // "" = none; one row per test (results/litmus/<model>.tsv)
  int threads = 1;           // explorer threads per test
  double time_limit_s = 60;  // per test
  std::int64_t max_states = 50'000'000;
  int sb_bound = 0;         // store-buffer slots per CPU; 0 = size-class maximum
  bool quiet = false;       // summary only
  bool por = false;         // partial-order reduction
  bool full_graph = false;  // RunOptions::full_graph
};

int litmus(const LitmusArgs& args);

}  // namespace mmcheck::cli

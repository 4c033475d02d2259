// File: tests/memory/litmus_driver.cpp
//
// `mmcheck-litmus FILE|DIR... [--memory-model M] [--json-out F] [--tsv-out F]
// [--time-limit S] [--threads N] [--sb-bound N] [--quiet]`: a stand-alone
// front end for cli::litmus() used by bench/litmus-corpus.sh and the ctest
// suite until `mmcheck litmus` is wired into explorer/cli/main.cpp.
#include <cstdlib>
#include <iostream>
#include <string>

#include "cli/litmus_cmd.hpp"

int main(int argc, char** argv) {
  mmcheck::cli::LitmusArgs a;
  for (int i = 1; i < argc; ++i) {
    const std::string s = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "missing value for " << s << "\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (s == "--memory-model")
      a.memory_model = next();
    else if (s == "--json-out")
      a.json_out = next();
    else if (s == "--tsv-out")
      a.tsv_out = next();
    else if (s == "--time-limit")
      a.time_limit_s = std::stod(next());
    else if (s == "--threads")
      a.threads = std::stoi(next());
    else if (s == "--sb-bound")
      a.sb_bound = std::stoi(next());
    else if (s == "--max-states")
      a.max_states = std::stoll(next());
    else if (s == "--quiet")
      a.quiet = true;
    else
      a.files.push_back(s);
  }
  return mmcheck::cli::litmus(a);
}

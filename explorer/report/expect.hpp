// File: explorer/report/expect.hpp
//
// Expected-verdict tables (properties/<area>/<spec>.expect): one row per
// configuration, plain text so diffs read well. Format, whitespace-separated,
// `#` starts a comment:
//
//   spec gupfast_fork
//   # size  proposal        model  params                 verdict                          distinct
//   trace small   unsynchronized  sc     gup_cpus=1,attempts=1  violates:pinned_page_never_cowed
//   220       results/gupfast_fork/unsynchronized.sc.trace.json
//
// size: small (checked by the test suite / CI) or large (recorded runs);
// params: NAME=VALUE,... or `-` for the defaults; verdict: holds,
// violates:PROPERTY, unreached:PROPERTY or deadlock; distinct: the pinned
// distinct-state count or `-`; trace: the golden trace (repository-relative
// path) of a violating row, or `-`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mmcheck::report {

struct ExpectRow {
  int line = 0;
  std::string size;
  std::string proposal;
  std::string memory_model;
  std::vector<std::pair<std::string, int>> params;
  std::string verdict;   // holds | violated | unreached | deadlock (verdict_name())
  std::string property;  // for violated / unreached
  std::optional<std::uint64_t> distinct;
  std::string trace;  // empty: none
};

struct ExpectTable {
  std::string spec;
  std::vector<ExpectRow> rows;
};

// On failure returns nullopt and sets `error` to "FILE:LINE: message".
std::optional<ExpectTable> parse_expect(std::string_view text, std::string_view file,
                                        std::string& error);

}  // namespace mmcheck::report

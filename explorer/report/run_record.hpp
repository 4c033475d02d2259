// File: explorer/report/run_record.hpp
//
// The end-of-run report: the human summary block (SPIN/TLC style) and the
// machine-readable run record written by `--json-out`.
#pragma once

#include <string>

#include "nlohmann/json.hpp"
#include "registry/registry.hpp"

namespace mmcheck::report {

// Summary block: configuration, counts, per-family firings, families that
// never fired, property verdicts, and the final verdict line.
std::string render_summary(const RunReport& report);

// Keys: spec, proposal, memory_model, params, verdict, property, exhaustive,
// incomplete_reason, distinct_states, transitions, depth, threads, elapsed_s,
// states_per_s, peak_rss_bytes, action_counts, unfired_families, properties.
nlohmann::ordered_json run_record(const RunReport& report);

// "1.2 MiB"-style rendering for reports.
std::string human_bytes(std::uint64_t bytes);

}  // namespace mmcheck::report

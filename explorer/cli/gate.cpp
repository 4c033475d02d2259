// File: explorer/cli/gate.cpp
//
// `mmcheck gate`: runs every row of every expected-verdict table
// (properties/**/*.expect), compares verdict, property, pinned distinct-state
// count and golden trace, and prints the table a patch author pastes into a
// cover letter. With --por every row runs with partial-order reduction and
// only verdicts are compared (the reduction is reported). Recorded outputs (results/verdicts.md,
// results/verdicts.json, golden traces) are rewritten only with --update; they hold no timings, so
// a re-run with unchanged code rewrites them byte for byte.
#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "cli/commands.hpp"
#include "mmcheck/text.hpp"
#include "registry/registry.hpp"
#include "report/expect.hpp"
#include "report/trace_render.hpp"

namespace mmcheck::cli {
namespace {

namespace fs = std::filesystem;

struct RowResult {
  std::string spec;
  const report::ExpectRow* row = nullptr;
  std::string file;
  std::string expected;
  std::string actual;
  std::uint64_t states = 0;
  double seconds = 0;
  std::vector<std::string> mismatches;
};

std::string read_text(const fs::path& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = static_cast<bool>(in);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string params_text(const std::vector<std::pair<std::string, int>>& params) {
  if (params.empty()) return "-";
  std::vector<std::string> parts;
  for (const auto& [name, value] : params) parts.push_back(absl::StrCat(name, "=", value));
  return absl::StrJoin(parts, ",");
}

std::string verdict_text(const std::string& verdict, const std::string& property) {
  if (verdict == "violated") return "violates " + property;
  if (verdict == "unreached") return "unreached " + property;
  return verdict;
}

// Runs one row; returns the report or sets `error` (usage problems of the row).
std::optional<RunReport> run_row(const SpecEntry& spec, const report::ExpectRow& row, int threads,
                                 bool por, std::string& error) {
  RunRequest request;
  int proposal = -1;
  for (std::size_t i = 0; i < spec.proposals.size(); ++i) {
    if (spec.proposals[i].id == row.proposal) proposal = static_cast<int>(i);
  }
  if (proposal < 0) {
    error = absl::StrCat("unknown proposal ", row.proposal);
    return std::nullopt;
  }
  bool model_ok = false;
  for (std::string_view m : spec.memory_models) model_ok = model_ok || m == row.memory_model;
  if (!model_ok) {
    error = absl::StrCat("unknown memory model ", row.memory_model);
    return std::nullopt;
  }
  request.config.proposal = proposal;
  request.config.memory_model = row.memory_model;
  for (const ParamSpec& p : spec.params) request.config.params.push_back(p.default_value);
  for (const auto& [name, value] : row.params) {
    int index = -1;
    for (std::size_t i = 0; i < spec.params.size(); ++i) {
      if (spec.params[i].name == name) index = static_cast<int>(i);
    }
    if (index < 0 || value < spec.params[index].min || value > spec.params[index].max) {
      error = absl::StrCat("bad parameter ", name, "=", value);
      return std::nullopt;
    }
    request.config.params[index] = value;
  }
  request.options.threads = threads;
  request.options.por = por;
  try {
    return spec.run(request);
  } catch (const std::exception& e) {
    error = absl::StrCat("error: ", e.what());
    return std::nullopt;
  }
}

std::string markdown(const std::vector<RowResult>& results) {
  std::string out =
      "| spec | proposal | model | params | expected | actual | states |\n"
      "|---|---|---|---|---|---|---:|\n";
  for (const RowResult& r : results) {
    absl::StrAppend(
        &out, absl::StrFormat("| %s | %s | %s | %s | %s | %s%s | %d |\n", r.spec, r.row->proposal,
                              r.row->memory_model, params_text(r.row->params), r.expected, r.actual,
                              r.mismatches.empty() ? "" : " **MISMATCH**", r.states));
  }
  return out;
}

}  // namespace

int gate(const GateArgs& args) {
  fs::path root = args.root;
  if (root.empty()) root = fs::exists("properties") ? fs::path(".") : fs::path(MMCHECK_SOURCE_DIR);
  if (!fs::is_directory(root / "properties")) {
    std::cerr << "mmcheck: no properties/ directory under " << root.string()
              << "; run from the repository root or pass --root\n";
    return kExitUsage;
  }
  if (args.size != "small" && args.size != "all") {
    std::cerr << "mmcheck: --size must be small or all, got '" << args.size << "'\n";
    return kExitUsage;
  }
  if (args.threads < 1 || args.threads > 1024) {
    std::cerr << "mmcheck: --threads must be from 1 to 1024, got " << args.threads << "\n";
    return kExitUsage;
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root / "properties")) {
    if (entry.path().extension() == ".expect") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());

  std::vector<report::ExpectTable> tables;
  for (const fs::path& file : files) {
    bool ok = false;
    const std::string text = read_text(file, ok);
    std::string error;
    auto table = ok ? report::parse_expect(text, file.string(), error) : std::nullopt;
    if (!table) {
      std::cerr << "mmcheck: " << (ok ? error : "cannot read " + file.string()) << "\n";
      return kExitUsage;
    }
    if (fnmatch(args.spec_glob.c_str(), table->spec.c_str(), 0) == 0) {
      tables.push_back(std::move(*table));
    }
  }
  if (tables.empty()) {
    std::cerr << "mmcheck: no expectation table matches --spec '" << args.spec_glob << "'\n";
    return kExitUsage;
  }

  if (args.por && args.update) {
    std::cerr << "mmcheck: gate --por checks verdicts only and cannot --update the records\n";
    return kExitUsage;
  }
  std::uint64_t por_rows = 0, por_states = 0, por_full = 0;
  std::vector<RowResult> results;
  std::cout << absl::StrFormat("%-14s %-26s %-6s %-24s %-40s %-40s %10s %8s\n", "spec", "proposal",
                               "model", "params", "expected", "actual", "states", "seconds");
  for (const report::ExpectTable& table : tables) {
    const SpecEntry* spec = all_specs().find(table.spec);
    for (const report::ExpectRow& row : table.rows) {
      if (args.size == "small" && row.size != "small") continue;
      RowResult r;
      r.spec = table.spec;
      r.row = &row;
      r.expected = verdict_text(row.verdict, row.property);
      if (row.distinct) absl::StrAppend(&r.expected, " (", *row.distinct, ")");
      std::string error;
      std::optional<RunReport> report;
      if (spec == nullptr) {
        error = "spec not registered";
      } else {
        report = run_row(*spec, row, args.threads, args.por, error);
      }
      if (!report) {
        r.actual = error;
        r.mismatches.push_back(error);
      } else {
        r.actual = verdict_text(std::string(verdict_name(report->verdict)), report->property);
        r.states = report->distinct_states;
        r.seconds = report->elapsed_s;
        if (verdict_name(report->verdict) != row.verdict ||
            (!row.property.empty() && report->property != row.property)) {
          r.mismatches.push_back(absl::StrCat("expected ", verdict_text(row.verdict, row.property),
                                              ", got ", r.actual));
        }
        if (args.por) {
          // Reduced graphs have fewer states and need not give shortest
          // traces: only the verdict (and violated property) must agree.
          if (row.distinct) {
            por_rows += 1;
            por_states += report->distinct_states;
            por_full += *row.distinct;
          }
        } else if (row.distinct && *row.distinct != report->distinct_states) {
          r.mismatches.push_back(absl::StrCat("expected ", *row.distinct, " distinct states, got ",
                                              report->distinct_states));
        }
        if (!row.trace.empty() && !args.por) {
          const fs::path golden = root / row.trace;
          const std::string fresh =
              report->trace ? report::trace_to_json(*report->trace).dump(2) + "\n" : "";
          if (args.update && report->trace) {
            fs::create_directories(golden.parent_path());
            std::ofstream(golden, std::ios::binary | std::ios::trunc) << fresh;
          } else {
            bool ok = false;
            const std::string recorded = read_text(golden, ok);
            if (!ok) {
              r.mismatches.push_back(absl::StrCat("cannot read golden trace ", row.trace));
            } else if (recorded != fresh) {
              r.mismatches.push_back(absl::StrCat("trace differs from ", row.trace,
                                                  " (mmcheck trace diff shows how)"));
            }
          }
        }
      }
      std::cout << absl::StrFormat("%-14s %-26s %-6s %-24s %-40s %-40s %10d %8.2f%s\n", r.spec,
                                   row.proposal, row.memory_model, params_text(row.params),
                                   r.expected, r.actual, r.states, r.seconds,
                                   r.mismatches.empty() ? "" : "  MISMATCH");
      std::cout.flush();
      results.push_back(std::move(r));
    }
  }

  int mismatched = 0;
  for (const RowResult& r : results) {
    if (r.mismatches.empty()) continue;
    ++mismatched;
    for (const std::string& m : r.mismatches) {
      std::cout << absl::StrFormat("mismatch: %s:%d (%s %s %s %s): %s\n", r.spec, r.row->line,
                                   r.spec, r.row->proposal, r.row->memory_model,
                                   params_text(r.row->params), m);
    }
  }
  std::cout << absl::StrFormat("gate: %d rows, %d match, %d mismatch\n", results.size(),
                               results.size() - mismatched, mismatched);

  if (args.por && por_full > 0) {
    std::cout << absl::StrFormat(
        "por: %d rows with a pinned count: %d states instead of %d (%.2fx fewer)\n", por_rows,
        por_states, por_full, static_cast<double>(por_full) / static_cast<double>(por_states));
  }

  const std::string table_md = markdown(results);
  if (!args.report.empty()) {
    std::ofstream out(args.report, std::ios::binary | std::ios::trunc);
    out << table_md;
    if (!out) {
      std::cerr << "mmcheck: cannot write " << args.report << "\n";
      return kExitUsage;
    }
  }
  if (args.update) {
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (const RowResult& r : results) {
      nlohmann::ordered_json params = nlohmann::ordered_json::object();
      for (const auto& [name, value] : r.row->params) params[name] = value;
      rows.push_back({{"spec", r.spec},
                      {"proposal", r.row->proposal},
                      {"memory_model", r.row->memory_model},
                      {"params", params},
                      {"size", r.row->size},
                      {"expected", r.expected},
                      {"actual", r.actual},
                      {"distinct_states", r.states},
                      {"match", r.mismatches.empty()}});
    }
    fs::create_directories(root / "results");
    std::ofstream(root / "results" / "verdicts.json", std::ios::binary | std::ios::trunc)
        << rows.dump(2) << "\n";
    std::ofstream(root / "results" / "verdicts.md", std::ios::binary | std::ios::trunc)
        << "# Verdicts\n\nWritten by `mmcheck gate --size " << args.size << " --spec '"
        << args.spec_glob << "' --update`; expected = properties/**/*.expect.\n\n"
        << table_md;
  }
  return mismatched == 0 ? 0 : kExitGateMismatch;
}

}  // namespace mmcheck::cli

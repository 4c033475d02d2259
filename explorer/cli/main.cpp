// File: explorer/cli/main.cpp
//
// `mmcheck`: command-line parsing only (CLI11); the commands live in
// commands.cpp. Usage errors exit with 2, whatever CLI11 would have used.
#include <iostream>

#include "CLI/CLI.hpp"
#include "cli/commands.hpp"
#include "cli/litmus_cmd.hpp"

int main(int argc, char** argv) {
  using mmcheck::cli::CheckArgs;
  CLI::App app{"mmcheck: an exhaustive model checker for Linux mm concurrency protocols"};
  app.require_subcommand(1);

  bool list_json = false;
  auto* list = app.add_subcommand("list", "List specs, proposals, parameters, properties, models");
  list->add_flag("--json", list_json, "Machine-readable output");

  CheckArgs args;
  auto* check = app.add_subcommand("check", "Explore every reachable state of one configuration");
  check->add_option("spec", args.spec, "Spec name (see `mmcheck list`)")->required();
  check->add_option("--proposal", args.proposal, "Proposal id (default: the spec's first)");
  check->add_option("--memory-model", args.memory_model, "Memory model (default: sc)");
  check->add_option("--param", args.params, "Parameter as NAME=VALUE (repeatable)");
  check->add_option("--threads", args.threads, "Worker threads (default 1)");
  check->add_option("--max-states", args.max_states, "Stop after this many distinct states");
  check->add_option("--max-depth", args.max_depth, "Do not expand states at this depth");
  check->add_option("--time-limit", args.time_limit_s, "Stop after this many seconds");
  check->add_option("--memory-limit", args.memory_limit_mb, "Stop above this RSS, in MiB");
  check->add_option("--trace-format", args.trace_format, "steps | timeline | json");
  check->add_option("--trace-out", args.trace_out, "Write the counterexample as JSON to FILE");
  check->add_option("--json-out", args.json_out, "Write the run record as JSON to FILE");
  check->add_flag("--progress", args.progress, "Progress lines on stderr (default: if a tty)");
  check->add_option("--property", args.properties,
                    "Check only this property (repeatable; default: all)");
  check->add_flag("--symmetry", args.symmetry,
                  "Store one state per orbit of interchangeable actors (spec must declare it)");
  check->add_flag("--por", args.por,
                  "Partial-order reduction: expand one actor's independent steps where the spec "
                  "declares footprints");
  check->add_option("--store", args.store,
                    "exact (default) | fingerprint: 7 bytes per state, states on disk per level");

  mmcheck::cli::GateArgs gate_args;
  auto* gate = app.add_subcommand(
      "gate", "Run every expected-verdict row and compare (exit 20 on mismatch)");
  gate->add_option("--spec", gate_args.spec_glob, "Only specs matching this glob (default *)");
  gate->add_option("--size", gate_args.size, "small (default) or all");
  gate->add_flag("--update", gate_args.update,
                 "Rewrite results/verdicts.{md,json} and the golden traces");
  gate->add_option("--report", gate_args.report, "Also write the verdict table as markdown");
  gate->add_option("--threads", gate_args.threads, "Worker threads per run (default 1)");
  gate->add_option("--root", gate_args.root, "Repository root (default: the current directory)");
  gate->add_flag("--por", gate_args.por,
                 "Run every row with partial-order reduction: compare verdicts (not state counts "
                 "or traces) and report the reduction");

  mmcheck::cli::LitmusArgs litmus_args;
  auto* litmus = app.add_subcommand(
      "litmus", "Run C litmus tests under a memory model and compare with their Result: lines");
  litmus->add_option("files", litmus_args.files, "Litmus files or directories")->required();
  litmus->add_option("--memory-model", litmus_args.memory_model,
                     "sc | tso | relaxed | lkmm (default relaxed)");
  litmus->add_option("--json-out", litmus_args.json_out, "Write one JSON object per test");
  litmus->add_option("--tsv-out", litmus_args.tsv_out, "Write one TSV row per test");
  litmus->add_option("--threads", litmus_args.threads, "Explorer threads per test");
  litmus->add_option("--time-limit", litmus_args.time_limit_s, "Seconds per test (default 60)");
  litmus->add_option("--max-states", litmus_args.max_states, "States per test");
  litmus->add_option("--sb-bound", litmus_args.sb_bound, "Store-buffer slots per CPU");
  litmus->add_flag("--quiet", litmus_args.quiet, "Print the summary only");
  litmus->add_flag("--por", litmus_args.por,
                   "Partial-order reduction (same verdicts, fewer states)");
  litmus->add_flag("--full-graph", litmus_args.full_graph,
                   "No eager quiescent states, just-in-time lkmm propagation or outcome cut "
                   "(checks them)");

  std::string trace_file;
  std::string trace_format = "steps";
  auto* trace = app.add_subcommand("trace", "Work with saved counterexample traces");
  trace->require_subcommand(1);
  auto* show = trace->add_subcommand("show", "Render a JSON trace written by --trace-out");
  show->add_option("file", trace_file, "Trace file")->required();
  show->add_option("--format", trace_format, "steps | timeline | json");
  std::string diff_a, diff_b;
  auto* diff =
      trace->add_subcommand("diff", "Align two JSON traces and show what differs (exit 1)");
  diff->add_option("a", diff_a, "First trace")->required();
  diff->add_option("b", diff_b, "Second trace")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);  // prints the help of the (sub)command asked for; exit 0
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "mmcheck: " << e.what() << "\n(run `mmcheck --help` for usage)\n";
    return mmcheck::cli::kExitUsage;
  }

  try {
    if (*list) return mmcheck::cli::list_specs(list_json);
    if (*check) return mmcheck::cli::check(args);
    if (*gate) return mmcheck::cli::gate(gate_args);
    if (*litmus) return mmcheck::cli::litmus(litmus_args);
    if (*show) return mmcheck::cli::trace_show(trace_file, trace_format);
    if (*diff) return mmcheck::cli::trace_diff(diff_a, diff_b);
  } catch (const std::exception& e) {
    std::cerr << "mmcheck: internal error: " << e.what() << "\n";
    return mmcheck::cli::kExitInternal;
  }
  return mmcheck::cli::kExitUsage;
}

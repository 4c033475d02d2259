// File: explorer/cli/commands.cpp
#include "cli/commands.hpp"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "mmcheck/text.hpp"
#include "registry/registry.hpp"
#include "report/run_record.hpp"
#include "report/trace_diff.hpp"
#include "report/trace_render.hpp"

namespace mmcheck::cli {
namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_sigint(int) {
  g_interrupted.store(true);
  std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C kills the process
}

int usage_error(const std::string& message) {
  std::cerr << "mmcheck: " << message << "\n";
  return kExitUsage;
}

std::string param_choices(const SpecEntry& spec) {
  std::vector<std::string> parts;
  for (const ParamSpec& p : spec.params) {
    parts.push_back(
        absl::StrFormat("%s (%d..%d, default %d)", p.name, p.min, p.max, p.default_value));
  }
  return parts.empty() ? "none" : join(parts, ", ");
}

std::string proposal_choices(const SpecEntry& spec) {
  std::vector<std::string_view> ids;
  for (const ProposalSpec& p : spec.proposals) ids.push_back(p.id);
  return join(ids, ", ");
}

bool write_file(const std::string& path, const std::string& text, std::string& error) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    error = absl::StrCat("cannot write ", path);
    return false;
  }
  out << text;
  out.close();
  if (!out) {
    error = absl::StrCat("cannot write ", path);
    return false;
  }
  return true;
}

std::optional<report::TraceFormat> parse_format(const std::string& name) {
  if (name == "steps") return report::TraceFormat::steps;
  if (name == "timeline") return report::TraceFormat::timeline;
  if (name == "json") return report::TraceFormat::json;
  return std::nullopt;
}

}  // namespace

int list_specs(bool json) {
  const Registry& registry = all_specs();
  if (json) {
    nlohmann::ordered_json specs = nlohmann::ordered_json::array();
    for (const SpecEntry& s : registry.all()) {
      nlohmann::ordered_json j;
      j["name"] = s.name;
      j["summary"] = s.summary;
      j["proposals"] = nlohmann::ordered_json::array();
      for (const ProposalSpec& p : s.proposals) {
        j["proposals"].push_back({{"id", p.id}, {"summary", p.summary}});
      }
      j["params"] = nlohmann::ordered_json::array();
      for (const ParamSpec& p : s.params) {
        j["params"].push_back({{"name", p.name},
                               {"default", p.default_value},
                               {"min", p.min},
                               {"max", p.max},
                               {"help", p.help}});
      }
      j["properties"] = nlohmann::ordered_json::array();
      for (const PropertyInfo& p : s.properties) {
        j["properties"].push_back(
            {{"name", p.name},
             {"kind", p.kind == PropertyKind::always ? "always" : "reachable"},
             {"summary", p.summary}});
      }
      j["memory_models"] = s.memory_models;
      j["action_families"] = s.families;
      j["symmetry"] = s.symmetry;
      specs.push_back(j);
    }
    std::cout << specs.dump(2) << "\n";
    return 0;
  }
  for (const SpecEntry& s : registry.all()) {
    std::cout << s.name << ": " << s.summary << "\n  proposals:\n";
    for (const ProposalSpec& p : s.proposals) {
      std::cout << absl::StrFormat("    %-28s %s\n", p.id, p.summary);
    }
    std::cout << "  parameters:\n";
    for (const ParamSpec& p : s.params) {
      std::cout << absl::StrFormat(
          "    %-28s %s\n",
          absl::StrFormat("%s=%d (%d..%d)", p.name, p.default_value, p.min, p.max), p.help);
    }
    std::cout << "  properties:\n";
    for (const PropertyInfo& p : s.properties) {
      std::cout << absl::StrFormat("    %-9s %-28s %s\n",
                                   p.kind == PropertyKind::always ? "always" : "reachable", p.name,
                                   p.summary);
    }
    std::cout << "  memory models: " << join(s.memory_models, ", ")
              << (s.symmetry ? "; symmetry reduction available" : "") << "\n\n";
  }
  return 0;
}

int check(const CheckArgs& args) {
  const Registry& registry = all_specs();
  const SpecEntry* spec = registry.find(args.spec);
  if (spec == nullptr) {
    return usage_error(
        absl::StrCat("unknown spec '", args.spec, "'; valid specs: ", registry.names()));
  }
  RunRequest request;
  if (!args.proposal.empty()) {
    int index = -1;
    for (std::size_t i = 0; i < spec->proposals.size(); ++i) {
      if (spec->proposals[i].id == args.proposal) index = static_cast<int>(i);
    }
    if (index < 0) {
      return usage_error(absl::StrCat("unknown proposal '", args.proposal, "' for spec ",
                                      av(spec->name),
                                      "; valid proposals: ", proposal_choices(*spec)));
    }
    request.config.proposal = index;
  }
  bool model_ok = false;
  for (std::string_view m : spec->memory_models) model_ok = model_ok || m == args.memory_model;
  if (!model_ok) {
    return usage_error(absl::StrCat("unknown memory model '", args.memory_model, "' for spec ",
                                    av(spec->name),
                                    "; valid memory models: ", join(spec->memory_models, ", ")));
  }
  request.config.memory_model = args.memory_model;
  for (const ParamSpec& p : spec->params) request.config.params.push_back(p.default_value);
  for (const std::string& assignment : args.params) {
    const std::size_t eq = assignment.find('=');
    if (eq == std::string::npos) {
      return usage_error(absl::StrCat("--param takes NAME=VALUE, got '", assignment,
                                      "'; parameters of ", av(spec->name), ": ",
                                      param_choices(*spec)));
    }
    const std::string name = assignment.substr(0, eq);
    int index = -1;
    for (std::size_t i = 0; i < spec->params.size(); ++i) {
      if (spec->params[i].name == name) index = static_cast<int>(i);
    }
    if (index < 0) {
      return usage_error(absl::StrCat("unknown parameter '", name, "' for spec ", av(spec->name),
                                      "; valid parameters: ", param_choices(*spec)));
    }
    int value = 0;
    const ParamSpec& p = spec->params[index];
    if (!absl::SimpleAtoi(assignment.substr(eq + 1), &value) || value < p.min || value > p.max) {
      return usage_error(
          absl::StrFormat("bad value '%s' for parameter %s: an integer from %d to %d",
                          assignment.substr(eq + 1), name, p.min, p.max));
    }
    request.config.params[index] = value;
  }
  if (args.threads < 1 || args.threads > 1024) {
    return usage_error(absl::StrCat("--threads must be from 1 to 1024, got ", args.threads));
  }
  if (args.max_states < 0) return usage_error("--max-states must not be negative");
  if (args.time_limit_s < 0) return usage_error("--time-limit must not be negative");
  if (args.memory_limit_mb < 0) return usage_error("--memory-limit must not be negative");
  const auto format = parse_format(args.trace_format);
  if (!format) {
    return usage_error(absl::StrCat("unknown trace format '", args.trace_format,
                                    "'; valid formats: steps, timeline, json"));
  }

  if (args.store != "exact" && args.store != "fingerprint") {
    return usage_error(
        absl::StrCat("unknown store '", args.store, "'; valid stores: exact, fingerprint"));
  }
  request.options.threads = args.threads;
  request.options.symmetry = args.symmetry;
  request.options.por = args.por;
  request.options.fingerprint_store = args.store == "fingerprint";
  request.options.only_properties = args.properties;
  request.options.limits.max_states = static_cast<std::uint64_t>(args.max_states);
  request.options.limits.max_depth = args.max_depth;
  request.options.limits.time_limit_s = args.time_limit_s;
  request.options.limits.memory_limit_bytes =
      static_cast<std::uint64_t>(args.memory_limit_mb) * 1024 * 1024;
  request.options.interrupt = &g_interrupted;
  if (args.progress || isatty(STDERR_FILENO)) {
    request.options.on_progress = [](const engine::Progress& p) {
      std::cerr << absl::StrFormat(
          "[progress] depth %d, %llu states, %.0f states/s, frontier %llu, rss %s\n", p.depth,
          static_cast<unsigned long long>(p.distinct_states),
          p.elapsed_s > 0 ? static_cast<double>(p.distinct_states) / p.elapsed_s : 0.0,
          static_cast<unsigned long long>(p.frontier), report::human_bytes(p.rss_bytes));
    };
  }

  std::signal(SIGINT, on_sigint);
  RunReport result;
  try {
    result = spec->run(request);
  } catch (const UsageError& e) {
    return usage_error(e.what());
  } catch (const SpecError& e) {
    std::cerr << "mmcheck: spec error in " << spec->name << ": " << e.what() << "\n";
    return kExitSpecError;
  }
  std::signal(SIGINT, SIG_DFL);

  std::cout << report::render_summary(result);
  if (result.trace) std::cout << "\n" << report::render(*result.trace, *format);

  std::string error;
  if (!args.trace_out.empty()) {
    if (!result.trace) {
      std::cerr << "mmcheck: no counterexample, so no trace written to " << args.trace_out << "\n";
    } else if (!write_file(args.trace_out, report::trace_to_json(*result.trace).dump(2) + "\n",
                           error)) {
      std::cerr << "mmcheck: " << error << "\n";
      return kExitUsage;
    }
  }
  if (!args.json_out.empty() &&
      !write_file(args.json_out, report::run_record(result).dump(2) + "\n", error)) {
    std::cerr << "mmcheck: " << error << "\n";
    return kExitUsage;
  }
  return exit_code_for(result.verdict);
}

namespace {

std::optional<Trace> load_trace(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    usage_error(absl::StrCat("cannot read ", file));
    return std::nullopt;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string error;
  auto trace = report::trace_from_json(buffer.str(), error);
  if (!trace) usage_error(absl::StrCat(file, ": ", error));
  return trace;
}

}  // namespace

int trace_diff(const std::string& a, const std::string& b) {
  const auto ta = load_trace(a);
  if (!ta) return kExitUsage;
  const auto tb = load_trace(b);
  if (!tb) return kExitUsage;
  const report::TraceDiff diff = report::diff_traces(*ta, a, *tb, b);
  std::cout << diff.text;
  return diff.same ? 0 : kExitTraceDiffers;
}

int trace_show(const std::string& file, const std::string& format_name) {
  const auto format = parse_format(format_name);
  if (!format) {
    return usage_error(absl::StrCat("unknown trace format '", format_name,
                                    "'; valid formats: steps, timeline, json"));
  }
  const auto trace = load_trace(file);
  if (!trace) return kExitUsage;
  std::cout << report::render(*trace, *format);
  return 0;
}

}  // namespace mmcheck::cli

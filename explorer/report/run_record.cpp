// File: explorer/report/run_record.cpp
#include "report/run_record.hpp"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace mmcheck::report {

std::string human_bytes(std::uint64_t bytes) {
  const double b = static_cast<double>(bytes);
  if (b >= 1024.0 * 1024 * 1024) return absl::StrFormat("%.2f GiB", b / (1024.0 * 1024 * 1024));
  if (b >= 1024.0 * 1024) return absl::StrFormat("%.1f MiB", b / (1024.0 * 1024));
  return absl::StrFormat("%.1f KiB", b / 1024.0);
}

std::string render_summary(const RunReport& r) {
  std::vector<std::string> params;
  for (const auto& [name, value] : r.params) params.push_back(absl::StrCat(name, "=", value));
  std::string out = absl::StrCat(
      "spec ", r.spec, ", proposal ", r.proposal, ", memory model ", r.memory_model,
      params.empty() ? "" : ", ", absl::StrJoin(params, " "), ", threads ", r.threads,
      r.symmetry ? ", symmetry reduction" : "", r.por ? ", partial-order reduction" : "",
      r.fingerprint ? ", fingerprint store" : "", "\n");
  absl::StrAppend(&out, absl::StrFormat("  %llu distinct states, %llu transitions, depth %d%s\n",
                                        static_cast<unsigned long long>(r.distinct_states),
                                        static_cast<unsigned long long>(r.transitions), r.depth,
                                        r.exhaustive ? " (exhaustive)" : " (incomplete)"));
  absl::StrAppend(&out,
                  absl::StrFormat("  %.3f s, %.0f states/s, peak memory %s (%.1f bytes/state)\n",
                                  r.elapsed_s, r.states_per_s, human_bytes(r.peak_rss_bytes),
                                  r.distinct_states ? static_cast<double>(r.peak_rss_bytes) /
                                                          static_cast<double>(r.distinct_states)
                                                    : 0.0));
  if (r.por) {
    absl::StrAppend(&out,
                    absl::StrFormat("  por: %llu states expanded with one actor's steps, %llu "
                                    "fell back to all (cycle proviso)\n",
                                    static_cast<unsigned long long>(r.por_reduced),
                                    static_cast<unsigned long long>(r.por_proviso)));
  }
  absl::StrAppend(&out, "  action firings:\n");
  for (const auto& [family, count] : r.action_counts) {
    absl::StrAppend(
        &out, absl::StrFormat("    %-32s %llu\n", family, static_cast<unsigned long long>(count)));
  }
  if (!r.unfired_families.empty()) {
    absl::StrAppend(&out, "  warning: action families that never fired: ",
                    absl::StrJoin(r.unfired_families, ", "), "\n");
  }
  absl::StrAppend(&out, "  properties:\n");
  for (const PropertyResult& p : r.properties) {
    std::string depth = p.depth >= 0 ? absl::StrCat(" at depth ", p.depth) : "";
    absl::StrAppend(&out,
                    absl::StrFormat("    %-9s %-32s %s%s\n", p.kind, p.name, p.status, depth));
  }
  std::string verdict(verdict_name(r.verdict));
  if (r.verdict == Verdict::violated || r.verdict == Verdict::unreached) {
    absl::StrAppend(&verdict, " ", r.property);
  } else if (r.verdict == Verdict::incomplete) {
    absl::StrAppend(&verdict, " (", r.incomplete_reason,
                    "): the search was cut short; nothing is proved");
  }
  // A violation or deadlock comes with a trace replayed on full states: it is
  // certain. A "holds" or "unreached" may have missed states by a collision.
  if (r.fingerprint && (r.verdict == Verdict::holds || r.verdict == Verdict::unreached)) {
    absl::StrAppend(&verdict, absl::StrFormat(" (fingerprint, p_miss <= %.1e)", r.p_miss));
  }
  absl::StrAppend(&out, "verdict: ", verdict, "\n");
  return out;
}

nlohmann::ordered_json run_record(const RunReport& r) {
  nlohmann::ordered_json j;
  j["spec"] = r.spec;
  j["proposal"] = r.proposal;
  j["memory_model"] = r.memory_model;
  nlohmann::ordered_json params = nlohmann::ordered_json::object();
  for (const auto& [name, value] : r.params) params[name] = value;
  j["params"] = params;
  j["symmetry"] = r.symmetry;
  j["por"] = r.por;
  j["por_reduced"] =
      r.por ? nlohmann::ordered_json(r.por_reduced) : nlohmann::ordered_json(nullptr);
  j["por_proviso"] =
      r.por ? nlohmann::ordered_json(r.por_proviso) : nlohmann::ordered_json(nullptr);
  j["store"] = r.fingerprint ? "fingerprint" : "exact";
  j["p_miss"] = r.fingerprint ? nlohmann::ordered_json(r.p_miss) : nlohmann::ordered_json(nullptr);
  j["verdict"] = verdict_name(r.verdict);
  j["property"] =
      r.property.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.property);
  j["exhaustive"] = r.exhaustive;
  j["incomplete_reason"] = r.incomplete_reason.empty()
                               ? nlohmann::ordered_json(nullptr)
                               : nlohmann::ordered_json(r.incomplete_reason);
  j["distinct_states"] = r.distinct_states;
  j["transitions"] = r.transitions;
  j["depth"] = r.depth;
  j["threads"] = r.threads;
  j["elapsed_s"] = r.elapsed_s;
  j["states_per_s"] = r.states_per_s;
  j["peak_rss_bytes"] = r.peak_rss_bytes;
  nlohmann::ordered_json counts = nlohmann::ordered_json::object();
  for (const auto& [family, count] : r.action_counts) counts[family] = count;
  j["action_counts"] = counts;
  j["unfired_families"] = r.unfired_families;
  nlohmann::ordered_json props = nlohmann::ordered_json::array();
  for (const PropertyResult& p : r.properties) {
    props.push_back({{"name", p.name},
                     {"kind", p.kind},
                     {"status", p.status},
                     {"depth", p.depth >= 0 ? nlohmann::ordered_json(p.depth)
                                            : nlohmann::ordered_json(nullptr)}});
  }
  j["properties"] = props;
  return j;
}

}  // namespace mmcheck::report

// File: explorer/report/trace_render.cpp
#include "report/trace_render.hpp"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace mmcheck::report {
namespace {

using Json = nlohmann::ordered_json;

std::string params_text(const Trace& t) {
  std::vector<std::string> parts;
  for (const auto& [name, value] : t.params) parts.push_back(absl::StrCat(name, "=", value));
  return absl::StrJoin(parts, " ");
}

// The action as shown inside its actor's column: the "(cpu=N)" suffix is
// implied by the column.
std::string column_label(const TraceStep& step) {
  if (step.param_name == "cpu" || step.param_name.empty()) return step.family;
  return step.action;
}

std::string actor_name(const Trace& t, int actor) {
  if (actor >= 0 && static_cast<std::size_t>(actor) < t.actors.size()) return t.actors[actor];
  return "?";
}

}  // namespace

std::string trace_headline(const Trace& t) {
  const std::size_t steps = t.steps.empty() ? 0 : t.steps.size() - 1;
  std::string what;
  if (t.verdict == "deadlock") {
    what = absl::StrCat("deadlock after ", steps, " steps");
  } else {
    what = absl::StrCat(t.property, " ", t.verdict, " after ", steps, " steps");
  }
  return absl::StrCat(what, " (", t.spec, ", proposal ", t.proposal, ", memory model ",
                      t.memory_model, t.params.empty() ? "" : ", ", params_text(t), ")");
}

std::string render_steps(const Trace& t) {
  std::string out = absl::StrCat("Counterexample: ", trace_headline(t), "\n\n");
  for (std::size_t i = 0; i < t.steps.size(); ++i) {
    const TraceStep& step = t.steps[i];
    if (i == 0) {
      absl::StrAppend(&out, absl::StrFormat("%4d  initial state\n", 0));
      for (const auto& [name, value] : step.state) {
        absl::StrAppend(&out, "        ", name, " = ", value, "\n");
      }
      continue;
    }
    absl::StrAppend(
        &out, absl::StrFormat("%4d  %-40s [%s]\n", i, step.action, actor_name(t, step.actor)));
    const auto& before = t.steps[i - 1].state;
    for (std::size_t f = 0; f < step.state.size(); ++f) {
      const auto& [name, value] = step.state[f];
      const std::string* old = nullptr;
      if (f < before.size() && before[f].first == name) {
        old = &before[f].second;
      } else {
        for (const auto& b : before) {
          if (b.first == name) old = &b.second;
        }
      }
      if (old == nullptr || *old != value) {
        absl::StrAppend(&out, "        ", name, ": ", old ? *old : "(new)", " -> ", value, "\n");
      }
    }
  }
  return out;
}

std::string render_timeline(const Trace& t) {
  const std::size_t ncols = t.actors.size();
  std::vector<std::size_t> width(ncols);
  for (std::size_t c = 0; c < ncols; ++c) width[c] = t.actors[c].size();
  for (std::size_t i = 1; i < t.steps.size(); ++i) {
    const int a = t.steps[i].actor;
    if (a >= 0 && static_cast<std::size_t>(a) < ncols) {
      width[a] = std::max(width[a], column_label(t.steps[i]).size());
    }
  }
  auto row = [&](const std::string& step, const std::vector<std::string>& cells) {
    std::string line = absl::StrFormat("%5s  ", step);
    for (std::size_t c = 0; c < ncols; ++c) {
      if (c > 0) line += " | ";
      line += cells[c];
      line.append(width[c] - cells[c].size(), ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    return line + "\n";
  };
  std::string out = absl::StrCat("Counterexample: ", trace_headline(t), "\n\n");
  out += row("step", t.actors);
  std::vector<std::string> rule(ncols);
  for (std::size_t c = 0; c < ncols; ++c) rule[c] = std::string(width[c], '-');
  out += row("----", rule);
  for (std::size_t i = 1; i < t.steps.size(); ++i) {
    std::vector<std::string> cells(ncols);
    const int a = t.steps[i].actor;
    if (a >= 0 && static_cast<std::size_t>(a) < ncols) cells[a] = column_label(t.steps[i]);
    out += row(absl::StrCat(i), cells);
  }
  if (t.verdict == "deadlock") {
    absl::StrAppend(&out, "\nDeadlock: no action is enabled and the state is not final.\n");
  } else {
    absl::StrAppend(&out, "\nViolated: ", t.property, "\n");
  }
  absl::StrAppend(&out, "Final state:\n");
  if (!t.steps.empty()) {
    for (const auto& [name, value] : t.steps.back().state) {
      absl::StrAppend(&out, "  ", name, " = ", value, "\n");
    }
  }
  return out;
}

nlohmann::ordered_json trace_to_json(const Trace& t) {
  Json j;
  j["format"] = "mmcheck-trace";
  j["version"] = 1;
  j["spec"] = t.spec;
  j["proposal"] = t.proposal;
  j["memory_model"] = t.memory_model;
  Json params = Json::object();
  for (const auto& [name, value] : t.params) params[name] = value;
  j["params"] = params;
  j["verdict"] = t.verdict;
  j["property"] = t.property.empty() ? Json(nullptr) : Json(t.property);
  j["actors"] = t.actors;
  Json steps = Json::array();
  for (std::size_t i = 0; i < t.steps.size(); ++i) {
    const TraceStep& s = t.steps[i];
    Json step;
    step["step"] = i;
    if (i == 0) {
      step["action"] = nullptr;
      step["family"] = nullptr;
      step["param"] = nullptr;
      step["actor"] = nullptr;
    } else {
      step["action"] = s.action;
      step["family"] = s.family;
      if (s.param_name.empty()) {
        step["param"] = nullptr;
      } else {
        step["param"] = Json{{s.param_name, s.param}};
      }
      step["actor"] = actor_name(t, s.actor);
    }
    Json state = Json::object();
    for (const auto& [name, value] : s.state) state[name] = value;
    step["state"] = state;
    steps.push_back(step);
  }
  j["steps"] = steps;
  return j;
}

std::optional<Trace> trace_from_json(std::string_view text, std::string& error) {
  const Json j = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    error = "not valid JSON";
    return std::nullopt;
  }
  auto fail = [&](const std::string& why) {
    error = why;
    return std::nullopt;
  };
  if (!j.is_object() || !j.contains("format") || j["format"] != "mmcheck-trace") {
    return fail("not an mmcheck trace (\"format\" is not \"mmcheck-trace\")");
  }
  if (!j.contains("version") || j["version"] != 1) return fail("unsupported trace version");
  for (const char* key : {"spec", "proposal", "memory_model", "verdict"}) {
    if (!j.contains(key) || !j[key].is_string()) {
      return fail(absl::StrCat("missing or non-string key \"", key, "\""));
    }
  }
  if (!j.contains("params") || !j["params"].is_object()) return fail("missing object \"params\"");
  if (!j.contains("actors") || !j["actors"].is_array()) return fail("missing array \"actors\"");
  if (!j.contains("steps") || !j["steps"].is_array() || j["steps"].empty()) {
    return fail("missing or empty array \"steps\"");
  }
  Trace t;
  t.spec = j["spec"];
  t.proposal = j["proposal"];
  t.memory_model = j["memory_model"];
  t.verdict = j["verdict"];
  if (j.contains("property") && j["property"].is_string()) t.property = j["property"];
  for (const auto& [name, value] : j["params"].items()) {
    if (!value.is_number_integer())
      return fail(absl::StrCat("param \"", name, "\" is not an integer"));
    t.params.emplace_back(name, value.get<int>());
  }
  for (const auto& actor : j["actors"]) {
    if (!actor.is_string()) return fail("an actor name is not a string");
    t.actors.push_back(actor);
  }
  const Json& steps = j["steps"];
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Json& s = steps[i];
    const std::string where = absl::StrCat("step ", i, ": ");
    if (!s.is_object() || !s.contains("state") || !s["state"].is_object()) {
      return fail(where + "missing object \"state\"");
    }
    TraceStep step;
    for (const auto& [name, value] : s["state"].items()) {
      if (!value.is_string())
        return fail(absl::StrCat(where, "field \"", name, "\" is not a string"));
      step.state.emplace_back(name, value.get<std::string>());
    }
    if (i > 0) {
      if (!s.contains("action") || !s["action"].is_string() || !s.contains("family") ||
          !s["family"].is_string()) {
        return fail(where + "missing string \"action\" or \"family\"");
      }
      step.action = s["action"];
      step.family = s["family"];
      if (s.contains("param") && s["param"].is_object()) {
        if (s["param"].size() != 1 || !s["param"].begin().value().is_number_integer()) {
          return fail(where + "\"param\" must hold one integer");
        }
        step.param_name = s["param"].begin().key();
        step.param = s["param"].begin().value().get<int>();
      }
      if (!s.contains("actor") || !s["actor"].is_string()) return fail(where + "missing \"actor\"");
      const std::string actor = s["actor"];
      const auto it = std::find(t.actors.begin(), t.actors.end(), actor);
      if (it == t.actors.end()) return fail(absl::StrCat(where, "unknown actor \"", actor, "\""));
      step.actor = static_cast<int>(it - t.actors.begin());
    }
    t.steps.push_back(std::move(step));
  }
  return t;
}

std::string render(const Trace& trace, TraceFormat format) {
  switch (format) {
    case TraceFormat::steps:
      return render_steps(trace);
    case TraceFormat::timeline:
      return render_timeline(trace);
    case TraceFormat::json:
      return trace_to_json(trace).dump(2) + "\n";
  }
  return {};
}

}  // namespace mmcheck::report

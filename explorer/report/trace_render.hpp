// File: explorer/report/trace_render.hpp
//
// Counterexample traces: the three renderings (steps, timeline, json) and the
// JSON reader behind `mmcheck trace show` and `trace diff`. Rendering needs
// only the Trace value, not the spec, so a saved trace renders anywhere.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "nlohmann/json.hpp"
#include "registry/registry.hpp"

namespace mmcheck::report {

enum class TraceFormat { steps, timeline, json };

// One line naming what the trace shows, e.g. "pinned_page_never_cowed violated
// after 15 steps (gupfast_fork, proposal unsynchronized, memory model sc,
// gup_cpus=1 attempts=1)".
std::string trace_headline(const Trace& trace);

// Each step's action with its parameters, then only the fields that changed.
std::string render_steps(const Trace& trace);

// One column per actor, one row per step, as interleavings are drawn in mail,
// followed by the violated property and the final state.
std::string render_timeline(const Trace& trace);

nlohmann::ordered_json trace_to_json(const Trace& trace);

// Reads a trace written by trace_to_json. On failure returns nullopt and sets
// `error` to a message naming what is wrong (no file name; callers add it).
std::optional<Trace> trace_from_json(std::string_view text, std::string& error);

std::string render(const Trace& trace, TraceFormat format);

}  // namespace mmcheck::report

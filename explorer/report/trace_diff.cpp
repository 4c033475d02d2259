// File: explorer/report/trace_diff.cpp
#include "report/trace_diff.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "report/trace_render.hpp"

namespace mmcheck::report {
namespace {

// Names of the fields of every state of `t`.
std::set<std::string> field_names(const Trace& t) {
  std::set<std::string> names;
  for (const TraceStep& step : t.steps) {
    for (const auto& [name, value] : step.state) names.insert(name);
  }
  return names;
}

// Fields present in both traces whose values differ, in the order of `a`.
std::vector<std::string> field_changes(const TraceStep& a, const TraceStep& b) {
  std::vector<std::string> out;
  const std::map<std::string, std::string> in_b(b.state.begin(), b.state.end());
  for (const auto& [name, value] : a.state) {
    const auto it = in_b.find(name);
    if (it != in_b.end() && it->second != value) {
      out.push_back(absl::StrCat(name, ": ", value, " | ", it->second));
    }
  }
  return out;
}

std::string only_in(const std::set<std::string>& x, const std::set<std::string>& y) {
  std::vector<std::string> names;
  for (const std::string& n : x) {
    if (!y.contains(n)) names.push_back(n);
  }
  return absl::StrJoin(names, ", ");
}

std::string label(const Trace& t, std::size_t i) {
  return i == 0 ? std::string("(initial state)") : t.steps[i].action;
}

}  // namespace

TraceDiff diff_traces(const Trace& a, const std::string& a_name, const Trace& b,
                      const std::string& b_name) {
  const std::size_t n = a.steps.size();
  const std::size_t m = b.steps.size();
  // lcs[i][j]: longest common subsequence of a.steps[i..] and b.steps[j..]
  // by label; step 0 (the initial state) always aligns with step 0.
  std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
  for (std::size_t i = n; i-- > 1;) {
    for (std::size_t j = m; j-- > 1;) {
      lcs[i][j] = a.steps[i].action == b.steps[j].action ? lcs[i + 1][j + 1] + 1
                                                         : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  TraceDiff diff;
  std::string& out = diff.text;
  absl::StrAppend(&out, "--- ", a_name, ": ", trace_headline(a), "\n");
  absl::StrAppend(&out, "+++ ", b_name, ": ", trace_headline(b), "\n");
  if (a.spec != b.spec) diff.same = false;
  // Fields only one trace has (another spec, more CPUs) are named once here
  // and left out of the per-step comparison.
  const auto names_a = field_names(a);
  const auto names_b = field_names(b);
  const std::string only_a = only_in(names_a, names_b);
  const std::string only_b = only_in(names_b, names_a);
  if (!only_a.empty()) {
    diff.same = false;
    absl::StrAppend(&out, "fields only in ", a_name, ": ", only_a, "\n");
  }
  if (!only_b.empty()) {
    diff.same = false;
    absl::StrAppend(&out, "fields only in ", b_name, ": ", only_b, "\n");
  }
  auto aligned = [&](std::size_t i, std::size_t j) {
    const auto changes = field_changes(a.steps[i], b.steps[j]);
    if (!changes.empty() || i != j) diff.same = false;
    absl::StrAppend(&out, absl::StrFormat("  %4d = %-4d %s\n", i, j, label(a, i)));
    for (const std::string& c : changes) absl::StrAppend(&out, "              ", c, "\n");
  };
  aligned(0, 0);
  std::size_t i = 1, j = 1;
  while (i < n || j < m) {
    if (i < n && j < m && a.steps[i].action == b.steps[j].action) {
      aligned(i++, j++);
    } else if (j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
      diff.same = false;
      absl::StrAppend(&out, absl::StrFormat("- %4d       %s\n", i, label(a, i)));
      ++i;
    } else {
      diff.same = false;
      absl::StrAppend(&out, absl::StrFormat("+      %-4d %s\n", j, label(b, j)));
      ++j;
    }
  }
  absl::StrAppend(&out, diff.same
                            ? "traces are identical\n"
                            : absl::StrFormat("traces differ (%d and %d steps)\n", n - 1, m - 1));
  return diff;
}

}  // namespace mmcheck::report

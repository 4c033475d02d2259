// File: explorer/report/expect.cpp
#include "report/expect.hpp"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "mmcheck/text.hpp"

namespace mmcheck::report {

std::optional<ExpectTable> parse_expect(std::string_view text, std::string_view file,
                                        std::string& error) {
  ExpectTable table;
  int line_no = 0;
  for (absl::string_view raw : absl::StrSplit(av(text), '\n')) {
    ++line_no;
    auto fail = [&](const std::string& why) {
      error = absl::StrCat(av(file), ":", line_no, ": ", why);
      return std::nullopt;
    };
    absl::string_view line = raw.substr(0, raw.find('#'));
    std::vector<std::string> cols = absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (cols.empty()) continue;
    if (table.spec.empty()) {
      if (cols.size() != 2 || cols[0] != "spec") return fail("the first line must be `spec NAME`");
      table.spec = cols[1];
      continue;
    }
    if (cols.size() != 7) {
      return fail(
          absl::StrCat("expected 7 columns (size proposal model params verdict "
                       "distinct trace), got ",
                       cols.size()));
    }
    ExpectRow row;
    row.line = line_no;
    row.size = cols[0];
    if (row.size != "small" && row.size != "large") return fail("size must be small or large");
    row.proposal = cols[1];
    row.memory_model = cols[2];
    if (cols[3] != "-") {
      for (absl::string_view kv : absl::StrSplit(cols[3], ',')) {
        std::pair<std::string, std::string> p = absl::StrSplit(kv, absl::MaxSplits('=', 1));
        int value = 0;
        if (p.first.empty() || !absl::SimpleAtoi(p.second, &value)) {
          return fail(absl::StrCat("bad parameter `", kv, "`: NAME=VALUE expected"));
        }
        row.params.emplace_back(p.first, value);
      }
    }
    const std::string& v = cols[4];
    if (v == "holds" || v == "deadlock") {
      row.verdict = v;
    } else if (absl::StartsWith(v, "violates:") && v.size() > 9) {
      row.verdict = "violated";
      row.property = v.substr(9);
    } else if (absl::StartsWith(v, "unreached:") && v.size() > 10) {
      row.verdict = "unreached";
      row.property = v.substr(10);
    } else {
      return fail(absl::StrCat("bad verdict `", v,
                               "`: holds, deadlock, violates:PROPERTY or unreached:PROPERTY"));
    }
    if (cols[5] != "-") {
      std::uint64_t n = 0;
      if (!absl::SimpleAtoi(cols[5], &n)) return fail("distinct must be a number or -");
      row.distinct = n;
    }
    if (cols[6] != "-") row.trace = cols[6];
    table.rows.push_back(std::move(row));
  }
  if (table.spec.empty()) {
    error = absl::StrCat(av(file), ": empty table (no `spec NAME` line)");
    return std::nullopt;
  }
  return table;
}

}  // namespace mmcheck::report

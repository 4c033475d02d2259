// File: include/mmcheck/text.hpp
//
// Debian's Abseil 20220623 keeps absl::string_view a type of its own
// (ABSL_OPTION_USE_STD_STRING_VIEW=0), so absl::StrCat and absl::StrJoin do
// not accept std::string_view, which the project's interfaces use. These two
// adapters bridge the gap.
#pragma once

#include <string>
#include <string_view>

#include "absl/strings/string_view.h"

namespace mmcheck {

// A std::string_view as an absl::string_view, for absl::StrCat arguments.
inline absl::string_view av(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// Joins any range of things convertible to std::string_view.
template <typename Range>
std::string join(const Range& range, std::string_view separator) {
  std::string out;
  bool first = true;
  for (const auto& item : range) {
    if (!first) out.append(separator);
    first = false;
    out.append(std::string_view(item));
  }
  return out;
}

}  // namespace mmcheck

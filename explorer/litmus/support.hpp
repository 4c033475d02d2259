// File: explorer/litmus/support.hpp
//
// check_supported(): decides whether a parsed Test stays inside the subset the
// mmcheck litmus explorer handles, and if not names the first offending
// construct with its location: `unsupported: <construct> at FILE:LINE`.
//
// Reported as unsupported: architectures other than "C"; functions not named
// P0..Pn in order; loops (while, do, for), goto, labels, break, continue,
// return; arrays (declarations, initialiser lists, indexing); member access;
// calls of names that are not kernel primitives (primitives.hpp); known but
// unmodelled primitives (SRCU, spin_unlock_wait); primitive calls with the
// wrong number of arguments; primitives without a value used as a value.
//
// What this does not do: type checking, undeclared-register detection, or
// anything about the final condition beyond what the parser enforces.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "litmus/ast.hpp"

namespace mmcheck::litmus {

struct Unsupported {
  std::string construct;  // e.g. "while loop", "unknown primitive 'kfree'"
  std::string file;
  SourceLoc loc;
  // "unsupported: <construct> at FILE:LINE"
  std::string to_string() const;
};

struct SupportResult {
  std::optional<Unsupported> issue;  // first issue in source order, if any
  bool ok() const { return !issue.has_value(); }
  // "OK" or issue->to_string().
  std::string to_string() const;
};

// Every unsupported construct of `test`, in source order.
std::vector<Unsupported> find_unsupported(const Test& test);

// The first unsupported construct of `test`, if any.
SupportResult check_supported(const Test& test);

}  // namespace mmcheck::litmus

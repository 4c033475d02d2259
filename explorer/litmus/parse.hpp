// File: explorer/litmus/parse.hpp
//
// Public entry points of the C-litmus parser: text (or a file) in, either a
// Test (ast.hpp) or a ParseError out. The parser never throws: every failure,
// including unreadable files and internal limits, comes back as a ParseError
// whose to_string() is `FILE:LINE:COL: message`.
//
// Accepted language: the LKMM / herd7 "C" litmus format described in
// shared/docs/litmus-format.md, parsed generously: loops, goto, labels,
// return, arrays, casts and calls of any name are accepted syntactically so
// that check_supported() (support.hpp) can report them with a location instead
// of the parser failing. Files whose architecture word is not "C" (LISA, PPC,
// ...) are accepted with only the header and the Result comment parsed; their
// body is not looked at.
//
// What this does not do: semantic analysis (undeclared registers, primitive
// arity: see support.hpp), execution, or preprocessing.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "litmus/ast.hpp"

namespace mmcheck::litmus {

struct ParseError {
  std::string file;
  int line = 0;  // 1-based; 0 only for "cannot read file"
  int col = 0;   // 1-based; 0 only for "cannot read file"
  std::string message;
  // "FILE:LINE:COL: message" (or "FILE: message" when line is 0).
  std::string to_string() const;
};

struct ParseResult {
  std::optional<Test> test;         // set on success
  std::optional<ParseError> error;  // set on failure
  bool ok() const { return test.has_value(); }
};

// Limits that keep hostile input cheap: nesting depth (parentheses, blocks,
// OCaml comments) and input size.
inline constexpr int kMaxNestingDepth = 256;
inline constexpr size_t kMaxInputBytes = 16u << 20;

// Parses one litmus test. `filename` is only used in diagnostics and stored
// in Test::filename.
ParseResult parse_litmus(std::string_view text, std::string_view filename);

// Reads `path` and parses it (filename in diagnostics = path).
ParseResult parse_litmus_file(const std::string& path);

// Extracts the expected verdict from the first line matching the kernel
// judging regex `^[( ]\* Result: ` (tools/memory-model/scripts/judgelitmus.sh).
ExpectedResult extract_expected_result(std::string_view text);

}  // namespace mmcheck::litmus

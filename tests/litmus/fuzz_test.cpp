// File: tests/litmus/fuzz_test.cpp
//
// Deterministic mutation fuzzing of the parser: 20,000 mutants (fixed seed)
// of real tests (every 23rd corpus file plus all kernel tests; three inline
// tests when the corpus is absent), made by byte flips, truncations,
// deletions, duplications and insertions of litmus-significant fragments.
// Every mutant must yield exactly one of a Test or a ParseError whose
// location lies inside the input and whose text is `FILE:LINE:COL: message`;
// parsed mutants are also run through check_supported() and to_string().
// A time budget catches hangs (pathological slowness); crashes and UB are
// caught by running this under -fsanitize=address,undefined.
//
// What this does not do: check that a mutant's AST is "right".
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <random>
#include <string>

#include "corpus_util.hpp"
#include "litmus/parse.hpp"
#include "litmus/support.hpp"

namespace mmcheck::litmus {
namespace {

constexpr std::string_view kInlineSeeds[] = {
    R"(C MP
(* Result: Never *)
{ int x = 0; int *p = &x; 0:r1 = 2; }
P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_store_release(y, 1); }
P1(int *x, int *y) { int r0; int r1 = smp_load_acquire(y); if (r1 == 1) { r0 = READ_ONCE(*x); } else { r0 = -1; } }
locations [x; 1:r0]
filter (1:r1=1)
exists (1:r1=1 /\ ~(1:r0=0 \/ x!=1))
)",
    R"(C SB
{}
P0(int *x, int *y) { int r0; WRITE_ONCE(*x, 1); smp_mb(); r0 = READ_ONCE(*y); }
P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); smp_mb(); r0 = READ_ONCE(*x); }
exists (0:r0=0 /\ 1:r0=0)
)",
    R"(C LB
"doc string"
Cycle=Rfe PodRW
{ atomic_t v = ATOMIC_INIT(1); }
P0(int *x, int *y, atomic_t *v) { int r0 = READ_ONCE(*x); (void)atomic_add_unless(v, 1, 0); while (r0) r0--; WRITE_ONCE(*y, r0 ? 1 : 2); }
P1(int *x, int *y) { int r0 = READ_ONCE(*y); /* c */ smp_mb(); // d
  WRITE_ONCE(*x, 1); }
forall (0:r0=1 /\ 1:r0=1) ;
)",
};

constexpr std::string_view kFragments[] = {
    "(*",
    "*)",
    "/*",
    "*/",
    "//",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ";",
    ",",
    "\"",
    "/\\",
    "\\/",
    "~",
    "exists",
    "forall",
    "filter",
    "locations",
    "P0(",
    "P1(int *x)",
    "0:",
    "if (",
    "else",
    "while",
    "goto l;",
    "*",
    "&",
    "=",
    "==",
    "\n",
    "\t",
    "0x",
    "99999999999999999999",
    "\xff",
    "\0",
    "READ_ONCE(",
    "int ",
    "ATOMIC_INIT(",
    "->",
    "?",
    ":",
};

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  // Uniform enough for fuzzing, and identical on every standard library
  // (std::uniform_int_distribution is implementation-defined).
  size_t below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(engine_() % n); }

 private:
  std::mt19937_64 engine_;
};

std::string mutate(std::string s, Rng& rng) {
  int rounds = 1 + static_cast<int>(rng.below(4));
  for (int i = 0; i < rounds; ++i) {
    size_t n = s.size();
    switch (rng.below(6)) {
      case 0:  // byte flip
        if (n > 0) s[rng.below(n)] = static_cast<char>(rng.below(256));
        break;
      case 1:  // bit flip
        if (n > 0) s[rng.below(n)] ^= static_cast<char>(1u << rng.below(8));
        break;
      case 2:  // truncation
        s.resize(rng.below(n + 1));
        break;
      case 3: {  // deletion of a short range
        size_t at = rng.below(n + 1);
        s.erase(at, 1 + rng.below(16));
        break;
      }
      case 4: {  // duplication of a range
        size_t at = rng.below(n + 1);
        size_t len = std::min(n - at, 1 + rng.below(64));
        std::string piece = s.substr(at, len);
        s.insert(rng.below(s.size() + 1), piece);
        break;
      }
      default: {  // insertion of a significant fragment
        std::string_view frag = kFragments[rng.below(std::size(kFragments))];
        if (frag.empty()) frag = std::string_view("\0", 1);
        s.insert(rng.below(n + 1), frag);
        break;
      }
    }
  }
  return s;
}

// Number of lines and the length of each (for location checks).
std::vector<size_t> line_lengths(const std::string& s) {
  std::vector<size_t> out(1, 0);
  for (char c : s) {
    if (c == '\n') {
      out.push_back(0);
    } else {
      ++out.back();
    }
  }
  return out;
}

TEST(LitmusFuzz, MutantsNeverCrashAndErrorsHaveLocations) {
  std::vector<std::string> seeds;
  if (test_corpus::corpus_available()) {
    const auto& entries = test_corpus::corpus();
    for (size_t i = 0; i < entries.size(); ++i) {
      if (i % 23 == 0 || entries[i].file.rfind("linux/", 0) == 0) seeds.push_back(entries[i].text);
    }
  }
  for (std::string_view s : kInlineSeeds) seeds.emplace_back(s);
  ASSERT_FALSE(seeds.empty());

  constexpr int kMutations = 20000;
  Rng rng(0x6d6d636865636bULL);  // "mmcheck"
  int parsed = 0;
  int errors = 0;
  int unsupported = 0;
  auto start = std::chrono::steady_clock::now();
  double worst_ms = 0;
  for (int i = 0; i < kMutations; ++i) {
    const std::string& seed = seeds[rng.below(seeds.size())];
    std::string text = mutate(seed, rng);
    auto t0 = std::chrono::steady_clock::now();
    ParseResult r = parse_litmus(text, "mutant.litmus");
    worst_ms = std::max(
        worst_ms,
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    ASSERT_NE(r.test.has_value(), r.error.has_value()) << "mutant " << i;
    if (r.ok()) {
      ++parsed;
      SupportResult s = check_supported(*r.test);
      if (!s.ok()) {
        ++unsupported;
        ASSERT_EQ(s.to_string().rfind("unsupported: ", 0), 0u);
      }
      for (const Process& p : r.test->processes) ASSERT_FALSE(to_string(p).empty());
      if (r.test->condition) (void)to_string(r.test->condition->prop);
      continue;
    }
    ++errors;
    const ParseError& e = *r.error;
    std::vector<size_t> lines = line_lengths(text);
    ASSERT_GE(e.line, 1) << "mutant " << i << ": " << e.to_string();
    ASSERT_LE(static_cast<size_t>(e.line), lines.size()) << "mutant " << i << ": " << e.to_string();
    ASSERT_GE(e.col, 1) << "mutant " << i << ": " << e.to_string();
    ASSERT_LE(static_cast<size_t>(e.col), lines[static_cast<size_t>(e.line) - 1] + 1)
        << "mutant " << i << ": " << e.to_string();
    ASSERT_FALSE(e.message.empty());
    ASSERT_EQ(e.to_string(), "mutant.litmus:" + std::to_string(e.line) + ":" +
                                 std::to_string(e.col) + ": " + e.message);
  }
  double total_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[ fuzz     ] " << kMutations << " mutants of " << seeds.size()
            << " seeds: parsed=" << parsed << " (unsupported=" << unsupported
            << ") errors=" << errors << " in " << total_s << " s (worst " << worst_ms << " ms)\n";
  EXPECT_EQ(parsed + errors, kMutations);
  // Mutation must actually exercise both outcomes.
  EXPECT_GT(parsed, kMutations / 20);
  EXPECT_GT(errors, kMutations / 4);
  // Hang guard: generous, sanitizer builds included.
  EXPECT_LT(worst_ms, 2000.0);
}

}  // namespace
}  // namespace mmcheck::litmus

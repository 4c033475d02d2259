// File: tests/litmus/support_test.cpp
//
// Tests of check_supported() / find_unsupported(): each unsupported construct
// is reported as `unsupported: <construct> at FILE:LINE`, the first one in
// source order wins, and ordinary LKMM tests come back "OK".
//
// What this does not cover: parsing details (parse_test.cpp).
#include "litmus/support.hpp"

#include <gtest/gtest.h>

#include <string>

#include "litmus/parse.hpp"

namespace mmcheck::litmus {
namespace {

std::string support_of(std::string_view text) {
  ParseResult r = parse_litmus(text, "s.litmus");
  EXPECT_TRUE(r.ok()) << (r.error ? r.error->to_string() : "");
  if (!r.ok()) return "<parse error>";
  return check_supported(*r.test).to_string();
}

std::string body(std::string_view stmts, std::string_view params = "int *x, int *y") {
  return "C t\n{}\nP0(" + std::string(params) + ")\n{\n" + std::string(stmts) + "}\nexists (x=1)\n";
}

TEST(LitmusSupport, OrdinaryTestsAreOk) {
  EXPECT_EQ(support_of(body("\tint r0;\n\tr0 = READ_ONCE(*x);\n\tsmp_mb();\n"
                            "\tif (r0 == 1) { WRITE_ONCE(*y, 1); }\n")),
            "OK");
  EXPECT_EQ(support_of(body("\tint r0 = cmpxchg_release(x, 0, 1);\n\tspin_lock(s);\n"
                            "\tspin_unlock(s);\n\t(void)atomic_add_unless(v, 1, 0);\n"
                            "\trcu_read_lock();\n\tr0 = rcu_dereference(*x);\n"
                            "\trcu_read_unlock();\n\tsynchronize_rcu();\n",
                            "int *x, spinlock_t *s, atomic_t *v")),
            "OK");
}

TEST(LitmusSupport, LoopsGotoAndFriends) {
  EXPECT_EQ(support_of(body("\tint r0;\n\twhile (READ_ONCE(*x) == 0)\n\t\t;\n")),
            "unsupported: while loop at s.litmus:6");
  EXPECT_EQ(support_of(body("\tint r0;\n\tdo { r0 = 1; } while (0);\n")),
            "unsupported: do-while loop at s.litmus:6");
  EXPECT_EQ(support_of(body("\tint i;\n\tfor (i = 0; i < 2; i++) smp_mb();\n")),
            "unsupported: for loop at s.litmus:6");
  EXPECT_EQ(support_of(body("\tgoto out;\nout:\n\tsmp_mb();\n")),
            "unsupported: goto at s.litmus:5");
  EXPECT_EQ(support_of(body("\treturn;\n")), "unsupported: return at s.litmus:5");
  EXPECT_EQ(support_of(body("\tint a[2];\n")), "unsupported: array 'a' at s.litmus:5");
  EXPECT_EQ(support_of(body("\tint r0 = x->next;\n")),
            "unsupported: member access '->next' at s.litmus:5");
}

TEST(LitmusSupport, Calls) {
  EXPECT_EQ(support_of(body("\tsmp_mb();\n\tsmp_memb();\n")),
            "unsupported: unknown primitive 'smp_memb' at s.litmus:6");
  EXPECT_EQ(support_of(body("\tint r0;\n\tr0 = srcu_read_lock(s);\n\tsrcu_read_unlock(s, r0);\n",
                            "struct srcu_struct *s")),
            "unsupported: SRCU primitive 'srcu_read_lock' at s.litmus:6");
  EXPECT_EQ(support_of(body("\tspin_unlock_wait(s);\n", "spinlock_t *s")),
            "unsupported: unmodelled primitive 'spin_unlock_wait' at s.litmus:5");
  EXPECT_EQ(support_of(body("\tWRITE_ONCE(*x);\n")),
            "unsupported: 'WRITE_ONCE' with 1 argument (expects 2) at s.litmus:5");
  EXPECT_EQ(support_of(body("\tint r0;\n\tr0 = smp_mb();\n")),
            "unsupported: 'smp_mb' used as a value at s.litmus:6");
  // Nested unknown call inside a known one is still found.
  EXPECT_EQ(support_of(body("\tWRITE_ONCE(*x, helper(1));\n")),
            "unsupported: unknown primitive 'helper' at s.litmus:5");
}

TEST(LitmusSupport, FunctionsAndArchitecture) {
  EXPECT_EQ(support_of("C t\n{}\nP0(int *x) { }\nhelper(int *x) { }\nexists (x=1)\n"),
            "unsupported: function 'helper' (threads must be named P0..Pn) at s.litmus:4");
  EXPECT_EQ(support_of("C t\n{}\nP0(int *x) { }\nP2(int *x) { }\nexists (x=1)\n"),
            "unsupported: thread P2 out of order (expected P1) at s.litmus:4");
  EXPECT_EQ(support_of("PPC t\n{ 0:r2=x; }\n P0 ;\n lwz r1,0(r2) ;\nexists (0:r1=1)\n"),
            "unsupported: architecture 'PPC' at s.litmus:1");
  EXPECT_EQ(support_of("C t\n{ int a[2] = {1, 2}; }\nP0(int *x) { }\nexists (x=1)\n"),
            "unsupported: array 'a' at s.litmus:2");
}

TEST(LitmusSupport, AllIssuesInSourceOrder) {
  ParseResult r = parse_litmus(
      body("\tint r0;\n\twhile (r0) { foo(); }\n\tgoto l;\n\tsynchronize_srcu(s);\n"), "s.litmus");
  ASSERT_TRUE(r.ok());
  std::vector<Unsupported> all = find_unsupported(*r.test);
  std::vector<std::string> lines;
  for (const Unsupported& u : all) lines.push_back(u.to_string());
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "unsupported: while loop at s.litmus:6",
                       "unsupported: unknown primitive 'foo' at s.litmus:6",
                       "unsupported: goto at s.litmus:7",
                       "unsupported: SRCU primitive 'synchronize_srcu' at s.litmus:8",
                   }));
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[1].loc.col, 15);
  EXPECT_EQ(all[1].file, "s.litmus");
}

}  // namespace
}  // namespace mmcheck::litmus

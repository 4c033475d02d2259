// File: tests/litmus/errors_test.cpp
//
// Malformed input: every case pins the exact `FILE:LINE:COL: message` string
// returned by parse_litmus(), and checks that no Test is returned alongside
// the error. Covers missing braces, bad conditions, unterminated comments and
// strings, unknown characters, empty and truncated files, bad literals,
// nesting limits and unreadable files.
//
// What this does not cover: constructs that parse but are unsupported
// (support_test.cpp).
#include <gtest/gtest.h>

#include <string>

#include "litmus/parse.hpp"

namespace mmcheck::litmus {
namespace {

std::string error_of(std::string_view text) {
  ParseResult r = parse_litmus(text, "bad.litmus");
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.test.has_value());
  if (!r.error) return "<parsed>";
  EXPECT_GT(r.error->line, 0);
  EXPECT_GT(r.error->col, 0);
  return r.error->to_string();
}

constexpr std::string_view kGood = R"(C good
{
	int x;
}

P0(int *x)
{
	WRITE_ONCE(*x, 1);
}

exists (x=1)
)";

TEST(LitmusErrors, BaselineParses) {
  ParseResult r = parse_litmus(kGood, "good.litmus");
  ASSERT_TRUE(r.ok()) << r.error->to_string();
}

TEST(LitmusErrors, EmptyFile) {
  EXPECT_EQ(error_of(""), "bad.litmus:1:1: empty file: expected an architecture word such as 'C'");
  EXPECT_EQ(error_of("\n  \n\t"),
            "bad.litmus:3:2: empty file: expected an architecture word such as 'C'");
  EXPECT_EQ(error_of("(* only a comment *)\n"),
            "bad.litmus:2:1: empty file: expected an architecture word such as 'C'");
}

TEST(LitmusErrors, HeaderProblems) {
  EXPECT_EQ(error_of("C\n{}\n"), "bad.litmus:1:2: missing test name after the architecture word");
  EXPECT_EQ(error_of("{ x = 1; }\n"),
            "bad.litmus:1:1: expected an architecture word such as 'C', found '{'");
  EXPECT_EQ(error_of("C t\nC again\n{}\n"),
            "bad.litmus:2:1: expected '{' to start the init block, found 'C'");
}

TEST(LitmusErrors, MissingBraces) {
  // Thread body never closed: it runs into the condition or the next function.
  EXPECT_EQ(error_of("C t\n{}\nP0(int *x)\n{\n\tWRITE_ONCE(*x, 1);\n\nexists (x=1)\n"),
            "bad.litmus:7:1: expected '}' to close the body of P0 before 'exists'");
  EXPECT_EQ(error_of("C t\n{}\nP0(int *x)\n{\n\tWRITE_ONCE(*x, 1);\nP1(int *x)\n{\n}\n"),
            "bad.litmus:6:1: expected '}' to close the body of P0 before 'P1'");
  // Body without its opening brace.
  EXPECT_EQ(error_of("C t\n{}\nP0(int *x)\n\tWRITE_ONCE(*x, 1);\n}\n"),
            "bad.litmus:4:2: expected '{' to start the body of P0, found 'WRITE_ONCE'");
  // Init block never closed.
  EXPECT_EQ(error_of("C t\n{\n\tint x;\n\nP0(int *x)\n{\n}\n"),
            "bad.litmus:5:3: expected ';' or '}' in the init block, found '('");
  // Block inside a body never closed, at end of file.
  EXPECT_EQ(error_of("C t\n{}\nP0(int *x)\n{\n\tif (1) {\n\t\tWRITE_ONCE(*x, 1);\n}\n"),
            "bad.litmus:8:1: expected '}' to close the body of P0, found end of file");
}

TEST(LitmusErrors, BadExistsClause) {
  EXPECT_EQ(error_of("C t\n{}\nP0(int *x) { }\nexists (x)\n"),
            "bad.litmus:4:10: expected '=' or '!=' in the condition, found ')'");
  EXPECT_EQ(error_of("C t\n{}\nP0(int *x) { }\nexists (0:r0=1 /\\ )\n"),
            "bad.litmus:4:19: expected a register (N:reg), a location or an integer in the "
            "condition, found ')'");
  EXPECT_EQ(error_of("C t\n{}\nP0(int *x) { }\nexists (0:r0=1\n"),
            "bad.litmus:5:1: expected ')' to close the parenthesised condition, found end of "
            "file");
  EXPECT_EQ(error_of("C t\n{}\nP0(int *x) { }\nexists (0:=1)\n"),
            "bad.litmus:4:11: expected a register name after 'N:', found '='");
  EXPECT_EQ(error_of("C t\n{}\nP0(int *x) { }\nexists (x=1) exists (x=2)\n"),
            "bad.litmus:4:14: unexpected 'exists' after the final condition");
  EXPECT_EQ(error_of("C t\n{}\nP0(int *x) { }\n~forall (x=1)\n"),
            "bad.litmus:4:2: expected 'exists' after '~', found 'forall'");
  EXPECT_EQ(error_of("C t\n{}\nP0(int *x) { }\nexists (x=1 && x=2)\n"),
            "bad.litmus:4:13: expected ')' to close the parenthesised condition, found '&&'");
}

TEST(LitmusErrors, UnterminatedComment) {
  EXPECT_EQ(error_of("C t\n(* Result: Never\n{}\n"), "bad.litmus:2:1: unterminated comment");
  EXPECT_EQ(error_of("C t\n(* outer (* inner *)\n{}\n"), "bad.litmus:2:1: unterminated comment");
  EXPECT_EQ(error_of("C t\n{}\nP0(int *x)\n{\n\t/* never closed\n}\n"),
            "bad.litmus:5:2: unterminated comment");
  EXPECT_EQ(error_of("C t\n\"doc string\n{}\n"), "bad.litmus:2:1: unterminated string literal");
}

TEST(LitmusErrors, UnknownToken) {
  EXPECT_EQ(error_of("C t\n{}\nP0(int *x)\n{\n\tWRITE_ONCE(*x, 1) @;\n}\n"),
            "bad.litmus:5:20: unexpected character '@'");
  EXPECT_EQ(error_of("C t\n{}\nP0(int *x)\n{\n\tr0 = 1 \\/ 2;\n}\n"),
            "bad.litmus:5:9: unexpected character '\\'");
  EXPECT_EQ(error_of(std::string("C t\n{ x = 1; }\n\x01")),
            "bad.litmus:3:1: unexpected character '\\x01'");
  EXPECT_EQ(error_of("C t\n{}\nP0(int *x)\n{\n\tr0 = 12ab;\n}\n"),
            "bad.litmus:5:7: malformed integer literal");
  EXPECT_EQ(error_of("C t\n{ x = 99999999999999999999; }\n"),
            "bad.litmus:2:7: integer literal out of range");
  EXPECT_EQ(error_of("C t\n{}\nP0(int *x)\n{\n\tr0 = 09;\n}\n"),
            "bad.litmus:5:7: malformed integer literal");
}

TEST(LitmusErrors, StatementProblems) {
  EXPECT_EQ(error_of("C t\n{}\nP0(int *x)\n{\n\telse r0 = 1;\n}\n"),
            "bad.litmus:5:2: 'else' without a matching 'if'");
  EXPECT_EQ(error_of("C t\n{}\nP0(int *x)\n{\n\tswitch (r0) { }\n}\n"),
            "bad.litmus:5:2: 'switch' statements are not supported");
  EXPECT_EQ(error_of("C t\n{}\nP0(int *x)\n{\n\tr0 = ;\n}\n"),
            "bad.litmus:5:7: expected an expression, found ';'");
  EXPECT_EQ(error_of("C t\n{}\nP0(int *x)\n{\n\tWRITE_ONCE(*x, 1,);\n}\n"),
            "bad.litmus:5:19: expected an argument, found ')'");
  EXPECT_EQ(error_of("C t\n{}\nP0(int *x)\n{\n\t(*r0)(1);\n}\n"),
            "bad.litmus:5:7: only named functions can be called");
  EXPECT_EQ(error_of("C t\n{}\nP0(int *x)\n{\n\tint;\n}\n"),
            "bad.litmus:5:2: expected a declaration (type followed by a name), found 'int'");
}

TEST(LitmusErrors, TruncatedFile) {
  const std::string good(kGood);
  // Cut in the middle of the thread body, of the condition, of the init block.
  EXPECT_EQ(error_of(good.substr(0, good.find("(*x, 1)") + 4)),
            "bad.litmus:8:16: expected an expression, found end of file");
  EXPECT_EQ(error_of(good.substr(0, good.find("(*x, 1)") + 6)),
            "bad.litmus:8:18: expected ',' or ')' in the arguments of WRITE_ONCE, found end of "
            "file");
  EXPECT_EQ(error_of(good.substr(0, good.find("(x=1)") + 3)),
            "bad.litmus:11:11: expected a register (N:reg), a location or an integer in the "
            "condition, found end of file");
  EXPECT_EQ(error_of(good.substr(0, good.find("int x"))),
            "bad.litmus:3:2: expected a location name in the init block, found end of file");
  EXPECT_EQ(error_of("C t\n{}\nP0(int *x"),
            "bad.litmus:3:10: expected ')' to close the parameter list, found end of file");
}

TEST(LitmusErrors, NestingLimit) {
  std::string deep = "C t\n{}\nP0(int *x)\n{\n\tr0 = ";
  deep += std::string(5000, '(');
  deep += "1";
  deep += std::string(5000, ')');
  deep += ";\n}\n";
  std::string msg = error_of(deep);
  EXPECT_TRUE(msg.find(": nesting too deep") != std::string::npos) << msg;
  EXPECT_EQ(msg.rfind("bad.litmus:5:", 0), 0u) << msg;

  // Long left-associative and postfix chains build deep trees too.
  const std::pair<std::string, std::string> chains[] = {{"1", " + 1"}, {"r0", "++"}, {"a", "[0]"}};
  for (const auto& [head, piece] : chains) {
    std::string chain = "C t\n{}\nP0(int *x)\n{\n\tr0 = " + head;
    for (int i = 0; i < 100000; ++i) chain += piece;
    chain += ";\n}\n";
    msg = error_of(chain);
    EXPECT_TRUE(msg.find(": nesting too deep") != std::string::npos) << msg.substr(0, 200);
  }
  std::string ok_chain = "C t\n{}\nP0(int *x)\n{\n\tr0 = ";
  for (int i = 0; i < 100; ++i) ok_chain += "1 + ";
  ok_chain += "1;\n}\nexists (x=0)\n";
  EXPECT_TRUE(parse_litmus(ok_chain, "ok.litmus").ok());

  std::string deep_prop = "C t\n{}\nP0(int *x) { }\nexists " + std::string(5000, '~') + "x=1\n";
  msg = error_of(deep_prop);
  EXPECT_TRUE(msg.find(": nesting too deep") != std::string::npos) << msg;
}

TEST(LitmusErrors, UnreadableFile) {
  ParseResult r = parse_litmus_file("/nonexistent/dir/x.litmus");
  ASSERT_FALSE(r.ok());
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->to_string(), "/nonexistent/dir/x.litmus: cannot open file");
}

}  // namespace
}  // namespace mmcheck::litmus

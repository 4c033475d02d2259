// File: tests/trace_test.cpp
//
// Trace rendering and the JSON reader: exact renderings of a small trace,
// round trips, and the error for each kind of malformed trace file.
#include "gtest/gtest.h"
#include "report/trace_render.hpp"
#include "test_util.hpp"

namespace mmcheck {
namespace {

using testing::run;

RunReport chain_to_bad() {
  return run("toy_graph", "deterministic", {{"shape", 0}, {"n", 10}, {"bad", 2}});
}

TEST(Trace, StepsRendering) {
  const RunReport r = chain_to_bad();
  ASSERT_TRUE(r.trace);
  EXPECT_EQ(report::render_steps(*r.trace),
            "Counterexample: never_bad violated after 2 steps (toy_graph, proposal deterministic, "
            "memory model sc, shape=0 n=10 degree=2 seed=0 bad=2 target=-1 sinks_final=1)\n"
            "\n"
            "   0  initial state\n"
            "        node = 0\n"
            "   1  edge(i=0)                                [walker]\n"
            "        node: 0 -> 1\n"
            "   2  edge(i=0)                                [walker]\n"
            "        node: 1 -> 2\n");
}

TEST(Trace, TimelineRendering) {
  const RunReport r = chain_to_bad();
  EXPECT_EQ(report::render_timeline(*r.trace),
            "Counterexample: never_bad violated after 2 steps (toy_graph, proposal deterministic, "
            "memory model sc, shape=0 n=10 degree=2 seed=0 bad=2 target=-1 sinks_final=1)\n"
            "\n"
            " step  walker\n"
            " ----  ---------\n"
            "    1  edge(i=0)\n"
            "    2  edge(i=0)\n"
            "\n"
            "Violated: never_bad\n"
            "Final state:\n"
            "  node = 2\n");
}

TEST(Trace, JsonRoundTripRendersIdentically) {
  const RunReport r = run("gupfast_fork", "unsynchronized", {{"gup_cpus", 2}});
  ASSERT_TRUE(r.trace);
  std::string error;
  const auto back = report::trace_from_json(report::trace_to_json(*r.trace).dump(2), error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(report::render_steps(*back), report::render_steps(*r.trace));
  EXPECT_EQ(report::render_timeline(*back), report::render_timeline(*r.trace));
  EXPECT_EQ(report::trace_to_json(*back), report::trace_to_json(*r.trace));
}

TEST(Trace, GoldenTraceOfUnsynchronizedIsCurrent) {
  const RunReport r = run("gupfast_fork", "unsynchronized", {{"gup_cpus", 1}, {"attempts", 1}});
  ASSERT_TRUE(r.trace);
  EXPECT_EQ(
      report::trace_to_json(*r.trace).dump(2) + "\n",
      testing::read_file(MMCHECK_SOURCE_DIR "/results/gupfast_fork/unsynchronized.sc.trace.json"));
}

std::string parse_error(const std::string& text) {
  std::string error;
  EXPECT_FALSE(report::trace_from_json(text, error));
  return error;
}

TEST(Trace, MalformedFilesAreRejectedWithAReason) {
  EXPECT_EQ(parse_error(""), "not valid JSON");
  EXPECT_EQ(parse_error("{\"format\": \"mmcheck-trace\""), "not valid JSON");
  EXPECT_EQ(parse_error("[1, 2]"), "not an mmcheck trace (\"format\" is not \"mmcheck-trace\")");
  EXPECT_EQ(parse_error(R"({"format": "mmcheck-trace", "version": 7})"),
            "unsupported trace version");
  EXPECT_EQ(parse_error(R"({"format": "mmcheck-trace", "version": 1, "spec": "s"})"),
            "missing or non-string key \"proposal\"");
  const std::string head =
      R"({"format": "mmcheck-trace", "version": 1, "spec": "s", "proposal": "p",
          "memory_model": "sc", "verdict": "violated", "params": {}, "actors": ["a"], )";
  EXPECT_EQ(parse_error(head + R"("steps": []})"), "missing or empty array \"steps\"");
  EXPECT_EQ(parse_error(head + R"("steps": [{"state": {"x": 1}}]})"),
            "step 0: field \"x\" is not a string");
  EXPECT_EQ(parse_error(head + R"("steps": [{"state": {}}, {"state": {}}]})"),
            "step 1: missing string \"action\" or \"family\"");
  EXPECT_EQ(parse_error(head + R"("steps": [{"state": {}}, {"state": {}, "action": "f",
            "family": "f", "param": null, "actor": "b"}]})"),
            "step 1: unknown actor \"b\"");
}

}  // namespace
}  // namespace mmcheck

// File: tests/expect_test.cpp
//
// Runs every `small` row of every expectation table (properties/*/*.expect)
// and compares verdict, property, distinct-state count and golden trace.
#include "report/expect.hpp"

#include <filesystem>

#include "gtest/gtest.h"
#include "report/trace_render.hpp"
#include "test_util.hpp"

namespace mmcheck {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> expect_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(MMCHECK_SOURCE_DIR "/properties")) {
    if (entry.path().extension() == ".expect") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(Expect, EverySmallRowMatches) {
  const auto files = expect_files();
  ASSERT_GE(files.size(), 2u);
  int rows = 0;
  for (const fs::path& file : files) {
    std::string error;
    const auto table = report::parse_expect(testing::read_file(file), file.string(), error);
    ASSERT_TRUE(table) << error;
    for (const report::ExpectRow& row : table->rows) {
      if (row.size != "small") continue;
      ++rows;
      SCOPED_TRACE(file.string() + ":" + std::to_string(row.line));
      const RunReport r =
          testing::run(table->spec, row.proposal, row.params, 2, false, row.memory_model);
      EXPECT_EQ(r.proposal, row.proposal);
      EXPECT_EQ(verdict_name(r.verdict), row.verdict);
      if (!row.property.empty()) {
        EXPECT_EQ(r.property, row.property);
      }
      if (row.distinct) {
        EXPECT_EQ(r.distinct_states, *row.distinct);
      }
      if (!row.trace.empty()) {
        ASSERT_TRUE(r.trace);
        EXPECT_EQ(report::trace_to_json(*r.trace).dump(2) + "\n",
                  testing::read_file(std::string(MMCHECK_SOURCE_DIR) + "/" + row.trace));
      }
    }
  }
  EXPECT_GE(rows, 14);
}

TEST(Expect, ParseErrorsNameTheLine) {
  std::string error;
  EXPECT_FALSE(report::parse_expect("small a sc - holds - -\n", "f.expect", error));
  EXPECT_EQ(error, "f.expect:1: the first line must be `spec NAME`");
  EXPECT_FALSE(report::parse_expect("spec s\nsmall a sc - holds -\n", "f.expect", error));
  EXPECT_EQ(error,
            "f.expect:2: expected 7 columns (size proposal model params verdict distinct trace), "
            "got 6");
  EXPECT_FALSE(report::parse_expect("spec s\nsmall a sc - broken - -\n", "f.expect", error));
  EXPECT_EQ(error,
            "f.expect:2: bad verdict `broken`: holds, deadlock, violates:PROPERTY or "
            "unreached:PROPERTY");
  EXPECT_FALSE(report::parse_expect("spec s\nsmall a sc n=x holds - -\n", "f.expect", error));
  EXPECT_EQ(error, "f.expect:2: bad parameter `n=x`: NAME=VALUE expected");
  EXPECT_FALSE(report::parse_expect("# only a comment\n", "f.expect", error));
  EXPECT_EQ(error, "f.expect: empty table (no `spec NAME` line)");
  const auto ok = report::parse_expect("spec s # c\nsmall a sc n=1,m=2 violates:p 12 t.json\n",
                                       "f.expect", error);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->rows[0].params.size(), 2u);
  EXPECT_EQ(ok->rows[0].verdict, "violated");
  EXPECT_EQ(ok->rows[0].property, "p");
  EXPECT_EQ(*ok->rows[0].distinct, 12u);
}

}  // namespace
}  // namespace mmcheck

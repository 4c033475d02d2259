// File: explorer/engine/state_store.hpp
//
// The visited set: 256 shards, each an append-only arena of states plus an
// Abseil flat_hash_set of 32-bit indices into that arena. A state's shard is
// chosen by the top 8 bits of its stable fingerprint (XXH3-64 with a fixed
// seed over the state's bytes), so the assignment is the same in every process
// and for every thread count; absl::Hash is never used (it is seeded per
// process).
//
// Each shard is owned by one task at a time during the merge phase (LTSmin's
// owner-by-hash), so no locks are needed. The set holds indices, not states:
// flat_hash_set moves its elements on rehash, the arena never does, so an
// index (and the 32-bit StateId built from it) stays valid for the whole run.
//
// Per state the store keeps only the state: no parent link, no action id.
// Arenas are filled level by level, so the explorer knows each state's BFS
// depth from per-level arena boundaries, and it rebuilds a counterexample by a
// backward search over the previous level (docs/internals.md). This keeps the
// exact store at sizeof(State) bytes per state plus the hash index (about
// 5 bytes per slot at absl's load factor of 7/16 to 7/8).
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

#include "absl/container/flat_hash_set.h"
#define XXH_INLINE_ALL  // inline XXH3: the fingerprint is on the hot path
#include "xxhash.h"

namespace mmcheck::engine {

using StateId = std::uint32_t;  // shard (8 bits) | index within the shard (24 bits)
inline constexpr int kShardBits = 8;
inline constexpr int kShards = 1 << kShardBits;
inline constexpr int kLocalBits = 32 - kShardBits;
inline constexpr std::uint32_t kMaxLocal = (1u << kLocalBits) - 1;  // last value reserved

inline constexpr StateId make_id(int shard, std::uint32_t local) {
  return (static_cast<std::uint32_t>(shard) << kLocalBits) | local;
}
inline constexpr int shard_of_id(StateId id) { return static_cast<int>(id >> kLocalBits); }
inline constexpr std::uint32_t local_of_id(StateId id) { return id & ((1u << kLocalBits) - 1); }

// Stable 64-bit fingerprint of a state's bytes. The seed is fixed forever:
// changing it changes shard assignment, hence frontier order and traces.
inline constexpr std::uint64_t kFingerprintSeed = 0x6d6d636865636b31ull;  // "mmcheck1"

template <typename State>
inline std::uint64_t fingerprint(const State& s) {
  return XXH3_64bits_withSeed(&s, sizeof(State), kFingerprintSeed);
}
inline int shard_of_fingerprint(std::uint64_t fp) {
  return static_cast<int>(fp >> (64 - kShardBits));
}

// An append-only vector in fixed-size chunks: elements never move, growth
// never copies, and untouched chunk pages are not resident.
template <typename T>
class ChunkedVector {
 public:
  static constexpr int kChunkBits = 14;
  static constexpr std::size_t kChunk = std::size_t{1} << kChunkBits;

  std::size_t size() const { return size_; }
  const T& operator[](std::size_t i) const { return chunks_[i >> kChunkBits][i & (kChunk - 1)]; }
  T& operator[](std::size_t i) { return chunks_[i >> kChunkBits][i & (kChunk - 1)]; }
  void push_back(const T& value) {
    if ((size_ & (kChunk - 1)) == 0 && (size_ >> kChunkBits) == chunks_.size()) {
      chunks_.push_back(std::make_unique_for_overwrite<T[]>(kChunk));
    }
    (*this)[size_++] = value;
  }

 private:
  std::vector<std::unique_ptr<T[]>> chunks_;
  std::size_t size_ = 0;
};

template <typename State>
class Shard {
 public:
  // A lookup key that carries its precomputed hash.
  struct Probe {
    const State* state;
    std::uint64_t hash;
  };

  static constexpr bool kExact = true;

  Shard() : set_(0, Hash{&states_}, Eq{&states_}) {}
  Shard(const Shard&) = delete;
  Shard& operator=(const Shard&) = delete;

  std::size_t size() const { return states_.size(); }
  const State& state(std::uint32_t local) const { return states_[local]; }

  // Inserts `s` unless present. Returns the local index of the new state, or
  // kMaxLocal when it was already present. Throws std::length_error when the
  // shard is full.
  std::uint32_t insert(const State& s, std::uint64_t hash) {
    // Checked before the set claims a slot, so a full shard stays consistent.
    if (states_.size() >= kMaxLocal) throw std::length_error("state store shard full");
    std::uint32_t added = kMaxLocal;
    set_.lazy_emplace(Probe{&s, hash}, [&](const auto& construct) {
      added = static_cast<std::uint32_t>(states_.size());
      states_.push_back(s);
      construct(added);
    });
    return added;
  }

  // Starts loading the cache lines an insert of `s` will probe first.
  void prefetch(const State& s, std::uint64_t hash) const { set_.prefetch(Probe{&s, hash}); }

  bool contains(const State& s, std::uint64_t hash) const {
    return set_.find(Probe{&s, hash}) != set_.end();
  }

  // The store keeps every state in memory: nothing to do at a level's end.
  void seal() {}
  State load(std::uint32_t local) const { return states_[local]; }
  // fn(state) for the states [begin, end).
  template <typename F>
  void for_each(std::uint32_t begin, std::uint32_t end, F&& fn) const {
    for (std::uint32_t i = begin; i < end; ++i) fn(states_[i]);
  }

 private:
  struct Hash {
    using is_transparent = void;
    const ChunkedVector<State>* states;
    std::size_t operator()(std::uint32_t i) const { return fingerprint((*states)[i]); }
    std::size_t operator()(const Probe& p) const { return p.hash; }
  };
  struct Eq {
    using is_transparent = void;
    const ChunkedVector<State>* states;
    static bool same(const State& a, const State& b) {
      return std::memcmp(&a, &b, sizeof(State)) == 0;
    }
    bool operator()(std::uint32_t a, std::uint32_t b) const {
      return same((*states)[a], (*states)[b]);
    }
    bool operator()(std::uint32_t a, const Probe& b) const { return same((*states)[a], *b.state); }
    bool operator()(const Probe& a, std::uint32_t b) const { return same(*a.state, (*states)[b]); }
  };

  ChunkedVector<State> states_;
  absl::flat_hash_set<std::uint32_t, Hash, Eq> set_;
};

}  // namespace mmcheck::engine

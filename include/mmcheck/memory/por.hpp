// File: include/mmcheck/memory/por.hpp
//
// Partial-order reduction (--por, docs/internals.md) for specs on
// memory::Machine. Footprint bits 0 .. Machine::kLocs-1 are the memory
// locations; a spec numbers its own resources (spec-level words, "this
// actor's program counter" for visibility) above them.
//
// Declared for sc and tso. There a step's memory footprint is the locations
// its primitives read and write (a store is counted as writing its location
// at once, although under tso it goes to the CPU's buffer first: a superset),
// and the commits of a CPU's buffered stores (mem.commit) are steps of that
// CPU's actor writing their locations. Under relaxed and lkmm, views,
// frontiers and their canonicalisation couple the CPUs (a view that becomes
// relevant again reads the newest value, a propagation may retire another
// CPU), so specs declare every step dependent there: `--por` then explores
// the full graph (no reduction, same counts).
#pragma once

#include <cstdint>

#include "mmcheck/spec.hpp"

namespace mmcheck::memory {

template <typename Machine>
struct Por {
  static constexpr bool kSupported = !Machine::kViews;

  static constexpr std::uint64_t loc(int l) { return std::uint64_t{1} << l; }

  // A step that reads and writes `r` (an RMW, a lock, a read-modify-write of
  // a spec-level field).
  static void rmw(Footprint& f, std::uint64_t r) {
    f.reads |= r;
    f.writes |= r;
  }

  // The locations the CPU's buffered stores will write when they commit.
  static std::uint64_t buffered(const typename Machine::Mem& m, int cpu) {
    std::uint64_t w = 0;
    if constexpr (Machine::kBuffered) {
      for (int i = 0; i < m.sb_n[cpu]; ++i) w |= loc(m.sb_loc[cpu][i]);
    }
    (void)m, (void)cpu;
    return w;
  }

  // A CPU's footprint `f` (next or future steps) with its pending commits;
  // everything where reduction is not declared.
  static Footprint cpu(Footprint f, const typename Machine::Mem& m, int cpu) {
    if constexpr (!kSupported) {
      (void)f, (void)m, (void)cpu;
      return Footprint::everything();
    } else {
      const std::uint64_t b = buffered(m, cpu);
      f.reads |= b;
      f.writes |= b;
      return f;
    }
  }
};

}  // namespace mmcheck::memory

// File: include/mmcheck/packed.hpp
//
// Bit fields inside one 64-bit word, for specs whose state must be as small as
// possible (the explorer stores sizeof(State) bytes per state). A field is a
// compile-time (offset, width) pair; an array field adds a stride. Values are
// unsigned and must fit the width: set() checks it and throws SpecError, so a
// layout that is too narrow for a parameter is reported, not silently wrapped.
#pragma once

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "mmcheck/spec.hpp"

namespace mmcheck {

template <int Offset, int Width>
struct Bits {
  static_assert(Offset >= 0 && Width > 0 && Offset + Width <= 64);
  static constexpr std::uint64_t kMask = (Width == 64) ? ~0ull : ((1ull << Width) - 1);
  static constexpr std::uint64_t kMax = kMask;

  static constexpr unsigned get(std::uint64_t word) {
    return static_cast<unsigned>((word >> Offset) & kMask);
  }
  static void set(std::uint64_t& word, std::uint64_t value) {
    if (value > kMask) {
      throw SpecError(absl::StrCat("value ", value, " does not fit a ", Width, "-bit field"));
    }
    word = (word & ~(kMask << Offset)) | (value << Offset);
  }
};

// Element i of an array of Width-bit fields starting at Offset, Stride bits apart.
template <int Offset, int Width, int Stride, int Count>
struct BitsArray {
  static_assert(Offset + Stride * (Count - 1) + Width <= 64);
  static constexpr std::uint64_t kMask = (1ull << Width) - 1;
  static constexpr int size = Count;

  static constexpr unsigned get(std::uint64_t word, int i) {
    return static_cast<unsigned>((word >> (Offset + Stride * i)) & kMask);
  }
  static void set(std::uint64_t& word, int i, std::uint64_t value) {
    if (value > kMask) {
      throw SpecError(absl::StrCat("value ", value, " does not fit a ", Width, "-bit field"));
    }
    const int shift = Offset + Stride * i;
    word = (word & ~(kMask << shift)) | (value << shift);
  }
};

}  // namespace mmcheck

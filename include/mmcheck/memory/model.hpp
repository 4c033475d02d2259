// File: include/mmcheck/memory/model.hpp
//
// The memory models a spec can be explored under, selected with
// `--memory-model`, and their documented strength order
//   sc ⊑ tso ⊑ relaxed ⊑ lkmm
// ("⊑": every execution the left model allows, the right one allows too, so a
// violation found under a stronger model is found under every weaker one).
// docs/memory-model.md has the operation x model table.
//
// What this header does not do: define the machine (memory/machine.hpp).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace mmcheck::memory {

enum class Model : std::uint8_t {
  sc,       // loads and stores hit memory directly
  tso,      // FIFO store buffer with forwarding (x86)
  relaxed,  // non-FIFO store buffers + invalidate queues, multi-copy atomic
  lkmm,     // relaxed + non-multi-copy-atomic propagation (reserved; see docs)
};

inline constexpr std::array<std::string_view, 4> kModelNames = {"sc", "tso", "relaxed", "lkmm"};

constexpr std::string_view model_name(Model m) { return kModelNames[static_cast<int>(m)]; }

constexpr std::optional<Model> parse_model(std::string_view name) {
  for (std::size_t i = 0; i < kModelNames.size(); ++i) {
    if (kModelNames[i] == name) return static_cast<Model>(i);
  }
  return std::nullopt;
}

// True when `strong` allows no more executions than `weak`.
constexpr bool at_least_as_strong(Model strong, Model weak) {
  return static_cast<int>(strong) <= static_cast<int>(weak);
}

}  // namespace mmcheck::memory

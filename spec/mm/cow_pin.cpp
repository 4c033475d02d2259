// File: spec/mm/cow_pin.cpp
// Placeholder until the spec lands: registers nothing.
#include "registry/registry.hpp"

namespace mmcheck {
void register_cow_pin(Registry&) {}
}  // namespace mmcheck

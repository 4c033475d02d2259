// File: spec/mm/wp_reuse.cpp
// Placeholder until the spec lands: registers nothing.
#include "registry/registry.hpp"

namespace mmcheck {
void register_wp_reuse(Registry&) {}
}  // namespace mmcheck

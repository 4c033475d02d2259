// File: spec/mm/compound_head.cpp
// Placeholder until the spec lands: registers nothing.
#include "registry/registry.hpp"

namespace mmcheck {
void register_compound_head(Registry&) {}
}  // namespace mmcheck

// File: spec/mm/pin_mkclean.cpp
// Placeholder until the spec lands: registers nothing.
#include "registry/registry.hpp"

namespace mmcheck {
void register_pin_mkclean(Registry&) {}
}  // namespace mmcheck

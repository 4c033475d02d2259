// File: spec/toy/toy_specs.cpp
#include "registry/adapter.hpp"
#include "spec/toy/toy_graph.hpp"

namespace mmcheck {
void register_toy_graph(Registry& r) { r.add(make_spec_entry<toy::ToyGraph>()); }
}  // namespace mmcheck

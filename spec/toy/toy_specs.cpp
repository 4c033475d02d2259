// File: spec/toy/toy_specs.cpp
#include "registry/adapter.hpp"
#include "spec/toy/toy_graph.hpp"
#include "spec/toy/toy_por.hpp"

namespace mmcheck {
void register_toy_graph(Registry& r) {
  r.add(make_spec_entry<toy::ToyGraph>());
  r.add(make_spec_entry<toy::ToyPor>());
}
}  // namespace mmcheck

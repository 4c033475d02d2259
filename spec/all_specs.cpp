// File: spec/all_specs.cpp
//
// The explicit list of every spec the tool knows, in the order `mmcheck list`
// prints them. Adding a spec = one declaration and one line below.
#include "registry/registry.hpp"

namespace mmcheck {

void register_gupfast_fork(Registry&);
void register_bench_gupfork(Registry&);
void register_toy_graph(Registry&);

const Registry& all_specs() {
  static const Registry registry = [] {
    Registry r;
    register_gupfast_fork(r);
    register_bench_gupfork(r);
    register_toy_graph(r);
    return r;
  }();
  return registry;
}

}  // namespace mmcheck

// File: spec/all_specs.cpp
//
// The explicit list of every spec the tool knows, in the order `mmcheck list`
// prints them. Adding a spec = one declaration and one line below.
#include "registry/registry.hpp"

namespace mmcheck {

void register_gupfast_fork(Registry&);
void register_pin_mkclean(Registry&);
void register_compound_head(Registry&);
void register_cow_pin(Registry&);
void register_wp_reuse(Registry&);
void register_bench_gupfork(Registry&);
void register_toy_graph(Registry&);

const Registry& all_specs() {
  static const Registry registry = [] {
    Registry r;
    register_pin_mkclean(r);    // protocols.md §A (2019)
    register_compound_head(r);  // §B (2015)
    register_cow_pin(r);        // §C (2020-21)
    register_wp_reuse(r);       // §D (2008)
    register_gupfast_fork(r);   // §E (2021-22)
    register_bench_gupfork(r);
    register_toy_graph(r);
    return r;
  }();
  return registry;
}

}  // namespace mmcheck

// File: explorer/registry/models.hpp
//
// Registers a spec written once as a template over the memory model
// (`template <memory::Model M> struct MySpec`) as ONE SpecEntry whose run()
// dispatches on request.config.memory_model to run_spec<MySpec<M>>.
// SpecEntry.memory_models lists sc, tso, relaxed and lkmm.
//
//   registry.add(make_model_spec_entry<gupfast_fork::Spec>());
#pragma once

#include <string>

#include "mmcheck/memory/model.hpp"
#include "registry/adapter.hpp"

namespace mmcheck {

template <template <memory::Model> class Spec>
RunReport run_by_model(const RunRequest& request) {
  const auto m = memory::parse_model(request.config.memory_model);
  if (!m) throw UsageError("unknown memory model '" + request.config.memory_model + "'");
  switch (*m) {
    case memory::Model::sc:
      return run_spec<Spec<memory::Model::sc>>(request);
    case memory::Model::tso:
      return run_spec<Spec<memory::Model::tso>>(request);
    case memory::Model::relaxed:
      return run_spec<Spec<memory::Model::relaxed>>(request);
    case memory::Model::lkmm:
      return run_spec<Spec<memory::Model::lkmm>>(request);
  }
  throw UsageError("unknown memory model");
}

template <template <memory::Model> class Spec>
SpecEntry make_model_spec_entry() {
  SpecEntry entry = make_spec_entry<Spec<memory::Model::sc>>({"sc", "tso", "relaxed", "lkmm"});
  entry.run = &run_by_model<Spec>;
  return entry;
}

}  // namespace mmcheck

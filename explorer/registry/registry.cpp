// File: explorer/registry/registry.cpp
#include "registry/registry.hpp"

#include "mmcheck/text.hpp"

namespace mmcheck {

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::holds:
      return "holds";
    case Verdict::violated:
      return "violated";
    case Verdict::unreached:
      return "unreached";
    case Verdict::deadlock:
      return "deadlock";
    case Verdict::incomplete:
      return "incomplete";
  }
  return "?";
}

// The exit codes documented in docs/cli.md.
int exit_code_for(Verdict v) {
  switch (v) {
    case Verdict::holds:
      return 0;
    case Verdict::violated:
      return 10;
    case Verdict::unreached:
      return 11;
    case Verdict::deadlock:
      return 12;
    case Verdict::incomplete:
      return 13;
  }
  return 1;
}

void Registry::add(SpecEntry entry) { entries_.push_back(std::move(entry)); }

const SpecEntry* Registry::find(std::string_view name) const {
  for (const SpecEntry& e : entries_) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

std::string Registry::names() const {
  std::vector<std::string_view> names;
  for (const SpecEntry& e : entries_) names.push_back(e.name);
  return join(names, ", ");
}

}  // namespace mmcheck

// File: explorer/engine/resources.hpp
//
// Process resource readings used for limits and reports: resident set size
// now (from /proc/self/statm, cheap enough to poll) and its peak (getrusage).
#pragma once

#include <cstdint>

namespace mmcheck::engine {

std::uint64_t current_rss_bytes();
std::uint64_t peak_rss_bytes();

}  // namespace mmcheck::engine

// File: explorer/engine/parallel.hpp
//
// The explorer's only parallel primitives: a pool of `threads` workers, a
// parallel loop over [0, n) with dynamic load balancing (one index at a
// time), and per-worker storage indexed by the worker running the body.
//
// Two backends with the same semantics:
//   - oneTBB (default): a task_arena of `threads` slots; tbb::parallel_for
//     with a simple partitioner and grain 1; the worker index is the arena
//     slot (tbb::this_task_arena::current_thread_index()).
//   - std::thread (MMCHECK_STD_THREADS, used by the TSan build): every loop
//     starts threads-1 std::threads and joins them. Debian's libtbb is not
//     instrumented, so ThreadSanitizer cannot see TBB's happens-before edges
//     and reports hundreds of false races (shared/docs/deps-and-limits.md);
//     with std::thread it sees every edge and checks the engine's own code.
// Exceptions thrown by a body (e.g. SpecError from a spec's effect) stop the
// loop early and are rethrown by parallel_for on the calling thread.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <utility>
#include <vector>

#ifdef MMCHECK_STD_THREADS
#include <thread>
#else
#include "tbb/blocked_range.h"
#include "tbb/parallel_for.h"
#include "tbb/partitioner.h"
#include "tbb/task_arena.h"
#endif

namespace mmcheck::engine {

class Pool {
 public:
  explicit Pool(int threads)
      : threads_(std::max(1, threads))
#ifndef MMCHECK_STD_THREADS
        ,
        arena_(threads_)
#endif
  {
  }
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  int threads() const { return threads_; }

  // Runs `body` so that parallel_for calls inside it use this pool.
  template <typename F>
  void run(F&& body) {
#ifdef MMCHECK_STD_THREADS
    body();
#else
    arena_.execute(std::forward<F>(body));
#endif
  }

  // fn(i) for every i in [0, n), in parallel; call from inside run().
  template <typename F>
  void parallel_for(std::size_t n, const F& fn) {
#ifdef MMCHECK_STD_THREADS
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex error_mu;
    auto work = [&](int worker) {
      worker_slot() = worker;
      try {
        for (std::size_t i; !failed.load() && (i = next.fetch_add(1)) < n;) fn(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mu);
        if (!error) error = std::current_exception();
        failed = true;
      }
    };
    const int extra = static_cast<int>(std::min<std::size_t>(threads_, n)) - 1;
    std::vector<std::thread> helpers;
    for (int w = 1; w <= extra; ++w) helpers.emplace_back(work, w);
    const int saved = worker_slot();
    work(0);
    worker_slot() = saved;
    for (std::thread& t : helpers) t.join();
    if (error) std::rethrow_exception(error);
#else
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, n, 1),
        [&](const tbb::blocked_range<std::size_t>& r) {
          for (std::size_t i = r.begin(); i != r.end(); ++i) fn(i);
        },
        tbb::simple_partitioner());
#endif
  }

  // The index in [0, threads()) of the worker running the current body.
  static int worker() {
#ifdef MMCHECK_STD_THREADS
    return worker_slot();
#else
    const int i = tbb::this_task_arena::current_thread_index();
    return i < 0 ? 0 : i;
#endif
  }

 private:
#ifdef MMCHECK_STD_THREADS
  static int& worker_slot() {
    thread_local int slot = 0;
    return slot;
  }
#endif
  int threads_;
#ifndef MMCHECK_STD_THREADS
  tbb::task_arena arena_;
#endif
};

// One T per worker of a pool; local() is the calling worker's.
template <typename T>
class PerWorker {
 public:
  void reset(int threads) { slots_.assign(static_cast<std::size_t>(std::max(1, threads)), T{}); }
  T& local() { return slots_[static_cast<std::size_t>(Pool::worker())]; }
  auto begin() { return slots_.begin(); }
  auto end() { return slots_.end(); }
  auto begin() const { return slots_.begin(); }
  auto end() const { return slots_.end(); }

 private:
  std::vector<T> slots_;
};

}  // namespace mmcheck::engine

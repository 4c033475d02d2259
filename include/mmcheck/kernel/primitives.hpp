// File: include/mmcheck/kernel/primitives.hpp
//
// Linux kernel concurrency primitives over the memory component
// (memory/machine.hpp), as guard/effect pairs a spec's action calls: the
// guard (`can_*`) says whether the primitive may execute now (barriers wait
// for the store buffer, locks for the lock word), the effect performs it and
// returns the value the kernel call returns. Each effect is one atomic step
// of the spec; a primitive that the kernel implements as a sequence (e.g.
// smp_store_mb = store + smp_mb) is split into steps the spec sequences.
//
// Ordering classes (shared/docs/memory-model.md §1, docs/memory-model.md):
//   READ_ONCE/WRITE_ONCE, atomic_read/atomic_set, set_bit/clear_bit,
//   atomic_inc/add/... (non-value-returning), *_relaxed RMWs,
//   failed cmpxchg, failed spin_trylock                 unordered
//   smp_load_acquire, *_acquire RMWs, spin_lock          acquire
//   smp_store_release, *_release RMWs, spin_unlock       release
//   xchg, cmpxchg (success), atomic_*_return, fetch_*,
//   test_and_{set,clear}_bit, smp_mb, smp_mb__*          full
//   READ_ONCE through a pointer read from memory         applies the invalidate
//                                                        queue first (address dependency)
// Flags sharing one kernel word share one location: bit `nr` of the word.
//
// What this header does not do: schedule the environment steps
// (memory/environment.hpp) or know about pages, PTEs or any protocol.
#pragma once

#include <cstdint>

#include "mmcheck/memory/machine.hpp"

namespace mmcheck::kernel {

using memory::Ord;

template <typename Machine>
struct Kernel {
  using Mem = typename Machine::Mem;
  using V = std::int32_t;

  // ---- marked accesses -----------------------------------------------------
  static V read_once(const Mem& m, int cpu, int loc) { return Machine::load(m, cpu, loc); }
  // READ_ONCE(*p) where p was loaded from memory: address dependency.
  static V read_once_dep(Mem& m, int cpu, int loc) {
    Machine::rmb(m, cpu);
    return Machine::load(m, cpu, loc);
  }
  static bool can_write_once(const Mem& m, int cpu) { return Machine::can_store(m, cpu); }
  static void write_once(Mem& m, int cpu, int loc, V v) { Machine::store(m, cpu, loc, v); }
  static V load_acquire(Mem& m, int cpu, int loc) {
    const V v = Machine::load(m, cpu, loc);
    Machine::rmb(m, cpu);
    return v;
  }
  static bool can_store_release(const Mem& m, int cpu) { return Machine::can_store(m, cpu); }
  // Under lkmm A-cumulative for this store only (Machine::store_release).
  static void store_release(Mem& m, int cpu, int loc, V v) {
    Machine::store_release(m, cpu, loc, v);
  }

  // ---- barriers ------------------------------------------------------------
  static bool can_smp_mb(const Mem& m, int cpu) { return Machine::can_mb(m, cpu); }
  static void smp_mb(Mem& m, int cpu) { Machine::mb(m, cpu); }
  static void smp_rmb(Mem& m, int cpu) { Machine::rmb(m, cpu); }
  static void smp_wmb(Mem& m, int cpu) { Machine::wmb(m, cpu); }
  // smp_mb__before_atomic / __after_atomic / __after_spinlock: full barriers.
  static bool can_smp_mb__after_atomic(const Mem& m, int cpu) { return can_smp_mb(m, cpu); }

  // ---- atomic_t and other RMWs ---------------------------------------------
  static bool can_rmw(const Mem& m, int cpu, int loc, Ord ord) {
    return Machine::can_rmw(m, cpu, loc, ord);
  }
  // Applies `op(old)` atomically; returns the old value.
  template <typename Op>
  static V rmw(Mem& m, int cpu, int loc, Ord ord, Op op) {
    const V old = Machine::rmw_read(m, loc);
    Machine::rmw_write(m, cpu, loc, op(old), ord);
    return old;
  }
  static V atomic_read(const Mem& m, int cpu, int loc) { return read_once(m, cpu, loc); }
  static void atomic_set(Mem& m, int cpu, int loc, V v) { write_once(m, cpu, loc, v); }
  // atomic_inc / atomic_add: unordered.
  static void atomic_add(Mem& m, int cpu, int loc, V d) {
    rmw(m, cpu, loc, Ord::relaxed, [d](V x) { return x + d; });
  }
  // atomic_add_return: fully ordered; returns the new value.
  static V atomic_add_return(Mem& m, int cpu, int loc, V d) {
    return rmw(m, cpu, loc, Ord::full, [d](V x) { return x + d; }) + d;
  }
  static V xchg(Mem& m, int cpu, int loc, V v, Ord ord = Ord::full) {
    return rmw(m, cpu, loc, ord, [v](V) { return v; });
  }
  // cmpxchg: two alternatives. Failure is an unordered read that sees a value
  // other than `expected` (LKMM: a failed cmpxchg orders nothing); success
  // needs the newest value to be `expected` and the ordering of `ord`.
  static bool can_cmpxchg_fail(const Mem& m, int cpu, int loc, V expected) {
    return Machine::load(m, cpu, loc) != expected;
  }
  static V cmpxchg_fail(const Mem& m, int cpu, int loc) { return Machine::load(m, cpu, loc); }
  static bool can_cmpxchg_succeed(const Mem& m, int cpu, int loc, V expected, Ord ord) {
    return Machine::can_rmw(m, cpu, loc, ord) && Machine::rmw_read(m, loc) == expected;
  }
  static V cmpxchg_succeed(Mem& m, int cpu, int loc, V desired, Ord ord) {
    return rmw(m, cpu, loc, ord, [desired](V) { return desired; });
  }

  // ---- bitops on a flags word ----------------------------------------------
  static V bit(int nr) { return static_cast<V>(1u << nr); }
  static bool can_set_bit(const Mem& m, int cpu, int loc) {
    return Machine::can_rmw(m, cpu, loc, Ord::relaxed);
  }
  static void set_bit(Mem& m, int cpu, int nr, int loc) {
    rmw(m, cpu, loc, Ord::relaxed, [nr](V x) { return x | bit(nr); });
  }
  static void clear_bit(Mem& m, int cpu, int nr, int loc) {
    rmw(m, cpu, loc, Ord::relaxed, [nr](V x) { return x & ~bit(nr); });
  }
  static bool can_test_and_set_bit(const Mem& m, int cpu, int loc) {
    return Machine::can_rmw(m, cpu, loc, Ord::full);
  }
  static bool test_and_set_bit(Mem& m, int cpu, int nr, int loc) {
    return (rmw(m, cpu, loc, Ord::full, [nr](V x) { return x | bit(nr); }) & bit(nr)) != 0;
  }
  static bool test_and_clear_bit(Mem& m, int cpu, int nr, int loc) {
    return (rmw(m, cpu, loc, Ord::full, [nr](V x) { return x & ~bit(nr); }) & bit(nr)) != 0;
  }
  // test_and_set_bit_lock (lock_page / TestSetPageLocked / trylock_page since
  // 2.6.24): ACQUIRE on success; on failure (bit already set) it writes
  // nothing and orders nothing. Returns the old bit.
  static bool can_test_and_set_bit_lock(const Mem& m, int cpu, int loc) {
    return Machine::can_rmw(m, cpu, loc, Ord::acquire);
  }
  static bool test_and_set_bit_lock(Mem& m, int cpu, int nr, int loc) {
    const V old = Machine::rmw_read(m, loc);
    if ((old & bit(nr)) != 0) return true;
    Machine::rmw_write(m, cpu, loc, old | bit(nr), Ord::acquire);
    return false;
  }
  // clear_bit_unlock (unlock_page): RELEASE.
  static bool can_clear_bit_unlock(const Mem& m, int cpu, int loc) {
    return Machine::can_rmw(m, cpu, loc, Ord::release);
  }
  static void clear_bit_unlock(Mem& m, int cpu, int nr, int loc) {
    rmw(m, cpu, loc, Ord::release, [nr](V x) { return x & ~bit(nr); });
  }
  static bool test_bit(const Mem& m, int cpu, int nr, int loc) {
    return (read_once(m, cpu, loc) & bit(nr)) != 0;
  }
  // __SetPageFoo / __ClearPageFoo: non-atomic read-modify-write: reads the
  // CPU's view, buffers the store; a concurrent set_bit can be lost.
  static bool can_nonatomic_rmw(const Mem& m, int cpu) { return Machine::can_store(m, cpu); }
  static void nonatomic_set_bit(Mem& m, int cpu, int nr, int loc) {
    Machine::store(m, cpu, loc, read_once(m, cpu, loc) | bit(nr));
  }
  static void nonatomic_clear_bit(Mem& m, int cpu, int nr, int loc) {
    Machine::store(m, cpu, loc, read_once(m, cpu, loc) & ~bit(nr));
  }

  // ---- spinlocks (lock word: 0 free, 1 held) ---------------------------------
  static bool can_spin_lock(const Mem& m, int cpu, int loc) {
    return Machine::sb_empty(m, cpu) && Machine::can_rmw(m, cpu, loc, Ord::acquire) &&
           Machine::rmw_read(m, loc) == 0;
  }
  // Acquire RMW; under lkmm the acquisition is also A-cumulative for the
  // critical section's stores (LKMM's po-unlock-lock-po cumul-fence): they
  // reach another CPU only after what had reached this one.
  static void spin_lock(Mem& m, int cpu, int loc) {
    xchg(m, cpu, loc, 1, Ord::acquire);
    Machine::lock_fence(m, cpu, loc);
  }
  static bool can_spin_unlock(const Mem& m, int cpu) { return can_store_release(m, cpu); }
  static void spin_unlock(Mem& m, int cpu, int loc) { Machine::unlock(m, cpu, loc); }
  // spin_trylock failure: an unordered read of a held lock.
  static bool can_spin_trylock_fail(const Mem& m, int cpu, int loc) {
    return read_once(m, cpu, loc) != 0;
  }
  static bool spin_is_locked(const Mem& m, int cpu, int loc) { return read_once(m, cpu, loc) != 0; }

  // ---- seqcount --------------------------------------------------------------
  // write_seqcount_begin: seq++ then smp_wmb; write_seqcount_end: smp_wmb then seq++.
  // The writer knows its own sequence value (it is the only writer).
  static bool can_write_seqcount(const Mem& m, int cpu) { return Machine::can_store(m, cpu); }
  static void write_seqcount_begin(Mem& m, int cpu, int loc) {
    Machine::store(m, cpu, loc, read_once(m, cpu, loc) + 1);
    Machine::wmb(m, cpu);
  }
  static void write_seqcount_end(Mem& m, int cpu, int loc) {
    Machine::wmb(m, cpu);
    Machine::store(m, cpu, loc, read_once(m, cpu, loc) + 1);
  }
  // read_seqcount_begin: waits for an even value, then smp_rmb.
  static bool can_read_seqcount_begin(const Mem& m, int cpu, int loc) {
    return (read_once(m, cpu, loc) & 1) == 0;
  }
  static V read_seqcount_begin(Mem& m, int cpu, int loc) { return load_acquire(m, cpu, loc); }
  // read_seqcount_retry: smp_rmb then compare.
  static bool read_seqcount_retry(Mem& m, int cpu, int loc, V start) {
    Machine::rmb(m, cpu);
    return read_once(m, cpu, loc) != start;
  }
};

}  // namespace mmcheck::kernel

// File: explorer/litmus/primitives.hpp
//
// The table of kernel primitives a litmus thread may call (the callable part
// of tools/memory-model/linux-kernel.def plus a few historical names), keyed
// by name. The parser keeps calls generic (Expr of kind kCall); this table
// says what a name means: its kind (load, store, RMW, fence, lock, RCU, ...),
// its ordering class, its arity, which argument names the memory location and
// whether that argument is written as an lvalue (`READ_ONCE(*x)`) or as a
// pointer (`smp_load_acquire(x)`).
//
// Families are expanded when the table is built: xchg/cmpxchg/try_cmpxchg and
// atomic_{xchg,cmpxchg,*_return,fetch_*} with the "", _relaxed, _acquire and
// _release suffixes; atomic_{add,sub,inc,dec,and,or,xor,andnot}, *_and_test,
// atomic_add_unless, atomic_read/atomic_set, ...
//
// What this does not do: give the primitives a semantics (that belongs to
// the memory models in the explorer) or check calls (support.hpp does).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mmcheck::litmus {

enum class PrimitiveKind {
  kLoad,            // READ_ONCE, smp_load_acquire, rcu_dereference, atomic_read
  kStore,           // WRITE_ONCE, smp_store_release, rcu_assign_pointer, atomic_set
  kRmw,             // xchg*, cmpxchg*, atomic_* read-modify-writes
  kFence,           // smp_mb, smp_rmb, smp_wmb, barrier, smp_mb__*
  kLock,            // spin_lock
  kUnlock,          // spin_unlock
  kTrylock,         // spin_trylock (returns 1 on success)
  kLockQuery,       // spin_is_locked, spin_unlock_wait
  kRcuReadLock,     // rcu_read_lock
  kRcuReadUnlock,   // rcu_read_unlock
  kRcuSync,         // synchronize_rcu, synchronize_rcu_expedited
  kSrcuReadLock,    // srcu_read_lock, srcu_down_read
  kSrcuReadUnlock,  // srcu_read_unlock, srcu_up_read
  kSrcuSync,        // synchronize_srcu, synchronize_srcu_expedited
};

enum class OrderingClass {
  kNone,               // no ordering of its own (rcu_read_lock, lock queries)
  kRelaxed,            // _ONCE, _relaxed, non-value-returning atomics
  kAcquire,            // smp_load_acquire, *_acquire, spin_lock, spin_trylock
  kRelease,            // smp_store_release, rcu_assign_pointer, *_release, spin_unlock
  kFull,               // smp_mb, value-returning RMWs, smp_store_mb, synchronize_*
  kReadBarrier,        // smp_rmb
  kWriteBarrier,       // smp_wmb
  kCompilerBarrier,    // barrier
  kMbBeforeAtomic,     // smp_mb__before_atomic (full fence w.r.t. the next atomic)
  kMbAfterAtomic,      // smp_mb__after_atomic
  kMbAfterSpinlock,    // smp_mb__after_spinlock
  kMbAfterUnlockLock,  // smp_mb__after_unlock_lock
  kMbAfterSrcuUnlock,  // smp_mb__after_srcu_read_unlock
};

struct PrimitiveInfo {
  std::string name;
  PrimitiveKind kind = PrimitiveKind::kFence;
  OrderingClass ordering = OrderingClass::kNone;
  int num_args = 0;              // exact arity
  int location_arg = -1;         // argument naming the location, -1 if none
  bool lvalue_location = false;  // location written `*x` (READ_ONCE) rather than `x`
  bool returns_value = false;    // usable as an expression value
  bool conditional = false;      // may fail / not write (cmpxchg, add_unless, trylock)
  bool supported = true;         // false: known but not modelled (SRCU, spin_unlock_wait)
};

// The entry for `name`, or nullptr when the name is not a known primitive.
const PrimitiveInfo* find_primitive(std::string_view name);

// Every entry, sorted by name.
const std::vector<PrimitiveInfo>& all_primitives();

std::string to_string(PrimitiveKind kind);
std::string to_string(OrderingClass ordering);

}  // namespace mmcheck::litmus

// File: explorer/litmus/primitives.cpp
//
// Builds the primitive table declared in primitives.hpp once (function-local
// static, thread-safe) as a vector sorted by name, and looks names up by
// binary search. Families are expanded here; see primitives.hpp.
//
// What this does not do: decide whether a particular call is well formed
// (support.cpp compares the call against the entry).
#include "litmus/primitives.hpp"

#include <algorithm>
#include <array>

#include "absl/strings/str_cat.h"

namespace mmcheck::litmus {
namespace {

using K = PrimitiveKind;
using O = OrderingClass;

struct Builder {
  std::vector<PrimitiveInfo> out;

  void add(std::string name, K kind, O ordering, int num_args, int location_arg,
           bool lvalue_location, bool returns_value, bool conditional = false,
           bool supported = true) {
    PrimitiveInfo p;
    p.name = std::move(name);
    p.kind = kind;
    p.ordering = ordering;
    p.num_args = num_args;
    p.location_arg = location_arg;
    p.lvalue_location = lvalue_location;
    p.returns_value = returns_value;
    p.conditional = conditional;
    p.supported = supported;
    out.push_back(std::move(p));
  }

  void fence(std::string name, O ordering, bool supported = true) {
    add(std::move(name), K::kFence, ordering, 0, -1, false, false, false, supported);
  }

  // A value-returning RMW family: base (full), base_relaxed, base_acquire,
  // base_release.
  void rmw_family(const std::string& base, int num_args, int location_arg, bool conditional) {
    static constexpr std::array<std::pair<const char*, O>, 4> kSuffixes = {{
        {"", O::kFull},
        {"_relaxed", O::kRelaxed},
        {"_acquire", O::kAcquire},
        {"_release", O::kRelease},
    }};
    for (const auto& [suffix, ordering] : kSuffixes) {
      add(absl::StrCat(base, suffix), K::kRmw, ordering, num_args, location_arg, false, true,
          conditional);
    }
  }
};

std::vector<PrimitiveInfo> build_table() {
  Builder b;
  // Plain marked accesses.
  b.add("READ_ONCE", K::kLoad, O::kRelaxed, 1, 0, true, true);
  b.add("WRITE_ONCE", K::kStore, O::kRelaxed, 2, 0, true, false);
  b.add("smp_load_acquire", K::kLoad, O::kAcquire, 1, 0, false, true);
  b.add("smp_store_release", K::kStore, O::kRelease, 2, 0, false, false);
  b.add("rcu_dereference", K::kLoad, O::kRelaxed, 1, 0, true, true);
  b.add("rcu_assign_pointer", K::kStore, O::kRelease, 2, 0, true, false);
  b.add("smp_store_mb", K::kStore, O::kFull, 2, 0, true, false);
  b.add("atomic_read", K::kLoad, O::kRelaxed, 1, 0, false, true);
  b.add("atomic_read_acquire", K::kLoad, O::kAcquire, 1, 0, false, true);
  b.add("atomic_set", K::kStore, O::kRelaxed, 2, 0, false, false);
  b.add("atomic_set_release", K::kStore, O::kRelease, 2, 0, false, false);

  // Fences.
  b.fence("smp_mb", O::kFull);
  b.fence("smp_rmb", O::kReadBarrier);
  b.fence("smp_wmb", O::kWriteBarrier);
  b.fence("barrier", O::kCompilerBarrier);
  b.fence("smp_mb__before_atomic", O::kMbBeforeAtomic);
  b.fence("smp_mb__after_atomic", O::kMbAfterAtomic);
  b.fence("smp_mb__after_spinlock", O::kMbAfterSpinlock);
  b.fence("smp_mb__after_unlock_lock", O::kMbAfterUnlockLock);
  b.fence("smp_mb__after_srcu_read_unlock", O::kMbAfterSrcuUnlock, /*supported=*/false);

  // Exchange families (pointer first argument).
  b.rmw_family("xchg", 2, 0, false);
  b.rmw_family("cmpxchg", 3, 0, true);
  b.rmw_family("try_cmpxchg", 3, 0, true);
  b.rmw_family("atomic_xchg", 2, 0, false);
  b.rmw_family("atomic_cmpxchg", 3, 0, true);
  b.rmw_family("atomic_try_cmpxchg", 3, 0, true);

  // Arithmetic atomics. Value-taking ops put the value first: atomic_add(V, X).
  for (const char* op : {"add", "sub", "and", "or", "xor", "andnot"}) {
    b.add(absl::StrCat("atomic_", op), K::kRmw, O::kRelaxed, 2, 1, false, false);
    b.rmw_family(absl::StrCat("atomic_fetch_", op), 2, 1, false);
  }
  for (const char* op : {"inc", "dec"}) {
    b.add(absl::StrCat("atomic_", op), K::kRmw, O::kRelaxed, 1, 0, false, false);
    b.rmw_family(absl::StrCat("atomic_fetch_", op), 1, 0, false);
    b.rmw_family(absl::StrCat("atomic_", op, "_return"), 1, 0, false);
    b.add(absl::StrCat("atomic_", op, "_and_test"), K::kRmw, O::kFull, 1, 0, false, true);
  }
  for (const char* op : {"add", "sub"}) {
    b.rmw_family(absl::StrCat("atomic_", op, "_return"), 2, 1, false);
  }
  b.add("atomic_sub_and_test", K::kRmw, O::kFull, 2, 1, false, true);
  b.add("atomic_add_negative", K::kRmw, O::kFull, 2, 1, false, true);
  b.add("atomic_add_unless", K::kRmw, O::kFull, 3, 0, false, true, true);
  b.add("atomic_fetch_add_unless", K::kRmw, O::kFull, 3, 0, false, true, true);
  b.add("atomic_inc_not_zero", K::kRmw, O::kFull, 1, 0, false, true, true);

  // Spinlocks.
  b.add("spin_lock", K::kLock, O::kAcquire, 1, 0, false, false);
  b.add("spin_unlock", K::kUnlock, O::kRelease, 1, 0, false, false);
  b.add("spin_trylock", K::kTrylock, O::kAcquire, 1, 0, false, true, true);
  b.add("spin_is_locked", K::kLockQuery, O::kNone, 1, 0, false, true);
  b.add("spin_unlock_wait", K::kLockQuery, O::kAcquire, 1, 0, false, false, false,
        /*supported=*/false);

  // RCU.
  b.add("rcu_read_lock", K::kRcuReadLock, O::kNone, 0, -1, false, false);
  b.add("rcu_read_unlock", K::kRcuReadUnlock, O::kNone, 0, -1, false, false);
  b.add("synchronize_rcu", K::kRcuSync, O::kFull, 0, -1, false, false);
  b.add("synchronize_rcu_expedited", K::kRcuSync, O::kFull, 0, -1, false, false);

  // SRCU: known, not modelled.
  b.add("srcu_read_lock", K::kSrcuReadLock, O::kNone, 1, 0, false, true, false, false);
  b.add("srcu_read_unlock", K::kSrcuReadUnlock, O::kNone, 2, 0, false, false, false, false);
  b.add("srcu_down_read", K::kSrcuReadLock, O::kNone, 1, 0, false, true, false, false);
  b.add("srcu_up_read", K::kSrcuReadUnlock, O::kNone, 2, 0, false, false, false, false);
  b.add("synchronize_srcu", K::kSrcuSync, O::kFull, 1, 0, false, false, false, false);
  b.add("synchronize_srcu_expedited", K::kSrcuSync, O::kFull, 1, 0, false, false, false, false);

  std::sort(b.out.begin(), b.out.end(),
            [](const PrimitiveInfo& a, const PrimitiveInfo& c) { return a.name < c.name; });
  return std::move(b.out);
}

}  // namespace

const std::vector<PrimitiveInfo>& all_primitives() {
  static const std::vector<PrimitiveInfo> table = build_table();
  return table;
}

const PrimitiveInfo* find_primitive(std::string_view name) {
  const auto& table = all_primitives();
  auto it = std::lower_bound(
      table.begin(), table.end(), name,
      [](const PrimitiveInfo& p, std::string_view n) { return std::string_view(p.name) < n; });
  if (it == table.end() || it->name != name) return nullptr;
  return &*it;
}

std::string to_string(PrimitiveKind kind) {
  switch (kind) {
    case K::kLoad:
      return "load";
    case K::kStore:
      return "store";
    case K::kRmw:
      return "rmw";
    case K::kFence:
      return "fence";
    case K::kLock:
      return "lock";
    case K::kUnlock:
      return "unlock";
    case K::kTrylock:
      return "trylock";
    case K::kLockQuery:
      return "lock-query";
    case K::kRcuReadLock:
      return "rcu-read-lock";
    case K::kRcuReadUnlock:
      return "rcu-read-unlock";
    case K::kRcuSync:
      return "rcu-sync";
    case K::kSrcuReadLock:
      return "srcu-read-lock";
    case K::kSrcuReadUnlock:
      return "srcu-read-unlock";
    case K::kSrcuSync:
      return "srcu-sync";
  }
  return "?";
}

std::string to_string(OrderingClass ordering) {
  switch (ordering) {
    case O::kNone:
      return "none";
    case O::kRelaxed:
      return "relaxed";
    case O::kAcquire:
      return "acquire";
    case O::kRelease:
      return "release";
    case O::kFull:
      return "full";
    case O::kReadBarrier:
      return "rmb";
    case O::kWriteBarrier:
      return "wmb";
    case O::kCompilerBarrier:
      return "compiler";
    case O::kMbBeforeAtomic:
      return "mb-before-atomic";
    case O::kMbAfterAtomic:
      return "mb-after-atomic";
    case O::kMbAfterSpinlock:
      return "mb-after-spinlock";
    case O::kMbAfterUnlockLock:
      return "mb-after-unlock-lock";
    case O::kMbAfterSrcuUnlock:
      return "mb-after-srcu-unlock";
  }
  return "?";
}

}  // namespace mmcheck::litmus

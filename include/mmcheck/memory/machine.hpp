// File: include/mmcheck/memory/machine.hpp
//
// The memory component a spec keeps inside its State, and the rules of each
// model (memory/model.hpp) as guard/effect functions over it. Operational
// model of shared/docs/memory-model.md §1:
//
//   - one coherent memory: per location the committed values still visible
//     to someone, oldest first (coherence order; `hist`, `len`);
//   - per CPU a bounded store buffer (`sb_*`): entries keep program order;
//     under `tso` only the oldest commits (FIFO), under `relaxed` any entry
//     may commit unless an older entry to the same location or an older
//     smp_wmb group is still buffered;
//   - per CPU and location a view (`view`): the index of the value the CPU
//     reads when it has no buffered store to forward (an abstraction of the
//     invalidate queue). Views only move forward; `advance` (an environment
//     step) moves one by one value, smp_rmb moves all to the newest.
//
// Under `sc` stores go straight to memory and loads read the newest value;
// under `tso` there are no invalidate queues (views are always the newest).
// Loads are deterministic: all nondeterminism is in which environment step
// (commit(cpu, slot), advance(cpu, loc)) runs when (memory/environment.hpp).
//
// Canonical form: unused slots are zero; history entries no CPU can read any
// more are dropped (normalize()); a view a spec declares irrelevant (the CPU
// will not read that location again) is kDontCare. Equal behaviour, equal
// bytes, so the explorer's byte hashing merges them.
//
// Bounds: B::kCpus, kLocs, kSb (store-buffer slots per CPU) and kHist (values
// per location readable at once). A store that finds its buffer full waits
// (the guard is false) — an under-approximation documented in
// docs/memory-model.md; a history overflow throws SpecError.
//
// `lkmm` adds non-multi-copy-atomic propagation on top of `relaxed`:
//   - per CPU and location a propagation frontier `prop` (view <= prop): the
//     newest value that has reached the CPU; `mem.propagate(cpu, loc)` (an
//     environment step) delivers the next value in coherence order;
//   - a commit may insert the store anywhere in coherence order after the
//     values that already reached the committing CPU (Power's storage
//     subsystem), so coherence is not commit order (2+2W);
//   - a committed value carries a requirement `req` (per other location, the
//     index of a value that must have reached a CPU before this one may):
//     cumulativity as in linux-kernel.cat's cumul-fence:
//       * smp_wmb (non-A-cumulative): the CPU's own writes po-before the
//         smp_wmb, for every write po-after it (per CPU and location `fen`,
//         the accumulated requirement of the CPU's later writes; it takes the
//         own writes `own` once every store po-before the smp_wmb committed);
//       * release store / release or fully ordered RMW (A-cumulative po-rel):
//         everything that had reached the CPU, for that write only (it
//         commits only as the oldest buffered store; later stores may commit
//         before it);
//       * po-unlock-lock-po: a spin_lock that reads a spin_unlock's value
//         makes the unlocking CPU's writes po-before the unlock (`lkv`,
//         recorded with the unlock's value) a requirement of the locking
//         CPU's later writes; so does the CPU's own latest unlock (`ulown`);
//   - smp_mb (and synchronize_rcu, fully ordered RMWs) waits until every
//     value that reached its CPU has reached every live CPU (strong fence);
//     a non-value-returning RMW that read a value its CPU had not received
//     adds that value's requirement (`nrq`) to what must have reached it;
//   - smp_rmb / acquire move views to `prop`, not to the newest value.
// Load buffering is the litmus runner's (explorer/litmus/run.cpp).
// kernel::Kernel::store_release / spin_unlock call wmb() + store(): under
// lkmm that is not A-cumulative until they call store_release() / unlock().
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "mmcheck/memory/model.hpp"
#include "mmcheck/spec.hpp"

namespace mmcheck::memory {

template <int Cpus, int Locs, int Sb, int Hist>
struct Bounds {
  static constexpr int kCpus = Cpus;
  static constexpr int kLocs = Locs;
  static constexpr int kSb = Sb;
  static constexpr int kHist = Hist;
  static_assert(Cpus % 4 == 0 && Locs % 4 == 0, "keeps the byte fields free of padding");
  static_assert(Hist >= 2 && Hist < 255 && Sb >= 1 && Sb < 255 && Locs < 255);
};

// Ordering class of an access (kernel/primitives.hpp maps primitives to it).
enum class Ord : std::uint8_t { relaxed, acquire, release, full };

// lkmm: the cumulativity class of a write (Memory::sb_cum).
enum Cum : std::uint8_t {
  kCumPlain = 0,    // requirement: the CPU's `fen` (smp_wmb, po-unlock-lock-po)
  kCumRelease = 1,  // + everything that reached the CPU (A-cumulative)
  kCumUnlock = 2,   // a release that is a spin_unlock: also records `lkv`
};

inline constexpr std::uint8_t kDontCare = 0xff;

template <typename B, bool Lk>
struct Memory {
  static constexpr int kPropN = Lk ? 5 * B::kCpus * B::kLocs : 4;
  static constexpr int kReqN =
      Lk ? B::kLocs * B::kHist * B::kLocs + B::kLocs * B::kLocs + B::kLocs : 4;
  std::int32_t hist[B::kLocs][B::kHist];
  std::int32_t sb_val[B::kCpus][B::kSb];
  std::uint8_t len[B::kLocs];
  std::uint8_t view[B::kCpus][B::kLocs];
  std::uint8_t sb_loc[B::kCpus][B::kSb];
  std::uint8_t sb_group[B::kCpus][B::kSb];
  std::uint8_t sb_cum[B::kCpus][B::kSb];  // lkmm: a Cum (plain, release, unlock); else 0
  std::uint8_t sb_n[B::kCpus];
  std::uint8_t group[B::kCpus];
  std::uint8_t fenced[B::kCpus];  // unused (0); keeps the byte layout of every model
  // lkmm: [0][cpu][loc] propagation frontier; [1][cpu][loc] `own`: index of
  // the CPU's newest committed write; [2][cpu][loc] `fen`: requirement of the
  // CPU's later writes (smp_wmb, po-unlock-lock-po); [3][cpu][loc] `ulown`:
  // `own` at the CPU's latest unlock; [4][cpu][loc] `nrq`: requirements of
  // values read by non-value-returning RMWs before the CPU received them.
  std::uint8_t prop[kPropN];
  // lkmm: [loc][index][loc'] requirement of each value; then [lock][loc']
  // `lkv`, the unlocking CPU's writes po-before the latest unlock of `lock`;
  // then [lock] `lk_at`: 1 + the index of that unlock's value (0: none).
  std::uint8_t req[kReqN];
  bool operator==(const Memory&) const = default;
};

// The value `loc` holds once every buffered store has reached memory: the
// youngest buffered store to it (for a word written only under a lock at most
// one CPU has one), else the newest value in coherence order. For ghost reads
// (properties, printing), never for a CPU's load. Every model (under sc the
// buffers are always empty).
template <typename B, bool Lk>
std::int32_t latest(const Memory<B, Lk>& m, int loc) {
  for (int c = 0; c < B::kCpus; ++c) {
    for (int k = m.sb_n[c] - 1; k >= 0; --k) {
      if (m.sb_loc[c][k] == loc) return m.sb_val[c][k];
    }
  }
  return m.hist[loc][m.len[loc] - 1];
}

template <Model M, typename B>
struct Machine {
  static constexpr bool kLk = M == Model::lkmm;
  using Mem = Memory<B, kLk>;
  static constexpr Model kModel = M;
  static constexpr int kCpus = B::kCpus;
  static constexpr int kLocs = B::kLocs;
  static constexpr int kSb = B::kSb;
  static constexpr int kHist = B::kHist;
  static constexpr bool kBuffered = M != Model::sc;                        // store buffers
  static constexpr bool kViews = M == Model::relaxed || M == Model::lkmm;  // invalidate queues
  // Commit alternatives per store-buffer slot: lkmm chooses the coherence position.
  static constexpr int kCommitWays = kLk ? B::kHist : 1;
  static_assert(std::has_unique_object_representations_v<Mem>);

  // All locations hold `init[l]` (0 beyond init.size()); buffers empty.
  static void init(Mem& m, std::span<const std::int32_t> init) {
    std::memset(&m, 0, sizeof m);
    for (int l = 0; l < B::kLocs; ++l) {
      m.len[l] = 1;
      m.hist[l][0] = static_cast<std::size_t>(l) < init.size() ? init[l] : 0;
    }
  }

  static std::int32_t newest(const Mem& m, int loc) { return m.hist[loc][m.len[loc] - 1]; }
  // Room for `n` more values of `loc` in the history, counting the buffered
  // stores still to commit (a spec's fused step that would overflow it waits).
  static bool history_room(const Mem& m, int loc, int n = 1) {
    if constexpr (!kViews) {
      (void)m, (void)loc, (void)n;
      return true;
    } else {
      int pending = 0;
      for (int c = 0; c < B::kCpus; ++c) {
        for (int k = 0; k < m.sb_n[c]; ++k) pending += m.sb_loc[c][k] == loc;
      }
      return m.len[loc] + pending + n <= B::kHist;
    }
  }
  static bool sb_empty(const Mem& m, int cpu) { return m.sb_n[cpu] == 0; }
  static std::uint8_t& prop(Mem& m, int cpu, int loc) { return m.prop[cpu * B::kLocs + loc]; }
  static std::uint8_t prop(const Mem& m, int cpu, int loc) { return m.prop[cpu * B::kLocs + loc]; }
  static std::uint8_t& req(Mem& m, int loc, int i, int l2) {
    return m.req[(loc * B::kHist + i) * B::kLocs + l2];
  }
  static std::uint8_t req(const Mem& m, int loc, int i, int l2) {
    return m.req[(loc * B::kHist + i) * B::kLocs + l2];
  }
  // lkmm bookkeeping (see Memory): indices into the history of `loc`.
  static constexpr int kCL = B::kCpus * B::kLocs;
  static constexpr int kLkv = B::kLocs * B::kHist * B::kLocs;
  static std::uint8_t& own(Mem& m, int cpu, int loc) { return m.prop[kCL + cpu * B::kLocs + loc]; }
  static std::uint8_t own(const Mem& m, int cpu, int loc) {
    return m.prop[kCL + cpu * B::kLocs + loc];
  }
  static std::uint8_t fen(const Mem& m, int cpu, int loc) {
    return m.prop[2 * kCL + cpu * B::kLocs + loc];
  }
  static std::uint8_t& fen(Mem& m, int cpu, int loc) {
    return m.prop[2 * kCL + cpu * B::kLocs + loc];
  }
  static std::uint8_t& ulown(Mem& m, int cpu, int loc) {
    return m.prop[3 * kCL + cpu * B::kLocs + loc];
  }
  static std::uint8_t& nrq(Mem& m, int cpu, int loc) {
    return m.prop[4 * kCL + cpu * B::kLocs + loc];
  }
  static std::uint8_t nrq(const Mem& m, int cpu, int loc) {
    return m.prop[4 * kCL + cpu * B::kLocs + loc];
  }
  static std::uint8_t& lkv(Mem& m, int lock, int loc) {
    return m.req[kLkv + lock * B::kLocs + loc];
  }
  static std::uint8_t& lk_at(Mem& m, int lock) { return m.req[kLkv + B::kLocs * B::kLocs + lock]; }
  // Index of the newest value of `loc` that has reached `cpu`.
  static int top(const Mem& m, int cpu, int loc) {
    if constexpr (kLk) {
      const std::uint8_t p = prop(m, cpu, loc);
      if (p != kDontCare) return p;
    }
    (void)cpu;
    return m.len[loc] - 1;
  }

  // ---- loads ---------------------------------------------------------------
  // The youngest buffered store of `cpu` to `loc` (forwarding), or -1.
  static int forward_slot(const Mem& m, int cpu, int loc) {
    if constexpr (kBuffered) {
      for (int i = m.sb_n[cpu] - 1; i >= 0; --i) {
        if (m.sb_loc[cpu][i] == loc) return i;
      }
    }
    (void)m, (void)cpu, (void)loc;
    return -1;
  }
  // The history index a load by `cpu` reads when nothing is forwarded.
  static int read_index(const Mem& m, int cpu, int loc) {
    if constexpr (kViews) {
      const std::uint8_t v = m.view[cpu][loc];
      if (v != kDontCare) return v;
    }
    return top(m, cpu, loc);
  }
  // The value a plain / READ_ONCE load by `cpu` returns now.
  static std::int32_t load(const Mem& m, int cpu, int loc) {
    const int slot = forward_slot(m, cpu, loc);
    return slot >= 0 ? m.sb_val[cpu][slot] : m.hist[loc][read_index(m, cpu, loc)];
  }

  // The value load(m, cpu, loc) returns is the CPU's own write: a buffered
  // store (forwarding) or, under lkmm, its newest committed write (`own`).
  static bool reads_own(const Mem& m, int cpu, int loc) {
    if (forward_slot(m, cpu, loc) >= 0) return true;
    if constexpr (kLk) return own(m, cpu, loc) != 0 && read_index(m, cpu, loc) == own(m, cpu, loc);
    return false;
  }

  // ---- stores --------------------------------------------------------------
  static bool can_store(const Mem& m, int cpu, int sb_limit = B::kSb) {
    if constexpr (kBuffered) return m.sb_n[cpu] < sb_limit && m.sb_n[cpu] < B::kSb;
    return true;
  }
  static void store(Mem& m, int cpu, int loc, std::int32_t value) {
    if constexpr (kBuffered) {
      const int n = m.sb_n[cpu]++;
      if (n >= B::kSb) throw SpecError("memory: store with a full store buffer (guard missing)");
      m.sb_loc[cpu][n] = static_cast<std::uint8_t>(loc);
      m.sb_val[cpu][n] = value;
      m.sb_group[cpu][n] = m.group[cpu];
      m.sb_cum[cpu][n] = kCumPlain;
    } else {
      append(m, cpu, loc, value);
    }
  }
  // smp_store_release / rcu_assign_pointer. Under lkmm the store is
  // A-cumulative (LKMM po-rel): it commits only when every po-earlier store
  // has, and everything that reached the CPU by then must reach a CPU before
  // it; it orders no later store (no smp_wmb). Elsewhere: smp_wmb + store.
  static void store_release(Mem& m, int cpu, int loc, std::int32_t value, Cum cum = kCumRelease) {
    if constexpr (kLk) {
      store(m, cpu, loc, value);
      m.sb_cum[cpu][m.sb_n[cpu] - 1] = cum;
    } else {
      (void)cum;
      wmb(m, cpu);
      store(m, cpu, loc, value);
    }
  }
  // spin_unlock: a release store of 0 that, under lkmm, also records the
  // CPU's writes po-before it for the next spin_lock (po-unlock-lock-po).
  static void unlock(Mem& m, int cpu, int loc) { store_release(m, cpu, loc, 0, kCumUnlock); }

  // ---- fences --------------------------------------------------------------
  // smp_wmb: later stores commit after the buffered ones. Under lkmm the
  // CPU's own writes po-before it must reach any CPU before its writes
  // po-after it (LKMM wmb: not A-cumulative); with stores still buffered
  // that takes effect when the last of them commits (commit()).
  static void wmb(Mem& m, int cpu) {
    if constexpr (kViews) {
      if (m.sb_n[cpu] > 0) {
        if (m.group[cpu] == 0xfe) throw SpecError("memory: too many smp_wmb groups");
        ++m.group[cpu];
      } else if constexpr (kLk) {
        fence_own(m, cpu);
      }
    }
    (void)m, (void)cpu;
  }
  // Called right after the acquire RMW of spin_lock(loc) (with an empty store
  // buffer). Under lkmm, LKMM's po-unlock-lock-po: the writes po-before the
  // unlock whose value the lock read, and the CPU's writes po-before its own
  // latest unlock, must reach any CPU before the CPU's later writes. Not
  // A-cumulative: what merely reached the CPU is not ordered (LKMM:
  // MP+polockonce+poacquiresilsil is Sometimes).
  static void lock_fence(Mem& m, int cpu, int loc) {
    if constexpr (kLk) {
      const int read = m.len[loc] - 2;  // the value the lock's RMW read
      const bool unlock = read >= 0 && lk_at(m, loc) == read + 1;
      for (int l2 = 0; l2 < B::kLocs; ++l2) {
        std::uint8_t& f = fen(m, cpu, l2);
        const std::uint8_t v = read < 0 ? 0 : unlock ? lkv(m, loc, l2) : req(m, loc, read, l2);
        f = std::max({f, v, ulown(m, cpu, l2)});
      }
    }
    (void)m, (void)cpu, (void)loc;
  }
  // smp_rmb: apply the invalidate queue.
  static void rmb(Mem& m, int cpu) {
    if constexpr (kViews) {
      for (int l = 0; l < B::kLocs; ++l) {
        if (m.view[cpu][l] != kDontCare) m.view[cpu][l] = static_cast<std::uint8_t>(top(m, cpu, l));
      }
    }
    (void)m, (void)cpu;
  }
  // Under lkmm: every value that reached `cpu` has reached every live CPU.
  // A non-value-returning RMW that read a value the CPU had not received
  // counts as a read for strong fences (LKMM: only rmb ignores Noreturn), so
  // that value's requirements (`nrq`) must have reached the CPU first.
  static bool propagated_everywhere(const Mem& m, int cpu) {
    if constexpr (kLk) {
      for (int l = 0; l < B::kLocs; ++l) {
        const std::uint8_t mine = prop(m, cpu, l);
        if (mine == kDontCare) continue;
        if (mine < nrq(m, cpu, l)) return false;
        for (int d = 0; d < B::kCpus; ++d) {
          const std::uint8_t p = prop(m, d, l);
          if (p != kDontCare && p < mine) return false;
        }
      }
    }
    (void)m, (void)cpu;
    return true;
  }
  // lkmm: `cpu`'s buffer is empty and each of its own latest writes has
  // reached every live CPU (nothing an smp_wmb could still order); other
  // models: the buffer is empty.
  static bool own_writes_everywhere(const Mem& m, int cpu) {
    if (m.sb_n[cpu] != 0) return false;
    if constexpr (kLk) {
      for (int l = 0; l < B::kLocs; ++l) {
        const std::uint8_t mine = own(m, cpu, l);
        if (mine == 0) continue;
        for (int d = 0; d < B::kCpus; ++d) {
          const std::uint8_t p = prop(m, d, l);
          if (p != kDontCare && p < mine) return false;
        }
      }
    }
    return true;
  }
  // smp_mb (and smp_mb__{before,after}_atomic, __after_spinlock): wait for an
  // empty store buffer (lkmm: and a strong-fence propagation), then smp_rmb.
  static bool can_mb(const Mem& m, int cpu) {
    return sb_empty(m, cpu) && propagated_everywhere(m, cpu);
  }
  static void mb(Mem& m, int cpu) {
    if constexpr (kLk) {
      for (int l = 0; l < B::kLocs; ++l) nrq(m, cpu, l) = 0;  // received (can_mb)
    }
    rmb(m, cpu);
  }

  // ---- read-modify-writes (atomic in memory) --------------------------------
  // `returns`: the RMW returns its value. Under lkmm a value-returning RMW
  // must have received the newest value (with its cumulativity); one without
  // a return value (atomic_inc, set_bit: LKMM's Noreturn) need not.
  static bool can_rmw(const Mem& m, int cpu, int loc, Ord ord, bool returns = true) {
    (void)returns;
    if constexpr (M == Model::sc) {
      return true;
    } else if constexpr (M == Model::tso) {
      return sb_empty(m, cpu);  // locked instructions drain the buffer
    } else {
      if constexpr (kLk) {
        if (returns && top(m, cpu, loc) != m.len[loc] - 1) return false;  // newest received
        if (ord == Ord::full && !propagated_everywhere(m, cpu)) return false;
      }
      if (ord == Ord::full || ord == Ord::release) return sb_empty(m, cpu);
      for (int i = 0; i < m.sb_n[cpu]; ++i) {
        if (m.sb_loc[cpu][i] == loc || m.sb_group[cpu][i] < m.group[cpu]) return false;
      }
      return true;
    }
  }
  // The value an RMW reads: the newest in memory (the guard made sure no own
  // store to `loc` is buffered).
  static std::int32_t rmw_read(const Mem& m, int loc) { return newest(m, loc); }
  static void rmw_write(Mem& m, int cpu, int loc, std::int32_t value, Ord ord) {
    if constexpr (kLk) {
      // Like a store, the RMW's write carries the CPU's `fen` (smp_wmb orders
      // W->W, RMW writes included); a release or fully ordered RMW is
      // A-cumulative.
      if (top(m, cpu, loc) != m.len[loc] - 1) {
        // A Noreturn RMW read a value this CPU had not received (can_rmw).
        for (int l2 = 0; l2 < B::kLocs; ++l2) {
          if (l2 != loc)
            nrq(m, cpu, l2) = std::max(nrq(m, cpu, l2), req(m, loc, m.len[loc] - 1, l2));
        }
      }
      insert(m, cpu, loc, value, m.len[loc],
             ord == Ord::release || ord == Ord::full ? kCumRelease : kCumPlain);
      if (ord == Ord::full) {
        for (int l = 0; l < B::kLocs; ++l) nrq(m, cpu, l) = 0;  // received (can_rmw)
        // Fully ordered: multi-copy atomic (every live CPU had the old value).
        for (int d = 0; d < B::kCpus; ++d) {
          if (prop(m, d, loc) != kDontCare)
            prop(m, d, loc) = static_cast<std::uint8_t>(m.len[loc] - 1);
        }
      }
    } else {
      append(m, cpu, loc, value);
    }
    if (ord == Ord::full || ord == Ord::acquire) rmb(m, cpu);
  }

  // ---- environment steps ---------------------------------------------------
  // commit(cpu, slot, way): under lkmm `way` k puts the store k places before
  // the end of the coherence order (never before what reached the CPU).
  static bool can_commit(const Mem& m, int cpu, int slot, int way = 0) {
    if constexpr (!kBuffered) {
      return false;
    } else {
      if (slot >= m.sb_n[cpu]) return false;
      if constexpr (M == Model::tso) {
        return slot == 0 && way == 0;
      } else {
        for (int i = 0; i < slot; ++i) {
          if (m.sb_loc[cpu][i] == m.sb_loc[cpu][slot]) return false;
          if (m.sb_group[cpu][i] < m.sb_group[cpu][slot]) return false;
        }
        if constexpr (kLk) {
          if (slot > 0 && m.sb_cum[cpu][slot] != kCumPlain) return false;  // release: oldest
          const int loc = m.sb_loc[cpu][slot];
          return way <= m.len[loc] - 1 - top(m, cpu, loc);
        } else {
          return way == 0;
        }
      }
    }
  }
  static void commit(Mem& m, int cpu, int slot, int way = 0) {
    const int loc = m.sb_loc[cpu][slot];
    const std::int32_t value = m.sb_val[cpu][slot];
    const int cum = m.sb_cum[cpu][slot];
    const int grp = m.sb_group[cpu][slot];
    const int n = m.sb_n[cpu];
    for (int i = slot; i + 1 < n; ++i) {
      m.sb_loc[cpu][i] = m.sb_loc[cpu][i + 1];
      m.sb_val[cpu][i] = m.sb_val[cpu][i + 1];
      m.sb_group[cpu][i] = m.sb_group[cpu][i + 1];
      m.sb_cum[cpu][i] = m.sb_cum[cpu][i + 1];
    }
    m.sb_loc[cpu][n - 1] = 0;
    m.sb_val[cpu][n - 1] = 0;
    m.sb_group[cpu][n - 1] = 0;
    m.sb_cum[cpu][n - 1] = 0;
    m.sb_n[cpu] = static_cast<std::uint8_t>(n - 1);
    // The last buffered store po-before an smp_wmb (a later group exists).
    bool crossed = m.group[cpu] > grp;
    for (int i = 0; i + 1 < n; ++i) crossed = crossed && m.sb_group[cpu][i] != grp;
    if (n == 1) m.group[cpu] = 0;
    if constexpr (kLk) {
      insert(m, cpu, loc, value, m.len[loc] - way, cum);
      if (crossed) fence_own(m, cpu);
    } else {
      (void)way, (void)cum, (void)crossed;
      append(m, cpu, loc, value);
    }
  }
  static bool can_advance(const Mem& m, int cpu, int loc) {
    if constexpr (!kViews) {
      return false;
    } else {
      const std::uint8_t v = m.view[cpu][loc];
      return v != kDontCare && v < top(m, cpu, loc);
    }
  }
  static void advance(Mem& m, int cpu, int loc) { ++m.view[cpu][loc]; }
  // lkmm: the next value of `loc` in coherence order reaches `cpu`.
  static bool can_propagate(const Mem& m, int cpu, int loc) {
    if constexpr (!kLk) {
      return false;
    } else {
      const std::uint8_t p = prop(m, cpu, loc);
      if (p == kDontCare || p + 1 >= m.len[loc]) return false;
      for (int l2 = 0; l2 < B::kLocs; ++l2) {
        const std::uint8_t r = req(m, loc, p + 1, l2);
        if (r == 0 || l2 == loc) continue;
        const std::uint8_t q = prop(m, cpu, l2);
        if (q != kDontCare && q < r) return false;
      }
      return true;
    }
  }
  static void propagate(Mem& m, int cpu, int loc) { ++prop(m, cpu, loc); }

  // ---- canonical form ------------------------------------------------------
  // Drops history entries below every CPU's view (and lkmm frontier).
  static void compact(Mem& m, int loc) {
    if constexpr (!kViews) {
      m.hist[loc][0] = newest(m, loc);
      for (int i = 1; i < m.len[loc]; ++i) m.hist[loc][i] = 0;
      m.len[loc] = 1;
    } else {
      int low = m.len[loc] - 1;
      for (int c = 0; c < B::kCpus; ++c) {
        const std::uint8_t v = m.view[c][loc];
        if (v != kDontCare && v < low) low = v;
        if constexpr (kLk) {
          const std::uint8_t p = prop(m, c, loc);
          if (p != kDontCare && p < low) low = p;
        }
      }
      if (low == 0) return;
      const int n = m.len[loc] - low;
      for (int i = 0; i < B::kHist; ++i) m.hist[loc][i] = i < n ? m.hist[loc][i + low] : 0;
      m.len[loc] = static_cast<std::uint8_t>(n);
      for (int c = 0; c < B::kCpus; ++c) {
        if (m.view[c][loc] != kDontCare) {
          m.view[c][loc] = static_cast<std::uint8_t>(m.view[c][loc] - low);
        }
        if constexpr (kLk) {
          if (prop(m, c, loc) != kDontCare)
            prop(m, c, loc) = static_cast<std::uint8_t>(prop(m, c, loc) - low);
        }
      }
      if constexpr (kLk) {
        for (int i = 0; i < B::kHist; ++i) {
          for (int l2 = 0; l2 < B::kLocs; ++l2) {
            req(m, loc, i, l2) = i < n ? req(m, loc, i + low, l2) : 0;
          }
        }
        // Requirements on dropped values hold everywhere: 0.
        for_each_index(m, loc, [low](std::uint8_t& r) {
          r = r > low ? static_cast<std::uint8_t>(r - low) : 0;
        });
        std::uint8_t& at = lk_at(m, loc);
        at = at > low ? static_cast<std::uint8_t>(at - low) : 0;
      }
    }
  }
  static void normalize(Mem& m) {
    for (int l = 0; l < B::kLocs; ++l) compact(m, l);
  }
  // Marks views of `cpu` irrelevant for the locations not in `reads` (bit l:
  // the CPU may still read location l) and relevant again for the others.
  static void set_relevant(Mem& m, int cpu, std::uint64_t reads) {
    if constexpr (kViews) {
      for (int l = 0; l < B::kLocs; ++l) {
        const bool care = (reads >> l) & 1;
        if (!care) {
          m.view[cpu][l] = kDontCare;
        } else if (m.view[cpu][l] == kDontCare) {
          m.view[cpu][l] = static_cast<std::uint8_t>(top(m, cpu, l));
        }
      }
    }
    (void)m, (void)cpu, (void)reads;
  }
  // `cpu` will never access memory again (thread done, buffer empty): under
  // lkmm its frontier no longer matters to anyone.
  static void retire(Mem& m, int cpu) {
    if constexpr (kLk) {
      for (int l = 0; l < B::kLocs; ++l) {
        prop(m, cpu, l) = kDontCare;
        own(m, cpu, l) = fen(m, cpu, l) = ulown(m, cpu, l) = nrq(m, cpu, l) = 0;
      }
    }
    (void)m, (void)cpu;
  }

  // "sb=[x=1 y=2|z=3]" (a '|' separates smp_wmb groups) and, under views,
  // "stale=[x=0]" (the values the CPU would read, where not the newest).
  static std::string describe_cpu(const Mem& m, int cpu, std::span<const std::string> names) {
    std::string out;
    if constexpr (kBuffered) {
      if (m.sb_n[cpu] > 0) {
        out = "sb=[";
        for (int i = 0; i < m.sb_n[cpu]; ++i) {
          if (i > 0)
            absl::StrAppend(&out, m.sb_group[cpu][i] != m.sb_group[cpu][i - 1] ? "|" : " ");
          absl::StrAppend(&out, name_of(names, m.sb_loc[cpu][i]), "=", m.sb_val[cpu][i]);
        }
        out += "]";
      }
    }
    if constexpr (kViews) {
      std::string stale;
      for (int l = 0; l < B::kLocs; ++l) {
        const std::uint8_t v = m.view[cpu][l];
        if (v == kDontCare || v + 1 >= m.len[l]) continue;
        absl::StrAppend(&stale, stale.empty() ? "" : " ", name_of(names, l), "=", m.hist[l][v]);
      }
      if (!stale.empty()) absl::StrAppend(&out, out.empty() ? "" : " ", "stale=[", stale, "]");
    }
    (void)m, (void)cpu, (void)names;
    return out;
  }

 private:
  static std::string name_of(std::span<const std::string> names, int l) {
    return static_cast<std::size_t>(l) < names.size() ? names[l] : absl::StrCat("m", l);
  }
  static void check_room(Mem& m, int loc) {
    if (m.len[loc] == B::kHist) compact(m, loc);
    if (m.len[loc] == B::kHist) {
      throw SpecError(absl::StrCat("memory: more than ", B::kHist,
                                   " values of one location readable at once (history bound)"));
    }
  }
  static void append(Mem& m, int cpu, int loc, std::int32_t value) {
    if constexpr (!kViews) {
      m.hist[loc][0] = value;
      m.len[loc] = 1;
      (void)cpu;
    } else {
      check_room(m, loc);
      m.hist[loc][m.len[loc]++] = value;
      if (m.view[cpu][loc] != kDontCare)
        m.view[cpu][loc] = static_cast<std::uint8_t>(m.len[loc] - 1);
    }
  }
  // lkmm: every stored index into the history of `loc` that names a value a
  // CPU must have received (0: none): `req`, `own`, `fen`, `ulown`, `lkv`.
  template <typename F>
  static void for_each_index(Mem& m, int loc, F f) {
    for (int l = 0; l < B::kLocs; ++l) {
      for (int i = 0; i < B::kHist; ++i) f(req(m, l, i, loc));
      f(lkv(m, l, loc));
    }
    for (int c = 0; c < B::kCpus; ++c) {
      f(own(m, c, loc));
      f(fen(m, c, loc));
      f(ulown(m, c, loc));
      f(nrq(m, c, loc));
    }
  }
  // lkmm: `fen` takes the CPU's own writes (an smp_wmb took effect).
  static void fence_own(Mem& m, int cpu) {
    for (int l = 0; l < B::kLocs; ++l) fen(m, cpu, l) = std::max(fen(m, cpu, l), own(m, cpu, l));
  }
  // lkmm: puts `value` at coherence position `pos` (shifting later values),
  // reached by `cpu` only; `cum` (a Cum) says which requirement it carries.
  static void insert(Mem& m, int cpu, int loc, std::int32_t value, int pos, int cum) {
    if constexpr (kLk) {
      const int before = m.len[loc];
      check_room(m, loc);
      pos -= before - m.len[loc];  // compaction shifted indices
      const int n = m.len[loc];
      for (int i = n; i > pos; --i) {
        m.hist[loc][i] = m.hist[loc][i - 1];
        for (int l2 = 0; l2 < B::kLocs; ++l2) req(m, loc, i, l2) = req(m, loc, i - 1, l2);
      }
      m.hist[loc][pos] = value;
      m.len[loc] = static_cast<std::uint8_t>(n + 1);
      for (int c = 0; c < B::kCpus; ++c) {
        if (m.view[c][loc] != kDontCare && m.view[c][loc] >= pos) ++m.view[c][loc];
        if (prop(m, c, loc) != kDontCare && prop(m, c, loc) >= pos) ++prop(m, c, loc);
      }
      for_each_index(m, loc, [pos](std::uint8_t& r) {
        if (r >= pos && r != 0) ++r;
      });
      if (lk_at(m, loc) > pos) ++lk_at(m, loc);  // 1 + index >= pos + 1
      for (int l2 = 0; l2 < B::kLocs; ++l2) {
        std::uint8_t r = fen(m, cpu, l2);
        if (cum != kCumPlain && prop(m, cpu, l2) != kDontCare) {
          r = std::max({r, prop(m, cpu, l2), nrq(m, cpu, l2)});  // A-cumulative
        }
        req(m, loc, pos, l2) = l2 == loc ? 0 : r;
      }
      if (cum == kCumUnlock) {
        // po-unlock-lock-po: the writes po-before the unlock (own, and what
        // the CPU's writes are already ordered after).
        for (int l2 = 0; l2 < B::kLocs; ++l2) {
          lkv(m, loc, l2) = std::max(own(m, cpu, l2), fen(m, cpu, l2));
          ulown(m, cpu, l2) = own(m, cpu, l2);
        }
        lk_at(m, loc) = static_cast<std::uint8_t>(pos + 1);
      }
      own(m, cpu, loc) = static_cast<std::uint8_t>(pos);
      prop(m, cpu, loc) = static_cast<std::uint8_t>(pos);
      if (m.view[cpu][loc] != kDontCare) m.view[cpu][loc] = static_cast<std::uint8_t>(pos);
    }
    (void)m, (void)cpu, (void)loc, (void)value, (void)pos, (void)cum;
  }
};

}  // namespace mmcheck::memory

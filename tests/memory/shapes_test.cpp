// File: tests/memory/shapes_test.cpp
//
// Standard litmus shapes (MP, SB, LB, WRC, IRIW, 2+2W, R, S, ISA2, CoRR),
// with and without barriers, under sc, tso, relaxed and lkmm; sc/tso/relaxed
// words are derived by hand from the rules in docs/memory-model.md, the lkmm
// column is LKMM's answer (linux-kernel.cat). Also the strength order
// sc ⊑ tso ⊑ relaxed ⊑ lkmm on every shape, and the runner's error paths.
#include "shapes.hpp"

#include <string>
#include <vector>

namespace mmcheck::memtest {
namespace {

struct Shape {
  const char* name;
  const char* text;
  const char* sc;
  const char* tso;
  const char* relaxed;
  const char* lkmm;  // LKMM's answer (herd7 + linux-kernel.cat)
};

// clang-format off
const std::vector<Shape>& shapes() {
  static const std::vector<Shape> k = {
    {"MP+po", R"(C MP
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\ 1:r1=0))", "Never", "Never", "Sometimes", "Sometimes"},
    {"MP+wmb+rmb", R"(C MP
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_wmb(); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); smp_rmb(); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\ 1:r1=0))", "Never", "Never", "Never", "Never"},
    {"MP+wmb+po", R"(C MP
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_wmb(); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\ 1:r1=0))", "Never", "Never", "Sometimes", "Sometimes"},
    {"MP+po+rmb", R"(C MP
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); smp_rmb(); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\ 1:r1=0))", "Never", "Never", "Sometimes", "Sometimes"},
    {"MP+release+acquire", R"(C MP
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_store_release(y, 1); }
P1(int *x, int *y) { int r0; int r1; r0 = smp_load_acquire(y); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\ 1:r1=0))", "Never", "Never", "Never", "Never"},
    {"MP+assign+deref", R"(C MP
{ int *p=y; int x; int y=0; }
P0(int *x, int **p) { WRITE_ONCE(*x, 1); rcu_assign_pointer(*p, x); }
P1(int *x, int **p) { int *r0; int r1; r0 = rcu_dereference(*p); r1 = READ_ONCE(*r0); }
exists (1:r0=x /\ 1:r1=0))", "Never", "Never", "Never", "Never"},
    {"SB+po", R"(C SB
{}
P0(int *x, int *y) { int r0; WRITE_ONCE(*x, 1); r0 = READ_ONCE(*y); }
P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); r0 = READ_ONCE(*x); }
exists (0:r0=0 /\ 1:r0=0))", "Never", "Sometimes", "Sometimes", "Sometimes"},
    {"SB+mb", R"(C SB
{}
P0(int *x, int *y) { int r0; WRITE_ONCE(*x, 1); smp_mb(); r0 = READ_ONCE(*y); }
P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); smp_mb(); r0 = READ_ONCE(*x); }
exists (0:r0=0 /\ 1:r0=0))", "Never", "Never", "Never", "Never"},
    {"SB+xchg", R"(C SB
{}
P0(int *x, int *y) { int r0; int r1; r1 = xchg(x, 1); r0 = READ_ONCE(*y); }
P1(int *x, int *y) { int r0; int r1; r1 = xchg(y, 1); r0 = READ_ONCE(*x); }
exists (0:r0=0 /\ 1:r0=0))", "Never", "Never", "Never", "Never"},
    {"SB+atomic_inc", R"(C SB
{}
P0(atomic_t *x, int *y) { int r0; atomic_inc(x); r0 = READ_ONCE(*y); }
P1(atomic_t *x, int *y) { int r0; WRITE_ONCE(*y, 1); r0 = atomic_read(x); }
exists (0:r0=0 /\ 1:r0=0))", "Never", "Sometimes", "Sometimes", "Sometimes"},
    {"LB+po", R"(C LB
{}
P0(int *x, int *y) { int r0; r0 = READ_ONCE(*x); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; r0 = READ_ONCE(*y); WRITE_ONCE(*x, 1); }
exists (0:r0=1 /\ 1:r0=1))", "Never", "Never", "Never", "Sometimes"},  // LKMM: Sometimes (no load buffering)
    // smp_rmb orders reads only, smp_wmb writes only: neither orders R->W.
    {"LB+rmb+rmb", R"(C LB
{}
P0(int *x, int *y) { int r0; r0 = READ_ONCE(*x); smp_rmb(); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; r0 = READ_ONCE(*y); smp_rmb(); WRITE_ONCE(*x, 1); }
exists (0:r0=1 /\ 1:r0=1))", "Never", "Never", "Never", "Sometimes"},
    {"LB+wmb+wmb", R"(C LB
{}
P0(int *x, int *y) { int r0; r0 = READ_ONCE(*x); smp_wmb(); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; r0 = READ_ONCE(*y); smp_wmb(); WRITE_ONCE(*x, 1); }
exists (0:r0=1 /\ 1:r0=1))", "Never", "Never", "Never", "Sometimes"},
    // A plain store before the smp_wmb does not order it (hb relates marked
    // accesses only). One smp_mb is not enough against an smp_wmb.
    {"LB+plain-wmb+mb", R"(C LB
{}
P0(int *x, int *y, int *z) { int r0; r0 = READ_ONCE(*x); if (r0) { *z = 1; } smp_wmb(); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; r0 = READ_ONCE(*y); smp_mb(); WRITE_ONCE(*x, 1); }
exists (0:r0=1 /\ 1:r0=1))", "Never", "Never", "Never", "Sometimes"},
    {"LB+mb+wmb", R"(C LB
{}
P0(int *x, int *y) { int r0; r0 = READ_ONCE(*x); smp_mb(); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; r0 = READ_ONCE(*y); smp_wmb(); WRITE_ONCE(*x, 1); }
exists (0:r0=1 /\ 1:r0=1))", "Never", "Never", "Never", "Sometimes"},
    {"WRC+po", R"(C WRC
{}
P0(int *x) { WRITE_ONCE(*x, 1); }
P1(int *x, int *y) { int r0; r0 = READ_ONCE(*x); WRITE_ONCE(*y, 1); }
P2(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\ 2:r0=1 /\ 2:r1=0))", "Never", "Never", "Sometimes", "Sometimes"},
    {"WRC+release+rmb", R"(C WRC
{}
P0(int *x) { WRITE_ONCE(*x, 1); }
P1(int *x, int *y) { int r0; r0 = READ_ONCE(*x); smp_store_release(y, 1); }
P2(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); smp_rmb(); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\ 2:r0=1 /\ 2:r1=0))", "Never", "Never", "Never", "Never"},
    {"IRIW+po", R"(C IRIW
{}
P0(int *x) { WRITE_ONCE(*x, 1); }
P1(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*x); r1 = READ_ONCE(*y); }
P2(int *y) { WRITE_ONCE(*y, 1); }
P3(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\ 1:r1=0 /\ 3:r0=1 /\ 3:r1=0))", "Never", "Never", "Sometimes", "Sometimes"},
    {"IRIW+mb", R"(C IRIW
{}
P0(int *x) { WRITE_ONCE(*x, 1); }
P1(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*x); smp_mb(); r1 = READ_ONCE(*y); }
P2(int *y) { WRITE_ONCE(*y, 1); }
P3(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); smp_mb(); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\ 1:r1=0 /\ 3:r0=1 /\ 3:r1=0))", "Never", "Never", "Never", "Never"},
    {"IRIW+rmb", R"(C IRIW
{}
P0(int *x) { WRITE_ONCE(*x, 1); }
P1(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*x); smp_rmb(); r1 = READ_ONCE(*y); }
P2(int *y) { WRITE_ONCE(*y, 1); }
P3(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); smp_rmb(); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\ 1:r1=0 /\ 3:r0=1 /\ 3:r1=0))", "Never", "Never", "Never", "Sometimes"},  // LKMM: Sometimes (non-MCA)
    {"2+2W+po", R"(C 2+2W
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); WRITE_ONCE(*y, 2); }
P1(int *x, int *y) { WRITE_ONCE(*y, 1); WRITE_ONCE(*x, 2); }
exists (x=1 /\ y=1))", "Never", "Never", "Sometimes", "Sometimes"},
    {"2+2W+wmb", R"(C 2+2W
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_wmb(); WRITE_ONCE(*y, 2); }
P1(int *x, int *y) { WRITE_ONCE(*y, 1); smp_wmb(); WRITE_ONCE(*x, 2); }
exists (x=1 /\ y=1))", "Never", "Never", "Never", "Sometimes"},  // LKMM: Sometimes (non-MCA)
    {"R+po", R"(C R
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 2); r0 = READ_ONCE(*x); }
exists (y=2 /\ 1:r0=0))", "Never", "Sometimes", "Sometimes", "Sometimes"},
    {"R+mb", R"(C R
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_mb(); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 2); smp_mb(); r0 = READ_ONCE(*x); }
exists (y=2 /\ 1:r0=0))", "Never", "Never", "Never", "Never"},
    {"S+po", R"(C S
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 2); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; r0 = READ_ONCE(*y); WRITE_ONCE(*x, 1); }
exists (x=2 /\ 1:r0=1))", "Never", "Never", "Sometimes", "Sometimes"},
    {"S+wmb+acquire", R"(C S
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 2); smp_wmb(); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; r0 = smp_load_acquire(y); WRITE_ONCE(*x, 1); }
exists (x=2 /\ 1:r0=1))", "Never", "Never", "Never", "Never"},
    {"ISA2+po", R"(C ISA2
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); WRITE_ONCE(*y, 1); }
P1(int *y, int *z) { int r0; r0 = READ_ONCE(*y); WRITE_ONCE(*z, 1); }
P2(int *x, int *z) { int r0; int r1; r0 = READ_ONCE(*z); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\ 2:r0=1 /\ 2:r1=0))", "Never", "Never", "Sometimes", "Sometimes"},
    {"ISA2+release+acquire", R"(C ISA2
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_store_release(y, 1); }
P1(int *y, int *z) { int r0; r0 = smp_load_acquire(y); smp_store_release(z, 1); }
P2(int *x, int *z) { int r0; int r1; r0 = smp_load_acquire(z); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\ 2:r0=1 /\ 2:r1=0))", "Never", "Never", "Never", "Never"},
    {"CoRR", R"(C CoRR
{}
P0(int *x) { WRITE_ONCE(*x, 1); }
P1(int *x) { int r0; int r1; r0 = READ_ONCE(*x); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\ 1:r1=0))", "Never", "Never", "Never", "Never"},
    {"MP+locks", R"(C MP
{}
P0(int *x, int *y, spinlock_t *s) { spin_lock(s); WRITE_ONCE(*x, 1); WRITE_ONCE(*y, 1); spin_unlock(s); }
P1(int *x, int *y, spinlock_t *s) { int r0; int r1; spin_lock(s); r0 = READ_ONCE(*y); r1 = READ_ONCE(*x); spin_unlock(s); }
exists (1:r0=1 /\ 1:r1=0))", "Never", "Never", "Never", "Never"},
    {"cmpxchg-fail-unordered", R"(C cmpxchg
{}
P0(int *x, int *y) { int r0; int r1; WRITE_ONCE(*x, 1); r1 = cmpxchg(y, 5, 6); r0 = READ_ONCE(*y); }
P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); smp_mb(); r0 = READ_ONCE(*x); }
exists (0:r1=0 /\ 0:r0=0 /\ 1:r0=0))", "Never", "Never", "Sometimes", "Sometimes"},
    // Cumulativity (LKMM: cumul-fence = A-cumul(strong-fence | po-rel) | wmb |
    // po-unlock-lock-po). smp_wmb is [W];fencerel(Wmb);[W]: P1's read of x
    // is not ordered before its write of y, and nothing else links them, so
    // no hb/pb cycle: Sometimes (sc/tso/relaxed are multi-copy atomic: Never).
    {"WRC+wmb+rmb", R"(C WRC
{}
P0(int *x) { WRITE_ONCE(*x, 1); }
P1(int *x, int *y) { int r0; r0 = READ_ONCE(*x); smp_wmb(); WRITE_ONCE(*y, 1); }
P2(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); smp_rmb(); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\ 2:r0=1 /\ 2:r1=0))", "Never", "Never", "Never", "Sometimes"},
    // spin_lock is only an acquire (acq-po orders the lock after nothing);
    // po-unlock-lock-po needs an unlock: Sometimes.
    {"WRC+lock+rmb", R"(C WRC
{}
P0(int *x) { WRITE_ONCE(*x, 1); }
P1(int *x, int *y, spinlock_t *s) { int r0; r0 = READ_ONCE(*x); spin_lock(s); WRITE_ONCE(*y, 1); spin_unlock(s); }
P2(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); smp_rmb(); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\ 2:r0=1 /\ 2:r1=0))", "Never", "Never", "Never", "Sometimes"},
    // po-unlock-lock-po across CPUs (P1's lock read P0's unlock, as r0=1
    // shows): Wx cumul-fence Wy; prop Rx(P2) fr Wx ; Wx->Wy ; rfe Ry is
    // int, with Ry rmb Rx an hb cycle: Never.
    {"ISA2+locks+rmb", R"(C ISA2
{}
P0(int *x, spinlock_t *s) { spin_lock(s); WRITE_ONCE(*x, 1); spin_unlock(s); }
P1(int *x, int *y, spinlock_t *s) { int r0; spin_lock(s); r0 = READ_ONCE(*x); WRITE_ONCE(*y, 1); spin_unlock(s); }
P2(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); smp_rmb(); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\ 2:r0=1 /\ 2:r1=0))", "Never", "Never", "Never", "Never"},
    // po-rel = [M];po;[Release] orders x before y only; z (po-after the
    // release) is unordered with x and y: Sometimes. relaxed implements the
    // release as smp_wmb + store, so z stays behind x there (Never, safe).
    {"MP+release+po-after", R"(C MP
{}
P0(int *x, int *y, int *z) { WRITE_ONCE(*x, 1); smp_store_release(y, 1); WRITE_ONCE(*z, 1); }
P1(int *x, int *z) { int r0; int r1; r0 = READ_ONCE(*z); smp_rmb(); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\ 1:r1=0))", "Never", "Never", "Never", "Sometimes"},
    {"MP+release+po-after-y", R"(C MP
{}
P0(int *x, int *y, int *z) { WRITE_ONCE(*x, 1); smp_store_release(y, 1); WRITE_ONCE(*z, 1); }
P1(int *y, int *z) { int r0; int r1; r0 = READ_ONCE(*z); smp_rmb(); r1 = READ_ONCE(*y); }
exists (1:r0=1 /\ 1:r1=0))", "Never", "Never", "Sometimes", "Sometimes"},
    // wmb orders x (po-before it) before y and z, not y before z.
    {"MP+wmb+between", R"(C MP
{}
P0(int *x, int *y, int *z) { WRITE_ONCE(*x, 1); smp_wmb(); WRITE_ONCE(*y, 1); WRITE_ONCE(*z, 1); }
P1(int *y, int *z) { int r0; int r1; r0 = READ_ONCE(*z); smp_rmb(); r1 = READ_ONCE(*y); }
exists (1:r0=1 /\ 1:r1=0))", "Never", "Never", "Sometimes", "Sometimes"},
    {"MP+wmb+before", R"(C MP
{}
P0(int *x, int *y, int *z) { WRITE_ONCE(*x, 1); smp_wmb(); WRITE_ONCE(*y, 1); WRITE_ONCE(*z, 1); }
P1(int *x, int *z) { int r0; int r1; r0 = READ_ONCE(*z); smp_rmb(); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\ 1:r1=0))", "Never", "Never", "Never", "Never"},
    // 2+2W, R: co is in neither hb nor cumul-fence, pb needs a strong fence
    // on every non-rf link; with release / wmb only: Sometimes.
    {"2+2W+release", R"(C 2+2W
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_store_release(y, 2); }
P1(int *x, int *y) { WRITE_ONCE(*y, 1); smp_store_release(x, 2); }
exists (x=1 /\ y=1))", "Never", "Never", "Never", "Sometimes"},
    {"R+wmb+mb", R"(C R
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_wmb(); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 2); smp_mb(); r0 = READ_ONCE(*x); }
exists (y=2 /\ 1:r0=0))", "Never", "Never", "Never", "Sometimes"},
    // S: prop Wx1 co Wx2 ; wmb ; rfe Ry is int (Wx1 -> Ry) but Ry -> Wx1 is
    // po without dependency (not ppo): no cycle, Sometimes (lkmm: the store
    // executes before the load).
    {"S+wmb+po", R"(C S
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 2); smp_wmb(); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; r0 = READ_ONCE(*y); WRITE_ONCE(*x, 1); }
exists (x=2 /\ 1:r0=1))", "Never", "Never", "Never", "Sometimes"},
    // properties/litmus/L1-A2-gup-vs-mkclean-mp.litmus: wmb orders the two
    // RMW writes (they are W events); Rm fr Wm ; wmb ; rfe Rxchg is prop & int,
    // and the xchg is fully ordered before Rm: Never.
    {"L1-A2-gup-vs-mkclean-mp", R"(C A2-gup-vs-mkclean-mp
{ atomic_t m = ATOMIC_INIT(1); atomic_t pin = ATOMIC_INIT(0); }
P0(atomic_t *m, atomic_t *pin) { atomic_add(1, m); smp_wmb(); atomic_add(1, pin); }
P1(atomic_t *m, atomic_t *pin) { int r0; int r1; r0 = atomic_xchg(pin, 0); smp_mb(); r1 = atomic_read(m); }
exists (1:r0=1 /\ 1:r1=1))", "Never", "Never", "Never", "Never"},
    // A Noreturn RMW's read is ordered by smp_mb (mb = [M];fencerel(Mb);[M];
    // only rmb excludes Noreturn): Rx fr Wx ; po-rel ; rfe Rinc is prop & int,
    // Rinc mb Rx closes an hb cycle: Never (C-PaulEMcKenney-MP+o-r+ai-mb-o).
    {"MP+xchg_release+inc-mb", R"(C MP
{}
P0(int *x, atomic_t *y) { int r0; WRITE_ONCE(*x, 1); r0 = atomic_xchg_release(y, 5); }
P1(int *x, atomic_t *y) { int r1; atomic_inc(y); smp_mb(); r1 = READ_ONCE(*x); }
exists (0:r0=0 /\ 1:r1=0))", "Never", "Never", "Never", "Never"},
    // The same with smp_rmb: rmb does not order Noreturn reads: Sometimes
    // (relaxed is multi-copy atomic: Never).
    {"MP+xchg_release+inc-rmb", R"(C MP
{}
P0(int *x, atomic_t *y) { int r0; WRITE_ONCE(*x, 1); r0 = atomic_xchg_release(y, 5); }
P1(int *x, atomic_t *y) { int r1; atomic_inc(y); smp_rmb(); r1 = READ_ONCE(*x); }
exists (0:r0=0 /\ 1:r1=0))", "Never", "Never", "Never", "Sometimes"},  // C-WillDeacon-MP+o-r+ai-rmb-o
    // A grace period orders only the CPUs with read-side critical sections:
    // to any other CPU synchronize_rcu() is the caller's strong fence and no
    // more (LKMM's RCU axiom involves critical sections only).
    {"SB+sync+po", R"(C SB
{}
P0(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); synchronize_rcu(); r0 = READ_ONCE(*x); }
P1(int *x, int *y) { int r1; WRITE_ONCE(*x, 1); r1 = READ_ONCE(*y); }
exists (0:r0=0 /\ 1:r1=0))", "Never", "Sometimes", "Sometimes", "Sometimes"},
    {"WRC+data+mb", R"(C WRC
{}
P0(int *x) { WRITE_ONCE(*x, 1); }
P1(int *x, int *y) { int r1; r1 = READ_ONCE(*x); WRITE_ONCE(*y, r1); }
P2(int *x, int *y) { int r2; int r3; r2 = READ_ONCE(*y); smp_mb(); r3 = READ_ONCE(*x); }
exists (1:r1=1 /\ 2:r2=1 /\ 2:r3=0))", "Never", "Never", "Never", "Sometimes"},
    {"WRC+data+sync", R"(C WRC
{}
P0(int *x) { WRITE_ONCE(*x, 1); }
P1(int *x, int *y) { int r1; r1 = READ_ONCE(*x); WRITE_ONCE(*y, r1); }
P2(int *x, int *y) { int r2; int r3; r2 = READ_ONCE(*y); synchronize_rcu(); r3 = READ_ONCE(*x); }
exists (1:r1=1 /\ 2:r2=1 /\ 2:r3=0))", "Never", "Never", "Never", "Sometimes"},
    // An address dependency from a load that read the CPU's own write
    // (ctrl ; rfi ; addr): LKMM does not order the last load after the first
    // (manual/kernel/C-PPOCA); with a data dependency into that write (dep ;
    // rfi ; addr, manual/kernel/C-PPO000-019) or the pointer from P0 (rfe ;
    // addr) it does.
    {"PPOCA", R"(C PPOCA
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_store_release(y, 1); }
P1(int *x, int *y, int *z) { int r1; int *r2; int r3;
  r1 = READ_ONCE(*y); if (r1) { WRITE_ONCE(*z, x); r2 = READ_ONCE(*z); r3 = READ_ONCE(*r2); } }
exists (1:r1=1 /\ 1:r2=x /\ 1:r3=0))", "Never", "Never", "Never", "Sometimes"},
    {"PPO000-019", R"(C PPO000-019
{ int *y = &a; }
P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_store_release(y, x); }
P1(int *x, int *y, int *z) { int *r1; int *r2; int r3;
  r1 = READ_ONCE(*y); WRITE_ONCE(*z, r1); r2 = READ_ONCE(*z); r3 = READ_ONCE(*r2); }
exists (1:r1=x /\ 1:r2=x /\ 1:r3=0))", "Never", "Never", "Never", "Never"},
    {"MP+rel+addr", R"(C MP+rel+addr
{ int *z = &y; }
P0(int *x, int *z) { WRITE_ONCE(*x, 1); smp_store_release(z, x); }
P1(int *x, int *z) { int *r2; int r3; r2 = READ_ONCE(*z); r3 = READ_ONCE(*r2); }
exists (1:r2=x /\ 1:r3=0))", "Never", "Never", "Never", "Never"},
    // LKMM's dependencies belong to one execution: on the path where the
    // branch is not taken r1 holds a constant, so the store after the if
    // depends on no load and may go before it (manual/kernel/
    // crypto-control-data); the load buffering assumes that path and the
    // execution ends if the branch goes the other way.
    {"LB+ctrl-join", R"(C LB+ctrl-join
{}
P0(int *x, int *y) { int r1; r1 = 1; if (READ_ONCE(*x) == 0) r1 = 0; WRITE_ONCE(*y, r1); }
P1(int *x, int *y) { int r2; r2 = READ_ONCE(*y); WRITE_ONCE(*x, r2); }
exists (0:r1=1))", "Never", "Never", "Never", "Sometimes"},
    // An early store that assumed the other path leaves no execution: y=1
    // was stored assuming r0 != 0.
    {"LB+ctrl-join-assumed", R"(C LB+ctrl-join-assumed
{}
P0(int *x, int *y) { int r0; int r1; r1 = 1; r0 = READ_ONCE(*x); if (r0 == 0) r1 = 0; WRITE_ONCE(*y, r1); }
P1(int *x) { WRITE_ONCE(*x, 1); }
exists (0:r0=0 /\ y=1))", "Never", "Never", "Never", "Never"},
    // The same with the loaded value assigned on the taken path: 0:r0=1 needs
    // y=1, which only that path stores, with a data dependency on the load.
    {"LB+ctrl-join-data", R"(C LB+ctrl-join-data
{}
P0(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*x); r1 = 0; if (r0) r1 = r0; WRITE_ONCE(*y, r1); }
P1(int *x, int *y) { int r2; r2 = READ_ONCE(*y); WRITE_ONCE(*x, r2); }
exists (0:r0=1))", "Never", "Never", "Never", "Never"},
    // A branch on a register no pending load wrote is no control dependency:
    // the store inside it may go before the load; inside a branch on the load
    // it may not (LB+ctrl).
    {"LB+const-if", R"(C LB+const-if
{}
P0(int *x, int *y) { int r0; int r1; r1 = 1; r0 = READ_ONCE(*x); if (r1) WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r2; r2 = READ_ONCE(*y); WRITE_ONCE(*x, r2); }
exists (0:r0=1))", "Never", "Never", "Never", "Sometimes"},
    {"LB+ctrl", R"(C LB+ctrl
{}
P0(int *x, int *y) { int r0; r0 = READ_ONCE(*x); if (r0) WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r2; r2 = READ_ONCE(*y); WRITE_ONCE(*x, r2); }
exists (0:r0=1))", "Never", "Never", "Never", "Never"},
    {"Always", R"(C always
{ x=3; }
P0(int *x) { int r0; r0 = READ_ONCE(*x); }
exists (0:r0=3))", "Always", "Always", "Always", "Always"},
  };
  return k;
}
// clang-format on

class ShapeTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ShapeTest, VerdictsPerModel) {
  const std::string model = GetParam();
  for (const Shape& s : shapes()) {
    const auto o = run_text(s.text, model);
    const char* want = model == "sc"        ? s.sc
                       : model == "tso"     ? s.tso
                       : model == "relaxed" ? s.relaxed
                                            : s.lkmm;
    EXPECT_EQ(o.verdict, want) << s.name << " under " << model << " " << o.reason;
    // Partial-order reduction: the same final outcomes, never more states.
    const auto r = run_text(s.text, model, /*por=*/true);
    EXPECT_EQ(r.verdict, o.verdict) << s.name << " under " << model << " --por";
    EXPECT_EQ(reach(r), reach(o)) << s.name << " under " << model << " --por";
    EXPECT_LE(r.states, o.states) << s.name << " under " << model << " --por";
  }
}

INSTANTIATE_TEST_SUITE_P(Models, ShapeTest, ::testing::Values("sc", "tso", "relaxed", "lkmm"));

// sc ⊑ tso ⊑ relaxed ⊑ lkmm: every final outcome of a stronger model is one of the
// weaker model (so a violation found under a stronger one is found under
// every weaker one).
TEST(StrengthOrder, ShapesOutcomesGrow) {
  const std::vector<std::string> models = {"sc", "tso", "relaxed", "lkmm"};
  for (const Shape& s : shapes()) {
    for (std::size_t i = 0; i + 1 < models.size(); ++i) {
      const auto strong = reach(run_text(s.text, models[i]));
      const auto weak = reach(run_text(s.text, models[i + 1]));
      EXPECT_TRUE(!strong.first || weak.first)
          << s.name << ": " << models[i] << " vs " << models[i + 1];
      EXPECT_TRUE(!strong.second || weak.second)
          << s.name << ": " << models[i] << " vs " << models[i + 1];
    }
  }
}

TEST(Runner, Unsupported) {
  const auto o = run_text(R"(C loop
{}
P0(int *x) { int r0; while (r0 == 0) r0 = READ_ONCE(*x); }
exists (0:r0=1))",
                          "relaxed");
  EXPECT_EQ(o.verdict, "unsupported");
  EXPECT_NE(o.reason.find("unsupported: while loop at inline.litmus:3"), std::string::npos)
      << o.reason;
}

TEST(Runner, MalformedFile) {
  litmus::RunOptions opts;
  const auto o = litmus::run_litmus_file("/nonexistent/x.litmus", opts);
  EXPECT_EQ(o.verdict, "error");
  const auto p = litmus::parse_litmus("C bad\n{\nP0(int *x) { WRITE_ONCE(*x, 1) }\n", "bad.litmus");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error->to_string().rfind("bad.litmus:", 0), 0u);
}

// Load buffering along an assumed path (lkmm): the state counts of the two
// shapes above, measured with the build that introduced it (a change in the
// paths taken or in which executions end shows here first).
TEST(Runner, LoadBufferingAlongAPath) {
  const auto find = [](const std::string& name) {
    for (const Shape& s : shapes()) {
      if (s.name == name) return std::string(s.text);
    }
    return std::string();
  };
  const auto join = run_text(find("LB+ctrl-join"), "lkmm");
  EXPECT_EQ(join.verdict, "Sometimes");
  EXPECT_EQ(join.states, 65u);
  const auto assumed = run_text(find("LB+ctrl-join-assumed"), "lkmm");
  EXPECT_EQ(assumed.verdict, "Never");
  EXPECT_FALSE(assumed.no_final_state);
  EXPECT_EQ(assumed.states, 40u);
}

TEST(Runner, DeadlockHasNoFinalState) {
  const auto o = run_text(R"(C self
{}
P0(spinlock_t *s) { spin_lock(s); spin_lock(s); }
exists (0:r0=0))",
                          "relaxed");
  EXPECT_EQ(o.verdict, "Never");
  EXPECT_TRUE(o.no_final_state);
  EXPECT_EQ(litmus::compare_verdict("DEADLOCK", o.verdict, o.no_final_state), true);
}

}  // namespace
}  // namespace mmcheck::memtest

// File: explorer/litmus/run.cpp
//
// Compiler (AST -> per-thread register code) and the interpreter spec
// LitmusSpec<Model, size class> explored by engine::Explorer. See run.hpp.
//
// Code: every memory access is its own instruction, hoisted out of
// expressions left to right into temporary registers; `if` becomes a
// conditional forward branch. Pure register instructions (assignments,
// branches, jumps) are fused into the preceding step (they commute with
// everything), so only memory operations interleave.
//
// Canonical states: after every step each CPU's views of locations it can no
// longer read (no load of them reachable from its pc) are marked don't-care,
// and history no one can read is dropped (memory/machine.hpp).
#include "litmus/run.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <stdexcept>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/explorer.hpp"
#include "litmus/parse.hpp"
#include "litmus/primitives.hpp"
#include "litmus/support.hpp"
#include "mmcheck/kernel/primitives.hpp"
#include "mmcheck/memory/environment.hpp"
#include "mmcheck/memory/machine.hpp"

namespace mmcheck::litmus {
namespace {

using memory::Model;
using memory::Ord;

constexpr std::int32_t kAddrBase = 0x40000000;  // value of &location[i] = kAddrBase + i

// ---------------------------------------------------------------------------
// Program.

struct PExpr {
  enum Kind : std::uint8_t { kConst, kReg, kUn, kBin, kTern } kind = kConst;
  std::int32_t value = 0;
  int reg = -1;
  UnaryOp un = UnaryOp::kNeg;
  BinaryOp bin = BinaryOp::kAdd;
  int a = -1, b = -1, c = -1;
};

enum class Op : std::uint8_t {
  kLoad,
  kStore,
  kRmw,
  kFence,
  kLock,
  kUnlock,
  kTrylock,
  kIsLocked,
  kRcuLock,
  kRcuUnlock,
  kSyncStart,
  kSyncWait,
  kAssign,
  kBranchZero,
  kJump,
};
enum class FenceK : std::uint8_t { kMb, kRmb, kWmb };
enum class RmwK : std::uint8_t {
  kXchg,
  kCmpxchg,
  kAdd,
  kSub,
  kAnd,
  kOr,
  kXor,
  kAndnot,
  kAddUnless
};
enum class RetK : std::uint8_t { kOld, kNew, kZeroTest, kNegative, kDone };

struct Insn {
  Op op = Op::kAssign;
  Ord ord = Ord::relaxed;
  FenceK fence = FenceK::kMb;
  RmwK rmw = RmwK::kXchg;
  RetK ret = RetK::kOld;
  int dst = -1;
  int loc = -1;            // constant location
  int addr_reg = -1;       // or: register holding the address
  bool addr_dep = false;   // that register was loaded from memory (address dependency)
  bool noreturn = false;   // RMW without a return value (atomic_inc...): LKMM's Noreturn
  bool plain = false;      // a plain C access (`*x`, `*x = v`), not READ_ONCE/WRITE_ONCE...
  std::uint64_t held = 0;  // constant-address spinlocks held here (in code order)
  int e1 = -1, e2 = -1;
  int target = 0;
  int join = 0;  // kBranchZero: the end of its if statement (after the else)
  int line = 0;
};

// Per program point, what the rest of a thread may do (ThreadCode::after).
struct After {
  std::uint64_t reads = 0;  // locations it may read
  // Locations a store or spin_unlock may write through the store buffer.
  std::uint64_t stores = 0;
  // The part of `stores` whose values may carry a requirement (lkmm): a
  // release store or spin_unlock, or a store after an smp_wmb or a lock.
  std::uint64_t cum_stores = 0;
  // Registers it may write (bit r): a register outside keeps its value.
  std::uint64_t regs = 0;
  // Locations a store, RMW, lock, trylock or unlock may write.
  std::uint64_t writes = 0;
  std::uint8_t lock = 0;  // an rcu_read_lock() may execute
  After& operator|=(const After& o) {
    reads |= o.reads, stores |= o.stores, cum_stores |= o.cum_stores, regs |= o.regs;
    writes |= o.writes, lock |= o.lock;
    return *this;
  }
};

struct ThreadCode {
  std::vector<Insn> code;
  // after[k]: what the instructions at or after k may do, on any path from
  // k (size code.size()+1; bit l a location, all bits a register address).
  std::vector<After> after;
  // wmb_after[k]: an smp_wmb() at an index after k (textually, whatever the
  // branches do; size code.size()+1).
  std::vector<std::uint8_t> wmb_after;
  // Registers that hold the address of an address-dependent load somewhere
  // in the thread (bit r): the only ones whose State::fwd bit is kept.
  std::uint32_t dep_addr_regs = 0;
  // Locations a store of the thread may write with a value or an address
  // computed from registers, or an RMW may write (bit l; all bits: a
  // register address): a load of them that reads the CPU's own write may
  // follow a dependency into that write (dep ; rfi).
  std::uint64_t dep_store_locs = 0;
  std::vector<std::string> regs;
  std::vector<std::int32_t> reg_init;
};

struct CProp {
  PropKind kind = PropKind::kTrue;
  // atom: operands: kind 0 const, 1 register(thread, reg), 2 location value
  struct Operand {
    int kind = 0;
    std::int32_t value = 0;
    int thread = 0, reg = 0, loc = 0;
  } lhs, rhs;
  CompareOp op = CompareOp::kEq;
  std::vector<CProp> children;
};

struct Program {
  std::vector<std::string> locs;
  std::vector<std::int32_t> init;
  std::vector<ThreadCode> threads;
  std::vector<PExpr> exprs;
  CProp cond;
  std::optional<CProp> filter;
  bool uses_sync = false;
  int max_regs = 0;
};

// Registers expression `e` reads (bit r; all bits for a register beyond 63).
std::uint64_t expr_regs(const Program& p, int e) {
  if (e < 0) return 0;
  const PExpr& x = p.exprs[e];
  if (x.kind == PExpr::kReg) return x.reg < 64 ? std::uint64_t{1} << x.reg : ~std::uint64_t{0};
  return expr_regs(p, x.a) | expr_regs(p, x.b) | expr_regs(p, x.c);
}

struct Unsup {
  std::string what;
  SourceLoc loc;
};

// ---------------------------------------------------------------------------
// Compiler.

class Compiler {
 public:
  explicit Compiler(const Test& t) : t_(t) {}

  Program run() {
    // Locations: init globals, parameters, condition locations.
    for (const InitItem& it : t_.init) {
      if (!it.thread) loc_of(it.name);
      if (it.value.kind == InitValueKind::kAddress) {
        // `0:r1=x` or `p=y`: y is a location unless it is a register name.
        loc_of(it.value.symbol);
      }
    }
    for (const Process& p : t_.processes) {
      for (const Param& q : p.params) loc_of(q.name);
    }
    p_.threads.resize(t_.processes.size());
    for (std::size_t i = 0; i < t_.processes.size(); ++i) compile_thread(static_cast<int>(i));
    p_.init.assign(p_.locs.size(), 0);
    for (const InitItem& it : t_.init) {
      const std::int32_t v = it.value.kind == InitValueKind::kAddress
                                 ? kAddrBase + loc_of(it.value.symbol)
                                 : static_cast<std::int32_t>(it.value.int_value);
      if (it.thread) {
        if (*it.thread < 0 || *it.thread >= static_cast<int>(p_.threads.size())) {
          throw Unsup{"register initialiser of a missing thread", it.loc};
        }
        tc_ = &p_.threads[*it.thread];
        const int r = reg_of(it.name);
        tc_->reg_init[r] = v;
      } else {
        p_.init[loc_of(it.name)] = v;
      }
    }
    if (t_.condition) p_.cond = prop(t_.condition->prop);
    if (t_.filter) p_.filter = prop(*t_.filter);
    p_.init.resize(p_.locs.size(), 0);
    for (auto& th : p_.threads) {
      th.reg_init.resize(th.regs.size(), 0);
      p_.max_regs = std::max<int>(p_.max_regs, th.regs.size());
    }
    return std::move(p_);
  }

 private:
  int loc_of(const std::string& name) {
    for (std::size_t i = 0; i < p_.locs.size(); ++i) {
      if (p_.locs[i] == name) return static_cast<int>(i);
    }
    p_.locs.push_back(name);
    return static_cast<int>(p_.locs.size()) - 1;
  }
  bool is_loc(const std::string& name) const {
    for (const auto& l : p_.locs) {
      if (l == name) return true;
    }
    return false;
  }
  int reg_of(const std::string& name) {
    for (std::size_t i = 0; i < tc_->regs.size(); ++i) {
      if (tc_->regs[i] == name) return static_cast<int>(i);
    }
    tc_->regs.push_back(name);
    tc_->reg_init.push_back(0);
    return static_cast<int>(tc_->regs.size()) - 1;
  }
  int temp() { return reg_of(absl::StrCat("$t", tc_->regs.size())); }
  // Is `name` a register in the current thread (declared, or not a global)?
  bool is_reg(const std::string& name) const { return declared_.count(name) || !is_loc(name); }

  int pexpr(PExpr e) {
    p_.exprs.push_back(e);
    return static_cast<int>(p_.exprs.size()) - 1;
  }
  int konst(std::int32_t v) { return pexpr({PExpr::kConst, v}); }
  int regexpr(int r) {
    PExpr e;
    e.kind = PExpr::kReg;
    e.reg = r;
    return pexpr(e);
  }
  int emit(Insn i) {
    const bool lock_bit = i.loc >= 0 && i.loc < 64;
    if (i.op == Op::kUnlock && lock_bit) held_ &= ~(std::uint64_t{1} << i.loc);
    i.held = held_;
    if (i.op == Op::kLock && lock_bit) held_ |= std::uint64_t{1} << i.loc;
    tc_->code.push_back(i);
    return static_cast<int>(tc_->code.size()) - 1;
  }

  void compile_thread(int i) {
    tc_ = &p_.threads[i];
    declared_.clear();
    tainted_.clear();
    held_ = 0;
    const Process& p = t_.processes[i];
    // Pre-scan: registers loaded from memory (for the address-dependency rule).
    for (const Stmt& s : p.body) scan_taint(s);
    for (const Stmt& s : p.body) stmt(s);
    if (tc_->code.size() > 250) throw Unsup{"thread longer than 250 instructions", p.loc};
    for (const Insn& in : tc_->code) {
      if (in.op == Op::kLoad && in.addr_dep && in.addr_reg < 32) {
        tc_->dep_addr_regs |= 1u << in.addr_reg;  // (more than 8 registers: unsupported)
      }
      if (in.op != Op::kStore && in.op != Op::kRmw) continue;
      if (in.loc < 0) {
        tc_->dep_store_locs = ~std::uint64_t{0};
      } else if (in.op == Op::kRmw || expr_regs(p_, in.e1) != 0) {
        tc_->dep_store_locs |= std::uint64_t{1} << in.loc;
      }
    }
    // after: backwards over forward-only control flow.
    const std::size_t n = tc_->code.size();
    tc_->after.assign(n + 1, After{});
    tc_->wmb_after.assign(n + 1, 0);
    for (std::size_t k = n; k-- > 0;) {
      const Insn& in = tc_->code[k];
      After a = in.op == Op::kJump ? tc_->after[in.target] : tc_->after[k + 1];
      if (in.op == Op::kBranchZero) a |= tc_->after[in.target];
      const std::uint64_t l = in.loc >= 0 ? (std::uint64_t{1} << in.loc) : ~std::uint64_t{0};
      if (in.op == Op::kRcuLock) a.lock = 1;
      if (in.op == Op::kStore || in.op == Op::kUnlock) {
        a.stores |= l;
        if (in.op == Op::kUnlock || in.ord == Ord::release) a.cum_stores |= l;
      }
      if ((in.op == Op::kFence && in.fence == FenceK::kWmb) || in.op == Op::kLock ||
          in.op == Op::kTrylock) {
        a.cum_stores |= a.stores;
      }
      if (in.dst >= 0) a.regs |= in.dst < 64 ? std::uint64_t{1} << in.dst : ~std::uint64_t{0};
      if (in.op == Op::kStore || in.op == Op::kRmw || in.op == Op::kLock || in.op == Op::kTrylock ||
          in.op == Op::kUnlock) {
        a.writes |= l;
      }
      const bool reads =
          in.op == Op::kLoad || in.op == Op::kIsLocked || in.op == Op::kTrylock ||
          (in.op == Op::kRmw && (in.rmw == RmwK::kCmpxchg || in.rmw == RmwK::kAddUnless));
      if (reads) a.reads |= l;
      tc_->after[k] = a;
      tc_->wmb_after[k] = tc_->wmb_after[k + 1] | (k + 1 < n && tc_->code[k + 1].op == Op::kFence &&
                                                   tc_->code[k + 1].fence == FenceK::kWmb);
    }
  }

  void scan_taint(const Stmt& s) {
    auto loads = [](const Expr& e) {
      const Expr* x = &e;
      while (x->kind == ExprKind::kCast && !x->operands.empty()) x = &x->operands[0];
      return x->kind == ExprKind::kCall ||
             (x->kind == ExprKind::kUnary && x->unary_op == UnaryOp::kDeref);
    };
    if (s.kind == StmtKind::kDecl) {
      for (const auto& d : s.decls) {
        if (d.init && loads(*d.init)) tainted_.insert(d.name);
      }
    } else if (s.kind == StmtKind::kAssign && s.lhs && s.lhs->kind == ExprKind::kIdent && s.rhs &&
               loads(*s.rhs)) {
      tainted_.insert(s.lhs->name);
    }
    for (const Stmt& c : s.body) scan_taint(c);
    for (const Stmt& c : s.else_body) scan_taint(c);
  }

  static const Expr& strip(const Expr& e) {
    const Expr* x = &e;
    while (x->kind == ExprKind::kCast && !x->operands.empty()) x = &x->operands[0];
    return *x;
  }

  void stmt(const Stmt& s) {
    switch (s.kind) {
      case StmtKind::kDecl:
        for (const Declarator& d : s.decls) {
          declared_.insert(d.name);
          const int r = reg_of(d.name);
          if (d.init) assign_reg(r, *d.init);
        }
        break;
      case StmtKind::kAssign: {
        const Expr& lhs = strip(*s.lhs);
        if (lhs.kind == ExprKind::kIdent && is_reg(lhs.name)) {
          const int r = reg_of(lhs.name);
          if (s.op == "=") {
            assign_reg(r, *s.rhs);
          } else {
            static const std::map<std::string, BinaryOp> kOps = {
                {"+=", BinaryOp::kAdd},    {"-=", BinaryOp::kSub},   {"*=", BinaryOp::kMul},
                {"&=", BinaryOp::kBitAnd}, {"|=", BinaryOp::kBitOr}, {"^=", BinaryOp::kBitXor},
                {"<<=", BinaryOp::kShl},   {">>=", BinaryOp::kShr}};
            auto it = kOps.find(s.op);
            if (it == kOps.end()) throw Unsup{absl::StrCat("operator ", s.op), s.loc};
            PExpr e;
            e.kind = PExpr::kBin;
            e.bin = it->second;
            e.a = regexpr(r);
            e.b = value(*s.rhs);
            Insn in;
            in.op = Op::kAssign;
            in.dst = r;
            in.e1 = pexpr(e);
            in.line = s.loc.line;
            emit(in);
          }
        } else if (lhs.kind == ExprKind::kUnary && lhs.unary_op == UnaryOp::kDeref && s.op == "=") {
          Insn in;
          in.op = Op::kStore;
          in.plain = true;
          address(lhs.operands[0], in);
          in.e1 = value(*s.rhs);
          in.line = s.loc.line;
          emit(in);
        } else {
          throw Unsup{"assignment to a non-register, non-dereference", s.loc};
        }
        break;
      }
      case StmtKind::kExpr: {
        const Expr& e = strip(*s.rhs);
        if (e.kind == ExprKind::kCall) {
          call(e, -1, false);
        } else {
          value(e);
        }
        break;
      }
      case StmtKind::kIf: {
        const int c = value(*s.cond);
        Insn br;
        br.op = Op::kBranchZero;
        br.e1 = c;
        br.line = s.loc.line;
        const int bi = emit(br);
        for (const Stmt& x : s.body) stmt(x);
        if (s.has_else) {
          Insn j;
          j.op = Op::kJump;
          const int ji = emit(j);
          tc_->code[bi].target = static_cast<int>(tc_->code.size());
          for (const Stmt& x : s.else_body) stmt(x);
          tc_->code[ji].target = static_cast<int>(tc_->code.size());
        } else {
          tc_->code[bi].target = static_cast<int>(tc_->code.size());
        }
        tc_->code[bi].join = static_cast<int>(tc_->code.size());
        break;
      }
      case StmtKind::kBlock:
        for (const Stmt& x : s.body) stmt(x);
        break;
      case StmtKind::kEmpty:
        break;
      default:
        throw Unsup{"statement", s.loc};
    }
  }

  void assign_reg(int r, const Expr& e0) {
    const Expr& e = strip(e0);
    if (e.kind == ExprKind::kCall) {
      call(e, r, true);
      return;
    }
    if (e.kind == ExprKind::kUnary && e.unary_op == UnaryOp::kDeref) {
      Insn in;
      in.op = Op::kLoad;
      in.plain = true;
      address(e.operands[0], in);
      in.dst = r;
      in.line = e.loc.line;
      emit(in);
      return;
    }
    Insn in;
    in.op = Op::kAssign;
    in.dst = r;
    in.e1 = value(e);
    in.line = e.loc.line;
    emit(in);
  }

  // Resolves a pointer expression into in.loc or in.addr_reg.
  void address(const Expr& e0, Insn& in) {
    const Expr& e = strip(e0);
    if (e.kind == ExprKind::kIdent && !is_reg(e.name)) {
      in.loc = loc_of(e.name);
      return;
    }
    if (e.kind == ExprKind::kUnary && e.unary_op == UnaryOp::kAddrOf) {
      const Expr& x = strip(e.operands[0]);
      if (x.kind == ExprKind::kIdent && !is_reg(x.name)) {
        in.loc = loc_of(x.name);
        return;
      }
    }
    if (e.kind == ExprKind::kIdent) {
      in.addr_reg = reg_of(e.name);
      in.addr_dep = tainted_.count(e.name) > 0;
      return;
    }
    throw Unsup{absl::StrCat("address expression '", to_string(e), "'"), e.loc};
  }

  // The location argument of a primitive: `*x` or `x`.
  void prim_address(const Expr& arg0, Insn& in) {
    const Expr& arg = strip(arg0);
    if (arg.kind == ExprKind::kUnary && arg.unary_op == UnaryOp::kDeref) {
      address(arg.operands[0], in);
    } else {
      address(arg, in);
    }
  }

  // A pure expression; memory accesses are emitted as instructions first.
  int value(const Expr& e0) {
    const Expr& e = strip(e0);
    switch (e.kind) {
      case ExprKind::kIntLit:
        return konst(static_cast<std::int32_t>(e.value));
      case ExprKind::kIdent:
        if (is_reg(e.name)) return regexpr(reg_of(e.name));
        return konst(kAddrBase + loc_of(e.name));
      case ExprKind::kUnary: {
        if (e.unary_op == UnaryOp::kDeref) {
          const int t = temp();
          assign_reg(t, e);
          return regexpr(t);
        }
        if (e.unary_op == UnaryOp::kAddrOf) {
          const Expr& x = strip(e.operands[0]);
          if (x.kind == ExprKind::kIdent && !is_reg(x.name))
            return konst(kAddrBase + loc_of(x.name));
          throw Unsup{"address-of a non-global", e.loc};
        }
        if (e.unary_op == UnaryOp::kPlus) return value(e.operands[0]);
        if (e.unary_op != UnaryOp::kNeg && e.unary_op != UnaryOp::kNot &&
            e.unary_op != UnaryOp::kBitNot) {
          throw Unsup{absl::StrCat("operator ", to_string(e.unary_op)), e.loc};
        }
        PExpr p;
        p.kind = PExpr::kUn;
        p.un = e.unary_op;
        p.a = value(e.operands[0]);
        return pexpr(p);
      }
      case ExprKind::kBinary: {
        PExpr p;
        p.kind = PExpr::kBin;
        p.bin = e.binary_op;
        p.a = value(e.operands[0]);
        p.b = value(e.operands[1]);
        return pexpr(p);
      }
      case ExprKind::kTernary: {
        PExpr p;
        p.kind = PExpr::kTern;
        p.a = value(e.operands[0]);
        p.b = value(e.operands[1]);
        p.c = value(e.operands[2]);
        return pexpr(p);
      }
      case ExprKind::kCall: {
        const int t = temp();
        call(e, t, true);
        return regexpr(t);
      }
      default:
        throw Unsup{absl::StrCat("expression '", to_string(e), "'"), e.loc};
    }
  }

  void call(const Expr& e, int dst, bool want) {
    const PrimitiveInfo* info = find_primitive(e.name);
    if (info == nullptr) throw Unsup{absl::StrCat("unknown primitive '", e.name, "'"), e.loc};
    if (want && dst < 0) dst = temp();
    Insn in;
    in.line = e.loc.line;
    in.dst = dst;
    const auto& args = e.operands;
    auto ord_of = [&] {
      switch (info->ordering) {
        case OrderingClass::kAcquire:
          return Ord::acquire;
        case OrderingClass::kRelease:
          return Ord::release;
        case OrderingClass::kFull:
          return Ord::full;
        default:
          return Ord::relaxed;
      }
    };
    switch (info->kind) {
      case PrimitiveKind::kLoad:
        in.op = Op::kLoad;
        in.ord = ord_of() == Ord::acquire ? Ord::acquire : Ord::relaxed;
        prim_address(args[0], in);
        if (dst < 0) in.dst = temp();
        emit(in);
        return;
      case PrimitiveKind::kStore: {
        in.op = Op::kStore;
        prim_address(args[0], in);
        in.e1 = value(args[1]);
        in.ord = ord_of() == Ord::release ? Ord::release : Ord::relaxed;
        emit(in);
        if (info->ordering == OrderingClass::kFull) {  // smp_store_mb
          Insn f;
          f.op = Op::kFence;
          f.fence = FenceK::kMb;
          f.line = in.line;
          emit(f);
        }
        return;
      }
      case PrimitiveKind::kFence:
        in.op = Op::kFence;
        if (info->ordering == OrderingClass::kCompilerBarrier) return;
        in.fence = info->ordering == OrderingClass::kReadBarrier    ? FenceK::kRmb
                   : info->ordering == OrderingClass::kWriteBarrier ? FenceK::kWmb
                                                                    : FenceK::kMb;
        emit(in);
        return;
      case PrimitiveKind::kLock:
      case PrimitiveKind::kUnlock:
      case PrimitiveKind::kLockQuery:
        in.op = info->kind == PrimitiveKind::kLock     ? Op::kLock
                : info->kind == PrimitiveKind::kUnlock ? Op::kUnlock
                                                       : Op::kIsLocked;
        prim_address(args[0], in);
        if (in.op == Op::kIsLocked && in.dst < 0) in.dst = temp();
        emit(in);
        return;
      case PrimitiveKind::kTrylock:
        in.op = Op::kTrylock;
        prim_address(args[0], in);
        if (in.dst < 0) in.dst = temp();
        emit(in);
        return;
      case PrimitiveKind::kRcuReadLock:
        in.op = Op::kRcuLock;
        emit(in);
        return;
      case PrimitiveKind::kRcuReadUnlock:
        in.op = Op::kRcuUnlock;
        emit(in);
        return;
      case PrimitiveKind::kRcuSync:
        p_.uses_sync = true;
        in.op = Op::kSyncStart;
        emit(in);
        in.op = Op::kSyncWait;
        emit(in);
        return;
      case PrimitiveKind::kRmw:
        rmw(e, *info, in, ord_of());
        return;
      default:
        throw Unsup{absl::StrCat("primitive '", e.name, "'"), e.loc};
    }
  }

  void rmw(const Expr& e, const PrimitiveInfo& info, Insn& in, Ord ord) {
    std::string n = e.name;
    for (const char* suf : {"_relaxed", "_acquire", "_release"}) {
      const std::string s(suf);
      if (n.size() > s.size() && n.compare(n.size() - s.size(), s.size(), s) == 0) {
        n.resize(n.size() - s.size());
      }
    }
    if (n.rfind("atomic_", 0) == 0) n = n.substr(7);
    if (n == "try_cmpxchg") throw Unsup{absl::StrCat("primitive '", e.name, "'"), e.loc};
    in.op = Op::kRmw;
    in.ord = ord;
    const auto& args = e.operands;
    prim_address(args[info.location_arg], in);
    auto other = [&](int k) { return value(args[k]); };
    static const std::map<std::string, RmwK> kBin = {
        {"add", RmwK::kAdd}, {"sub", RmwK::kSub}, {"and", RmwK::kAnd},
        {"or", RmwK::kOr},   {"xor", RmwK::kXor}, {"andnot", RmwK::kAndnot}};
    if (n == "xchg") {
      in.rmw = RmwK::kXchg;
      in.e1 = other(1);
      in.ret = RetK::kOld;
    } else if (n == "cmpxchg") {
      in.rmw = RmwK::kCmpxchg;
      in.e1 = other(1);
      in.e2 = other(2);
      in.ret = RetK::kOld;
    } else if (n == "inc" || n == "dec" || n == "fetch_inc" || n == "fetch_dec" ||
               n == "inc_return" || n == "dec_return" || n == "inc_and_test" ||
               n == "dec_and_test") {
      in.rmw = n.find("inc") != std::string::npos ? RmwK::kAdd : RmwK::kSub;
      in.e1 = konst(1);
      in.ret = n.rfind("fetch_", 0) == 0                  ? RetK::kOld
               : n.find("_and_test") != std::string::npos ? RetK::kZeroTest
                                                          : RetK::kNew;
    } else if (n == "add_unless" || n == "fetch_add_unless" || n == "inc_not_zero") {
      in.rmw = RmwK::kAddUnless;
      in.e1 = n == "inc_not_zero" ? konst(1) : other(1);
      in.e2 = n == "inc_not_zero" ? konst(0) : other(2);
      in.ret = n == "fetch_add_unless" ? RetK::kOld : RetK::kDone;
    } else {
      std::string op = n;
      RetK ret = RetK::kNew;
      if (op.rfind("fetch_", 0) == 0) {
        op = op.substr(6);
        ret = RetK::kOld;
      } else if (op.size() > 7 && op.substr(op.size() - 7) == "_return") {
        op.resize(op.size() - 7);
      } else if (op.size() > 9 && op.substr(op.size() - 9) == "_and_test") {
        op.resize(op.size() - 9);
        ret = RetK::kZeroTest;
      } else if (op == "add_negative") {
        op = "add";
        ret = RetK::kNegative;
      }
      auto it = kBin.find(op);
      if (it == kBin.end()) throw Unsup{absl::StrCat("primitive '", e.name, "'"), e.loc};
      in.rmw = it->second;
      in.e1 = other(info.location_arg == 0 ? 1 : 0);
      in.ret = ret;
    }
    in.noreturn = !info.returns_value;
    emit(in);
  }

  CProp::Operand operand(const CondOperand& o, bool lhs) {
    CProp::Operand r;
    switch (o.kind) {
      case CondOperand::Kind::kInt:
        r.kind = 0;
        r.value = static_cast<std::int32_t>(o.value);
        break;
      case CondOperand::Kind::kRegister:
        if (o.thread < 0 || o.thread >= static_cast<int>(p_.threads.size())) {
          throw Unsup{absl::StrCat("condition names missing thread ", o.thread), o.loc};
        }
        tc_ = &p_.threads[o.thread];
        r.kind = 1;
        r.thread = o.thread;
        r.reg = reg_of(o.name);
        break;
      case CondOperand::Kind::kLocation:
        if (lhs || o.deref) {
          r.kind = 2;
          r.loc = loc_of(o.name);
        } else {
          r.kind = 0;
          r.value = kAddrBase + loc_of(o.name);
        }
        break;
    }
    return r;
  }

  CProp prop(const Prop& p) {
    CProp c;
    c.kind = p.kind;
    if (p.kind == PropKind::kAtom) {
      c.lhs = operand(p.lhs, true);
      c.rhs = operand(p.rhs, false);
      c.op = p.op;
    }
    for (const Prop& ch : p.children) c.children.push_back(prop(ch));
    return c;
  }

  const Test& t_;
  Program p_;
  ThreadCode* tc_ = nullptr;
  std::set<std::string> declared_;
  std::set<std::string> tainted_;
  std::uint64_t held_ = 0;  // see Insn::held
};

std::int32_t eval(const Program& p, int idx, const std::int32_t* regs) {
  const PExpr& e = p.exprs[idx];
  switch (e.kind) {
    case PExpr::kConst:
      return e.value;
    case PExpr::kReg:
      return regs[e.reg];
    case PExpr::kUn: {
      const std::int32_t a = eval(p, e.a, regs);
      switch (e.un) {
        case UnaryOp::kNeg:
          return static_cast<std::int32_t>(0u - static_cast<std::uint32_t>(a));
        case UnaryOp::kNot:
          return !a;
        default:
          return ~a;
      }
    }
    case PExpr::kTern:
      return eval(p, e.a, regs) ? eval(p, e.b, regs) : eval(p, e.c, regs);
    case PExpr::kBin: {
      const std::int64_t a = eval(p, e.a, regs), b = eval(p, e.b, regs);
      std::int64_t r = 0;
      switch (e.bin) {
        case BinaryOp::kMul:
          r = a * b;
          break;
        case BinaryOp::kDiv:
          r = b ? a / b : 0;
          break;
        case BinaryOp::kMod:
          r = b ? a % b : 0;
          break;
        case BinaryOp::kAdd:
          r = a + b;
          break;
        case BinaryOp::kSub:
          r = a - b;
          break;
        case BinaryOp::kShl:
          r = (b >= 0 && b < 32) ? (a << b) : 0;
          break;
        case BinaryOp::kShr:
          r = (b >= 0 && b < 32) ? (a >> b) : 0;
          break;
        case BinaryOp::kLt:
          r = a < b;
          break;
        case BinaryOp::kGt:
          r = a > b;
          break;
        case BinaryOp::kLe:
          r = a <= b;
          break;
        case BinaryOp::kGe:
          r = a >= b;
          break;
        case BinaryOp::kEq:
          r = a == b;
          break;
        case BinaryOp::kNe:
          r = a != b;
          break;
        case BinaryOp::kBitAnd:
          r = a & b;
          break;
        case BinaryOp::kBitXor:
          r = a ^ b;
          break;
        case BinaryOp::kBitOr:
          r = a | b;
          break;
        case BinaryOp::kLogAnd:
          r = a && b;
          break;
        case BinaryOp::kLogOr:
          r = a || b;
          break;
      }
      return static_cast<std::int32_t>(r);
    }
  }
  return 0;
}

// ---------------------------------------------------------------------------
// lkmm: plain accesses in a possible data race (docs/memory-model.md).
//
// The model runs a plain access (`r = *x`, `*x = v`) like READ_ONCE /
// WRITE_ONCE. LKMM does not: a plain access in a data race may be torn,
// repeated, fused or invented by the compiler, and LKMM flags the race
// instead of predicting an outcome. Static rule: a plain access A of thread
// T races with an access B of another thread when both may touch the same
// location (a constant address; an address in a register may be any location
// whose address the test takes), at least one of them writes (a store, RMW or
// lock operation), and no constant-address spinlock is held (in code order)
// at both. Over-approximates LKMM's race (it ignores ordering), so a
// race-free test may be reported too; never misses a pair. run_litmus_test
// reports the race as unsupported only when the verdict would be Never or
// Always: a Sometimes stands, its witness being an execution of one legal
// compilation (every plain access done once, untorn).
std::optional<Unsup> plain_race(const Program& p) {
  const int n = static_cast<int>(p.locs.size());
  std::vector<bool> addressed(n, false);  // &loc appears as a value
  auto note = [&](std::int32_t v) {
    const std::int64_t a = static_cast<std::int64_t>(v) - kAddrBase;
    if (a >= 0 && a < n) addressed[a] = true;
  };
  for (const PExpr& e : p.exprs) {
    if (e.kind == PExpr::kConst) note(e.value);
  }
  for (std::int32_t v : p.init) note(v);
  for (const ThreadCode& t : p.threads) {
    for (std::int32_t v : t.reg_init) note(v);
  }
  auto may_touch = [&](const Insn& in, int loc) {
    return in.loc >= 0 ? in.loc == loc : addressed[loc];
  };
  auto accesses = [](Op op) {
    return op == Op::kLoad || op == Op::kStore || op == Op::kRmw || op == Op::kLock ||
           op == Op::kUnlock || op == Op::kTrylock || op == Op::kIsLocked;
  };
  auto writes = [](Op op) {
    return op == Op::kStore || op == Op::kRmw || op == Op::kLock || op == Op::kUnlock ||
           op == Op::kTrylock;
  };
  for (std::size_t t = 0; t < p.threads.size(); ++t) {
    for (const Insn& a : p.threads[t].code) {
      if (!a.plain) continue;
      for (std::size_t u = 0; u < p.threads.size(); ++u) {
        if (u == t) continue;
        for (const Insn& b : p.threads[u].code) {
          if (!accesses(b.op) || (!writes(a.op) && !writes(b.op)) || (a.held & b.held) != 0) {
            continue;
          }
          for (int l = 0; l < n; ++l) {
            if (!may_touch(a, l) || !may_touch(b, l)) continue;
            SourceLoc loc;
            loc.line = a.line;
            return Unsup{absl::StrCat("plain ", a.op == Op::kStore ? "store to" : "load from", " '",
                                      p.locs[l], "' in a possible data race with P", u, " line ",
                                      b.line, " (lkmm)"),
                         loc};
          }
        }
      }
    }
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// The interpreter spec.

template <Model M, int Cpus, int Locs, int Sb, int Hist, int Regs>
struct LitmusSpec {
  using B = memory::Bounds<Cpus, Locs, Sb, Hist>;
  using Machine = memory::Machine<M, B>;
  using K = kernel::Kernel<Machine>;
  static constexpr int kCpus = Cpus, kLocs = Locs, kRegs = Regs;

  struct State {
    typename Machine::Mem mem;
    std::int32_t regs[Cpus][Regs];
    std::uint32_t gp_need[Cpus];
    std::uint8_t pc[Cpus];
    std::uint8_t rcu_nest[Cpus];
    // lkmm: bit k = instruction pc+k already executed (load buffering).
    std::uint8_t early[Cpus];
    // lkmm: bit k = an early store assumed how the branch at pc+k goes
    // (path_on) and that it jumps (path_jump); see store_early().
    std::uint8_t path_on[Cpus];
    std::uint8_t path_jump[Cpus];
    // lkmm: bit r = register r was last written by a load that read the
    // CPU's own write (rfi); kept only for ThreadCode::dep_addr_regs.
    std::uint8_t fwd[Cpus];
    std::uint8_t qs_rmb[Cpus];  // a quiescent state passed: rmb at the next rcu_read_lock
    bool operator==(const State&) const = default;
  };
  // lkmm load buffering: the instructions from pc that `early`, `path_on`
  // and `path_jump` cover, one bit each.
  static constexpr int kWindow = 8;
  static_assert(kWindow == 8 * sizeof(State::early[0]) && kWindow == 8 * sizeof(State::path_on[0]));
  struct Config {
    std::shared_ptr<const Program> prog;
    int ncpus = 0;
    int nlocs = 0;
    int sb_limit = Sb;
    // --por: per thread, 1 + the index of its last synchronize_rcu (0: none).
    std::vector<int> sync_end;
    bool full_graph = false;  // RunOptions::full_graph
    // CPUs with an rcu_read_lock() in their code: the only ones a grace
    // period waits for (kSyncStart).
    std::uint32_t rcu_readers = 0;
    // Outcome cut (within()): set before the search when a final state
    // satisfying (pos_known) or violating (neg_known) the condition is
    // already known; off with full_graph.
    bool cut = false;
    bool pos_known = false, neg_known = false;
  };
  using Family = ActionFamily<State, Config>;
  using Prop_ = Property<State, Config>;

  static constexpr std::string_view name = "litmus";
  static constexpr std::string_view summary = "C litmus test interpreter";
  static constexpr DeadlockPolicy deadlock_policy = DeadlockPolicy::off;
  static std::span<const ProposalSpec> proposals() {
    static constexpr ProposalSpec kP[] = {{"default", "as written"}};
    return kP;
  }
  static std::span<const ParamSpec> params() { return {}; }
  static Config configure(const RunConfig&) { return Config{}; }

  static int memory_cpus(const Config& c) { return c.ncpus; }
  static int memory_locs(const Config& c) { return c.nlocs; }

  // A quiescent state reported as soon as rcu.qs's guard holds, wherever a
  // later report could make no difference. The report clears the CPU's bit of
  // every grace period (clearing earlier never disables a step, only lets
  // synchronize_rcu() return sooner, which the scheduler may still delay) and
  // sets qs_rmb, which matters only to a later rcu_read_lock() and only with
  // views (relaxed, lkmm: an smp_rmb there). So under sc and tso, and for a
  // CPU with no rcu_read_lock() ahead, the eager report reaches the same final
  // states as the explicit rcu.qs step at every later moment, without the
  // interleavings of that step; rcu.qs remains for the other cases.
  static bool qs_eager(const Config& cfg, const State& s, int d) {
    if (cfg.full_graph) return false;
    return !Machine::kViews || cfg.prog->threads[d].after[s.pc[d]].lock == 0;
  }
  static void canon(const Config& cfg, State& s) {
    if (cfg.prog->uses_sync) {
      for (int d = 0; d < cfg.ncpus; ++d) {
        if (s.rcu_nest[d] == 0 && qs_eager(cfg, s, d) && Machine::can_mb(s.mem, d)) {
          for (int c = 0; c < cfg.ncpus; ++c) s.gp_need[c] &= ~(std::uint32_t{1} << d);
        }
      }
    }
    for (int c = 0; c < cfg.ncpus; ++c) {
      Machine::set_relevant(s.mem, c, cfg.prog->threads[c].after[s.pc[c]].reads);
      if (s.pc[c] >= cfg.prog->threads[c].code.size() && Machine::sb_empty(s.mem, c) &&
          s.gp_need[c] == 0 && !retired(cfg, s, c) && Machine::propagated_everywhere(s.mem, c)) {
        Machine::retire(s.mem, c);
      }
    }
    Machine::normalize(s.mem);
  }
  static void after_memory_step(const Config& cfg, State& s) { canon(cfg, s); }
  // mem.advance(cpu, loc) only right before a read of loc by cpu's next
  // instruction (views matter to nothing else; advance commutes with all
  // other steps), which removes most interleavings of invalidations.
  static bool may_advance(const Config& cfg, const State& s, int cpu, int loc) {
    const auto& code = cfg.prog->threads[cpu].code;
    if (s.pc[cpu] >= code.size()) return false;
    const Insn& in = code[s.pc[cpu]];
    const bool reads =
        in.op == Op::kLoad || in.op == Op::kIsLocked || in.op == Op::kTrylock ||
        (in.op == Op::kRmw && (in.rmw == RmwK::kCmpxchg || in.rmw == RmwK::kAddUnless));
    return reads && (in.loc == loc || in.loc < 0);
  }

  // lkmm: mem.propagate(cpu, loc) only when the value can matter now (a
  // reduction like may_advance). Every step of this spec is a step of the
  // full model, so nothing is added; nothing is lost because a value's
  // arrival at a CPU is read only by
  //   - that CPU's loads and RMWs (the view moves up to the frontier; a
  //     value-returning RMW needs the newest value): allowed right before
  //     such an access of `loc`;
  //   - that CPU's smp_rmb / acquire / smp_mb (views jump to the frontier):
  //     a lower frontier there only leaves the CPU more values to read, and
  //     the load that reads a newer value propagates and advances first;
  //   - that CPU's commits (coherence position after the frontier) and
  //     A-cumulative writes (their requirement): a lower frontier only allows
  //     more positions and weaker requirements;
  //   - a strong fence of CPU x (smp_mb, fully ordered RMW, synchronize_rcu,
  //     a quiescent state x owes a grace period): it waits until what reached
  //     x reached every CPU (propagated_everywhere), so while x is there the
  //     values that reached x may propagate to the CPUs they have not reached;
  //   - load buffering of CPU x past an smp_wmb (own_writes_everywhere):
  //     x's own latest writes may propagate;
  // and each of these also allows what the pending values require first
  // (the `req` closure); and, last below, a delivery that a later commit
  // could slip an older store under (the frontier is an index). canon()'s
  // retirement of a finished CPU is not needed for any outcome. So
  // propagation to a CPU that nobody waits for is mostly not enabled, and
  // final states have few propagation successors. This is an argument, not
  // a proof (its first version missed the last case: C-gap1 in
  // tests/memory/reduction_test.cpp); RunOptions::full_graph switches it off,
  // and the tests and a corpus comparison (docs/memory-model.md) check it.
  static bool strong_pending(const Config& cfg, const State& s, int x) {
    const auto& code = cfg.prog->threads[x].code;
    if (cfg.prog->uses_sync && s.rcu_nest[x] == 0) {
      for (int c = 0; c < cfg.ncpus; ++c) {
        if ((s.gp_need[c] >> x) & 1) return true;  // rcu.qs(x) or the eager report
      }
    }
    if (s.pc[x] >= code.size()) return false;
    const Insn& in = code[s.pc[x]];
    switch (in.op) {
      case Op::kFence:
        return in.fence == FenceK::kMb;
      case Op::kRmw:
        return in.ord == Ord::full;
      case Op::kSyncStart:
      case Op::kSyncWait:
        return true;
      default:
        return false;
    }
  }
  // Load buffering of x may pass a later smp_wmb (own_writes_everywhere).
  static bool lb_wmb_pending(const Config& cfg, const State& s, int x) {
    const auto& code = cfg.prog->threads[x].code;
    if (s.pc[x] >= code.size() || code[s.pc[x]].op != Op::kLoad) return false;
    return cfg.prog->threads[x].wmb_after[s.pc[x]] != 0;
  }
  static bool may_propagate(const Config& cfg, const State& s, int cpu, int loc) {
    if (cfg.full_graph) return true;
    const auto& m = s.mem;
    std::uint64_t need = 0;
    const auto& code = cfg.prog->threads[cpu].code;
    if (s.pc[cpu] < code.size()) {
      const Insn& in = code[s.pc[cpu]];
      switch (in.op) {
        case Op::kLoad:
        case Op::kIsLocked:
        case Op::kRmw:
        case Op::kLock:
        case Op::kTrylock:
          need = loc_bits(cfg, in, &s, cpu);
          break;
        default:
          break;
      }
    }
    for (int x = 0; x < cfg.ncpus; ++x) {
      if (strong_pending(cfg, s, x)) {
        for (int l = 0; l < cfg.nlocs; ++l) {
          const std::uint8_t px = Machine::prop(m, x, l), pc = Machine::prop(m, cpu, l);
          if (px == memory::kDontCare || pc == memory::kDontCare) continue;
          if (x == cpu ? pc < Machine::nrq(m, x, l) : pc < px) need |= std::uint64_t{1} << l;
        }
      }
      if (x != cpu && lb_wmb_pending(cfg, s, x)) {
        for (int l = 0; l < cfg.nlocs; ++l) {
          const std::uint8_t o = Machine::own(m, x, l);
          const std::uint8_t pc = Machine::prop(m, cpu, l);
          if (o != 0 && pc != memory::kDontCare && pc < o) need |= std::uint64_t{1} << l;
        }
      }
    }
    // The requirement closure of the pending values of what is needed (until
    // it reaches loc).
    const std::uint64_t bit = std::uint64_t{1} << loc;
    for (std::uint64_t done = 0; need != done && (need & bit) == 0;) {
      const std::uint64_t todo = need & ~done;
      done = need;
      for (int l = 0; l < cfg.nlocs; ++l) {
        if (((todo >> l) & 1) == 0) continue;
        const std::uint8_t p = Machine::prop(m, cpu, l);
        if (p == memory::kDontCare) continue;
        for (int i = p + 1; i < m.len[l]; ++i) {
          for (int l2 = 0; l2 < cfg.nlocs; ++l2) {
            const std::uint8_t r = Machine::req(m, l, i, l2);
            const std::uint8_t q = Machine::prop(m, cpu, l2);
            if (r != 0 && l2 != l && q != memory::kDontCare && q < r) {
              need |= std::uint64_t{1} << l2;
            }
          }
        }
      }
    }
    if ((need & bit) != 0) return true;
    // A store of another CPU that has not received the value may still be
    // inserted before it in coherence order (a commit's `way`). If the value
    // reached `cpu` first, the inserted one counts as received without its
    // requirements (the frontier is an index); delivered later, it would
    // need them. So that early delivery stays possible when such a store may
    // carry a requirement (release, unlock, after smp_wmb or a lock, or the
    // CPU's `fen` is already set).
    const int next = Machine::prop(m, cpu, loc) + 1;
    for (int x = 0; x < cfg.ncpus; ++x) {
      if (x == cpu || Machine::top(m, x, loc) >= next) continue;
      bool fen = false;
      for (int l = 0; l < cfg.nlocs && !fen; ++l) {
        fen = Machine::fen(m, x, l) != 0;
      }
      for (int i = 0; i < m.sb_n[x]; ++i) {
        if (m.sb_loc[x][i] == loc &&
            (fen || m.sb_cum[x][i] != memory::kCumPlain || m.sb_group[x][i] > 0)) {
          return true;
        }
      }
      const auto& t = cfg.prog->threads[x];
      const int k = s.pc[x];  // at most code.size(): the tables have one more entry
      if (((fen ? t.after[k].stores : t.after[k].cum_stores) >> loc) & 1) return true;
    }
    return false;
  }

  // Register r of `cpu` now holds a value that did (own) or did not come
  // from a read of the CPU's own write (State::fwd: registers 0-7 only).
  static void set_fwd(State& s, int cpu, int r, bool own) {
    if (r >= 8) return;
    s.fwd[cpu] = static_cast<std::uint8_t>((s.fwd[cpu] & ~(1u << r)) | (own ? 1u << r : 0u));
  }

  // Moves `cpu` to `to` (forward), skipping instructions executed early.
  static void move_pc(State& s, int cpu, int to) {
    auto shift = [&](std::uint8_t& bits, int d) {
      bits = d >= kWindow ? 0 : static_cast<std::uint8_t>(bits >> d);
    };
    const int d = to - s.pc[cpu];
    shift(s.early[cpu], d), shift(s.path_on[cpu], d), shift(s.path_jump[cpu], d);
    s.pc[cpu] = static_cast<std::uint8_t>(to);
    while (s.early[cpu] & 1) {
      ++s.pc[cpu];
      shift(s.early[cpu], 1), shift(s.path_on[cpu], 1), shift(s.path_jump[cpu], 1);
    }
  }

  // Runs local (register-only) instructions of `cpu` from its pc. Returns
  // false when a branch goes against what an early store assumed (lkmm):
  // that execution does not exist.
  static bool run_local(const Config& cfg, State& s, int cpu) {
    const Program& p = *cfg.prog;
    const auto& code = p.threads[cpu].code;
    std::int32_t* regs = s.regs[cpu];
    while (s.pc[cpu] < code.size()) {
      const Insn& in = code[s.pc[cpu]];
      if (in.op == Op::kAssign) {
        regs[in.dst] = eval(p, in.e1, regs);
        set_fwd(s, cpu, in.dst, false);
        move_pc(s, cpu, s.pc[cpu] + 1);
      } else if (in.op == Op::kBranchZero) {
        const bool jump = eval(p, in.e1, regs) == 0;
        if ((s.path_on[cpu] & 1) != 0 && (s.path_jump[cpu] & 1) != static_cast<unsigned>(jump)) {
          return false;
        }
        move_pc(s, cpu, jump ? in.target : s.pc[cpu] + 1);
      } else if (in.op == Op::kJump) {
        move_pc(s, cpu, in.target);
      } else {
        break;
      }
    }
    return true;
  }

  static State initial(const Config& cfg) {
    State s;
    std::memset(&s, 0, sizeof s);
    Machine::init(s.mem, cfg.prog->init);
    for (int c = 0; c < cfg.ncpus; ++c) {
      const auto& ri = cfg.prog->threads[c].reg_init;
      for (std::size_t r = 0; r < ri.size(); ++r) s.regs[c][r] = ri[r];
      run_local(cfg, s, c);
    }
    for (int c = cfg.ncpus; c < Cpus; ++c) {
      Machine::set_relevant(s.mem, c, 0);
      Machine::retire(s.mem, c);
    }
    canon(cfg, s);
    return s;
  }

  static int resolve(const Insn& in, const State& s, int cpu, int nlocs) {
    if (in.loc >= 0) return in.loc;
    const std::int64_t a = static_cast<std::int64_t>(s.regs[cpu][in.addr_reg]) - kAddrBase;
    if (a < 0 || a >= nlocs) {
      throw SpecError(absl::StrCat("line ", in.line, ": access through a non-pointer value ",
                                   s.regs[cpu][in.addr_reg]));
    }
    return static_cast<int>(a);
  }

  static std::int32_t apply(RmwK k, std::int32_t old, std::int32_t v, std::int32_t w) {
    switch (k) {
      case RmwK::kXchg:
        return v;
      case RmwK::kCmpxchg:
        return w;
      case RmwK::kAdd:
        return static_cast<std::int32_t>(static_cast<std::uint32_t>(old) +
                                         static_cast<std::uint32_t>(v));
      case RmwK::kSub:
        return static_cast<std::int32_t>(static_cast<std::uint32_t>(old) -
                                         static_cast<std::uint32_t>(v));
      case RmwK::kAnd:
        return old & v;
      case RmwK::kOr:
        return old | v;
      case RmwK::kXor:
        return old ^ v;
      case RmwK::kAndnot:
        return old & ~v;
      case RmwK::kAddUnless:
        return static_cast<std::int32_t>(static_cast<std::uint32_t>(old) +
                                         static_cast<std::uint32_t>(v));
    }
    return old;
  }

  // One step of `cpu`, alternative `alt` (1: the failure path of a
  // conditional primitive). Returns false (and leaves s unspecified) when the
  // step is not enabled.
  static bool exec(const Config& cfg, State& s, int cpu, int alt) {
    const Program& p = *cfg.prog;
    const auto& code = p.threads[cpu].code;
    if (s.pc[cpu] >= code.size()) return false;
    const Insn& in = code[s.pc[cpu]];
    std::int32_t* regs = s.regs[cpu];
    auto& m = s.mem;
    const bool conditional =
        in.op == Op::kTrylock ||
        (in.op == Op::kRmw && (in.rmw == RmwK::kCmpxchg || in.rmw == RmwK::kAddUnless));
    if (alt >= 2) return kLoadBuffering && store_early(cfg, s, cpu, alt - 2);
    if (alt == 1 && !conditional) return false;
    switch (in.op) {
      case Op::kLoad: {
        const int loc = resolve(in, s, cpu, cfg.nlocs);
        // An address-dependent load refreshes every view (an smp_rmb): it is
        // ordered after the load its address came from, and that load after
        // the earlier ones. Under lkmm not when that load read the CPU's own
        // write and no store of the thread to that location takes its value
        // or address from a register: LKMM orders a load after the one its
        // address depends on (to-r = addr ; [R]), and a read from the CPU's
        // own write after earlier loads only through a dependency into that
        // write (dep ; rfi), not through ctrl ; rfi (C-PPOCA; with a data
        // dependency, C-PPO000-019, the refresh stays).
        const ThreadCode& tc = cfg.prog->threads[cpu];
        const bool fwd_addr = Machine::kLk && in.addr_dep && in.addr_reg < 8 &&
                              ((s.fwd[cpu] >> in.addr_reg) & 1) != 0;
        const bool own = Machine::kLk && in.dst < 8 && ((tc.dep_addr_regs >> in.dst) & 1) != 0 &&
                         ((tc.dep_store_locs >> loc) & 1) == 0 && Machine::reads_own(m, cpu, loc);
        std::int32_t v;
        if (in.addr_dep && !fwd_addr) {
          v = K::read_once_dep(m, cpu, loc);
        } else {
          v = K::read_once(m, cpu, loc);
        }
        if (in.ord == Ord::acquire) Machine::rmb(m, cpu);
        regs[in.dst] = v;
        set_fwd(s, cpu, in.dst, own);
        break;
      }
      case Op::kStore: {
        if (!Machine::can_store(m, cpu, cfg.sb_limit)) return false;
        const int loc = resolve(in, s, cpu, cfg.nlocs);
        const std::int32_t v = eval(p, in.e1, regs);
        if (in.ord == Ord::release) {
          Machine::store_release(m, cpu, loc, v);  // lkmm: A-cumulative po-rel
        } else {
          K::write_once(m, cpu, loc, v);
        }
        break;
      }
      case Op::kFence:
        if (in.fence == FenceK::kMb) {
          if (!K::can_smp_mb(m, cpu)) return false;
          K::smp_mb(m, cpu);
        } else if (in.fence == FenceK::kRmb) {
          K::smp_rmb(m, cpu);
        } else {
          K::smp_wmb(m, cpu);
        }
        break;
      case Op::kRmw: {
        const int loc = resolve(in, s, cpu, cfg.nlocs);
        const std::int32_t v = eval(p, in.e1, regs);
        const std::int32_t w = in.e2 >= 0 ? eval(p, in.e2, regs) : 0;
        if (conditional) {
          // cmpxchg(x, v, w): succeeds when x == v; add_unless(x, v, w): when x != w.
          const std::int32_t seen = Machine::load(m, cpu, loc);
          const bool fails_on_seen = in.rmw == RmwK::kCmpxchg ? seen != v : seen == w;
          if (alt == 1) {
            if constexpr (!Machine::kViews) {
              if (!Machine::can_rmw(m, cpu, loc, in.ord)) return false;  // locked instruction
            }
            if (!fails_on_seen) return false;
            if (in.dst >= 0) {
              regs[in.dst] = in.ret == RetK::kDone ? 0 : seen;
            }
            break;
          }
          if (!Machine::can_rmw(m, cpu, loc, in.ord)) return false;
          const std::int32_t cur = Machine::rmw_read(m, loc);
          const bool ok = in.rmw == RmwK::kCmpxchg ? cur == v : cur != w;
          if (!ok) return false;
        } else if (!Machine::can_rmw(m, cpu, loc, in.ord, !in.noreturn)) {
          return false;
        }
        const std::int32_t old =
            K::rmw(m, cpu, loc, in.ord, [&](std::int32_t o) { return apply(in.rmw, o, v, w); });
        const std::int32_t nw = apply(in.rmw, old, v, w);
        if (in.dst >= 0) {
          switch (in.ret) {
            case RetK::kOld:
              regs[in.dst] = old;
              break;
            case RetK::kNew:
              regs[in.dst] = nw;
              break;
            case RetK::kZeroTest:
              regs[in.dst] = nw == 0;
              break;
            case RetK::kNegative:
              regs[in.dst] = nw < 0;
              break;
            case RetK::kDone:
              regs[in.dst] = 1;
              break;
          }
        }
        break;
      }
      case Op::kLock: {
        const int loc = resolve(in, s, cpu, cfg.nlocs);
        if (!K::can_spin_lock(m, cpu, loc)) return false;
        K::spin_lock(m, cpu, loc);
        break;
      }
      case Op::kUnlock: {
        if (!K::can_spin_unlock(m, cpu)) return false;
        Machine::unlock(m, cpu, resolve(in, s, cpu, cfg.nlocs));  // lkmm: po-unlock-lock-po
        break;
      }
      case Op::kTrylock: {
        const int loc = resolve(in, s, cpu, cfg.nlocs);
        if (alt == 0) {
          if (!K::can_spin_lock(m, cpu, loc)) return false;
          K::spin_lock(m, cpu, loc);
          regs[in.dst] = 1;
        } else {
          if constexpr (!Machine::kViews) {
            if (!Machine::can_rmw(m, cpu, loc, Ord::acquire)) return false;
          }
          if (!K::can_spin_trylock_fail(m, cpu, loc)) return false;
          regs[in.dst] = 0;
        }
        break;
      }
      case Op::kIsLocked:
        regs[in.dst] = K::spin_is_locked(m, cpu, resolve(in, s, cpu, cfg.nlocs));
        break;
      case Op::kRcuLock:
        ++s.rcu_nest[cpu];
        if (s.qs_rmb[cpu]) {
          Machine::rmb(m, cpu);
          s.qs_rmb[cpu] = 0;
        }
        break;
      case Op::kRcuUnlock:
        if (s.rcu_nest[cpu] > 0) --s.rcu_nest[cpu];
        break;
      case Op::kSyncStart:
        if (!K::can_smp_mb(m, cpu)) return false;
        K::smp_mb(m, cpu);
        // Every CPU that has read-side critical sections, this one included:
        // a synchronize_rcu() inside one never completes (self-deadlock).
        // A CPU with none owes the grace period nothing: LKMM's RCU axiom
        // (linux-kernel.cat, rcu-order) relates grace periods to critical
        // sections only, and the kernel's RCU requirements promise a full
        // barrier only to the caller and to CPUs with a critical section
        // begun before the grace period or ended after it
        // (Documentation/RCU/Design/Requirements/Requirements.rst,
        // "Memory-Barrier Guarantees"). Making a CPU without critical
        // sections pass a quiescent state gave it a strong fence LKMM does
        // not have (WRC+data+sync: Never instead of the Sometimes of
        // WRC+data+mb).
        s.gp_need[cpu] = cfg.rcu_readers;
        break;
      case Op::kSyncWait:
        if (s.gp_need[cpu] != 0 || !K::can_smp_mb(m, cpu)) return false;
        K::smp_mb(m, cpu);
        break;
      default:
        return false;
    }
    if (in.op != Op::kLoad && in.dst >= 0) set_fwd(s, cpu, in.dst, false);
    move_pc(s, cpu, s.pc[cpu] + 1);
    if (!run_local(cfg, s, cpu)) return false;
    canon(cfg, s);
    return true;
  }

  // lkmm load buffering: a relaxed store with a constant address may execute
  // before po-earlier relaxed loads (constant address, other location) when
  // neither its value nor whether it executes depends on them. LKMM's
  // dependencies belong to one execution: a register assigned a constant on
  // the path taken carries none, and a control dependency covers only the
  // branches of an if whose condition depends on such a load, not what
  // follows the if. So the window (kWindow instructions from the load at pc) is
  // walked along one path: an assignment whose operands depend on no pending
  // load is evaluated, a branch whose condition depends on none goes the way
  // it will go, and a branch whose condition does goes the way bit i of
  // `path` says (the i-th such branch, at most kPathBits of them; `path` is
  // thread.step's alternative minus 2). The early store records that
  // assumption (State::path_on, path_jump) and run_local() ends the
  // execution if the branch goes the other way (crypto-control-data).
  // Besides such loads, only already-done stores, rcu_read_lock/unlock,
  // smp_rmb, forward branches and jumps, assignments, and relaxed
  // constant-address stores to other locations inside a dependent branch
  // (they stay: control dependency; LKMM has no W->W order without a fence)
  // may lie between (no smp_mb, RMW or lock; an smp_wmb when only plain
  // stores of the window precede it). The first store on the path outside
  // every dependent branch is the candidate.
  static constexpr bool kLoadBuffering = M == Model::lkmm;
  static constexpr int kPathBits = 2;
  static constexpr int kAlts = kLoadBuffering ? 2 + (1 << kPathBits) : 2;
  static bool store_early(const Config& cfg, State& s, int cpu, int path) {
    const Program& p = *cfg.prog;
    const auto& code = p.threads[cpu].code;
    const int pc = s.pc[cpu];
    const int end = std::min(pc + kWindow, static_cast<int>(code.size()));
    auto bit = [](int n) { return std::uint64_t{1} << n; };
    std::int32_t regs[Regs];
    std::memcpy(regs, s.regs[cpu], sizeof regs);
    std::uint64_t pending_locs = 0;
    std::uint64_t taint = 0;  // registers whose value depends on a pending load
    int ctrl_end = 0;         // instructions before it lie in a dependent branch
    int bits = 0;             // bits of `path` used
    std::uint8_t on = s.path_on[cpu], jump = s.path_jump[cpu];
    bool marked_store = false;  // a marked store of the window is not done or was done early
    bool wmb = false;           // an smp_wmb lies between
    for (int i = pc; i < end;) {
      const int k = i - pc;
      const Insn& in = code[i];
      if ((s.early[cpu] >> k) & 1) {
        marked_store = marked_store || !in.plain;
        ++i;
        continue;
      }
      if (in.op == Op::kLoad && in.ord == Ord::relaxed && in.loc >= 0) {
        if (in.dst >= 64) return false;
        pending_locs |= bit(in.loc);
        taint |= bit(in.dst);
        ++i;
        continue;
      }
      if (k == 0) return false;
      if (in.op == Op::kRcuLock || in.op == Op::kRcuUnlock) {  // no ordering
        ++i;
        continue;
      }
      // smp_rmb orders reads against reads only (LKMM: [R]; fencerel(Rmb); [R]): a
      // store may pass it; the loads around it stay in order (only one store moves).
      if (in.op == Op::kFence && in.fence == FenceK::kRmb) {
        ++i;
        continue;
      }
      // smp_wmb orders marked writes only (LKMM's cumul-fence and hb relate
      // Marked events): the store may pass it when no marked store of the
      // window precedes it and every store the CPU already did has reached
      // every CPU (Machine::own_writes_everywhere: nothing left to order).
      // Reached later, the smp_wmb also orders the early store before the
      // CPU's later stores (stronger than LKMM; see docs/warts-memory.md).
      if (in.op == Op::kFence && in.fence == FenceK::kWmb) {
        if (marked_store) return false;
        wmb = true;
        ++i;
        continue;
      }
      if (in.op == Op::kAssign) {
        if ((expr_regs(p, in.e1) & taint) != 0) {
          if (in.dst >= 64) return false;
          taint |= bit(in.dst);
        } else {
          regs[in.dst] = eval(p, in.e1, regs);
          if (in.dst < 64) taint &= ~bit(in.dst);
        }
        ++i;
        continue;
      }
      if (in.op == Op::kJump) {
        if (in.target <= i) return false;
        i = in.target;
        continue;
      }
      if (in.op == Op::kBranchZero) {
        if (in.target <= i) return false;
        const std::uint8_t kb = static_cast<std::uint8_t>(1u << k);
        bool j;
        if ((expr_regs(p, in.e1) & taint) != 0) {
          if ((on & kb) != 0) {
            j = (jump & kb) != 0;
          } else {
            if (bits == kPathBits) return false;
            j = ((path >> bits++) & 1) != 0;
            on |= kb;
            if (j) jump |= kb;
          }
          ctrl_end = std::max(ctrl_end, in.join);
        } else {
          j = eval(p, in.e1, regs) == 0;
          if ((on & kb) != 0 && ((jump & kb) != 0) != j) return false;  // a dead end
        }
        i = j ? in.target : i + 1;
        continue;
      }
      if (in.op != Op::kStore || in.ord != Ord::relaxed || in.loc < 0) return false;
      if (i < ctrl_end) {  // inside a dependent branch: it stays
        pending_locs |= bit(in.loc);
        marked_store = marked_store || !in.plain;
        ++i;
        continue;
      }
      if ((pending_locs >> in.loc) & 1) return false;
      if ((expr_regs(p, in.e1) & taint) != 0) return false;
      if ((path >> bits) != 0) return false;  // the same store as a smaller `path`
      if (!Machine::can_store(s.mem, cpu, cfg.sb_limit)) return false;
      if (wmb && !Machine::own_writes_everywhere(s.mem, cpu)) return false;
      K::write_once(s.mem, cpu, in.loc, eval(p, in.e1, regs));
      s.early[cpu] |= static_cast<std::uint8_t>(1u << k);
      s.path_on[cpu] = on;
      s.path_jump[cpu] = jump;
      canon(cfg, s);
      return true;
    }
    return false;
  }
  static int step_count(const Config& c) { return c.ncpus * kAlts; }
  static bool step_guard(const Config& cfg, const State& s, int p) {
    // Cheap decisions first; only guarded memory operations need a trial run.
    const int cpu = p / kAlts, alt = p % kAlts;
    const auto& code = cfg.prog->threads[cpu].code;
    if (s.pc[cpu] >= code.size()) return false;
    const Insn& in = code[s.pc[cpu]];
    if (alt == 0) {
      // A path assumed by an early store may end the execution (run_local()).
      if (s.path_on[cpu] == 0) switch (in.op) {
          case Op::kLoad:
          case Op::kIsLocked:
            // A register address needs the trial run below (resolve()).
            if (in.loc >= 0) return true;
            break;
          case Op::kRcuLock:
          case Op::kRcuUnlock:
            return true;
          case Op::kStore:
            if (!Machine::can_store(s.mem, cpu, cfg.sb_limit)) return false;
            if (in.loc >= 0) return true;
            break;
          case Op::kFence:
            return in.fence != FenceK::kMb || K::can_smp_mb(s.mem, cpu);
          default:
            break;
        }
    } else if (alt == 1) {
      const bool conditional =
          in.op == Op::kTrylock ||
          (in.op == Op::kRmw && (in.rmw == RmwK::kCmpxchg || in.rmw == RmwK::kAddUnless));
      if (!conditional) return false;
    } else {
      if (in.op != Op::kLoad) return false;  // load buffering starts at a pending load
      // A path needs as many branches in the window as it has bits.
      int branches = 0;
      const std::size_t end = std::min<std::size_t>(s.pc[cpu] + kWindow, code.size());
      for (std::size_t k = s.pc[cpu] + 1; k < end; ++k) branches += code[k].op == Op::kBranchZero;
      if (((alt - 2) >> std::min(branches, kPathBits)) != 0) return false;
    }
    State t = s;
    return exec(cfg, t, p / kAlts, p % kAlts);
  }
  static void step_effect(const Config& cfg, State& s, int p) {
    exec(cfg, s, p / kAlts, p % kAlts);
  }
  static int step_actor(const Config&, int p) { return p / kAlts; }

  // rcu.qs(cpu): `cpu`, outside any read-side critical section, passes a
  // quiescent state for every pending grace period (drains nothing itself:
  // it needs an empty store buffer; applies its invalidate queue).
  static int qs_count(const Config& c) { return c.prog->uses_sync ? c.ncpus : 0; }
  static bool qs_guard(const Config& cfg, const State& s, int d) {
    if (s.rcu_nest[d] != 0 || !Machine::can_mb(s.mem, d)) return false;
    for (int c = 0; c < cfg.ncpus; ++c) {
      if ((s.gp_need[c] >> d) & 1) return true;
    }
    return false;
  }
  // The quiescent CPU's next read-side critical section must see what was
  // visible at the quiescent state (its invalidate queue is applied at that
  // rcu_read_lock(), not now: reads outside critical sections get no RCU
  // ordering, e.g. C-PaulEMcKenney-MP+o-sync-o+o-o is Sometimes).
  static void qs_effect(const Config& cfg, State& s, int d) {
    s.qs_rmb[d] = 1;
    for (int c = 0; c < cfg.ncpus; ++c) s.gp_need[c] &= ~(std::uint32_t{1} << d);
    canon(cfg, s);
  }
  static int qs_actor(const Config&, int d) { return d; }

  static std::span<const Family> actions() {
    static constexpr Family kOwn[] = {
        {"thread.step", "cpu_alt", &step_count, &step_guard, &step_effect, &step_actor},
        {"rcu.qs", "cpu", &qs_count, &qs_guard, &qs_effect, &qs_actor},
    };
    return memory::with_environment<LitmusSpec>(kOwn);
  }

  static bool is_final(const Config& cfg, const State& s) {
    for (int c = 0; c < cfg.ncpus; ++c) {
      if (s.pc[c] < cfg.prog->threads[c].code.size()) return false;
      if (!Machine::sb_empty(s.mem, c)) return false;
    }
    return true;
  }

  // In a final state every operand is settled (no instruction ahead, empty
  // buffers), so decide() below gives the two-valued answer.
  static bool kept(const Config& cfg, const State& s) {
    return is_final(cfg, s) && (!cfg.prog->filter || decide(cfg, *cfg.prog->filter, s) == 1);
  }
  static bool pos(const Config& cfg, const State& s) {
    return kept(cfg, s) && decide(cfg, cfg.prog->cond, s) == 1;
  }
  static bool neg(const Config& cfg, const State& s) {
    return kept(cfg, s) && decide(cfg, cfg.prog->cond, s) == 0;
  }
  // The outcome cut. A register no instruction ahead of its thread's pc can
  // write (After::regs) holds its final value, so an atom over constants and
  // such registers already has its final truth value, and so does one over a
  // location no instruction ahead may write and no buffer holds a store to
  // (After::writes); decide() evaluates the condition in Kleene's
  // three-valued logic: 1 true, 0 false, -1 undecided. A state whose filter
  // is decided false reaches no kept final state; one whose condition is
  // decided reaches only kept final states with that value. So once a kept
  // final state with that value is known (the probe walks in explore()), the
  // state's successors cannot change either verdict bit and within() cuts
  // them. Exact for any reduced graph too: a state on a path to a kept final
  // state of the other value is never decided.
  static int operand3(const Config& cfg, const CProp::Operand& o, const State& s, std::int32_t* v) {
    switch (o.kind) {
      case 0:
        *v = o.value;
        return 1;
      case 1: {
        const auto& t = cfg.prog->threads[o.thread];
        const std::uint64_t bit = o.reg < 64 ? std::uint64_t{1} << o.reg : ~std::uint64_t{0};
        if ((t.after[std::min<std::size_t>(s.pc[o.thread], t.code.size())].regs & bit) != 0)
          return -1;
        *v = s.regs[o.thread][o.reg];
        return 1;
      }
      default: {
        // Settled once no instruction ahead may write it and no buffer holds
        // a store to it: its coherence order is complete.
        for (int t = 0; t < cfg.ncpus; ++t) {
          const auto& tc = cfg.prog->threads[t];
          if ((tc.after[std::min<std::size_t>(s.pc[t], tc.code.size())].writes >> o.loc) & 1)
            return -1;
          for (int i = 0; i < s.mem.sb_n[t]; ++i) {
            if (s.mem.sb_loc[t][i] == o.loc) return -1;
          }
        }
        *v = Machine::newest(s.mem, o.loc);
        return 1;
      }
    }
  }
  static int decide(const Config& cfg, const CProp& c, const State& s) {
    switch (c.kind) {
      case PropKind::kTrue:
        return 1;
      case PropKind::kFalse:
        return 0;
      case PropKind::kAtom: {
        std::int32_t a = 0, b = 0;
        if (operand3(cfg, c.lhs, s, &a) < 0 || operand3(cfg, c.rhs, s, &b) < 0) return -1;
        return (a == b) == (c.op == CompareOp::kEq) ? 1 : 0;
      }
      case PropKind::kNot: {
        const int d = decide(cfg, c.children[0], s);
        return d < 0 ? -1 : 1 - d;
      }
      case PropKind::kAnd:
      case PropKind::kOr: {
        // One child with the absorbing value (false for and, true for or)
        // decides; otherwise undecided if a child is, else the identity.
        const int absorbing = c.kind == PropKind::kAnd ? 0 : 1;
        int r = 1 - absorbing;
        for (const auto& ch : c.children) {
          const int d = decide(cfg, ch, s);
          if (d == absorbing) return absorbing;
          if (d < 0) r = -1;
        }
        return r;
      }
    }
    return -1;
  }
  static bool within(const Config& cfg, const State& s) {
    if (!cfg.cut) return true;
    if (!cfg.prog->filter && !cfg.pos_known && !cfg.neg_known) return true;  // nothing to cut
    if (cfg.prog->filter && decide(cfg, *cfg.prog->filter, s) == 0) return false;
    const int d = decide(cfg, cfg.prog->cond, s);
    return !((d == 0 && cfg.neg_known) || (d == 1 && cfg.pos_known));
  }
  static std::span<const Prop_> properties() {
    static constexpr Prop_ kProps[] = {
        {PropertyKind::reachable, "condition_holds", "a final state satisfies the condition", &pos},
        {PropertyKind::reachable, "condition_fails", "a final state violates the condition", &neg},
    };
    return kProps;
  }
  // ---- partial-order reduction (--por) -------------------------------------
  // Reduction actors: CPU c's instructions and memory steps are actor c; its
  // quiescent-state reports (rcu.qs) are actor ncpus + c.
  //
  // Resources (Footprint bits): bit l is location l (its values in coherence
  // order, their requirements, every CPU's view of it); bit nlocs + d, Q(d),
  // is CPU d's RCU status: bit d of every grace-period word (gp_need), d's
  // rcu_nest and qs_rmb, and whether d's store buffer is empty (rcu.qs(d)
  // needs it; canon()'s eager quiescent state after d's rcu_read_unlock or
  // the commit that empties d's buffer writes only Q(d)); when locations
  // and CPUs exceed 60 bits every Q(d) is kGp; under lkmm kProp is "some
  // CPU's propagation frontier" (read only by strong fences) and kRetire "which CPUs are retired"
  // (canon() retires a finished CPU once every value it has reached every live CPU, so any step
  // that moves a frontier may retire another CPU; only strong fences read that). A CPU's pc,
  // registers, store buffer, views and `early` are its own (rcu_nest, qs_rmb: see Q(d)).
  // Store-buffer entries are the CPU's own until mem.commit writes them to memory; mem.advance and
  // mem.propagate of a CPU are that CPU's steps (their actor is the CPU).
  //
  // Visibility: both properties hold only in final states (every thread done,
  // every buffer empty), where the only steps left (rcu.qs, lkmm propagation)
  // change neither registers, pcs, buffers nor the newest value of any
  // location, i.e. nothing the condition reads. So a final state reachable in
  // the full graph has a reachable counterpart with the same condition value
  // in the reduced one (a path either contains a step of the chosen actor,
  // which commutes to the front, or the chosen actor is done, and under lkmm
  // a done, unretired CPU is never chosen): por_visible is 0.
  static constexpr std::uint64_t kGp = std::uint64_t{1} << 63;
  static constexpr std::uint64_t kProp = std::uint64_t{1} << 62;
  static constexpr std::uint64_t kRetire = std::uint64_t{1} << 61;
  static_assert(Locs <= 60, "locations and the named resources share 64 bits");
  static constexpr bool kLk = M == Model::lkmm;

  static std::uint64_t all_locs(const Config& c) { return (std::uint64_t{1} << c.nlocs) - 1; }
  // Q(d); 0 when the test has no grace periods (no rcu.qs steps).
  static std::uint64_t q_bit(const Config& c, int d) {
    if (!c.prog->uses_sync) return 0;
    return c.nlocs + c.ncpus <= 60 ? std::uint64_t{1} << (c.nlocs + d) : kGp;
  }
  static std::uint64_t all_q(const Config& c) {
    std::uint64_t q = 0;
    for (int d = 0; d < c.ncpus; ++d) q |= q_bit(c, d);
    return q;
  }
  // What refreshing every view reads (smp_rmb, acquire, address dependency).
  static std::uint64_t view_reads(const Config& c) { return Machine::kViews ? all_locs(c) : 0; }
  // What a strong fence reads (smp_mb, fully ordered RMW, grace periods).
  static std::uint64_t strong_reads(const Config& c) {
    return kLk ? all_locs(c) | kProp | kRetire : view_reads(c);
  }
  // The location an instruction accesses: in state `s` (next steps) or, with
  // no state (future steps), any location when the address is in a register.
  static std::uint64_t loc_bits(const Config& c, const Insn& in, const State* s, int cpu) {
    if (in.loc >= 0) return std::uint64_t{1} << in.loc;
    if (s == nullptr) return all_locs(c);
    const std::int64_t a = static_cast<std::int64_t>(s->regs[cpu][in.addr_reg]) - kAddrBase;
    return a >= 0 && a < c.nlocs ? std::uint64_t{1} << a : all_locs(c);
  }
  // A store-buffer entry's commit to `loc` by `cpu`: under lkmm a release
  // entry's requirement reads the CPU's frontiers of every location; the
  // buffer may become empty (Q).
  static Footprint commit_fp(const Config& c, int cpu, std::uint64_t loc, bool release) {
    Footprint f{loc, loc | q_bit(c, cpu)};
    if (kLk && release) f.reads |= all_locs(c);
    if (kLk) f.writes |= kRetire;
    return f;
  }
  // One execution of `in` by `cpu`; `future` adds the commit of a buffered store.
  static Footprint insn_fp(const Config& c, const Insn& in, const State* s, int cpu, bool future) {
    Footprint f;
    switch (in.op) {
      case Op::kLoad:
      case Op::kIsLocked:
        f.reads = loc_bits(c, in, s, cpu);
        if (in.addr_dep || in.ord == Ord::acquire) f.reads |= view_reads(c);
        break;
      case Op::kStore:
      case Op::kUnlock: {
        const std::uint64_t l = loc_bits(c, in, s, cpu);
        if (!Machine::kBuffered) {
          f.writes = l;
        } else {
          f.writes = q_bit(c, cpu);  // the buffer is no longer empty
          if (future) f |= commit_fp(c, cpu, l, in.ord == Ord::release || in.op == Op::kUnlock);
        }
        break;
      }
      case Op::kFence:
        f.reads = in.fence == FenceK::kMb    ? strong_reads(c)
                  : in.fence == FenceK::kRmb ? view_reads(c)
                                             : 0;
        break;
      case Op::kRmw:
      case Op::kLock:
      case Op::kTrylock: {
        const std::uint64_t l = loc_bits(c, in, s, cpu);
        f.reads = f.writes = l;
        const Ord ord = in.op == Op::kRmw ? in.ord : Ord::acquire;
        if (ord == Ord::full) f.reads |= strong_reads(c);
        if (ord == Ord::acquire) f.reads |= view_reads(c);
        if (kLk && (ord == Ord::full || ord == Ord::release)) f.reads |= all_locs(c);
        break;
      }
      case Op::kRcuLock:
        if (s == nullptr || s->qs_rmb[cpu]) f.reads = view_reads(c);
        f.reads |= q_bit(c, cpu);
        f.writes = q_bit(c, cpu);
        break;
      case Op::kRcuUnlock:
        f.writes = q_bit(c, cpu);
        break;
      case Op::kSyncStart:
        f.reads = strong_reads(c);
        f.writes = all_q(c);  // gp_need[cpu]: bit d is Q(d)
        break;
      case Op::kSyncWait:
        f.reads = strong_reads(c) | all_q(c);
        break;
      default:  // register-only
        break;
    }
    if (kLk && (f.writes & all_locs(c)) != 0) f.writes |= kRetire;
    return f;
  }
  // rcu.qs(d): reads its guard (d's nest, buffer, pending bits; can_mb),
  // clears bit d of every grace-period word, sets qs_rmb[d].
  static Footprint qs_fp(const Config& c, int d) {
    Footprint f{strong_reads(c) | q_bit(c, d), q_bit(c, d)};
    if (kLk) f.writes |= kRetire;  // a finished grace period may let a CPU retire
    return f;
  }
  static bool retired(const Config& c, const State& s, int cpu) {
    return kLk && c.nlocs > 0 && Machine::prop(s.mem, cpu, 0) == memory::kDontCare;
  }
  static int por_actors(const Config& c) { return 2 * c.ncpus; }
  static int por_actor(const Config& c, int family, int, int actor) {
    return family == 1 ? c.ncpus + actor : actor;  // family 1: rcu.qs (actions())
  }
  static Footprint por_next(const Config& c, const State& s, int actor) {
    if (actor >= c.ncpus) return qs_fp(c, actor - c.ncpus);
    const int cpu = actor;
    const auto& code = c.prog->threads[cpu].code;
    const bool done = s.pc[cpu] >= code.size() && Machine::sb_empty(s.mem, cpu);
    // A finished CPU's only steps are propagations, which canon() disables
    // once another CPU's step retires it.
    if (kLk && done && !retired(c, s, cpu)) return Footprint::everything();
    Footprint f;
    if (s.pc[cpu] < code.size()) {
      const Insn& in = code[s.pc[cpu]];
      f = insn_fp(c, in, &s, cpu, false);
      // mem.advance: any location before a read through a register (may_advance).
      if (in.loc < 0 && in.op != Op::kRcuLock && in.op != Op::kRcuUnlock) f.reads |= view_reads(c);
      if (kLk) {
        // A last memory access may let the CPU retire.
        bool last = true;
        for (std::size_t k = s.pc[cpu] + 1; k < code.size() && last; ++k) {
          const Op op = code[k].op;
          last = op == Op::kAssign || op == Op::kBranchZero || op == Op::kJump;
        }
        if (last) f.writes |= kRetire;
      }
    }
    for (int i = 0; i < s.mem.sb_n[cpu]; ++i) {
      f |= commit_fp(c, cpu, std::uint64_t{1} << s.mem.sb_loc[cpu][i],
                     s.mem.sb_cum[cpu][i] != memory::kCumPlain);
    }
    if (kLk && !retired(c, s, cpu)) {
      for (int l = 0; l < c.nlocs; ++l) {
        f.reads |= std::uint64_t{1} << l;
        const std::uint8_t p = Machine::prop(s.mem, cpu, l);
        if (p != memory::kDontCare && p + 1 < s.mem.len[l]) {
          for (int l2 = 0; l2 < c.nlocs; ++l2) {
            if (Machine::req(s.mem, l, p + 1, l2) != 0) f.reads |= std::uint64_t{1} << l2;
          }
        }
      }
      f.writes |= kProp | kRetire | all_q(c);  // a quiescent state may become eager
    }
    return f;
  }
  static Footprint por_future(const Config& c, const State& s, int actor) {
    if (actor >= c.ncpus) {
      // rcu.qs(d) has a future while a grace period waits for d or may start,
      // unless d's reports are eager from here on (After::lock only falls).
      const int d = actor - c.ncpus;
      if (qs_eager(c, s, d)) return Footprint{};
      bool pending = false;
      for (int k = 0; k < c.ncpus && !pending; ++k) {
        pending = ((s.gp_need[k] >> d) & 1) != 0 || s.pc[k] < c.sync_end[k];
      }
      return pending ? qs_fp(c, d) : Footprint{};
    }
    const int cpu = actor;
    const auto& code = c.prog->threads[cpu].code;
    Footprint f;
    for (std::size_t k = s.pc[cpu]; k < code.size(); ++k)
      f |= insn_fp(c, code[k], nullptr, cpu, true);
    for (int i = 0; i < s.mem.sb_n[cpu]; ++i) {
      f |= commit_fp(c, cpu, std::uint64_t{1} << s.mem.sb_loc[cpu][i],
                     s.mem.sb_cum[cpu][i] != memory::kCumPlain);
    }
    if (kLk && !retired(c, s, cpu)) {
      f.reads |= all_locs(c);  // propagations, with any requirement
      f.writes |= kProp | kRetire;
    }
    return f;
  }
  static std::uint64_t por_visible(const Config&, int) { return 0; }

  static std::vector<std::string> actors(const Config& cfg) {
    std::vector<std::string> a;
    for (int c = 0; c < cfg.ncpus; ++c) a.push_back(absl::StrCat("P", c));
    return a;
  }
  static void describe(const Config& cfg, const State& s, FieldPrinter& out) {
    const Program& p = *cfg.prog;
    for (int l = 0; l < cfg.nlocs; ++l) out.num(p.locs[l], Machine::newest(s.mem, l));
    for (int c = 0; c < cfg.ncpus; ++c) {
      out.num(absl::StrCat("P", c, ".pc"), s.pc[c]);
      for (std::size_t r = 0; r < p.threads[c].regs.size(); ++r) {
        out.num(absl::StrCat(c, ":", p.threads[c].regs[r]), s.regs[c][r]);
      }
      out.text(absl::StrCat("P", c, ".mem"), Machine::describe_cpu(s.mem, c, p.locs));
    }
  }
};

// ---------------------------------------------------------------------------
// Dispatch over size classes and models.

struct Explored {
  bool complete = false;
  std::string incomplete_reason;
  bool pos = false, neg = false;
  std::uint64_t states = 0;
};

// Probe walks for the outcome cut (LitmusSpec::within): one deterministic
// run per thread k, always taking the first enabled step of the actor
// nearest to k (k, k+1, ... mod the number of actors), so thread k runs
// first and the others follow in order. Every step moves a pc, drains a
// buffer, moves a view or frontier or clears grace-period bits, so a walk
// ends; the step cap is a safeguard. A walk that ends in a kept final state
// records the condition's value there: each is a real execution, so the
// verdict bits it sets are ones the full search would set too.
template <typename Spec>
void probe(typename Spec::Config& cfg) {
  using Cfg = typename Spec::Config;
  using State = typename Spec::State;
  const auto fams = Spec::actions();
  struct Act {
    int family, param, actor;
  };
  std::vector<Act> acts;
  int nactors = 1;
  for (int f = 0; f < static_cast<int>(fams.size()); ++f) {
    for (int p = 0; p < fams[f].count(cfg); ++p) {
      acts.push_back({f, p, fams[f].actor(cfg, p)});
      nactors = std::max(nactors, acts.back().actor + 1);
    }
  }
  const Cfg& c = cfg;
  for (int first = 0; first < cfg.ncpus; ++first) {
    std::vector<Act> order = acts;
    std::stable_sort(order.begin(), order.end(), [&](const Act& a, const Act& b) {
      return (a.actor - first + nactors) % nactors < (b.actor - first + nactors) % nactors;
    });
    State s = Spec::initial(c);
    bool ok = true;
    try {
      for (int step = 0; step < 100000; ++step) {
        const Act* next = nullptr;
        for (const Act& a : order) {
          if (fams[a.family].guard(c, s, a.param)) {
            next = &a;
            break;
          }
        }
        if (next == nullptr) break;
        fams[next->family].effect(c, s, next->param);
      }
    } catch (const SpecError&) {
      // A model bound (e.g. the history bound) on this path: the walk proves
      // nothing, and the search decides whether the bound matters.
      ok = false;
    }
    if (ok && Spec::pos(c, s)) cfg.pos_known = true;
    if (ok && Spec::neg(c, s)) cfg.neg_known = true;
  }
}

template <typename Spec>
Explored explore(std::shared_ptr<const Program> prog, const RunOptions& o) {
  typename Spec::Config cfg;
  cfg.prog = prog;
  cfg.ncpus = static_cast<int>(prog->threads.size());
  cfg.nlocs = static_cast<int>(prog->locs.size());
  cfg.full_graph = o.full_graph;
  for (std::size_t t = 0; t < prog->threads.size(); ++t) {
    if (prog->threads[t].after[0].lock != 0) cfg.rcu_readers |= std::uint32_t{1} << t;
  }
  cfg.sb_limit = o.sb_bound > 0 ? std::min(o.sb_bound, Spec::Machine::kSb) : Spec::Machine::kSb;
  for (const auto& t : prog->threads) {
    int end = 0;
    for (std::size_t k = 0; k < t.code.size(); ++k) {
      if (t.code[k].op == Op::kSyncStart) end = static_cast<int>(k) + 1;
    }
    cfg.sync_end.push_back(end);
  }
  if (!o.full_graph) {
    probe<Spec>(cfg);
    cfg.cut = true;
  }
  engine::ExploreOptions eo;
  eo.threads = o.threads;
  eo.limits.time_limit_s = o.time_limit_s;
  eo.limits.max_states = o.max_states;
  // Not under lkmm: there every unretired CPU's propagation steps conflict
  // with every other CPU's later stores, so no state is ever reduced and the
  // footprints only cost time (docs/performance.md: a 208-file sample, the
  // same 2,314,206 states, 15.7 s without, 25.4 s with).
  eo.por = o.por && Spec::Machine::kModel != Model::lkmm;
  engine::Explorer<Spec> ex(cfg, eo);
  const auto r = ex.run();
  Explored e;
  e.complete = r.outcome == engine::Outcome::complete;
  e.incomplete_reason = r.incomplete_reason;
  e.pos = r.reached_depth[0] >= 0 || cfg.pos_known;
  e.neg = r.reached_depth[1] >= 0 || cfg.neg_known;
  e.states = r.distinct_states;
  return e;
}

// Size classes: (cpus, locations, store-buffer slots, history, registers).
template <Model M>
Explored explore_model(std::shared_ptr<const Program> prog, const RunOptions& o) {
  const int n = static_cast<int>(prog->threads.size());
  const int l = static_cast<int>(prog->locs.size());
  const int r = prog->max_regs;
  if (n <= 4 && l <= 8 && r <= 8) return explore<LitmusSpec<M, 4, 8, 4, 6, 8>>(prog, o);
  if (n <= 8 && l <= 16 && r <= 8) return explore<LitmusSpec<M, 8, 16, 3, 5, 8>>(prog, o);
  if (n <= 20 && l <= 20 && r <= 8) return explore<LitmusSpec<M, 20, 20, 2, 3, 8>>(prog, o);
  if (n <= 20 && l <= 40 && r <= 8) return explore<LitmusSpec<M, 20, 40, 2, 3, 8>>(prog, o);
  throw Unsup{
      absl::StrCat("size (", n, " threads, ", l, " locations, ", r, " registers; max 20, 40, 8)"),
      {}};
}

}  // namespace

std::optional<bool> compare_verdict(const std::string& expected, const std::string& verdict,
                                    bool no_final_state) {
  if (verdict != "Never" && verdict != "Sometimes" && verdict != "Always") return std::nullopt;
  if (expected == "Never" || expected == "Sometimes" || expected == "Always") {
    return expected == verdict;
  }
  if (expected == "DEADLOCK") return no_final_state;
  return std::nullopt;
}

RunOutcome run_litmus_test(const Test& test, const RunOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  RunOutcome out;
  out.file = test.filename;
  out.name = test.name;
  out.threads_in_test = static_cast<int>(test.processes.size());
  if (test.result.kind != ResultKind::kNone) {
    out.expected = test.result.kind == ResultKind::kDeadlock ? "DEADLOCK" : test.result.word;
    if (test.result.kind == ResultKind::kOther) out.expected = test.result.raw;
  }
  out.expected_datarace = test.result.datarace;
  auto finish = [&]() {
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out.agree = compare_verdict(out.expected, out.verdict, out.no_final_state);
    return out;
  };
  const SupportResult sup = check_supported(test);
  if (!sup.ok()) {
    out.verdict = "unsupported";
    out.reason = sup.to_string();
    return finish();
  }
  std::shared_ptr<const Program> prog;
  try {
    prog = std::make_shared<const Program>(Compiler(test).run());
    if (prog->locs.size() > 64) throw Unsup{"more than 64 locations", {}};
    if (prog->threads.size() > 31) throw Unsup{"more than 31 threads", {}};
    if (prog->threads.empty()) throw Unsup{"no threads", {}};
    const auto model = memory::parse_model(options.memory_model);
    if (!model) throw std::invalid_argument("unknown memory model " + options.memory_model);
    // lkmm: a possible data race on a plain access makes Never and Always
    // unsupported (the compiler may tear, repeat, fuse or invent the access);
    // Sometimes stands (the execution found is one a compiler may produce).
    const std::optional<Unsup> race =
        *model == Model::lkmm ? plain_race(*prog) : std::optional<Unsup>();
    Explored e;
    switch (*model) {
      case Model::sc:
        e = explore_model<Model::sc>(prog, options);
        break;
      case Model::tso:
        e = explore_model<Model::tso>(prog, options);
        break;
      case Model::relaxed:
        e = explore_model<Model::relaxed>(prog, options);
        break;
      case Model::lkmm:
        e = explore_model<Model::lkmm>(prog, options);
        break;
    }
    out.states = e.states;
    if (!e.complete) {
      out.verdict = "timeout";
      out.reason = e.incomplete_reason;
    } else if (!e.pos && !e.neg) {
      out.verdict = "Never";
      out.no_final_state = true;
    } else {
      out.verdict = !e.pos ? "Never" : (!e.neg ? "Always" : "Sometimes");
    }
    if (race && (out.verdict == "Never" || out.verdict == "Always")) throw *race;
  } catch (const Unsup& u) {
    out.verdict = "unsupported";
    out.reason = absl::StrCat("unsupported: ", u.what, " at ", test.filename, ":", u.loc.line);
  } catch (const SpecError& err) {
    out.verdict = "error";
    out.reason = err.what();
  } catch (const std::invalid_argument& err) {
    out.verdict = "error";
    out.reason = err.what();
  }
  return finish();
}

RunOutcome run_litmus_file(const std::string& path, const RunOptions& options) {
  ParseResult pr = parse_litmus_file(path);
  if (!pr.ok()) {
    RunOutcome out;
    out.file = path;
    out.verdict = "error";
    out.reason = pr.error->to_string();
    return out;
  }
  return run_litmus_test(*pr.test, options);
}

}  // namespace mmcheck::litmus

// File: explorer/litmus/support.cpp
//
// Walks a Test and collects the constructs listed in support.hpp. Calls are
// checked against the primitive table (primitives.hpp): unknown name, known
// but unsupported, arity, and "no value" primitives used inside an
// expression. A call is "in statement position" when it is the whole
// expression statement, possibly under a cast such as `(void)`.
//
// What this does not do: check types or that locations exist.
#include "litmus/support.hpp"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "litmus/primitives.hpp"

namespace mmcheck::litmus {
namespace {

class Checker {
 public:
  explicit Checker(const Test& test) : test_(test) {}

  std::vector<Unsupported> run() {
    if (test_.arch != "C") {
      add(absl::StrCat("architecture '", test_.arch, "'"), test_.header_loc);
      return std::move(out_);
    }
    for (const InitItem& item : test_.init) {
      if (item.array_size) add(absl::StrCat("array '", item.name, "'"), item.loc);
      if (item.value.kind == InitValueKind::kList) {
        add(absl::StrCat("initialiser list for '", item.name, "'"), item.loc);
      }
    }
    for (size_t i = 0; i < test_.processes.size(); ++i) {
      const Process& p = test_.processes[i];
      if (p.index < 0) {
        add(absl::StrCat("function '", p.name, "' (threads must be named P0..Pn)"), p.loc);
      } else if (static_cast<size_t>(p.index) != i) {
        add(absl::StrFormat("thread %s out of order (expected P%d)", p.name, i), p.loc);
      }
      for (const Stmt& s : p.body) stmt(s);
    }
    std::stable_sort(out_.begin(), out_.end(), [](const Unsupported& a, const Unsupported& b) {
      return std::pair(a.loc.line, a.loc.col) < std::pair(b.loc.line, b.loc.col);
    });
    return std::move(out_);
  }

 private:
  void add(std::string construct, SourceLoc loc) {
    Unsupported u;
    u.construct = std::move(construct);
    u.file = test_.filename;
    u.loc = loc;
    out_.push_back(std::move(u));
  }

  void stmts(const std::vector<Stmt>& body) {
    for (const Stmt& s : body) stmt(s);
  }

  void stmt(const Stmt& s) {
    switch (s.kind) {
      case StmtKind::kDecl:
        for (const Declarator& d : s.decls) {
          if (d.array_size) add(absl::StrCat("array '", d.name, "'"), d.loc);
          if (d.init) expr(*d.init, true);
        }
        break;
      case StmtKind::kAssign:
        if (s.lhs) expr(*s.lhs, true);
        if (s.rhs) expr(*s.rhs, true);
        break;
      case StmtKind::kExpr:
        if (s.rhs) statement_expr(*s.rhs);
        break;
      case StmtKind::kIf:
        if (s.cond) expr(*s.cond, true);
        stmts(s.body);
        stmts(s.else_body);
        break;
      case StmtKind::kBlock:
        stmts(s.body);
        break;
      case StmtKind::kEmpty:
        break;
      case StmtKind::kWhile:
        add("while loop", s.loc);
        if (s.cond) expr(*s.cond, true);
        stmts(s.body);
        break;
      case StmtKind::kDoWhile:
        add("do-while loop", s.loc);
        stmts(s.body);
        if (s.cond) expr(*s.cond, true);
        break;
      case StmtKind::kFor:
        add("for loop", s.loc);
        stmts(s.for_init);
        if (s.cond) expr(*s.cond, true);
        stmts(s.for_step);
        stmts(s.body);
        break;
      case StmtKind::kGoto:
        add("goto", s.loc);
        break;
      case StmtKind::kLabel:
        add(absl::StrCat("label '", s.label, "'"), s.loc);
        break;
      case StmtKind::kBreak:
        add("break", s.loc);
        break;
      case StmtKind::kContinue:
        add("continue", s.loc);
        break;
      case StmtKind::kReturn:
        add("return", s.loc);
        if (s.rhs) expr(*s.rhs, true);
        break;
    }
  }

  // The whole expression of an expression statement: a call here (or under
  // a cast) need not return a value.
  void statement_expr(const Expr& e) {
    const Expr* inner = &e;
    while (inner->kind == ExprKind::kCast && !inner->operands.empty()) {
      inner = &inner->operands[0];
    }
    expr(*inner, false);
  }

  void expr(const Expr& e, bool value_needed) {
    switch (e.kind) {
      case ExprKind::kCall:
        call(e, value_needed);
        break;
      case ExprKind::kIndex:
        add("array indexing", e.loc);
        break;
      case ExprKind::kMember:
        add(absl::StrCat("member access '", e.arrow ? "->" : ".", e.name, "'"), e.loc);
        break;
      default:
        break;
    }
    if (e.kind != ExprKind::kCall) {
      for (const Expr& o : e.operands) expr(o, true);
    }
  }

  void call(const Expr& e, bool value_needed) {
    const PrimitiveInfo* info = find_primitive(e.name);
    if (info == nullptr) {
      add(absl::StrCat("unknown primitive '", e.name, "'"), e.loc);
    } else if (!info->supported) {
      bool srcu = info->kind == PrimitiveKind::kSrcuReadLock ||
                  info->kind == PrimitiveKind::kSrcuReadUnlock ||
                  info->kind == PrimitiveKind::kSrcuSync ||
                  info->ordering == OrderingClass::kMbAfterSrcuUnlock;
      add(srcu ? absl::StrCat("SRCU primitive '", e.name, "'")
               : absl::StrCat("unmodelled primitive '", e.name, "'"),
          e.loc);
    } else if (static_cast<int>(e.operands.size()) != info->num_args) {
      add(absl::StrFormat("'%s' with %d argument%s (expects %d)", e.name, e.operands.size(),
                          e.operands.size() == 1 ? "" : "s", info->num_args),
          e.loc);
    } else if (value_needed && !info->returns_value) {
      add(absl::StrCat("'", e.name, "' used as a value"), e.loc);
    }
    for (const Expr& o : e.operands) expr(o, true);
  }

  const Test& test_;
  std::vector<Unsupported> out_;
};

}  // namespace

std::string Unsupported::to_string() const {
  return absl::StrFormat("unsupported: %s at %s:%d", construct, file, loc.line);
}

std::string SupportResult::to_string() const { return issue ? issue->to_string() : "OK"; }

std::vector<Unsupported> find_unsupported(const Test& test) { return Checker(test).run(); }

SupportResult check_supported(const Test& test) {
  SupportResult r;
  std::vector<Unsupported> all = find_unsupported(test);
  if (!all.empty()) r.issue = std::move(all.front());
  return r;
}

}  // namespace mmcheck::litmus

// File: explorer/litmus/ast.cpp
//
// Canonical text renderings of AST nodes (declared in ast.hpp). Code is
// printed C-like on one line; nested binary/ternary sub-expressions are
// parenthesised, the outermost one is not (`r0 == 1`, `(a + b) * c`).
// Conditions are printed herd-like (`0:r0=1 /\ (x=1 \/ y!=2)`).
//
// What this does not do: reproduce the original layout or comments.
#include "litmus/ast.hpp"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace mmcheck::litmus {
namespace {

std::string render(const Expr& e, bool top);

std::string render_operand(const Expr& e) { return render(e, false); }

std::string render(const Expr& e, bool top) {
  std::string out;
  switch (e.kind) {
    case ExprKind::kIntLit:
      out = absl::StrCat(e.value);
      break;
    case ExprKind::kIdent:
      out = e.name;
      break;
    case ExprKind::kUnary: {
      std::string inner = e.operands.empty() ? "?" : render_operand(e.operands[0]);
      if (e.unary_op == UnaryOp::kPostInc || e.unary_op == UnaryOp::kPostDec) {
        out = absl::StrCat(inner, to_string(e.unary_op));
      } else {
        out = absl::StrCat(to_string(e.unary_op), inner);
      }
      break;
    }
    case ExprKind::kBinary:
      if (e.operands.size() == 2) {
        out = absl::StrCat(render_operand(e.operands[0]), " ", to_string(e.binary_op), " ",
                           render_operand(e.operands[1]));
      }
      if (!top) out = absl::StrCat("(", out, ")");
      break;
    case ExprKind::kTernary:
      if (e.operands.size() == 3) {
        out = absl::StrCat(render_operand(e.operands[0]), " ? ", render_operand(e.operands[1]),
                           " : ", render_operand(e.operands[2]));
      }
      if (!top) out = absl::StrCat("(", out, ")");
      break;
    case ExprKind::kCall: {
      std::vector<std::string> args;
      for (const Expr& a : e.operands) args.push_back(render(a, true));
      out = absl::StrCat(e.name, "(", absl::StrJoin(args, ", "), ")");
      break;
    }
    case ExprKind::kCast:
      out =
          absl::StrCat("(", e.name, ")", e.operands.empty() ? "?" : render_operand(e.operands[0]));
      break;
    case ExprKind::kIndex:
      if (e.operands.size() == 2) {
        out = absl::StrCat(render_operand(e.operands[0]), "[", render(e.operands[1], true), "]");
      }
      break;
    case ExprKind::kMember:
      out = absl::StrCat(e.operands.empty() ? "?" : render_operand(e.operands[0]),
                         e.arrow ? "->" : ".", e.name);
      break;
  }
  return out;
}

std::string render_body(const std::vector<Stmt>& body) {
  // A branch holds a single statement; print it as is.
  std::vector<std::string> parts;
  for (const Stmt& s : body) parts.push_back(to_string(s));
  return absl::StrJoin(parts, " ");
}

std::string render_prop(const Prop& p, bool top) {
  switch (p.kind) {
    case PropKind::kTrue:
      return "true";
    case PropKind::kFalse:
      return "false";
    case PropKind::kAtom:
      return absl::StrCat(to_string(p.lhs), p.op == CompareOp::kEq ? "=" : "!=", to_string(p.rhs));
    case PropKind::kNot:
      return absl::StrCat("~", p.children.empty() ? "?" : render_prop(p.children[0], false));
    case PropKind::kAnd:
    case PropKind::kOr: {
      std::vector<std::string> parts;
      for (const Prop& c : p.children) parts.push_back(render_prop(c, false));
      std::string out = absl::StrJoin(parts, p.kind == PropKind::kAnd ? " /\\ " : " \\/ ");
      return top ? out : absl::StrCat("(", out, ")");
    }
  }
  return "?";
}

}  // namespace

std::string to_string(UnaryOp op) {
  switch (op) {
    case UnaryOp::kDeref:
      return "*";
    case UnaryOp::kAddrOf:
      return "&";
    case UnaryOp::kNeg:
      return "-";
    case UnaryOp::kPlus:
      return "+";
    case UnaryOp::kNot:
      return "!";
    case UnaryOp::kBitNot:
      return "~";
    case UnaryOp::kPreInc:
      return "++";
    case UnaryOp::kPreDec:
      return "--";
    case UnaryOp::kPostInc:
      return "++";
    case UnaryOp::kPostDec:
      return "--";
  }
  return "?";
}

std::string to_string(BinaryOp op) {
  switch (op) {
    case BinaryOp::kMul:
      return "*";
    case BinaryOp::kDiv:
      return "/";
    case BinaryOp::kMod:
      return "%";
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSub:
      return "-";
    case BinaryOp::kShl:
      return "<<";
    case BinaryOp::kShr:
      return ">>";
    case BinaryOp::kLt:
      return "<";
    case BinaryOp::kGt:
      return ">";
    case BinaryOp::kLe:
      return "<=";
    case BinaryOp::kGe:
      return ">=";
    case BinaryOp::kEq:
      return "==";
    case BinaryOp::kNe:
      return "!=";
    case BinaryOp::kBitAnd:
      return "&";
    case BinaryOp::kBitXor:
      return "^";
    case BinaryOp::kBitOr:
      return "|";
    case BinaryOp::kLogAnd:
      return "&&";
    case BinaryOp::kLogOr:
      return "||";
  }
  return "?";
}

std::string to_string(ResultKind kind) {
  switch (kind) {
    case ResultKind::kNone:
      return "none";
    case ResultKind::kNever:
      return "Never";
    case ResultKind::kSometimes:
      return "Sometimes";
    case ResultKind::kAlways:
      return "Always";
    case ResultKind::kMaybe:
      return "Maybe";
    case ResultKind::kDeadlock:
      return "DEADLOCK";
    case ResultKind::kOther:
      return "other";
  }
  return "?";
}

std::string to_string(Quantifier q) {
  switch (q) {
    case Quantifier::kExists:
      return "exists";
    case Quantifier::kNotExists:
      return "~exists";
    case Quantifier::kForall:
      return "forall";
  }
  return "?";
}

std::string to_string(const Expr& e) { return render(e, true); }

std::string to_string(const Stmt& s) {
  auto opt = [](const std::optional<Expr>& e) { return e ? to_string(*e) : std::string(); };
  switch (s.kind) {
    case StmtKind::kDecl: {
      std::vector<std::string> ds;
      for (const Declarator& d : s.decls) {
        std::string one =
            absl::StrCat(std::string(static_cast<size_t>(d.pointer_depth), '*'), d.name);
        if (d.array_size) absl::StrAppend(&one, "[", *d.array_size, "]");
        if (d.init) absl::StrAppend(&one, " = ", to_string(*d.init));
        ds.push_back(std::move(one));
      }
      return absl::StrCat(s.type, " ", absl::StrJoin(ds, ", "), ";");
    }
    case StmtKind::kAssign:
      return absl::StrCat(opt(s.lhs), " ", s.op, " ", opt(s.rhs), ";");
    case StmtKind::kExpr:
      return absl::StrCat(opt(s.rhs), ";");
    case StmtKind::kIf: {
      std::string out = absl::StrCat("if (", opt(s.cond), ") ", render_body(s.body));
      if (s.has_else) absl::StrAppend(&out, " else ", render_body(s.else_body));
      return out;
    }
    case StmtKind::kBlock:
      return s.body.empty() ? "{ }" : absl::StrCat("{ ", render_body(s.body), " }");
    case StmtKind::kEmpty:
      return ";";
    case StmtKind::kWhile:
      return absl::StrCat("while (", opt(s.cond), ") ", render_body(s.body));
    case StmtKind::kDoWhile:
      return absl::StrCat("do ", render_body(s.body), " while (", opt(s.cond), ");");
    case StmtKind::kFor: {
      std::string init = s.for_init.empty() ? ";" : to_string(s.for_init[0]);
      std::string step;
      if (!s.for_step.empty()) {
        step = to_string(s.for_step[0]);
        if (!step.empty() && step.back() == ';') step.pop_back();
      }
      return absl::StrCat("for (", init, " ", opt(s.cond), "; ", step, ") ", render_body(s.body));
    }
    case StmtKind::kGoto:
      return absl::StrCat("goto ", s.label, ";");
    case StmtKind::kLabel:
      return absl::StrCat(s.label, ":");
    case StmtKind::kBreak:
      return "break;";
    case StmtKind::kContinue:
      return "continue;";
    case StmtKind::kReturn:
      return s.rhs ? absl::StrCat("return ", opt(s.rhs), ";") : "return;";
  }
  return "?";
}

std::string to_string(const CondOperand& o) {
  switch (o.kind) {
    case CondOperand::Kind::kInt:
      return absl::StrCat(o.value);
    case CondOperand::Kind::kRegister:
      return absl::StrCat(o.thread, ":", o.name);
    case CondOperand::Kind::kLocation:
      return absl::StrCat(o.deref ? "*" : "", o.name);
  }
  return "?";
}

std::string to_string(const Prop& p) { return render_prop(p, true); }

std::string to_string(const InitItem& item) {
  std::string out = item.type;
  if (!out.empty()) out += " ";
  out += std::string(static_cast<size_t>(item.pointer_depth), '*');
  if (item.thread) absl::StrAppend(&out, *item.thread, ":");
  out += item.name;
  if (item.array_size) absl::StrAppend(&out, "[", *item.array_size, "]");
  switch (item.value.kind) {
    case InitValueKind::kNone:
      break;
    case InitValueKind::kInt:
      if (item.value.atomic_init) {
        absl::StrAppend(&out, " = ATOMIC_INIT(", item.value.int_value, ")");
      } else {
        absl::StrAppend(&out, " = ", item.value.int_value);
      }
      break;
    case InitValueKind::kAddress:
      absl::StrAppend(&out, " = ", item.value.ampersand ? "&" : "", item.value.symbol);
      break;
    case InitValueKind::kList:
      absl::StrAppend(&out, " = {", absl::StrJoin(item.value.list, ", "), "}");
      break;
  }
  return out + ";";
}

std::string to_string(const Process& p) {
  std::vector<std::string> params;
  for (const Param& prm : p.params) {
    params.push_back(absl::StrCat(prm.type, prm.type.empty() ? "" : " ",
                                  std::string(static_cast<size_t>(prm.pointer_depth), '*'),
                                  prm.name));
  }
  std::string out = absl::StrCat(p.name, "(", absl::StrJoin(params, ", "), ") {");
  for (const Stmt& s : p.body) absl::StrAppend(&out, " ", to_string(s));
  return out + " }";
}

}  // namespace mmcheck::litmus

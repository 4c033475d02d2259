// File: explorer/litmus/ast.hpp
//
// The abstract syntax tree of an LKMM / herd7 "C" litmus test, as produced by
// parse_litmus() (see parse.hpp). Everything is a plain value type (copyable,
// comparable by field), with source positions (1-based line and column) on
// every node so later stages can report `FILE:LINE: ...`.
//
// Layout of a test, mirroring the file (see shared/docs/litmus-format.md):
//   - header: architecture word (only "C" is understood) and test name,
//   - the expected verdict from the `Result:` comment (metadata),
//   - the init block (`{ int x = 1; int *p = &y; 0:r1 = 2; }`),
//   - the thread functions P0..Pn (parameters and C statement bodies),
//   - optional `locations [...]` and `filter <prop>` clauses,
//   - the final condition (`exists`, `~exists`, `forall` + proposition).
//
// Calls are kept generic (name + arguments); primitives.hpp classifies the
// names into known kernel primitives. to_string() renders nodes in a
// canonical form (used by the tests and for diagnostics).
//
// What this header does not do: parsing (parse.hpp), semantic checks such as
// "is this construct supported" (support.hpp), and any execution semantics.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mmcheck::litmus {

// 1-based position in the source text; columns count bytes (a tab is 1).
struct SourceLoc {
  int line = 0;
  int col = 0;
  bool operator==(const SourceLoc&) const = default;
};

// ---------------------------------------------------------------------------
// Expected verdict ("Result:" comment).

enum class ResultKind {
  kNone,       // no "Result:" line in the file
  kNever,      // "Never"
  kSometimes,  // "Sometimes"
  kAlways,     // "Always"
  kMaybe,      // "Maybe" (not judged)
  kDeadlock,   // "DEADLOCK" (herd: Never 0 0)
  kOther,      // free text, e.g. "Flag srcu-bad-nesting"
};

struct ExpectedResult {
  ResultKind kind = ResultKind::kNone;
  std::string raw;   // text after "Result: " to end of line, trimmed, final "*)" and "." removed
  std::string word;  // first word of raw ("Never", "Sometimes", ...)
  bool datarace = false;  // second word is "DATARACE"
  SourceLoc loc;          // line of the Result comment
};

// ---------------------------------------------------------------------------
// C expressions (thread bodies).

enum class ExprKind {
  kIntLit,   // value
  kIdent,    // name: register, parameter (= address of the global) or global
  kUnary,    // unary_op operands[0]
  kBinary,   // operands[0] binary_op operands[1]
  kTernary,  // operands[0] ? operands[1] : operands[2]
  kCall,     // name(operands...)
  kCast,     // (name)operands[0]; name is the type text, e.g. "void", "int *"
  kIndex,    // operands[0][operands[1]]  (arrays: parsed, not supported)
  kMember,   // operands[0].name or operands[0]->name (arrow=true; not supported)
};

enum class UnaryOp {
  kDeref,    // *e
  kAddrOf,   // &e
  kNeg,      // -e
  kPlus,     // +e
  kNot,      // !e
  kBitNot,   // ~e
  kPreInc,   // ++e
  kPreDec,   // --e
  kPostInc,  // e++
  kPostDec,  // e--
};

enum class BinaryOp {
  kMul,
  kDiv,
  kMod,
  kAdd,
  kSub,
  kShl,
  kShr,
  kLt,
  kGt,
  kLe,
  kGe,
  kEq,
  kNe,
  kBitAnd,
  kBitXor,
  kBitOr,
  kLogAnd,
  kLogOr,
};

struct Expr {
  ExprKind kind = ExprKind::kIntLit;
  SourceLoc loc;
  int64_t value = 0;  // kIntLit
  std::string name;   // kIdent, kCall (callee), kCast (type text), kMember (field)
  UnaryOp unary_op = UnaryOp::kDeref;
  BinaryOp binary_op = BinaryOp::kAdd;
  bool arrow = false;  // kMember: '->' rather than '.'
  std::vector<Expr> operands;
};

// ---------------------------------------------------------------------------
// C statements.

enum class StmtKind {
  kDecl,      // type declarators...;
  kAssign,    // lhs op= rhs;   (op is "=" or a compound operator such as "+=")
  kExpr,      // expr;  (usually a call, possibly under a (void) cast)
  kIf,        // if (cond) then_body [else else_body]
  kBlock,     // { body }
  kEmpty,     // ;
  kWhile,     // while (cond) body            (parsed, not supported)
  kDoWhile,   // do body while (cond);        (parsed, not supported)
  kFor,       // for (init; cond; step) body  (parsed, not supported)
  kGoto,      // goto label;                  (parsed, not supported)
  kLabel,     // label: (the labelled statement follows as its own Stmt)
  kBreak,     // break;                       (parsed, not supported)
  kContinue,  // continue;                    (parsed, not supported)
  kReturn,    // return [expr];               (parsed, not supported)
};

struct Declarator {
  std::string name;
  int pointer_depth = 0;              // number of '*' before the name
  std::optional<int64_t> array_size;  // name[N] (not supported)
  std::optional<Expr> init;
  SourceLoc loc;
};

struct Stmt {
  StmtKind kind = StmtKind::kEmpty;
  SourceLoc loc;
  // kDecl
  std::string type;  // type words, e.g. "int", "intptr_t", "unsigned long"
  std::vector<Declarator> decls;
  // kAssign: lhs op rhs;  kExpr: expr in rhs;  kReturn: optional value in rhs
  std::string op;  // "=", "+=", ...
  std::optional<Expr> lhs;
  std::optional<Expr> rhs;
  // kIf, kWhile, kDoWhile, kFor: condition (kFor: may be absent)
  std::optional<Expr> cond;
  // kBlock, kWhile, kDoWhile, kFor: body; kIf: the then branch (a single
  // statement, usually a kBlock)
  std::vector<Stmt> body;
  std::vector<Stmt> else_body;  // kIf: empty when there is no else
  bool has_else = false;
  std::vector<Stmt> for_init;  // kFor: 0 or 1 statements
  std::vector<Stmt> for_step;  // kFor: 0 or 1 statements (kExpr/kAssign)
  std::string label;           // kGoto, kLabel
};

// ---------------------------------------------------------------------------
// Init block, threads.

enum class InitValueKind {
  kNone,     // declaration only: value 0
  kInt,      // int_value (also ATOMIC_INIT(n))
  kAddress,  // address of `symbol` (written `y` or `&y`)
  kList,     // { a, b, ... } for arrays: list
};

struct InitValue {
  InitValueKind kind = InitValueKind::kNone;
  int64_t int_value = 0;
  std::string symbol;         // kAddress
  bool ampersand = false;     // kAddress written as &y
  bool atomic_init = false;   // written as ATOMIC_INIT(n)
  std::vector<int64_t> list;  // kList
  bool operator==(const InitValue&) const = default;
};

struct InitItem {
  std::string type;  // "" when no type was written, else e.g. "atomic_t"
  int pointer_depth = 0;
  std::optional<int> thread;  // register initialiser `0:r1 = ...`
  std::string name;
  std::optional<int64_t> array_size;  // `int a[2]` (not supported)
  InitValue value;
  SourceLoc loc;
};

struct Param {
  std::string type;  // "int", "intptr_t", "spinlock_t", "struct srcu_struct", ...
  int pointer_depth = 0;
  std::string name;
  SourceLoc loc;
};

struct Process {
  std::string name;  // "P0", "P1", ... (other names are parsed, flagged by check_supported)
  int index = -1;    // n of P<n>, or -1 when the name is not of that form
  std::vector<Param> params;
  std::vector<Stmt> body;
  SourceLoc loc;
};

// ---------------------------------------------------------------------------
// Final condition.

// An operand of a condition atom or a `locations` entry.
struct CondOperand {
  enum class Kind {
    kInt,       // value
    kRegister,  // thread:name, e.g. 1:r0
    kLocation,  // name: a shared location (final value on the left, address on the right)
  };
  Kind kind = Kind::kInt;
  int64_t value = 0;
  int thread = -1;
  std::string name;
  bool deref = false;  // written *x
  SourceLoc loc;
};

enum class PropKind { kTrue, kFalse, kAtom, kNot, kAnd, kOr };
enum class CompareOp { kEq, kNe };  // '=' and '==' are both kEq

struct Prop {
  PropKind kind = PropKind::kTrue;
  SourceLoc loc;
  // kAtom
  CondOperand lhs;
  CompareOp op = CompareOp::kEq;
  CondOperand rhs;
  // kNot: one child; kAnd/kOr: two or more children (flattened left to right)
  std::vector<Prop> children;
};

enum class Quantifier { kExists, kNotExists, kForall };

struct Condition {
  Quantifier quantifier = Quantifier::kExists;
  Prop prop;
  SourceLoc loc;
};

// ---------------------------------------------------------------------------
// A whole test.

struct Test {
  std::string filename;  // as given to the parser, used in diagnostics
  std::string arch;      // "C"; other words parse only the header (see parse.hpp)
  std::string name;      // rest of the header line, trimmed
  SourceLoc header_loc;
  ExpectedResult result;
  std::vector<std::string> metadata;  // doc string and `Key=Value` lines, raw
  std::vector<InitItem> init;
  std::vector<Process> processes;
  bool has_locations = false;
  std::vector<CondOperand> locations;
  std::optional<Prop> filter;
  std::optional<Condition> condition;  // absent in a few tests (deadlock checks)
};

// Canonical text renderings (C-like for code, herd-like for conditions).
std::string to_string(UnaryOp op);
std::string to_string(BinaryOp op);
std::string to_string(ResultKind kind);
std::string to_string(Quantifier q);
std::string to_string(const Expr& e);  // nested binary/?: parenthesised, outermost not
std::string to_string(const Stmt& s);  // one line, nested blocks inline
std::string to_string(const CondOperand& o);
std::string to_string(const Prop& p);  // nested /\ and \/ parenthesised, outermost not
std::string to_string(const InitItem& item);
std::string to_string(const Process& p);  // "P0(int *x, int *y) { ... }" on one line

}  // namespace mmcheck::litmus

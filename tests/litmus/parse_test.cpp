// File: tests/litmus/parse_test.cpp
//
// Unit tests of the C-litmus parser on inline tests: the MP, SB and LB shapes
// (checked node by node), the Result comment, init-block forms, statement and
// expression forms, condition grammar, comments in their three regimes, and
// non-C headers. The primitive table is spot-checked here too.
//
// What this does not cover: error messages (errors_test.cpp), check_supported
// (support_test.cpp), the shared corpus (corpus_test.cpp), robustness
// (fuzz_test.cpp).
#include "litmus/parse.hpp"

#include <gtest/gtest.h>

#include <string>

#include "litmus/ast.hpp"
#include "litmus/primitives.hpp"

namespace mmcheck::litmus {
namespace {

litmus::Test parse_ok(std::string_view text) {
  ParseResult r = parse_litmus(text, "inline.litmus");
  EXPECT_TRUE(r.ok()) << (r.error ? r.error->to_string() : "");
  if (!r.ok()) return litmus::Test{};
  EXPECT_FALSE(r.error.has_value());
  return *r.test;
}

std::vector<std::string> body_lines(const Process& p) {
  std::vector<std::string> out;
  for (const Stmt& s : p.body) out.push_back(to_string(s));
  return out;
}

constexpr std::string_view kMp = R"(C MP+pooncerelease+poacquireonce

(*
 * Result: Never
 *
 * Message passing with release/acquire.
 *)

{}

P0(int *buf, int *flag) // Producer
{
	WRITE_ONCE(*buf, 1);
	smp_store_release(flag, 1);
}

P1(int *buf, int *flag)
{
	int r0;
	int r1;

	r0 = smp_load_acquire(flag);
	r1 = READ_ONCE(*buf);
}

exists (1:r0=1 /\ 1:r1=0) (* Bad outcome. *)
)";

TEST(LitmusParse, MessagePassingShape) {
  litmus::Test t = parse_ok(kMp);
  EXPECT_EQ(t.arch, "C");
  EXPECT_EQ(t.name, "MP+pooncerelease+poacquireonce");
  EXPECT_EQ(t.filename, "inline.litmus");
  EXPECT_EQ(t.header_loc, (SourceLoc{1, 1}));
  EXPECT_EQ(t.result.kind, ResultKind::kNever);
  EXPECT_EQ(t.result.raw, "Never");
  EXPECT_EQ(t.result.word, "Never");
  EXPECT_FALSE(t.result.datarace);
  EXPECT_EQ(t.result.loc.line, 4);
  EXPECT_TRUE(t.init.empty());
  ASSERT_EQ(t.processes.size(), 2u);

  const Process& p0 = t.processes[0];
  EXPECT_EQ(p0.name, "P0");
  EXPECT_EQ(p0.index, 0);
  EXPECT_EQ(p0.loc, (SourceLoc{11, 1}));
  ASSERT_EQ(p0.params.size(), 2u);
  EXPECT_EQ(p0.params[0].type, "int");
  EXPECT_EQ(p0.params[0].pointer_depth, 1);
  EXPECT_EQ(p0.params[0].name, "buf");
  EXPECT_EQ(p0.params[1].name, "flag");
  EXPECT_EQ(body_lines(p0),
            (std::vector<std::string>{"WRITE_ONCE(*buf, 1);", "smp_store_release(flag, 1);"}));

  // Node-level check of the first statement.
  const Stmt& w = p0.body[0];
  EXPECT_EQ(w.kind, StmtKind::kExpr);
  EXPECT_EQ(w.loc, (SourceLoc{13, 2}));
  ASSERT_TRUE(w.rhs.has_value());
  EXPECT_EQ(w.rhs->kind, ExprKind::kCall);
  EXPECT_EQ(w.rhs->name, "WRITE_ONCE");
  ASSERT_EQ(w.rhs->operands.size(), 2u);
  EXPECT_EQ(w.rhs->operands[0].kind, ExprKind::kUnary);
  EXPECT_EQ(w.rhs->operands[0].unary_op, UnaryOp::kDeref);
  EXPECT_EQ(w.rhs->operands[0].operands[0].name, "buf");
  EXPECT_EQ(w.rhs->operands[1].kind, ExprKind::kIntLit);
  EXPECT_EQ(w.rhs->operands[1].value, 1);

  const Process& p1 = t.processes[1];
  EXPECT_EQ(p1.index, 1);
  EXPECT_EQ(body_lines(p1),
            (std::vector<std::string>{"int r0;", "int r1;", "r0 = smp_load_acquire(flag);",
                                      "r1 = READ_ONCE(*buf);"}));
  EXPECT_EQ(p1.body[2].kind, StmtKind::kAssign);
  EXPECT_EQ(p1.body[2].op, "=");
  EXPECT_EQ(p1.body[2].lhs->kind, ExprKind::kIdent);
  EXPECT_EQ(p1.body[2].lhs->name, "r0");

  ASSERT_TRUE(t.condition.has_value());
  EXPECT_EQ(t.condition->quantifier, Quantifier::kExists);
  EXPECT_EQ(t.condition->loc, (SourceLoc{26, 1}));
  const Prop& prop = t.condition->prop;
  EXPECT_EQ(prop.kind, PropKind::kAnd);
  ASSERT_EQ(prop.children.size(), 2u);
  const Prop& a0 = prop.children[0];
  EXPECT_EQ(a0.kind, PropKind::kAtom);
  EXPECT_EQ(a0.lhs.kind, CondOperand::Kind::kRegister);
  EXPECT_EQ(a0.lhs.thread, 1);
  EXPECT_EQ(a0.lhs.name, "r0");
  EXPECT_EQ(a0.op, CompareOp::kEq);
  EXPECT_EQ(a0.rhs.kind, CondOperand::Kind::kInt);
  EXPECT_EQ(a0.rhs.value, 1);
  EXPECT_EQ(a0.loc, (SourceLoc{26, 9}));
  EXPECT_EQ(to_string(prop), "1:r0=1 /\\ 1:r1=0");
  EXPECT_FALSE(t.filter.has_value());
  EXPECT_FALSE(t.has_locations);
}

constexpr std::string_view kSb = R"(C SB+fencembonceonces
(* Result: Sometimes DATARACE *)
{
	int x = 0;
	int y;
}

P0(int *x, int *y)
{
	int r0;

	WRITE_ONCE(*x, 1);
	smp_mb();
	r0 = READ_ONCE(*y);
}

P1(int *x, int *y)
{
	int r0;

	WRITE_ONCE(*y, 1);
	smp_mb();
	r0 = READ_ONCE(*x);
}

exists (0:r0=0 /\ 1:r0=0)
)";

TEST(LitmusParse, StoreBufferingShape) {
  litmus::Test t = parse_ok(kSb);
  EXPECT_EQ(t.name, "SB+fencembonceonces");
  EXPECT_EQ(t.result.kind, ResultKind::kSometimes);
  EXPECT_EQ(t.result.raw, "Sometimes DATARACE");
  EXPECT_EQ(t.result.word, "Sometimes");
  EXPECT_TRUE(t.result.datarace);
  EXPECT_EQ(t.result.loc.line, 2);
  ASSERT_EQ(t.init.size(), 2u);
  EXPECT_EQ(t.init[0].type, "int");
  EXPECT_EQ(t.init[0].name, "x");
  EXPECT_EQ(t.init[0].value.kind, InitValueKind::kInt);
  EXPECT_EQ(t.init[0].value.int_value, 0);
  EXPECT_EQ(t.init[0].loc, (SourceLoc{4, 2}));
  EXPECT_EQ(t.init[1].name, "y");
  EXPECT_EQ(t.init[1].value.kind, InitValueKind::kNone);
  ASSERT_EQ(t.processes.size(), 2u);
  EXPECT_EQ(body_lines(t.processes[0]),
            (std::vector<std::string>{"int r0;", "WRITE_ONCE(*x, 1);", "smp_mb();",
                                      "r0 = READ_ONCE(*y);"}));
  EXPECT_EQ(body_lines(t.processes[1]),
            (std::vector<std::string>{"int r0;", "WRITE_ONCE(*y, 1);", "smp_mb();",
                                      "r0 = READ_ONCE(*x);"}));
  const Stmt& fence = t.processes[0].body[2];
  ASSERT_TRUE(fence.rhs.has_value());
  EXPECT_EQ(fence.rhs->kind, ExprKind::kCall);
  EXPECT_TRUE(fence.rhs->operands.empty());
  ASSERT_TRUE(t.condition.has_value());
  EXPECT_EQ(to_string(t.condition->prop), "0:r0=0 /\\ 1:r0=0");
}

constexpr std::string_view kLb = R"(C LB+fencembonceonce+ctrlonceonce

(*
 * Result: Never
 *)

{}

P0(int *x, int *y)
{
	int r0;

	r0 = READ_ONCE(*x);
	if (r0)
		WRITE_ONCE(*y, 1);
}

P1(int *x, int *y)
{
	int r0;

	r0 = READ_ONCE(*y);
	smp_mb();
	WRITE_ONCE(*x, 1);
}

exists (0:r0=1 /\ 1:r0=1)
)";

TEST(LitmusParse, LoadBufferingShapeWithControlDependency) {
  litmus::Test t = parse_ok(kLb);
  EXPECT_EQ(t.result.kind, ResultKind::kNever);
  ASSERT_EQ(t.processes.size(), 2u);
  const Process& p0 = t.processes[0];
  ASSERT_EQ(p0.body.size(), 3u);
  const Stmt& branch = p0.body[2];
  EXPECT_EQ(branch.kind, StmtKind::kIf);
  EXPECT_EQ(branch.loc, (SourceLoc{14, 2}));
  ASSERT_TRUE(branch.cond.has_value());
  EXPECT_EQ(branch.cond->kind, ExprKind::kIdent);
  EXPECT_EQ(branch.cond->name, "r0");
  ASSERT_EQ(branch.body.size(), 1u);
  EXPECT_EQ(branch.body[0].kind, StmtKind::kExpr);
  EXPECT_FALSE(branch.has_else);
  EXPECT_EQ(to_string(branch), "if (r0) WRITE_ONCE(*y, 1);");
  EXPECT_EQ(body_lines(t.processes[1]),
            (std::vector<std::string>{"int r0;", "r0 = READ_ONCE(*y);", "smp_mb();",
                                      "WRITE_ONCE(*x, 1);"}));
  EXPECT_EQ(to_string(t.condition->prop), "0:r0=1 /\\ 1:r0=1");
}

TEST(LitmusParse, InitBlockForms) {
  litmus::Test t = parse_ok(R"(C init-forms
{
  x=42;
  int *p=y; int *q = &z;
  atomic_t v = ATOMIC_INIT(-1);
  spinlock_t mylock;
  struct srcu_struct ss;
  0:r1=0; int 1:r2 = z; int * 1:r3;
  unsigned long big = 0x10;
  int a[2] = {1, 2};
}
P0(int *x) { }
exists (x=42)
)");
  std::vector<std::string> items;
  for (const InitItem& i : t.init) items.push_back(to_string(i));
  EXPECT_EQ(items, (std::vector<std::string>{
                       "x = 42;", "int *p = y;", "int *q = &z;", "atomic_t v = ATOMIC_INIT(-1);",
                       "spinlock_t mylock;", "struct srcu_struct ss;", "0:r1 = 0;", "int 1:r2 = z;",
                       "int *1:r3;", "unsigned long big = 16;", "int a[2] = {1, 2};"}));
  ASSERT_EQ(t.init.size(), 11u);
  EXPECT_EQ(t.init[1].value.kind, InitValueKind::kAddress);
  EXPECT_EQ(t.init[1].value.symbol, "y");
  EXPECT_FALSE(t.init[1].value.ampersand);
  EXPECT_TRUE(t.init[2].value.ampersand);
  EXPECT_TRUE(t.init[3].value.atomic_init);
  EXPECT_EQ(t.init[3].value.int_value, -1);
  EXPECT_EQ(t.init[6].thread, 0);
  EXPECT_EQ(t.init[6].name, "r1");
  EXPECT_EQ(t.init[7].thread, 1);
  EXPECT_EQ(t.init[7].type, "int");
  EXPECT_EQ(t.init[8].pointer_depth, 1);
  EXPECT_EQ(t.init[10].array_size, 2);
  EXPECT_TRUE(t.processes[0].body.empty());
}

TEST(LitmusParse, DocStringMetadataAndOcamlComments) {
  litmus::Test t = parse_ok(R"(C C-2+2W+fencembonceonce+pooncerelease
"FenceMbdWWOnceOnce WseOnceOnce"
Cycle=WseOnceOnce PodWWOnceRelease
Prefetch=0:x=F,0:y=W,1:y=F,1:x=W
(* Result: Sometimes *)
(* nested (* comments *) are fine *)
{
}

// C comment between functions
P0(int *x, int *y) /* after params */
{
	WRITE_ONCE(*x, 2); // (* not an OCaml comment here
	r1 = (*x);
}

/* between */ exists
(x=2)
)");
  EXPECT_EQ(t.metadata, (std::vector<std::string>{"\"FenceMbdWWOnceOnce WseOnceOnce\"",
                                                  "Cycle=WseOnceOnce PodWWOnceRelease",
                                                  "Prefetch=0:x=F,0:y=W,1:y=F,1:x=W"}));
  EXPECT_EQ(t.result.kind, ResultKind::kSometimes);
  ASSERT_EQ(t.processes.size(), 1u);
  EXPECT_EQ(body_lines(t.processes[0]),
            (std::vector<std::string>{"WRITE_ONCE(*x, 2);", "r1 = *x;"}));
  EXPECT_EQ(to_string(t.condition->prop), "x=2");
}

TEST(LitmusParse, ExpressionsAndStatements) {
  litmus::Test t = parse_ok(R"(C exprs
{}
P0(int *x, int *y, atomic_t *v, spinlock_t *s)
{
	int r0 = READ_ONCE(*x), *r1 = x;
	intptr_t r2 = x;
	int r3;

	r3 = r0 + 2 * 3 - 1;
	r3 = (r0 + 2) * 3;
	r3 = r0 << 1 | r0 & 3 ^ 1;
	r3 = !r0 && r1 != 0 || -r0 < ~r0;
	r3 = r0 ? 1 : 2;
	*r1 = r3 % 2;
	(void)atomic_add_unless(v, 1, 0);
	if (READ_ONCE(*y) == 1 && r0 >= 0) {
		spin_lock(s);
	} else if (r0 <= 2) {
		r3 += 1;
	} else {
		;
	}
	{ r3 = xchg_acquire(y, 3); }
}
exists (0:r3=1)
)");
  ASSERT_EQ(t.processes.size(), 1u);
  EXPECT_EQ(body_lines(t.processes[0]),
            (std::vector<std::string>{
                "int r0 = READ_ONCE(*x), *r1 = x;",
                "intptr_t r2 = x;",
                "int r3;",
                "r3 = (r0 + (2 * 3)) - 1;",
                "r3 = (r0 + 2) * 3;",
                "r3 = (r0 << 1) | ((r0 & 3) ^ 1);",
                "r3 = (!r0 && (r1 != 0)) || (-r0 < ~r0);",
                "r3 = r0 ? 1 : 2;",
                "*r1 = r3 % 2;",
                "(void)atomic_add_unless(v, 1, 0);",
                "if ((READ_ONCE(*y) == 1) && (r0 >= 0)) { spin_lock(s); } else if (r0 <= 2) { r3 "
                "+= 1; } else { ; }",
                "{ r3 = xchg_acquire(y, 3); }",
            }));
  const Stmt& decl = t.processes[0].body[0];
  EXPECT_EQ(decl.kind, StmtKind::kDecl);
  EXPECT_EQ(decl.type, "int");
  ASSERT_EQ(decl.decls.size(), 2u);
  EXPECT_EQ(decl.decls[1].pointer_depth, 1);
  ASSERT_TRUE(decl.decls[1].init.has_value());
  EXPECT_EQ(decl.decls[1].init->kind, ExprKind::kIdent);
  const Stmt& cast = t.processes[0].body[9];
  ASSERT_TRUE(cast.rhs.has_value());
  EXPECT_EQ(cast.rhs->kind, ExprKind::kCast);
  EXPECT_EQ(cast.rhs->name, "void");
  const Stmt& ifs = t.processes[0].body[10];
  EXPECT_TRUE(ifs.has_else);
  ASSERT_EQ(ifs.else_body.size(), 1u);
  EXPECT_EQ(ifs.else_body[0].kind, StmtKind::kIf);
  EXPECT_TRUE(ifs.else_body[0].has_else);
}

TEST(LitmusParse, ConditionGrammar) {
  litmus::Test t = parse_ok(R"(C cond
{}
P0(int *x) { int r1; r1 = READ_ONCE(*x); }
locations [0:r1; x; y;]
filter (~0:r1=1 /\ 0:r1=0:r4)
forall (0:r1=0 /\ x=1) \/ ~(0:r1=2 /\ x!=2) \/ not(x == -1) \/ 0:r1=x \/ *x=1 /\ true;
)");
  EXPECT_TRUE(t.has_locations);
  ASSERT_EQ(t.locations.size(), 3u);
  EXPECT_EQ(t.locations[0].kind, CondOperand::Kind::kRegister);
  EXPECT_EQ(t.locations[1].kind, CondOperand::Kind::kLocation);
  EXPECT_EQ(t.locations[2].name, "y");
  ASSERT_TRUE(t.filter.has_value());
  EXPECT_EQ(to_string(*t.filter), "~0:r1=1 /\\ 0:r1=0:r4");
  ASSERT_TRUE(t.condition.has_value());
  EXPECT_EQ(t.condition->quantifier, Quantifier::kForall);
  const Prop& p = t.condition->prop;
  EXPECT_EQ(p.kind, PropKind::kOr);
  ASSERT_EQ(p.children.size(), 5u);
  EXPECT_EQ(p.children[1].kind, PropKind::kNot);
  EXPECT_EQ(p.children[2].children[0].op, CompareOp::kEq);
  EXPECT_EQ(p.children[2].children[0].rhs.value, -1);
  EXPECT_EQ(p.children[3].rhs.kind, CondOperand::Kind::kLocation);
  EXPECT_TRUE(p.children[4].children[0].lhs.deref);
  EXPECT_EQ(to_string(p),
            "(0:r1=0 /\\ x=1) \\/ ~(0:r1=2 /\\ x!=2) \\/ ~x=-1 \\/ 0:r1=x \\/ (*x=1 /\\ true)");
}

TEST(LitmusParse, NotExistsAndNoCondition) {
  litmus::Test t = parse_ok("C ne\n{}\nP0(int *x) { WRITE_ONCE(*x, 1); }\n~exists (x=1)\n");
  ASSERT_TRUE(t.condition.has_value());
  EXPECT_EQ(t.condition->quantifier, Quantifier::kNotExists);
  litmus::Test t2 = parse_ok("C none\n{}\nP0(spinlock_t *sl) { spin_lock(sl); }\n");
  EXPECT_FALSE(t2.condition.has_value());
  EXPECT_EQ(t2.result.kind, ResultKind::kNone);
  EXPECT_EQ(t2.processes.size(), 1u);
}

TEST(LitmusParse, ResultVariants) {
  struct Case {
    std::string line;
    ResultKind kind;
    std::string raw;
    bool datarace;
  };
  const Case cases[] = {
      {" * Result: Never", ResultKind::kNever, "Never", false},
      {"(* Result: Sometimes *)", ResultKind::kSometimes, "Sometimes", false},
      {" * Result: Always", ResultKind::kAlways, "Always", false},
      {" * Result: Maybe (compiler!)", ResultKind::kMaybe, "Maybe (compiler!)", false},
      {" * Result: Maybe.", ResultKind::kMaybe, "Maybe", false},
      {" * Result: DEADLOCK", ResultKind::kDeadlock, "DEADLOCK", false},
      {" * Result: Never DATARACE", ResultKind::kNever, "Never DATARACE", true},
      {" * Result: Flag srcu-bad-nesting", ResultKind::kOther, "Flag srcu-bad-nesting", false},
      {"* Result: Never", ResultKind::kNone, "", false},  // must start with '(' or ' '
      {"(* Expected result: allowed *)", ResultKind::kNone, "", false},
  };
  for (const Case& c : cases) {
    std::string text = "C r\n(*\n" + c.line + "\n*)\n{}\nP0(int *x) { }\nexists (x=0)\n";
    litmus::Test t = parse_ok(text);
    EXPECT_EQ(t.result.kind, c.kind) << c.line;
    EXPECT_EQ(t.result.raw, c.raw) << c.line;
    EXPECT_EQ(t.result.datarace, c.datarace) << c.line;
  }
  // First match wins.
  ExpectedResult r = extract_expected_result(" * Result: Never\n * Result: Sometimes\n");
  EXPECT_EQ(r.kind, ResultKind::kNever);
  EXPECT_EQ(r.loc.line, 1);
}

TEST(LitmusParse, NonCArchitectureParsesHeaderOnly) {
  litmus::Test t = parse_ok(R"(LISA 3.LB+o-addr
{
x = 0;
}
P0                  | P1                  ;
r[once] r1 x        | r[once] r3 y        ;
exists(0:r1=1 /\ 1:r3=1)
)");
  EXPECT_EQ(t.arch, "LISA");
  EXPECT_EQ(t.name, "3.LB+o-addr");
  EXPECT_TRUE(t.processes.empty());
  EXPECT_TRUE(t.init.empty());
  EXPECT_FALSE(t.condition.has_value());
}

TEST(LitmusParse, LoopsAndGotoParseForLaterRejection) {
  litmus::Test t = parse_ok(R"(C loops
{}
P0(int *x)
{
	int r0;
	int i;
	while (READ_ONCE(*x) == 0) r0++;
	do { r0--; } while (r0 > 0);
	for (i = 0; i < 2; i++) { WRITE_ONCE(*x, i); }
	for (;;) break;
again:
	if (r0) goto again;
	return;
}
exists (x=1)
)");
  EXPECT_EQ(body_lines(t.processes[0]),
            (std::vector<std::string>{
                "int r0;", "int i;", "while (READ_ONCE(*x) == 0) r0++;",
                "do { r0--; } while (r0 > 0);", "for (i = 0; i < 2; i++) { WRITE_ONCE(*x, i); }",
                "for (; ; ) break;", "again:", "if (r0) goto again;", "return;"}));
}

TEST(LitmusPrimitives, TableClassifiesFamilies) {
  const PrimitiveInfo* p = find_primitive("READ_ONCE");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->kind, PrimitiveKind::kLoad);
  EXPECT_EQ(p->ordering, OrderingClass::kRelaxed);
  EXPECT_TRUE(p->lvalue_location);
  EXPECT_EQ(p->num_args, 1);

  p = find_primitive("smp_store_release");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->kind, PrimitiveKind::kStore);
  EXPECT_EQ(p->ordering, OrderingClass::kRelease);
  EXPECT_FALSE(p->lvalue_location);

  p = find_primitive("cmpxchg_acquire");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->kind, PrimitiveKind::kRmw);
  EXPECT_EQ(p->ordering, OrderingClass::kAcquire);
  EXPECT_EQ(p->num_args, 3);
  EXPECT_TRUE(p->conditional);

  p = find_primitive("atomic_fetch_add_release");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->ordering, OrderingClass::kRelease);
  EXPECT_EQ(p->location_arg, 1);  // atomic_fetch_add(V, X)

  p = find_primitive("atomic_add");
  ASSERT_NE(p, nullptr);
  EXPECT_FALSE(p->returns_value);
  EXPECT_EQ(p->ordering, OrderingClass::kRelaxed);

  p = find_primitive("atomic_inc_return");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->ordering, OrderingClass::kFull);
  EXPECT_EQ(p->num_args, 1);

  p = find_primitive("smp_mb__after_spinlock");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->kind, PrimitiveKind::kFence);
  EXPECT_EQ(p->ordering, OrderingClass::kMbAfterSpinlock);

  p = find_primitive("srcu_read_lock");
  ASSERT_NE(p, nullptr);
  EXPECT_FALSE(p->supported);

  EXPECT_EQ(find_primitive("smp_memb"), nullptr);
  EXPECT_EQ(find_primitive(""), nullptr);
  EXPECT_EQ(find_primitive("READ_ONCEX"), nullptr);

  const auto& all = all_primitives();
  for (size_t i = 1; i < all.size(); ++i) {
    EXPECT_LT(all[i - 1].name, all[i].name) << "table must be sorted and duplicate-free";
  }
  for (const PrimitiveInfo& info : all) {
    EXPECT_EQ(find_primitive(info.name), &info) << info.name;
  }
}

}  // namespace
}  // namespace mmcheck::litmus

// File: explorer/litmus/parse.cpp
//
// Recursive-descent parser for C litmus tests (see parse.hpp for the accepted
// language). Structure:
//   - Lexer: produces one token at a time in one of two lexical modes.
//     kOcaml (header, init block, between functions, conditions): comments are
//     `(* ... *)` (nested), `/* ... */` and `// ...`; `/\` and `\/` are tokens.
//     kC (thread bodies): only C comments; `(*` is '(' followed by '*'.
//     The parser switches mode at the braces of each thread body, discarding
//     (and re-lexing) any lookahead.
//   - Parser: header, prelude (doc string, Key=Value metadata), init block,
//     functions, locations/filter, final condition. Failures throw the
//     internal Failure type, caught in parse_litmus() and turned into a
//     ParseError; nothing else escapes (std::exception is caught too).
//
// What this does not do: semantic checks (support.cpp), evaluation, or
// recovery after the first error (the first error is reported).
#include "litmus/parse.hpp"

#include <algorithm>
#include <cstdint>
#include <exception>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace mmcheck::litmus {
namespace {

// Internal failure: carries the byte offset of the error and a message.
struct Failure {
  size_t offset;
  std::string message;
};

enum class LexMode { kOcaml, kC };
enum class Tok { kEof, kIdent, kInt, kString, kPunct };

struct Token {
  Tok kind = Tok::kEof;
  std::string_view text;
  size_t offset = 0;
  int64_t value = 0;  // kInt
};

bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string describe_char(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  if (u >= 0x21 && u < 0x7f) return absl::StrFormat("'%c'", c);
  return absl::StrFormat("'\\x%02x'", u);
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  size_t pos() const { return pos_; }
  void set_pos(size_t p) { pos_ = std::min(p, text_.size()); }
  std::string_view text() const { return text_; }

  // Skips whitespace and comments of the given mode.
  void skip_trivia(LexMode mode) {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (is_space(c)) {
        ++pos_;
      } else if (c == '/' && peek_char(1) == '/') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else if (c == '/' && peek_char(1) == '*') {
        size_t start = pos_;
        size_t end = text_.find("*/", pos_ + 2);
        if (end == std::string_view::npos) throw Failure{start, "unterminated comment"};
        pos_ = end + 2;
      } else if (mode == LexMode::kOcaml && c == '(' && peek_char(1) == '*') {
        skip_ocaml_comment();
      } else {
        break;
      }
    }
  }

  Token next(LexMode mode) {
    skip_trivia(mode);
    Token t;
    t.offset = pos_;
    if (pos_ >= text_.size()) {
      t.kind = Tok::kEof;
      return t;
    }
    char c = text_[pos_];
    if (is_ident_start(c)) {
      size_t start = pos_;
      while (pos_ < text_.size() && is_ident_char(text_[pos_])) ++pos_;
      t.kind = Tok::kIdent;
      t.text = text_.substr(start, pos_ - start);
      return t;
    }
    if (is_digit(c)) return lex_int(mode);
    if (c == '"') return lex_string();
    // Punctuation: longest match first.
    static constexpr std::string_view kPunct3[] = {"<<=", ">>="};
    static constexpr std::string_view kPunct2[] = {
        "==", "!=", "<=", ">=", "&&", "||", "<<", ">>", "++", "--",
        "->", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^="};
    static constexpr std::string_view kOcamlPunct2[] = {"/\\", "\\/"};
    std::string_view rest = text_.substr(pos_);
    if (mode == LexMode::kOcaml) {
      for (std::string_view p : kOcamlPunct2) {
        if (rest.starts_with(p)) return punct(p.size());
      }
    }
    for (std::string_view p : kPunct3) {
      if (rest.starts_with(p)) return punct(p.size());
    }
    for (std::string_view p : kPunct2) {
      if (rest.starts_with(p)) return punct(p.size());
    }
    static constexpr std::string_view kPunct1 = "{}()[];,:?=+-*/%&|^!~<>.";
    if (kPunct1.find(c) != std::string_view::npos) return punct(1);
    throw Failure{pos_, absl::StrCat("unexpected character ", describe_char(c))};
  }

 private:
  char peek_char(size_t k) const { return pos_ + k < text_.size() ? text_[pos_ + k] : '\0'; }

  Token punct(size_t n) {
    Token t;
    t.kind = Tok::kPunct;
    t.offset = pos_;
    t.text = text_.substr(pos_, n);
    pos_ += n;
    return t;
  }

  void skip_ocaml_comment() {
    size_t start = pos_;
    int depth = 0;
    while (pos_ < text_.size()) {
      if (text_[pos_] == '(' && peek_char(1) == '*') {
        ++depth;
        pos_ += 2;
      } else if (text_[pos_] == '*' && peek_char(1) == ')') {
        --depth;
        pos_ += 2;
        if (depth == 0) return;
      } else {
        ++pos_;
      }
    }
    throw Failure{start, "unterminated comment"};
  }

  Token lex_int(LexMode mode) {
    size_t start = pos_;
    uint64_t base = 10;
    if (text_[pos_] == '0' && (peek_char(1) == 'x' || peek_char(1) == 'X')) {
      base = 16;
      pos_ += 2;
    } else if (mode == LexMode::kC && text_[pos_] == '0' && is_digit(peek_char(1))) {
      base = 8;
      pos_ += 1;
    }
    size_t digits_start = pos_;
    uint64_t value = 0;
    bool overflow = false;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      uint64_t d;
      if (c >= '0' && c <= '9') {
        d = static_cast<uint64_t>(c - '0');
      } else if (base == 16 && c >= 'a' && c <= 'f') {
        d = static_cast<uint64_t>(c - 'a' + 10);
      } else if (base == 16 && c >= 'A' && c <= 'F') {
        d = static_cast<uint64_t>(c - 'A' + 10);
      } else {
        break;
      }
      if (d >= base) throw Failure{start, "malformed integer literal"};
      if (value > (static_cast<uint64_t>(INT64_MAX) - d) / base) overflow = true;
      if (!overflow) value = value * base + d;
      ++pos_;
    }
    if (base == 16 && pos_ == digits_start) throw Failure{start, "malformed integer literal"};
    while (pos_ < text_.size() &&
           (text_[pos_] == 'u' || text_[pos_] == 'U' || text_[pos_] == 'l' || text_[pos_] == 'L')) {
      ++pos_;
    }
    if (pos_ < text_.size() && is_ident_char(text_[pos_])) {
      throw Failure{start, "malformed integer literal"};
    }
    if (overflow) throw Failure{start, "integer literal out of range"};
    Token t;
    t.kind = Tok::kInt;
    t.offset = start;
    t.text = text_.substr(start, pos_ - start);
    t.value = static_cast<int64_t>(value);
    return t;
  }

  Token lex_string() {
    size_t start = pos_;
    ++pos_;
    while (pos_ < text_.size() && text_[pos_] != '"' && text_[pos_] != '\n') {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size() && text_[pos_ + 1] != '\n') ++pos_;
      ++pos_;
    }
    if (pos_ >= text_.size() || text_[pos_] != '"') {
      throw Failure{start, "unterminated string literal"};
    }
    ++pos_;
    Token t;
    t.kind = Tok::kString;
    t.offset = start;
    t.text = text_.substr(start, pos_ - start);
    return t;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

// Converts byte offsets to 1-based line/column.
class LineTable {
 public:
  explicit LineTable(std::string_view text) {
    starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') starts_.push_back(i + 1);
    }
  }
  SourceLoc loc(size_t offset) const {
    auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
    size_t line = static_cast<size_t>(it - starts_.begin());  // >= 1
    SourceLoc l;
    l.line = static_cast<int>(line);
    l.col = static_cast<int>(offset - starts_[line - 1] + 1);
    return l;
  }

 private:
  std::vector<size_t> starts_;
};

const char* const kTypeWords[] = {
    "int",   "long",     "short",  "char",  "unsigned", "signed", "void",     "bool",  "_Bool",
    "const", "volatile", "struct", "union", "enum",     "static", "register", "u8",    "u16",
    "u32",   "u64",      "s8",     "s16",   "s32",      "s64",    "__u32",    "__u64",
};

bool is_type_word(std::string_view w) {
  for (const char* t : kTypeWords) {
    if (w == t) return true;
  }
  return w.ends_with("_t") && w.size() > 2;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Debian's Abseil has its own string_view type, so std::string_view pieces
// are joined here rather than with absl::StrJoin.
std::string join_words(const std::vector<std::string_view>& words, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += sep;
    out += words[i];
  }
  return out;
}

std::string str(std::string_view s) { return std::string(s); }

class Parser {
 public:
  Parser(std::string_view text, std::string_view filename)
      : text_(text), filename_(filename), lexer_(text), lines_(text) {}

  Test parse() {
    Test test;
    test.filename = std::string(filename_);
    test.result = extract_expected_result(text_);
    parse_header(test);
    if (test.arch != "C") return test;  // best effort: header + Result only
    parse_prelude(test);
    parse_init(test);
    parse_tail(test);
    return test;
  }

  SourceLoc loc(size_t offset) const { return lines_.loc(offset); }

 private:
  // ------------------------------------------------------------------ tokens
  // Tokens are returned by value: later peeks may grow the lookahead buffer.
  Token peek(size_t k = 0) {
    while (la_.size() <= k) {
      if (!la_.empty() && la_.back().kind == Tok::kEof) return la_.back();
      la_.push_back(lexer_.next(mode_));
    }
    return la_[k];
  }

  Token advance() {
    Token t = peek();
    la_.erase(la_.begin());
    return t;
  }

  void set_mode(LexMode m) {
    if (m == mode_) return;
    if (!la_.empty()) lexer_.set_pos(la_.front().offset);
    la_.clear();
    mode_ = m;
  }

  bool is_punct(const Token& t, std::string_view p) const {
    return t.kind == Tok::kPunct && t.text == p;
  }
  bool is_ident(const Token& t, std::string_view w) const {
    return t.kind == Tok::kIdent && t.text == w;
  }
  bool at_punct(std::string_view p) { return is_punct(peek(), p); }
  bool at_ident(std::string_view w) { return is_ident(peek(), w); }

  std::string describe(const Token& t) const {
    switch (t.kind) {
      case Tok::kEof:
        return "end of file";
      case Tok::kString:
        return "a string literal";
      default:
        return absl::StrCat("'", str(t.text), "'");
    }
  }

  [[noreturn]] void fail_at(const Token& t, std::string message) {
    throw Failure{t.offset, std::move(message)};
  }

  [[noreturn]] void fail_expected(std::string_view what) {
    const Token t = peek();
    fail_at(t, absl::StrCat("expected ", str(what), ", found ", describe(t)));
  }

  Token expect_punct(std::string_view p, std::string_view context) {
    if (!at_punct(p)) fail_expected(absl::StrCat("'", str(p), "'", str(context)));
    return advance();
  }

  Token expect_ident(std::string_view what) {
    if (peek().kind != Tok::kIdent) fail_expected(what);
    return advance();
  }

  SourceLoc here() { return loc(peek().offset); }

  // RAII nesting guard against stack exhaustion on hostile input.
  class DepthGuard {
   public:
    DepthGuard(Parser& p, size_t offset) : p_(p) {
      if (++p_.depth_ > kMaxNestingDepth) throw Failure{offset, "nesting too deep"};
    }
    ~DepthGuard() { --p_.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    Parser& p_;
  };

  // ------------------------------------------------------------------ header
  void parse_header(Test& test) {
    const Token first = peek();
    if (first.kind == Tok::kEof) {
      fail_at(first, "empty file: expected an architecture word such as 'C'");
    }
    if (first.kind != Tok::kIdent) {
      fail_at(first,
              absl::StrCat("expected an architecture word such as 'C', found ", describe(first)));
    }
    Token arch = advance();
    la_.clear();
    test.arch = std::string(arch.text);
    test.header_loc = loc(arch.offset);
    size_t name_start = arch.offset + arch.text.size();
    size_t eol = text_.find('\n', name_start);
    if (eol == std::string_view::npos) eol = text_.size();
    std::string_view name = trim(text_.substr(name_start, eol - name_start));
    if (name.empty()) throw Failure{name_start, "missing test name after the architecture word"};
    test.name = std::string(name);
    lexer_.set_pos(eol);
  }

  // Doc string and `Key=Value` lines before the init block.
  void parse_prelude(Test& test) {
    for (;;) {
      const Token t = peek();
      if (t.kind == Tok::kString) {
        test.metadata.emplace_back(t.text);
        advance();
        continue;
      }
      if (t.kind == Tok::kIdent) {
        size_t after = t.offset + t.text.size();
        while (after < text_.size() && (text_[after] == ' ' || text_[after] == '\t')) ++after;
        if (after < text_.size() && text_[after] == '=') {
          size_t eol = text_.find('\n', t.offset);
          if (eol == std::string_view::npos) eol = text_.size();
          test.metadata.emplace_back(trim(text_.substr(t.offset, eol - t.offset)));
          la_.clear();
          lexer_.set_pos(eol);
          continue;
        }
      }
      if (!is_punct(t, "{")) fail_expected("'{' to start the init block");
      return;
    }
  }

  // ------------------------------------------------------------------ init
  void parse_init(Test& test) {
    expect_punct("{", " to start the init block");
    for (;;) {
      if (at_punct("}")) break;
      if (at_punct(";")) {
        advance();
        continue;
      }
      test.init.push_back(parse_init_item());
      if (at_punct(";")) {
        advance();
        continue;
      }
      if (!at_punct("}")) fail_expected("';' or '}' in the init block");
    }
    advance();  // '}'
  }

  InitItem parse_init_item() {
    InitItem item;
    item.loc = here();
    std::vector<std::string_view> words;
    bool have_name = false;
    for (;;) {
      const Token t = peek();
      if (t.kind == Tok::kIdent) {
        words.push_back(t.text);
        advance();
      } else if (is_punct(t, "*")) {
        if (words.empty()) fail_expected("a type or location name in the init block");
        ++item.pointer_depth;
        advance();
      } else if (t.kind == Tok::kInt && is_punct(peek(1), ":")) {
        item.thread = static_cast<int>(std::min<int64_t>(t.value, INT32_MAX));
        advance();
        advance();
        Token name = expect_ident("a register name after 'N:' in the init block");
        item.name = std::string(name.text);
        item.loc = loc(t.offset);
        have_name = true;
        break;
      } else {
        break;
      }
    }
    if (!have_name) {
      if (words.empty()) fail_expected("a location name in the init block");
      item.name = std::string(words.back());
      words.pop_back();
    }
    if (!have_name && words.empty() && item.pointer_depth > 0) {
      fail_expected("a location name in the init block");
    }
    item.type = join_words(words, " ");
    if (at_punct("[")) {
      advance();
      if (peek().kind != Tok::kInt) fail_expected("an array size");
      item.array_size = advance().value;
      expect_punct("]", " after the array size");
    }
    if (at_punct("=")) {
      advance();
      item.value = parse_init_value();
    }
    return item;
  }

  int64_t parse_signed_int(std::string_view what) {
    bool neg = false;
    if (at_punct("-")) {
      neg = true;
      advance();
    }
    if (peek().kind != Tok::kInt) fail_expected(what);
    int64_t v = advance().value;
    return neg ? -v : v;
  }

  InitValue parse_init_value() {
    InitValue v;
    const Token t = peek();
    if (is_punct(t, "&")) {
      advance();
      Token name = expect_ident("a location name after '&'");
      v.kind = InitValueKind::kAddress;
      v.symbol = std::string(name.text);
      v.ampersand = true;
    } else if (t.kind == Tok::kInt || is_punct(t, "-")) {
      v.kind = InitValueKind::kInt;
      v.int_value = parse_signed_int("an integer initial value");
    } else if (is_ident(t, "ATOMIC_INIT") && is_punct(peek(1), "(")) {
      advance();
      advance();
      v.kind = InitValueKind::kInt;
      v.atomic_init = true;
      v.int_value = parse_signed_int("an integer in ATOMIC_INIT()");
      expect_punct(")", " to close ATOMIC_INIT(");
    } else if (t.kind == Tok::kIdent) {
      v.kind = InitValueKind::kAddress;
      v.symbol = std::string(t.text);
      advance();
    } else if (is_punct(t, "{")) {
      advance();
      v.kind = InitValueKind::kList;
      while (!at_punct("}")) {
        v.list.push_back(parse_signed_int("an integer in the initialiser list"));
        if (at_punct(",")) {
          advance();
        } else if (!at_punct("}")) {
          fail_expected("',' or '}' in the initialiser list");
        }
      }
      advance();
    } else {
      fail_expected("an initial value (integer, location or &location)");
    }
    return v;
  }

  // ------------------------------------------------------------------ tail
  void parse_tail(Test& test) {
    for (;;) {
      const Token t = peek();
      if (t.kind == Tok::kEof) return;  // no final condition
      if (is_ident(t, "locations")) {
        parse_locations(test);
      } else if (is_ident(t, "filter")) {
        SourceLoc l = loc(t.offset);
        advance();
        test.filter = parse_prop();
        if (test.filter->loc.line == 0) test.filter->loc = l;
      } else if (is_ident(t, "exists") || is_ident(t, "forall") || is_punct(t, "~")) {
        parse_condition(test);
        break;
      } else if (t.kind == Tok::kIdent && is_punct(peek(1), "(")) {
        test.processes.push_back(parse_function());
      } else {
        fail_expected(
            "a thread function 'P<n>(...)', 'locations', 'filter', 'exists', '~exists' or "
            "'forall'");
      }
    }
    if (at_punct(";")) advance();
    if (peek().kind != Tok::kEof) {
      fail_at(peek(), absl::StrCat("unexpected ", describe(peek()), " after the final condition"));
    }
  }

  void parse_locations(Test& test) {
    advance();  // locations
    test.has_locations = true;
    expect_punct("[", " after 'locations'");
    while (!at_punct("]")) {
      if (at_punct(";")) {
        advance();
        continue;
      }
      test.locations.push_back(parse_cond_operand());
    }
    advance();
  }

  void parse_condition(Test& test) {
    Condition c;
    c.loc = here();
    if (at_punct("~")) {
      advance();
      if (!at_ident("exists")) fail_expected("'exists' after '~'");
      c.quantifier = Quantifier::kNotExists;
    } else if (at_ident("forall")) {
      c.quantifier = Quantifier::kForall;
    } else {
      c.quantifier = Quantifier::kExists;
    }
    advance();
    c.prop = parse_prop();
    test.condition = std::move(c);
  }

  // ------------------------------------------------------------------ props
  Prop parse_prop() { return parse_prop_or(); }

  Prop parse_prop_or() {
    Prop first = parse_prop_and();
    if (!at_punct("\\/")) return first;
    Prop p;
    p.kind = PropKind::kOr;
    p.loc = first.loc;
    p.children.push_back(std::move(first));
    while (at_punct("\\/")) {
      advance();
      p.children.push_back(parse_prop_and());
    }
    return p;
  }

  Prop parse_prop_and() {
    Prop first = parse_prop_unary();
    if (!at_punct("/\\")) return first;
    Prop p;
    p.kind = PropKind::kAnd;
    p.loc = first.loc;
    p.children.push_back(std::move(first));
    while (at_punct("/\\")) {
      advance();
      p.children.push_back(parse_prop_unary());
    }
    return p;
  }

  bool next_is_compare(size_t k) {
    const Token t = peek(k);
    return is_punct(t, "=") || is_punct(t, "==") || is_punct(t, "!=");
  }

  Prop parse_prop_unary() {
    const Token t = peek();
    DepthGuard guard(*this, t.offset);
    SourceLoc l = loc(t.offset);
    if (is_punct(t, "~") || (is_ident(t, "not") && !next_is_compare(1))) {
      advance();
      Prop p;
      p.kind = PropKind::kNot;
      p.loc = l;
      p.children.push_back(parse_prop_unary());
      return p;
    }
    if (is_punct(t, "(")) {
      advance();
      Prop inner = parse_prop_or();
      expect_punct(")", " to close the parenthesised condition");
      return inner;
    }
    if ((is_ident(t, "true") || is_ident(t, "false")) && !next_is_compare(1)) {
      Prop p;
      p.kind = is_ident(t, "true") ? PropKind::kTrue : PropKind::kFalse;
      p.loc = l;
      advance();
      return p;
    }
    Prop p;
    p.kind = PropKind::kAtom;
    p.loc = l;
    p.lhs = parse_cond_operand();
    if (at_punct("=") || at_punct("==")) {
      p.op = CompareOp::kEq;
    } else if (at_punct("!=")) {
      p.op = CompareOp::kNe;
    } else {
      fail_expected("'=' or '!=' in the condition");
    }
    advance();
    p.rhs = parse_cond_operand();
    return p;
  }

  CondOperand parse_cond_operand() {
    CondOperand o;
    const Token t = peek();
    o.loc = loc(t.offset);
    if (t.kind == Tok::kInt && is_punct(peek(1), ":")) {
      o.kind = CondOperand::Kind::kRegister;
      o.thread = static_cast<int>(std::min<int64_t>(t.value, INT32_MAX));
      advance();
      advance();
      o.name = std::string(expect_ident("a register name after 'N:'").text);
      return o;
    }
    if (t.kind == Tok::kInt || is_punct(t, "-")) {
      o.kind = CondOperand::Kind::kInt;
      o.value = parse_signed_int("an integer");
      return o;
    }
    if (is_punct(t, "*")) {
      advance();
      o.deref = true;
    }
    if (peek().kind != Tok::kIdent) {
      fail_expected("a register (N:reg), a location or an integer in the condition");
    }
    o.kind = CondOperand::Kind::kLocation;
    o.name = std::string(advance().text);
    return o;
  }

  // ------------------------------------------------------------------ functions
  Process parse_function() {
    Process p;
    Token name = advance();
    p.name = std::string(name.text);
    p.loc = loc(name.offset);
    if (name.text.size() >= 2 && name.text[0] == 'P' &&
        std::all_of(name.text.begin() + 1, name.text.end(), is_digit) && name.text.size() <= 9) {
      p.index = 0;
      for (char c : name.text.substr(1)) p.index = p.index * 10 + (c - '0');
    }
    expect_punct("(", " after the function name");
    // The parameter list is C, but lexing it in OCaml mode is equivalent
    // (no `(*`, `/\` or `\/` can appear) and keeps `// comment` after ')'.
    if (!at_punct(")")) {
      for (;;) {
        p.params.push_back(parse_param());
        if (at_punct(",")) {
          advance();
          continue;
        }
        break;
      }
    }
    expect_punct(")", " to close the parameter list");
    if (p.params.size() == 1 && p.params[0].type.empty() && p.params[0].name == "void" &&
        p.params[0].pointer_depth == 0) {
      p.params.clear();
    }
    if (!at_punct("{")) fail_expected(absl::StrCat("'{' to start the body of ", p.name));
    advance();
    current_function_ = p.name;
    set_mode(LexMode::kC);
    while (!at_punct("}")) {
      if (peek().kind == Tok::kEof) {
        fail_expected(absl::StrCat("'}' to close the body of ", p.name));
      }
      p.body.push_back(parse_stmt());
    }
    advance();
    set_mode(LexMode::kOcaml);
    return p;
  }

  Param parse_param() {
    Param prm;
    prm.loc = here();
    std::vector<std::string_view> words;
    for (;;) {
      const Token t = peek();
      if (t.kind == Tok::kIdent) {
        words.push_back(t.text);
        advance();
      } else if (is_punct(t, "*")) {
        if (words.empty()) fail_expected("a parameter type");
        ++prm.pointer_depth;
        advance();
      } else {
        break;
      }
    }
    if (words.empty()) fail_expected("a parameter");
    prm.name = std::string(words.back());
    words.pop_back();
    prm.type = join_words(words, " ");
    return prm;
  }

  // ------------------------------------------------------------------ statements
  std::vector<Stmt> parse_block_body() {
    std::vector<Stmt> body;
    while (!at_punct("}")) {
      if (peek().kind == Tok::kEof) fail_expected("'}' to close the block");
      body.push_back(parse_stmt());
    }
    advance();
    return body;
  }

  Stmt parse_stmt() {
    const Token t = peek();
    DepthGuard guard(*this, t.offset);
    Stmt s;
    s.loc = loc(t.offset);
    if (is_punct(t, "{")) {
      advance();
      s.kind = StmtKind::kBlock;
      s.body = parse_block_body();
      return s;
    }
    if (is_punct(t, ";")) {
      advance();
      s.kind = StmtKind::kEmpty;
      return s;
    }
    if (t.kind == Tok::kIdent) {
      std::string_view w = t.text;
      if (w == "if") {
        advance();
        s.kind = StmtKind::kIf;
        expect_punct("(", " after 'if'");
        s.cond = parse_expr();
        expect_punct(")", " to close the 'if' condition");
        s.body.push_back(parse_stmt());
        if (at_ident("else")) {
          advance();
          s.has_else = true;
          s.else_body.push_back(parse_stmt());
        }
        return s;
      }
      if (w == "while") {
        advance();
        s.kind = StmtKind::kWhile;
        expect_punct("(", " after 'while'");
        s.cond = parse_expr();
        expect_punct(")", " to close the 'while' condition");
        s.body.push_back(parse_stmt());
        return s;
      }
      if (w == "do") {
        advance();
        s.kind = StmtKind::kDoWhile;
        s.body.push_back(parse_stmt());
        if (!at_ident("while")) fail_expected("'while' after the body of 'do'");
        advance();
        expect_punct("(", " after 'while'");
        s.cond = parse_expr();
        expect_punct(")", " to close the 'while' condition");
        expect_punct(";", " after 'do ... while (...)'");
        return s;
      }
      if (w == "for") {
        advance();
        s.kind = StmtKind::kFor;
        expect_punct("(", " after 'for'");
        if (at_punct(";")) {
          advance();
        } else {
          s.for_init.push_back(parse_simple_stmt());  // consumes ';'
        }
        if (!at_punct(";")) s.cond = parse_expr();
        expect_punct(";", " after the 'for' condition");
        if (!at_punct(")")) s.for_step.push_back(parse_expr_or_assign());
        expect_punct(")", " to close the 'for' header");
        s.body.push_back(parse_stmt());
        return s;
      }
      if (w == "goto") {
        advance();
        s.kind = StmtKind::kGoto;
        s.label = std::string(expect_ident("a label after 'goto'").text);
        expect_punct(";", " after 'goto'");
        return s;
      }
      if (w == "break" || w == "continue") {
        s.kind = w == "break" ? StmtKind::kBreak : StmtKind::kContinue;
        advance();
        expect_punct(
            ";", absl::StrCat(" after '", s.kind == StmtKind::kBreak ? "break" : "continue", "'"));
        return s;
      }
      if (w == "return") {
        advance();
        s.kind = StmtKind::kReturn;
        if (!at_punct(";")) s.rhs = parse_expr();
        expect_punct(";", " after 'return'");
        return s;
      }
      if (w == "else") fail_at(t, "'else' without a matching 'if'");
      // A thread body left open runs into the next function or the
      // condition: say so rather than reporting a confusing call.
      bool next_function = w.size() >= 2 && w[0] == 'P' &&
                           std::all_of(w.begin() + 1, w.end(), is_digit) && is_punct(peek(1), "(");
      if (next_function || w == "exists" || w == "forall" || w == "locations" || w == "filter") {
        fail_at(t, absl::StrCat("expected '}' to close the body of ", current_function_,
                                " before '", str(w), "'"));
      }
      if (w == "switch" || w == "case" || w == "default") {
        fail_at(t, absl::StrCat("'", str(w), "' statements are not supported"));
      }
      if (is_punct(peek(1), ":")) {
        s.kind = StmtKind::kLabel;
        s.label = std::string(w);
        advance();
        advance();
        return s;
      }
    }
    return parse_simple_stmt();
  }

  bool at_decl_start() {
    const Token t = peek();
    if (t.kind != Tok::kIdent) return false;
    if (is_type_word(t.text)) return true;
    return peek(1).kind == Tok::kIdent;
  }

  // Declaration, assignment or expression statement, including the ';'.
  Stmt parse_simple_stmt() {
    if (at_decl_start()) return parse_decl();
    Stmt s = parse_expr_or_assign();
    expect_punct(";", " after the statement");
    return s;
  }

  Stmt parse_decl() {
    Stmt s;
    s.kind = StmtKind::kDecl;
    s.loc = here();
    std::vector<std::string_view> words;
    // Type words: identifiers followed by another identifier or '*'.
    while (peek().kind == Tok::kIdent && (peek(1).kind == Tok::kIdent || is_punct(peek(1), "*"))) {
      words.push_back(advance().text);
    }
    if (words.empty()) {
      // A lone type word such as `int;` or `int = 3;`.
      fail_expected("a declaration (type followed by a name)");
    }
    s.type = join_words(words, " ");
    for (;;) {
      Declarator d;
      d.loc = here();
      while (at_punct("*")) {
        ++d.pointer_depth;
        advance();
      }
      d.name = std::string(expect_ident("a name in the declaration").text);
      if (at_punct("[")) {
        advance();
        if (peek().kind != Tok::kInt) fail_expected("an array size");
        d.array_size = advance().value;
        expect_punct("]", " after the array size");
      }
      if (at_punct("=")) {
        advance();
        d.init = parse_expr();
      }
      s.decls.push_back(std::move(d));
      if (at_punct(",")) {
        advance();
        continue;
      }
      break;
    }
    expect_punct(";", " after the declaration");
    return s;
  }

  static bool is_assign_op(const Token& t) {
    static constexpr std::string_view kOps[] = {
        "=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>="};
    if (t.kind != Tok::kPunct) return false;
    for (std::string_view op : kOps) {
      if (t.text == op) return true;
    }
    return false;
  }

  // Expression or assignment, without the trailing ';'.
  Stmt parse_expr_or_assign() {
    Stmt s;
    s.loc = here();
    Expr e = parse_expr();
    if (is_assign_op(peek())) {
      Token op = advance();
      s.kind = StmtKind::kAssign;
      s.op = std::string(op.text);
      s.lhs = std::move(e);
      s.rhs = parse_expr();
      return s;
    }
    s.kind = StmtKind::kExpr;
    s.rhs = std::move(e);
    return s;
  }

  // ------------------------------------------------------------------ expressions
  Expr parse_expr() {
    const Token t = peek();
    DepthGuard guard(*this, t.offset);
    Expr cond = parse_binary(1);
    if (!at_punct("?")) return cond;
    advance();
    Expr e;
    e.kind = ExprKind::kTernary;
    e.loc = cond.loc;
    e.operands.push_back(std::move(cond));
    e.operands.push_back(parse_expr());
    expect_punct(":", " in the conditional expression");
    e.operands.push_back(parse_expr());
    return e;
  }

  struct BinInfo {
    std::string_view text;
    int prec;
    BinaryOp op;
  };

  static const BinInfo* binary_info(const Token& t) {
    static constexpr BinInfo kOps[] = {
        {"||", 1, BinaryOp::kLogOr}, {"&&", 2, BinaryOp::kLogAnd}, {"|", 3, BinaryOp::kBitOr},
        {"^", 4, BinaryOp::kBitXor}, {"&", 5, BinaryOp::kBitAnd},  {"==", 6, BinaryOp::kEq},
        {"!=", 6, BinaryOp::kNe},    {"<", 7, BinaryOp::kLt},      {">", 7, BinaryOp::kGt},
        {"<=", 7, BinaryOp::kLe},    {">=", 7, BinaryOp::kGe},     {"<<", 8, BinaryOp::kShl},
        {">>", 8, BinaryOp::kShr},   {"+", 9, BinaryOp::kAdd},     {"-", 9, BinaryOp::kSub},
        {"*", 10, BinaryOp::kMul},   {"/", 10, BinaryOp::kDiv},    {"%", 10, BinaryOp::kMod},
    };
    if (t.kind != Tok::kPunct) return nullptr;
    for (const BinInfo& b : kOps) {
      if (t.text == b.text) return &b;
    }
    return nullptr;
  }

  // Precedence climbing over left-associative binary operators.
  // A left-associative chain builds a left-deep tree, so its length counts
  // against the nesting limit like explicit parentheses do.
  void check_chain(int chain, size_t offset) const {
    if (depth_ + chain > kMaxNestingDepth) throw Failure{offset, "nesting too deep"};
  }

  Expr parse_binary(int min_prec) {
    Expr lhs = parse_unary();
    for (int chain = 1;; ++chain) {
      const BinInfo* info = binary_info(peek());
      if (info == nullptr || info->prec < min_prec) return lhs;
      check_chain(chain, peek().offset);
      advance();
      DepthGuard guard(*this, peek().offset);
      Expr rhs = parse_binary(info->prec + 1);
      Expr e;
      e.kind = ExprKind::kBinary;
      e.binary_op = info->op;
      e.loc = lhs.loc;
      e.operands.push_back(std::move(lhs));
      e.operands.push_back(std::move(rhs));
      lhs = std::move(e);
    }
  }

  // '(' type-words '*'* ')' at the current position?
  bool at_cast() {
    if (!at_punct("(")) return false;
    const Token first = peek(1);
    if (first.kind != Tok::kIdent || !is_type_word(first.text)) return false;
    for (size_t k = 2; k < 16; ++k) {
      const Token t = peek(k);
      if (is_punct(t, ")")) return true;
      if (t.kind != Tok::kIdent && !is_punct(t, "*")) return false;
    }
    return false;
  }

  Expr parse_unary() {
    const Token t = peek();
    DepthGuard guard(*this, t.offset);
    SourceLoc l = loc(t.offset);
    struct UnInfo {
      std::string_view text;
      UnaryOp op;
    };
    static constexpr UnInfo kUnary[] = {
        {"*", UnaryOp::kDeref},   {"&", UnaryOp::kAddrOf},  {"-", UnaryOp::kNeg},
        {"+", UnaryOp::kPlus},    {"!", UnaryOp::kNot},     {"~", UnaryOp::kBitNot},
        {"++", UnaryOp::kPreInc}, {"--", UnaryOp::kPreDec},
    };
    if (t.kind == Tok::kPunct) {
      for (const UnInfo& u : kUnary) {
        if (t.text == u.text) {
          advance();
          Expr e;
          e.kind = ExprKind::kUnary;
          e.unary_op = u.op;
          e.loc = l;
          e.operands.push_back(parse_unary());
          return e;
        }
      }
    }
    if (at_cast()) {
      advance();  // '('
      std::vector<std::string_view> words;
      std::string stars;
      while (!at_punct(")")) {
        Token w = advance();
        if (w.kind == Tok::kIdent) {
          words.push_back(w.text);
        } else {
          stars += "*";
        }
      }
      advance();  // ')'
      Expr e;
      e.kind = ExprKind::kCast;
      e.loc = l;
      e.name = join_words(words, " ");
      if (!stars.empty()) absl::StrAppend(&e.name, " ", stars);
      e.operands.push_back(parse_unary());
      return e;
    }
    return parse_postfix();
  }

  Expr parse_postfix() {
    Expr e = parse_primary();
    for (int chain = 1;; ++chain) {
      const Token t = peek();
      check_chain(chain, t.offset);
      if (is_punct(t, "(")) {
        if (e.kind != ExprKind::kIdent) fail_at(t, "only named functions can be called");
        advance();
        e.kind = ExprKind::kCall;
        while (!at_punct(")")) {
          e.operands.push_back(parse_expr());
          if (at_punct(",")) {
            advance();
            if (at_punct(")")) fail_expected("an argument");
          } else if (!at_punct(")")) {
            fail_expected(absl::StrCat("',' or ')' in the arguments of ", e.name));
          }
        }
        advance();
      } else if (is_punct(t, "[")) {
        advance();
        Expr idx;
        idx.kind = ExprKind::kIndex;
        idx.loc = e.loc;
        idx.operands.push_back(std::move(e));
        idx.operands.push_back(parse_expr());
        expect_punct("]", " to close the index");
        e = std::move(idx);
      } else if (is_punct(t, ".") || is_punct(t, "->")) {
        bool arrow = is_punct(t, "->");
        advance();
        Expr m;
        m.kind = ExprKind::kMember;
        m.loc = e.loc;
        m.arrow = arrow;
        m.name = std::string(expect_ident("a field name").text);
        m.operands.push_back(std::move(e));
        e = std::move(m);
      } else if (is_punct(t, "++") || is_punct(t, "--")) {
        Expr u;
        u.kind = ExprKind::kUnary;
        u.unary_op = is_punct(t, "++") ? UnaryOp::kPostInc : UnaryOp::kPostDec;
        u.loc = e.loc;
        advance();
        u.operands.push_back(std::move(e));
        e = std::move(u);
      } else {
        return e;
      }
    }
  }

  Expr parse_primary() {
    const Token t = peek();
    Expr e;
    e.loc = loc(t.offset);
    if (t.kind == Tok::kInt) {
      e.kind = ExprKind::kIntLit;
      e.value = t.value;
      advance();
      return e;
    }
    if (t.kind == Tok::kIdent) {
      e.kind = ExprKind::kIdent;
      e.name = std::string(t.text);
      advance();
      return e;
    }
    if (is_punct(t, "(")) {
      advance();
      Expr inner = parse_expr();
      expect_punct(")", " to close the parenthesised expression");
      return inner;
    }
    fail_expected("an expression");
  }

  std::string_view text_;
  std::string_view filename_;
  Lexer lexer_;
  LineTable lines_;
  LexMode mode_ = LexMode::kOcaml;
  std::vector<Token> la_;  // lookahead, lexed in mode_
  int depth_ = 0;
  std::string current_function_;  // for diagnostics inside a thread body
};

}  // namespace

std::string ParseError::to_string() const {
  if (line == 0) return absl::StrCat(file, ": ", message);
  return absl::StrFormat("%s:%d:%d: %s", file, line, col, message);
}

ExpectedResult extract_expected_result(std::string_view text) {
  ExpectedResult r;
  size_t line_start = 0;
  int line_no = 1;
  constexpr std::string_view kMarker = "* Result: ";
  while (line_start <= text.size()) {
    size_t eol = text.find('\n', line_start);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(line_start, eol - line_start);
    if (line.size() > kMarker.size() && (line[0] == '(' || line[0] == ' ') &&
        line.substr(1, kMarker.size()) == kMarker) {
      std::string_view raw = trim(line.substr(1 + kMarker.size()));
      if (raw.ends_with("*)")) raw = trim(raw.substr(0, raw.size() - 2));
      if (raw.ends_with(".")) raw = trim(raw.substr(0, raw.size() - 1));
      r.raw = std::string(raw);
      r.loc = SourceLoc{line_no, 1};
      size_t sp = raw.find_first_of(" \t");
      std::string_view word = raw.substr(0, sp);
      r.word = std::string(word);
      if (sp != std::string_view::npos) {
        std::string_view rest = trim(raw.substr(sp));
        r.datarace = rest == "DATARACE" || rest.starts_with("DATARACE ");
      }
      if (word == "Never") {
        r.kind = ResultKind::kNever;
      } else if (word == "Sometimes") {
        r.kind = ResultKind::kSometimes;
      } else if (word == "Always") {
        r.kind = ResultKind::kAlways;
      } else if (word == "Maybe") {
        r.kind = ResultKind::kMaybe;
      } else if (word == "DEADLOCK") {
        r.kind = ResultKind::kDeadlock;
      } else {
        r.kind = ResultKind::kOther;
      }
      return r;
    }
    if (eol == text.size()) break;
    line_start = eol + 1;
    ++line_no;
  }
  return r;
}

ParseResult parse_litmus(std::string_view text, std::string_view filename) {
  ParseResult result;
  auto make_error = [&](SourceLoc l, std::string message) {
    ParseError e;
    e.file = std::string(filename);
    e.line = l.line;
    e.col = l.col;
    e.message = std::move(message);
    result.test.reset();
    result.error = std::move(e);
  };
  if (text.size() > kMaxInputBytes) {
    make_error(SourceLoc{1, 1}, absl::StrFormat("input too large (%d bytes, limit %d)", text.size(),
                                                kMaxInputBytes));
    return result;
  }
  Parser parser(text, filename);
  try {
    result.test = parser.parse();
  } catch (const Failure& f) {
    make_error(parser.loc(f.offset), f.message);
  } catch (const std::exception& ex) {
    make_error(SourceLoc{1, 1}, absl::StrCat("internal error: ", ex.what()));
  }
  return result;
}

ParseResult parse_litmus_file(const std::string& path) {
  ParseResult result;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ParseError e;
    e.file = path;
    e.message = "cannot open file";
    result.error = std::move(e);
    return result;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) {
    ParseError e;
    e.file = path;
    e.message = "cannot read file";
    result.error = std::move(e);
    return result;
  }
  return parse_litmus(buf.str(), path);
}

}  // namespace mmcheck::litmus

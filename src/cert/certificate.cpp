#include <cerval/cert/certificate.hpp>
#include <cerval/numeric/rational.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <set>
#include <sstream>
#include <variant>

namespace cerval::cert {

namespace {

// ---------------------------------------------------------------------------
// Paths of JSON values ("tree.children[1].split.at"), for messages and for
// finding the line and column of a value in the text.

using Segment = std::variant<std::string, std::size_t>;  // member name or array index
using JsonPath = std::vector<Segment>;

std::string path_text(const JsonPath& path) {
  std::string s;
  for (const auto& seg : path) {
    if (const auto* key = std::get_if<std::string>(&seg)) {
      if (!s.empty()) s += '.';
      s += *key;
    } else {
      s += "[" + std::to_string(std::get<std::size_t>(seg)) + "]";
    }
  }
  return s.empty() ? "certificate" : s;
}

struct FormatError {
  JsonPath where;
  std::string message;
};

// ---------------------------------------------------------------------------
// JSON -> model. The reader keeps the path of the value it is reading in
// `where_` (a stack of segments), so every error names its value.

class Reader {
 public:
  Certificate read(const Json& j) {
    Certificate c;
    object(j);
    only(j, {"cerval_certificate", "kind", "variables", "definitions", "constraints", "eps_h", "claim", "projected",
             "tree", "witness"});
    {
      Field s(*this, j, "cerval_certificate");
      const Json& v = s.value;
      if (!v.is_number_integer() || v.get<std::int64_t>() != kFormatVersion)
        fail("unsupported certificate version (expected 1)");
    }
    {
      Field s(*this, j, "kind");
      c.kind = text(s.value);
      if (c.kind != "bound" && c.kind != "minimum") fail("expected \"bound\" or \"minimum\", got '" + c.kind + "'");
    }
    {
      Field s(*this, j, "variables");
      const Json& vars = array(s.value);
      for (std::size_t i = 0; i < vars.size(); ++i) {
        Scope e(*this, i);
        c.variables.push_back(variable(vars[i]));
      }
    }
    if (j.contains("definitions")) {
      Scope s(*this, "definitions");
      const Json& ds = array(j.at("definitions"));
      for (std::size_t i = 0; i < ds.size(); ++i) {
        Scope e(*this, i);
        c.definitions.push_back(definition(ds[i]));
      }
    }
    if (j.contains("constraints")) {
      Scope s(*this, "constraints");
      const Json& cs = array(j.at("constraints"));
      for (std::size_t i = 0; i < cs.size(); ++i) {
        Scope e(*this, i);
        c.constraints.push_back(relation_entry(cs[i]));
      }
    }
    if (j.contains("eps_h")) {
      Scope s(*this, "eps_h");
      c.eps_h = rational(j.at("eps_h"));
      if (*c.eps_h < 0) fail("must be nonnegative");
    }
    {
      Field s(*this, j, "claim");
      c.claim = relation_entry(s.value);
    }
    if (j.contains("projected")) {
      Scope s(*this, "projected");
      const Json& names = array(j.at("projected"));
      for (std::size_t i = 0; i < names.size(); ++i) {
        Scope e(*this, i);
        c.projected.push_back(text(names[i]));
      }
    }
    {
      Field s(*this, j, "tree");
      tree(s.value, c.nodes);
    }
    if (c.kind == "minimum") {
      Field s(*this, j, "witness");
      c.witness = witness(s.value, c.claim.relation);
    } else if (j.contains("witness")) {
      Scope s(*this, "witness");
      fail("only a \"minimum\" certificate has a witness");
    }
    return c;
  }

 private:
  // Pushes one segment for the lifetime of the scope (errors copy the path
  // before any scope is left, so an exception needs no cleanup).
  struct Scope {
    Scope(Reader& r, Segment s) : reader(r) { reader.where_.push_back(std::move(s)); }
    ~Scope() { reader.where_.pop_back(); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    Reader& reader;
  };
  // A required member: missing is an error at the object's path; then the
  // member's name is pushed like a Scope.
  struct Field : Scope {
    Field(Reader& r, const Json& j, const char* key) : Scope(r, std::string(key)), value(r.member_of(j, key)) {}
    const Json& value;
  };

  [[noreturn]] void fail(const std::string& message) const { throw FormatError{where_, message}; }

  const Json& object(const Json& j) const {
    if (!j.is_object()) fail("expected a JSON object");
    return j;
  }
  const Json& array(const Json& j) const {
    if (!j.is_array()) fail("expected a JSON array");
    return j;
  }
  // Called by Field after its segment was pushed: report at the object.
  const Json& member_of(const Json& j, const char* key) {
    if (!j.is_object() || !j.contains(key)) {
      where_.pop_back();
      JsonPath at = where_;
      where_.emplace_back(std::string(key));
      throw FormatError{at, j.is_object() ? std::string("missing member '") + key + "'" : "expected a JSON object"};
    }
    return j.at(key);
  }
  // Rejects members other than `allowed` (a misspelt member must not be
  // silently ignored by the trusted reader).
  void only(const Json& j, std::initializer_list<const char*> allowed) {
    for (const auto& item : j.items()) {
      bool known = false;
      for (const char* a : allowed) known = known || item.key() == a;
      if (!known) {
        Scope s(*this, item.key());
        fail("unknown member");
      }
    }
  }
  std::string text(const Json& j) const {
    if (!j.is_string()) fail("expected a string");
    return j.get<std::string>();
  }
  // An exact number: a string "p/q", an integer or decimal string, a
  // hexadecimal float string, or a JSON integer (never a JSON float, which
  // would have been rounded to binary64 already).
  Rational rational(const Json& j) const {
    if (j.is_number_integer())
      return j.is_number_unsigned() ? Rational(j.get<std::uint64_t>()) : Rational(j.get<std::int64_t>());
    const std::string t = text(j);
    const auto q = numeric::parse_rational(t);
    if (!q) fail("not an exact number: '" + t + "'");
    return *q;
  }
  std::optional<Rational> endpoint(const Json& j, bool lower) const {
    if (j.is_string()) {
      const std::string t = j.get<std::string>();
      if (lower ? t == "-oo" : (t == "+oo" || t == "oo")) return std::nullopt;
      if (t == "-oo" || t == "+oo" || t == "oo")
        fail(std::string("an infinite ") + (lower ? "lower" : "upper") + " bound must be " + (lower ? "-oo" : "+oo"));
    }
    return rational(j);
  }
  // A binary64 number given exactly (hexadecimal "%a" form, or a decimal whose
  // value happens to be a double): "0.1" is 1/10, which is not a double.
  double exact_double(const Json& j) const {
    const std::string t = text(j);
    const auto q = numeric::parse_decimal(t);
    if (!q) fail("not a number: '" + t + "'");
    const double d = numeric::to_double_down(*q);
    if (!std::isfinite(d) || numeric::to_rational(d) != *q) fail("not exactly a binary64 number: '" + t + "'");
    return d;
  }
  std::vector<double> double_array(const Json& j) {
    array(j);
    std::vector<double> r;
    for (std::size_t i = 0; i < j.size(); ++i) {
      Scope s(*this, i);
      r.push_back(exact_double(j[i]));
    }
    return r;
  }
  // A JSON integer in [lo, hi].
  std::int64_t integer(const Json& j, std::int64_t lo, std::int64_t hi, const char* what) const {
    if (!j.is_number_integer()) fail(std::string("expected ") + what);
    const bool in_range = j.is_number_unsigned()
                              ? j.get<std::uint64_t>() <= static_cast<std::uint64_t>(hi) && hi >= 0 &&
                                    static_cast<std::int64_t>(j.get<std::uint64_t>()) >= lo
                              : j.get<std::int64_t>() >= lo && j.get<std::int64_t>() <= hi;
    if (!in_range)
      fail(std::string("expected ") + what + " in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return j.get<std::int64_t>();
  }
  long precision(const Json& j) const {
    return static_cast<long>(integer(j, kMinPrecision, kMaxPrecision, "a precision in bits"));
  }
  bool boolean(const Json& j) const {
    if (!j.is_boolean()) fail("expected true or false");
    return j.get<bool>();
  }
  expr::Relation relation(const Json& j) const {
    const std::string r = text(j);
    for (auto rel : {expr::Relation::LessEqual, expr::Relation::Less, expr::Relation::GreaterEqual,
                     expr::Relation::Greater, expr::Relation::Equal})
      if (r == expr::relation_symbol(rel)) return rel;
    fail("unknown relation '" + r + "' (expected <=, <, >=, > or =)");
  }

  VariableEntry variable(const Json& j) {
    object(j);
    only(j, {"name", "lower", "upper"});
    VariableEntry v;
    {
      Field s(*this, j, "name");
      v.name = text(s.value);
    }
    {
      Field s(*this, j, "lower");
      v.lower = endpoint(s.value, true);
    }
    {
      Field s(*this, j, "upper");
      v.upper = endpoint(s.value, false);
    }
    return v;
  }

  Definition definition(const Json& j) {
    object(j);
    only(j, {"name", "expression"});
    Definition d;
    {
      Field s(*this, j, "name");
      d.name = text(s.value);
    }
    {
      Field s(*this, j, "expression");
      d.expression = text(s.value);
    }
    return d;
  }

  RelationEntry relation_entry(const Json& j) {
    object(j);
    only(j, {"expression", "relation", "bound"});
    RelationEntry r;
    {
      Field s(*this, j, "expression");
      r.expression = text(s.value);
    }
    {
      Field s(*this, j, "relation");
      r.relation = relation(s.value);
    }
    {
      Field s(*this, j, "bound");
      r.bound = rational(s.value);
    }
    return r;
  }

  Witness witness(const Json& j, expr::Relation claim) {
    object(j);
    // The key names the side of the bound; it must match the claim.
    const bool minimum = claim == expr::Relation::GreaterEqual;
    const bool maximum = claim == expr::Relation::LessEqual;
    const char* bound_key = maximum ? "objective_lower" : "objective_upper";
    only(j, {"point", bound_key, "precision", "box"});
    Witness w;
    {
      Field s(*this, j, "point");
      w.point = double_array(s.value);
    }
    if (j.contains("box")) {
      Field s(*this, j, "box");
      object(s.value);
      only(s.value, {"lower", "upper"});
      {
        Field lo(*this, s.value, "lower");
        w.box_lower = double_array(lo.value);
      }
      {
        Field hi(*this, s.value, "upper");
        w.box_upper = double_array(hi.value);
      }
      if (w.box_lower.empty() || w.box_lower.size() != w.box_upper.size())
        fail("box.lower and box.upper need one coordinate per variable");
    }
    if (!minimum && !maximum) fail("a minimum certificate claims `objective >= lower` (or `<=` for a maximum)");
    {
      Field s(*this, j, bound_key);
      w.objective_bound = rational(s.value);
    }
    {
      Field s(*this, j, "precision");
      w.precision = precision(s.value);
    }
    return w;
  }

  // The node fields of one JSON node (its children are read by `tree`).
  void node_fields(const Json& j, CertNode& n) {
    object(j);
    if (j.contains("split")) {
      only(j, {"split", "children"});
      {
        Field s(*this, j, "split");
        const Json& split = s.value;
        object(split);
        only(split, {"variable", "at"});
        {
          Field v(*this, split, "variable");
          n.split_variable = static_cast<int>(integer(v.value, 0, 1 << 30, "a variable index"));
        }
        {
          Field a(*this, split, "at");
          n.at = exact_double(a.value);
        }
      }
      Field s(*this, j, "children");
      const Json& children = array(s.value);
      if (children.size() != 2) fail("a split needs exactly two children, got " + std::to_string(children.size()));
      return;
    }
    const std::string kind = [&] {
      Field s(*this, j, "leaf");
      return text(s.value);
    }();
    if (kind == "proven") {
      n.leaf = LeafKind::Proven;
      Field s(*this, j, "form");
      const std::string form = text(s.value);
      try {
        n.form = expr::form_from_string(form);
      } catch (const std::invalid_argument&) {
        fail("unknown bounding form '" + form + "' (expected natural, mean_value, taylor2, monotone, rational or gauss_newton)");
      }
    } else if (kind == "infeasible") {
      n.leaf = LeafKind::Infeasible;
    } else if (kind == "no_stationary_point") {
      n.leaf = LeafKind::NoStationaryPoint;
    } else {
      Scope s(*this, "leaf");
      fail("unknown leaf kind '" + kind + "' (expected proven, infeasible or no_stationary_point)");
    }
    const bool centred =
        n.leaf == LeafKind::Proven && expr::is_centred(n.form);
    if (centred)
      only(j, {"leaf", "form", "precision", "contract", "center", "cutoff", "multipliers", "projection", "boundary"});
    else if (n.leaf == LeafKind::Proven)
      only(j, {"leaf", "form", "precision", "contract", "cutoff", "multipliers", "projection", "boundary"});
    else
      only(j, {"leaf", "precision", "contract", "cutoff", "projection", "boundary"});
    {
      Field s(*this, j, "precision");
      n.precision = precision(s.value);
    }
    {
      Field s(*this, j, "contract");
      n.contract = boolean(s.value);
    }
    if (j.contains("center")) {
      Scope s(*this, "center");
      n.center = double_array(j.at("center"));
    }
    if (j.contains("cutoff")) {
      Scope s(*this, "cutoff");
      n.cutoff = exact_double(j.at("cutoff"));
    }
    if (j.contains("multipliers")) {
      Scope s(*this, "multipliers");
      n.multipliers = double_array(j.at("multipliers"));
    }
    if (j.contains("projection")) {
      Scope s(*this, "projection");
      const Json& ranges = array(j.at("projection"));
      if (ranges.empty()) fail("an empty projection (leave the member out)");
      for (std::size_t i = 0; i < ranges.size(); ++i) {
        Scope e(*this, i);
        if (ranges[i].is_null()) {  // not projected on this leaf
          n.projection_lower.push_back(std::numeric_limits<double>::quiet_NaN());
          n.projection_upper.push_back(std::numeric_limits<double>::quiet_NaN());
          continue;
        }
        const std::vector<double> range = double_array(ranges[i]);
        if (range.size() != 2) fail("a range is [lower, upper], got " + std::to_string(range.size()) + " numbers");
        n.projection_lower.push_back(range[0]);
        n.projection_upper.push_back(range[1]);
      }
    }
    if (j.contains("boundary")) {
      Scope s(*this, "boundary");
      if (!n.is_projected()) fail("faces need a projection");
      const Json& faces = array(j.at("boundary"));
      if (faces.empty()) fail("an empty boundary (leave the member out)");
      for (std::size_t i = 0; i < faces.size(); ++i) {
        Scope e(*this, i);
        n.boundary.push_back(face(faces[i]));
      }
    }
  }

  // One face of a leaf's boundary: {"constraint": k | "variable": i, "end":
  // "lower" | "upper", "leaf": {...}}.
  CertFace face(const Json& j) {
    object(j);
    only(j, {"constraint", "variable", "end", "leaf"});
    CertFace f;
    if (j.contains("constraint") == j.contains("variable")) fail("a face names one constraint or one variable");
    if (j.contains("constraint")) {
      Field c(*this, j, "constraint");
      f.constraint = static_cast<int>(integer(c.value, 0, 1 << 30, "a constraint index"));
    } else {
      Field v(*this, j, "variable");
      f.variable = static_cast<int>(integer(v.value, 0, 1 << 30, "a variable index"));
    }
    {
      Field e(*this, j, "end");
      const std::string end = text(e.value);
      if (end != "lower" && end != "upper") fail("unknown end '" + end + "' (expected lower or upper)");
      f.upper = end == "upper";
    }
    Field l(*this, j, "leaf");
    node_fields(l.value, f.leaf);
    if (!f.leaf.is_leaf() || f.leaf.is_projected() || !f.leaf.multipliers.empty() ||
        f.leaf.leaf == LeafKind::NoStationaryPoint)
      fail("a face's leaf is proven or infeasible, without split, projection or multipliers");
    return f;
  }

  // Reads the tree iteratively in preorder. `where_` holds "tree" on entry.
  // Preorder has the property that the node visited before a node is its
  // parent or lies in the subtree of an earlier sibling, so truncating the
  // path to the parent's length and appending ".children[k]" gives the path.
  void tree(const Json& root, std::vector<CertNode>& nodes) {
    struct Item {
      const Json* json;
      std::uint32_t parent;
      int slot;  // -1 for the root
      std::size_t depth;
    };
    const std::size_t base = where_.size();
    std::vector<Item> stack{{&root, 0, -1, 0}};
    while (!stack.empty()) {
      const Item item = stack.back();
      stack.pop_back();
      if (item.slot >= 0) {
        where_.resize(base + 2 * (item.depth - 1));
        where_.emplace_back(std::string("children"));
        where_.emplace_back(static_cast<std::size_t>(item.slot));
      }
      if (item.depth > kMaxDepth) fail("tree deeper than " + std::to_string(kMaxDepth));
      if (nodes.size() >= std::numeric_limits<std::uint32_t>::max()) fail("too many nodes");
      const auto id = static_cast<std::uint32_t>(nodes.size());
      nodes.emplace_back();
      node_fields(*item.json, nodes.back());
      if (item.slot >= 0) nodes[item.parent].children[item.slot] = id;
      if (!nodes.back().is_leaf()) {
        const Json& children = item.json->at("children");
        stack.push_back({&children[1], id, 1, item.depth + 1});
        stack.push_back({&children[0], id, 0, item.depth + 1});
      }
    }
    where_.resize(base);
  }

  JsonPath where_;
};

// ---------------------------------------------------------------------------
// Positions in the JSON text. nlohmann reports the byte offset of a syntax
// error but keeps no positions for values, so a second, SAX pass over the text
// finds them: an iterator that records the offset of the last character the
// lexer read, and a handler that knows the path of the value being read. The
// same pass rejects duplicate keys (nlohmann would keep one of them silently).

struct Position {
  int line = 1;
  int column = 1;
};

Position position_of(std::string_view text, std::size_t offset) {
  Position p;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else {
      ++p.column;
    }
  }
  return p;
}

class TrackingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  TrackingIterator(const char* p, const char* base, std::ptrdiff_t* last) : p_(p), base_(base), last_(last) {}
  reference operator*() const {
    *last_ = p_ - base_;
    return *p_;
  }
  TrackingIterator& operator++() {
    ++p_;
    return *this;
  }
  TrackingIterator operator++(int) {
    TrackingIterator old = *this;
    ++p_;
    return old;
  }
  bool operator==(const TrackingIterator& o) const { return p_ == o.p_; }
  bool operator!=(const TrackingIterator& o) const { return p_ != o.p_; }

 private:
  const char* p_;
  const char* base_;
  std::ptrdiff_t* last_;
};

// SAX handler: finds the start offset of the value at `target` (if given) and
// throws on a duplicate key or a syntax error.
class Locator {
 public:
  Locator(std::string_view text, const std::string& file, const JsonPath* target)
      : text_(text), file_(file), target_(target) {}

  std::ptrdiff_t last = -1;          // offset of the last character read (set by TrackingIterator)
  std::optional<std::size_t> found;  // start offset of the target value

  bool null() { return scalar(); }
  bool boolean(bool) { return scalar(); }
  bool number_integer(std::int64_t) { return scalar(); }
  bool number_unsigned(std::uint64_t) { return scalar(); }
  bool number_float(double, const std::string&) { return scalar(); }
  bool string(std::string&) { return scalar(); }
  bool binary(nlohmann::json::binary_t&) { return scalar(); }
  bool start_object(std::size_t) {
    begin_value();
    frames_.push_back({true, {}, 0, {}});
    return true;
  }
  bool key(std::string& k) {
    Frame& f = frames_.back();
    const std::size_t start = value_start();
    consumed_ = last;
    if (!f.keys.insert(k).second) {
      const Position p = position_of(text_, start);
      throw expr::InputError({file_, p.line, p.column}, "malformed certificate: duplicate key '" + k + "'");
    }
    f.key = k;
    return true;
  }
  bool end_object() { return end_container(); }
  bool start_array(std::size_t) {
    begin_value();
    frames_.push_back({false, {}, 0, {}});
    return true;
  }
  bool end_array() { return end_container(); }
  bool parse_error(std::size_t byte, const std::string&, const nlohmann::json::exception& e) {
    // `byte` counts the characters read: the offending one is at byte - 1.
    const Position p = position_of(text_, byte > 0 ? byte - 1 : 0);
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..." -> the tail.
    if (const auto colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
    throw expr::InputError({file_, p.line, p.column}, "malformed JSON: " + what);
  }

 private:
  struct Frame {
    bool object;
    std::string key;    // current member (objects)
    std::size_t index;  // elements completed so far (arrays)
    std::set<std::string> keys;
  };

  // A value starts at the first character after what was consumed before it
  // that is not white space or a separator.
  std::size_t value_start() const {
    std::size_t i = static_cast<std::size_t>(consumed_ + 1);
    while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t' || text_[i] == '\n' || text_[i] == '\r' ||
                                text_[i] == ',' || text_[i] == ':'))
      ++i;
    return i;
  }
  void begin_value() {
    const std::size_t start = value_start();
    consumed_ = last;
    if (target_ && !found && frames_.size() == target_->size()) {
      bool same = true;
      for (std::size_t k = 0; k < frames_.size() && same; ++k) {
        const Frame& f = frames_[k];
        const Segment s = f.object ? Segment(f.key) : Segment(f.index);
        same = s == (*target_)[k];
      }
      if (same) found = start;
    }
  }
  void end_value() {
    consumed_ = last;
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
  }
  bool scalar() {
    begin_value();
    end_value();
    return true;
  }
  bool end_container() {
    frames_.pop_back();
    end_value();
    return true;
  }

  std::string_view text_;
  const std::string& file_;
  const JsonPath* target_;
  std::ptrdiff_t consumed_ = -1;
  std::vector<Frame> frames_;
};

// Runs the SAX pass; returns the start offset of `target` if given and found.
std::optional<std::size_t> scan(std::string_view text, const std::string& file, const JsonPath* target) {
  Locator locator(text, file, target);
  const TrackingIterator first(text.data(), text.data(), &locator.last);
  const TrackingIterator last(text.data() + text.size(), text.data(), &locator.last);
  nlohmann::json::sax_parse(first, last, &locator);
  return locator.found;
}

// ---------------------------------------------------------------------------
// Model -> JSON.

Json relation_json(const RelationEntry& r) {
  Json j;
  j["expression"] = r.expression;
  j["relation"] = expr::relation_symbol(r.relation);
  j["bound"] = numeric::to_string(r.bound);
  return j;
}

Json doubles_json(const std::vector<double>& v) {
  Json a = Json::array();
  for (double x : v) a.push_back(hex_double(x));
  return a;
}

Json leaf_json(const CertNode& n) {
  Json j;
  j["leaf"] = n.leaf == LeafKind::Proven       ? "proven"
              : n.leaf == LeafKind::Infeasible ? "infeasible"
                                               : "no_stationary_point";
  if (n.leaf == LeafKind::Proven) j["form"] = expr::to_string(n.form);
  j["precision"] = n.precision;
  j["contract"] = n.contract;
  const bool centred = n.leaf == LeafKind::Proven && expr::is_centred(n.form);
  if (centred && !n.center.empty()) j["center"] = doubles_json(n.center);
  if (n.cutoff) j["cutoff"] = hex_double(*n.cutoff);
  if (n.leaf == LeafKind::Proven && !n.multipliers.empty()) j["multipliers"] = doubles_json(n.multipliers);
  if (n.is_projected()) {
    Json ranges = Json::array();
    for (std::size_t i = 0; i < n.projection_lower.size(); ++i) {
      if (std::isnan(n.projection_lower[i])) ranges.push_back(nullptr);
      else ranges.push_back(doubles_json({n.projection_lower[i], n.projection_upper.at(i)}));
    }
    j["projection"] = std::move(ranges);
  }
  if (!n.boundary.empty()) {
    Json faces = Json::array();
    for (const CertFace& f : n.boundary) {
      Json face;
      if (f.constraint >= 0) face["constraint"] = f.constraint;
      else face["variable"] = f.variable;
      face["end"] = f.upper ? "upper" : "lower";
      face["leaf"] = leaf_json(f.leaf);
      faces.push_back(std::move(face));
    }
    j["boundary"] = std::move(faces);
  }
  return j;
}

// The tree as compact JSON text, written iteratively (nlohmann's dump
// recurses once per nesting level, and a tree may be 10000 levels deep).
// Throws std::invalid_argument on a child index out of range or a cycle.
std::string tree_text(const std::vector<CertNode>& nodes) {
  if (nodes.empty()) throw std::invalid_argument("certificate: empty tree");
  std::string out;
  std::vector<bool> entered(nodes.size(), false);
  // Work items: a node to write, or literal text (a separator or a closing).
  std::vector<std::variant<std::uint32_t, const char*>> stack{std::uint32_t{0}};
  while (!stack.empty()) {
    const auto item = stack.back();
    stack.pop_back();
    if (const auto* literal = std::get_if<const char*>(&item)) {
      out += *literal;
      continue;
    }
    const std::uint32_t id = std::get<std::uint32_t>(item);
    if (id >= nodes.size()) throw std::invalid_argument("certificate: child index out of range");
    if (entered[id]) throw std::invalid_argument("certificate: the nodes do not form a tree");
    entered[id] = true;
    const CertNode& n = nodes[id];
    if (n.is_leaf()) {
      out += leaf_json(n).dump();
      continue;
    }
    Json split;
    split["variable"] = n.split_variable;
    split["at"] = hex_double(n.at);
    out += "{\"split\":" + split.dump() + ",\"children\":[";
    stack.push_back("]}");
    stack.push_back(n.children[1]);
    stack.push_back(",");
    stack.push_back(n.children[0]);
  }
  return out;
}

}  // namespace

std::string hex_double(double x) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%a", x);
  return buffer;
}

Certificate from_json(const Json& j, const std::string& file_name) {
  try {
    return Reader().read(j);
  } catch (const FormatError& e) {
    throw expr::InputError({file_name, 1, 1}, "malformed certificate: " + path_text(e.where) + ": " + e.message);
  }
}

namespace {

// The members of the certificate in the documented order; the tree only when asked.
Json certificate_json(const Certificate& c, bool with_tree) {
  Json j;
  j["cerval_certificate"] = kFormatVersion;
  j["kind"] = c.kind;
  j["variables"] = Json::array();
  for (const auto& v : c.variables) {
    Json e;
    e["name"] = v.name;
    e["lower"] = v.lower ? numeric::to_string(*v.lower) : "-oo";
    e["upper"] = v.upper ? numeric::to_string(*v.upper) : "+oo";
    j["variables"].push_back(std::move(e));
  }
  if (!c.definitions.empty()) {
    j["definitions"] = Json::array();
    for (const auto& d : c.definitions) {
      Json e;
      e["name"] = d.name;
      e["expression"] = d.expression;
      j["definitions"].push_back(std::move(e));
    }
  }
  j["constraints"] = Json::array();
  for (const auto& r : c.constraints) j["constraints"].push_back(relation_json(r));
  if (c.eps_h) j["eps_h"] = numeric::to_string(*c.eps_h);
  if (!c.projected.empty()) j["projected"] = c.projected;
  j["claim"] = relation_json(c.claim);
  if (with_tree) j["tree"] = Json::parse(tree_text(c.nodes));  // iterative both ways
  if (c.witness) {
    Json w;
    w["point"] = doubles_json(c.witness->point);
    if (c.witness->is_box()) {
      Json box;
      box["lower"] = doubles_json(c.witness->box_lower);
      box["upper"] = doubles_json(c.witness->box_upper);
      w["box"] = std::move(box);
    }
    const char* key = c.claim.relation == expr::Relation::LessEqual ? "objective_lower" : "objective_upper";
    w[key] = numeric::to_string(c.witness->objective_bound);
    w["precision"] = c.witness->precision;
    j["witness"] = std::move(w);
  }
  return j;
}

}  // namespace

Json to_json(const Certificate& c) { return certificate_json(c, true); }

Certificate parse_certificate(std::string_view text, const std::string& file_name) {
  scan(text, file_name, nullptr);  // syntax errors and duplicate keys, with positions
  const Json j = Json::parse(text);
  try {
    return Reader().read(j);
  } catch (const FormatError& e) {
    const std::optional<std::size_t> at = scan(text, file_name, &e.where);
    const Position p = at ? position_of(text, *at) : Position{};
    throw expr::InputError({file_name, p.line, p.column},
                           "malformed certificate: " + path_text(e.where) + ": " + e.message);
  }
}

std::string certificate_text(const Certificate& c) {
  const Json j = certificate_json(c, false);
  std::string s = "{\n";
  for (const auto& item : j.items()) {
    if (item.key() == "definitions") {  // one definition per line
      s += "  \"definitions\": [\n";
      for (std::size_t k = 0; k < item.value().size(); ++k)
        s += "    " + item.value()[k].dump() + (k + 1 < item.value().size() ? ",\n" : "\n");
      s += "  ],\n";
      continue;
    }
    s += "  " + Json(item.key()).dump() + ": " + item.value().dump() + ",\n";
    if (item.key() == "claim") s += "  \"tree\": " + tree_text(c.nodes) + ",\n";
  }
  s.resize(s.size() - 2);  // the last ",\n"
  return s + "\n}\n";
}

Certificate read_certificate(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw expr::InputError({path, 1, 1}, "cannot read the certificate");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_certificate(buffer.str(), path);
}

void write_certificate(const Certificate& c, const std::string& path) {
  const std::string text = certificate_text(c);
  std::ofstream out(path, std::ios::binary);
  if (!out) throw expr::InputError({path, 1, 1}, "cannot write the certificate");
  out << text;
  out.flush();
  if (!out) throw expr::InputError({path, 1, 1}, "cannot write the certificate");
}

}  // namespace cerval::cert

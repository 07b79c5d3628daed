// The certificate model and its JSON form: exact round trips, strict reading
// (unknown members, non-representable split points, bad numbers are errors),
// and errors located at file:line:col.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cerval/cert/certificate.hpp>
#include <cerval/cert/checker.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

using namespace cerval;
using cert::Certificate;
using cert::CertNode;
using numeric::Rational;

namespace {

CertNode leaf(expr::Form form, long precision = 53) {
  CertNode n;
  n.leaf = cert::LeafKind::Proven;
  n.form = form;
  n.precision = precision;
  return n;
}

// exp(x) - (1 + x) >= 0 on [-1, 1]: split at 0, monotone on both halves.
Certificate exp_certificate() {
  Certificate c;
  c.kind = "bound";
  c.variables.push_back({"x", Rational(-1), Rational(1)});
  c.claim = {"exp(x) - (1 + x)", expr::Relation::GreaterEqual, Rational(0)};
  CertNode root;
  root.split_variable = 0;
  root.at = 0.0;
  root.children[0] = 1;
  root.children[1] = 2;
  c.nodes = {root, leaf(expr::Form::Monotone), leaf(expr::Form::Monotone)};
  return c;
}

// A certificate using every member: constraints, eps_h, infinite bounds,
// centres, cut-offs, infeasible leaves and a witness.
Certificate rich_certificate() {
  Certificate c;
  c.kind = "minimum";
  c.variables.push_back({"x", Rational(-1), Rational(1, 3)});
  c.variables.push_back({"y(2)", std::nullopt, std::nullopt});
  c.constraints.push_back({"x + y(2)", expr::Relation::LessEqual, Rational(1, 10)});
  c.constraints.push_back({"x*y(2)", expr::Relation::Equal, Rational(0)});
  c.eps_h = Rational(1, 1000000);
  c.claim = {"x^2 + y(2)^2", expr::Relation::GreaterEqual, Rational(0)};
  CertNode root;
  root.split_variable = 1;
  root.at = 0.1;  // the double nearest 0.1: exact in hexadecimal
  root.children[0] = 1;
  root.children[1] = 2;
  CertNode a = leaf(expr::Form::Taylor2, 120);
  a.center = {-0.25, 0x1.8p-5};
  a.contract = true;
  a.cutoff = 0.5;
  CertNode b;
  b.leaf = cert::LeafKind::Infeasible;
  b.precision = 64;
  b.contract = true;
  c.nodes = {root, a, b};
  c.witness = cert::Witness{{0.0, 0.0}, Rational(1, 7), 80, {}, {}};
  return c;
}

void require_same(const Certificate& a, const Certificate& b) {
  // The JSON form is canonical: equal text means equal certificates.
  REQUIRE(cert::certificate_text(a) == cert::certificate_text(b));
  REQUIRE(a.kind == b.kind);
  REQUIRE(a.variables.size() == b.variables.size());
  for (std::size_t i = 0; i < a.variables.size(); ++i) {
    CHECK(a.variables[i].name == b.variables[i].name);
    CHECK(a.variables[i].lower == b.variables[i].lower);
    CHECK(a.variables[i].upper == b.variables[i].upper);
  }
  REQUIRE(a.nodes.size() == b.nodes.size());
  for (std::size_t k = 0; k < a.nodes.size(); ++k) {
    CHECK(a.nodes[k].split_variable == b.nodes[k].split_variable);
    CHECK(a.nodes[k].at == b.nodes[k].at);  // exact: hexadecimal floats
    CHECK(a.nodes[k].center == b.nodes[k].center);
    CHECK(a.nodes[k].cutoff == b.nodes[k].cutoff);
  }
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("cerval_cert_test_" + name)).string();
}

// Replaces the first occurrence of `from` (which must occur) by `to`.
std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// Parses `text` expecting an InputError; returns it.
expr::InputError parse_error(const std::string& text) {
  try {
    cert::parse_certificate(text, "cert.json");
  } catch (const expr::InputError& e) {
    return e;
  }
  FAIL("no InputError for:\n" << text);
  throw;  // not reached
}

}  // namespace

TEST_CASE("hexadecimal doubles are exact", "[cert][json]") {
  for (double x : {0.1, -0.0, 1.0, 0x1.fffffffffffffp+1023, 0x1p-1074, -3.5, 1e-310}) {
    const auto q = numeric::parse_decimal(cert::hex_double(x));
    REQUIRE(q);
    CHECK(*q == numeric::to_rational(x));
  }
}

TEST_CASE("certificates round-trip through JSON exactly", "[cert][json]") {
  for (const Certificate& c : {exp_certificate(), rich_certificate()}) {
    const Certificate back = cert::from_json(cert::to_json(c));
    require_same(c, back);
    const Certificate reparsed = cert::parse_certificate(cert::certificate_text(c));
    require_same(c, reparsed);
    // The exact values survive: 1/3 is not rounded, 0.1 is the double.
    CHECK(reparsed.eps_h == c.eps_h);
  }
  const Certificate r = cert::parse_certificate(cert::certificate_text(rich_certificate()));
  CHECK(r.variables[0].upper == Rational(1, 3));
  CHECK(!r.variables[1].lower);
  CHECK(!r.variables[1].upper);
  CHECK(r.nodes[0].at == 0.1);
  CHECK(r.nodes[1].form == expr::Form::Taylor2);
  CHECK(r.nodes[1].precision == 120);
  CHECK(r.nodes[2].leaf == cert::LeafKind::Infeasible);
  REQUIRE(r.witness);
  CHECK(r.witness->objective_bound == Rational(1, 7));
  CHECK(r.witness->precision == 80);
  CHECK(r.constraints[1].relation == expr::Relation::Equal);
}

TEST_CASE("write_certificate and read_certificate round-trip and stay valid", "[cert][json]") {
  const std::string path = temp_path("exp.json");
  const Certificate c = exp_certificate();
  REQUIRE(cert::check(c).valid);
  cert::write_certificate(c, path);
  const Certificate back = cert::read_certificate(path);
  require_same(c, back);
  const cert::CheckResult r = cert::check(back);
  CHECK(r.valid);
  CHECK(r.leaves == 2);
  CHECK(r.splits == 1);
  std::remove(path.c_str());
  CHECK_THROWS_AS(cert::read_certificate(temp_path("does-not-exist.json")), expr::InputError);
  CHECK_THROWS_AS(cert::write_certificate(c, "/nonexistent-dir/x.json"), expr::InputError);
}

TEST_CASE("the documented format is read as specified", "[cert][json]") {
  const std::string text = R"json({
  "cerval_certificate": 1,
  "kind": "bound",
  "variables": [{"name": "x", "lower": "-1", "upper": "1"}],
  "constraints": [],
  "claim": {"expression": "exp(x) - (1 + x)", "relation": ">=", "bound": "0"},
  "tree": {"split": {"variable": 0, "at": "0x0p+0"},
           "children": [{"leaf": "proven", "form": "monotone", "precision": 53, "contract": false},
                        {"leaf": "proven", "form": "monotone", "precision": 53, "contract": false}]}
})json";
  const Certificate c = cert::parse_certificate(text, "doc.json");
  CHECK(c.nodes.size() == 3);
  CHECK(cert::check(c).valid);
}

TEST_CASE("malformed JSON is an InputError at its line and column", "[cert][json]") {
  const std::string text = "{\n  \"cerval_certificate\": 1,\n  \"kind\": bound\n}\n";
  const expr::InputError e = parse_error(text);
  CHECK(e.where().file == "cert.json");
  CHECK(e.where().line == 3);
  CHECK(e.where().column == 11);  // the 'b' of the invalid literal
  CHECK(std::string(e.what()).rfind("cert.json:3:", 0) == 0);

  const expr::InputError trailing = parse_error("{\"kind\": \"bound\",}");
  CHECK(trailing.where().line == 1);
  CHECK(trailing.where().column == 18);

  const expr::InputError empty = parse_error("");
  CHECK(empty.where().line == 1);
  CHECK(empty.where().column == 1);

  const std::string path = temp_path("broken.json");
  {
    std::ofstream out(path);
    out << "{\n\n   [\n";
  }
  try {
    cert::read_certificate(path);
    FAIL("no error");
  } catch (const expr::InputError& err) {
    CHECK(err.where().file == path);
    CHECK(err.where().line == 3);
    CHECK(err.where().column == 4);
  }
  std::remove(path.c_str());
}

TEST_CASE("structural errors name the member and point at its value", "[cert][json]") {
  const std::string good = cert::certificate_text(exp_certificate());
  REQUIRE_NOTHROW(cert::parse_certificate(good));

  SECTION("a split point that is not a double") {
    const std::string bad = replace(good, "\"at\":\"0x0p+0\"", "\"at\":\"0.1\"");
    const expr::InputError e = parse_error(bad);
    CHECK(e.message().find("tree.split.at") != std::string::npos);
    CHECK(e.message().find("binary64") != std::string::npos);
    // The line and column of the value "0.1".
    const auto offset = bad.find("\"0.1\"");
    const auto line_start = bad.rfind('\n', offset);
    CHECK(e.where().line == 1 + static_cast<int>(std::count(bad.begin(), bad.begin() + offset, '\n')));
    CHECK(e.where().column == static_cast<int>(offset - line_start));
  }
  SECTION("a child removed") {
    const std::string leaf = R"json({"leaf":"proven","form":"monotone","precision":53,"contract":false})json";
    const std::string bad = replace(good, "," + leaf + "]", "]");
    const expr::InputError e = parse_error(bad);
    CHECK(e.message().find("tree.children") != std::string::npos);
    CHECK(e.message().find("exactly two children") != std::string::npos);
  }
  SECTION("an unknown member") {
    const expr::InputError e = parse_error(replace(good, "\"contract\":false", "\"contract\":false,\"trust\":true"));
    CHECK(e.message().find("tree.children[0].trust: unknown member") != std::string::npos);
  }
  SECTION("a centre on a form that takes none") {
    const expr::InputError e = parse_error(replace(good, "\"contract\":false", "\"contract\":false,\"center\":[]"));
    CHECK(e.message().find("center: unknown member") != std::string::npos);
  }
  SECTION("a duplicate key") {
    const expr::InputError e = parse_error(replace(good, "\"kind\":", "\"kind\": \"minimum\", \"kind\":"));
    CHECK(e.message().find("duplicate key 'kind'") != std::string::npos);
    CHECK(e.where().line == 3);
  }
  SECTION("a missing member") {
    const expr::InputError e = parse_error(replace(good, ",\"precision\":53", ""));
    CHECK(e.message().find("tree.children[0]: missing member 'precision'") != std::string::npos);
  }
  SECTION("garbage numbers") {
    CHECK(parse_error(replace(good, "\"bound\":\"0\"", "\"bound\":\"zero\"")).message().find("claim.bound") !=
          std::string::npos);
    CHECK(parse_error(replace(good, "\"bound\":\"0\"", "\"bound\":\"1/0\"")).message().find("not an exact number") !=
          std::string::npos);
    CHECK(parse_error(replace(good, "\"bound\":\"0\"", "\"bound\":0.5")).message().find("claim.bound") !=
          std::string::npos);  // a JSON float has been rounded already
    CHECK(parse_error(replace(good, "\"lower\":\"-1\"", "\"lower\":\"+oo\"")).message().find("variables[0].lower") !=
          std::string::npos);
  }
  SECTION("wrong values") {
    CHECK(parse_error(replace(good, "\"relation\":\">=\"", "\"relation\":\"=>\"")).message().find("unknown relation") !=
          std::string::npos);
    CHECK(parse_error(replace(good, "\"form\":\"monotone\"", "\"form\":\"magic\"")).message().find("magic") !=
          std::string::npos);
    CHECK(parse_error(replace(good, "\"leaf\":\"proven\"", "\"leaf\":\"open\"")).message().find("leaf kind") !=
          std::string::npos);
    CHECK(parse_error(replace(good, "\"precision\":53", "\"precision\":1")).message().find("precision") !=
          std::string::npos);
    CHECK(parse_error(replace(good, "\"precision\":53", "\"precision\":100001")).message().find("precision") !=
          std::string::npos);
    CHECK(parse_error(replace(good, "\"cerval_certificate\": 1", "\"cerval_certificate\": 2"))
              .message()
              .find("version") != std::string::npos);
    CHECK(parse_error(replace(good, "\"kind\": \"bound\"", "\"kind\":\"guess\"")).message().find("kind") !=
          std::string::npos);
    CHECK(parse_error(replace(good, "\"variable\":0", "\"variable\":-1")).message().find("split.variable") !=
          std::string::npos);
  }
  SECTION("a witness only with kind minimum, keyed by the claim's side") {
    CHECK(parse_error(replace(good, "\"tree\": ",
                              "\"witness\":{\"point\":[\"0x0p+0\"],\"objective_upper\":\"0\",\"precision\":53},"
                              "\"tree\": "))
              .message()
              .find("only a \"minimum\"") != std::string::npos);
    const std::string minimum = replace(good, "\"kind\": \"bound\"", "\"kind\":\"minimum\"");
    CHECK(parse_error(minimum).message().find("missing member 'witness'") != std::string::npos);
    const std::string with_lower = replace(
        minimum,
        "\"tree\": ", "\"witness\":{\"point\":[\"0x0p+0\"],\"objective_lower\":\"0\",\"precision\":53},\"tree\":");
    CHECK(parse_error(with_lower).message().find("objective_lower: unknown member") != std::string::npos);
    const std::string with_upper = replace(
        minimum,
        "\"tree\": ", "\"witness\":{\"point\":[\"0x0p+0\"],\"objective_upper\":\"0\",\"precision\":53},\"tree\":");
    const Certificate m = cert::parse_certificate(with_upper);
    REQUIRE(m.witness);
    CHECK(cert::check(m).valid);
  }
}

TEST_CASE("deep trees are read, written and checked without recursion", "[cert][json]") {
  // x >= 0 on [0, 1]: each split cuts one ulp off the bottom of the box, so
  // the tree is a chain. Depth kMaxDepth is accepted, one more is not.
  auto chain = [](std::size_t depth) {
    Certificate c;
    c.kind = "bound";
    c.variables.push_back({"x", Rational(0), Rational(1)});
    c.claim = {"x", expr::Relation::GreaterEqual, Rational(0)};
    double lo = 0;
    std::uint32_t current = 0;
    c.nodes.emplace_back();
    for (std::size_t d = 0; d < depth; ++d) {
      lo = std::nextafter(lo, 1.0);
      const auto a = static_cast<std::uint32_t>(c.nodes.size());
      c.nodes.push_back(leaf(expr::Form::Natural));
      c.nodes.emplace_back();
      c.nodes[current].split_variable = 0;
      c.nodes[current].at = lo;
      c.nodes[current].children[0] = a;
      c.nodes[current].children[1] = a + 1;
      current = a + 1;
    }
    c.nodes[current] = leaf(expr::Form::Natural);
    return c;
  };
  const Certificate ok = chain(cert::kMaxDepth);
  const std::string text = cert::certificate_text(ok);
  const Certificate back = cert::parse_certificate(text);
  CHECK(back.nodes.size() == ok.nodes.size());
  const cert::CheckResult r = cert::check(back);
  CHECK(r.valid);
  CHECK(r.splits == cert::kMaxDepth);

  const Certificate too_deep = chain(cert::kMaxDepth + 1);
  const cert::CheckResult bad = cert::check(too_deep);
  CHECK(!bad.valid);
  CHECK(bad.reason.find("deeper than 10000") != std::string::npos);
  const expr::InputError e = parse_error(cert::certificate_text(too_deep));
  CHECK(e.message().find("deeper than 10000") != std::string::npos);
}

TEST_CASE("random corruptions are rejected cleanly, never crash", "[cert][json]") {
  // Every corruption of a certificate's text is either an InputError when read,
  // or a certificate on which check() returns (valid or not) without throwing.
  const std::string good = cert::certificate_text(rich_certificate());
  const std::string alphabet = "{}[]\":,-+./0123456789eEpx abcnulltrue\\";
  std::uint64_t state = 20261128;
  auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>(state >> 33);
  };
  std::size_t read = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string text = good;
    const int edits = 1 + static_cast<int>(next() % 3);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = next() % text.size();
      switch (next() % 3) {
        case 0:
          text[at] = alphabet[next() % alphabet.size()];
          break;
        case 1:
          text.erase(at, 1);
          break;
        default:
          text.insert(at, 1, alphabet[next() % alphabet.size()]);
          break;
      }
    }
    try {
      const Certificate c = cert::parse_certificate(text, "fuzz.json");
      ++read;
      CHECK_NOTHROW(cert::check(c));
    } catch (const expr::InputError& e) {
      CHECK(e.where().line >= 1);
      CHECK(e.where().column >= 1);
    }
  }
  CHECK(read > 0);  // some corruptions (inside strings, digits) still read
}

TEST_CASE("definitions round-trip, one per line, and are read strictly", "[cert][json][definitions]") {
  Certificate c = exp_certificate();
  c.definitions = {{"d0", "x * x + 1"}, {"d1", "d0 * d0"}};
  const std::string text = cert::certificate_text(c);
  CHECK(text.find("\n    {\"name\":\"d0\",\"expression\":\"x * x + 1\"},\n") != std::string::npos);
  const Certificate back = cert::parse_certificate(text);
  require_same(c, back);
  REQUIRE(back.definitions.size() == 2);
  CHECK(back.definitions[1].name == "d1");
  CHECK(back.definitions[1].expression == "d0 * d0");
  require_same(c, cert::from_json(cert::to_json(c)));
  // Without definitions the member is absent (older certificates are unchanged).
  CHECK(cert::certificate_text(exp_certificate()).find("definitions") == std::string::npos);
  CHECK_THROWS_WITH(cert::parse_certificate(replace(text, "\"expression\":\"x * x + 1\"", "\"expression\":1")),
                    Catch::Contains("definitions[0].expression: expected a string"));
  CHECK_THROWS_WITH(cert::parse_certificate(replace(text, "\"name\":\"d0\",", "\"name\":\"d0\",\"extra\":1,")),
                    Catch::Contains("definitions[0].extra: unknown member"));
  CHECK_THROWS_WITH(cert::parse_certificate(replace(text, "\"name\":\"d1\",", "")),
                    Catch::Contains("missing member 'name'"));
}

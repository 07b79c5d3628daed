// Export to Coq: what is not exportable is refused with a clear message.
#include <catch2/catch.hpp>
#include <cerval/cert/coq_export.hpp>

using namespace cerval;
using numeric::Rational;

TEST_CASE("certificates with definitions are not exported to Coq", "[cert][coq]") {
  cert::Certificate c;
  c.kind = "bound";
  c.variables.push_back({"x", Rational(0), Rational(1)});
  c.definitions = {{"d0", "x * x + 1"}};
  c.claim = {"d0 * d0", expr::Relation::GreaterEqual, Rational(1)};
  c.nodes.emplace_back();
  CHECK_THROWS_WITH(cert::export_coq(c), Catch::Contains("definitions"));
}

TEST_CASE("certificates with projected variables are not exported to Coq", "[cert][coq]") {
  cert::Certificate c;
  c.kind = "bound";
  c.variables.push_back({"a", Rational(-1), Rational(1)});
  c.variables.push_back({"t", Rational(0), Rational(1)});
  c.projected = {"a"};
  c.claim = {"(a - t)^2", expr::Relation::GreaterEqual, Rational(0)};
  c.nodes.emplace_back();
  c.nodes[0].projection_lower = {-0.5};
  c.nodes[0].projection_upper = {1.5};
  CHECK_THROWS_WITH(cert::export_coq(c), Catch::Contains("projected"));
}

TEST_CASE("rational and Gauss-Newton leaves are not exported to Coq", "[cert][coq]") {
  for (const auto& [form, name] : {std::pair{expr::Form::Rational, "rational-residual"},
                                   std::pair{expr::Form::GaussNewton, "Gauss-Newton"}}) {
    cert::Certificate c;
    c.kind = "bound";
    c.variables.push_back({"a", Rational(-1), Rational(1)});
    c.claim = {"(a - 2)^2", expr::Relation::GreaterEqual, Rational(0)};
    c.nodes.emplace_back();
    c.nodes[0].leaf = cert::LeafKind::Proven;
    c.nodes[0].form = form;
    c.nodes[0].center = {0.0};
    CHECK_THROWS_WITH(cert::export_coq(c), Catch::Contains(name));
  }
}

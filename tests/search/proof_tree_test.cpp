// The recorded subdivision (include/cerval/search/proof_tree.hpp).
#include <cerval/search/proof_tree.hpp>

#include <catch2/catch.hpp>

using namespace cerval;

TEST_CASE("proof tree: nodes are added in order and leaves counted", "[proof_tree]") {
  search::ProofTree t;
  CHECK(t.leaf_count() == 0);
  const auto root = t.add();
  CHECK(root == 0);
  CHECK(t.leaf_count() == 1);
  // A fresh node is an open leaf with the natural form at binary64.
  const search::ProofNode& fresh = t.nodes[root];
  CHECK(fresh.split_variable < 0);
  CHECK(fresh.kind == search::LeafKind::Open);
  CHECK(fresh.form == expr::Form::Natural);
  CHECK_FALSE(fresh.contract);
  CHECK_FALSE(fresh.cutoff);
  CHECK(fresh.center.empty());
  CHECK(fresh.multipliers.empty());
  CHECK(fresh.precision == 53);
  // Split the root: two leaves.
  const auto left = t.add(), right = t.add();
  CHECK(left == 1);
  CHECK(right == 2);
  t.nodes[root].split_variable = 0;
  t.nodes[root].split_point = 0.5;
  t.nodes[root].children[0] = left;
  t.nodes[root].children[1] = right;
  CHECK(t.leaf_count() == 2);
  // Split the right one again.
  const auto a = t.add(), b = t.add();
  t.nodes[right].split_variable = 1;
  t.nodes[right].children[0] = a;
  t.nodes[right].children[1] = b;
  CHECK(t.leaf_count() == 3);
  CHECK(t.nodes.size() == 5);
}

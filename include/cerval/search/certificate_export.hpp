#pragma once
// Turns what a search established into a certificate (cert/certificate.hpp):
// the claim, the exact domain, the constraints and the subdivision tree, each
// leaf naming the bounding form that the checker must re-prove there.
#include <cerval/cert/certificate.hpp>
#include <cerval/search/branch_and_bound.hpp>
#include <cerval/search/verify.hpp>

#include <optional>
#include <string>

namespace cerval::search {

// Certificate of a proven bound claim, or nullopt (with `why`) when the tree
// has an open leaf.
std::optional<cert::Certificate> bound_certificate(const expr::Spec& spec, const expr::Comparison& claim,
                                                   const ClaimResult& r, const SearchOptions& options,
                                                   std::string& why);

// Certificate of a minimum: the claim `f >= lower` on the feasible set and the
// witness with f(witness) <= upper (for a maximisation f = -objective, and the
// claim is stated on f), or nullopt (with `why`) when there is no witness or
// the tree has an open leaf. For a search with status Infeasible, the
// certificate of infeasibility: the bound claim `0 >= 1` (false at every
// point) proven on every feasible point, i.e. every leaf infeasible.
std::optional<cert::Certificate> minimum_certificate(const expr::Spec& spec, expr::NodeId f,
                                                     const MinimizationResult& r, const SearchOptions& options,
                                                     std::string& why);

}  // namespace cerval::search

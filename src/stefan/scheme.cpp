#include <cerval/stefan/scheme.hpp>

namespace cerval::stefan {

// Explicit instantiations for the scalar types cerval uses (header comment).
template std::vector<double> landau_theta_step(const LandauScheme<double>&, const std::vector<double>&,
                                               const LandauLevel<double>&, const LandauLevel<double>&);
template std::vector<numeric::Interval> landau_theta_step(const LandauScheme<numeric::Interval>&,
                                                          const std::vector<numeric::Interval>&,
                                                          const LandauLevel<numeric::Interval>&,
                                                          const LandauLevel<numeric::Interval>&);
template std::vector<expr::Dual<numeric::Interval>> landau_theta_step(
    const LandauScheme<expr::Dual<numeric::Interval>>&, const std::vector<expr::Dual<numeric::Interval>>&,
    const LandauLevel<expr::Dual<numeric::Interval>>&, const LandauLevel<expr::Dual<numeric::Interval>>&);

}  // namespace cerval::stefan

// The evaluator is a template (eval.hpp); these explicit instantiations
// compile it once for the number types the rest of cerval uses.
#include <cerval/expr/autodiff.hpp>
#include <cerval/expr/eval.hpp>

namespace cerval::expr {

template class Evaluator<numeric::Interval>;
template class Evaluator<Dual<numeric::Interval>>;
template class Evaluator<HessianDual<numeric::Interval>>;
template class Evaluator<numeric::MpInterval>;

}  // namespace cerval::expr

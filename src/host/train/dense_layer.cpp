// Dense: y = x W^T + b with W stored [units, inputs] as TFLite's FULLY_CONNECTED expects.
#include <Eigen/Core>

#include "host/train/layers.hpp"

namespace earshot::train {
namespace {
using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<RowMatrix>;
using ConstMatrixMap = Eigen::Map<const RowMatrix>;
}  // namespace

void dense_forward(DenseLayer& l, const Tensor& x, Tensor& y) {
    const Eigen::Index n = x.dim(0), in = static_cast<Eigen::Index>(x.item_size());
    l.input = x;
    y = Tensor({x.dim(0), l.units});
    MatrixMap out(y.data(), n, l.units);
    out.noalias() = ConstMatrixMap(x.data(), n, in) * ConstMatrixMap(l.kernel.value.data(), l.units, in).transpose();
    out.rowwise() += Eigen::Map<const Eigen::RowVectorXf>(l.bias.value.data(), l.units);
    if (l.activation == Activation::relu) out = out.cwiseMax(0.0f);
    l.output = y;
}

void dense_backward(DenseLayer& l, const Tensor& dy, Tensor* dx, bool accumulate_params) {
    const Eigen::Index n = l.input.dim(0), in = static_cast<Eigen::Index>(l.input.item_size());
    RowMatrix grad = ConstMatrixMap(dy.data(), n, l.units);
    if (l.activation == Activation::relu) {
        grad = (ConstMatrixMap(l.output.data(), n, l.units).array() > 0.0f).select(grad, 0.0f);
    }
    if (accumulate_params) {
        MatrixMap(l.kernel.grad.data(), l.units, in).noalias() += grad.transpose() * ConstMatrixMap(l.input.data(), n, in);
        Eigen::Map<Eigen::RowVectorXf>(l.bias.grad.data(), l.units) += grad.colwise().sum();
    }
    if (dx) {
        *dx = Tensor(l.input.shape);
        MatrixMap(dx->data(), n, in).noalias() = grad * ConstMatrixMap(l.kernel.value.data(), l.units, in);
    }
}

}  // namespace earshot::train

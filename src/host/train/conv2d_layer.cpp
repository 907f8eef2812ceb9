// Conv2D as im2col + one GEMM (Eigen), backward as two GEMMs + col2im.
#include <Eigen/Core>

#include "host/nn/quant_params.hpp"
#include "host/train/layers.hpp"

namespace earshot::train {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<RowMatrix>;
using ConstMatrixMap = Eigen::Map<const RowMatrix>;

// Visits every (column-matrix cell, input element) pair of the im2col expansion; taps that
// fall into the padding are skipped (their cells stay zero).
template <typename Visit>
void for_each_tap(const Conv2DLayer& l, Visit&& visit) {
    const int n = l.in_shape[0], ih = l.in_shape[1], iw = l.in_shape[2], ic = l.in_shape[3];
    const size_t k = static_cast<size_t>(l.kernel_h) * static_cast<size_t>(l.kernel_w) * static_cast<size_t>(ic);
    size_t row = 0;
    for (int b = 0; b < n; ++b) {
        for (int oy = 0; oy < l.out_h; ++oy) {
            for (int ox = 0; ox < l.out_w; ++ox, ++row) {
                size_t col = row * k;
                for (int ky = 0; ky < l.kernel_h; ++ky) {
                    const int y = oy * l.stride_h - l.pad_top + ky;
                    for (int kx = 0; kx < l.kernel_w; ++kx, col += static_cast<size_t>(ic)) {
                        const int x = ox * l.stride_w - l.pad_left + kx;
                        if (y < 0 || y >= ih || x < 0 || x >= iw) continue;
                        const size_t in = ((static_cast<size_t>(b) * static_cast<size_t>(ih) + static_cast<size_t>(y)) * static_cast<size_t>(iw) + static_cast<size_t>(x)) * static_cast<size_t>(ic);
                        for (int c = 0; c < ic; ++c) visit(col + static_cast<size_t>(c), in + static_cast<size_t>(c));
                    }
                }
            }
        }
    }
}

}  // namespace

void conv2d_forward(Conv2DLayer& l, const Tensor& x, Tensor& y) {
    l.in_shape = x.shape;
    const auto ph = nn::compute_padding(l.padding, x.dim(1), l.kernel_h, l.stride_h, 1);
    const auto pw = nn::compute_padding(l.padding, x.dim(2), l.kernel_w, l.stride_w, 1);
    l.out_h = ph.out;
    l.out_w = pw.out;
    l.pad_top = ph.pad;
    l.pad_left = pw.pad;
    const Eigen::Index rows = static_cast<Eigen::Index>(x.dim(0)) * l.out_h * l.out_w;
    const Eigen::Index k = static_cast<Eigen::Index>(l.kernel_h) * l.kernel_w * x.dim(3);
    l.columns.assign(static_cast<size_t>(rows * k), 0.0f);
    for_each_tap(l, [&](size_t cell, size_t in) { l.columns[cell] = x.values[in]; });

    y = Tensor({x.dim(0), l.out_h, l.out_w, l.filters});
    MatrixMap out(y.data(), rows, l.filters);
    const ConstMatrixMap cols(l.columns.data(), rows, k);
    const ConstMatrixMap kernel(l.kernel.value.data(), l.filters, k);
    out.noalias() = cols * kernel.transpose();
    out.rowwise() += Eigen::Map<const Eigen::RowVectorXf>(l.bias.value.data(), l.filters);
    if (l.activation == Activation::relu) out = out.cwiseMax(0.0f);
    l.output = y;
}

void conv2d_backward(Conv2DLayer& l, const Tensor& dy, Tensor* dx, bool accumulate_params) {
    const Eigen::Index rows = static_cast<Eigen::Index>(l.in_shape[0]) * l.out_h * l.out_w;
    const Eigen::Index k = static_cast<Eigen::Index>(l.kernel_h) * l.kernel_w * l.in_shape[3];
    RowMatrix grad = ConstMatrixMap(dy.data(), rows, l.filters);
    if (l.activation == Activation::relu) {
        grad = (ConstMatrixMap(l.output.data(), rows, l.filters).array() > 0.0f).select(grad, 0.0f);
    }
    const ConstMatrixMap cols(l.columns.data(), rows, k);
    if (accumulate_params) {
        MatrixMap(l.kernel.grad.data(), l.filters, k).noalias() += grad.transpose() * cols;
        Eigen::Map<Eigen::RowVectorXf>(l.bias.grad.data(), l.filters) += grad.colwise().sum();
    }
    if (dx) {
        const RowMatrix dcols = grad * ConstMatrixMap(l.kernel.value.data(), l.filters, k);
        *dx = Tensor(l.in_shape);
        for_each_tap(l, [&](size_t cell, size_t in) { dx->values[in] += dcols.data()[cell]; });
    }
}

}  // namespace earshot::train

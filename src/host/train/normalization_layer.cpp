#include <algorithm>
#include <cmath>

#include "host/train/layers.hpp"

namespace earshot::train {
float inverse_std(float variance) { return 1.0f / std::max(std::sqrt(variance), 1e-7f); }

void normalization_forward(const NormalizationLayer& l, const Tensor& x, Tensor& y) {
    y = Tensor(x.shape);
    const size_t c = l.mean.size();
    for (size_t i = 0; i < x.size(); ++i) {
        const size_t ch = i % c;
        y.values[i] = (x.values[i] - l.mean.values[ch]) * inverse_std(l.variance.values[ch]);
    }
}

void normalization_backward(const NormalizationLayer& l, const Tensor& dy, Tensor& dx) {
    dx = Tensor(dy.shape);
    const size_t c = l.mean.size();
    for (size_t i = 0; i < dy.size(); ++i) dx.values[i] = dy.values[i] * inverse_std(l.variance.values[i % c]);
}

}  // namespace earshot::train

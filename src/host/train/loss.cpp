#include "host/train/loss.hpp"

#include <algorithm>
#include <cmath>

namespace earshot::train {

LossResult softmax_cross_entropy(const Tensor& logits, std::span<const int> labels) {
    LossResult r{0.0, Tensor(logits.shape)};
    const size_t n = labels.size(), k = logits.item_size();
    for (size_t b = 0; b < n; ++b) {
        const float* z = logits.data() + b * k;
        float* g = r.grad.data() + b * k;
        const float peak = *std::max_element(z, z + k);
        double sum = 0.0;
        for (size_t j = 0; j < k; ++j) sum += std::exp(static_cast<double>(z[j] - peak));
        const double log_sum = std::log(sum) + peak;
        const size_t label = static_cast<size_t>(labels[b]);
        r.loss += log_sum - z[label];
        for (size_t j = 0; j < k; ++j) {
            g[j] = static_cast<float>((std::exp(z[j] - log_sum) - (j == label ? 1.0 : 0.0)) / static_cast<double>(n));
        }
    }
    r.loss /= static_cast<double>(n);
    return r;
}

LossResult sigmoid_binary_cross_entropy(const Tensor& logits, std::span<const int> labels) {
    LossResult r{0.0, Tensor(logits.shape)};
    const size_t n = labels.size();
    for (size_t b = 0; b < n; ++b) {
        const double z = logits.values[b], y = labels[b] == 1 ? 1.0 : 0.0;
        // log(1 + e^-|z|) + max(z, 0) - z y, stable for large |z|.
        r.loss += std::log1p(std::exp(-std::fabs(z))) + std::max(z, 0.0) - z * y;
        r.grad.values[b] = static_cast<float>((1.0 / (1.0 + std::exp(-z)) - y) / static_cast<double>(n));
    }
    r.loss /= static_cast<double>(n);
    return r;
}

}  // namespace earshot::train

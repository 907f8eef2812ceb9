#include "host/train/adam.hpp"

#include <cmath>

namespace earshot::train {
namespace {
constexpr double kBeta1 = 0.9, kBeta2 = 0.999, kEpsilon = 1e-7;
}

AdamState make_adam_state(Network& net) {
    AdamState s;
    for (auto& t : tensors(net)) {
        if (!t.grad) continue;
        s.m.emplace_back(t.value->shape);
        s.v.emplace_back(t.value->shape);
    }
    return s;
}

void adam_step(Network& net, AdamState& state, double learning_rate) {
    ++state.step;
    const double t = static_cast<double>(state.step);
    const float lr_t = static_cast<float>(learning_rate * std::sqrt(1.0 - std::pow(kBeta2, t)) / (1.0 - std::pow(kBeta1, t)));
    size_t slot = 0;
    for (Layer& layer : net.layers) {
        for (auto& p : tensors(layer)) {
            if (!p.grad) continue;
            Tensor& m = state.m[slot];
            Tensor& v = state.v[slot];
            ++slot;
            if (!layer.trainable) continue;
            for (size_t i = 0; i < p.value->size(); ++i) {
                const float g = p.grad->values[i];
                m.values[i] = static_cast<float>(kBeta1) * m.values[i] + static_cast<float>(1.0 - kBeta1) * g;
                v.values[i] = static_cast<float>(kBeta2) * v.values[i] + static_cast<float>(1.0 - kBeta2) * g * g;
                p.value->values[i] -= lr_t * m.values[i] / (std::sqrt(v.values[i]) + static_cast<float>(kEpsilon));
            }
        }
    }
}

}  // namespace earshot::train

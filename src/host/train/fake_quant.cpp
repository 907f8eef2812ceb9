#include "host/train/fake_quant.hpp"

#include <algorithm>
#include <cmath>

namespace earshot::train {
namespace {

// Symmetric int8 over rows (per output channel) or the whole tensor, done on the folded
// weights w * s[channel] and mapped back: the float model then equals the integer one.
void fake_quantize_kernel(Tensor& w, const std::vector<float>& fold_scale, bool per_channel) {
    const size_t rows = static_cast<size_t>(w.dim(0)), cols = w.size() / rows, channels = fold_scale.size();
    Tensor folded = w;
    for (size_t i = 0; i < folded.size(); ++i) folded.values[i] *= channels ? fold_scale[(i % cols) % channels] : 1.0f;
    const std::vector<float> scale = symmetric_weight_scales(folded, per_channel);
    for (size_t r = 0; r < rows; ++r) {
        const float s = scale[per_channel ? r : 0];
        for (size_t c = 0; c < cols; ++c) {
            const float q = std::clamp(std::nearbyint(folded.values[r * cols + c] / s), -127.0f, 127.0f) * s;
            w.values[r * cols + c] = channels ? q / fold_scale[c % channels] : q;
        }
    }
}

}  // namespace

std::vector<float> symmetric_weight_scales(const Tensor& w, bool per_channel) {
    const size_t rows = static_cast<size_t>(w.dim(0)), cols = w.size() / rows;
    std::vector<float> scale(per_channel ? rows : 1, 0.0f);
    for (size_t r = 0; r < rows; ++r) {
        float& s = scale[per_channel ? r : 0];
        for (size_t c = 0; c < cols; ++c) s = std::max(s, std::fabs(w.values[r * cols + c]));
    }
    for (float& s : scale) s = s > 0.0f ? s / 127.0f : 1e-8f;
    return scale;
}

void fake_quantize(Tensor& x, const QuantGrid& g, std::vector<uint8_t>* mask) {
    if (mask) mask->assign(x.size(), 1);
    for (size_t i = 0; i < x.size(); ++i) {
        const float q = std::nearbyint(x.values[i] / g.scale) + static_cast<float>(g.zero_point);
        const float clamped = std::clamp(q, -128.0f, 127.0f);
        if (mask && clamped != q) (*mask)[i] = 0;
        x.values[i] = (clamped - static_cast<float>(g.zero_point)) * g.scale;
    }
}

std::vector<Tensor> fake_quantize_weights(Network& net) {
    std::vector<Tensor> originals;
    std::vector<float> pending;  // 1/std of a normalization waiting to be folded
    for (Layer& layer : net.layers) {
        if (auto* n = std::get_if<NormalizationLayer>(&layer.op)) {
            pending.clear();
            for (float v : n->variance.values) pending.push_back(inverse_std(v));
        } else if (auto* c = std::get_if<Conv2DLayer>(&layer.op)) {
            originals.push_back(c->kernel.value);
            fake_quantize_kernel(c->kernel.value, pending, true);
            pending.clear();
        } else if (auto* d = std::get_if<DenseLayer>(&layer.op)) {
            originals.push_back(d->kernel.value);
            fake_quantize_kernel(d->kernel.value, pending, false);
            pending.clear();
        }
    }
    return originals;
}

void restore_weights(Network& net, std::vector<Tensor> originals) {
    size_t i = 0;
    for (Layer& layer : net.layers) {
        if (auto* c = std::get_if<Conv2DLayer>(&layer.op)) c->kernel.value = std::move(originals[i++]);
        else if (auto* d = std::get_if<DenseLayer>(&layer.op)) d->kernel.value = std::move(originals[i++]);
    }
}

}  // namespace earshot::train

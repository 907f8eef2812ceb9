#include "host/train/network.hpp"

#include <algorithm>
#include <cmath>

#include "host/error.hpp"
#include "host/train/fake_quant.hpp"

namespace earshot::train {

Tensor forward(Network& net, const Tensor& x, bool training, Rng& rng) {
    Tensor y = x;
    auto& fq = net.fake_quant;
    if (fq) fake_quantize(y, {fq->input_scale, fq->input_zero_point}, nullptr);
    if (fq) fq->masks.resize(net.layers.size());
    for (size_t i = 0; i < net.layers.size(); ++i) {
        y = forward(net.layers[i], y, training, rng);
        if (fq && i < fq->scales.size() && fq->scales[i] > 0.0f) fake_quantize(y, {fq->scales[i], fq->zero_points[i]}, &fq->masks[i]);
    }
    return y;
}

void backward(Network& net, const Tensor& dlogits) {
    size_t lowest = net.layers.size();
    for (size_t i = 0; i < net.layers.size(); ++i) {
        if (net.layers[i].trainable && has_parameters(net.layers[i])) {
            lowest = i;
            break;
        }
    }
    Tensor grad = dlogits;
    for (size_t i = net.layers.size(); i-- > lowest;) {
        if (net.fake_quant && i < net.fake_quant->masks.size() && !net.fake_quant->masks[i].empty()) {
            const auto& mask = net.fake_quant->masks[i];  // straight through, except where clipped
            for (size_t k = 0; k < grad.size(); ++k) grad.values[k] *= mask[k];
        }
        grad = backward(net.layers[i], grad, i > lowest);
    }
}

void zero_gradients(Network& net) {
    for (auto& t : tensors(net)) {
        if (t.grad) std::fill(t.grad->values.begin(), t.grad->values.end(), 0.0f);
    }
}

std::vector<NamedTensor> tensors(Network& net) {
    std::vector<NamedTensor> all;
    for (Layer& layer : net.layers) {
        for (auto& t : tensors(layer)) all.push_back(t);
    }
    return all;
}

size_t trainable_parameter_count(Network& net) {
    size_t n = 0;
    for (Layer& layer : net.layers) {
        if (!layer.trainable) continue;
        for (auto& t : tensors(layer)) n += t.grad ? t.value->size() : 0;
    }
    return n;
}

size_t parameter_count(Network& net) {
    size_t n = 0;
    for (auto& t : tensors(net)) n += t.value->size();
    return n;
}

Tensor probabilities(const Network& net, const Tensor& logits) {
    Tensor p = logits;
    const size_t classes = logits.item_size();
    for (size_t b = 0; b < static_cast<size_t>(logits.dim(0)); ++b) {
        float* row = p.data() + b * classes;
        if (net.output_activation == Activation::sigmoid) {
            for (size_t k = 0; k < classes; ++k) row[k] = 1.0f / (1.0f + std::exp(-row[k]));
            continue;
        }
        const float peak = *std::max_element(row, row + classes);
        float sum = 0.0f;
        for (size_t k = 0; k < classes; ++k) sum += (row[k] = std::exp(row[k] - peak));
        for (size_t k = 0; k < classes; ++k) row[k] /= sum;
    }
    return p;
}

std::vector<int> predicted_classes(const Network& net, const Tensor& probs) {
    const size_t classes = probs.item_size();
    std::vector<int> out(static_cast<size_t>(probs.dim(0)));
    for (size_t b = 0; b < out.size(); ++b) {
        const float* row = probs.data() + b * classes;
        if (net.output_activation == Activation::sigmoid && classes == 1) {
            out[b] = row[0] > 0.5f ? 1 : 0;
        } else {
            out[b] = static_cast<int>(std::max_element(row, row + classes) - row);
        }
    }
    return out;
}

void adapt_normalization(Network& net, const std::vector<Tensor>& batches) {
    Rng unused;
    for (size_t i = 0; i < net.layers.size(); ++i) {
        auto* norm = std::get_if<NormalizationLayer>(&net.layers[i].op);
        if (!norm) continue;
        const size_t c = norm->mean.size();
        std::vector<double> sum(c, 0.0), sum_sq(c, 0.0);
        double count = 0.0;
        for (const Tensor& batch : batches) {
            Tensor y = batch;
            for (size_t j = 0; j < i; ++j) y = forward(net.layers[j], y, false, unused);
            for (size_t e = 0; e < y.size(); ++e) {
                sum[e % c] += y.values[e];
                sum_sq[e % c] += static_cast<double>(y.values[e]) * y.values[e];
            }
            count += static_cast<double>(y.size() / c);
        }
        if (count == 0.0) throw Error("normalization layer '" + net.layers[i].name + "': no training data to adapt to");
        for (size_t ch = 0; ch < c; ++ch) {
            const double mean = sum[ch] / count;
            norm->mean.values[ch] = static_cast<float>(mean);
            norm->variance.values[ch] = static_cast<float>(std::max(sum_sq[ch] / count - mean * mean, 0.0));
        }
        norm->adapted = true;
    }
}

Layer* find_layer(Network& net, const std::string& name) {
    for (Layer& l : net.layers) {
        if (l.name == name) return &l;
    }
    return nullptr;
}

}  // namespace earshot::train

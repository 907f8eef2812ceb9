#include "host/quant/convert.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <optional>

#include "host/error.hpp"
#include "host/train/fake_quant.hpp"

namespace earshot::quant {
namespace {

using model::DType;
using model::OpKind;

// Normalization statistics waiting to be folded into the next conv or dense layer.
struct PendingNormalization {
    std::vector<float> shift, scale;  // per channel: x -> (x - shift) * scale
};

struct Builder {
    model::Graph g;

    int32_t add_tensor(model::Tensor t) {
        g.tensors.push_back(std::move(t));
        return static_cast<int32_t>(g.tensors.size() - 1);
    }
    int32_t activation(const std::string& name, std::vector<int32_t> shape, model::Quantization q) {
        return add_tensor({name, DType::int8, std::move(shape), std::move(q), {}});
    }
    int32_t int32_const(const std::string& name, const std::vector<int32_t>& values, model::Quantization q = {}) {
        model::Tensor t{name, DType::int32, {static_cast<int32_t>(values.size())}, std::move(q), {}};
        t.data.resize(values.size() * 4);
        std::memcpy(t.data.data(), values.data(), t.data.size());  // the schema is little-endian, like every supported host
        return add_tensor(std::move(t));
    }
    void op(OpKind kind, int32_t version, std::vector<int32_t> in, int32_t out, model::OpOptions options = {}) {
        g.ops.push_back({kind, version, std::move(in), {out}, std::move(options)});
    }
};

void widen(Range& r, const float* v, size_t n) {
    for (size_t i = 0; i < n; ++i) {
        r.min = std::min(r.min, v[i]);
        r.max = std::max(r.max, v[i]);
    }
}

std::vector<int32_t> dims(const std::vector<int>& item) {
    std::vector<int32_t> d{1};
    for (int x : item) d.push_back(x);
    return d;
}

// Weights [out][rest] quantized symmetric per row (per_channel) or as one tensor.
model::Tensor quantize_weights(const std::string& name, const train::Tensor& w, bool per_channel, std::vector<float>& scales) {
    const size_t rows = static_cast<size_t>(w.dim(0)), cols = w.size() / rows;
    scales = train::symmetric_weight_scales(w, per_channel);
    model::Tensor t{name, DType::int8, std::vector<int32_t>(w.shape.begin(), w.shape.end()), {}, {}};
    t.quant.scale = scales;
    t.quant.zero_point.assign(scales.size(), 0);
    t.quant.axis = 0;
    t.data.resize(w.size());
    for (size_t r = 0; r < rows; ++r) {
        const float s = scales[per_channel ? r : 0];
        for (size_t c = 0; c < cols; ++c) {
            const long q = std::clamp(std::lround(w.values[r * cols + c] / s), -127l, 127l);
            t.data[r * cols + c] = static_cast<uint8_t>(static_cast<int8_t>(q));
        }
    }
    return t;
}

// Folds x -> (x - shift) * scale (per input channel, the last weight axis) into W and b.
void fold(const PendingNormalization& n, train::Tensor& w, train::Tensor& b) {
    const size_t rows = static_cast<size_t>(w.dim(0)), cols = w.size() / rows, channels = n.scale.size();
    for (size_t r = 0; r < rows; ++r) {
        double offset = 0.0;
        for (size_t c = 0; c < cols; ++c) {
            float& v = w.values[r * cols + c];
            v *= n.scale[c % channels];
            offset += static_cast<double>(v) * n.shift[c % channels];
        }
        b.values[r] = static_cast<float>(b.values[r] - offset);
    }
}

int32_t bias_tensor(Builder& b, const std::string& name, const train::Tensor& bias, float input_scale, const std::vector<float>& w_scales) {
    std::vector<int32_t> q(bias.size());
    model::Quantization quant;
    for (size_t o = 0; o < bias.size(); ++o) {
        const double s = static_cast<double>(input_scale) * w_scales[w_scales.size() == 1 ? 0 : o];
        q[o] = static_cast<int32_t>(std::clamp<double>(std::round(bias.values[o] / s), -2147483647.0, 2147483647.0));
    }
    for (float ws : w_scales) quant.scale.push_back(input_scale * ws);
    quant.zero_point.assign(quant.scale.size(), 0);
    return b.int32_const(name, q, quant);
}


// A conv or dense operator: folds a pending normalization into its weights and bias, quantizes
// them (weights symmetric per channel or per tensor, bias at input x weight scale), gives the
// output its calibrated quantization (updating `q` to it) and returns the output tensor.
int32_t weighted_op(Builder& b, OpKind kind, int32_t version, const std::string& name, train::Tensor w, train::Tensor bias, bool per_channel,
                    std::optional<PendingNormalization>& pending, int32_t input, model::Quantization& q, Range output_range,
                    std::vector<int32_t> output_shape, const model::OpOptions& options) {
    if (pending) {
        fold(*pending, w, bias);
        pending.reset();
    }
    std::vector<float> w_scales;
    const int32_t wt = b.add_tensor(quantize_weights(name + "/kernel", w, per_channel, w_scales));
    const int32_t bt = bias_tensor(b, name + "/bias", bias, q.scale[0], w_scales);
    q = activation_quantization(output_range);
    const int32_t out = b.activation(name, std::move(output_shape), q);
    b.op(kind, version, {input, wt, bt}, out, options);
    return out;
}

}  // namespace

model::Quantization activation_quantization(Range r) {
    const float lo = std::min(r.min, 0.0f);
    float hi = std::max(r.max, 0.0f);
    if (hi - lo < 1e-8f) hi = lo + 1e-8f;
    const double scale = (static_cast<double>(hi) - lo) / 255.0;
    const long zp = std::clamp(std::lround(-128.0 - lo / scale), -128l, 127l);
    return {{static_cast<float>(scale)}, {zp}, 0};
}

Calibration calibrate(train::Network& net, const train::FeatureSet& representative, size_t max_samples) {
    Calibration c;
    c.layer_outputs.assign(net.layers.size(), {});
    const size_t n = std::min(max_samples, representative.size());
    if (n == 0) throw Error("quantization needs a representative set (got no samples)");
    // Spread the chosen items over the whole set rather than taking the first n.
    std::vector<size_t> idx(n);
    for (size_t i = 0; i < n; ++i) idx[i] = i * representative.size() / n;
    train::Rng unused;
    for (size_t start = 0; start < n; start += 64) {
        const std::span<const size_t> part(idx.data() + start, std::min<size_t>(64, n - start));
        train::Tensor x = train::make_batch(representative, part);
        widen(c.input, x.data(), x.size());
        for (size_t l = 0; l < net.layers.size(); ++l) {
            x = train::forward(net.layers[l], x, false, unused);
            widen(c.layer_outputs[l], x.data(), x.size());
        }
    }
    c.samples = n;
    return c;
}

model::Graph to_int8_graph(train::Network& net, const Calibration& cal, const std::string& description) {
    Builder b;
    b.g.description = description;
    std::vector<int> shape = net.input_shape;
    model::Quantization q = activation_quantization(cal.input);
    int32_t current = b.activation("input", dims(shape), q);
    b.g.inputs = {current};
    std::optional<PendingNormalization> pending;
    for (size_t i = 0; i < net.layers.size(); ++i) {
        train::Layer& layer = net.layers[i];
        const std::vector<int> out_shape = train::output_item_shape(layer, shape);
        const std::string& name = layer.name;
        const auto fail = [&](const std::string& why) -> void { throw Error("cannot convert layer '" + name + "' to int8: " + why); };
        if (auto* n = std::get_if<train::NormalizationLayer>(&layer.op)) {
            if (pending) fail("two normalization layers without a conv or dense between them");
            PendingNormalization p;
            for (size_t c = 0; c < n->mean.size(); ++c) {
                p.shift.push_back(n->mean.values[c]);
                p.scale.push_back(train::inverse_std(n->variance.values[c]));
            }
            pending = p;
        } else if (auto* r = std::get_if<train::ResizeLayer>(&layer.op)) {
            model::OpOptions o;
            o.half_pixel_centers = r->half_pixel_centers;
            const int32_t size = b.int32_const(name + "/size", {r->height, r->width});
            const int32_t out = b.activation(name, dims(out_shape), q);  // resize keeps the quantization
            const bool nearest = r->method == train::ResizeMethod::nearest;
            b.op(nearest ? OpKind::resize_nearest_neighbor : OpKind::resize_bilinear, 3, {current, size}, out, o);
            current = out;
        } else if (auto* conv = std::get_if<train::Conv2DLayer>(&layer.op)) {
            if (pending && conv->padding != model::Padding::valid) fail("a normalization can only be folded into a VALID-padded conv");
            model::OpOptions o;
            o.padding = conv->padding;
            o.stride_h = conv->stride_h;
            o.stride_w = conv->stride_w;
            o.activation = conv->activation == train::Activation::relu ? model::Activation::relu : model::Activation::none;
            current = weighted_op(b, OpKind::conv_2d, 3, name, conv->kernel.value, conv->bias.value, true, pending, current, q, cal.layer_outputs[i],
                                  dims(out_shape), o);
        } else if (auto* pool = std::get_if<train::MaxPool2DLayer>(&layer.op)) {
            model::OpOptions o;
            o.filter_h = pool->pool_h, o.filter_w = pool->pool_w, o.stride_h = pool->stride_h, o.stride_w = pool->stride_w;
            const int32_t out = b.activation(name, dims(out_shape), q);
            b.op(OpKind::max_pool_2d, 2, {current}, out, o);
            current = out;
        } else if (std::holds_alternative<train::FlattenLayer>(layer.op)) {
            model::OpOptions o;
            o.new_shape = {1, out_shape[0]};
            const int32_t shape_t = b.int32_const(name + "/shape", {1, out_shape[0]});
            const int32_t out = b.activation(name, dims(out_shape), q);
            b.op(OpKind::reshape, 1, {current, shape_t}, out, o);
            current = out;
        } else if (std::holds_alternative<train::DropoutLayer>(layer.op)) {
            // Inference: identity.
        } else if (auto* dense = std::get_if<train::DenseLayer>(&layer.op)) {
            model::OpOptions o;
            o.activation = dense->activation == train::Activation::relu ? model::Activation::relu : model::Activation::none;
            current = weighted_op(b, OpKind::fully_connected, 4, name, dense->kernel.value, dense->bias.value, false, pending, current, q,
                                  cal.layer_outputs[i], dims(out_shape), o);
            if (i + 1 == net.layers.size()) {  // the output activation, with TFLite's fixed int8 output quantization
                const model::Quantization prob{{1.0f / 256.0f}, {-128}, 0};
                const int32_t p = b.activation(name + "/probabilities", dims(out_shape), prob);
                const bool sigmoid = net.output_activation == train::Activation::sigmoid;
                b.op(sigmoid ? OpKind::logistic : OpKind::softmax, 2, {current}, p);
                current = p;
            }
        }
        shape = out_shape;
    }
    if (pending) throw Error("cannot convert to int8: a normalization layer has no conv or dense after it to fold into");
    b.g.outputs = {current};
    return b.g;
}

}  // namespace earshot::quant

// Dispatch over the layer variant, shapes, initialization, and the two trivial layers
// (Flatten, Dropout).
#include <cmath>
#include <sstream>

#include "host/error.hpp"
#include "host/nn/quant_params.hpp"
#include "host/train/layers.hpp"

namespace earshot::train {
namespace {

template <typename... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <typename... F>
Overloaded(F...) -> Overloaded<F...>;

[[noreturn]] void bad_input(const Layer& layer, const std::vector<int>& in, const std::string& why) {
    throw Error("layer '" + layer.name + "' (" + type_name(layer.op) + "): input " + shape_string(in) + " " + why);
}

void glorot_uniform(Tensor& t, int fan_in, int fan_out, Rng& rng) {
    const float limit = std::sqrt(6.0f / static_cast<float>(fan_in + fan_out));
    for (float& v : t.values) v = (2.0f * rng.uniform() - 1.0f) * limit;
}

void make_param(Param& p, std::vector<int> shape) {
    p.value = Tensor(shape);
    p.grad = Tensor(std::move(shape));
}

}  // namespace

std::string shape_string(const std::vector<int>& shape) {
    std::ostringstream s;
    s << '[';
    for (size_t i = 0; i < shape.size(); ++i) s << (i ? "x" : "") << shape[i];
    s << ']';
    return s.str();
}

const char* type_name(const LayerOp& op) {
    return std::visit(Overloaded{[](const ResizeLayer&) { return "resize"; },
                                 [](const NormalizationLayer&) { return "normalization"; },
                                 [](const Conv2DLayer&) { return "conv2d"; },
                                 [](const MaxPool2DLayer&) { return "maxpool2d"; },
                                 [](const FlattenLayer&) { return "flatten"; },
                                 [](const DropoutLayer&) { return "dropout"; },
                                 [](const DenseLayer&) { return "dense"; }},
                      op);
}

bool has_parameters(const Layer& layer) {
    return std::holds_alternative<Conv2DLayer>(layer.op) || std::holds_alternative<DenseLayer>(layer.op);
}

std::vector<int> output_item_shape(const Layer& layer, const std::vector<int>& in) {
    const bool image = in.size() == 3;
    return std::visit(
        Overloaded{
            [&](const ResizeLayer& l) -> std::vector<int> {
                if (!image) bad_input(layer, in, "must be height x width x channels");
                return {l.height, l.width, in[2]};
            },
            [&](const NormalizationLayer&) -> std::vector<int> { return in; },
            [&](const Conv2DLayer& l) -> std::vector<int> {
                if (!image) bad_input(layer, in, "must be height x width x channels");
                const auto h = nn::compute_padding(l.padding, in[0], l.kernel_h, l.stride_h, 1);
                const auto w = nn::compute_padding(l.padding, in[1], l.kernel_w, l.stride_w, 1);
                if (h.out <= 0 || w.out <= 0) bad_input(layer, in, "is smaller than the kernel");
                return {h.out, w.out, l.filters};
            },
            [&](const MaxPool2DLayer& l) -> std::vector<int> {
                if (!image) bad_input(layer, in, "must be height x width x channels");
                const int h = (in[0] - l.pool_h) / l.stride_h + 1, w = (in[1] - l.pool_w) / l.stride_w + 1;
                if (in[0] < l.pool_h || in[1] < l.pool_w) bad_input(layer, in, "is smaller than the pool window");
                return {h, w, in[2]};
            },
            [&](const FlattenLayer&) -> std::vector<int> { return {static_cast<int>(Tensor::element_count(in))}; },
            [&](const DropoutLayer&) -> std::vector<int> { return in; },
            [&](const DenseLayer& l) -> std::vector<int> {
                if (in.size() != 1) bad_input(layer, in, "must be flat (add a flatten layer before dense)");
                return {l.units};
            },
        },
        layer.op);
}

void initialize(Layer& layer, const std::vector<int>& in, Rng& rng) {
    std::visit(Overloaded{
                   [&](NormalizationLayer& l) {
                       const int c = in.back();
                       l.mean = Tensor({c}, 0.0f);
                       l.variance = Tensor({c}, 1.0f);
                       l.adapted = false;
                   },
                   [&](Conv2DLayer& l) {
                       const int ic = in[2];
                       make_param(l.kernel, {l.filters, l.kernel_h, l.kernel_w, ic});
                       make_param(l.bias, {l.filters});
                       const int receptive = l.kernel_h * l.kernel_w;
                       glorot_uniform(l.kernel.value, receptive * ic, receptive * l.filters, rng);
                   },
                   [&](DenseLayer& l) {
                       make_param(l.kernel, {l.units, in[0]});
                       make_param(l.bias, {l.units});
                       glorot_uniform(l.kernel.value, in[0], l.units, rng);
                   },
                   [](auto&) {},
               },
               layer.op);
}

Tensor forward(Layer& layer, const Tensor& x, bool training, Rng& rng) {
    Tensor y;
    std::visit(Overloaded{
                   [&](ResizeLayer& l) { resize_forward(l, x, y); },
                   [&](NormalizationLayer& l) { normalization_forward(l, x, y); },
                   [&](Conv2DLayer& l) { conv2d_forward(l, x, y); },
                   [&](MaxPool2DLayer& l) { maxpool_forward(l, x, y); },
                   [&](FlattenLayer& l) {
                       l.in_shape = x.shape;
                       y.shape = {x.dim(0), static_cast<int>(x.item_size())};
                       y.values = x.values;
                   },
                   [&](DropoutLayer& l) {
                       y = x;
                       l.mask.clear();
                       if (!training || l.rate <= 0.0f) return;
                       const float keep_scale = 1.0f / (1.0f - l.rate);
                       l.mask.resize(x.size());
                       for (size_t i = 0; i < x.size(); ++i) {
                           l.mask[i] = rng.uniform() < l.rate ? 0.0f : keep_scale;
                           y.values[i] *= l.mask[i];
                       }
                   },
                   [&](DenseLayer& l) { dense_forward(l, x, y); },
               },
               layer.op);
    return y;
}

Tensor backward(Layer& layer, const Tensor& dy, bool need_input_grad) {
    Tensor dx;
    std::visit(Overloaded{
                   [&](ResizeLayer& l) { resize_backward(l, dy, dx); },
                   [&](NormalizationLayer& l) { normalization_backward(l, dy, dx); },
                   [&](Conv2DLayer& l) { conv2d_backward(l, dy, need_input_grad ? &dx : nullptr, layer.trainable); },
                   [&](MaxPool2DLayer& l) { maxpool_backward(l, dy, dx); },
                   [&](FlattenLayer& l) {
                       dx.shape = l.in_shape;
                       dx.values = dy.values;
                   },
                   [&](DropoutLayer& l) {
                       dx = dy;
                       for (size_t i = 0; i < l.mask.size(); ++i) dx.values[i] *= l.mask[i];
                   },
                   [&](DenseLayer& l) { dense_backward(l, dy, need_input_grad ? &dx : nullptr, layer.trainable); },
               },
               layer.op);
    return dx;
}

std::vector<NamedTensor> tensors(Layer& layer) {
    std::vector<NamedTensor> out;
    const auto add = [&](const char* what, Param& p) { out.push_back({layer.name + "/" + what, &p.value, &p.grad}); };
    std::visit(Overloaded{
                   [&](NormalizationLayer& l) {
                       out.push_back({layer.name + "/mean", &l.mean, nullptr});
                       out.push_back({layer.name + "/variance", &l.variance, nullptr});
                   },
                   [&](Conv2DLayer& l) {
                       add("kernel", l.kernel);
                       add("bias", l.bias);
                   },
                   [&](DenseLayer& l) {
                       add("kernel", l.kernel);
                       add("bias", l.bias);
                   },
                   [](auto&) {},
               },
               layer.op);
    return out;
}

}  // namespace earshot::train

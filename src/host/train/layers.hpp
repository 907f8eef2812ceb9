// The training engine's layers: plain structs (configuration, parameters, what forward keeps
// for backward) and free functions. Every layer works on NHWC batches.
//
// forward(layer, x, training, rng) -> y, keeping what backward needs;
// backward(layer, dy, need_input_grad) -> dx, adding parameter gradients into Param::grad
// (unless the layer is frozen). Output activations (softmax, sigmoid) are not applied by
// layers: the network returns logits and the loss applies them (see loss.hpp).
#pragma once
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "host/model/graph.hpp"
#include "host/train/rng.hpp"
#include "host/train/tensor.hpp"

namespace earshot::train {

enum class ResizeMethod { nearest, bilinear };
enum class Activation { none, relu, softmax, sigmoid };

struct Param {
    Tensor value, grad;
};

struct ResizeLayer {
    int height = 0, width = 0;
    ResizeMethod method = ResizeMethod::nearest;
    bool half_pixel_centers = true;  // TF2's Resizing layer convention
    std::vector<int> in_shape;       // cached by forward (batch included)
};

// Keras Normalization: (x - mean) / max(sqrt(variance), 1e-7), per channel; the statistics are
// adapted once on the training split and are not trained.
struct NormalizationLayer {
    Tensor mean, variance;  // [channels]
    bool adapted = false;
};
// 1 / max(sqrt(variance), 1e-7): the factor Keras (and int8 conversion, and QAT) applies.
float inverse_std(float variance);

struct Conv2DLayer {
    int filters = 0, kernel_h = 0, kernel_w = 0, stride_h = 1, stride_w = 1;
    model::Padding padding = model::Padding::valid;
    Activation activation = Activation::none;  // none or relu
    Param kernel;  // [filters, kernel_h, kernel_w, in_channels] (TFLite's OHWI)
    Param bias;    // [filters]
    // forward cache
    std::vector<int> in_shape;
    int out_h = 0, out_w = 0, pad_top = 0, pad_left = 0;
    std::vector<float> columns;  // im2col: (batch * out_h * out_w) x (kernel_h * kernel_w * in_channels)
    Tensor output;               // post-activation, for the ReLU mask
};

struct MaxPool2DLayer {
    int pool_h = 2, pool_w = 2, stride_h = 2, stride_w = 2;
    std::vector<int> in_shape;
    std::vector<uint32_t> argmax;  // per output element, the input index it came from
};

struct FlattenLayer {
    std::vector<int> in_shape;
};

struct DropoutLayer {
    float rate = 0.0f;
    std::vector<float> mask;  // 0 or 1/(1-rate) per element, for the last training forward
};

struct DenseLayer {
    int units = 0;
    Activation activation = Activation::none;  // relu is applied here; softmax/sigmoid by the loss
    Param kernel;  // [units, inputs] (TFLite FULLY_CONNECTED layout)
    Param bias;    // [units]
    Tensor input, output;
};

using LayerOp = std::variant<ResizeLayer, NormalizationLayer, Conv2DLayer, MaxPool2DLayer, FlattenLayer, DropoutLayer, DenseLayer>;

struct Layer {
    std::string name;        // unique; parameters are named "<name>/kernel", "<name>/bias", ...
    bool trainable = true;   // false freezes the layer's parameters
    LayerOp op;
};

// Shape of one item (no batch dimension) after the layer; throws earshot::Error naming the
// layer when the input does not fit (kernel larger than input, ...).
std::vector<int> output_item_shape(const Layer& layer, const std::vector<int>& in_item_shape);

// Allocates parameters for an input of `in_item_shape`: Glorot-uniform kernels (the Keras
// default), zero biases, identity normalization.
void initialize(Layer& layer, const std::vector<int>& in_item_shape, Rng& rng);

Tensor forward(Layer& layer, const Tensor& x, bool training, Rng& rng);
Tensor backward(Layer& layer, const Tensor& dy, bool need_input_grad);

struct NamedTensor {
    std::string name;
    Tensor* value = nullptr;
    Tensor* grad = nullptr;  // null for state that is not trained (normalization statistics)
};
// Trainable parameters and non-trained state of the layer, in a fixed order.
std::vector<NamedTensor> tensors(Layer& layer);

const char* type_name(const LayerOp& op);
bool has_parameters(const Layer& layer);

// Per-layer implementations (one file each).
void resize_forward(ResizeLayer& l, const Tensor& x, Tensor& y);
void resize_backward(const ResizeLayer& l, const Tensor& dy, Tensor& dx);
void normalization_forward(const NormalizationLayer& l, const Tensor& x, Tensor& y);
void normalization_backward(const NormalizationLayer& l, const Tensor& dy, Tensor& dx);
void conv2d_forward(Conv2DLayer& l, const Tensor& x, Tensor& y);
void conv2d_backward(Conv2DLayer& l, const Tensor& dy, Tensor* dx, bool accumulate_params);
void maxpool_forward(MaxPool2DLayer& l, const Tensor& x, Tensor& y);
void maxpool_backward(const MaxPool2DLayer& l, const Tensor& dy, Tensor& dx);
void dense_forward(DenseLayer& l, const Tensor& x, Tensor& y);
void dense_backward(DenseLayer& l, const Tensor& dy, Tensor* dx, bool accumulate_params);

}  // namespace earshot::train

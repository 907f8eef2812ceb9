// A network is a layer list with an input shape and an output activation; built from the JSON
// model config (model_config.hpp). Forward returns logits; the loss applies the activation.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "host/train/layers.hpp"

namespace earshot::train {

struct Network {
    std::vector<int> input_shape;  // one item, e.g. 124 x 129 x 1
    std::vector<Layer> layers;
    Activation output_activation = Activation::softmax;  // softmax (one unit per class) or sigmoid (one unit, 2 classes)
    std::string config_json;  // the config it was built from, stored in checkpoints
    // Quantization-aware training (fake_quant.hpp): when set, forward puts the input and each
    // listed layer output on its int8 grid, and backward lets gradients through unclipped values.
    struct FakeQuant {
        float input_scale = 1.0f;
        int32_t input_zero_point = 0;
        std::vector<int32_t> zero_points;  // per layer; used where scales[i] > 0
        std::vector<float> scales;
        std::vector<std::vector<uint8_t>> masks;  // per layer, from the last forward
    };
    std::optional<FakeQuant> fake_quant;
};

Tensor forward(Network& net, const Tensor& x, bool training, Rng& rng);
// Back-propagates d(loss)/d(logits), accumulating gradients of trainable layers; stops below
// the lowest trainable layer (nothing there needs an input gradient).
void backward(Network& net, const Tensor& dlogits);
void zero_gradients(Network& net);

// Parameters and state of every layer, "<layer>/<tensor>", in layer order.
std::vector<NamedTensor> tensors(Network& net);
size_t trainable_parameter_count(Network& net);
size_t parameter_count(Network& net);

// Class probabilities for a batch (softmax rows, or sigmoid of the single unit).
Tensor probabilities(const Network& net, const Tensor& logits);
// The class each item is assigned: argmax, or p > 0.5 for a sigmoid output (strictly: an int8
// model whose logit rounds to exactly 0 outputs p = 0.5, which must not raise an alarm).
std::vector<int> predicted_classes(const Network& net, const Tensor& probs);

// Sets each normalization layer's mean and variance from what reaches it when `batches`
// (training data only) are fed through the layers below it.
void adapt_normalization(Network& net, const std::vector<Tensor>& batches);

Layer* find_layer(Network& net, const std::string& name);

}  // namespace earshot::train

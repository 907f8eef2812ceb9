// Quantization-aware training: fake quantization (quantize, then dequantize) of the network
// input, of conv/dense weights as the int8 model will hold them (normalization folded in,
// per-channel conv / per-tensor dense, symmetric [-127, 127]) and of every conv/dense output on
// its int8 grid. Gradients pass straight through (STE), and are zero where a value was clipped.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "host/train/network.hpp"

namespace earshot::train {

struct QuantGrid {
    float scale = 1.0f;
    int32_t zero_point = 0;  // int8 range [-128, 127]
};

// round(x / scale) + zp clamped to int8, back to float; mask[i] = 1 where not clipped.
void fake_quantize(Tensor& x, const QuantGrid& grid, std::vector<uint8_t>* mask);

// Symmetric int8 weight scales: max |w| / 127 per row (per output channel) or over the whole
// tensor; the int8 conversion and QAT use this one rule, so QAT trains what gets exported.
std::vector<float> symmetric_weight_scales(const Tensor& weights, bool per_channel);

// Replaces every conv/dense weight tensor by what the int8 model will compute with and
// returns the float originals (for restore_weights after the backward pass).
std::vector<Tensor> fake_quantize_weights(Network& net);
void restore_weights(Network& net, std::vector<Tensor> originals);

}  // namespace earshot::train

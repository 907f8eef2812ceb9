// Host-side precomputation for the int8 kernels, following TensorFlow Lite's formulas
// exactly (QuantizeMultiplier, activation ranges, SAME/VALID padding, nearest-neighbour maps),
// so the device only does integer arithmetic.
#pragma once
#include <string>
#include <cstdint>
#include <vector>

#include "host/model/graph.hpp"

namespace earshot::nn {

struct QuantizedMultiplier {
    int32_t multiplier = 0;  // q31 significand in [2^30, 2^31), or 0
    int32_t shift = 0;       // power of two: real = multiplier * 2^(shift - 31)
};

// TFLite's QuantizeMultiplier: frexp, round half away from zero, renormalise at 2^31.
QuantizedMultiplier quantize_multiplier(double real_multiplier);

// A scale as text with all its digits ("%.9g"): 0.00390625 must not read as "0.003906".
std::string scale_text(double scale);

// Output clamp for a fused activation, in the output's quantized domain.
struct ActivationRange {
    int32_t min = -128, max = 127;
};
ActivationRange activation_range_int8(model::Activation act, float output_scale, int32_t output_zero_point);

// Output size and leading padding of one spatial dimension.
struct Padded {
    int32_t out = 0, pad = 0;
};
Padded compute_padding(model::Padding padding, int32_t in, int32_t filter, int32_t stride, int32_t dilation);

// For each output row (or column), the input row TFLite's RESIZE_NEAREST_NEIGHBOR reads.
std::vector<int32_t> nearest_neighbor_map(int32_t in_size, int32_t out_size, bool align_corners, bool half_pixel_centers);

}  // namespace earshot::nn

#include "core/nn/logistic.hpp"

namespace earshot::nn {

// TFLM's LOGISTIC preparation for int8: input rescaled to q4.27, saturation radius.
// Throws unless the output is quantized with scale 1/256 and zero point -128.
LogisticParams logistic_params_int8(float input_scale, int32_t input_zero_point, float output_scale, int32_t output_zero_point);

}  // namespace earshot::nn

#include "core/nn/input_quantizer.hpp"

namespace earshot::nn {

// The integer quantizer for a model input with this scale and zero point.
InputQuantizer input_quantizer(float scale, int32_t zero_point);

}  // namespace earshot::nn

#include "core/nn/softmax.hpp"

namespace earshot::nn {

// TFLite's SOFTMAX preparation for int8 (PreprocessSoftmaxScaling, CalculateInputRadius);
// throws unless the output has scale 1/256 and zero point -128.
SoftmaxParams softmax_params_int8(float beta, float input_scale, float output_scale, int32_t output_zero_point);

// QUANTIZE from int8 to int8: multiplier for input_scale / output_scale.
RequantizeParams requantize_params_int8(float input_scale, int32_t input_zero_point, float output_scale, int32_t output_zero_point);

}  // namespace earshot::nn

#include "core/nn/elementwise.hpp"

namespace earshot::nn {

// TFLite's ADD/MUL preparation for int8 (input rescaling to twice the larger input scale,
// 2^20 headroom for ADD; one product multiplier for MUL) and the fused activation range.
AddParams add_params_int8(float s1, int32_t z1, float s2, int32_t z2, float out_scale, int32_t out_zp, model::Activation act);
MulParams mul_params_int8(float s1, int32_t z1, float s2, int32_t z2, float out_scale, int32_t out_zp, model::Activation act);

}  // namespace earshot::nn

namespace earshot::nn {

// TFLite's 10-bit fixed-point scale for RESIZE_BILINEAR along one dimension.
int32_t bilinear_scale_10(int32_t in_size, int32_t out_size, bool align_corners);

}  // namespace earshot::nn

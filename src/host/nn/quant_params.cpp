#include "host/nn/quant_params.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "host/error.hpp"

namespace earshot::nn {

namespace {

// floor(max representable input difference), TFLite's CalculateInputRadius with 31 signed bits.
int32_t input_radius(int integer_bits, int left_shift) {
    const double max_rescaled = 1.0 * ((1 << integer_bits) - 1) * static_cast<double>(int64_t{1} << (31 - integer_bits)) /
                                static_cast<double>(int64_t{1} << left_shift);
    return static_cast<int32_t>(std::floor(max_rescaled));
}

}  // namespace

std::string scale_text(double scale) {
    char text[40];
    std::snprintf(text, sizeof text, "%.9g", scale);
    return text;
}

QuantizedMultiplier quantize_multiplier(double real) {
    if (real == 0.0) return {};
    if (!(real > 0.0) || !std::isfinite(real)) throw Error("quantization multiplier " + scale_text(real) + " is not a positive number");
    int shift = 0;
    const double q = std::frexp(real, &shift);  // real = q * 2^shift, q in [0.5, 1)
    auto fixed = static_cast<int64_t>(std::round(q * static_cast<double>(int64_t{1} << 31)));
    if (fixed == (int64_t{1} << 31)) {
        fixed /= 2;
        ++shift;
    }
    if (shift < -31) return {};  // too small to matter: TFLite flushes to zero
    if (shift > 30) {            // and saturates the other end
        shift = 30;
        fixed = (int64_t{1} << 31) - 1;
    }
    return {static_cast<int32_t>(fixed), shift};
}

ActivationRange activation_range_int8(model::Activation act, float scale, int32_t zero_point) {
    auto quantize = [&](float x) { return zero_point + static_cast<int32_t>(std::round(x / scale)); };
    ActivationRange r;
    switch (act) {
        case model::Activation::none: break;
        case model::Activation::relu: r.min = std::max(r.min, quantize(0.0f)); break;
        case model::Activation::relu6:
            r.min = std::max(r.min, quantize(0.0f));
            r.max = std::min(r.max, quantize(6.0f));
            break;
        case model::Activation::relu_n1_to_1:
            r.min = std::max(r.min, quantize(-1.0f));
            r.max = std::min(r.max, quantize(1.0f));
            break;
    }
    return r;
}

Padded compute_padding(model::Padding padding, int32_t in, int32_t filter, int32_t stride, int32_t dilation) {
    const int32_t effective = (filter - 1) * dilation + 1;
    Padded p;
    p.out = padding == model::Padding::same ? (in + stride - 1) / stride : (in - effective + stride) / stride;
    if (p.out < 1) throw Error("a window of " + std::to_string(effective) + " does not fit an input of " + std::to_string(in));
    p.pad = std::max(0, ((p.out - 1) * stride + effective - in) / 2);
    return p;
}

std::vector<int32_t> nearest_neighbor_map(int32_t in_size, int32_t out_size, bool align_corners, bool half_pixel_centers) {
    // TFLite computes this in float; so do we, on the host, once.
    const float scale = (align_corners && out_size > 1) ? static_cast<float>(in_size - 1) / static_cast<float>(out_size - 1)
                                                        : static_cast<float>(in_size) / static_cast<float>(out_size);
    const float offset = half_pixel_centers ? 0.5f : 0.0f;
    std::vector<int32_t> map(static_cast<size_t>(out_size));
    for (int32_t i = 0; i < out_size; ++i) {
        const float pos = (static_cast<float>(i) + offset) * scale;
        int32_t v = align_corners ? static_cast<int32_t>(std::round(pos)) : static_cast<int32_t>(std::floor(pos));
        v = std::min(v, in_size - 1);
        if (half_pixel_centers) v = std::max(0, v);
        map[static_cast<size_t>(i)] = v;
    }
    return map;
}

}  // namespace earshot::nn

namespace earshot::nn {

LogisticParams logistic_params_int8(float input_scale, int32_t input_zero_point, float output_scale, int32_t output_zero_point) {
    if (output_zero_point != -128 || output_scale != 1.0f / 256.0f) {
        throw Error("LOGISTIC output must be quantized with scale 1/256 and zero point -128 (got scale " + scale_text(output_scale) +
                    ", zero point " + std::to_string(output_zero_point) + ")");
    }
    constexpr int kInputIntegerBits = 4;
    LogisticParams p;
    p.input_zero_point = input_zero_point;
    const double real = static_cast<double>(input_scale) * static_cast<double>(1 << (31 - kInputIntegerBits));
    int shift = 0;
    const double q = std::frexp(real, &shift);
    // As TFLM: no renormalisation when q rounds up to 1.0 (the cast then wraps).
    p.input_multiplier = static_cast<int32_t>(static_cast<uint32_t>(static_cast<int64_t>(std::round(q * static_cast<double>(int64_t{1} << 31)))));
    p.input_left_shift = shift;
    p.input_range_radius = input_radius(kInputIntegerBits, shift);
    return p;
}

}  // namespace earshot::nn

namespace earshot::nn {

InputQuantizer input_quantizer(float scale, int32_t zero_point) {
    const QuantizedMultiplier q = quantize_multiplier(1.0 / (64.0 * static_cast<double>(scale)));
    return {q.multiplier, q.shift, zero_point};
}

}  // namespace earshot::nn

namespace earshot::nn {

SoftmaxParams softmax_params_int8(float beta, float input_scale, float output_scale, int32_t output_zero_point) {
    if (output_zero_point != -128 || std::abs(output_scale - 1.0f / 256) > 0.001f / 256) {
        throw Error("SOFTMAX output must be quantized with scale 1/256 and zero point -128 (got scale " + scale_text(output_scale) +
                    ", zero point " + std::to_string(output_zero_point) + ")");
    }
    constexpr int kScaledDiffIntegerBits = 5;
    const double real = std::min(static_cast<double>(beta) * static_cast<double>(input_scale) * static_cast<double>(1 << (31 - kScaledDiffIntegerBits)),
                                 static_cast<double>((int64_t{1} << 31) - 1));
    if (!(real > 1.0)) throw Error("SOFTMAX beta x input scale is too small for TFLite's integer softmax");
    const QuantizedMultiplier q = quantize_multiplier(real);
    SoftmaxParams p;
    p.input_multiplier = q.multiplier;
    p.input_left_shift = q.shift;
    p.diff_min = -input_radius(kScaledDiffIntegerBits, q.shift);
    return p;
}

RequantizeParams requantize_params_int8(float input_scale, int32_t input_zero_point, float output_scale, int32_t output_zero_point) {
    const QuantizedMultiplier q = quantize_multiplier(static_cast<double>(input_scale) / static_cast<double>(output_scale));
    return {input_zero_point, output_zero_point, q.multiplier, q.shift};
}

}  // namespace earshot::nn

namespace earshot::nn {

AddParams add_params_int8(float s1, int32_t z1, float s2, int32_t z2, float out_scale, int32_t out_zp, model::Activation act) {
    AddParams p;
    p.input1_offset = -z1;
    p.input2_offset = -z2;
    p.output_offset = out_zp;
    p.left_shift = 20;
    const double twice_max = 2.0 * static_cast<double>(std::max(s1, s2));
    const QuantizedMultiplier m1 = quantize_multiplier(static_cast<double>(s1) / twice_max);
    const QuantizedMultiplier m2 = quantize_multiplier(static_cast<double>(s2) / twice_max);
    const QuantizedMultiplier mo = quantize_multiplier(twice_max / (static_cast<double>(1 << p.left_shift) * static_cast<double>(out_scale)));
    p.input1_multiplier = m1.multiplier;
    p.input1_shift = m1.shift;
    p.input2_multiplier = m2.multiplier;
    p.input2_shift = m2.shift;
    p.output_multiplier = mo.multiplier;
    p.output_shift = mo.shift;
    const ActivationRange r = activation_range_int8(act, out_scale, out_zp);
    p.act_min = r.min;
    p.act_max = r.max;
    return p;
}

MulParams mul_params_int8(float s1, int32_t z1, float s2, int32_t z2, float out_scale, int32_t out_zp, model::Activation act) {
    MulParams p;
    p.input1_offset = -z1;
    p.input2_offset = -z2;
    p.output_offset = out_zp;
    const QuantizedMultiplier m = quantize_multiplier(static_cast<double>(s1) * static_cast<double>(s2) / static_cast<double>(out_scale));
    p.output_multiplier = m.multiplier;
    p.output_shift = m.shift;
    const ActivationRange r = activation_range_int8(act, out_scale, out_zp);
    p.act_min = r.min;
    p.act_max = r.max;
    return p;
}

}  // namespace earshot::nn

namespace earshot::nn {

int32_t bilinear_scale_10(int32_t in_size, int32_t out_size, bool align_corners) {
    if (align_corners && out_size > 1) return ((1 << 10) * (in_size - 1) + (out_size - 1) / 2) / (out_size - 1);
    return ((1 << 10) * in_size + out_size / 2) / out_size;
}

}  // namespace earshot::nn

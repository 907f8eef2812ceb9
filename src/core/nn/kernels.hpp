// int8 kernels with TensorFlow Lite's integer semantics (NHWC layout, int32 accumulation,
// per-channel symmetric weights, per-tensor asymmetric activations). Everything a kernel
// needs beyond the data is precomputed on the host (multipliers, padding, activation range,
// resize index maps), so the device does integer work only. No heap, no float.
#pragma once
#include <cstdint>

#include "core/nn/fixed_point.hpp"

namespace earshot::nn {

struct Shape4 {
    int32_t n = 1, h = 1, w = 1, c = 1;
};

struct Requantize {
    const int32_t* multiplier = nullptr;  // one per output channel, or one for all
    const int32_t* shift = nullptr;
    bool per_channel = false;
    int32_t output_offset = 0;  // output zero point
    int32_t act_min = -128, act_max = 127;
};

// One accumulator to int8: scale by the channel's multiplier, add the zero point, clamp.
inline int8_t requantize(int32_t acc, const Requantize& rq, int32_t channel) {
    const int32_t i = rq.per_channel ? channel : 0;
    int32_t v = multiply_by_quantized_multiplier(acc, rq.multiplier[i], rq.shift[i]);
    v += rq.output_offset;
    return static_cast<int8_t>(clamp32(v, rq.act_min, rq.act_max));
}

struct ConvGeometry {
    int32_t stride_h = 1, stride_w = 1;
    int32_t dilation_h = 1, dilation_w = 1;
    int32_t pad_h = 0, pad_w = 0;  // top / left padding
};

// filter: [out_c, kh, kw, in_c]; bias: [out_c] int32 or nullptr.
void conv2d_int8(const ConvGeometry& g, int32_t input_offset, const Requantize& rq, const Shape4& in, const int8_t* input,
                 const Shape4& filter, const int8_t* filter_data, const int32_t* bias, const Shape4& out, int8_t* output);

// filter: [1, kh, kw, in_c * depth_multiplier]; out.c = in.c * depth_multiplier.
void depthwise_conv2d_int8(const ConvGeometry& g, int32_t depth_multiplier, int32_t input_offset, const Requantize& rq,
                           const Shape4& in, const int8_t* input, const Shape4& filter, const int8_t* filter_data,
                           const int32_t* bias, const Shape4& out, int8_t* output);

struct PoolGeometry {
    int32_t filter_h = 1, filter_w = 1;
    int32_t stride_h = 1, stride_w = 1;
    int32_t pad_h = 0, pad_w = 0;
    int32_t act_min = -128, act_max = 127;
};

void max_pool_int8(const PoolGeometry& g, const Shape4& in, const int8_t* input, const Shape4& out, int8_t* output);
void average_pool_int8(const PoolGeometry& g, const Shape4& in, const int8_t* input, const Shape4& out, int8_t* output);

// weights: [units, depth]; input: [batches, depth]; output: [batches, units].
void fully_connected_int8(int32_t input_offset, int32_t filter_offset, const Requantize& rq, int32_t batches, int32_t depth,
                          int32_t units, const int8_t* input, const int8_t* weights, const int32_t* bias, int8_t* output);

// Output pixel (y, x) copies input pixel (y_map[y], x_map[x]) in every channel; the maps hold
// TFLite's nearest-neighbour rule (align_corners / half_pixel_centers) precomputed on the host.
void resize_nearest_int8(const Shape4& in, const int8_t* input, const Shape4& out, const int32_t* y_map, const int32_t* x_map,
                         int8_t* output);

// TFLite's integer bilinear resize: source positions in 1/1024 steps (`*_scale_10` =
// round(1024 * in / out), or (in - 1) / (out - 1) with align_corners), products in int64,
// result rounded half away from zero.
void resize_bilinear_int8(const Shape4& in, const int8_t* input, const Shape4& out, int32_t height_scale_10,
                          int32_t width_scale_10, bool half_pixel_centers, int8_t* output);

}  // namespace earshot::nn

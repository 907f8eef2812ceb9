#include "core/nn/kernels.hpp"

#include "core/nn/fixed_point.hpp"

namespace earshot::nn {
namespace {

inline int32_t offset_nhwc(const Shape4& s, int32_t n, int32_t y, int32_t x, int32_t c) {
    return ((n * s.h + y) * s.w + x) * s.c + c;
}

}  // namespace

namespace {

// Sum of w * x over two contiguous int8 runs, four at a time (the Cortex-M0+ has no MAC
// instruction: loads, a single-cycle multiply and an add per tap).
inline int32_t dot_int8(const int8_t* w, const int8_t* x, int32_t n) {
    int32_t acc = 0;
    int32_t i = 0;
    for (; i + 4 <= n; i += 4) {
        acc += int32_t{w[i]} * x[i] + int32_t{w[i + 1]} * x[i + 1] + int32_t{w[i + 2]} * x[i + 2] + int32_t{w[i + 3]} * x[i + 3];
    }
    for (; i < n; ++i) acc += int32_t{w[i]} * x[i];
    return acc;
}

// The reference model's case (an 8-wide filter row over one channel), without loop overhead.
inline int32_t dot8_int8(const int8_t* w, const int8_t* x) {
    return int32_t{w[0]} * x[0] + int32_t{w[1]} * x[1] + int32_t{w[2]} * x[2] + int32_t{w[3]} * x[3] + int32_t{w[4]} * x[4] +
           int32_t{w[5]} * x[5] + int32_t{w[6]} * x[6] + int32_t{w[7]} * x[7];
}

}  // namespace

void conv2d_int8(const ConvGeometry& g, int32_t input_offset, const Requantize& rq, const Shape4& in, const int8_t* input,
                 const Shape4& filter, const int8_t* filter_data, const int32_t* bias, const Shape4& out, int8_t* output) {
    // sum(w * (x + offset)) = sum(w * x) + offset * sum(w): the offset leaves the inner loop.
    // Per output channel sums are small (kh * kw * in_c <= 64 K taps of 127) and fit in int32.
    const int32_t row = filter.w * in.c;  // one filter row: contiguous in the filter and, with dilation 1, in the input
    constexpr int32_t kCachedChannels = 64;
    int32_t weight_sums[kCachedChannels];
    const auto weight_sum = [&](int32_t oc) {
        const int8_t* wt = filter_data + offset_nhwc(filter, oc, 0, 0, 0);
        int32_t sum = 0;
        for (int32_t k = 0; k < filter.h * row; ++k) sum += wt[k];
        return sum;
    };
    for (int32_t oc = 0; oc < out.c && oc < kCachedChannels; ++oc) weight_sums[oc] = weight_sum(oc);
    for (int32_t b = 0; b < out.n; ++b) {
        for (int32_t oy = 0; oy < out.h; ++oy) {
            const int32_t in_y0 = oy * g.stride_h - g.pad_h;
            for (int32_t ox = 0; ox < out.w; ++ox) {
                const int32_t in_x0 = ox * g.stride_w - g.pad_w;
                const bool interior = g.dilation_h == 1 && g.dilation_w == 1 && in_y0 >= 0 && in_x0 >= 0 && in_y0 + filter.h <= in.h &&
                                      in_x0 + filter.w <= in.w;
                for (int32_t oc = 0; oc < out.c; ++oc) {
                    int32_t acc = 0;
                    if (interior) {  // no padding under the window: straight dot products per filter row
                        const int8_t* wt = filter_data + offset_nhwc(filter, oc, 0, 0, 0);
                        const int8_t* px = input + offset_nhwc(in, b, in_y0, in_x0, 0);
                        const int32_t stride = in.w * in.c;
                        if (row == 8) {
                            for (int32_t fy = 0; fy < filter.h; ++fy, wt += 8, px += stride) acc += dot8_int8(wt, px);
                        } else {
                            for (int32_t fy = 0; fy < filter.h; ++fy, wt += row, px += stride) acc += dot_int8(wt, px, row);
                        }
                        acc += input_offset * (oc < kCachedChannels ? weight_sums[oc] : weight_sum(oc));
                    } else {
                        for (int32_t fy = 0; fy < filter.h; ++fy) {
                            const int32_t iy = in_y0 + g.dilation_h * fy;
                            if (iy < 0 || iy >= in.h) continue;  // zero padding contributes nothing
                            for (int32_t fx = 0; fx < filter.w; ++fx) {
                                const int32_t ix = in_x0 + g.dilation_w * fx;
                                if (ix < 0 || ix >= in.w) continue;
                                const int8_t* px = input + offset_nhwc(in, b, iy, ix, 0);
                                const int8_t* wt = filter_data + offset_nhwc(filter, oc, fy, fx, 0);
                                for (int32_t ic = 0; ic < in.c; ++ic) acc += int32_t{wt[ic]} * (int32_t{px[ic]} + input_offset);
                            }
                        }
                    }
                    if (bias) acc += bias[oc];
                    output[offset_nhwc(out, b, oy, ox, oc)] = requantize(acc, rq, oc);
                }
            }
        }
    }
}

void depthwise_conv2d_int8(const ConvGeometry& g, int32_t depth_multiplier, int32_t input_offset, const Requantize& rq,
                           const Shape4& in, const int8_t* input, const Shape4& filter, const int8_t* filter_data,
                           const int32_t* bias, const Shape4& out, int8_t* output) {
    for (int32_t b = 0; b < out.n; ++b) {
        for (int32_t oy = 0; oy < out.h; ++oy) {
            const int32_t in_y0 = oy * g.stride_h - g.pad_h;
            for (int32_t ox = 0; ox < out.w; ++ox) {
                const int32_t in_x0 = ox * g.stride_w - g.pad_w;
                for (int32_t ic = 0; ic < in.c; ++ic) {
                    for (int32_t m = 0; m < depth_multiplier; ++m) {
                        const int32_t oc = ic * depth_multiplier + m;
                        int32_t acc = 0;
                        for (int32_t fy = 0; fy < filter.h; ++fy) {
                            const int32_t iy = in_y0 + g.dilation_h * fy;
                            if (iy < 0 || iy >= in.h) continue;
                            for (int32_t fx = 0; fx < filter.w; ++fx) {
                                const int32_t ix = in_x0 + g.dilation_w * fx;
                                if (ix < 0 || ix >= in.w) continue;
                                acc += int32_t{filter_data[offset_nhwc(filter, 0, fy, fx, oc)]} *
                                       (int32_t{input[offset_nhwc(in, b, iy, ix, ic)]} + input_offset);
                            }
                        }
                        if (bias) acc += bias[oc];
                        output[offset_nhwc(out, b, oy, ox, oc)] = requantize(acc, rq, oc);
                    }
                }
            }
        }
    }
}

namespace {

// The part of the pooling window inside the input (padding cells are skipped, not zeros).
struct Window {
    int32_t y0, y1, x0, x1;
};

inline Window pool_window(const PoolGeometry& g, const Shape4& in, int32_t oy, int32_t ox) {
    const int32_t iy = oy * g.stride_h - g.pad_h, ix = ox * g.stride_w - g.pad_w;
    Window w{};
    w.y0 = iy < 0 ? -iy : 0;
    w.y1 = in.h - iy < g.filter_h ? in.h - iy : g.filter_h;
    w.x0 = ix < 0 ? -ix : 0;
    w.x1 = in.w - ix < g.filter_w ? in.w - ix : g.filter_w;
    w.y0 += iy; w.y1 += iy; w.x0 += ix; w.x1 += ix;
    return w;
}

}  // namespace

void max_pool_int8(const PoolGeometry& g, const Shape4& in, const int8_t* input, const Shape4& out, int8_t* output) {
    for (int32_t b = 0; b < out.n; ++b)
        for (int32_t oy = 0; oy < out.h; ++oy)
            for (int32_t ox = 0; ox < out.w; ++ox) {
                const Window w = pool_window(g, in, oy, ox);
                for (int32_t c = 0; c < out.c; ++c) {
                    int32_t m = -128;
                    for (int32_t y = w.y0; y < w.y1; ++y)
                        for (int32_t x = w.x0; x < w.x1; ++x) {
                            const int32_t v = input[offset_nhwc(in, b, y, x, c)];
                            if (v > m) m = v;
                        }
                    output[offset_nhwc(out, b, oy, ox, c)] = static_cast<int8_t>(clamp32(m, g.act_min, g.act_max));
                }
            }
}

void average_pool_int8(const PoolGeometry& g, const Shape4& in, const int8_t* input, const Shape4& out, int8_t* output) {
    for (int32_t b = 0; b < out.n; ++b)
        for (int32_t oy = 0; oy < out.h; ++oy)
            for (int32_t ox = 0; ox < out.w; ++ox) {
                const Window w = pool_window(g, in, oy, ox);
                const int32_t count = (w.y1 - w.y0) * (w.x1 - w.x0);
                for (int32_t c = 0; c < out.c; ++c) {
                    int32_t acc = 0;
                    for (int32_t y = w.y0; y < w.y1; ++y)
                        for (int32_t x = w.x0; x < w.x1; ++x) acc += input[offset_nhwc(in, b, y, x, c)];
                    if (count == 0) acc = 0;  // window entirely in padding (TFLite would divide by zero)
                    else acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;  // round half away
                    output[offset_nhwc(out, b, oy, ox, c)] = static_cast<int8_t>(clamp32(acc, g.act_min, g.act_max));
                }
            }
}

void fully_connected_int8(int32_t input_offset, int32_t filter_offset, const Requantize& rq, int32_t batches, int32_t depth,
                          int32_t units, const int8_t* input, const int8_t* weights, const int32_t* bias, int8_t* output) {
    for (int32_t b = 0; b < batches; ++b) {
        const int8_t* x = input + b * depth;
        for (int32_t u = 0; u < units; ++u) {
            const int8_t* w = weights + u * depth;
            int32_t acc = 0;
            for (int32_t d = 0; d < depth; ++d) acc += (int32_t{w[d]} + filter_offset) * (int32_t{x[d]} + input_offset);
            if (bias) acc += bias[u];
            output[b * units + u] = requantize(acc, rq, u);
        }
    }
}

void resize_nearest_int8(const Shape4& in, const int8_t* input, const Shape4& out, const int32_t* y_map, const int32_t* x_map,
                         int8_t* output) {
    const int32_t in_row = in.w * in.c;
    for (int32_t b = 0; b < out.n; ++b) {
        for (int32_t y = 0; y < out.h; ++y) {
            const int8_t* src_row = input + (b * in.h + y_map[y]) * in_row;
            if (out.c == 1) {  // one byte per pixel (the reference model's spectrogram)
                for (int32_t x = 0; x < out.w; ++x) *output++ = src_row[x_map[x]];
                continue;
            }
            for (int32_t x = 0; x < out.w; ++x) {
                const int8_t* src = src_row + x_map[x] * in.c;
                for (int32_t c = 0; c < out.c; ++c) *output++ = src[c];
            }
        }
    }
}

namespace {

// Source coordinate in 1/1024 units and the two neighbouring input rows (or columns).
struct Interpolation {
    int32_t scaled, lo, hi;
};

inline Interpolation interpolation(int32_t value, int32_t scale_10, bool half_pixel_centers, int32_t input_size) {
    Interpolation r{};
    r.scaled = half_pixel_centers ? value * scale_10 + scale_10 / 2 - (1 << 9) : value * scale_10;
    const int32_t lo = r.scaled / (1 << 10);  // truncates toward zero, as TFLite does
    r.lo = lo > 0 ? lo : 0;
    const int32_t hi = (r.scaled + (1 << 10) - 1) / (1 << 10);
    r.hi = hi < input_size - 1 ? hi : input_size - 1;
    return r;
}

}  // namespace

void resize_bilinear_int8(const Shape4& in, const int8_t* input, const Shape4& out, int32_t height_scale_10,
                          int32_t width_scale_10, bool half_pixel_centers, int8_t* output) {
    for (int32_t b = 0; b < out.n; ++b)
        for (int32_t y = 0; y < out.h; ++y) {
            const Interpolation iy = interpolation(y, height_scale_10, half_pixel_centers, in.h);
            const int64_t dy = iy.scaled - (1 << 10) * iy.lo;  // weight of the upper row, in 1/1024
            for (int32_t x = 0; x < out.w; ++x) {
                const Interpolation ix = interpolation(x, width_scale_10, half_pixel_centers, in.w);
                const int64_t dx = ix.scaled - (1 << 10) * ix.lo;
                for (int32_t c = 0; c < out.c; ++c) {
                    const int64_t sum = int64_t{input[offset_nhwc(in, b, iy.lo, ix.lo, c)]} * ((1 << 10) - dy) * ((1 << 10) - dx) +
                                        int64_t{input[offset_nhwc(in, b, iy.hi, ix.lo, c)]} * dy * ((1 << 10) - dx) +
                                        int64_t{input[offset_nhwc(in, b, iy.lo, ix.hi, c)]} * ((1 << 10) - dy) * dx +
                                        int64_t{input[offset_nhwc(in, b, iy.hi, ix.hi, c)]} * dy * dx;
                    const int64_t round = sum > 0 ? (1 << 19) : -(1 << 19);
                    output[offset_nhwc(out, b, y, x, c)] = static_cast<int8_t>((sum + round) / (1 << 20));
                }
            }
        }
}

}  // namespace earshot::nn

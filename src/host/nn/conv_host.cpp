#include "host/nn/conv_host.hpp"

#include <cstddef>
#include <cstring>
#include <vector>

namespace earshot::nn {
namespace {

// A plain loop GCC turns into multiply-add pairs; int32 sums of int16 products are exact, so
// any summation order gives the portable kernel's accumulator.
__attribute__((always_inline)) inline int32_t dot_int16(const int16_t* __restrict a, const int16_t* __restrict b, int32_t n) {
    int32_t acc = 0;
    for (int32_t i = 0; i < n; ++i) acc += int32_t{a[i]} * int32_t{b[i]};
    return acc;
}

// TFLite's MultiplyByQuantizedMultiplier with a 64-bit product, as the host can afford: equal
// to core's 16-bit-halves version for every input (the fixed-point tests compare the two).
__attribute__((always_inline)) inline int8_t requantize_int64(int32_t acc, const Requantize& rq, int32_t channel) {
    const int32_t i = rq.per_channel ? channel : 0;
    const int32_t shift = rq.shift[i], multiplier = rq.multiplier[i];
    const int32_t x = static_cast<int32_t>(static_cast<uint32_t>(acc) << (shift > 0 ? shift : 0));
    int32_t high;
    if (x == INT32_MIN && multiplier == INT32_MIN) {
        high = INT32_MAX;
    } else {
        const int64_t product = static_cast<int64_t>(x) * multiplier;
        high = static_cast<int32_t>((product + (product >= 0 ? (int64_t{1} << 30) : 1 - (int64_t{1} << 30))) / (int64_t{1} << 31));
    }
    const int32_t v = rounding_divide_by_pot(high, shift > 0 ? 0 : -shift) + rq.output_offset;
    return static_cast<int8_t>(clamp32(v, rq.act_min, rq.act_max));
}

}  // namespace

// Built twice on x86-64 (AVX2 and the baseline), picked at load time by the CPU it runs on; the
// arithmetic is integer and exact either way.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
void conv2d_int8_host(const ConvGeometry& g, int32_t input_offset, const Requantize& rq, const Shape4& in, const int8_t* input,
                      const Shape4& filter, const int8_t* filter_data, const int32_t* bias, const Shape4& out, int8_t* output) {
    const int32_t taps = filter.h * filter.w * in.c;
    const int32_t padded = (taps + 15) / 16 * 16;  // whole vectors; the padding multiplies zeros
    const int32_t row = filter.w * in.c;           // one filter row, contiguous in the input when dilation_w == 1
    thread_local std::vector<int16_t> weights, column, image;
    weights.assign(static_cast<size_t>(out.c) * padded, 0);
    column.assign(static_cast<size_t>(padded), 0);
    for (int32_t oc = 0; oc < out.c; ++oc) {
        for (int32_t k = 0; k < taps; ++k) weights[static_cast<size_t>(oc * padded + k)] = filter_data[oc * taps + k];
    }
    const size_t image_size = static_cast<size_t>(in.h) * in.w * in.c;
    image.resize(image_size);
    for (int32_t b = 0; b < out.n; ++b) {
        // The input with its offset added, once: every window copies from it.
        const int8_t* x = input + static_cast<size_t>(b) * image_size;
        for (size_t i = 0; i < image_size; ++i) image[i] = static_cast<int16_t>(x[i] + input_offset);
        for (int32_t oy = 0; oy < out.h; ++oy) {
            const int32_t iy0 = oy * g.stride_h - g.pad_h;
            for (int32_t ox = 0; ox < out.w; ++ox) {
                const int32_t ix0 = ox * g.stride_w - g.pad_w;
                const bool interior = g.dilation_w == 1 && iy0 >= 0 && ix0 >= 0 && iy0 + g.dilation_h * (filter.h - 1) < in.h && ix0 + filter.w <= in.w;
                int16_t* col = column.data();
                for (int32_t fy = 0; fy < filter.h; ++fy, col += row) {
                    const int32_t iy = iy0 + g.dilation_h * fy;
                    if (interior) {
                        const int16_t* src = image.data() + (static_cast<size_t>(iy) * in.w + ix0) * in.c;
                        if (row == 8) {
                            std::memcpy(col, src, 16);  // a constant size: one vector move, not a library call
                        } else {
                            std::memcpy(col, src, sizeof(int16_t) * static_cast<size_t>(row));
                        }
                        continue;
                    }
                    // Taps over the zero padding stay 0: they add nothing, as in the portable kernel.
                    for (int32_t fx = 0; fx < filter.w; ++fx) {
                        const int32_t ix = ix0 + g.dilation_w * fx;
                        const bool inside = iy >= 0 && iy < in.h && ix >= 0 && ix < in.w;
                        for (int32_t ic = 0; ic < in.c; ++ic) {
                            col[fx * in.c + ic] = inside ? image[(static_cast<size_t>(iy) * in.w + ix) * in.c + ic] : int16_t{0};
                        }
                    }
                }
                int8_t* o = output + ((static_cast<int64_t>(b) * out.h + oy) * out.w + ox) * out.c;
                for (int32_t oc = 0; oc < out.c; ++oc) {
                    int32_t acc = dot_int16(column.data(), weights.data() + static_cast<size_t>(oc) * padded, padded);
                    if (bias) acc += bias[oc];
                    o[oc] = requantize_int64(acc, rq, oc);
                }
            }
        }
    }
}

}  // namespace earshot::nn

#include "core/nn/conv1ch.hpp"

#if defined(__ARM_ARCH_6M__)
// conv1ch_windows_armv6m.S
extern "C" void earshot_conv1ch_max_of_windows_armv6m(const earshot::nn::Conv1chWindows* windows, int32_t* best);
#endif

namespace earshot::nn {
namespace {

// Whole words where the buffer allows (arena tensors are usually 4-byte aligned).
void flip_sign_bits(int8_t* data, int32_t count) {
    auto* bytes = reinterpret_cast<uint8_t*>(data);
    int32_t i = 0;
    for (; i < count && (reinterpret_cast<uintptr_t>(bytes + i) & 3u) != 0; ++i) bytes[i] ^= 0x80u;
    for (; i + 4 <= count; i += 4) {
        void* at = __builtin_assume_aligned(bytes + i, 4);  // so the copies become one load and one store
        uint32_t word;
        __builtin_memcpy(&word, at, 4);
        word ^= 0x80808080u;
        __builtin_memcpy(at, &word, 4);
    }
    for (; i < count; ++i) bytes[i] ^= 0x80u;
}

// Flips the input's sign bits, and back on every return path unless it is consumed.
struct SignFlip {
    int8_t* data;
    int32_t count;
    Conv1chInput use;
    SignFlip(int8_t* d, int32_t n, Conv1chInput u) : data(d), count(n), use(u) { flip_sign_bits(data, count); }
    ~SignFlip() {
        if (use == Conv1chInput::restore) flip_sign_bits(data, count);
    }
    SignFlip(const SignFlip&) = delete;
    SignFlip& operator=(const SignFlip&) = delete;
};

// One channel's requantization worked out once per call: the multiplier's magnitude split into
// 16-bit halves and its sign, the shift split, the bias.
struct ChannelScale {
    uint32_t multiplier_hi, multiplier_lo;
    bool multiplier_negative;
    int32_t left, right, bias;
};

ChannelScale channel_scale(const Requantize& rq, int32_t channel, int32_t bias) {
    const int32_t i = rq.per_channel ? channel : 0;
    const int32_t m = rq.multiplier[i], shift = rq.shift[i];
    const uint32_t um = m < 0 ? 0u - static_cast<uint32_t>(m) : static_cast<uint32_t>(m);
    return {um >> 16, um & 0xffffu, m < 0, shift > 0 ? shift : 0, shift > 0 ? 0 : -shift, bias};
}

// requantize(acc + bias, rq, channel): multiply_by_quantized_multiplier with the channel's
// constants already looked up (a multiplier of INT32_MIN, which never occurs, would need the
// saturating case).
inline int32_t requantize_scaled(int32_t acc, const ChannelScale& s, const Requantize& rq) {
    const int32_t x = static_cast<int32_t>(static_cast<uint32_t>(acc + s.bias) << s.left);
    const bool negative = (x < 0) != s.multiplier_negative;
    const uint32_t ux = x < 0 ? 0u - static_cast<uint32_t>(x) : static_cast<uint32_t>(x);
    const uint32_t magnitude = doubling_high_mul_magnitude(ux, s.multiplier_hi, s.multiplier_lo, negative);
    const int32_t high = negative ? -static_cast<int32_t>(magnitude) : static_cast<int32_t>(magnitude);
    return clamp32(rounding_divide_by_pot(high, s.right) + rq.output_offset, rq.act_min, rq.act_max);
}

void group_scales(const Requantize& rq, const Conv1chWeights& w, int32_t group, ChannelScale scale[kConv1chGroup]) {
    for (int32_t c = 0; c < kConv1chGroup; ++c) scale[c] = channel_scale(rq, group * kConv1chGroup + c, w.bias[group * kConv1chGroup + c]);
}

inline void max_of_windows(const Conv1chWindows& w, int32_t best[kConv1chGroup]) {
#if defined(__ARM_ARCH_6M__)
    earshot_conv1ch_max_of_windows_armv6m(&w, best);
#else
    conv1ch_max_of_windows(w, best);
#endif
}

}  // namespace

void conv1ch_max_of_windows(const Conv1chWindows& w, int32_t best[kConv1chGroup]) {
    const int32_t half_taps = w.filter_h * kConv1chTapsPerRow * kConv1chHalf;
    for (int32_t half = 0; half < kConv1chGroup / kConv1chHalf; ++half) {
        int32_t* out = best + half * kConv1chHalf;
        for (int32_t k = 0; k < w.count; ++k) {
            int32_t sums[kConv1chHalf] = {};
            const int32_t* taps = w.taps + half * half_taps;
            const uint8_t* row = w.base + w.offsets[k];
            for (int32_t fy = 0; fy < w.filter_h; ++fy, row += w.row_stride) {
                for (int32_t fx = 0; fx < kConv1chTapsPerRow; ++fx, taps += kConv1chHalf) {
                    const int32_t u = row[fx];
                    for (int32_t c = 0; c < kConv1chHalf; ++c) sums[c] += u * taps[c];
                }
            }
            for (int32_t c = 0; c < kConv1chHalf; ++c) out[c] = (k == 0 || sums[c] > out[c]) ? sums[c] : out[c];
        }
    }
}

void conv2d_1ch_int8(const ConvGeometry& g, const Requantize& rq, const Shape4& in, int8_t* input, const Conv1chWeights& w,
                     const Shape4& out, int8_t* output, Conv1chInput use) {
    const SignFlip flip(input, in.n * in.h * in.w, use);
    const auto* u = reinterpret_cast<const uint8_t*>(input);
    const int32_t group_taps = w.filter_h * kConv1chTapsPerRow * kConv1chGroup;
    const int32_t single[1] = {0};
    for (int32_t grp = 0; grp < w.groups; ++grp) {
        ChannelScale scale[kConv1chGroup];
        group_scales(rq, w, grp, scale);
        Conv1chWindows windows{nullptr, w.taps + grp * group_taps, in.w, w.filter_h, single, 1};
        for (int32_t b = 0; b < out.n; ++b) {
            for (int32_t oy = 0; oy < out.h; ++oy) {
                for (int32_t ox = 0; ox < out.w; ++ox) {
                    int32_t acc[kConv1chGroup];
                    windows.base = u + (b * in.h + oy * g.stride_h) * in.w + ox * g.stride_w;
                    max_of_windows(windows, acc);
                    int8_t* dst = output + ((b * out.h + oy) * out.w + ox) * out.c + grp * kConv1chGroup;
                    for (int32_t c = 0; c < kConv1chGroup; ++c) dst[c] = static_cast<int8_t>(requantize_scaled(acc[c], scale[c], rq));
                }
            }
        }
    }
}

void conv2d_1ch_max_pool_int8(const ConvGeometry& g, const Requantize& rq, const Shape4& in, int8_t* input, const Conv1chWeights& w,
                              const PoolGeometry& pool, const Shape4& pooled, int8_t* output, Conv1chInput use) {
    const SignFlip flip(input, in.n * in.h * in.w, use);
    const auto* u = reinterpret_cast<const uint8_t*>(input);
    const int32_t group_taps = w.filter_h * kConv1chTapsPerRow * kConv1chGroup;
    // Where each cell of a pool window starts, relative to its first: conv output (i, j) of the
    // cell reads the input from row i * stride_h, column j * stride_w on.
    int32_t offsets[kConv1chMaxWindows];
    const int32_t cells = pool.filter_h * pool.filter_w;
    for (int32_t i = 0; i < pool.filter_h; ++i) {
        for (int32_t j = 0; j < pool.filter_w; ++j) offsets[i * pool.filter_w + j] = i * g.stride_h * in.w + j * g.stride_w;
    }
    for (int32_t grp = 0; grp < w.groups; ++grp) {
        ChannelScale scale[kConv1chGroup];  // the group's requantization, looked up once
        group_scales(rq, w, grp, scale);
        Conv1chWindows windows{nullptr, w.taps + grp * group_taps, in.w, w.filter_h, offsets, cells};
        for (int32_t b = 0; b < pooled.n; ++b) {
            for (int32_t py = 0; py < pooled.h; ++py) {
                for (int32_t px = 0; px < pooled.w; ++px) {
                    int32_t best[kConv1chGroup];
                    windows.base = u + (b * in.h + py * pool.stride_h * g.stride_h) * in.w + px * pool.stride_w * g.stride_w;
                    max_of_windows(windows, best);
                    int8_t* dst = output + ((b * pooled.h + py) * pooled.w + px) * pooled.c + grp * kConv1chGroup;
                    for (int32_t c = 0; c < kConv1chGroup; ++c) {
                        dst[c] = static_cast<int8_t>(clamp32(requantize_scaled(best[c], scale[c], rq), pool.act_min, pool.act_max));
                    }
                }
            }
        }
    }
}

}  // namespace earshot::nn

#include "core/nn/conv1ch.hpp"

#if defined(__ARM_ARCH_6M__)
// conv1ch_window_armv6m.S
extern "C" void earshot_conv1ch_window_armv6m(const uint8_t* window, const int32_t* taps, int32_t row_stride, int32_t* acc,
                                              int32_t filter_h);
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

// Restores the input on every return path.
struct SignFlip {
    int8_t* data;
    int32_t count;
    SignFlip(int8_t* d, int32_t n) : data(d), count(n) { flip_sign_bits(data, count); }
    ~SignFlip() { flip_sign_bits(data, count); }
    SignFlip(const SignFlip&) = delete;
    SignFlip& operator=(const SignFlip&) = delete;
};

// One channel's requantization with its shift split and its bias, worked out once per call.
struct ChannelScale {
    int32_t multiplier, left, right, bias;
};

ChannelScale channel_scale(const Requantize& rq, int32_t channel, int32_t bias) {
    const int32_t i = rq.per_channel ? channel : 0;
    const int32_t shift = rq.shift[i];
    return {rq.multiplier[i], shift > 0 ? shift : 0, shift > 0 ? 0 : -shift, bias};
}

// requantize(acc + bias, rq, channel), with the channel's constants already looked up.
inline int32_t requantize_scaled(int32_t acc, const ChannelScale& s, const Requantize& rq) {
    const int32_t shifted = static_cast<int32_t>(static_cast<uint32_t>(acc + s.bias) << s.left);
    const int32_t v = rounding_divide_by_pot(saturating_rounding_doubling_high_mul(shifted, s.multiplier), s.right);
    return clamp32(v + rq.output_offset, rq.act_min, rq.act_max);
}

void group_scales(const Requantize& rq, const Conv1chWeights& w, int32_t group, ChannelScale scale[kConv1chGroup]) {
    for (int32_t c = 0; c < kConv1chGroup; ++c) scale[c] = channel_scale(rq, group * kConv1chGroup + c, w.bias[group * kConv1chGroup + c]);
}

inline void window_sums(const uint8_t* window, int32_t row_stride, const int32_t* taps, int32_t filter_h, int32_t acc[kConv1chGroup]) {
#if defined(__ARM_ARCH_6M__)
    earshot_conv1ch_window_armv6m(window, taps, row_stride, acc, filter_h);
#else
    conv1ch_window(window, row_stride, taps, filter_h, acc);
#endif
}

}  // namespace

void conv1ch_window(const uint8_t* window, int32_t row_stride, const int32_t* taps, int32_t filter_h, int32_t acc[kConv1chGroup]) {
    for (int32_t half = 0; half < kConv1chGroup / kConv1chHalf; ++half) {
        int32_t* sums = acc + half * kConv1chHalf;
        for (int32_t c = 0; c < kConv1chHalf; ++c) sums[c] = 0;
        const uint8_t* row = window;
        for (int32_t fy = 0; fy < filter_h; ++fy, row += row_stride) {
            for (int32_t fx = 0; fx < kConv1chTapsPerRow; ++fx, taps += kConv1chHalf) {
                const int32_t u = row[fx];
                for (int32_t c = 0; c < kConv1chHalf; ++c) sums[c] += u * taps[c];
            }
        }
    }
}

void conv2d_1ch_int8(const ConvGeometry& g, const Requantize& rq, const Shape4& in, int8_t* input, const Conv1chWeights& w,
                     const Shape4& out, int8_t* output) {
    const SignFlip flip(input, in.n * in.h * in.w);
    const auto* u = reinterpret_cast<const uint8_t*>(input);
    const int32_t group_taps = w.filter_h * kConv1chTapsPerRow * kConv1chGroup;
    for (int32_t grp = 0; grp < w.groups; ++grp) {
        ChannelScale scale[kConv1chGroup];
        group_scales(rq, w, grp, scale);
        const int32_t* taps = w.taps + grp * group_taps;
        for (int32_t b = 0; b < out.n; ++b) {
            for (int32_t oy = 0; oy < out.h; ++oy) {
                for (int32_t ox = 0; ox < out.w; ++ox) {
                    int32_t acc[kConv1chGroup];
                    window_sums(u + (b * in.h + oy * g.stride_h) * in.w + ox * g.stride_w, in.w, taps, w.filter_h, acc);
                    int8_t* dst = output + ((b * out.h + oy) * out.w + ox) * out.c + grp * kConv1chGroup;
                    for (int32_t c = 0; c < kConv1chGroup; ++c) dst[c] = static_cast<int8_t>(requantize_scaled(acc[c], scale[c], rq));
                }
            }
        }
    }
}

void conv2d_1ch_max_pool_int8(const ConvGeometry& g, const Requantize& rq, const Shape4& in, int8_t* input, const Conv1chWeights& w,
                              const PoolGeometry& pool, const Shape4& pooled, int8_t* output) {
    const SignFlip flip(input, in.n * in.h * in.w);
    const auto* u = reinterpret_cast<const uint8_t*>(input);
    const int32_t group_taps = w.filter_h * kConv1chTapsPerRow * kConv1chGroup;
    for (int32_t grp = 0; grp < w.groups; ++grp) {
        ChannelScale scale[kConv1chGroup];  // the group's requantization, looked up once
        group_scales(rq, w, grp, scale);
        const int32_t* taps = w.taps + grp * group_taps;
        for (int32_t b = 0; b < pooled.n; ++b) {
            for (int32_t py = 0; py < pooled.h; ++py) {
                for (int32_t px = 0; px < pooled.w; ++px) {
                    int32_t acc[kConv1chGroup], best[kConv1chGroup];
                    for (int32_t i = 0; i < pool.filter_h; ++i) {
                        for (int32_t j = 0; j < pool.filter_w; ++j) {
                            const int32_t oy = py * pool.stride_h + i, ox = px * pool.stride_w + j;
                            const uint8_t* window = u + (b * in.h + oy * g.stride_h) * in.w + ox * g.stride_w;
                            window_sums(window, in.w, taps, w.filter_h, (i | j) == 0 ? best : acc);
                            if ((i | j) == 0) continue;
                            for (int32_t c = 0; c < kConv1chGroup; ++c) best[c] = acc[c] > best[c] ? acc[c] : best[c];
                        }
                    }
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

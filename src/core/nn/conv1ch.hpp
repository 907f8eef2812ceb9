// A fast path for convolutions like the reference model's: one input channel, filters 8 taps
// wide, output channels in groups of 8, no dilation and no padding under any window. The
// generic conv2d_int8 computes the same values; this one is arranged for the Cortex-M0+:
//  - the 8 channels of a group are done as two halves of 4 whose accumulators stay in
//    registers, each input byte multiplied into 4 channels whose weights come in one load-
//    multiple, and the windows of a pool cell are reduced to their maximum in the same loop
//    (ARMv6-M assembly on the device, conv1ch_max_of_windows() in C++ elsewhere; the two are
//    compared bit for bit on the emulated board);
//  - the input is read as unsigned bytes u = x + 128 (its sign bit flipped in place for the
//    duration of the call), so a load needs no sign extension, and the constant part of
//    sum(w * (x + input_offset)) = sum(w * u) + (input_offset - 128) * sum(w) is folded into the
//    bias on the host (Conv1chWeights);
//  - a following max pool can be fused: requantization is monotonic, so the pooled value is the
//    requantized maximum accumulator, and conv outputs no window reads are never computed.
#pragma once
#include <cstdint>

#include "core/nn/kernels.hpp"

namespace earshot::nn {

inline constexpr int32_t kConv1chTapsPerRow = 8;
inline constexpr int32_t kConv1chGroup = 8;
inline constexpr int32_t kConv1chHalf = 4;

// Weights repacked by the host: for each group of 8 output channels, for each half (channels
// 0-3, then 4-7), for each filter tap in row-major order, the 4 channels' weights as int32
// (groups * 2 * kh * 8 * 4 values); bias[oc] is the layer's bias plus
// (input_offset - 128) * sum of channel oc's weights.
struct Conv1chWeights {
    const int32_t* taps = nullptr;
    const int32_t* bias = nullptr;
    int32_t filter_h = 0;
    int32_t groups = 0;
};

// Windows of one input channel that share weights: window k starts at base + offsets[k], has
// filter_h rows of 8 bytes, row_stride apart (the windows a max pool reads from one conv
// output cell, or a single window with offset 0).
struct Conv1chWindows {
    const uint8_t* base;
    const int32_t* taps;  // one group: [2 halves][filter_h * 8 taps][4 channels]
    int32_t row_stride;
    int32_t filter_h;
    const int32_t* offsets;
    int32_t count;        // >= 1
};
inline constexpr int32_t kConv1chMaxWindows = 64;

// best[h * 4 + c] = the largest over the windows of sum(u * taps[h][tap][c]) for the window's
// bytes u. The device runs ARMv6-M assembly (conv1ch_windows_armv6m.S); this is its C++ twin.
void conv1ch_max_of_windows(const Conv1chWindows& w, int32_t best[kConv1chGroup]);

// What happens to the input, whose sign bits the call flips: restored before returning, or left
// flipped when nothing reads it afterwards (the compiler knows).
enum class Conv1chInput : uint8_t { restore, consume };

// The conv alone: out = requantize(acc + bias) for every output position.
void conv2d_1ch_int8(const ConvGeometry& g, const Requantize& rq, const Shape4& in, int8_t* input, const Conv1chWeights& w,
                     const Shape4& out, int8_t* output, Conv1chInput use = Conv1chInput::restore);

// The conv followed by a VALID max pool (pad 0) of at most kConv1chMaxWindows cells: only the
// conv outputs the pool reads are computed, and the pool's output is written directly.
void conv2d_1ch_max_pool_int8(const ConvGeometry& g, const Requantize& rq, const Shape4& in, int8_t* input, const Conv1chWeights& w,
                              const PoolGeometry& pool, const Shape4& pooled, int8_t* output, Conv1chInput use = Conv1chInput::restore);

}  // namespace earshot::nn

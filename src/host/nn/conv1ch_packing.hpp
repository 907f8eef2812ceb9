// Host side of the single-input-channel conv fast path (core/nn/conv1ch.hpp): which planned
// convolutions can take it, which following max pools can be fused into it, and the weights
// repacked for it.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "host/nn/plan.hpp"

namespace earshot::nn {

struct Conv1chPacking {
    std::vector<int32_t> taps;  // [groups][2 halves][filter_h * 8 taps][4 channels]
    std::vector<int32_t> bias;  // bias + (input_offset - 128) * sum(w), per output channel
    int32_t filter_h = 0, groups = 0;
};

// Repacks filters [out_c, kh, 8, 1] (out_c a multiple of 8) and an optional bias; nullopt if a
// folded bias does not fit in int32.
std::optional<Conv1chPacking> pack_conv1ch(const int8_t* filter, const Shape4& filter_shape, const int32_t* bias, int32_t input_offset);

// One input channel, 8-wide filters, output channels a multiple of 8, no dilation, every
// window inside the input, and the folded bias fits in int32.
bool conv1ch_applies(const Plan& plan, const PlannedOp& conv);
Conv1chPacking pack_conv1ch(const Plan& plan, const PlannedOp& conv);

// ops[index] takes the fast path and ops[index + 1] is a VALID max pool of at most 64 cells
// that alone reads its output.
bool conv1ch_fuses_max_pool(const Plan& plan, size_t index);

// The fused pool's output shares arena bytes with the conv's input (the planner reused the
// input's space): the fused kernel must then write to a scratch buffer first.
bool conv1ch_pool_output_overlaps_input(const Plan& plan, size_t index);

// No operator after ops[index] reads its input and it is not the model's input or output, so
// the fast path may leave its sign bits flipped.
bool conv1ch_input_is_dead_after(const Plan& plan, size_t index);

}  // namespace earshot::nn

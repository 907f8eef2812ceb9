// The host's CONV_2D: the portable kernel's exact result (int32 sums, the same requantization)
// computed as int16 dot products over an im2col buffer, which the compiler vectorizes
// (pmaddwd on x86-64). Streaming evaluation runs the model ~31 times per audio second, so this
// is where host evaluation spends its time. Tested equal to core's conv2d_int8 on random shapes.
#pragma once
#include "core/nn/kernels.hpp"

namespace earshot::nn {

void conv2d_int8_host(const ConvGeometry& g, int32_t input_offset, const Requantize& rq, const Shape4& in, const int8_t* input,
                      const Shape4& filter, const int8_t* filter_data, const int32_t* bias, const Shape4& out, int8_t* output);

}  // namespace earshot::nn

// int8 ADD and MUL with TFLite's integer semantics and broadcasting over up to 4 dimensions
// (a dimension of size 1 in one input repeats against the other).
#pragma once
#include <cstdint>

#include "core/nn/kernels.hpp"

namespace earshot::nn {

struct AddParams {
    int32_t input1_offset = 0, input2_offset = 0, output_offset = 0;
    int32_t left_shift = 20;  // both inputs are first scaled up by 2^20
    int32_t input1_multiplier = 0, input1_shift = 0;
    int32_t input2_multiplier = 0, input2_shift = 0;
    int32_t output_multiplier = 0, output_shift = 0;
    int32_t act_min = -128, act_max = 127;
};

struct MulParams {
    int32_t input1_offset = 0, input2_offset = 0, output_offset = 0;
    int32_t output_multiplier = 0, output_shift = 0;
    int32_t act_min = -128, act_max = 127;
};

// Shapes are NHWC with size-1 dimensions broadcast; `out` is their elementwise maximum.
void add_int8(const AddParams& p, const Shape4& in1, const int8_t* a, const Shape4& in2, const int8_t* b, const Shape4& out, int8_t* y);
void mul_int8(const MulParams& p, const Shape4& in1, const int8_t* a, const Shape4& in2, const int8_t* b, const Shape4& out, int8_t* y);

}  // namespace earshot::nn

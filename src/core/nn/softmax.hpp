// int8 SOFTMAX as TFLite computes it: per row, differences from the row maximum rescaled to
// q5.26, gemmlowp's fixed-point exp, a q12 sum, a fixed-point reciprocal, and outputs with
// scale 1/256 and zero point -128.
#pragma once
#include <cstdint>

namespace earshot::nn {

struct SoftmaxParams {
    int32_t input_multiplier = 0;  // beta * input_scale into q5.26, as multiplier and left shift
    int32_t input_left_shift = 0;
    int32_t diff_min = 0;          // differences below this give exp = 0
};

// input and output: [rows, depth].
void softmax_int8(const SoftmaxParams& p, int32_t rows, int32_t depth, const int8_t* input, int8_t* output);

// Re-quantizes int8 to int8 (QUANTIZE between two int8 tensors).
struct RequantizeParams {
    int32_t input_zero_point = 0, output_zero_point = 0;
    int32_t multiplier = 0, shift = 0;
};
void requantize_int8(const RequantizeParams& p, int32_t size, const int8_t* input, int8_t* output);

}  // namespace earshot::nn

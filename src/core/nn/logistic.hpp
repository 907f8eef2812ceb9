// int8 LOGISTIC as TFLite Micro computes it: rescale the input to a q4.27 fixed-point value,
// evaluate 1 / (1 + e^-x) with gemmlowp's fixed-point exp (Taylor + barrel shifter) and
// Newton-Raphson reciprocal, and map [0, 1) to int8 with output scale 1/256, zero point -128.
#pragma once
#include <cstdint>

namespace earshot::nn {

struct LogisticParams {
    int32_t input_zero_point = 0;
    int32_t input_range_radius = 0;  // |input - zp| at or beyond this saturates
    int32_t input_multiplier = 0;
    int32_t input_left_shift = 0;
};

// logistic(x) for x in q4.27 (raw int32), result in q0.31.
int32_t logistic_q4_27(int32_t x);

void logistic_int8(const LogisticParams& p, int32_t size, const int8_t* input, int8_t* output);

}  // namespace earshot::nn

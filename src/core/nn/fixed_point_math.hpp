// gemmlowp's fixed-point transcendental functions, as TFLite's integer LOGISTIC and SOFTMAX
// use them, on raw int32 values. A value "in q<m>" has m integer bits and 31 - m fraction bits.
#pragma once
#include <cstdint>

namespace earshot::nn {

// e^a for a <= 0 in q<integer_bits>; result in q0 (1.0 reads as INT32_MAX).
int32_t exp_on_negative_values(int32_t a, int integer_bits);

// 1 / (1 + a) for a in [0, 1) in q0; result in q0.
int32_t one_over_one_plus_x(int32_t a);

// TFLite's GetReciprocal: for x in q<integer_bits>, returns 1/x scaled into q0 and the extra
// power of two (`bits_over_unit`) the caller shifts by.
int32_t reciprocal(int32_t x, int integer_bits, int* bits_over_unit);

// x * 2^exponent: saturating for a left shift, rounding (half away from zero) for a right one.
int32_t multiply_by_pot(int32_t x, int exponent);

}  // namespace earshot::nn

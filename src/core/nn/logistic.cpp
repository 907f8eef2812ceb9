#include "core/nn/logistic.hpp"

#include "core/nn/fixed_point.hpp"

namespace earshot::nn {
namespace {

// Raw int32 fixed-point helpers; a "qM" value has M integer bits and 31 - M fraction bits.
inline int32_t add(int32_t a, int32_t b) { return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b)); }
inline int32_t sub(int32_t a, int32_t b) { return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b)); }
inline int32_t mul(int32_t a, int32_t b) { return saturating_rounding_doubling_high_mul(a, b); }  // qA * qB -> q(A+B)

// x * 2^exponent, saturating when shifting left and rounding when shifting right.
inline int32_t multiply_by_pot(int32_t x, int exponent) {
    if (exponent < 0) return rounding_divide_by_pot(x, -exponent);
    if (exponent == 0) return x;
    const int32_t threshold = (int32_t{1} << (31 - exponent)) - 1;
    if (x > threshold) return INT32_MAX;
    if (x < -threshold) return INT32_MIN;
    return static_cast<int32_t>(static_cast<uint32_t>(x) << exponent);
}

inline int32_t rounding_half_sum(int32_t a, int32_t b) {
    const int64_t sum = int64_t{a} + b;
    return static_cast<int32_t>((sum + (sum >= 0 ? 1 : -1)) / 2);
}

constexpr int32_t kOneQ0 = INT32_MAX;  // 1.0 is not representable in q0.31: the largest value stands in

// e^a for a in [-1/4, 0), q0 in and out: Taylor series around -1/8.
int32_t exp_on_quarter_interval(int32_t a) {
    constexpr int32_t kExpMinusEighth = 1895147668;  // e^(-1/8)
    constexpr int32_t kOneThird = 715827883;
    const int32_t x = add(a, int32_t{1} << 28);      // x = a + 1/8
    const int32_t x2 = mul(x, x), x3 = mul(x2, x), x4 = mul(x2, x2);
    const int32_t x4_over_4 = multiply_by_pot(x4, -2);
    const int32_t poly = multiply_by_pot(add(mul(add(x4_over_4, x3), kOneThird), x2), -1);  // x^4/24 + x^3/6 + x^2/2
    return add(kExpMinusEighth, mul(kExpMinusEighth, add(x, poly)));
}

// e^a for a <= 0 given in q4.27, result q0.
int32_t exp_on_negative_q4(int32_t a) {
    constexpr int kFractionBits = 27;
    constexpr int32_t kQuarter = int32_t{1} << (kFractionBits - 2);
    const int32_t a_mod_quarter_minus_quarter = sub(a & (kQuarter - 1), kQuarter);
    int32_t result = exp_on_quarter_interval(multiply_by_pot(a_mod_quarter_minus_quarter, 4));  // q4 -> q0
    const int32_t remainder = sub(a_mod_quarter_minus_quarter, a);
    // Multiply in e^(-2^k) for every bit of the remaining whole quarters.
    static constexpr struct { int exponent; int32_t factor; } kBarrel[] = {
        {-2, 1672461947}, {-1, 1302514674}, {0, 790015084}, {1, 290630308}, {2, 39332535}, {3, 720401}};
    for (const auto& step : kBarrel) {
        if (remainder & (int32_t{1} << (kFractionBits + step.exponent))) result = mul(result, step.factor);
    }
    return a == 0 ? kOneQ0 : result;
}

// 1 / (1 + a) for a in (0, 1), q0: three Newton-Raphson steps from 48/17 - 32/17 d.
int32_t one_over_one_plus(int32_t a) {
    constexpr int32_t k48Over17 = 1515870810;    // q2
    constexpr int32_t kNeg32Over17 = -1010580540;  // q2
    constexpr int32_t kOneQ2 = int32_t{1} << 29;
    const int32_t half_denominator = rounding_half_sum(a, kOneQ0);
    int32_t x = add(k48Over17, mul(half_denominator, kNeg32Over17));
    for (int i = 0; i < 3; ++i) {
        const int32_t one_minus_dx = sub(kOneQ2, mul(half_denominator, x));
        x = add(x, multiply_by_pot(mul(x, one_minus_dx), 2));  // q4 -> q2
    }
    return multiply_by_pot(x, 1);  // x / 2 read as q1, then q1 -> q0
}

}  // namespace

int32_t logistic_q4_27(int32_t x) {
    if (x == 0) return int32_t{1} << 30;  // exactly one half
    const bool positive = x > 0;
    const int32_t magnitude = positive ? x : sub(0, x);
    const int32_t of_positive = one_over_one_plus(exp_on_negative_q4(sub(0, magnitude)));
    return positive ? of_positive : sub(kOneQ0, of_positive);
}

void logistic_int8(const LogisticParams& p, int32_t size, const int8_t* input, int8_t* output) {
    constexpr int kOutputIntegerBits = 8;
    for (int32_t i = 0; i < size; ++i) {
        const int32_t x = int32_t{input[i]} - p.input_zero_point;
        if (x <= -p.input_range_radius) {
            output[i] = -128;
        } else if (x >= p.input_range_radius) {
            output[i] = 127;
        } else {
            const int32_t q4 = multiply_by_quantized_multiplier(x, p.input_multiplier, p.input_left_shift);
            const int32_t q23 = rounding_divide_by_pot(logistic_q4_27(q4), 31 - kOutputIntegerBits);
            output[i] = static_cast<int8_t>(clamp32(q23 - 128, -128, 127));
        }
    }
}

}  // namespace earshot::nn

#include "core/nn/fixed_point_math.hpp"

#include "core/bits.hpp"
#include "core/nn/fixed_point.hpp"

namespace earshot::nn {
namespace {

constexpr auto add = wrapping_add;
constexpr auto sub = wrapping_sub;
inline int32_t mul(int32_t a, int32_t b) { return saturating_rounding_doubling_high_mul(a, b); }  // qA * qB -> q(A+B)

inline int32_t rounding_half_sum(int32_t a, int32_t b) {
    const int64_t sum = int64_t{a} + b;
    return static_cast<int32_t>((sum + (sum >= 0 ? 1 : -1)) / 2);
}

constexpr int32_t kOneQ0 = INT32_MAX;

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

}  // namespace

int32_t multiply_by_pot(int32_t x, int exponent) {
    if (exponent < 0) return rounding_divide_by_pot(x, -exponent);
    if (exponent == 0) return x;
    const int32_t threshold = (int32_t{1} << (31 - exponent)) - 1;
    if (x > threshold) return INT32_MAX;
    if (x < -threshold) return INT32_MIN;
    return static_cast<int32_t>(static_cast<uint32_t>(x) << exponent);
}

int32_t exp_on_negative_values(int32_t a, int integer_bits) {
    const int fraction_bits = 31 - integer_bits;
    const int32_t quarter = int32_t{1} << (fraction_bits - 2);
    const int32_t a_mod_quarter_minus_quarter = sub(a & (quarter - 1), quarter);
    int32_t result = exp_on_quarter_interval(multiply_by_pot(a_mod_quarter_minus_quarter, integer_bits));  // -> q0
    const int32_t remainder = sub(a_mod_quarter_minus_quarter, a);
    // Multiply in e^(-2^k) for every set bit of the remaining whole quarters.
    static constexpr struct { int exponent; int32_t factor; } kBarrel[] = {
        {-2, 1672461947}, {-1, 1302514674}, {0, 790015084}, {1, 290630308}, {2, 39332535}, {3, 720401}, {4, 242}};
    for (const auto& step : kBarrel) {
        if (integer_bits > step.exponent && (remainder & (int32_t{1} << (fraction_bits + step.exponent)))) result = mul(result, step.factor);
    }
    if (integer_bits > 5 && a < -(int32_t{1} << (36 - integer_bits))) result = 0;  // below -32: e^a rounds to 0
    return a == 0 ? kOneQ0 : result;
}

int32_t one_over_one_plus_x(int32_t a) {
    constexpr int32_t k48Over17 = 1515870810;      // q2
    constexpr int32_t kNeg32Over17 = -1010580540;  // q2
    constexpr int32_t kOneQ2 = int32_t{1} << 29;
    const int32_t half_denominator = rounding_half_sum(a, kOneQ0);
    int32_t x = add(k48Over17, mul(half_denominator, kNeg32Over17));  // Newton-Raphson start
    for (int i = 0; i < 3; ++i) {
        const int32_t one_minus_dx = sub(kOneQ2, mul(half_denominator, x));
        x = add(x, multiply_by_pot(mul(x, one_minus_dx), 2));  // q4 -> q2
    }
    return multiply_by_pot(x, 1);  // x / 2 read as q1, then q1 -> q0
}

int32_t reciprocal(int32_t x, int integer_bits, int* bits_over_unit) {
    const int headroom_plus_one = count_leading_zeros(static_cast<uint32_t>(x));
    *bits_over_unit = integer_bits - headroom_plus_one;
    const int32_t shifted_minus_one = static_cast<int32_t>((static_cast<uint32_t>(x) << headroom_plus_one) - (uint32_t{1} << 31));
    return one_over_one_plus_x(shifted_minus_one);
}

}  // namespace earshot::nn

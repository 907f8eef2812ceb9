// Compile-time sine and cosine of a rational fraction of a full turn, used to build the
// window and FFT twiddle tables as constants (the device never evaluates a float).
#pragma once
#include <cstdint>

namespace earshot::dsp::detail {

// sin(x) for |x| <= pi/4 by its Taylor series; 12 terms reach double precision.
constexpr double sin_small(double x) {
    double term = x, sum = x;
    for (int k = 1; k < 12; ++k) {
        term *= -x * x / ((2.0 * k) * (2.0 * k + 1.0));
        sum += term;
    }
    return sum;
}

constexpr double cos_small(double x) {
    double term = 1.0, sum = 1.0;
    for (int k = 1; k < 12; ++k) {
        term *= -x * x / ((2.0 * k - 1.0) * (2.0 * k));
        sum += term;
    }
    return sum;
}

// sin(2*pi*k/n). Octant symmetry keeps the series argument small and makes the values at
// multiples of a quarter turn exactly 0 or +-1 (so 0.5 * (1 - cos) is exactly 0.5 there).
constexpr double sin_turn(int64_t k, int64_t n) {
    constexpr double kPi = 3.14159265358979323846;
    int64_t m = ((k % n) + n) % n;  // m / n in [0, 1)
    // Work in eighths of a turn: m/n = (octant + f) / 8 with f in [0, 1).
    int64_t scaled = 8 * m;
    int64_t octant = scaled / n;
    int64_t rem = scaled % n;  // f = rem / n
    double f = static_cast<double>(rem) / static_cast<double>(n);
    double a = f * kPi / 4.0;          // angle past the octant's start
    double b = (1.0 - f) * kPi / 4.0;  // angle before the octant's end
    switch (octant) {
        case 0: return sin_small(a);
        case 1: return cos_small(b);
        case 2: return cos_small(a);
        case 3: return sin_small(b);
        case 4: return -sin_small(a);
        case 5: return -cos_small(b);
        case 6: return -cos_small(a);
        default: return -sin_small(b);
    }
}

constexpr double cos_turn(int64_t k, int64_t n) { return sin_turn(4 * k + n, 4 * n); }

// Float to q15 with round-half-away and saturation (how CMSIS generated its FFT tables).
constexpr int16_t round_to_q15(double x) {
    double s = x * 32768.0;
    double r = s >= 0 ? static_cast<double>(static_cast<int64_t>(s + 0.5))
                      : -static_cast<double>(static_cast<int64_t>(-s + 0.5));
    if (r > 32767.0) return INT16_MAX;
    if (r < -32768.0) return INT16_MIN;
    return static_cast<int16_t>(r);
}

// Float to q15 rounding toward minus infinity, with saturation. CMSIS-DSP's q15 CFFT twiddle
// table holds these values (floor, not round): only this choice reproduces the golden vectors.
constexpr int16_t floor_to_q15(double x) {
    double s = x * 32768.0;
    if (s >= 32767.0) return INT16_MAX;
    if (s <= -32768.0) return INT16_MIN;
    int32_t f = static_cast<int32_t>(s);
    if (static_cast<double>(f) > s) --f;
    return static_cast<int16_t>(f);
}

// Float to q15 by truncation toward zero and saturation (arm_float_to_q15 without rounding).
constexpr int16_t truncate_to_q15(double x) {
    double s = x * 32768.0;
    if (s >= 32767.0) return INT16_MAX;
    if (s <= -32768.0) return INT16_MIN;
    return static_cast<int16_t>(static_cast<int32_t>(s));
}

}  // namespace earshot::dsp::detail

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "core/dsp/magnitude_q15.hpp"

using namespace earshot::dsp;

namespace {

// The documented CMSIS arm_sqrt_q15 algorithm evaluated with real float32 arithmetic, to
// check the integer-only device version against: normalise, take the 0x5f3759df guess of
// 1/sqrt from the float's bits, three q15 Newton steps, multiply back, denormalise.
int16_t sqrt_q15_with_float(int16_t in) {
    if (in <= 0) return 0;
    int sign_bits = __builtin_clz(static_cast<unsigned>(in)) - 17;
    const int shift = sign_bits % 2 == 0 ? sign_bits : sign_bits - 1;
    const int16_t number = static_cast<int16_t>(in << shift);
    const int16_t half = static_cast<int16_t>(number >> 1);
    float f = static_cast<float>(number) * 3.0517578125e-05f;
    int32_t bits;
    std::memcpy(&bits, &f, 4);
    bits = 0x5f3759df - (bits >> 1);
    std::memcpy(&f, &bits, 4);
    auto q15 = [](int32_t v) { return static_cast<int16_t>(v); };
    int16_t y = q15(static_cast<int32_t>(f * 16384));
    for (int i = 0; i < 3; ++i) {
        const int16_t y2 = q15((int32_t{y} * y) >> 15);
        const int16_t t = q15((int32_t{y2} * half) >> 15);
        y = q15(q15((int32_t{y} * (0x3000 - t)) >> 15) * 4);
    }
    const int16_t r = q15(q15((int32_t{number} * y) >> 15) * 2);
    return static_cast<int16_t>(r >> (shift / 2));
}

}  // namespace

TEST(SqrtQ15, IntegerVersionEqualsFloatAlgorithmOnEveryInput) {
    for (int x = -32768; x <= 32767; ++x) {
        ASSERT_EQ(sqrt_q15_cmsis(static_cast<int16_t>(x)), sqrt_q15_with_float(static_cast<int16_t>(x))) << "x = " << x;
    }
}

TEST(SqrtQ15, CloseToTrueSquareRoot) {
    for (int x = 1; x <= 32767; ++x) {
        const double expected = std::sqrt(x / 32768.0) * 32768.0;
        ASSERT_NEAR(sqrt_q15_cmsis(static_cast<int16_t>(x)), expected, 2.5 + expected * 1e-3) << x;
    }
}

TEST(Isqrt, FloorSquareRootExhaustiveEdgesAndRandom) {
    std::mt19937 rng(3);
    std::vector<uint32_t> values = {0, 1, 2, 3, 4, 15, 16, 17, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu};
    for (int i = 0; i < 100000; ++i) values.push_back(rng());
    for (uint32_t r = 0; r < 65536; r += 97) values.insert(values.end(), {r * r, r * r - 1, r * r + 1});
    for (uint32_t v : values) {
        const uint64_t r = isqrt_u32(v);
        ASSERT_LE(r * r, v) << v;
        ASSERT_GT((r + 1) * (r + 1), v) << v;
    }
}

TEST(Magnitude, ExactModeIsRoundedHalfHypot) {
    std::mt19937 rng(5);
    std::uniform_int_distribution<int> d(-32768, 32767);
    for (int i = 0; i < 200000; ++i) {
        const auto re = static_cast<int16_t>(d(rng)), im = static_cast<int16_t>(d(rng));
        const double h = std::hypot(static_cast<double>(re), static_cast<double>(im)) / 2.0;
        ASSERT_LE(std::abs(magnitude_q15(re, im, MagnitudeMode::exact) - h), 0.5 + 1e-9) << re << "," << im;
    }
}

TEST(Magnitude, Cmsis58Behaviour) {
    EXPECT_EQ(magnitude_q15(0, 0, MagnitudeMode::cmsis58), 0);
    EXPECT_EQ(magnitude_q15(255, 255, MagnitudeMode::cmsis58), 0);  // 130050 >> 17 == 0: quiet bins vanish
    EXPECT_EQ(magnitude_q15(16384, 0, MagnitudeMode::cmsis58), sqrt_q15_cmsis(16384 * 16384 >> 17));
    // (-32768)^2 * 2 overflows the reference's int32 sum and wraps negative: result 0.
    EXPECT_EQ(magnitude_q15(-32768, -32768, MagnitudeMode::cmsis58), 0);
    EXPECT_EQ(magnitude_q15(-32768, -32768, MagnitudeMode::exact), 23170);
}

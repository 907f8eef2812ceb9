#include <gtest/gtest.h>

#include <cmath>

#include "core/dsp/hann_window.hpp"
#include "core/dsp/q15.hpp"
#include "core/dsp/turns.hpp"

using namespace earshot::dsp;

TEST(Q15Math, MultiplyTruncatesAndSaturates) {
    EXPECT_EQ(mult_q15(16384, 16384), 8192);           // 0.5 * 0.5
    EXPECT_EQ(mult_q15(-32768, -32768), 32767);        // 1.0 does not fit: saturate
    EXPECT_EQ(mult_q15(3, 16384), 1);                  // 1.5 truncates toward -inf
    EXPECT_EQ(mult_q15(-3, 16384), -2);                // -1.5 -> -2 (arithmetic shift)
    EXPECT_EQ(mult_q15(32767, -32768), -32767);
}

TEST(Q15Math, WrapKeepsLow16Bits) {
    EXPECT_EQ(wrap_q15(32768), -32768);
    EXPECT_EQ(wrap_q15(65535), -1);
    EXPECT_EQ(wrap_q15(-32769), 32767);
    EXPECT_EQ(wrap_q31(int64_t{1} << 31), INT32_MIN);
}

TEST(Q15Math, CompileTimeSineMatchesLibm) {
    for (int n : {7, 128, 256, 1000}) {
        for (int k = -n; k <= 2 * n; ++k) {
            const int r = ((k % n) + n) % n;  // libm is most accurate on the reduced angle
            EXPECT_NEAR(detail::sin_turn(k, n), std::sin(2.0 * M_PI * r / n), 2e-15) << k << "/" << n;
            EXPECT_NEAR(detail::cos_turn(k, n), std::cos(2.0 * M_PI * r / n), 2e-15) << k << "/" << n;
        }
    }
    // Quarter turns are exact, which the window's w[64] == 0.5 depends on.
    EXPECT_EQ(detail::cos_turn(64, 256), 0.0);
    EXPECT_EQ(detail::sin_turn(64, 256), 1.0);
    EXPECT_EQ(detail::cos_turn(128, 256), -1.0);
}

TEST(Q15Math, FloatToQ15Conversions) {
    EXPECT_EQ(detail::round_to_q15(1.0), 32767);
    EXPECT_EQ(detail::round_to_q15(-1.0), -32768);
    EXPECT_EQ(detail::round_to_q15(0.5 / 32768.0), 1);     // half rounds away from zero
    EXPECT_EQ(detail::round_to_q15(-0.5 / 32768.0), -1);
    EXPECT_EQ(detail::truncate_to_q15(-1.7 / 32768.0), -1);
    EXPECT_EQ(detail::floor_to_q15(-1.2 / 32768.0), -2);
    EXPECT_EQ(detail::floor_to_q15(1.7 / 32768.0), 1);
}

TEST(HannWindow, PeriodicAndSymmetric) {
    const int16_t* w = hann_window_q15();
    EXPECT_EQ(w[0], 0);
    EXPECT_EQ(w[128], 32767);
    for (int i = 1; i < 128; ++i) EXPECT_EQ(w[i], w[256 - i]) << i;  // periodic: symmetric about 128
    for (int i = 0; i < 256; ++i) {
        const double exact = (0.5 - 0.5 * std::cos(2.0 * M_PI * i / 256)) * 32768.0;
        EXPECT_LE(std::abs(w[i] - std::min(exact, 32767.0)), 1.0) << i;
    }
}

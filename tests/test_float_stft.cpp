#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <vector>

#include "core/dsp/spectrogram.hpp"
#include "host/dsp/float_stft.hpp"
#include "host/error.hpp"
#include "support.hpp"

using namespace earshot;
using namespace earshot::dsp;

TEST(FloatStft, MatchesNaiveDft) {
    const auto noise = test::lcg_noise(16000, 777);
    std::vector<float> x(16000);
    for (size_t i = 0; i < x.size(); ++i) x[i] = noise[i] / 32768.0f;
    const auto spec = stft_magnitude(x);
    ASSERT_EQ(spec.size(), static_cast<size_t>(kSpectrogramSize));
    const auto w = hann_periodic(256);
    for (int f : {0, 1, 57, 123}) {
        for (int k = 0; k < kBins; ++k) {
            std::complex<double> acc = 0;
            for (int t = 0; t < 256; ++t) acc += static_cast<double>(x[static_cast<size_t>(f * 128 + t)]) * w[static_cast<size_t>(t)] * std::polar(1.0, -2 * M_PI * k * t / 256.0);
            ASSERT_NEAR(spec[static_cast<size_t>(f * kBins + k)], std::abs(acc), 1e-4 + 1e-5 * std::abs(acc)) << "frame " << f << " bin " << k;
        }
    }
}

TEST(FloatStft, HannIsPeriodic) {
    const auto w = hann_periodic(256);
    EXPECT_FLOAT_EQ(w[0], 0.0f);
    EXPECT_FLOAT_EQ(w[64], 0.5f);
    EXPECT_FLOAT_EQ(w[128], 1.0f);
    EXPECT_FLOAT_EQ(w[1], w[255]);
}

TEST(FloatStft, RejectsWrongLength) {
    std::vector<float> x(15999);
    EXPECT_THROW(stft_magnitude(x), Error);
}

// The design's unit contract: q15 magnitude / 32768 * 512 is the float STFT's |X|.
TEST(FloatStft, Q15PathIsInTheSameUnits) {
    std::vector<int16_t> pcm(16000);
    std::vector<float> x(16000);
    for (size_t i = 0; i < pcm.size(); ++i) {
        pcm[i] = static_cast<int16_t>(std::lround(20000.0 * std::sin(2 * M_PI * 1000.0 * static_cast<double>(i) / 16000.0)));
        x[i] = pcm[i] / 32768.0f;
    }
    std::vector<int16_t> q(kSpectrogramSize);
    spectrogram_q15(pcm.data(), q.data(), MagnitudeMode::exact);
    const auto f = stft_magnitude(x);
    for (int i = 0; i < kSpectrogramSize; ++i) {
        // Fixed point adds a few 2.14 LSB of noise: 1 LSB = 1/64 in float units.
        ASSERT_NEAR(q15_magnitude_to_float(q[static_cast<size_t>(i)]), f[static_cast<size_t>(i)], 0.1 + 0.01 * f[static_cast<size_t>(i)]) << i;
    }
    // Bin 16 is 1 kHz: a Hann-windowed sine of amplitude A peaks at A * N / 4.
    EXPECT_NEAR(f[16], 20000.0 / 32768.0 * 256 / 4, 0.05);
}

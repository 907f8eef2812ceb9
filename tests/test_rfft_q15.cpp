// Properties of the fixed-point FFT that hold whatever the rounding details: it is a DFT
// scaled by 1/N, within the error fixed-point arithmetic allows.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <random>
#include <vector>

#include "core/dsp/rfft_q15.hpp"
#include "core/dsp/spectrogram.hpp"
#include "support.hpp"

using namespace earshot::dsp;

namespace {

std::vector<std::complex<double>> naive_dft(const std::vector<std::complex<double>>& x) {
    const size_t n = x.size();
    std::vector<std::complex<double>> out(n);
    for (size_t k = 0; k < n; ++k) {
        std::complex<double> acc = 0;
        for (size_t t = 0; t < n; ++t) acc += x[t] * std::polar(1.0, -2.0 * M_PI * static_cast<double>(k * t % n) / n);
        out[k] = acc;
    }
    return out;
}

}  // namespace

// Truncating shifts bias every stage toward minus infinity; measured over random inputs the
// error is ~1.4 LSB RMS and at most ~11 LSB (the DC bin collects the bias coherently).
constexpr double kMaxErrorLsb = 16.0;
constexpr double kRmsErrorLsb = 2.0;

TEST(Rfft256Q15, MatchesScaledDftOnRandomInputs) {
    std::mt19937 rng(7);
    double sum_sq = 0;
    int count = 0;
    for (int trial = 0; trial < 50; ++trial) {
        std::uniform_int_distribution<int> amp(100, 32767);
        const int a = amp(rng);
        std::uniform_int_distribution<int> sample(-a, a);
        std::vector<int16_t> x(256);
        std::vector<std::complex<double>> xd(256);
        for (int i = 0; i < 256; ++i) {
            x[static_cast<size_t>(i)] = static_cast<int16_t>(sample(rng));
            xd[static_cast<size_t>(i)] = x[static_cast<size_t>(i)];
        }
        const auto expected = naive_dft(xd);
        std::vector<int16_t> work = x, bins(2 * kRfftBins);
        rfft256_q15(work.data(), bins.data());
        for (int k = 0; k < kRfftBins; ++k) {
            // Eight stages of truncation each lose < 1 LSB at their own scale: a few LSB total.
            const double er = bins[static_cast<size_t>(2 * k)] - expected[static_cast<size_t>(k)].real() / 256.0;
            const double ei = bins[static_cast<size_t>(2 * k + 1)] - expected[static_cast<size_t>(k)].imag() / 256.0;
            ASSERT_LE(std::abs(er), kMaxErrorLsb) << "trial " << trial << " bin " << k;
            ASSERT_LE(std::abs(ei), kMaxErrorLsb) << "trial " << trial << " bin " << k;
            sum_sq += er * er + ei * ei;
            count += 2;
        }
    }
    EXPECT_LE(std::sqrt(sum_sq / count), kRmsErrorLsb);
}

TEST(Rfft256Q15, ToneLandsInItsBin) {
    for (int k0 : {1, 17, 64, 100, 127}) {
        std::vector<int16_t> x(256), bins(2 * kRfftBins);
        for (int i = 0; i < 256; ++i) x[static_cast<size_t>(i)] = static_cast<int16_t>(std::lround(16000.0 * std::cos(2 * M_PI * k0 * i / 256.0)));
        rfft256_q15(x.data(), bins.data());
        // Amplitude A cosine at bin k0 gives A/2 after the 1/256 scaling... of N*A/2: A/2 * 256 / 256.
        EXPECT_NEAR(bins[static_cast<size_t>(2 * k0)], 8000, 8) << k0;
        for (int k = 0; k < kRfftBins; ++k) {
            if (k == k0) continue;
            EXPECT_LE(std::abs(bins[static_cast<size_t>(2 * k)]) + std::abs(bins[static_cast<size_t>(2 * k + 1)]), 8) << "leak into bin " << k;
        }
    }
}

TEST(Rfft256Q15, DcAndNyquistAreReal) {
    std::vector<int16_t> x(256, 1000), bins(2 * kRfftBins);
    rfft256_q15(x.data(), bins.data());
    EXPECT_NEAR(bins[0], 1000, 2);  // DFT/256 of a constant is the constant
    EXPECT_EQ(bins[1], 0);
    EXPECT_EQ(bins[2 * 128 + 1], 0);
}

TEST(Cfft128Q15, MatchesScaledDft) {
    const auto noise = earshot::test::lcg_noise(256, 99, 1);
    std::vector<std::complex<double>> xd(128);
    for (int i = 0; i < 128; ++i) xd[static_cast<size_t>(i)] = {static_cast<double>(noise[static_cast<size_t>(2 * i)]), static_cast<double>(noise[static_cast<size_t>(2 * i + 1)])};
    const auto expected = naive_dft(xd);
    std::vector<int16_t> data = noise;
    cfft128_q15(data.data());
    double sum_sq = 0;
    for (int k = 0; k < 128; ++k) {
        const double er = data[static_cast<size_t>(2 * k)] - expected[static_cast<size_t>(k)].real() / 128.0;
        const double ei = data[static_cast<size_t>(2 * k + 1)] - expected[static_cast<size_t>(k)].imag() / 128.0;
        ASSERT_LE(std::abs(er), kMaxErrorLsb) << k;
        ASSERT_LE(std::abs(ei), kMaxErrorLsb) << k;
        sum_sq += er * er + ei * ei;
    }
    // Without the split stage's final halving the same errors are twice as many LSB.
    EXPECT_LE(std::sqrt(sum_sq / 256), 2 * kRmsErrorLsb);
}

// The bin-subset paths (what the tutorial-shaped model's front end computes) give exactly the
// bins of the full FFT and spectrogram frame, in the order asked, repeats and edges included.
TEST(Rfft256Q15, SomeBinsEqualThoseOfTheFullFft) {
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> sample(-32768, 32767), bin(0, kRfftBins - 1);
    for (int trial = 0; trial < 40; ++trial) {
        std::vector<int16_t> x(256);
        for (auto& v : x) v = static_cast<int16_t>(sample(rng));
        std::vector<int32_t> which = {0, 128, 1, 127, 64};
        for (int k = 0; k < 27; ++k) which.push_back(bin(rng));
        std::vector<int16_t> work = x, all(2 * kRfftBins), some(2 * which.size());
        rfft256_q15(work.data(), all.data());
        work = x;
        rfft256_q15_bins(work.data(), which.data(), static_cast<int32_t>(which.size()), some.data());
        for (size_t k = 0; k < which.size(); ++k) {
            const auto b = static_cast<size_t>(which[k]);
            ASSERT_EQ(some[2 * k], all[2 * b]) << "trial " << trial << " bin " << b;
            ASSERT_EQ(some[2 * k + 1], all[2 * b + 1]) << "trial " << trial << " bin " << b;
        }
        for (auto mode : {MagnitudeMode::cmsis58, MagnitudeMode::exact}) {
            std::vector<int16_t> full(kBins), part(which.size());
            spectrogram_frame_q15(x.data(), full.data(), mode);
            spectrogram_frame_bins_q15(x.data(), which.data(), static_cast<int32_t>(which.size()), part.data(), mode);
            for (size_t k = 0; k < which.size(); ++k) ASSERT_EQ(part[k], full[static_cast<size_t>(which[k])]) << "trial " << trial;
        }
    }
}

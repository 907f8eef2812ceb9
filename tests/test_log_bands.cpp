// The default detector's front end (core/dsp/log_bands): the integer log against double
// precision, band energies against a direct computation from the (golden-tested) q15 FFT, the
// streaming/segment equivalence training relies on, and loudness robustness.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/dsp/hann_window.hpp"
#include "core/dsp/log_bands.hpp"
#include "core/dsp/rfft_q15.hpp"
#include "host/dsp/log_band_columns.hpp"
#include "support.hpp"

using namespace earshot;

TEST(LogBands, Log2WithinAUnitOfDoublePrecisionAndMonotone) {
    EXPECT_EQ(dsp::log2_q6(0), 0);
    EXPECT_EQ(dsp::log2_q6(1), 0);
    EXPECT_EQ(dsp::log2_q6(2), 64);
    EXPECT_EQ(dsp::log2_q6(uint64_t{1} << 40), 40 * 64);
    std::mt19937_64 rng(3);
    for (int i = 0; i < 200000; ++i) {
        const int bits = static_cast<int>(rng() % 63) + 1;
        const uint64_t x = (rng() >> (64 - bits)) | 1u;
        ASSERT_NEAR(dsp::log2_q6(x), 64.0 * std::log2(static_cast<double>(x)), 1.2) << x;
    }
    int16_t last = 0;
    for (uint64_t x = 1; x < 300000; x += 7) {
        const int16_t v = dsp::log2_q6(x);
        ASSERT_GE(v, last) << x;
        last = v;
    }
}

TEST(LogBands, DefaultLayoutIsValidAndBadOnesAreRefused) {
    dsp::LogBandLayout l;
    EXPECT_TRUE(dsp::log_band_layout_valid(l));
    const uint8_t descending[] = {4, 3, 8};
    EXPECT_FALSE(dsp::log_band_layout_valid({descending, 2, 32, true}));
    const uint8_t past_nyquist[] = {1, 100, 130};
    EXPECT_FALSE(dsp::log_band_layout_valid({past_nyquist, 2, 32, true}));
    EXPECT_FALSE(dsp::log_band_layout_valid({dsp::kDefaultBandEdges, 32, 65, true}));
    EXPECT_FALSE(dsp::log_band_layout_valid({dsp::kDefaultBandEdges, 0, 32, true}));
}

// Each column is 64 * log2 of the block's band energies: sum over its 4 frames and the band's
// bins of re^2 + im^2 from the windowed q15 FFT (checked here by recomputing it directly).
TEST(LogBands, ColumnsAreLogBandEnergiesOfTheBlock) {
    const auto pcm = test::lcg_noise(512 * 12, 77, 2);
    const dsp::LogBandLayout layout;
    const auto columns = dsp::log_band_columns(pcm, layout);
    ASSERT_EQ(columns.size(), 12u * 32u);
    for (size_t block = 0; block < 12; ++block) {
        std::vector<double> energy(32, 0.0);
        for (int f = 0; f < 4; ++f) {
            const int64_t start = static_cast<int64_t>(block) * 512 + f * 128 - 128;  // the first block's overlap is silence
            int16_t frame[256], work[256], bins[258];
            for (int i = 0; i < 256; ++i) frame[i] = start + i < 0 ? int16_t{0} : pcm[static_cast<size_t>(start + i)];
            dsp::apply_window_q15(frame, work);
            dsp::rfft256_q15(work, bins);
            for (int b = 0; b < 32; ++b) {
                for (int k = dsp::kDefaultBandEdges[b]; k < dsp::kDefaultBandEdges[b + 1]; ++k) energy[static_cast<size_t>(b)] += double(bins[2 * k]) * bins[2 * k] + double(bins[2 * k + 1]) * bins[2 * k + 1];
            }
        }
        for (int b = 0; b < 32; ++b) {
            const double expected = energy[static_cast<size_t>(b)] > 0 ? 64.0 * std::log2(energy[static_cast<size_t>(b)]) : 0.0;
            ASSERT_NEAR(columns[block * 32 + static_cast<size_t>(b)], expected, 1.2) << "block " << block << " band " << b;
        }
    }
}

// A window needs only its own blocks and the 128 samples before them: what training computes
// from a 33-block stretch equals what the device computes deep inside a long stream.
TEST(LogBands, WindowDependsOnlyOnItsBlocksAndTheOverlap) {
    const auto pcm = test::lcg_noise(512 * 80, 5, 1);
    const dsp::LogBandLayout layout;
    const auto all = dsp::log_band_columns(pcm, layout);
    for (size_t end : {32u, 47u, 79u}) {
        const std::vector<int16_t> stretch(pcm.begin() + static_cast<std::ptrdiff_t>((end - 32) * 512), pcm.begin() + static_cast<std::ptrdiff_t>((end + 1) * 512));
        const auto part = dsp::log_band_columns(stretch, layout);
        ASSERT_EQ(std::vector<int16_t>(part.end() - 32 * 32, part.end()), std::vector<int16_t>(all.begin() + static_cast<std::ptrdiff_t>((end - 31) * 32),
                                                                                                   all.begin() + static_cast<std::ptrdiff_t>((end + 1) * 32)))
            << end;
    }
    // And the stream's own window is the same columns, oldest first.
    std::vector<int16_t> ring(2 * 32 * 32);
    dsp::LogBandStream stream(layout, ring.data());
    for (size_t b = 0; b < 80; ++b) stream.push(pcm.data() + b * 512);
    EXPECT_EQ(std::vector<int16_t>(stream.columns(), stream.columns() + 32 * 32), std::vector<int16_t>(all.end() - 32 * 32, all.end()));
}

// 12 dB quieter: raw log energies drop by 4 bits of power (256 units); with the window mean removed the
// model's input stays put (within the q15 FFT's rounding on the quiet copy).
TEST(LogBands, MeanRemovalMakesTheInputLoudnessRobust) {
    auto loud = test::lcg_noise(512 * 40, 9, 0);
    for (size_t i = 0; i < loud.size(); ++i) loud[i] = static_cast<int16_t>(loud[i] / 2 + 9000 * std::sin(0.9 * static_cast<double>(i)));
    std::vector<int16_t> quiet(loud.size());
    for (size_t i = 0; i < loud.size(); ++i) quiet[i] = static_cast<int16_t>(loud[i] / 4);
    dsp::LogBandLayout keep;
    keep.remove_mean = false;
    const dsp::LogBandLayout removed;
    const auto features = [&](const std::vector<int16_t>& x, const dsp::LogBandLayout& l) {
        const auto c = dsp::log_band_columns(x, l);
        std::vector<int16_t> f(32 * 32);
        dsp::log_band_features(c.data() + c.size() - f.size(), l, f.data());
        return f;
    };
    const auto a = features(loud, removed), b = features(quiet, removed), c = features(loud, keep), d = features(quiet, keep);
    double diff_removed = 0, diff_kept = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        diff_removed += std::abs(a[i] - b[i]);
        diff_kept += c[i] - d[i];
    }
    EXPECT_LT(diff_removed / static_cast<double>(a.size()), 3.0);   // < 0.15 dB on average
    EXPECT_NEAR(diff_kept / static_cast<double>(a.size()), 256.0, 6.0);  // the 12 dB shows up as 4 bits
}

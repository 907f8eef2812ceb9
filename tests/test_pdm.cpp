// The PDM decimator against a second-order sigma-delta modulator (what a PDM microphone is).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "core/dsp/pdm_decimator.hpp"

namespace earshot::dsp {
namespace {

// x (16 kHz, [-1, 1)) -> 1.024 MHz bits by a second-order delta-sigma loop over a linearly
// interpolated input, packed 32 per word with the earliest bit in bit 31.
std::vector<uint32_t> modulate(const std::vector<double>& x) {
    std::vector<uint32_t> words(x.size() * 2, 0);
    double s1 = 0, s2 = 0, y = 0;
    for (size_t n = 0; n < x.size() * 64; ++n) {
        const size_t i = n / 64;
        const double f = static_cast<double>(n % 64) / 64.0;
        const double v = x[i] * (1 - f) + (i + 1 < x.size() ? x[i + 1] : x[i]) * f;
        s1 += v - y;
        s2 += s1 - y;
        y = s2 >= 0 ? 1.0 : -1.0;
        if (y > 0) words[n / 32] |= 1u << (31 - n % 32);
    }
    return words;
}

std::vector<int16_t> decimate(const std::vector<uint32_t>& words, int32_t chunk_words) {
    PdmDecimator d;
    pdm_reset(d);
    std::vector<int16_t> pcm(words.size() / 2);
    int32_t done = 0;
    for (size_t w = 0; w < words.size(); w += static_cast<size_t>(chunk_words)) {
        const int32_t n = static_cast<int32_t>(std::min(words.size() - w, static_cast<size_t>(chunk_words)));
        done += pdm_decimate(d, words.data() + w, n, pcm.data() + done);
    }
    EXPECT_EQ(static_cast<size_t>(done), pcm.size());
    return pcm;
}

// The decimator written the slow, obvious way: one integrator step per bit.
std::vector<int16_t> reference_decimate(const std::vector<uint32_t>& words) {
    uint32_t in[4] = {}, delay[4] = {};
    std::vector<int32_t> stage1;
    for (size_t n = 0; n < words.size() * 32; ++n) {
        in[0] += ((words[n / 32] >> (31 - n % 32)) & 1u) ? 1u : 0xffffffffu;
        for (int k = 1; k < 4; ++k) in[k] += in[k - 1];
        if (n % 16 != 15) continue;
        uint32_t c = in[3];
        for (auto& z : delay) {
            const uint32_t next = c - z;
            z = c;
            c = next;
        }
        stage1.push_back(static_cast<int32_t>(c) >> 2);
    }
    const int16_t* h = pdm_fir_coefficients();
    std::vector<int16_t> pcm;
    int32_t x1 = 0, y1 = 0;
    for (size_t i = 3; i < stage1.size(); i += 4) {
        int32_t acc = 0;
        for (int k = 0; k < kPdmFirTaps; ++k) acc += h[k] * (i >= static_cast<size_t>(k) ? stage1[i - static_cast<size_t>(k)] : 0);
        const int32_t x = acc >> 14;
        y1 += (x - x1) * 256;
        y1 -= y1 >> 8;
        x1 = x;
        pcm.push_back(static_cast<int16_t>(std::clamp(y1 >> 8, -32768, 32767)));
    }
    return pcm;
}

TEST(Pdm, ByteTablesEqualTheBitByBitFilter) {
    std::vector<double> x(3000);
    for (size_t i = 0; i < x.size(); ++i) x[i] = 0.7 * std::sin(0.05 * static_cast<double>(i)) + 0.2 * std::sin(1.9 * static_cast<double>(i));
    auto words = modulate(x);
    for (size_t i = 0; i < 64; ++i) words[i] = 0xffffffffu;  // full-scale runs too
    EXPECT_EQ(decimate(words, 1024), reference_decimate(words));
}

TEST(Pdm, FirHasUnityGainAndIsSymmetric) {
    const int16_t* h = pdm_fir_coefficients();
    EXPECT_EQ(std::accumulate(h, h + kPdmFirTaps, 0), 32768);
    for (int i = 0; i < kPdmFirTaps; ++i) EXPECT_NEAR(h[i], h[kPdmFirTaps - 1 - i], 1) << i;
    EXPECT_GT(h[kPdmFirTaps / 2], 6000);
}

TEST(Pdm, RecoversASineWithHighSnr) {
    std::vector<double> x(16000);
    for (size_t i = 0; i < x.size(); ++i) x[i] = 0.5 * std::sin(2 * M_PI * 1000.0 * static_cast<double>(i) / 16000.0);
    const auto pcm = decimate(modulate(x), 1024);
    // Least-squares fit of a 1 kHz sine (any phase) to the settled part; the rest is noise.
    double ss = 0, sc = 0, cc = 0, ys = 0, yc = 0;
    for (size_t i = 4000; i < pcm.size(); ++i) {
        const double s = std::sin(2 * M_PI * 1000.0 * static_cast<double>(i) / 16000.0), c = std::cos(2 * M_PI * 1000.0 * static_cast<double>(i) / 16000.0);
        ss += s * s, sc += s * c, cc += c * c, ys += pcm[i] * s, yc += pcm[i] * c;
    }
    const double det = ss * cc - sc * sc, a = (ys * cc - yc * sc) / det, b = (yc * ss - ys * sc) / det;
    double signal = 0, noise = 0;
    for (size_t i = 4000; i < pcm.size(); ++i) {
        const double fit = a * std::sin(2 * M_PI * 1000.0 * static_cast<double>(i) / 16000.0) + b * std::cos(2 * M_PI * 1000.0 * static_cast<double>(i) / 16000.0);
        signal += fit * fit;
        noise += (pcm[i] - fit) * (pcm[i] - fit);
    }
    const double amplitude = std::hypot(a, b) / 32768.0, snr_db = 10 * std::log10(signal / noise);
    std::printf("1 kHz at 0.5 full scale: amplitude %.3f, SNR %.1f dB\n", amplitude, snr_db);
    EXPECT_NEAR(amplitude, 0.5, 0.03);  // passband gain ~1
    EXPECT_GT(snr_db, 60.0);  // measured 73.3 dB
}

TEST(Pdm, RemovesDcAndRejectsAboveTheBand) {
    std::vector<double> dc(16000, 0.3);
    const auto out = decimate(modulate(dc), 1024);
    double mean = 0;
    for (size_t i = 12000; i < out.size(); ++i) mean += out[i];
    mean /= 4000.0;
    EXPECT_LT(std::fabs(mean), 0.005 * 32768) << mean;  // 0.3 full scale of DC is gone
    // A 7.8 kHz tone is near Nyquist at 16 kHz and sits in the FIR's transition: attenuated.
    std::vector<double> high(16000);
    for (size_t i = 0; i < high.size(); ++i) high[i] = 0.5 * std::sin(2 * M_PI * 7800.0 * static_cast<double>(i) / 16000.0);
    const auto h = decimate(modulate(high), 1024);
    double rms = 0;
    for (size_t i = 4000; i < h.size(); ++i) rms += static_cast<double>(h[i]) * h[i];
    rms = std::sqrt(rms / 12000.0) / 32768.0;
    EXPECT_LT(rms, 0.5 / std::sqrt(2.0) / 2.0);  // at least 6 dB down
}

TEST(Pdm, ChunkingDoesNotChangeTheOutput) {
    std::vector<double> x(4000);
    for (size_t i = 0; i < x.size(); ++i) x[i] = 0.4 * std::sin(0.3 * static_cast<double>(i)) * std::cos(0.011 * static_cast<double>(i));
    const auto words = modulate(x);
    const auto whole = decimate(words, static_cast<int32_t>(words.size()));
    EXPECT_EQ(decimate(words, 1024), whole);
    EXPECT_EQ(decimate(words, 2), whole);
}

}  // namespace
}  // namespace earshot::dsp

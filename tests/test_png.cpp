#include <gtest/gtest.h>
#include <stb/stb_image.h>

#include <cmath>
#include <vector>

#include "core/dsp/frame_constants.hpp"
#include "host/report/spectrogram_png.hpp"
#include "support.hpp"

using namespace earshot;

TEST(SpectrogramPng, LowFrequenciesAtTheBottomAndLoudIsBright) {
    // A strong tone in bin 10, silence elsewhere.
    std::vector<float> m(static_cast<size_t>(dsp::kSpectrogramSize), 1e-6f);
    for (int f = 0; f < dsp::kFrames; ++f) m[static_cast<size_t>(f * dsp::kBins + 10)] = 100.0f;
    test::TempDir dir;
    const auto img = report::render_spectrogram(m, dsp::kFrames, dsp::kBins, 2);
    report::write_png(dir / "s.png", img);

    int w = 0, h = 0, n = 0;
    unsigned char* px = stbi_load((dir / "s.png").c_str(), &w, &h, &n, 3);
    ASSERT_NE(px, nullptr);
    EXPECT_EQ(w, dsp::kFrames * 2);
    EXPECT_EQ(h, dsp::kBins * 2);
    auto brightness = [&](int x, int y) { const unsigned char* p = px + (y * w + x) * 3; return p[0] + p[1] + p[2]; };
    const int tone_row = h - 1 - 10 * 2;  // bin 10, counted from the bottom
    EXPECT_GT(brightness(50, tone_row), 600);
    EXPECT_EQ(brightness(50, 0), 0);  // 100 dB below the peak: black
    stbi_image_free(px);
}

TEST(SpectrogramPng, RejectsMismatchedSizes) {
    std::vector<float> m(10, 1.0f);
    EXPECT_ANY_THROW(report::render_spectrogram(m, 3, 4));
}

#include <gtest/gtest.h>
#include <stb/stb_image.h>

#include <cmath>
#include <vector>

#include "core/dsp/frame_constants.hpp"
#include "host/report/plots.hpp"
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

namespace {
report::Color pixel(const report::RgbImage& img, int x, int y) {
    const size_t i = (static_cast<size_t>(y) * static_cast<size_t>(img.width) + static_cast<size_t>(x)) * 3;
    return {static_cast<unsigned char>(img.rgb[i]), static_cast<unsigned char>(img.rgb[i + 1]), static_cast<unsigned char>(img.rgb[i + 2])};
}
// Non-white pixels in a rectangle: where text, ticks or lines were drawn.
int ink(const report::RgbImage& img, int x0, int y0, int x1, int y1) {
    int n = 0;
    for (int y = y0; y < y1; ++y) {
        for (int x = x0; x < x1; ++x) n += pixel(img, x, y) != report::Color{255, 255, 255};
    }
    return n;
}
}  // namespace

TEST(SpectrogramPng, SilenceIsDrawnInTheQuietestColour) {
    // A zero peak used to put every cell at the top of the scale (the loudest colour).
    const std::vector<float> silence(static_cast<size_t>(dsp::kSpectrogramSize), 0.0f);
    const auto img = report::render_spectrogram(silence, dsp::kFrames, dsp::kBins, 1);
    for (int y = 0; y < img.height; y += 7) {
        for (int x = 0; x < img.width; x += 5) ASSERT_EQ(pixel(img, x, y), report::ramp(0.0)) << x << "," << y;
    }
}

TEST(SpectrogramPng, TheFigureHasAxesTicksATitleAndAColourBar) {
    std::vector<float> m(static_cast<size_t>(dsp::kSpectrogramSize), 1e-3f);
    for (int f = 0; f < dsp::kFrames; ++f) m[static_cast<size_t>(f * dsp::kBins + 50)] = 1.0f;
    const int scale = 3;
    const auto fig = report::spectrogram_figure(m, dsp::kFrames, dsp::kBins, "TITLE", 0.008, 62.5, scale);
    const auto plot = report::render_spectrogram(m, dsp::kFrames, dsp::kBins, scale);
    ASSERT_GT(fig.width, plot.width + 100);
    ASSERT_GT(fig.height, plot.height + 60);
    const int left = 64, top = 34;  // where the plot sits in the figure
    EXPECT_EQ(pixel(fig, left + 10, top + plot.height - 1 - 50 * scale), pixel(plot, 10, plot.height - 1 - 50 * scale));
    EXPECT_GT(ink(fig, 0, top, left - 2, top + plot.height), 100) << "frequency tick labels and unit";
    EXPECT_GT(ink(fig, left, top + plot.height + 2, left + plot.width, fig.height), 100) << "time tick labels and axis title";
    EXPECT_GT(ink(fig, left, 0, fig.width, top - 4), 50) << "title";
    const int bar_x = left + plot.width + 16;
    EXPECT_EQ(pixel(fig, bar_x + 5, top), report::ramp(1.0));                    // the peak at the top of the bar
    EXPECT_EQ(pixel(fig, bar_x + 5, top + plot.height - 1), report::ramp(0.0));  // range_db below it at the bottom
    EXPECT_GT(ink(fig, bar_x + 16, top, fig.width, top + plot.height), 100) << "dB labels beside the bar";
}

TEST(ReportPictures, ConfusionMatricesHaveATitleAndColumnLabels) {
    const auto img = report::confusion_image({{5, 1}, {2, 7}}, {"background", "alarm"}, "CONFUSION, TEST SPLIT");
    const int top = 58;
    EXPECT_GT(ink(img, 0, 0, img.width, 20), 50) << "title";
    EXPECT_GT(ink(img, 60, top - 16, img.width, top - 2), 20) << "column numbers above the cells";
    EXPECT_GT(ink(img, 0, top, 14, top + 72), 20) << "the TRUE axis label";
}

TEST(ReportPictures, TrainingStagesAreMarked) {
    const std::vector<report::Series> series{{"TRAIN", {1.0, 0.8, 0.6, 0.5, 0.45, 0.4}, {40, 90, 200}}};
    const auto plain = report::line_chart("LOSS", series, "EPOCH");
    const auto marked = report::line_chart("LOSS", series, "EPOCH", 480, 300, {{1, "HEAD"}, {4, "FINE-TUNE"}});
    // The stage line at epoch 4 of 6: x = left + 3/5 of the plot width; dashed grey where the plain chart is blank.
    const int x = 56 + static_cast<int>(std::lround(3.0 / 5.0 * (480 - 56 - 12)));
    int grey = 0;
    for (int y = 40; y < 250; ++y) grey += pixel(marked, x, y) == report::Color{120, 120, 120} && pixel(plain, x, y) != pixel(marked, x, y);
    EXPECT_GT(grey, 20);
}

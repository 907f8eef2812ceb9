#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/dsp/spectrogram.hpp"
#include "core/dsp/streaming_spectrogram.hpp"
#include "support.hpp"

using namespace earshot::dsp;

namespace {

// Noise with a sweeping tone on top, so every frame differs.
std::vector<int16_t> test_signal(size_t n) {
    auto x = earshot::test::lcg_noise(n, 4242, 3);
    for (size_t i = 0; i < n; ++i) {
        const double t = static_cast<double>(i) / kSampleRate;
        x[i] = static_cast<int16_t>(x[i] + std::lround(12000.0 * std::sin(2 * M_PI * (300.0 * t + 1500.0 * t * t))));
    }
    return x;
}

std::vector<int16_t> one_shot(const std::vector<int16_t>& samples, MagnitudeMode mode) {
    std::vector<int16_t> spec(kSpectrogramSize);
    spectrogram_q15(samples.data(), spec.data(), mode);
    return spec;
}

}  // namespace

// 31 chunks of 512 = 15872 samples; with the 128 zero samples of history the stream starts
// from, that is exactly one 16000-sample bite and 124 frames.
TEST(StreamingSpectrogram, ThirtyOneChunksEqualOneShot) {
    for (MagnitudeMode mode : {MagnitudeMode::cmsis58, MagnitudeMode::exact}) {
        const auto signal = test_signal(31 * kStreamChunk);
        StreamingSpectrogram stream(mode);
        for (int c = 0; c < 31; ++c) stream.push(signal.data() + c * kStreamChunk);
        std::vector<int16_t> padded(128, 0);
        padded.insert(padded.end(), signal.begin(), signal.end());
        ASSERT_EQ(padded.size(), 16000u);
        const auto expected = one_shot(padded, mode);
        EXPECT_EQ(std::vector<int16_t>(stream.frames(), stream.frames() + kSpectrogramSize), expected);
        EXPECT_EQ(stream.chunks_pushed(), 31u);
    }
}

// Long after start-up the picture is always the last 16000 samples: the 128-sample overlap
// survives every chunk boundary (the reference firmware's memmove kept only 64).
TEST(StreamingSpectrogram, KeepsFullOverlapAcrossChunks) {
    const int chunks = 80;
    const auto signal = test_signal(static_cast<size_t>(chunks) * kStreamChunk);
    StreamingSpectrogram stream;
    for (int c = 0; c < chunks; ++c) {
        stream.push(signal.data() + c * kStreamChunk);
        if (c >= 31) {
            const size_t end = static_cast<size_t>(c + 1) * kStreamChunk;
            const std::vector<int16_t> last(signal.begin() + static_cast<std::ptrdiff_t>(end - 16000), signal.begin() + static_cast<std::ptrdiff_t>(end));
            ASSERT_EQ(std::vector<int16_t>(stream.frames(), stream.frames() + kSpectrogramSize), one_shot(last, MagnitudeMode::cmsis58)) << "after chunk " << c;
        }
    }
}

TEST(StreamingSpectrogram, ResetReturnsToSilence) {
    const auto signal = test_signal(4 * kStreamChunk);
    StreamingSpectrogram stream;
    for (int c = 0; c < 4; ++c) stream.push(signal.data() + c * kStreamChunk);
    stream.reset();
    EXPECT_EQ(stream.chunks_pushed(), 0u);
    for (int i = 0; i < kSpectrogramSize; ++i) ASSERT_EQ(stream.frames()[i], 0);
    // And the first chunk after reset sees zeros as history, not the old samples.
    StreamingSpectrogram fresh;
    stream.push(signal.data());
    fresh.push(signal.data());
    EXPECT_EQ(std::vector<int16_t>(stream.frames(), stream.frames() + kSpectrogramSize),
              std::vector<int16_t>(fresh.frames(), fresh.frames() + kSpectrogramSize));
}

// A spectrogram picture a person can read: time left to right, frequency bottom to top,
// level in dB on a dark-to-bright colour ramp.
#pragma once
#include <filesystem>
#include <span>
#include <string>

namespace earshot::report {

struct RgbImage {
    int width = 0, height = 0;
    std::string rgb;  // width * height * 3 bytes, row-major, top row first
};
using SpectrogramImage = RgbImage;

// `magnitudes` is frames x bins, frame-major, in linear units; the top `range_db` dB below
// the peak are shown. Each cell becomes a `scale` x `scale` block.
SpectrogramImage render_spectrogram(std::span<const float> magnitudes, int frames, int bins, int scale = 4,
                                    double range_db = 80.0);

// Encodes as PNG (libstb) and writes atomically.
void write_png(const std::filesystem::path& path, const RgbImage& image);

}  // namespace earshot::report

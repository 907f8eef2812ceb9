// A spectrogram picture a person can read: time left to right, frequency bottom to top,
// level in dB on a dark-to-bright colour ramp.
#pragma once
#include <array>
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

// The colour for a level: 0 = range_db below the peak (and silence), 1 = the peak.
std::array<unsigned char, 3> ramp(double t);

// The spectrogram as a figure that reads on its own: `title`, frequency axis in kHz, time axis
// in seconds (frames are `hop_seconds` apart), and a colour bar in dB below the peak. A silent
// input is drawn in the quietest colour and says so in the title.
RgbImage spectrogram_figure(std::span<const float> magnitudes, int frames, int bins, const std::string& title,
                            double hop_seconds = 0.008, double hz_per_bin = 62.5, int scale = 3, double range_db = 80.0);

// The image as PNG bytes (libstb).
std::string encode_png(const RgbImage& image);

// Encodes as PNG (libstb) and writes atomically.
void write_png(const std::filesystem::path& path, const RgbImage& image);

}  // namespace earshot::report

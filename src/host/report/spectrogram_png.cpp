#include "host/report/spectrogram_png.hpp"

#include <stb/stb_image_write.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "host/error.hpp"
#include "host/io/atomic_file.hpp"

namespace earshot::report {
namespace {

// Black -> deep blue -> magenta -> orange -> pale yellow: monotonic in brightness, so quiet
// and loud stay distinguishable in greyscale too.
}  // namespace

std::array<unsigned char, 3> ramp(double t) {
    static constexpr double kStops[5][3] = {
        {0, 0, 0}, {40, 20, 120}, {190, 40, 140}, {250, 140, 40}, {255, 250, 200}};
    t = std::clamp(t, 0.0, 1.0) * 4.0;
    const int i = std::min(3, static_cast<int>(t));
    const double f = t - i;
    std::array<unsigned char, 3> c{};
    for (int ch = 0; ch < 3; ++ch) c[static_cast<size_t>(ch)] = static_cast<unsigned char>(std::lround(kStops[i][ch] + f * (kStops[i + 1][ch] - kStops[i][ch])));
    return c;
}

SpectrogramImage render_spectrogram(std::span<const float> magnitudes, int frames, int bins, int scale, double range_db) {
    if (frames <= 0 || bins <= 0 || scale <= 0 || magnitudes.size() != static_cast<size_t>(frames) * static_cast<size_t>(bins)) {
        throw Error("render_spectrogram: size does not match frames x bins");
    }
    const float peak = *std::max_element(magnitudes.begin(), magnitudes.end());
    const bool silent = !(peak > 0.0f);  // no level to scale from: draw it all as the quietest colour
    const double top_db = 20.0 * std::log10(std::max(peak, 1e-12f));
    SpectrogramImage img;
    img.width = frames * scale;
    img.height = bins * scale;
    img.rgb.resize(static_cast<size_t>(img.width) * static_cast<size_t>(img.height) * 3);
    for (int y = 0; y < img.height; ++y) {
        const int bin = bins - 1 - y / scale;  // low frequencies at the bottom
        for (int x = 0; x < img.width; ++x) {
            const float m = magnitudes[static_cast<size_t>(x / scale) * static_cast<size_t>(bins) + static_cast<size_t>(bin)];
            const double db = 20.0 * std::log10(std::max(m, 1e-12f));
            const auto c = ramp(silent ? 0.0 : 1.0 - (top_db - db) / range_db);
            std::copy(c.begin(), c.end(), img.rgb.begin() + (static_cast<std::ptrdiff_t>(y) * img.width + x) * 3);
        }
    }
    return img;
}

std::string encode_png(const RgbImage& image) {
    std::string encoded;
    auto append = [](void* ctx, void* data, int size) {
        static_cast<std::string*>(ctx)->append(static_cast<const char*>(data), static_cast<size_t>(size));
    };
    if (!stbi_write_png_to_func(append, &encoded, image.width, image.height, 3, image.rgb.data(), image.width * 3)) {
        throw Error("PNG encoding failed (" + std::to_string(image.width) + "x" + std::to_string(image.height) + ")");
    }
    return encoded;
}

void write_png(const std::filesystem::path& path, const RgbImage& image) {
    try {
        io::write_file_atomic(path, encode_png(image));
    } catch (const Error& e) {
        throw Error(path.string() + ": " + e.what());
    }
}

}  // namespace earshot::report

// spectrogram_figure: the raw picture from render_spectrogram framed with axes, ticks, units,
// a title and a colour bar, so a PNG on its own says what it shows.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "host/report/canvas.hpp"
#include "host/report/spectrogram_png.hpp"

namespace earshot::report {
namespace {

constexpr Color kWhite{255, 255, 255}, kInk{30, 30, 30};

std::string number(double v, const char* format) {
    char text[32];
    std::snprintf(text, sizeof text, format, v);
    return text;
}

}  // namespace

RgbImage spectrogram_figure(std::span<const float> magnitudes, int frames, int bins, const std::string& title, double hop_seconds, double hz_per_bin,
                            int scale, double range_db) {
    const RgbImage plot = render_spectrogram(magnitudes, frames, bins, scale, range_db);
    const bool silent = !(*std::max_element(magnitudes.begin(), magnitudes.end()) > 0.0f);
    const int left = 64, top = 34, bottom = 46, bar_gap = 16, bar_w = 14, right = 86;
    RgbImage img = blank_image(left + plot.width + bar_gap + bar_w + right, top + plot.height + bottom, kWhite);
    draw_text(img, left, 10, silent ? title + " (SILENCE: ALL BELOW THE SCALE)" : title, kInk);
    // The plot, framed.
    for (int y = 0; y < plot.height; ++y) {
        std::copy_n(plot.rgb.begin() + static_cast<std::ptrdiff_t>(y) * plot.width * 3, plot.width * 3,
                    img.rgb.begin() + (static_cast<std::ptrdiff_t>(top + y) * img.width + left) * 3);
    }
    draw_line(img, left - 1, top, left - 1, top + plot.height, kInk);
    draw_line(img, left - 1, top + plot.height, left + plot.width, top + plot.height, kInk);
    // Frequency: a tick every 1 or 2 kHz, low at the bottom.
    const double top_hz = hz_per_bin * (bins - 1);
    const double step_khz = top_hz > 6000 ? 2.0 : 1.0;
    for (double khz = 0; khz * 1000 <= top_hz + 1e-6; khz += step_khz) {
        const int y = top + plot.height - 1 - static_cast<int>(std::lround(khz * 1000 / hz_per_bin * scale));
        draw_line(img, left - 5, y, left - 1, y, kInk);
        const std::string label = number(khz, "%.0f");
        draw_text(img, left - 8 - text_width(label), y - 5, label, kInk);
    }
    draw_text(img, 4, top + plot.height / 2 - 5, "KHZ", kInk);
    // Time: a tick every 0.25 s (or every second on long pictures), frame f centred at f * hop.
    const double seconds = hop_seconds * frames;
    const double step_s = seconds > 4 ? 1.0 : 0.25;
    for (double t = 0; t <= seconds + 1e-9; t += step_s) {
        const int x = left + static_cast<int>(std::lround(t / hop_seconds * scale));
        if (x > left + plot.width) break;
        draw_line(img, x, top + plot.height, x, top + plot.height + 4, kInk);
        const std::string label = number(t, step_s < 1 ? "%.2f" : "%.0f");
        draw_text(img, x - text_width(label) / 2, top + plot.height + 8, label, kInk);
    }
    const std::string x_title = "TIME (S)";
    draw_text(img, left + (plot.width - text_width(x_title)) / 2, top + plot.height + 26, x_title, kInk);
    // Colour bar: the ramp from range_db below the peak (bottom) to the peak (top), every 20 dB.
    const int bar_x = left + plot.width + bar_gap;
    for (int y = 0; y < plot.height; ++y) fill_rect(img, bar_x, top + y, bar_w, 1, ramp(1.0 - static_cast<double>(y) / (plot.height - 1)));
    for (double db = 0; db <= range_db + 1e-9; db += 20) {
        const int y = top + static_cast<int>(std::lround(db / range_db * (plot.height - 1)));
        draw_line(img, bar_x + bar_w, y, bar_x + bar_w + 3, y, kInk);
        draw_text(img, bar_x + bar_w + 6, y - 5, db == 0 ? "0 DB" : number(-db, "%.0f"), kInk);
    }
    draw_text(img, bar_x - 4, top + plot.height + 8, "DB BELOW", kInk, 1);
    draw_text(img, bar_x - 4, top + plot.height + 16, "THE PEAK", kInk, 1);
    return img;
}

}  // namespace earshot::report

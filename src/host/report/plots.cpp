#include "host/report/plots.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace earshot::report {
namespace {

constexpr Color kWhite{255, 255, 255}, kInk{30, 30, 30}, kGrid{225, 225, 225}, kStage{120, 120, 120};

std::string format_tick(double v) {
    char buf[32];
    const double a = std::fabs(v);
    std::snprintf(buf, sizeof buf, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", v);
    return buf;
}

}  // namespace

RgbImage line_chart(const std::string& title, const std::vector<Series>& series, const std::string& x_label, int width, int height,
                    const std::vector<StageMark>& stages) {
    RgbImage img = blank_image(width, height, kWhite);
    const int left = 56, right = 12, top = 28, bottom = 40;
    const int pw = width - left - right, ph = height - top - bottom;
    draw_text(img, left, 8, title, kInk);
    size_t n = 1;
    double lo = 0.0, hi = 1e-9;
    bool first = true;
    for (const auto& s : series) {
        n = std::max(n, s.values.size());
        for (double v : s.values) {
            if (!std::isfinite(v)) continue;
            lo = first ? v : std::min(lo, v);
            hi = first ? v : std::max(hi, v);
            first = false;
        }
    }
    lo = std::min(lo, 0.0);
    if (hi - lo < 1e-9) hi = lo + 1.0;
    const auto to_y = [&](double v) { return top + ph - static_cast<int>(std::lround((v - lo) / (hi - lo) * ph)); };
    const auto to_x = [&](size_t i) { return left + (n <= 1 ? 0 : static_cast<int>(std::lround(static_cast<double>(i) / static_cast<double>(n - 1) * pw))); };
    for (int t = 0; t <= 4; ++t) {
        const double v = lo + (hi - lo) * t / 4.0;
        const int y = to_y(v);
        draw_line(img, left, y, left + pw, y, kGrid);
        const std::string label = format_tick(v);
        draw_text(img, left - 6 - text_width(label), y - 5, label, kInk);
    }
    draw_line(img, left, top, left, top + ph, kInk);
    draw_line(img, left, top + ph, left + pw, top + ph, kInk);
    draw_text(img, left, top + ph + 8, "1", kInk);
    const std::string last = std::to_string(n);
    draw_text(img, left + pw - text_width(last), top + ph + 8, last, kInk);
    draw_text(img, left + (pw - text_width(x_label)) / 2, top + ph + 24, x_label, kInk);
    for (const StageMark& stage : stages) {  // dashed, with the stage's name just inside the plot
        const int x = to_x(static_cast<size_t>(std::max(stage.first_x, 1) - 1));
        for (int y = top; y < top + ph; y += 6) draw_line(img, x, y, x, std::min(y + 3, top + ph), kStage);
        draw_text(img, std::min(x + 3, left + pw - text_width(stage.name, 1)), top + 3, stage.name, kStage, 1);
    }
    int legend_x = left + pw;
    for (auto it = series.rbegin(); it != series.rend(); ++it) {
        legend_x -= text_width(it->name) + 24;
        fill_rect(img, legend_x, 10, 12, 6, it->color);
        draw_text(img, legend_x + 16, 8, it->name, kInk);
    }
    for (const auto& s : series) {
        for (size_t i = 1; i < s.values.size(); ++i) {
            if (!std::isfinite(s.values[i - 1]) || !std::isfinite(s.values[i])) continue;
            for (int thick = 0; thick < 2; ++thick) draw_line(img, to_x(i - 1), to_y(s.values[i - 1]) + thick, to_x(i), to_y(s.values[i]) + thick, s.color);
        }
        if (s.values.size() == 1) fill_rect(img, to_x(0) - 2, to_y(s.values[0]) - 2, 5, 5, s.color);
    }
    return img;
}

RgbImage det_chart(const std::string& title, const std::vector<Curve>& curves, int width, int height) {
    RgbImage img = blank_image(width, height, kWhite);
    const int left = 56, right = 16, top = 44, bottom = 44;
    const int pw = width - left - right, ph = height - top - bottom;
    draw_text(img, left, 8, title, kInk);
    double hi = 10.0;
    for (const Curve& c : curves) {
        for (const CurvePoint& p : c.points) hi = std::max(hi, p.false_alarms_per_hour);
    }
    const double decades = std::ceil(std::log10(hi)) + 1.0;  // from 0.1 = 10^-1
    const auto to_x = [&](double fa) {
        const double v = std::clamp((std::log10(std::max(fa, 0.1)) + 1.0) / decades, 0.0, 1.0);
        return left + static_cast<int>(std::lround(v * pw));
    };
    const auto to_y = [&](double recall) { return top + ph - static_cast<int>(std::lround(std::clamp(recall, 0.0, 1.0) * ph)); };
    for (int t = 0; t <= 4; ++t) {
        const int y = to_y(t / 4.0);
        draw_line(img, left, y, left + pw, y, kGrid);
        const std::string label = std::to_string(25 * t) + "%";
        draw_text(img, left - 6 - text_width(label), y - 5, label, kInk);
    }
    for (int d = 0; d <= static_cast<int>(decades); ++d) {
        const double v = std::pow(10.0, d - 1);
        const int x = to_x(v);
        draw_line(img, x, top, x, top + ph, kGrid);
        const std::string label = d == 0 ? "0-0.1" : format_tick(v);
        draw_text(img, x - text_width(label) / 2, top + ph + 6, label, kInk);
    }
    draw_line(img, left, top, left, top + ph, kInk);
    draw_line(img, left, top + ph, left + pw, top + ph, kInk);
    const std::string x_label = "FALSE ALARMS PER HOUR (LOG)";
    draw_text(img, left + (pw - text_width(x_label)) / 2, top + ph + 24, x_label, kInk);
    int legend_y = 26;
    int legend_x = left + pw;
    for (auto it = curves.rbegin(); it != curves.rend(); ++it) {
        legend_x -= text_width(it->name) + 24;
        fill_rect(img, legend_x, legend_y + 2, 12, 6, it->color);
        draw_text(img, legend_x + 16, legend_y, it->name, kInk);
    }
    for (const Curve& c : curves) {
        std::vector<CurvePoint> pts = c.points;
        std::sort(pts.begin(), pts.end(), [](const CurvePoint& a, const CurvePoint& b) {
            return a.false_alarms_per_hour < b.false_alarms_per_hour || (a.false_alarms_per_hour == b.false_alarms_per_hour && a.recall < b.recall);
        });
        for (size_t i = 1; i < pts.size(); ++i) {
            for (int thick = 0; thick < 2; ++thick) {
                draw_line(img, to_x(pts[i - 1].false_alarms_per_hour), to_y(pts[i - 1].recall) + thick, to_x(pts[i].false_alarms_per_hour),
                          to_y(pts[i].recall) + thick, c.color);
            }
        }
        if (c.marked) fill_rect(img, to_x(c.mark.false_alarms_per_hour) - 4, to_y(c.mark.recall) - 4, 9, 9, c.color);
    }
    return img;
}

RgbImage side_by_side(const RgbImage& a, const RgbImage& b) {
    RgbImage img = blank_image(a.width + b.width, std::max(a.height, b.height), kWhite);
    for (int part = 0; part < 2; ++part) {
        const RgbImage& src = part ? b : a;
        const int x0 = part ? a.width : 0;
        for (int y = 0; y < src.height; ++y) {
            std::copy_n(src.rgb.begin() + static_cast<std::ptrdiff_t>(y) * src.width * 3, src.width * 3,
                        img.rgb.begin() + (static_cast<std::ptrdiff_t>(y) * img.width + x0) * 3);
        }
    }
    return img;
}

RgbImage confusion_image(const std::vector<std::vector<int>>& counts, const std::vector<std::string>& classes, const std::string& title) {
    const int n = static_cast<int>(counts.size());
    const bool small = n <= 12;
    const int cell = small ? 36 : std::max(8, 600 / std::max(n, 1));
    size_t longest = 0;
    for (const auto& c : classes) longest = std::max(longest, std::min<size_t>(c.size(), 16));
    // Rows: "3 DOG" (number and name) when small, the number alone otherwise; columns: the numbers.
    const std::string widest_row = small ? std::to_string(std::max(n - 1, 0)) + " " + std::string(longest, 'M') : std::to_string(std::max(n - 1, 0));
    const int row_label_w = text_width(widest_row) + 12;
    const int axis_w = 16;  // "TRUE" written down the left edge
    const int left = axis_w + row_label_w, top = 58;
    const std::string caption = "ROWS: TRUE CLASS   COLUMNS: PREDICTED";
    RgbImage img = blank_image(std::max({left + n * cell + 12, text_width(title) + 16, text_width(caption, 1) + 16}), top + n * cell + 12, kWhite);
    draw_text(img, 8, 8, title, kInk);
    draw_text(img, 8, 26, caption, kInk, 1);
    for (size_t i = 0; i < 4; ++i) draw_text(img, 4, top + n * cell / 2 - 20 + static_cast<int>(i) * 12, std::string(1, "TRUE"[i]), kInk);
    for (int p = 0; p < n; ++p) {
        const std::string number = std::to_string(p);
        if (small || p % std::max(1, 20 / cell + 1) == 0) draw_text(img, left + p * cell + (cell - text_width(number, small ? 2 : 1)) / 2, top - 14, number, kInk, small ? 2 : 1);
    }
    for (int t = 0; t < n; ++t) {
        int row_total = 0;
        for (int v : counts[static_cast<size_t>(t)]) row_total += v;
        const std::string name = small ? std::to_string(t) + " " + classes[static_cast<size_t>(t)].substr(0, 16) : std::to_string(t);
        if (small || cell >= 12) draw_text(img, axis_w, top + t * cell + (cell - 10) / 2, name, kInk, small ? 2 : 1);
        for (int p = 0; p < n; ++p) {
            const int v = counts[static_cast<size_t>(t)][static_cast<size_t>(p)];
            const double rate = row_total ? static_cast<double>(v) / row_total : 0.0;
            // White to deep blue on the diagonal, white to red elsewhere: mistakes stand out.
            const auto shade = [&](int full) { return static_cast<unsigned char>(std::lround(255 - rate * (255 - full))); };
            const Color c = t == p ? Color{shade(20), shade(60), shade(160)} : Color{shade(200), shade(30), shade(30)};
            fill_rect(img, left + p * cell, top + t * cell, cell - 1, cell - 1, c);
            if (small && v > 0) {
                const std::string s = std::to_string(v);
                draw_text(img, left + p * cell + (cell - text_width(s)) / 2, top + t * cell + (cell - 10) / 2, s, rate > 0.5 ? kWhite : kInk);
            }
        }
    }
    return img;
}

}  // namespace earshot::report

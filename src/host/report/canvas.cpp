#include "host/report/canvas.hpp"

#include <cctype>
#include <cstdlib>
#include <cstdint>

namespace earshot::report {
namespace {

// Rows top to bottom, 3 bits each (4 = left column).
struct Glyph {
    char c;
    uint8_t rows[5];
};
constexpr Glyph kFont[] = {
    {'0', {7, 5, 5, 5, 7}}, {'1', {2, 6, 2, 2, 7}}, {'2', {7, 1, 7, 4, 7}}, {'3', {7, 1, 7, 1, 7}}, {'4', {5, 5, 7, 1, 1}},
    {'5', {7, 4, 7, 1, 7}}, {'6', {7, 4, 7, 5, 7}}, {'7', {7, 1, 1, 1, 1}}, {'8', {7, 5, 7, 5, 7}}, {'9', {7, 5, 7, 1, 7}},
    {'.', {0, 0, 0, 0, 2}}, {',', {0, 0, 0, 2, 4}}, {'-', {0, 0, 7, 0, 0}}, {'%', {5, 1, 2, 4, 5}}, {':', {0, 2, 0, 2, 0}}, {'/', {1, 1, 2, 4, 4}},
    {'_', {0, 0, 0, 0, 7}}, {'(', {1, 2, 2, 2, 1}}, {')', {4, 2, 2, 2, 4}}, {'=', {0, 7, 0, 7, 0}}, {'+', {0, 2, 7, 2, 0}},
    {'A', {2, 5, 7, 5, 5}}, {'B', {6, 5, 6, 5, 6}}, {'C', {3, 4, 4, 4, 3}}, {'D', {6, 5, 5, 5, 6}}, {'E', {7, 4, 6, 4, 7}},
    {'F', {7, 4, 6, 4, 4}}, {'G', {3, 4, 5, 5, 3}}, {'H', {5, 5, 7, 5, 5}}, {'I', {7, 2, 2, 2, 7}}, {'J', {1, 1, 1, 5, 2}},
    {'K', {5, 5, 6, 5, 5}}, {'L', {4, 4, 4, 4, 7}}, {'M', {5, 7, 7, 5, 5}}, {'N', {6, 5, 5, 5, 5}}, {'O', {2, 5, 5, 5, 2}},
    {'P', {6, 5, 6, 4, 4}}, {'Q', {2, 5, 5, 6, 3}}, {'R', {6, 5, 6, 5, 5}}, {'S', {3, 4, 2, 1, 6}}, {'T', {7, 2, 2, 2, 2}},
    {'U', {5, 5, 5, 5, 7}}, {'V', {5, 5, 5, 5, 2}}, {'W', {5, 5, 7, 7, 5}}, {'X', {5, 5, 2, 5, 5}}, {'Y', {5, 5, 2, 2, 2}},
    {'Z', {7, 1, 2, 4, 7}},
};

const Glyph* glyph(char c) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (const auto& g : kFont) {
        if (g.c == c) return &g;
    }
    return nullptr;
}

void put(RgbImage& img, int x, int y, Color c) {
    if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
    const size_t i = (static_cast<size_t>(y) * static_cast<size_t>(img.width) + static_cast<size_t>(x)) * 3;
    img.rgb[i] = static_cast<char>(c[0]);
    img.rgb[i + 1] = static_cast<char>(c[1]);
    img.rgb[i + 2] = static_cast<char>(c[2]);
}

}  // namespace

RgbImage blank_image(int width, int height, Color background) {
    RgbImage img{width, height, {}};
    img.rgb.resize(static_cast<size_t>(width) * static_cast<size_t>(height) * 3);
    fill_rect(img, 0, 0, width, height, background);
    return img;
}

void fill_rect(RgbImage& img, int x, int y, int w, int h, Color c) {
    for (int j = y; j < y + h; ++j) {
        for (int i = x; i < x + w; ++i) put(img, i, j, c);
    }
}

void draw_line(RgbImage& img, int x0, int y0, int x1, int y1, Color c) {
    const int dx = std::abs(x1 - x0), sx = x0 < x1 ? 1 : -1, dy = -std::abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
    for (int err = dx + dy;;) {  // Bresenham
        put(img, x0, y0, c);
        if (x0 == x1 && y0 == y1) return;
        const int e2 = 2 * err;
        if (e2 >= dy) err += dy, x0 += sx;
        if (e2 <= dx) err += dx, y0 += sy;
    }
}

int text_width(std::string_view text, int scale) { return static_cast<int>(text.size()) * 4 * scale; }

int draw_text(RgbImage& img, int x, int y, std::string_view text, Color c, int scale) {
    int cx = x;
    for (char ch : text) {
        if (const Glyph* g = glyph(ch)) {
            for (int row = 0; row < 5; ++row) {
                for (int col = 0; col < 3; ++col) {
                    if (g->rows[row] & (4 >> col)) fill_rect(img, cx + col * scale, y + row * scale, scale, scale, c);
                }
            }
        }
        cx += 4 * scale;
    }
    return cx - x;
}

}  // namespace earshot::report

// Minimal raster drawing for report pictures: rectangles, lines and a 3x5 pixel font, so
// plots carry their own numbers and labels without a font library.
#pragma once
#include <array>
#include <string_view>

#include "host/report/spectrogram_png.hpp"

namespace earshot::report {

using Color = std::array<unsigned char, 3>;

RgbImage blank_image(int width, int height, Color background);
void fill_rect(RgbImage& img, int x, int y, int w, int h, Color c);
void draw_line(RgbImage& img, int x0, int y0, int x1, int y1, Color c);
// Text in upper case at pixel size `scale` (a glyph is 3 x 5 cells plus 1 cell of spacing);
// characters without a glyph are drawn as blanks. Returns the width drawn.
int draw_text(RgbImage& img, int x, int y, std::string_view text, Color c, int scale = 2);
int text_width(std::string_view text, int scale = 2);

}  // namespace earshot::report

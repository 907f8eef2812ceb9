// Report pictures: line charts (training curves) and a confusion-matrix heat map.
#pragma once
#include <string>
#include <vector>

#include "host/report/canvas.hpp"

namespace earshot::report {

struct Series {
    std::string name;
    std::vector<double> values;  // one per x = 1, 2, ...
    Color color;
};

// A chart with a title, y-axis tick labels, x from 1 to the longest series, and a legend.
RgbImage line_chart(const std::string& title, const std::vector<Series>& series, const std::string& x_label, int width = 480, int height = 300);

// A DET-style chart: event recall (y, 0..100%) against false alarms per hour (x, log scale
// from 0.1 to the largest value; 0 drawn at the left edge), one curve per series of points,
// with an optional marked operating point per series.
struct CurvePoint {
    double false_alarms_per_hour = 0.0, recall = 0.0;
};
struct Curve {
    std::string name;
    std::vector<CurvePoint> points;
    Color color;
    bool marked = false;
    CurvePoint mark;
};
RgbImage det_chart(const std::string& title, const std::vector<Curve>& curves, int width = 560, int height = 360);

// Two charts side by side.
RgbImage side_by_side(const RgbImage& left, const RgbImage& right);

// counts[true][predicted]; cells shaded by the row-normalized rate, counts written when the
// matrix is small enough to read, class names (or indices) on the rows.
RgbImage confusion_image(const std::vector<std::vector<int>>& counts, const std::vector<std::string>& classes);

}  // namespace earshot::report

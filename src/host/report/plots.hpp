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

// Where a training stage begins (1-based x), drawn as a dashed line with its name.
struct StageMark {
    int first_x = 1;
    std::string name;
};

// A chart with a title, y-axis tick labels, x from 1 to the longest series, a legend, and the
// training stages marked.
RgbImage line_chart(const std::string& title, const std::vector<Series>& series, const std::string& x_label, int width = 480, int height = 300,
                    const std::vector<StageMark>& stages = {});

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

// counts[true][predicted] under `title`; cells shaded by the row-normalized rate, counts written
// when the matrix is small enough to read; rows numbered and named (true class), columns
// numbered the same way (predicted class), both axes labelled.
RgbImage confusion_image(const std::vector<std::vector<int>>& counts, const std::vector<std::string>& classes,
                         const std::string& title = "CONFUSION MATRIX");

}  // namespace earshot::report

#include <nlohmann/json.hpp>
#include "host/train/metrics.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "host/error.hpp"

namespace earshot::train {

ClassificationReport classification_report(const std::vector<int>& labels, const std::vector<int>& predictions,
                                            const std::vector<std::string>& classes, double loss) {
    ClassificationReport r;
    const size_t n = classes.size();
    r.classes = classes;
    r.loss = loss;
    r.samples = labels.size();
    r.confusion.assign(n, std::vector<int>(n, 0));
    if (predictions.size() != labels.size()) throw Error("classification report: " + std::to_string(predictions.size()) + " predictions for " + std::to_string(labels.size()) + " labels");
    for (size_t i = 0; i < labels.size(); ++i) {
        // Never index past the matrix: a model whose output does not match the classes is a bug to report.
        if (labels[i] < 0 || static_cast<size_t>(labels[i]) >= n || predictions[i] < 0 || static_cast<size_t>(predictions[i]) >= n) {
            throw Error("classification report: class index out of range (label " + std::to_string(labels[i]) + ", prediction " +
                        std::to_string(predictions[i]) + ", " + std::to_string(n) + " classes)");
        }
        ++r.confusion[static_cast<size_t>(labels[i])][static_cast<size_t>(predictions[i])];
    }
    size_t hits = 0;
    r.recall.assign(n, 0.0);
    r.precision.assign(n, 0.0);
    r.support.assign(n, 0);
    for (size_t c = 0; c < n; ++c) {
        int row = 0, col = 0;
        for (size_t k = 0; k < n; ++k) {
            row += r.confusion[c][k];
            col += r.confusion[k][c];
        }
        r.support[c] = row;
        hits += static_cast<size_t>(r.confusion[c][c]);
        if (row) r.recall[c] = static_cast<double>(r.confusion[c][c]) / row;
        if (col) r.precision[c] = static_cast<double>(r.confusion[c][c]) / col;
    }
    r.accuracy = labels.empty() ? 0.0 : static_cast<double>(hits) / static_cast<double>(labels.size());
    return r;
}

nlohmann::json to_json(const ClassificationReport& r) {
    nlohmann::json per_class = nlohmann::json::array();
    for (size_t c = 0; c < r.classes.size(); ++c) {
        // null, not 0, where there is nothing to measure: a class with no samples, or never predicted.
        int predicted = 0;
        for (size_t k = 0; k < r.classes.size(); ++k) predicted += r.confusion[k][c];
        per_class.push_back({{"class", r.classes[c]},
                             {"accuracy", r.support[c] ? nlohmann::json(r.recall[c]) : nlohmann::json()},
                             {"precision", predicted ? nlohmann::json(r.precision[c]) : nlohmann::json()},
                             {"support", r.support[c]}});
    }
    return {{"samples", r.samples}, {"accuracy", r.samples ? nlohmann::json(r.accuracy) : nlohmann::json()}, {"loss", r.samples ? nlohmann::json(r.loss) : nlohmann::json()}, {"per_class", per_class}, {"classes", r.classes}, {"confusion", r.confusion}};
}

namespace {
std::string percent(double fraction) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f%%", 100.0 * fraction);
    return text;
}
}  // namespace

std::string format_report(const ClassificationReport& r) {
    std::string out;
    char line[256];
    if (r.samples == 0) return "accuracy n/a (0 soundbites)\n";
    std::snprintf(line, sizeof line, "accuracy %.2f%% (%zu soundbites), loss %.4f\n", 100.0 * r.accuracy, r.samples, r.loss);
    out += line;
    size_t width = 5;
    for (const auto& c : r.classes) width = std::max(width, std::min<size_t>(c.size(), 24));
    std::snprintf(line, sizeof line, "  %-*s  %8s  %9s  %7s\n", static_cast<int>(width), "class", "accuracy", "precision", "support");
    out += line;
    for (size_t c = 0; c < r.classes.size(); ++c) {
        int predicted = 0;
        for (size_t k = 0; k < r.classes.size(); ++k) predicted += r.confusion[k][c];
        const std::string recall = r.support[c] ? percent(r.recall[c]) : "n/a", precision = predicted ? percent(r.precision[c]) : "n/a";
        std::snprintf(line, sizeof line, "  %-*s  %8s  %9s  %7d\n", static_cast<int>(width), r.classes[c].substr(0, 24).c_str(), recall.c_str(),
                      precision.c_str(), r.support[c]);
        out += line;
    }
    if (r.classes.size() <= 20) {
        out += "confusion (rows true, columns predicted):\n";
        for (size_t t = 0; t < r.classes.size(); ++t) {
            std::snprintf(line, sizeof line, "  %-*s", static_cast<int>(width), r.classes[t].substr(0, 24).c_str());
            out += line;
            for (int v : r.confusion[t]) {
                std::snprintf(line, sizeof line, " %5d", v);
                out += line;
            }
            out += "\n";
        }
    }
    return out;
}

}  // namespace earshot::train

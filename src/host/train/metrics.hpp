// Classification metrics: accuracy, per-class accuracy (recall) and precision, confusion matrix.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace earshot::train {

struct ClassificationReport {
    std::vector<std::string> classes;
    std::vector<std::vector<int>> confusion;  // [true][predicted]
    std::vector<double> recall, precision;    // per class; NaN-free (0 when undefined)
    std::vector<int> support;                 // samples per true class
    double accuracy = 0.0, loss = 0.0;
    size_t samples = 0;
};

ClassificationReport classification_report(const std::vector<int>& labels, const std::vector<int>& predictions,
                                            const std::vector<std::string>& classes, double loss);
nlohmann::json to_json(const ClassificationReport& r);
// Accuracy, a per-class table and (up to 20 classes) the confusion matrix, as plain text.
std::string format_report(const ClassificationReport& r);

}  // namespace earshot::train

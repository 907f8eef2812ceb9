#include <nlohmann/json.hpp>
#include "host/jobs/reports.hpp"

#include "host/io/atomic_file.hpp"
#include "host/report/plots.hpp"
#include "host/train/checkpoint.hpp"

namespace earshot::jobs {

void write_training_curves(const std::filesystem::path& png, const std::vector<train::EpochRecord>& history,
                           const std::vector<report::StageMark>& stages) {
    std::vector<double> loss, val_loss, acc, val_acc;
    for (const auto& r : history) {
        loss.push_back(r.loss);
        val_loss.push_back(r.val_loss);
        acc.push_back(100.0 * r.accuracy);
        val_acc.push_back(100.0 * r.val_accuracy);
    }
    const report::Color train_color{40, 90, 200}, val_color{230, 110, 20};
    const auto left = report::line_chart("LOSS", {{"TRAIN", loss, train_color}, {"VAL", val_loss, val_color}}, "EPOCH", 480, 300, stages);
    const auto right = report::line_chart("ACCURACY %", {{"TRAIN", acc, train_color}, {"VAL", val_acc, val_color}}, "EPOCH", 480, 300, stages);
    report::write_png(png, report::side_by_side(left, right));
}

void write_evaluation_outputs(const std::filesystem::path& dir, const train::ClassificationReport& report,
                              const std::vector<train::EpochRecord>& history, nlohmann::json context) {
    std::filesystem::create_directories(dir);
    context["evaluation"] = train::to_json(report);
    if (!history.empty()) {
        context["history"] = train::history_to_json(history);
        write_training_curves(dir / "training_curves.png", history);
    }
    const std::string split = context.contains("split") && context["split"].is_string() ? context["split"].get<std::string>() : "evaluation";
    report::write_png(dir / "confusion.png", report::confusion_image(report.confusion, report.classes, "CONFUSION MATRIX, " + split + " SPLIT"));
    io::write_file_atomic(dir / "metrics.json", context.dump(2) + "\n");
}

}  // namespace earshot::jobs

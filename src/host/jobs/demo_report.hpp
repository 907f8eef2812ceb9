// What `earshot demo` tells its user: metrics.json, plots, example spectrograms and a
// self-contained report.html (pictures are files beside it), plus a summary on stdout.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "host/jobs/detector_data.hpp"
#include "host/train/metrics.hpp"
#include "host/train/trainer.hpp"

namespace earshot::jobs {

struct DemoStage {
    std::string name;
    int epochs = 0;
    std::string stop_reason;
};

struct DemoReport {
    std::string data_source;
    std::vector<DemoStage> stages;
    train::ClassificationReport float_report, ptq_report, int8_report;
    std::optional<train::ClassificationReport> qat_report;
    std::string final_kind;  // which int8 model was exported
    int64_t arena_bytes = 0, weight_bytes = 0;
    size_t tflite_bytes = 0, parameters = 0;
    std::vector<train::EpochRecord> history;
    double seconds = 0;
};

void write_demo_report(const std::filesystem::path& dir, const DemoReport& report, const DetectorData& data);

}  // namespace earshot::jobs

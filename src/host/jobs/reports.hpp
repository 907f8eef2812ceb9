// What train and eval leave in their output folder: metrics.json, confusion.png and
// training_curves.png (each written atomically).
#pragma once
#include <filesystem>
#include <vector>

#include "host/report/plots.hpp"

#include <nlohmann/json_fwd.hpp>

#include "host/train/metrics.hpp"
#include "host/train/trainer.hpp"

namespace earshot::jobs {

// Loss and accuracy per epoch; `stages` marks where each training stage (head, fine-tune, ...) begins.
void write_training_curves(const std::filesystem::path& png, const std::vector<train::EpochRecord>& history,
                           const std::vector<report::StageMark>& stages = {});

// metrics.json = `context` + {"evaluation": report, "history": ...}; confusion.png; and the
// curves when there is a history.
void write_evaluation_outputs(const std::filesystem::path& dir, const train::ClassificationReport& report,
                              const std::vector<train::EpochRecord>& history, nlohmann::json context);

}  // namespace earshot::jobs

// `earshot train`: dataset -> splits manifest -> cached features -> training with checkpoints
// every epoch -> evaluation on the test split, all into one output folder:
//   manifest.json  config.json  train_state.ckpt (resumable)  model.ckpt (best weights)
//   metrics.json  training_curves.png  confusion.png
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "host/data/features.hpp"

namespace earshot::jobs {

struct TrainJobOptions {
    std::string dataset;                       // esc50:PATH | folder:PATH
    std::filesystem::path out;
    std::optional<std::filesystem::path> config;  // model config JSON; default: the reference model
    std::optional<int> epochs, batch_size;
    std::optional<double> learning_rate;
    uint64_t seed = 0;
    std::string split;                         // "" = folds for ESC-50, ratio otherwise
    bool resume = false;
    std::optional<std::filesystem::path> cache_dir;  // nullopt: data::default_cache_dir()
    bool use_cache = true;
    unsigned threads = 0;                      // feature extraction; 0 = all cores
    data::FrontEndSettings front_end;
    bool quiet = false;
    // Stop (resumably) after this many epochs in this invocation; for tests of --resume.
    std::optional<int> stop_after_epochs;
};

struct TrainJobResult {
    int epochs_done = 0;
    bool finished = false;
    double test_accuracy = 0.0, val_accuracy = 0.0;
    size_t train_items = 0, val_items = 0, test_items = 0, skipped_clips = 0, cache_hits = 0;
};

TrainJobResult run_train_job(const TrainJobOptions& options);

}  // namespace earshot::jobs

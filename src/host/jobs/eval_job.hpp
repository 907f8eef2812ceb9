// `earshot eval`: a trained model on a dataset -> accuracy, per-class accuracy, confusion
// matrix on stdout; metrics.json, confusion.png (and the training curves) in the output folder.
#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include "host/train/metrics.hpp"

namespace earshot::jobs {

struct EvalJobOptions {
    std::filesystem::path model;  // a training output folder or a model .ckpt
    std::string dataset;
    // "test", "val", "train" or "all"; "" = the run's test split when the dataset is the one
    // the model was trained on (its manifest.json), otherwise all clips.
    std::string split;
    std::optional<std::filesystem::path> out;  // default: the model's folder
    std::optional<std::filesystem::path> cache_dir;
    bool use_cache = true;
    unsigned threads = 0;
    bool quiet = false;
};

train::ClassificationReport run_eval_job(const EvalJobOptions& options);

}  // namespace earshot::jobs

// The JSON model config: architecture ("input", "layers") and training defaults ("training").
// The reference tutorial's CNN is the default; users edit a copy (`earshot train --print-config`).
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "host/train/network.hpp"

namespace earshot::train {

enum class ScheduleKind { constant, exponential, plateau };

struct ScheduleConfig {
    ScheduleKind kind = ScheduleKind::exponential;
    int after_epoch = 100;     // exponential: lr *= exp(-decay) for every epoch from this one on
    double decay = 0.1;
    double factor = 0.5;       // plateau: lr *= factor after `patience` epochs without a better val loss
    int patience = 5;
    double min_learning_rate = 1e-6;
};

struct TrainingConfig {
    double learning_rate = 1e-3;  // Adam
    int batch_size = 32;
    int epochs = 250;
    int early_stopping_patience = 25;  // epochs without a better val loss; 0 disables
    bool restore_best_weights = true;
    ScheduleConfig schedule;
};

// The reference model: 124x129x1 -> resize 32x32 nearest -> normalization -> conv 8@8x8/2 relu
// -> maxpool 2x2 -> flatten -> dropout 0.25 -> dense(classes) softmax, and its training recipe.
nlohmann::json default_model_config();

// Reads a JSON file; errors name the file and the parse position.
nlohmann::json read_json_file(const std::filesystem::path& path);

// Builds and initializes the network ("units": "classes" becomes `classes`, or 1 for a sigmoid
// output with 2 classes). Errors name the layer and the field.
Network build_network(const nlohmann::json& config, int classes, uint64_t seed);

TrainingConfig training_config(const nlohmann::json& config);

}  // namespace earshot::train

// Checkpoints: a small versioned binary format, written atomically.
//
//   "ESHTCKPT" | u32 version | u32 n + n bytes of JSON metadata | u32 tensor count |
//   per tensor: u16 n + name, u8 rank, rank x i32 dims, f32 values | u32 FNV-1a of all before
//
// All integers and floats little-endian. The metadata holds the model config, the class names,
// the front-end settings and (for a training checkpoint) the trainer's state; tensors hold
// parameters, normalization statistics and optimizer moments.
#pragma once
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/train/network.hpp"
#include "host/train/trainer.hpp"

namespace earshot::train {

inline constexpr uint32_t kCheckpointVersion = 1;

struct Checkpoint {
    nlohmann::json meta;
    std::vector<std::pair<std::string, Tensor>> tensors;
    const Tensor* find(const std::string& name) const;
};

std::string encode_checkpoint(const Checkpoint& c);
// Errors name `source` (a path) and say what is wrong: not a checkpoint, newer version,
// truncated, checksum mismatch.
Checkpoint decode_checkpoint(const std::string& bytes, const std::string& source);
void write_checkpoint(const std::filesystem::path& path, const Checkpoint& c);
Checkpoint read_checkpoint(const std::filesystem::path& path);

// A trained model: the network, its class names, and the front end its features came from.
struct SavedModel {
    Network network;
    std::vector<std::string> classes;
    nlohmann::json front_end;
};

Checkpoint model_checkpoint(Network& net, const std::vector<std::string>& classes, const nlohmann::json& front_end);
SavedModel model_from_checkpoint(const Checkpoint& c, const std::string& source);
void save_model(const std::filesystem::path& path, Network& net, const std::vector<std::string>& classes, const nlohmann::json& front_end);
SavedModel load_model(const std::filesystem::path& path);

// The model plus the whole TrainState, for --resume.
Checkpoint training_checkpoint(Network& net, const TrainState& state, const std::vector<std::string>& classes, const nlohmann::json& front_end);
TrainState training_state_from_checkpoint(const Checkpoint& c, Network& net, const std::string& source);

nlohmann::json history_to_json(const std::vector<EpochRecord>& history);
std::vector<EpochRecord> history_from_json(const nlohmann::json& history);  // throws json exceptions on bad input

}  // namespace earshot::train

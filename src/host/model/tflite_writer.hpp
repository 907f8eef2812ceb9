// Graph -> .tflite bytes (schema version 3), loadable by TFLM and by earshot's reader.
#pragma once
#include <cstdint>
#include <filesystem>
#include <vector>

#include "host/model/graph.hpp"

namespace earshot::model {

std::vector<uint8_t> write_tflite(const Graph& graph);

// Writes atomically.
void save_tflite(const std::filesystem::path& path, const Graph& graph);

}  // namespace earshot::model

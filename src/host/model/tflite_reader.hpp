// .tflite -> Graph. Every buffer passes the flatbuffers verifier first, then earshot's own
// checks; anything wrong is an earshot::Error naming the file and the problem.
#pragma once
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "host/model/graph.hpp"

namespace earshot::model {

Graph read_tflite(std::span<const uint8_t> bytes, const std::string& source_name);
Graph load_tflite(const std::filesystem::path& path);

}  // namespace earshot::model

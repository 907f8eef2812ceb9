// Ahead-of-time compilation of a Plan into C++17 source for the device: weights and biases
// as const arrays, every kernel parameter a literal, the operators as straight-line calls,
// and the arena layout as constants. The device never parses a flatbuffer.
#pragma once
#include <filesystem>
#include <string>

#include "host/nn/plan.hpp"

namespace earshot::nn {

struct CompiledSource {
    std::string header;  // <name>.hpp
    std::string source;  // <name>.cpp
};

// `name` becomes the C++ namespace and the file stem; it must be a C identifier.
CompiledSource compile_plan(const Plan& plan, const std::string& name, const std::string& origin);

// Writes <dir>/<name>.hpp and <dir>/<name>.cpp atomically; creates `dir` if needed.
void write_compiled_model(const CompiledSource& src, const std::filesystem::path& dir, const std::string& name);

}  // namespace earshot::nn

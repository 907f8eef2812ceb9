// A .tflite as a C/C++ header, like `xxd -i` but aligned for TFLM:
//   alignas(8) const unsigned char NAME[] = {...}; const unsigned int NAME_len = N;
#pragma once
#include <cstdint>
#include <span>
#include <string>

namespace earshot::model {

// `name` must be a C identifier (earshot::Error otherwise).
std::string c_array_header(std::span<const uint8_t> bytes, const std::string& name, const std::string& origin);

}  // namespace earshot::model

// Reading a whole input file, with errors that name it: a missing file, a folder, no permission.
#pragma once
#include <filesystem>
#include <string>

namespace earshot::io {

// `what` names the expected kind in the folder message ("a .tflite model", "a flash image").
std::string read_file(const std::filesystem::path& path, const char* what = "a file");

}  // namespace earshot::io

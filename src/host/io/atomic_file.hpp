// Outputs are written to a temporary file beside the target and renamed into place, so an
// interrupted run leaves either the old file or the complete new one, never a torn one.
#pragma once
#include <filesystem>
#include <functional>
#include <string_view>

namespace earshot::io {

// Calls `write_to(temp_path)` to produce the file, then renames it onto `target`.
// If `write_to` throws, the temporary file is removed and the exception propagates.
void replace_file_atomically(const std::filesystem::path& target,
                             const std::function<void(const std::filesystem::path&)>& write_to);

// Writes `bytes` to `target` atomically.
void write_file_atomic(const std::filesystem::path& target, std::string_view bytes);

}  // namespace earshot::io

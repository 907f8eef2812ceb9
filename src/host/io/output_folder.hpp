// A job's output folder, replaced as a whole: the job writes into OUT.partial and, when it has
// finished, that folder takes OUT's place; an interrupted run leaves the previous OUT intact.
#pragma once
#include <filesystem>

namespace earshot::io {

// Creates (empty) OUT.partial and returns it; errors name the folder.
std::filesystem::path begin_output_folder(const std::filesystem::path& out);

// Moves the finished OUT.partial onto OUT.
void publish_output_folder(const std::filesystem::path& staging, const std::filesystem::path& out);

}  // namespace earshot::io

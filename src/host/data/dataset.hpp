// Labelled audio datasets: the ESC-50 layout (audio/*.wav + meta/esc50.csv with fold, target,
// category) and a folder-per-class layout (root/<label>/*.wav). Opening checks everything it
// can without decoding audio and names every bad row or file in one error.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace earshot::data {

enum class DatasetKind { esc50, folder };

struct Clip {
    std::filesystem::path path;
    std::string relative;  // path below the dataset root, as the manifest records it
    int label = 0;         // index into Dataset::classes
    int fold = 0;          // ESC-50 fold 1..5; 0 for folder datasets
};

struct Dataset {
    DatasetKind kind = DatasetKind::folder;
    std::filesystem::path root;
    std::string spec;  // "esc50:PATH" or "folder:PATH", as given
    std::vector<std::string> classes;
    std::vector<Clip> clips;
};

// "esc50:PATH" or "folder:PATH".
Dataset open_dataset(const std::string& spec);
Dataset open_esc50(const std::filesystem::path& root);
Dataset open_folder(const std::filesystem::path& root);

bool is_audio_file(const std::filesystem::path& p);

// Every audio file below `dir` (recursively), sorted; empty when there is none.
std::vector<std::filesystem::path> audio_files_under(const std::filesystem::path& dir);

}  // namespace earshot::data

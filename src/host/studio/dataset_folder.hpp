// The studio's view of a dataset folder in the layout `earshot demo --data` trains on:
//   DIR/alarms/<kind>/*.wav|flac|...      DIR/background/<kind>/*.wav|flac|...
// A "class" is one such kind folder (or alarms/ or background/ itself for files lying there).
// Every name that comes from the browser goes through resolve_inside(): relative, no "..", no
// hidden parts, and no symlink on the way, so nothing outside DIR can be read, moved or written.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace earshot::studio {

// DIR / name, after checking `name` as above (throws earshot::Error saying what is wrong).
// The path need not exist; whatever of it exists must be real folders and files.
std::filesystem::path resolve_inside(const std::filesystem::path& root, const std::string& name);

// "alarms" or "background", optionally "/<kind>" with a kind of letters, digits, '_', '-', '.'.
bool is_class_name(const std::string& name);

struct ClipInfo {
    std::string name;  // relative to DIR: "alarms/kitchen/take-001.wav"
    double seconds = 0;
    int sample_rate = 0, channels = 0;
    std::string problem;  // why it cannot be read ("" when fine)
};

struct ClassInfo {
    std::string name;  // "alarms/kitchen"
    int label = 0;     // 1 alarm, 0 background
    std::vector<ClipInfo> clips;
    double seconds = 0;
};

struct DatasetView {
    std::vector<ClassInfo> classes;
    std::vector<std::string> warnings;  // what `earshot demo --data DIR` would trip over
    int trash_entries = 0;              // deletions that can be undone
};

DatasetView scan_dataset(const std::filesystem::path& root);
nlohmann::json to_json(const DatasetView& view);

// Moves a clip to another class (relabel); returns its new name. Refuses to overwrite.
std::string move_clip(const std::filesystem::path& root, const std::string& name, const std::string& to_class);
// Moves a clip into DIR/.trash (numbered, newest last); undo_delete() puts the newest back and
// returns its name.
void delete_clip(const std::filesystem::path& root, const std::string& name);
std::string undo_delete(const std::filesystem::path& root);

// A take from the browser: WAV bytes that must decode as 16 kHz mono, 1 to 10 s. Written
// atomically into the class folder (created if new) as take-NNN.wav; returns its name.
std::string save_take(const std::filesystem::path& root, const std::string& class_name, std::string_view wav_bytes);

}  // namespace earshot::studio

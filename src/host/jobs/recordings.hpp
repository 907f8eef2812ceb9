// A folder tree of real recordings for the detector, like ../shared/realdata:
//   ROOT/alarms/<kind>/*.flac|wav|...       alarm recordings (an alarm sounds somewhere in each)
//   ROOT/background/<kind>/*.flac|wav|...   recordings without alarms
// split by recording, never by soundbite: every file belongs to a group (its name, or the
// YouTube id of an AudioSet segment "ID_START.flac", so two segments of one video stay on one
// side), and groups are dealt to train / val / test per kind with a seed.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace earshot::jobs {

struct Recording {
    std::filesystem::path path;
    std::string name;   // relative to the root: "alarms/pico_tutorial/x.flac"
    std::string kind;   // "alarms/pico_tutorial"
    std::string group;  // the split unit
    int label = 0;      // 1 alarm, 0 background
};

// Errors name the folder: missing root, no alarms/ or background/ folder, no audio in one.
std::vector<Recording> list_recordings(const std::filesystem::path& root);

std::string recording_group(const std::filesystem::path& file);

struct RecordingSplit {
    std::vector<Recording> train, val, test;
};

// One fold of a k-fold split: test is the `index`-th of `count` equal parts of each kind's
// shuffled groups, so the `count` folds of one seed test every recording exactly once.
struct Fold {
    int index = 0;  // 0 .. count - 1
    int count = 0;  // 0: no folds, the fractions decide
};

// Per kind, groups shuffled with `seed`; a kind with >= 3 groups gives test at least one and,
// with >= 4, val at least one. With a fold, test is that fold's part of every kind and val the
// val_fraction of the groups that follow it (wrapping round), the rest train.
RecordingSplit split_recordings(const std::vector<Recording>& recordings, double val_fraction, double test_fraction, uint64_t seed, Fold fold = {});

nlohmann::json split_manifest(const RecordingSplit& split, uint64_t seed, double val_fraction, double test_fraction, Fold fold = {});

}  // namespace earshot::jobs

// The detector's data: alarm clips (positives) and background clips, from the built-in
// generator or from folders; split by clip (train/val/test, stratified, seeded) so no clip's
// soundbites land in two sets; training positives balanced by augmentation; q15 features.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "host/audio/augment.hpp"
#include "host/train/feature_set.hpp"

namespace earshot::jobs {

struct DetectorDataOptions {
    int alarm_clips = 48, background_clips_per_kind = 12;  // built-in data
    double clip_seconds = 4.0;
    std::optional<std::filesystem::path> positives, background;  // real folders instead
    double val_fraction = 0.15, test_fraction = 0.15;
    audio::BalanceOptions balance;
    uint64_t seed = 1;
    unsigned threads = 0;
};

struct DetectorData {
    std::vector<std::string> classes{"background", "alarm"};
    train::FeatureSet train, val, test;
    size_t positive_clips = 0, background_clips = 0, augmented = 0;
    std::vector<std::string> skipped;  // unreadable files
    std::vector<int16_t> example_alarm, example_background;  // one test bite each, for the report
    std::string source;  // "built-in generator" or the folders
};

DetectorData build_detector_data(const DetectorDataOptions& options);

}  // namespace earshot::jobs

// Training data for the default detector from real recordings (a folder like
// ../shared/realdata, see recordings.hpp) plus the built-in generator for variety: split by
// recording, log band features computed by the device's own streaming front end, windows
// labelled per soundbite (alarm recordings through alarm_activity: windows with no alarm sound
// are left out), and augmented for real conditions: alarms mixed into other backgrounds at
// -5..+20 dB SNR, +-20 dB level, rooms, microphone responses, clipping (backgrounds get the same
// rooms, microphones and levels, so "processed" never means "alarm").
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/audio/default_data.hpp"
#include "host/jobs/recordings.hpp"
#include "host/model/detector_metadata.hpp"
#include "host/train/feature_set.hpp"

namespace earshot::jobs {

struct RealDataOptions {
    std::optional<std::filesystem::path> root;  // recordings; none: the built-in generator only
    bool builtin = true;                         // add the generator's alarms and backgrounds to training
    int builtin_alarm_clips = 48, builtin_background_clips = 12;  // with builtin: the generator's alarms, and clips per background kind
    int sounder_clips = 0;                       // with builtin: this many more generated alarms of other sounder kinds
    uint32_t sounder_patterns = audio::kAllSounderPatterns;  // which kinds (audio::SounderPattern bits)
    model::FeatureSettings features = model::default_log_band_features();
    double val_fraction = 0.15, test_fraction = 0.25;
    bool train_on_all = false;   // test recordings join training (for the model that ships)
    int hop_blocks = 4;          // blocks between training windows (128 ms)
    double augmented_positives = 3.0;  // per real positive window
    double augmented_negatives = 0.3;  // per real negative window
    bool augment = true;
    double pitch_down_octaves = 0;  // > 0: half the augmented alarms lowered by up to this much (resampled)
    bool balance_alarm_recordings = false;  // augmented alarms drawn per recording, not per window
    int band_shift = 0;             // > 0: half the augmented windows, alarm and background alike, moved up or down by 1..this many bands
    uint64_t seed = 1;
    std::optional<uint64_t> split_seed;  // the recordings' split (default: seed), so one split can be trained with several seeds
    Fold fold;                      // count > 0: test is this fold of a k-fold split (replaces test_fraction)
    // Hand-marked alarm spans (TSV, names relative to root, data/alarm_spans.hpp): alarm blocks
    // outside them are not taught as alarm. Recordings without a row keep the band-energy labels.
    std::optional<std::filesystem::path> alarm_spans;
    unsigned threads = 0;
};

struct RealDetectorData {
    std::vector<std::string> classes{"background", "alarm"};
    train::FeatureSet train, val, test;
    RecordingSplit split;
    nlohmann::json manifest;
    size_t positive_windows = 0, negative_windows = 0, excluded_windows = 0, augmented = 0;
    std::map<std::string, size_t> augmented_alarms_from;  // augmented alarm windows per recording ("built-in": the generator's clips)
    size_t spanned_recordings = 0, blocks_outside_spans = 0;  // with alarm_spans: recordings marked, alarm blocks vetoed
    std::vector<std::string> skipped;  // unreadable recordings
    std::string source;
    // The sound kind of each unaugmented window, for pretraining the body on "what is this
    // sound": train.item(i) for i < train_kind.size() (val likewise) has kind kinds[train_kind[i]].
    // Every alarm is one kind ("alarm"); backgrounds are their folders (background/baby_cry, ...)
    // and the generator's kinds (built-in/babble, ...).
    std::vector<std::string> kinds;
    std::vector<int> train_kind, val_kind;
};

RealDetectorData build_real_detector_data(const RealDataOptions& options);

}  // namespace earshot::jobs

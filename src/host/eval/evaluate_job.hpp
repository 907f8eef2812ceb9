// `earshot evaluate MODEL.tflite`: the exact device loop (streaming spectrogram, 512-sample hop,
// int8 model, decision rule from the model's metadata) over real recordings, judged as a user
// would judge a detector: event recall, detection latency and false alarms per hour, plus the
// DET curve (recall against false alarms per hour as the threshold sweeps) and, on request, the
// operating point chosen on this data written into a copy of the model.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "host/eval/detection.hpp"
#include "host/model/detector_metadata.hpp"

namespace earshot::eval {

struct EvaluateOptions {
    std::filesystem::path model;
    std::vector<std::filesystem::path> compare;  // more models judged on the very same audio (their own settings)
    std::optional<std::filesystem::path> alarms, background;  // folders (searched recursively)
    std::optional<std::filesystem::path> labels;               // DCASE-style TSV; paths relative to it
    // ... or to this folder: a label file kept apart from the audio it describes (the repo's
    // hand-made spans of ../shared/realdata's alarms, data/labels/).
    std::optional<std::filesystem::path> labels_root;
    // Explicit recordings (a held-out split), with or instead of the folders: each alarm file
    // is one event spanning it, unless an Audacity NAME.txt beside it says otherwise.
    std::vector<std::filesystem::path> alarm_files, background_files;
    std::string event_label;  // TSV rows with this label are alarms ("" = every row)
    // Where latency is measured from in an unlabelled alarm recording (its event still spans the
    // file): its start (the conservative convention), or its first alarm sound by the band-energy
    // rule (data/alarm_activity.hpp: weakly labelled clips may hold seconds of talk first).
    bool onset_at_first_sound = false;
    int scenes = 0;
    double snr_lo = -5.0, snr_hi = 20.0;
    uint64_t seed = 1;
    std::filesystem::path out = "earshot-eval";
    // Overrides of the model's decision parameters (-1 / unset: keep).
    std::optional<int32_t> threshold_q, k, n, release_blocks;
    bool choose_threshold = false;
    double max_false_alarms_per_hour = 1.0;
    std::optional<std::filesystem::path> model_out;  // default: <out>/<model stem>.tflite
    Collars collars;
    unsigned threads = 0;
    bool quiet = false;
    bool allow_long = false;
    bool write_scores = false;  // also OUT/scores.json: every file's and scene's per-block int8 scores, per model
};

struct ItemResult {
    std::string name, group;   // group: "alarms", "background", "labels" or "scenes"
    std::vector<Interval> events;
    std::vector<int8_t> q;     // one int8 score per 512-sample block
    std::vector<std::vector<int8_t>> compare_q;  // the same for each compared model
    FileScore score;
};

struct DetPoint {
    int32_t threshold_q = 0;
    double threshold_score = 0.0;
    Summary summary;
};

// One model's verdict on the data.
struct ModelReport {
    std::filesystem::path path;
    model::DetectorSettings settings;     // what was applied (after overrides, for the main model)
    Summary all, recordings, scenes;
    std::vector<DetPoint> det;            // every threshold, -128..127
};

struct EvaluateResult {
    model::DetectorSettings settings;     // what was applied (after overrides)
    Summary all, recordings, scenes;
    std::vector<ModelReport> compared;    // --compare models, in order
    std::vector<ItemResult> items;
    std::vector<std::string> skipped;     // unreadable files, with the reason
    std::vector<DetPoint> det;            // every threshold, -128..127
    std::optional<DetPoint> chosen;       // with choose_threshold
    double audio_seconds = 0.0, wall_seconds = 0.0, cpu_seconds = 0.0;
    size_t models = 1;                    // device loops run over the audio (main + compared)
    double real_time_per_core() const { return cpu_seconds > 0 ? audio_seconds * static_cast<double>(models) / cpu_seconds : 0.0; }
};

EvaluateResult run_evaluate(const EvaluateOptions& options);

// The operating point with the best recall among those with at most `max_fa` false alarms per
// hour (ties: fewer false alarms, then lower median latency, then the higher threshold);
// nullopt when none qualifies.
std::optional<DetPoint> choose_operating_point(const std::vector<DetPoint>& det, double max_fa);

}  // namespace earshot::eval

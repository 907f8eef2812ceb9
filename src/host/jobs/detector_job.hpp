// The default detector's recipe (`earshot demo`): real recordings split by recording, log band
// features, augmentation for real conditions, a tutorial-sized CNN trained from scratch (or
// from a body pretrained on the recordings' sound kinds), int8 (post-training and
// quantization-aware), the operating point (a fixed rule, checked on the validation
// recordings), export with the operating point in the .tflite metadata, and the verdict on the
// held-out recordings and scenes built from them, beside the tutorial's model when given.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/eval/evaluate_job.hpp"
#include "host/jobs/real_detector_data.hpp"

namespace earshot::jobs {

struct DetectorJobOptions {
    std::filesystem::path out = "earshot-out";
    RealDataOptions data;
    int epochs = 40, patience = 8, batch_size = 64;
    double learning_rate = 2e-3;
    int qat_epochs = 2;
    int filters = 8;              // conv filters (8: the tutorial's size and the device fast path)
    int pool_bands = 2;           // the max pool's width across bands (2: the tutorial's 2x2)
    int pool_time = 2;            // the max pool's height across time (2: the tutorial's; 13: the whole window, so the head cannot tell when)
    bool pretrain = false;        // first train the body to tell the recordings' sound kinds apart
    int pretrain_epochs = 15;
    double threshold_score = 0.5;            // the operating point: 48 of 64 blocks above this score
    double max_false_alarms_per_hour = 1.0;  // checked (and warned about) on validation
    int hard_negative_epochs = 10;           // 0: no hard-negative stage
    bool average_weights = false;            // the hard-negative stage ends on the mean of its epochs' weights (stochastic weight averaging)
    int scenes = 100;             // test scenes (and a third as many validation scenes)
    std::vector<std::filesystem::path> compare;  // models judged beside it on the test recordings
    uint64_t seed = 1;
    unsigned threads = 0;
    bool quiet = false;
};

struct DetectorJobResult {
    eval::EvaluateResult test;    // on the held-out recordings and scenes (empty without a test split), alarm onsets at first sound
    struct Summaries {
        eval::Summary all, recordings, scenes;
    } test_from_file_start;       // the same scores, latency from each event's onset (a recording's start)
    bool evaluated = false;
    model::DetectorSettings settings;
    double float_accuracy = 0, int8_accuracy = 0, int8_float_block_agreement = 0, int8_float_vote_agreement = 0;
    size_t train_windows = 0, val_windows = 0, test_windows = 0;
};

DetectorJobResult run_detector_job(const DetectorJobOptions& options);

// A verdict as metrics.json writes it (events, detected, recall, latencies, false alarms).
nlohmann::json summary_json(const eval::Summary& s);

}  // namespace earshot::jobs

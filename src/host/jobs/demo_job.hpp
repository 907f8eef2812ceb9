// `earshot demo`, the main job: built-in (or given) data -> pretrained baseline -> new
// Dense(1, sigmoid) head -> stage 1 (head) -> stage 2 (all) -> int8 (post-training and
// quantization-aware) -> export (.tflite, C header, compiled C++) -> evaluation -> report.
// Everything lands in one folder, replaced only when the run completes.
#pragma once
#include <filesystem>
#include <optional>

#include "host/jobs/detector_data.hpp"
#include "host/train/transfer.hpp"

namespace earshot::jobs {

struct DemoOptions {
    std::filesystem::path out = "earshot-out";
    DetectorDataOptions data;
    std::optional<std::filesystem::path> baseline;  // a model .ckpt; default: the built-in one
    train::TransferSchedule schedule = train::reference_transfer_schedule();
    int qat_epochs = 3;  // 0: post-training quantization only
    int batch_size = 32;
    uint64_t seed = 1;
    bool quiet = false;
};

struct DemoResult {
    double float_accuracy = 0, ptq_accuracy = 0, int8_accuracy = 0;  // int8 = the exported model
    double precision = 0, recall = 0;                                 // exported model, alarm class
    bool export_matches = false;  // the .tflite read back gives the same int8 outputs
    size_t test_items = 0;
    int64_t arena_bytes = 0, weight_bytes = 0;
};

DemoResult run_demo(const DemoOptions& options);

// The pretrained baseline shipped in the repo (models/baseline.ckpt), compiled into earshot.
std::span<const unsigned char> builtin_baseline();

}  // namespace earshot::jobs

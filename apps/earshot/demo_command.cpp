// earshot demo: the main job, end to end on built-in data (or your folders).
#include <cstdio>
#include <memory>
#include <string>

#include "apps/earshot/commands.hpp"
#include "host/jobs/demo_job.hpp"

namespace earshot::cli {
namespace {

struct DemoArgs {
    jobs::DemoOptions job;
    std::string positives, background, baseline;
    bool small = false;
};

void run(DemoArgs& a) {
    if (!a.positives.empty()) a.job.data.positives = a.positives;
    if (!a.background.empty()) a.job.data.background = a.background;
    if (!a.baseline.empty()) a.job.baseline = a.baseline;
    a.job.data.seed = a.job.seed;
    if (a.small) {  // CI size: a few clips and epochs, same pipeline
        a.job.data.alarm_clips = 24;
        a.job.data.background_clips_per_kind = 6;
        a.job.data.clip_seconds = 3.0;
        a.job.schedule.head.epochs = 8;
        a.job.schedule.fine_tune.epochs = 3;
        a.job.qat_epochs = 1;
    }
    const auto r = jobs::run_demo(a.job);
    std::printf("\nfire-alarm detector, %zu test soundbites:\n", r.test_items);
    std::printf("  float32 accuracy            %6.2f%%\n", 100 * r.float_accuracy);
    std::printf("  int8 post-training accuracy %6.2f%%\n", 100 * r.ptq_accuracy);
    std::printf("  int8 exported accuracy      %6.2f%%  (precision %.2f%%, recall %.2f%% for alarms)\n", 100 * r.int8_accuracy, 100 * r.precision, 100 * r.recall);
    std::printf("  device memory: %lld bytes weights, %lld bytes tensor arena\n", static_cast<long long>(r.weight_bytes), static_cast<long long>(r.arena_bytes));
    std::printf("wrote %s/: report.html, fire_alarm.tflite, fire_alarm_model_data.h, compiled/, detector.ckpt, metrics.json\n", a.job.out.c_str());
}

}  // namespace

void add_demo_command(CLI::App& app) {
    auto args = std::make_shared<DemoArgs>();
    CLI::App* cmd = app.add_subcommand("demo", "The main job: fine-tune, quantize, export and evaluate a fire-alarm detector");
    cmd->add_option("--out", args->job.out, "Output folder (replaced when the run completes)")->capture_default_str();
    cmd->add_option("--positives", args->positives, "Folder of alarm recordings (instead of the built-in data)");
    cmd->add_option("--background", args->background, "Folder of everything else (with --positives)");
    cmd->add_option("--baseline", args->baseline, "Baseline model .ckpt to start from (default: the built-in one)");
    cmd->add_option("--seed", args->job.seed, "Seed for data, augmentation and training")->capture_default_str();
    cmd->add_option("--qat-epochs", args->job.qat_epochs, "Quantization-aware fine-tuning epochs (0: post-training only)")->capture_default_str();
    cmd->add_option("--head-epochs", args->job.schedule.head.epochs, "Stage 1 (head only) epochs")->capture_default_str();
    cmd->add_option("--fine-tune-epochs", args->job.schedule.fine_tune.epochs, "Stage 2 (all layers) epochs")->capture_default_str();
    cmd->add_option("--head-lr", args->job.schedule.head.learning_rate, "Stage 1 learning rate")->capture_default_str();
    cmd->add_option("--fine-tune-lr", args->job.schedule.fine_tune.learning_rate, "Stage 2 learning rate")->capture_default_str();
    cmd->add_option("--alarm-clips", args->job.data.alarm_clips, "Built-in data: alarm clips")->capture_default_str();
    cmd->add_option("--background-clips", args->job.data.background_clips_per_kind, "Built-in data: clips per background kind")->capture_default_str();
    cmd->add_option("--threads", args->job.data.threads, "Feature threads (default: all cores)");
    cmd->add_flag("--small", args->small, "A reduced run (for CI): fewer clips and epochs");
    cmd->add_flag("--quiet", args->job.quiet, "No progress output");
    cmd->callback([args] { run(*args); });
}

}  // namespace earshot::cli

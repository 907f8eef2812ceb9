// earshot demo: the main job. By default the real-sound detector (jobs/detector_job): the
// recordings in --data (or the few real clips shipped in the repo's data/real) plus the
// built-in generator, log band features, judged on held-out recordings. --tutorial runs the
// tutorial's recipe instead (spectrogram features, transfer from the built-in baseline).
#include <cstdio>
#include <memory>
#include <filesystem>
#include <string>
#include <vector>

#include "apps/earshot/commands.hpp"
#include "host/audio/default_data.hpp"
#include "host/error.hpp"
#include "host/jobs/cross_validation.hpp"
#include "host/jobs/demo_job.hpp"
#include "host/jobs/detector_job.hpp"

namespace earshot::cli {
namespace {

struct DemoArgs {
    jobs::DemoOptions job;
    jobs::DetectorJobOptions detector;
    std::string positives, background, baseline, data, fold, alarm_spans;
    int folds = 0;
    std::vector<std::string> compare;
    bool small = false, tutorial = false, no_builtin = false, no_augment = false, keep_mean = false, spectrogram_features = false;
};

void print_summary(const char* what, const eval::Summary& s) {
    std::printf("  %-11s event recall %5.1f%% (%d of %d), median latency %.2f s, %.2f false alarms per hour (%d in %.2f h)\n", what, 100 * s.recall,
                s.detected, s.events, s.median_latency, s.false_alarms_per_hour, s.false_alarms, s.background_hours);
}

// "k/K": the k-th (1-based) of K folds.
jobs::Fold parse_fold(const std::string& text) {
    int k = 0, count = 0;
    char tail = 0;
    if (std::sscanf(text.c_str(), "%d/%d%c", &k, &count, &tail) != 2 || count < 2 || count > 10 || k < 1 || k > count) {
        throw Error("--fold " + text + ": want k/K, the k-th of K folds, with 2 <= K <= 10 and 1 <= k <= K (e.g. --fold 1/4)");
    }
    return {k - 1, count};
}

void print_result(const jobs::DetectorJobOptions& o, const jobs::DetectorJobResult& r) {
    const auto& d = r.settings.decision;
    std::printf("\nfire-alarm detector (%s): %zu train / %zu val / %zu test windows\n",
                o.data.features.kind == model::FeatureKind::spectrogram ? "spectrogram features" : "log band features", r.train_windows, r.val_windows, r.test_windows);
    std::printf("  validation windows: float %.2f%%, int8 %.2f%%; on the %s windows int8 and float agree on %.2f%% of votes and %.2f%% of alarm states\n",
                100 * r.float_accuracy, 100 * r.int8_accuracy, r.test_windows ? "test" : "validation", 100 * r.int8_float_vote_agreement,
                100 * r.int8_float_block_agreement);
    std::printf("  operating point: alarm when %d of %d blocks score q > %d, off after %d quiet blocks\n", d.k, d.n, d.threshold_q,
                d.release_blocks);
    if (r.evaluated) {
        std::printf("held-out recordings and scenes, device loop (latency from the first alarm sound):\n");
        print_summary("recordings", r.test.recordings);
        print_summary("scenes", r.test.scenes);
        print_summary("all", r.test.all);
        std::printf("  (latency from the alarm recording's start: median %.2f s over all)\n", r.test_from_file_start.all.median_latency);
        for (const auto& c : r.test.compared) {
            std::printf("compared: %s\n", c.path.string().c_str());
            print_summary("recordings", c.recordings);
            print_summary("scenes", c.scenes);
            print_summary("all", c.all);
        }
    }
    std::printf("wrote %s/: fire_alarm.tflite, fire_alarm_model_data.h, compiled/, detector.ckpt, metrics.json, training_curves.png, evaluation/ (det.png)\n",
                o.out.string().c_str());
}

void run_detector(DemoArgs& a) {
    jobs::DetectorJobOptions& o = a.detector;
    if (!a.fold.empty() || a.folds > 0) {
        if (o.data.train_on_all) throw Error(std::string(a.folds > 0 ? "--folds" : "--fold") + " picks the test recordings, --train-on-all trains on them: use one");
        if (!a.fold.empty() && a.folds > 0) throw Error("--fold runs one fold, --folds all of them: use one");
        if (!a.fold.empty()) o.data.fold = parse_fold(a.fold);
    }
    o.out = a.job.out;
    o.seed = a.job.seed;
    o.quiet = a.job.quiet;
    o.threads = a.job.data.threads;
    o.data.seed = a.job.seed;
    o.data.threads = a.job.data.threads;
    o.data.root = a.data.empty() ? std::filesystem::path(EARSHOT_DATA_DIR) : std::filesystem::path(a.data);
    if (!a.alarm_spans.empty()) o.data.alarm_spans = a.alarm_spans;
    o.data.builtin = !a.no_builtin;
    o.data.builtin_alarm_clips = a.job.data.alarm_clips;
    o.data.builtin_background_clips = a.job.data.background_clips_per_kind;
    o.data.augment = !a.no_augment;
    o.data.features.remove_mean = !a.keep_mean;
    if (a.spectrogram_features) o.data.features = model::FeatureSettings{};  // the tutorial's 124x129 spectrogram
    for (const auto& c : a.compare) o.compare.push_back(c);
    if (a.small) {  // CI size: fewer windows, epochs and scenes, same pipeline
        o.epochs = 3;
        o.hard_negative_epochs = 1;
        o.qat_epochs = 1;
        o.scenes = 6;
        o.data.hop_blocks = 16;
        o.data.augmented_positives = 1.0;
        o.data.augmented_negatives = 0.1;
    }
    if (a.folds > 0) {
        const auto cv = jobs::run_cross_validation(o, a.folds, [](const jobs::DetectorJobOptions& fold, const jobs::DetectorJobResult& r) {
            print_result(fold, r);
            std::printf("\n");
        });
        std::printf("cross-validation, %d folds (every recording held out once), pooled:\n", a.folds);
        print_summary("recordings", cv.recordings);
        print_summary("scenes", cv.scenes);
        print_summary("all", cv.all);
        std::printf("wrote %s/: fold-1 .. fold-%d/ (one run each), cross_validation.json\n", o.out.string().c_str(), a.folds);
        return;
    }
    print_result(o, jobs::run_detector_job(o));
}

void run(DemoArgs& a) {
    if (!a.tutorial) {
        if (!a.positives.empty() || !a.background.empty() || !a.baseline.empty()) {
            throw Error("--positives, --background and --baseline belong to the tutorial recipe: add --tutorial (or use --data DIR with alarms/ and background/)");
        }
        return run_detector(a);
    }
    if (!a.data.empty()) throw Error("--data is the real-sound recipe's; the tutorial recipe takes --positives DIR --background DIR");
    if (!a.fold.empty() || a.folds > 0) throw Error("--fold and --folds split the real-sound recipe's recordings; the tutorial recipe does not take them");
    if (!a.alarm_spans.empty()) throw Error("--alarm-spans labels the real-sound recipe's recordings; the tutorial recipe does not take it");
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
    cmd->add_option("--data", args->data, "Recordings: DIR/alarms/** and DIR/background/** (default: the repo's data/real)");
    cmd->add_option("--alarm-spans", args->alarm_spans, "TSV of where the alarm sounds in the alarm recordings (names relative to --data, e.g. data/labels/shared_realdata_alarm_spans.tsv): alarm sound outside a span is not taught as alarm");
    cmd->add_flag("--train-on-all", args->detector.data.train_on_all, "Train on the test recordings too (the model that ships; no held-out verdict)");
    cmd->add_option("--compare", args->compare, "Models to judge beside it on the held-out recordings (e.g. the tutorial's .tflite)");
    cmd->add_option("--epochs", args->detector.epochs, "Training epochs (early stopping on validation)")->capture_default_str();
    cmd->add_option("--scenes", args->detector.scenes, "Held-out scenes (alarms mixed into held-out background)")->capture_default_str();
    cmd->add_option("--threshold-score", args->detector.threshold_score, "The operating point: 48 of 64 blocks scoring above this")->capture_default_str();
    cmd->add_option("--max-false-alarms-per-hour", args->detector.max_false_alarms_per_hour, "Warn when validation false alarms exceed this")->capture_default_str();
    cmd->add_option("--learning-rate", args->detector.learning_rate, "Adam learning rate")->capture_default_str();
    cmd->add_option("--filters", args->detector.filters, "Conv filters (8 fits the device budget)")->capture_default_str();
    cmd->add_option("--pool-bands", args->detector.pool_bands, "Ablation: the max pool's width across bands (2: the tutorial's; 13: the whole band axis, so the head cannot tell pitch)")
        ->check(CLI::Range(1, 13))->capture_default_str();
    cmd->add_option("--pool-time", args->detector.pool_time, "Ablation: the max pool's height across time (2: the tutorial's; 13: the whole window, so the head cannot tell when in the window a pattern sits)")
        ->check(CLI::Range(1, 13))->capture_default_str();
    cmd->add_option("--patience", args->detector.patience, "Early stopping: epochs without a better validation loss (0: none, train every epoch and keep the last)")
        ->check(CLI::Range(0, 1000))->capture_default_str();
    cmd->add_option("--hard-negative-epochs", args->detector.hard_negative_epochs, "Epochs of the hard-negative stage (0: none)")->capture_default_str();
    cmd->add_flag("--average-weights", args->detector.average_weights, "Ablation: end the hard-negative stage on the mean of its epochs' weights (stochastic weight averaging) instead of the best epoch's");
    cmd->add_flag("--no-builtin", args->no_builtin, "Ablation: leave out the built-in generator's clips");
    cmd->add_flag("--pretrain", args->detector.pretrain, "First train the conv body to tell the recordings' sound kinds apart (alarm, each background folder, the generator's kinds), then the detector from it");
    cmd->add_option("--sounder-clips", args->detector.data.sounder_clips, "Generated alarms of other sounder kinds (whoop, bell, two-tone, ... at 0.5-4 kHz) added to the built-in piezo alarms")->capture_default_str();
    cmd->add_option_function<std::string>("--sounder-patterns", [args](const std::string& list) { args->detector.data.sounder_patterns = audio::parse_sounder_patterns(list); },
                                          "With --sounder-clips: the kinds, comma-separated (temporal3, temporal4, continuous, pulsed, whoop, two_tone, warble, bell; default all)");
    cmd->add_option("--band-shift", args->detector.data.band_shift, "Ablation: half the augmented windows (alarms and background alike) moved up or down by 1..N log bands, for pitch invariance")
        ->check(CLI::Range(0, 16));
    cmd->add_flag("--balance-alarms", args->detector.data.balance_alarm_recordings, "Ablation: augmented alarm windows drawn per alarm recording (the generator's clips count as one), not per window, so long recordings do not dominate");
    cmd->add_option("--pitch-down", args->detector.data.pitch_down_octaves, "Ablation: half the augmented alarm windows lowered by up to this many octaves (resampled), for alarm tones the recordings lack")
        ->check(CLI::Range(0.0, 2.0));
    cmd->add_flag("--no-augment", args->no_augment, "Ablation: no real-condition augmentation");
    cmd->add_flag("--spectrogram-features", args->spectrogram_features, "Ablation: the tutorial's front end (124x129 linear CMSIS magnitudes, nearest resize to 32x32) in this recipe");
    cmd->add_flag("--keep-mean", args->keep_mean, "Ablation: do not remove the window mean (features follow loudness)");
    cmd->add_flag("--tutorial", args->tutorial, "The tutorial's recipe: spectrogram features, transfer from the built-in baseline, built-in data or --positives/--background");
    cmd->add_option("--positives", args->positives, "Tutorial recipe: folder of alarm recordings (instead of the built-in data)");
    cmd->add_option("--background", args->background, "Folder of everything else (with --positives)");
    cmd->add_option("--baseline", args->baseline, "Baseline model .ckpt to start from (default: the built-in one)");
    cmd->add_option("--seed", args->job.seed, "Seed for data, augmentation and training")->capture_default_str();
    cmd->add_option_function<uint64_t>("--split-seed", [args](uint64_t seed) { args->detector.data.split_seed = seed; },
                                       "Seed of the recordings' split only (default: --seed), to train one split with several seeds");
    cmd->add_option("--folds", args->folds, "K: cross-validation, all K folds one after another (OUT/fold-1 .. fold-K) and their held-out verdicts pooled (OUT/cross_validation.json)")
        ->check(CLI::Range(2, 10));
    cmd->add_option("--fold", args->fold, "k/K: test on the k-th of K folds of the recordings (per kind, by recording, dealt by --split-seed); the K runs test every recording once");
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

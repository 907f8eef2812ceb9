// earshot train: train a model (the reference CNN by default) on a labelled dataset.
#include <nlohmann/json.hpp>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "apps/earshot/commands.hpp"
#include "host/jobs/train_job.hpp"
#include "host/error.hpp"
#include "host/io/text.hpp"
#include "host/train/model_config.hpp"

namespace earshot::cli {
namespace {

struct TrainArgs {
    jobs::TrainJobOptions job;
    std::string config, cache_dir, magnitude = "cmsis58";
    int epochs = 0, batch_size = 0;
    double learning_rate = 0.0;
    bool no_cache = false, print_config = false;
};

void run(TrainArgs& a) {
    if (a.print_config) {
        std::printf("%s\n", train::default_model_config().dump(2).c_str());
        return;
    }
    if (a.job.dataset.empty() || a.job.out.empty()) throw Error("train needs --dataset and --out (or --print-config)");
    if (!a.config.empty()) a.job.config = a.config;
    if (a.epochs > 0) a.job.epochs = a.epochs;
    if (a.batch_size > 0) a.job.batch_size = a.batch_size;
    if (a.learning_rate > 0.0) a.job.learning_rate = a.learning_rate;
    if (!a.cache_dir.empty()) a.job.cache_dir = a.cache_dir;
    a.job.use_cache = !a.no_cache;
    a.job.front_end.magnitude = a.magnitude == "exact" ? dsp::MagnitudeMode::exact : dsp::MagnitudeMode::cmsis58;
    const auto r = jobs::run_train_job(a.job);
    if (r.finished) {
        const auto accuracy = [](double fraction, size_t items) { return items ? io::format("%.2f%%", 100.0 * fraction) : std::string("n/a"); };
        std::printf("trained %d epochs: test accuracy %s (%zu soundbites), val accuracy %s (%zu); model in %s\n", r.epochs_done,
                    accuracy(r.test_accuracy, r.test_items).c_str(), r.test_items, accuracy(r.val_accuracy, r.val_items).c_str(), r.val_items,
                    (a.job.out / "model.ckpt").c_str());
    }
}

}  // namespace

void add_train_command(CLI::App& app) {
    auto args = std::make_shared<TrainArgs>();
    CLI::App* cmd = app.add_subcommand("train", "Train a model on a labelled dataset (ESC-50 layout or one folder per class)");
    cmd->add_option("--dataset", args->job.dataset, "esc50:PATH (audio/ + meta/esc50.csv) or folder:PATH (PATH/<label>/*.wav)");
    cmd->add_option("--out", args->job.out, "Output folder: model.ckpt, train_state.ckpt, manifest.json, metrics.json, plots");
    cmd->add_option("--config", args->config, "Model config JSON (default: the reference CNN; see --print-config)");
    cmd->add_option("--epochs", args->epochs, "Maximum epochs (overrides the config)")->check(CLI::Range(1, 100000));
    cmd->add_option("--batch-size", args->batch_size, "Batch size (overrides the config)")->check(CLI::Range(1, 65536));
    cmd->add_option("--learning-rate", args->learning_rate, "Adam learning rate (overrides the config)")->check(CLI::Range(1e-9, 10.0));
    cmd->add_option("--seed", args->job.seed, "Seed for initialization, shuffling, dropout and ratio splits")->capture_default_str();
    cmd->add_option("--split", args->job.split, "folds:1,2,3/4/5 (ESC-50 default) or ratio:0.7/0.15/0.15 (folder default)");
    cmd->add_flag("--resume", args->job.resume, "Continue the interrupted run in --out");
    cmd->add_option("--cache", args->cache_dir, "Feature cache folder (default $EARSHOT_CACHE or ~/.cache/earshot/features)");
    cmd->add_flag("--no-cache", args->no_cache, "Do not read or write the feature cache");
    cmd->add_option("--threads", args->job.threads, "Feature-extraction threads (default: all cores)");
    cmd->add_option("--magnitude", args->magnitude, "Front-end magnitude: cmsis58 (the device's) or exact")->check(CLI::IsMember({"cmsis58", "exact"}));
    cmd->add_flag("--quiet", args->job.quiet, "No progress output");
    cmd->add_flag("--print-config", args->print_config, "Print the default model config (JSON) and exit");
    cmd->callback([args] { run(*args); });
}

}  // namespace earshot::cli

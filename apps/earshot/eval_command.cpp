// earshot eval: accuracy, per-class accuracy and confusion matrix of a trained model.
#include <memory>
#include <string>

#include "apps/earshot/commands.hpp"
#include "host/jobs/eval_job.hpp"

namespace earshot::cli {
namespace {

struct EvalArgs {
    jobs::EvalJobOptions job;
    std::string out, cache_dir;
    bool no_cache = false;
};

void run(EvalArgs& a) {
    if (!a.out.empty()) a.job.out = a.out;
    if (!a.cache_dir.empty()) a.job.cache_dir = a.cache_dir;
    a.job.use_cache = !a.no_cache;
    jobs::run_eval_job(a.job);
}

}  // namespace

void add_eval_command(CLI::App& app) {
    auto args = std::make_shared<EvalArgs>();
    CLI::App* cmd = app.add_subcommand("eval", "Evaluate a trained model: accuracy, per-class accuracy, confusion matrix");
    cmd->add_option("--model", args->job.model, "Training output folder or model .ckpt")->required();
    cmd->add_option("--dataset", args->job.dataset, "esc50:PATH or folder:PATH")->required();
    cmd->add_option("--split", args->job.split, "test, val, train or all (default: test for the training dataset, else all)");
    cmd->add_option("--out", args->out, "Folder for metrics.json and plots (default: eval_SPLIT inside the model's folder)");
    cmd->add_option("--cache", args->cache_dir, "Feature cache folder");
    cmd->add_flag("--no-cache", args->no_cache, "Do not use the feature cache");
    cmd->add_option("--threads", args->job.threads, "Feature-extraction threads (default: all cores)");
    cmd->add_flag("--quiet", args->job.quiet, "No progress output");
    cmd->callback([args] { run(*args); });
}

}  // namespace earshot::cli

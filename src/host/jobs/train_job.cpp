#include <nlohmann/json.hpp>
#include "host/jobs/train_job.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <csignal>
#include <cstdio>
#include <cstring>

#include "host/data/feature_sets.hpp"
#include "host/error.hpp"
#include "host/io/text.hpp"
#include "host/io/atomic_file.hpp"
#include "host/io/progress.hpp"
#include "host/jobs/reports.hpp"
#include "host/train/checkpoint.hpp"
#include "host/train/metrics.hpp"
#include "host/train/model_config.hpp"

namespace earshot::jobs {
namespace fs = std::filesystem;
namespace {

nlohmann::json effective_config(const TrainJobOptions& o) {
    nlohmann::json config = o.config ? train::read_json_file(*o.config) : train::default_model_config();
    if (!config.is_object()) throw Error((o.config ? o.config->string() : std::string("model config")) + ": must be a JSON object");
    auto& t = config["training"];
    if (t.is_null()) t = nlohmann::json::object();
    if (o.epochs) t["epochs"] = *o.epochs;
    if (o.batch_size) t["batch_size"] = *o.batch_size;
    if (o.learning_rate) t["learning_rate"] = *o.learning_rate;
    return config;
}

// Normalization statistics come from the training split only, in batches to bound memory.
void adapt(train::Network& net, const train::FeatureSet& set) {
    std::vector<train::Tensor> batches;
    std::vector<size_t> idx;
    for (size_t start = 0; start < set.size(); start += 256) {
        idx.clear();
        for (size_t i = start; i < std::min(set.size(), start + 256); ++i) idx.push_back(i);
        batches.push_back(train::make_batch(set, idx));
    }
    train::adapt_normalization(net, batches);
}

// On Ctrl-C, says how to go on: add --resume once an epoch is saved, else just run again.
// The handler only write()s a message prepared beforehand (async-signal-safe), then lets the
// default action end the process; the atomic checkpoint writes leave nothing torn.
char g_interrupt_message[1024];
volatile std::sig_atomic_t g_interrupt_length = 0;

void on_interrupt(int sig) {
    if (g_interrupt_length > 0) (void)!::write(2, g_interrupt_message, static_cast<size_t>(g_interrupt_length));
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

class InterruptHint {
public:
    explicit InterruptHint(const fs::path& out) : out_(out.string()) {
        set(io::format("\nearshot: interrupted before the first epoch was saved; run the same command again to start over\n"));
        previous_int_ = std::signal(SIGINT, on_interrupt);
        previous_term_ = std::signal(SIGTERM, on_interrupt);
    }
    ~InterruptHint() {
        std::signal(SIGINT, previous_int_);
        std::signal(SIGTERM, previous_term_);
        g_interrupt_length = 0;
    }
    InterruptHint(const InterruptHint&) = delete;
    InterruptHint& operator=(const InterruptHint&) = delete;
    void set_resumable(int epochs_done) const {
        set(io::format("\nearshot: interrupted; epoch %d is saved in %s: continue with the same command plus --resume\n", epochs_done,
                       out_.c_str()));
    }

private:
    static void set(const std::string& text) {
        g_interrupt_length = 0;  // the handler never sees a half-copied message
        const size_t n = std::min(text.size(), sizeof g_interrupt_message);
        std::memcpy(g_interrupt_message, text.data(), n);
        g_interrupt_length = static_cast<std::sig_atomic_t>(n);
    }
    std::string out_;
    void (*previous_int_)(int) = SIG_DFL;
    void (*previous_term_)(int) = SIG_DFL;
};

// Soundbites per class in each split, before training, and a warning for every class a split
// lacks: its accuracy there would be a number about nothing.
void report_split_counts(io::Progress& progress, const std::vector<std::string>& classes, const data::SplitFeatures& sets) {
    const std::pair<const char*, const train::FeatureSet*> splits[] = {{"train", &sets.train}, {"val", &sets.val}, {"test", &sets.test}};
    std::vector<std::array<size_t, 3>> counts(classes.size(), {0, 0, 0});
    for (size_t s = 0; s < 3; ++s) {
        for (int label : splits[s].second->labels) ++counts[static_cast<size_t>(label)][s];
    }
    size_t width = 5;
    for (const auto& c : classes) width = std::max(width, std::min<size_t>(c.size(), 24));
    std::string table = io::format("soundbites per class:\n  %-*s  %7s  %7s  %7s", static_cast<int>(width), "class", "train", "val", "test");
    for (size_t c = 0; c < classes.size(); ++c) {
        table += io::format("\n  %-*s  %7zu  %7zu  %7zu", static_cast<int>(width), classes[c].substr(0, 24).c_str(), counts[c][0], counts[c][1], counts[c][2]);
    }
    progress_line(progress, table);
    for (size_t s = 0; s < 3; ++s) {
        const char* name = splits[s].first;
        if (splits[s].second->size() == 0) {
            std::fprintf(stderr, "earshot: warning: the %s split is empty%s\n", name,
                         s == 1 ? ": early stopping and the learning-rate schedule watch the training loss" : s == 2 ? ": no test accuracy" : "");
            continue;
        }
        for (size_t c = 0; c < classes.size(); ++c) {
            if (counts[c][s] == 0) std::fprintf(stderr, "earshot: warning: class '%s' has no %s soundbites: its %s accuracy is n/a\n", classes[c].c_str(), name, name);
        }
    }
}

}  // namespace

TrainJobResult run_train_job(const TrainJobOptions& o) {
    io::Progress progress = io::make_progress(o.quiet);
    const data::Dataset dataset = data::open_dataset(o.dataset);
    const fs::path state_path = o.out / "train_state.ckpt", manifest_path = o.out / "manifest.json", model_path = o.out / "model.ckpt";
    if (fs::exists(o.out) && !fs::is_directory(o.out)) throw Error(o.out.string() + ": exists and is not a folder");
    const bool has_state = fs::exists(state_path);
    // A run stopped before its first epoch (during feature extraction) left a manifest but no
    // state: there is nothing to resume and nothing to lose, so either command starts afresh.
    const bool started_before = fs::exists(manifest_path);
    if (o.resume && !has_state && !started_before) throw Error(o.out.string() + ": nothing to resume (no train_state.ckpt)");
    if (!o.resume && has_state) {
        throw Error(o.out.string() + ": already holds a training run; pass --resume to continue it, or choose another --out");
    }
    const bool resume = o.resume && has_state;
    if (!has_state && started_before) {
        progress_line(progress, o.out.string() + ": the previous run stopped before its first epoch; starting afresh");
    }
    fs::create_directories(o.out);
    const InterruptHint hint(o.out);

    // Splits are decided once: a resumed run reads them back.
    data::Manifest manifest;
    std::optional<train::Checkpoint> resumed;
    nlohmann::json config;
    data::FrontEndSettings front_end = o.front_end;
    if (resume) {
        manifest = data::read_manifest(manifest_path);
        resumed = train::read_checkpoint(state_path);
        config = resumed->meta.at("config");
        front_end = data::front_end_from_json(resumed->meta.at("front_end"));
        if (o.epochs) config["training"]["epochs"] = *o.epochs;
        if (manifest.classes != dataset.classes) throw Error(o.dataset + ": classes differ from the run being resumed (" + manifest_path.string() + ")");
    } else {
        config = effective_config(o);
        manifest = data::make_manifest(dataset, data::parse_split_rule(o.split, dataset.kind, o.seed));
        data::write_manifest(manifest_path, manifest);
        io::write_file_atomic(o.out / "config.json", config.dump(2) + "\n");
    }
    const train::TrainingConfig training = train::training_config(config);
    const nlohmann::json front_end_json = data::front_end_json(front_end);

    // Features (cached, all cores).
    data::ExtractOptions extract;
    if (o.use_cache) extract.cache_dir = o.cache_dir ? *o.cache_dir : data::default_cache_dir();
    extract.threads = o.threads;
    extract.progress = [&](size_t done, size_t total) {
        progress_update(progress, io::format("features %s %zu/%zu clips", io::progress_bar(static_cast<double>(done) / static_cast<double>(total)).c_str(), done, total));
    };
    const data::SplitFeatures sets = data::build_split_features(dataset, manifest, front_end, extract);
    progress_line(progress, io::format("features: %zu clips (%zu from cache) -> %zu train / %zu val / %zu test soundbites", sets.clips, sets.cache_hits,
                                          sets.train.size(), sets.val.size(), sets.test.size()));
    report_split_counts(progress, dataset.classes, sets);
    if (!sets.skipped.empty()) {
        std::fprintf(stderr, "earshot: warning: skipped %zu unreadable file(s):%s\n", sets.skipped.size(), io::item_list(sets.skipped, sets.skipped.size()).c_str());
    }

    train::Network net = train::build_network(config, static_cast<int>(dataset.classes.size()), o.seed);
    train::TrainState state;
    if (resumed) {
        net = train::model_from_checkpoint(*resumed, state_path.string()).network;
        net.config_json = config.dump(2);
        state = train::training_state_from_checkpoint(*resumed, net, state_path.string());
        if (state.finished && state.epochs_done < training.epochs && state.stop_reason.rfind("reached", 0) == 0) state.finished = false;
        progress_line(progress, io::format("resuming after epoch %d of %d", state.epochs_done, training.epochs));
    } else {
        adapt(net, sets.train);
        state = train::start_training(net, training, o.seed);
    }
    progress_line(progress, io::format("model: %zu parameters (%zu trainable), %zu classes; up to %d epochs, batch %d", train::parameter_count(net),
                                          train::trainable_parameter_count(net), dataset.classes.size(), training.epochs, training.batch_size));

    int epochs_this_run = 0;
    double elapsed = 0.0;
    train::TrainCallbacks callbacks;
    callbacks.on_batch = [&](int epoch, size_t batch, size_t batches, double loss, double acc) {
        progress_update(progress, io::format("epoch %d/%d %s loss %.4f acc %.1f%% lr %.2e", epoch, training.epochs,
                                                io::progress_bar(static_cast<double>(batch) / static_cast<double>(batches)).c_str(), loss, 100.0 * acc, state.learning_rate));
    };
    callbacks.on_epoch = [&](train::Network& trained, const train::TrainState& s) {
        const auto& r = s.history.back();
        elapsed += r.seconds;
        ++epochs_this_run;
        const double eta = elapsed / epochs_this_run * (training.epochs - s.epochs_done);
        // Without validation soundbites the trainer watches the training loss; do not print it twice as "val".
        const std::string val = sets.val.size() ? io::format("val_loss %.4f val_acc %.1f%%", r.val_loss, 100.0 * r.val_accuracy) : "val n/a";
        progress_line(progress, io::format("epoch %d/%d loss %.4f acc %.1f%% %s lr %.2e %.1fs%s%s", r.epoch, training.epochs, r.loss,
                                              100.0 * r.accuracy, val.c_str(), r.learning_rate, r.seconds,
                                              s.finished ? "" : (" ETA " + io::format_duration(eta)).c_str(), s.best_epoch == r.epoch ? " *" : ""));
        train::write_checkpoint(state_path, train::training_checkpoint(trained, s, dataset.classes, front_end_json));
        hint.set_resumable(s.epochs_done);
        // model.ckpt always holds the best weights so far (the restored ones once finished).
        if (s.best_epoch == r.epoch || s.finished) train::save_model(model_path, trained, dataset.classes, front_end_json);
        write_training_curves(o.out / "training_curves.png", s.history);
        return !(o.stop_after_epochs && epochs_this_run >= *o.stop_after_epochs);
    };
    train::fit(net, state, training, sets.train, sets.val, callbacks);

    TrainJobResult result;
    result.epochs_done = state.epochs_done;
    result.finished = state.finished;
    result.train_items = sets.train.size();
    result.val_items = sets.val.size();
    result.test_items = sets.test.size();
    result.skipped_clips = sets.skipped.size();
    result.cache_hits = sets.cache_hits;
    if (!state.finished) {
        progress_line(progress, io::format("stopped after epoch %d; continue with --resume", state.epochs_done));
        return result;
    }
    progress_line(progress, state.stop_reason + io::format("; best epoch %d (%s %.4f)", state.best_epoch, sets.val.size() ? "val_loss" : "training loss",
                                                           state.best_val_loss));
    const auto evaluate_split = [&](const train::FeatureSet& set) {
        const auto ev = train::evaluate(net, set);
        return train::classification_report(set.labels, ev.predictions, dataset.classes, ev.loss);
    };
    const bool has_test = sets.test.size() > 0;
    const auto final_report = evaluate_split(has_test ? sets.test : sets.val.size() ? sets.val : sets.train);
    result.test_accuracy = has_test ? final_report.accuracy : 0.0;
    result.val_accuracy = sets.val.size() ? evaluate_split(sets.val).accuracy : 0.0;
    const char* split = has_test ? "test" : sets.val.size() ? "val" : "train";
    if (!o.quiet) std::fprintf(stderr, "%s split:\n%s", split, train::format_report(final_report).c_str());
    write_evaluation_outputs(o.out, final_report, state.history,
                             {{"model", model_path.string()}, {"dataset", dataset.spec}, {"split", split}, {"split_rule", manifest.rule},
                              {"stop_reason", state.stop_reason}, {"best_epoch", state.best_epoch}, {"parameters", train::parameter_count(net)},
                              {"val_accuracy", result.val_accuracy}});
    progress_line(progress, "wrote " + (o.out / "model.ckpt").string() + ", metrics.json, training_curves.png, confusion.png");
    return result;
}

}  // namespace earshot::jobs

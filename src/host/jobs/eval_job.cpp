#include <nlohmann/json.hpp>
#include "host/jobs/eval_job.hpp"

#include <cstdio>
#include <map>

#include "host/data/feature_sets.hpp"
#include "host/error.hpp"
#include "host/io/text.hpp"
#include "host/io/progress.hpp"
#include "host/jobs/reports.hpp"
#include "host/train/checkpoint.hpp"

namespace earshot::jobs {
namespace fs = std::filesystem;

train::ClassificationReport run_eval_job(const EvalJobOptions& o) {
    io::Progress progress = io::make_progress(o.quiet);
    const bool is_dir = fs::is_directory(o.model);
    const fs::path model_path = is_dir ? o.model / "model.ckpt" : o.model;
    const fs::path run_dir = is_dir ? o.model : o.model.parent_path();
    train::SavedModel model = train::load_model(model_path);
    const data::Dataset dataset = data::open_dataset(o.dataset);

    // Clips to evaluate, labelled with the model's class indices.
    std::string split = o.split;
    std::vector<data::Clip> clips;
    const fs::path manifest_path = run_dir / "manifest.json";
    const std::optional<data::Manifest> manifest = fs::exists(manifest_path) ? std::optional(data::read_manifest(manifest_path)) : std::nullopt;
    const bool same_data = manifest && manifest->dataset == dataset.spec;
    if (split.empty()) split = same_data ? "test" : "all";
    if (split == "all") {
        clips = dataset.clips;
    } else if (split == "train" || split == "val" || split == "test") {
        if (!same_data) throw Error("--split " + split + " needs the manifest of a run trained on " + dataset.spec + " (" + manifest_path.string() + "); use --split all");
        const data::Split s = split == "train" ? data::Split::train : split == "val" ? data::Split::val : data::Split::test;
        clips = data::clips_in_split(dataset, *manifest, s);
    } else {
        throw Error("--split must be test, val, train or all, not '" + split + "'");
    }
    std::map<std::string, int> model_index;
    for (size_t i = 0; i < model.classes.size(); ++i) model_index[model.classes[i]] = static_cast<int>(i);
    std::vector<std::string> unknown;
    for (auto& c : clips) {
        const auto& name = dataset.classes[static_cast<size_t>(c.label)];
        const auto it = model_index.find(name);
        if (it == model_index.end()) {
            unknown.push_back(c.relative + " (label '" + name + "')");
            continue;
        }
        c.label = it->second;
    }
    if (!unknown.empty()) {
        throw Error(o.dataset + ": " + std::to_string(unknown.size()) + " clip(s) have labels the model does not know:" + io::item_list(unknown));
    }
    if (clips.empty()) throw Error(o.dataset + ": the " + split + " split has no clips");

    data::ExtractOptions extract;
    if (o.use_cache) extract.cache_dir = o.cache_dir ? *o.cache_dir : data::default_cache_dir();
    extract.threads = o.threads;
    extract.progress = [&](size_t done, size_t total) {
        progress_update(progress, "features " + io::progress_bar(static_cast<double>(done) / static_cast<double>(total)) + " " + std::to_string(done) + "/" + std::to_string(total));
    };
    std::vector<std::string> skipped;
    const train::FeatureSet set = data::build_feature_set(clips, data::front_end_from_json(model.front_end), extract, skipped);
    for (const auto& s : skipped) std::fprintf(stderr, "earshot: warning: skipped %s\n", s.c_str());
    if (set.size() == 0) throw Error(o.dataset + ": no soundbites to evaluate (all clips silent or unreadable)");

    const auto ev = train::evaluate(model.network, set);
    auto report = train::classification_report(set.labels, ev.predictions, model.classes, ev.loss);
    std::printf("%s: %s split of %s\n%s", model_path.string().c_str(), split.c_str(), dataset.spec.c_str(), train::format_report(report).c_str());

    std::vector<train::EpochRecord> history;
    if (fs::exists(run_dir / "train_state.ckpt")) {
        const auto state = train::read_checkpoint(run_dir / "train_state.ckpt");
        try {
            history = train::history_from_json(state.meta.at("state").at("history"));
        } catch (const nlohmann::json::exception&) {
            std::fprintf(stderr, "earshot: warning: %s has no readable training history\n", (run_dir / "train_state.ckpt").c_str());
        }
    }
    // Never over the training run's own metrics.json and plots: a subfolder per split by default.
    const fs::path out = o.out ? *o.out : run_dir / ("eval_" + split);
    write_evaluation_outputs(out, report, history, {{"model", model_path.string()}, {"dataset", dataset.spec}, {"split", split}, {"skipped", skipped}});
    progress_line(progress, "wrote " + (out / "metrics.json").string() + ", confusion.png" + (history.empty() ? "" : ", training_curves.png"));
    return report;
}

}  // namespace earshot::jobs

// earshot evaluate MODEL.tflite: the device loop and decision rule over real recordings ->
// event recall, latency, false alarms per hour, DET curve; optionally the operating point.
#include <cstdio>
#include <memory>
#include <string>

#include "apps/earshot/commands.hpp"
#include "host/error.hpp"
#include "host/eval/evaluate_job.hpp"

namespace earshot::cli {
namespace {

struct EvaluateArgs {
    eval::EvaluateOptions job;
    std::string alarms, background, labels, labels_root, snr, model_out;
    int32_t threshold_q = 1000, k = -1, n = -1, release_blocks = -1;
};

void print_summary(const char* what, const eval::Summary& s) {
    if (s.events == 0 && s.background_hours == 0) return;
    std::printf("%-11s event recall %5.1f%% (%d of %d)", what, 100.0 * s.recall, s.detected, s.events);
    if (s.detected) std::printf(", latency median %.2f s, p95 %.2f s", s.median_latency, s.p95_latency);
    std::printf(", %.1f false alarms per hour (%d in %.2f h of background)\n", s.false_alarms_per_hour, s.false_alarms, s.background_hours);
}

void run(EvaluateArgs& a) {
    eval::EvaluateOptions& o = a.job;
    if (!a.alarms.empty()) o.alarms = a.alarms;
    if (!a.background.empty()) o.background = a.background;
    if (!a.labels.empty()) o.labels = a.labels;
    if (!a.labels_root.empty()) o.labels_root = a.labels_root;
    if (!a.model_out.empty()) o.model_out = a.model_out;
    if (!a.snr.empty()) {
        const size_t colon = a.snr.find(':');
        try {
            size_t used = 0;
            if (colon == std::string::npos) throw std::invalid_argument("no colon");
            o.snr_lo = std::stod(a.snr.substr(0, colon), &used);
            if (used != colon) throw std::invalid_argument("junk");
            o.snr_hi = std::stod(a.snr.substr(colon + 1), &used);
            if (used != a.snr.size() - colon - 1) throw std::invalid_argument("junk");
        } catch (const std::exception&) {
            throw Error("--snr '" + a.snr + "': expected LO:HI in dB, for example -5:20");
        }
    }
    if (a.threshold_q != 1000) o.threshold_q = a.threshold_q;
    if (a.k >= 0) o.k = a.k;
    if (a.n >= 0) o.n = a.n;
    if (a.release_blocks >= 0) o.release_blocks = a.release_blocks;
    const eval::EvaluateResult r = eval::run_evaluate(o);

    const auto& d = r.settings.decision;
    std::printf("%s: alarm when %d of the last %d blocks score q > %d, off after %d quiet blocks (%s)\n", o.model.string().c_str(), d.k, d.n, d.threshold_q,
                d.release_blocks, r.settings.from_metadata ? "the model's metadata" : "defaults: the model has no earshot.detector metadata");
    for (const eval::ItemResult& it : r.items) {
        for (double t : it.score.missed) std::printf("  missed       %s: alarm at %.2f s\n", it.name.c_str(), t);
        for (double t : it.score.false_alarms) std::printf("  false alarm  %s: at %.2f s\n", it.name.c_str(), t);
    }
    print_summary("recordings", r.recordings);
    print_summary("scenes", r.scenes);
    print_summary("all", r.all);
    for (const eval::ModelReport& c : r.compared) {
        std::printf("compared with %s (its own settings: %d of %d blocks q > %d, off after %d):\n", c.path.string().c_str(), c.settings.decision.k,
                    c.settings.decision.n, c.settings.decision.threshold_q, c.settings.decision.release_blocks);
        print_summary("recordings", c.recordings);
        print_summary("scenes", c.scenes);
        print_summary("all", c.all);
    }
    if (r.chosen) {
        std::printf("chosen threshold: q > %d (score > %.4f): recall %.1f%%, %.2f false alarms per hour (at most %g asked)\n", r.chosen->threshold_q,
                    r.chosen->threshold_score, 100.0 * r.chosen->summary.recall, r.chosen->summary.false_alarms_per_hour, o.max_false_alarms_per_hour);
    }
    std::printf("wrote %s/metrics.json and %s/det.png\n", o.out.string().c_str(), o.out.string().c_str());
}

}  // namespace

void add_evaluate_command(CLI::App& app) {
    auto args = std::make_shared<EvaluateArgs>();
    CLI::App* cmd = app.add_subcommand("evaluate", "Run the device loop and decision rule over recordings: event recall, latency, false alarms per hour, DET curve");
    cmd->add_option("MODEL", args->job.model, "int8 .tflite (input 124x129)")->required();
    cmd->add_flag("--onset-at-first-sound", args->job.onset_at_first_sound, "Latency in unlabelled alarm recordings from their first alarm sound (band-energy rule), not from 0 s");
    cmd->add_option("--compare", args->job.compare, "More models to judge on the same audio, each with its own settings (repeatable)");
    cmd->add_option("--alarms", args->alarms, "Folder of alarm recordings: each file is one alarm event (or as its Audacity NAME.txt labels say)");
    cmd->add_option("--background", args->background, "Folder of recordings without alarms: every second counts toward false alarms");
    cmd->add_option("--labels", args->labels, "TSV: filename<TAB>onset<TAB>offset<TAB>event_label (paths relative to the TSV)");
    cmd->add_option("--labels-root", args->labels_root, "With --labels: the folder its file names are relative to (default: the TSV's folder)");
    cmd->add_option("--event-label", args->job.event_label, "With --labels: the label that marks an alarm (default: every labelled event)");
    cmd->add_option("--scenes", args->job.scenes, "Also build N scenes: alarm clips mixed into background at known times")->check(CLI::Range(0, 100000));
    cmd->add_option("--snr", args->snr, "Scene SNR range in dB, LO:HI (default -5:20)");
    cmd->add_option("--seed", args->job.seed, "Scene seed")->capture_default_str();
    cmd->add_option("--out", args->job.out, "Folder for metrics.json and det.png")->capture_default_str();
    cmd->add_option("--threshold-q", args->threshold_q, "Override the decision threshold (int8 score)")->check(CLI::Range(-128, 127));
    cmd->add_option("--k", args->k, "Override k (positives among the last n blocks to turn on)")->check(CLI::Range(1, 128));
    cmd->add_option("--n", args->n, "Override n (window in blocks, at most 128)")->check(CLI::Range(1, 128));
    cmd->add_option("--release-blocks", args->release_blocks, "Override the quiet blocks that turn the alarm off")->check(CLI::Range(1, 100000));
    cmd->add_flag("--choose-threshold", args->job.choose_threshold, "Pick the threshold with the best recall within --max-false-alarms-per-hour and write it into a copy of the model");
    cmd->add_option("--max-false-alarms-per-hour", args->job.max_false_alarms_per_hour, "The false-alarm budget for --choose-threshold")->capture_default_str();
    cmd->add_option("--model-out", args->model_out, "Where --choose-threshold writes the model copy (default: OUT/MODEL's file name)");
    cmd->add_option("--threads", args->job.threads, "Threads (default: all cores)");
    cmd->add_flag("--allow-long", args->job.allow_long, "Accept recordings longer than one hour");
    cmd->add_flag("--write-scores", args->job.write_scores, "Also write OUT/scores.json: each file's and scene's events and every model's int8 score per block (for other rules, ensembles, plots)");
    cmd->add_flag("--quiet", args->job.quiet, "No progress output");
    cmd->callback([args] { run(*args); });
}

}  // namespace earshot::cli

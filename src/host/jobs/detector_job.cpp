#include "host/jobs/detector_job.hpp"

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/dsp/frame_constants.hpp"

#include "host/audio/pcm16.hpp"
#include "host/error.hpp"
#include "host/eval/detection.hpp"
#include "host/io/atomic_file.hpp"
#include "host/io/output_folder.hpp"
#include "host/io/progress.hpp"
#include "host/io/text.hpp"
#include "host/jobs/reports.hpp"
#include "host/model/c_array.hpp"
#include "host/model/summary.hpp"
#include "host/model/tflite_reader.hpp"
#include "host/model/tflite_writer.hpp"
#include "host/nn/aot_compiler.hpp"
#include "host/quant/int8_model.hpp"
#include "host/train/checkpoint.hpp"
#include "host/train/trainer.hpp"
#include "host/train/transfer.hpp"

namespace earshot::jobs {
namespace fs = std::filesystem;
namespace {

// The tutorial-sized CNN on the front end's window (a 32x32 log band window as it is, or the
// tutorial's 124x129 spectrogram through its nearest-neighbour resize to 32x32, the ablation):
// normalization (folded into the conv), conv 8@8x8 stride 2 + ReLU, max pool pool_time x
// pool_bands (2x2: the tutorial's; wider: less of where in frequency, or when in the window, a
// pattern sits), dropout, one unit.
nlohmann::json detector_config(const model::FeatureSettings& f, int filters, int pool_time, int pool_bands, const char* head_activation = "sigmoid") {
    const bool spectrogram = f.kind == model::FeatureKind::spectrogram;
    return nlohmann::json::parse(io::format(R"({
      "input": [%d, %d, 1],
      "layers": [%s
        {"type": "normalization", "name": "normalization"},
        {"type": "conv2d", "name": "conv", "filters": %d, "kernel": [8, 8], "stride": [2, 2], "padding": "valid", "activation": "relu"},
        {"type": "maxpool2d", "name": "pool", "pool": [%d, %d]},
        {"type": "flatten", "name": "flatten"},
        {"type": "dropout", "name": "dropout", "rate": 0.25},
        {"type": "dense", "name": "head", "units": "classes", "activation": "%s"}
      ]})", spectrogram ? dsp::kFrames : f.columns, spectrogram ? dsp::kBins : f.bands(),
        spectrogram ? R"({"type": "resize", "name": "resize", "height": 32, "width": 32, "method": "nearest"},)" : "", filters, pool_time, pool_bands, head_activation));
}

std::vector<fs::path> paths_of(const std::vector<Recording>& list, int label) {
    std::vector<fs::path> out;
    for (const Recording& r : list) {
        if (r.label == label) out.push_back(r.path);
    }
    return out;
}

// The operating point is fixed by design, not fitted to a few validation files (on the
// validation and test splits of three seeds, thresholds fitted to validation missed the test
// optimum by far in both directions): a block votes "alarm" when its score is above
// `threshold_score` (0.5, the sigmoid's own boundary), and the alarm turns on when 48 of the
// last 64 blocks (1.5 s of the last 2 s) vote so. Alarms ring for minutes and the temporal-3
// pattern sounds for 1.5 s of every 4 s, which a 1 s model window stretches to ~75% of blocks;
// brief tonal sounds (a cry, a clink, a beep) rarely last that long. Validation is reported.
detect::DecisionParams operating_point(const model::Graph& g, double threshold_score, int32_t release_blocks) {
    return {model::score_to_q(g, threshold_score), 48, 64, release_blocks};
}

// On the test windows (every 4th block of the held-out recordings, in order): how often the
// int8 model's vote (score above the threshold) equals the float network's, and how often the
// alarm state after the k-of-n rule does.
struct Agreement {
    double votes = 1.0, states = 1.0;
};

Agreement int8_float_agreement(train::Network& net, const quant::Int8Model& m, const train::FeatureSet& windows, const model::Graph& g,
                               const detect::DecisionParams& p) {
    if (windows.size() == 0) return {};
    const auto f = train::evaluate(net, windows);
    const auto q = quant::run_int8(m, windows);
    const double threshold_score = model::q_to_score(g, p.threshold_q);
    detect::DecisionState sf, sq;
    detect::decision_reset(sf);
    detect::decision_reset(sq);
    size_t same_state = 0, same_vote = 0;
    for (size_t i = 0; i < windows.size(); ++i) {
        const bool vote_q = q.outputs[i] > p.threshold_q, vote_f = f.probabilities.values[i] > threshold_score;
        detect::decision_step(p, sq, vote_q ? 127 : -128);
        detect::decision_step(p, sf, vote_f ? 127 : -128);
        same_state += sf.on == sq.on;
        same_vote += vote_q == vote_f;
    }
    const double n = static_cast<double>(windows.size());
    return {static_cast<double>(same_vote) / n, static_cast<double>(same_state) / n};
}

std::string html_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '&') out += "&amp;";
        else out += c;
    }
    return out;
}

std::string summary_row(const std::string& what, const eval::Summary& s) {
    return io::format("<tr><td>%s</td><td>%.1f%% (%d of %d)</td><td>%.2f s</td><td>%.2f (%d in %.2f h)</td></tr>\n", html_escape(what).c_str(), 100 * s.recall,
                      s.detected, s.events, s.median_latency, s.false_alarms_per_hour, s.false_alarms, s.background_hours);
}

// A self-contained page beside the pictures: what was trained on, the operating point, and the
// verdict on held-out recordings.
std::string detector_report_html(const nlohmann::json& metrics, const DetectorJobResult& r, const model::DetectorSettings& settings, const model::Graph& g) {
    const auto& d = settings.decision;
    std::string h = "<!doctype html><html><head><meta charset=\"utf-8\"><title>earshot: fire-alarm detector</title>"
                    "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td,th{padding:.2em .8em;text-align:left}</style></head><body>\n";
    h += "<h1>earshot fire-alarm detector</h1>\n<p>Data: " + html_escape(metrics["data"]["source"].get<std::string>()) +
         io::format("; %zu training, %zu validation, %zu test windows (split by recording, see metrics.json).</p>\n", r.train_windows, r.val_windows, r.test_windows);
    h += io::format("<p>Operating point (a fixed rule, stored in fire_alarm.tflite's metadata): alarm when %d of the last %d blocks "
                    "(32 ms each) score above %.3f; off after %d quiet blocks. Validation windows: float %.2f%%, int8 %.2f%%; int8 and float alarm "
                    "states agree on %.2f%% of test blocks.</p>\n",
                    d.k, d.n, model::q_to_score(g, d.threshold_q), d.release_blocks, 100 * r.float_accuracy, 100 * r.int8_accuracy, 100 * r.int8_float_block_agreement);
    if (r.evaluated) {
        h += "<h2>Held-out recordings (device loop)</h2>\n<table><tr><th>model / set</th><th>event recall</th><th>median latency</th><th>false alarms per hour</th></tr>\n";
        h += summary_row("this detector: recordings", r.test.recordings) + summary_row("this detector: scenes", r.test.scenes) + summary_row("this detector: all", r.test.all);
        for (const auto& c : r.test.compared) h += summary_row(c.path.filename().string() + ": all", c.all);
        h += "</table>\n<p>Latency from each alarm's first sound; from the alarm recording's start: median " +
             io::format("%.2f s.", r.test_from_file_start.all.median_latency) + "</p>\n<p><img src=\"evaluation/det.png\" alt=\"DET curve\"></p>\n";
    } else {
        h += "<p>Trained on every recording: no held-out verdict (see the README for the recipe's held-out numbers).</p>\n";
    }
    h += "<h2>Training</h2>\n<p><img src=\"training_curves.png\" alt=\"training curves\"></p>\n</body></html>\n";
    return h;
}

}  // namespace

DetectorJobResult run_detector_job(const DetectorJobOptions& o) {
    io::Progress progress = io::make_progress(o.quiet);
    const auto t0 = std::chrono::steady_clock::now();
    const auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
    const fs::path staging = io::begin_output_folder(o.out);
    DetectorJobResult result;
    nlohmann::json metrics;

    // 1. Data.
    const char* feature_name = o.data.features.kind == model::FeatureKind::spectrogram ? "spectrogram features" : "log band features";
    progress_line(progress, io::format("[1/6] data: recordings split by recording, %s, real-condition augmentation ...", feature_name));
    RealDetectorData data = build_real_detector_data(o.data);
    for (const auto& s : data.skipped) std::fprintf(stderr, "earshot: warning: skipped %s\n", s.c_str());
    progress_line(progress, io::format("      %s: %zu train / %zu val / %zu test recordings; windows: %zu alarm, %zu background, %zu left out (no alarm sound), %zu augmented  [%.1fs]",
                                       data.source.c_str(), data.split.train.size(), data.split.val.size(), data.split.test.size(), data.positive_windows,
                                       data.negative_windows, data.excluded_windows, data.augmented, elapsed()));
    if (o.data.alarm_spans) {
        progress_line(progress, io::format("      alarm spans %s: %zu recordings marked, %zu band-energy alarm blocks outside them not taught as alarm",
                                           o.data.alarm_spans->string().c_str(), data.spanned_recordings, data.blocks_outside_spans));
    }
    result.train_windows = data.train.size();
    result.val_windows = data.val.size();
    result.test_windows = data.test.size();
    if (data.val.size() == 0) throw Error("no validation windows: the data needs more recordings per kind");
    metrics["data"] = {{"source", data.source}, {"split", data.manifest}, {"train_windows", data.train.size()}, {"val_windows", data.val.size()},
                       {"test_windows", data.test.size()}, {"alarm_windows", data.positive_windows}, {"background_windows", data.negative_windows},
                       {"left_out_windows", data.excluded_windows}, {"augmented_windows", data.augmented},
                       {"alarm_spans", o.data.alarm_spans ? nlohmann::json(o.data.alarm_spans->string()) : nlohmann::json()},
                       {"spanned_recordings", data.spanned_recordings}, {"blocks_outside_spans", data.blocks_outside_spans}};

    // 2. Training: from scratch, or from a body pretrained to tell the sound kinds apart.
    progress_line(progress, "[2/6] training");
    const auto adapt_batches = [](const train::FeatureSet& set) {
        std::vector<train::Tensor> adapt;
        for (size_t start = 0; start < set.size() && adapt.size() < 20; start += 997) {
            std::vector<size_t> idx;
            for (size_t i = start; i < std::min(set.size(), start + 64); ++i) idx.push_back(i);
            adapt.push_back(train::make_batch(set, idx));
        }
        return adapt;
    };
    train::Network net = train::build_network(detector_config(o.data.features, o.filters, o.pool_time, o.pool_bands), 2, o.seed);
    if (o.pretrain && data.kinds.size() >= 3) {
        train::FeatureSet kinds_train, kinds_val;
        kinds_train.item_shape = kinds_val.item_shape = data.train.item_shape;
        for (size_t i = 0; i < data.train_kind.size(); ++i) kinds_train.append(data.train.item(i), data.train_kind[i]);
        for (size_t i = 0; i < data.val_kind.size(); ++i) kinds_val.append(data.val.item(i), data.val_kind[i]);
        const int k = static_cast<int>(data.kinds.size());
        train::Network body = train::build_network(detector_config(o.data.features, o.filters, o.pool_time, o.pool_bands, "softmax"), k, o.seed + 17);
        train::adapt_normalization(body, adapt_batches(kinds_train));
        train::TrainingConfig pre;
        pre.learning_rate = o.learning_rate;
        pre.batch_size = o.batch_size;
        pre.epochs = o.pretrain_epochs;
        pre.early_stopping_patience = 4;
        pre.schedule.kind = train::ScheduleKind::exponential;
        pre.schedule.after_epoch = 5;
        pre.schedule.decay = 0.1;
        train::TrainState st = train::start_training(body, pre, o.seed + 17);
        train::TrainCallbacks cb;
        cb.on_epoch = [&](train::Network&, const train::TrainState& s) {
            const auto& r = s.history.back();
            progress_line(progress, io::format("      pretrain (%d sound kinds) epoch %d/%d loss %.4f acc %.1f%% val_loss %.4f val_acc %.1f%%  [%.0fs]", k, r.epoch,
                                               pre.epochs, r.loss, 100 * r.accuracy, r.val_loss, 100 * r.val_accuracy, elapsed()));
            return true;
        };
        train::fit(body, st, pre, kinds_train, kinds_val, cb);
        net = train::with_new_head(body, 2, true, o.seed);  // the body and its normalization carry over
        metrics["pretraining"] = {{"kinds", data.kinds}, {"train_windows", kinds_train.size()}, {"epochs", st.history.size()},
                                  {"val_accuracy", st.history.empty() ? 0.0 : st.history.back().val_accuracy}};
    } else {
        train::adapt_normalization(net, adapt_batches(data.train));
    }
    train::TrainingConfig cfg;
    cfg.learning_rate = o.learning_rate;
    cfg.batch_size = o.batch_size;
    cfg.epochs = o.epochs;
    cfg.early_stopping_patience = o.patience;
    cfg.restore_best_weights = o.patience > 0;  // no early stopping: the last epoch's weights
    cfg.schedule.kind = train::ScheduleKind::exponential;
    cfg.schedule.after_epoch = 10;
    cfg.schedule.decay = 0.1;
    std::vector<train::EpochRecord> history;
    std::vector<report::StageMark> stage_marks;
    // With average_weights, a stage ends on the mean of its epochs' weights.
    train::WeightAverage average_of_epochs;
    const auto stage = [&](const char* name, const train::TrainingConfig& c, bool qat, bool average = false) {
        stage_marks.push_back({static_cast<int>(history.size()) + 1, name});
        train::TrainState s = train::start_training(net, c, o.seed);
        train::TrainCallbacks cb;
        cb.fake_quantize_weights = qat;
        cb.on_batch = [&](int epoch, size_t b, size_t n, double loss, double acc) {
            progress_update(progress, io::format("      %s epoch %d/%d %s loss %.4f acc %.1f%%", name, epoch, c.epochs,
                                                 io::progress_bar(static_cast<double>(b) / static_cast<double>(n)).c_str(), loss, 100 * acc));
        };
        cb.on_epoch = [&](train::Network&, const train::TrainState& st) {
            const auto& r = st.history.back();
            if (average) train::add_snapshot(average_of_epochs, train::trainable_weights(net));
            progress_line(progress, io::format("      %s epoch %d/%d loss %.4f acc %.1f%% val_loss %.4f val_acc %.1f%% lr %.1e  [%.0fs]", name, r.epoch, c.epochs, r.loss,
                                               100 * r.accuracy, r.val_loss, 100 * r.val_accuracy, r.learning_rate, elapsed()));
            return true;
        };
        train::fit(net, s, c, data.train, data.val, cb);
        if (average && average_of_epochs.count > 0) train::set_trainable_weights(net, train::mean_weights(average_of_epochs));
        for (auto r : s.history) {
            r.epoch = static_cast<int>(history.size()) + 1;
            history.push_back(r);
        }
    };
    stage("train", cfg, false);
    // Hard negatives: the background windows the model still scores as alarms (baby cries,
    // glass, beeps) are taught again, three times over, at a lower rate.
    if (o.hard_negative_epochs > 0) {
        const auto scores = train::evaluate(net, data.train);
        std::vector<size_t> hard;
        for (size_t i = 0; i < data.train.size(); ++i) {
            if (data.train.labels[i] == 0 && scores.probabilities.values[i] > 0.3f) hard.push_back(i);
        }
        for (int copy = 0; copy < 3; ++copy) {
            for (size_t i : hard) {
                const auto item = data.train.item(i);
                data.train.append(std::vector<int16_t>(item.begin(), item.end()), 0);
            }
        }
        progress_line(progress, io::format("      %zu hard negatives (background windows scoring > 0.3) taught again x3", hard.size()));
        metrics["data"]["hard_negatives"] = hard.size();
        train::TrainingConfig again = cfg;
        again.learning_rate = o.learning_rate / 3;
        again.epochs = o.hard_negative_epochs;
        again.schedule.after_epoch = 1;
        again.restore_best_weights = cfg.restore_best_weights && !o.average_weights;
        stage("hard", again, false, o.average_weights);
    }
    const auto float_val = train::evaluate(net, data.val);
    result.float_accuracy = float_val.accuracy;

    // 3. int8: post-training, then quantization-aware; the better on validation windows.
    progress_line(progress, "[3/6] int8 quantization");
    const quant::Calibration cal = quant::calibrate(net, data.train, 3000);
    const auto int8_accuracy = [&](const model::Graph& g) {
        const auto r = quant::run_int8(quant::prepare_int8(g), data.val);
        size_t right = 0;
        for (size_t i = 0; i < data.val.size(); ++i) right += r.predictions[i] == data.val.labels[i];
        return static_cast<double>(right) / static_cast<double>(data.val.size());
    };
    model::Graph graph = quant::to_int8_graph(net, cal, std::string("earshot fire-alarm detector (") + feature_name + ", int8)");
    double best = int8_accuracy(graph);
    std::string kind = "post-training";
    if (o.qat_epochs > 0) {
        train::Network float_net = net;
        quant::enable_fake_quant(net, cal);
        train::TrainingConfig qat = cfg;
        qat.learning_rate = o.learning_rate / 20;
        qat.epochs = o.qat_epochs;
        qat.early_stopping_patience = 0;
        qat.schedule.kind = train::ScheduleKind::constant;
        stage("qat", qat, true);
        net.fake_quant.reset();
        const model::Graph qat_graph = quant::to_int8_graph(net, cal, std::string("earshot fire-alarm detector (") + feature_name + ", quantization-aware int8)");
        const double acc = int8_accuracy(qat_graph);
        if (acc >= best) {
            graph = qat_graph;
            best = acc;
            kind = "quantization-aware";
        } else {
            net = float_net;
        }
    }
    result.int8_accuracy = best;
    progress_line(progress, io::format("      validation windows: float %.2f%%, int8 (%s) %.2f%%", 100 * result.float_accuracy, kind.c_str(), 100 * best));

    // 4. The operating point on the validation recordings (and scenes made from them).
    progress_line(progress, "[4/6] operating point, checked on the validation recordings");
    model::DetectorSettings settings = model::default_detector_settings(graph);
    settings.labels = {"background", "fire_alarm"};
    settings.features = o.data.features;
    settings.decision = operating_point(graph, o.threshold_score, settings.decision.release_blocks);
    model::set_detector_settings(graph, settings);  // so the validation folder's figures are the shipped rule's
    const fs::path draft = staging / "draft.tflite";
    model::save_tflite(draft, graph);
    eval::EvaluateOptions ev;
    ev.model = draft;
    ev.alarm_files = paths_of(data.split.val, 1);
    ev.background_files = paths_of(data.split.val, 0);
    ev.scenes = ev.alarm_files.empty() || ev.background_files.empty() ? 0 : std::max(0, o.scenes / 3);
    ev.seed = o.seed + 7;
    ev.out = staging / "validation";
    ev.threads = o.threads;
    ev.quiet = true;
    ev.onset_at_first_sound = true;
    const eval::EvaluateResult val = eval::run_evaluate(ev);
    const detect::DecisionParams& rule = settings.decision;
    const eval::Summary& at_rule = val.all;
    if (at_rule.false_alarms_per_hour > o.max_false_alarms_per_hour) {
        std::fprintf(stderr, "earshot: warning: at that threshold the validation recordings give %.2f false alarms per hour (budget %g)\n",
                     at_rule.false_alarms_per_hour, o.max_false_alarms_per_hour);
    }
    fs::remove(draft);
    result.settings = settings;
    progress_line(progress, io::format("      alarm when %d of %d blocks score q > %d (score > %.3f): validation recall %.1f%% (%d of %d), %.2f false alarms per hour",
                                       rule.k, rule.n, rule.threshold_q, model::q_to_score(graph, rule.threshold_q), 100 * at_rule.recall,
                                       at_rule.detected, at_rule.events, at_rule.false_alarms_per_hour));
    metrics["operating_point"] = {{"rule", "score > threshold on 48 of the last 64 blocks (fixed by design)"}, {"threshold_q", rule.threshold_q}, {"k", rule.k},
                                  {"n", rule.n}, {"release_blocks", rule.release_blocks}, {"validation", summary_json(at_rule)}};

    // 5. Export, and check the file gives the in-memory model's outputs.
    progress_line(progress, "[5/6] export: fire_alarm.tflite (operating point in its metadata), fire_alarm_model_data.h, compiled C++");
    const auto tflite = model::write_tflite(graph);
    io::write_file_atomic(staging / "fire_alarm.tflite", std::string(tflite.begin(), tflite.end()));
    io::write_file_atomic(staging / "fire_alarm_model_data.h", model::c_array_header(tflite, "fire_alarm_model", "fire_alarm.tflite (" + kind + " int8)"));
    const auto exported = quant::prepare_int8(model::load_tflite(staging / "fire_alarm.tflite"));
    nn::write_compiled_model(nn::compile_plan(exported.plan, "fire_alarm_model", "fire_alarm.tflite"), staging / "compiled", "fire_alarm_model");
    if (quant::run_int8(exported, data.val).outputs != quant::run_int8(quant::prepare_int8(graph), data.val).outputs) {
        throw Error("internal: the exported .tflite gives different int8 outputs from the in-memory model");
    }
    train::save_model(staging / "detector.ckpt", net, data.classes, nlohmann::json::parse(model::detector_settings_json(graph, settings)));
    const Agreement agreement = int8_float_agreement(net, exported, data.test.size() ? data.test : data.val, graph, settings.decision);
    result.int8_float_block_agreement = agreement.states;
    result.int8_float_vote_agreement = agreement.votes;

    // 6. The verdict on held-out recordings and scenes.
    if (!data.split.test.empty() && !o.data.train_on_all) {
        progress_line(progress, "[6/6] evaluation on the held-out recordings and scenes (device loop, operating point from the metadata)");
        eval::EvaluateOptions te;
        te.model = staging / "fire_alarm.tflite";
        te.compare = o.compare;
        te.alarm_files = paths_of(data.split.test, 1);
        te.background_files = paths_of(data.split.test, 0);
        te.scenes = te.alarm_files.empty() || te.background_files.empty() ? 0 : o.scenes;
        te.seed = o.seed + 11;
        te.out = staging / "evaluation";
        te.threads = o.threads;
        te.quiet = true;
        te.onset_at_first_sound = true;
        result.test = eval::run_evaluate(te);
        result.evaluated = true;
        // The conservative convention too, from the same scores: latency from each event's onset
        // (an alarm recording's first second, a scene's placed stretch) instead of its first sound.
        std::vector<eval::FileScore> all, recordings, scenes;
        for (eval::ItemResult it : result.test.items) {
            for (eval::Interval& e : it.events) e.latency_from = -1.0;
            all.push_back(eval::score_file(it.q, it.events, settings.decision));
            (it.group == "scenes" ? scenes : recordings).push_back(all.back());
        }
        result.test_from_file_start = {eval::summarize(all), eval::summarize(recordings), eval::summarize(scenes)};
        metrics["test_alarm_onsets_at_file_start"] = {{"recordings", summary_json(result.test_from_file_start.recordings)},
                                                      {"scenes", summary_json(result.test_from_file_start.scenes)},
                                                      {"all", summary_json(result.test_from_file_start.all)}};
        metrics["test"] = {{"recordings", summary_json(result.test.recordings)}, {"scenes", summary_json(result.test.scenes)}, {"all", summary_json(result.test.all)}};
        for (const auto& c : result.test.compared) {
            metrics["test"]["compared"].push_back({{"model", c.path.string()}, {"recordings", summary_json(c.recordings)}, {"scenes", summary_json(c.scenes)},
                                                   {"all", summary_json(c.all)}});
        }
    } else {
        progress_line(progress, "[6/6] no held-out recordings (trained on all): see the README for the recipe's held-out numbers");
    }
    const auto mem = model::estimate_memory(exported.plan.graph);
    metrics["training"] = {{"seed", o.seed}, {"split_seed", o.data.split_seed.value_or(o.data.seed)}, {"fold", o.data.fold.count ? nlohmann::json(io::format("%d/%d", o.data.fold.index + 1, o.data.fold.count)) : nlohmann::json()}, {"epochs", o.epochs}, {"patience", o.patience},
                           {"hard_negative_epochs", o.hard_negative_epochs}, {"average_weights", o.average_weights}, {"filters", o.filters},
                           {"pool_bands", o.pool_bands}, {"pool_time", o.pool_time}, {"band_shift", o.data.band_shift}, {"balance_alarms", o.data.balance_alarm_recordings}, {"pitch_down_octaves", o.data.pitch_down_octaves},
                           {"sounder_clips", o.data.sounder_clips}, {"builtin_alarm_clips", o.data.builtin_alarm_clips}, {"builtin_background_clips", o.data.builtin_background_clips}, {"augment", o.data.augment}, {"builtin", o.data.builtin}, {"pretrain", o.pretrain}};
    metrics["model"] = {{"int8", kind}, {"float_val_accuracy", result.float_accuracy}, {"int8_val_accuracy", result.int8_accuracy},
                        {"int8_float_alarm_state_agreement", result.int8_float_block_agreement},
                        {"int8_float_vote_agreement", result.int8_float_vote_agreement}, {"arena_bytes", exported.plan.arena_bytes},
                        {"weight_bytes", mem.weight_bytes}, {"tflite_bytes", tflite.size()}, {"parameters", train::parameter_count(net)}};
    metrics["seconds"] = elapsed();
    nlohmann::json h = nlohmann::json::array();
    for (const auto& r : history) h.push_back({{"epoch", r.epoch}, {"loss", r.loss}, {"accuracy", r.accuracy}, {"val_loss", r.val_loss}, {"val_accuracy", r.val_accuracy}});
    metrics["history"] = h;
    write_training_curves(staging / "training_curves.png", history, stage_marks);
    io::write_file_atomic(staging / "metrics.json", metrics.dump(1) + "\n");
    io::write_file_atomic(staging / "report.html", detector_report_html(metrics, result, settings, graph));
    io::publish_output_folder(staging, o.out);
    return result;
}

nlohmann::json summary_json(const eval::Summary& s) {
    return {{"events", s.events}, {"detected", s.detected}, {"event_recall", s.recall}, {"median_latency_s", s.median_latency},
            {"p95_latency_s", s.p95_latency}, {"false_alarms", s.false_alarms}, {"background_hours", s.background_hours},
            {"false_alarms_per_hour", s.false_alarms_per_hour}};
}

}  // namespace earshot::jobs

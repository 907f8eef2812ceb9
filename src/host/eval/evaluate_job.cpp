#include "host/eval/evaluate_job.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <ctime>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>

#include "core/dsp/frame_constants.hpp"
#include "host/audio/pcm16.hpp"
#include "host/data/alarm_activity.hpp"
#include "host/data/dataset.hpp"
#include "host/dsp/log_band_columns.hpp"
#include "host/error.hpp"
#include "host/eval/device_loop.hpp"
#include "host/eval/labels.hpp"
#include "host/eval/scenes.hpp"
#include "host/io/atomic_file.hpp"
#include "host/io/parallel.hpp"
#include "host/io/progress.hpp"
#include "host/io/text.hpp"
#include "host/model/tflite_reader.hpp"
#include "host/model/tflite_writer.hpp"
#include "host/nn/plan.hpp"
#include "host/report/plots.hpp"

namespace earshot::eval {
namespace fs = std::filesystem;
namespace {

// A label may end a little after the audio (rounding in editors); more than this is a mismatch.
constexpr double kLabelSlackSeconds = 0.5;

struct Source {
    std::string name, group;
    fs::path path, label_file;         // label_file: where the events came from (for messages)
    std::vector<LabelledEvent> events;
    bool whole_file = false;           // one event spanning the file
};

std::vector<fs::path> audio_files(const fs::path& dir, const char* option) {
    if (!fs::exists(dir)) throw Error(dir.string() + ": no such folder (" + option + ")");
    if (!fs::is_directory(dir)) throw Error(dir.string() + ": not a folder (" + option + " takes a folder of recordings)");
    const std::vector<fs::path> files = data::audio_files_under(dir);
    if (files.empty()) throw Error(dir.string() + ": no audio files (.wav, .flac, .ogg, .aiff) in it (" + option + ")");
    return files;
}

std::string display_name(const fs::path& file, const fs::path& root) {
    const fs::path rel = file.lexically_relative(root);
    return (rel.empty() ? file : root.filename() / rel).generic_string();
}

Source alarm_source(const fs::path& f, std::string name) {
    Source s{std::move(name), "alarms", f, audacity_labels_for(f), {}, false};
    if (s.label_file.empty()) {
        s.whole_file = true;
    } else {
        s.events = read_audacity_labels(s.label_file);
    }
    return s;
}

std::string short_name(const fs::path& f) { return (f.parent_path().filename() / f.filename()).generic_string(); }

std::vector<Source> collect_sources(const EvaluateOptions& o) {
    std::vector<Source> out;
    for (const fs::path& f : o.alarm_files) {
        if (!fs::is_regular_file(f)) throw Error(f.string() + ": no such alarm recording");
        out.push_back(alarm_source(f, short_name(f)));
    }
    for (const fs::path& f : o.background_files) {
        if (!fs::is_regular_file(f)) throw Error(f.string() + ": no such background recording");
        out.push_back({short_name(f), "background", f, {}, {}, false});
    }
    if (o.alarms) {
        for (const fs::path& f : audio_files(*o.alarms, "--alarms")) {
            out.push_back(alarm_source(f, display_name(f, *o.alarms)));
        }
    }
    if (o.background) {
        for (const fs::path& f : audio_files(*o.background, "--background")) out.push_back({display_name(f, *o.background), "background", f, {}, {}, false});
    }
    if (o.labels_root && !o.labels) throw Error("--labels-root needs --labels (the label file whose names it resolves)");
    if (o.labels) {
        const auto table = read_label_tsv(*o.labels);
        const fs::path base = o.labels_root ? *o.labels_root : o.labels->parent_path();
        if (o.labels_root && !fs::is_directory(base)) {
            throw Error(base.string() + ": no such folder (--labels-root, where the names in " + o.labels->string() + " are looked up)");
        }
        std::vector<std::string> seen_labels;
        bool any_event = false;
        for (const auto& [file, events] : table) {
            const fs::path path = fs::path(file).is_absolute() ? fs::path(file) : base / file;
            if (!fs::is_regular_file(path)) {
                throw Error(o.labels->string() + ": labels '" + file + "', but there is no such audio file (" + path.string() + ")");
            }
            Source s{file, "labels", path, *o.labels, {}, false};
            for (const LabelledEvent& e : events) {
                if (std::find(seen_labels.begin(), seen_labels.end(), e.label) == seen_labels.end()) seen_labels.push_back(e.label);
                if (o.event_label.empty() || e.label == o.event_label) s.events.push_back(e);
            }
            any_event = any_event || !s.events.empty();
            out.push_back(std::move(s));
        }
        if (!o.event_label.empty() && !any_event) {
            std::string labels;
            for (const auto& l : seen_labels) labels += (labels.empty() ? "" : ", ") + ("'" + l + "'");
            throw Error(o.labels->string() + ": no event is labelled '" + o.event_label + "' (labels in the file: " + labels + ")");
        }
    }
    return out;
}

model::DetectorSettings applied_settings(const model::Graph& g, const EvaluateOptions& o) {
    model::DetectorSettings s = model::detector_settings(g, o.model.string());
    if (o.threshold_q) s.decision.threshold_q = *o.threshold_q;
    if (o.k) s.decision.k = *o.k;
    if (o.n) s.decision.n = *o.n;
    if (o.release_blocks) s.decision.release_blocks = *o.release_blocks;
    model::Graph copy = g;
    model::set_detector_settings(copy, s);  // validates the overrides
    return s;
}

// A model being judged: its graph, the settings applied, its plan (which DeviceLoops refer to).
struct Judged {
    fs::path path;
    model::Graph graph;
    model::DetectorSettings settings;
    nn::Plan plan;
};

const std::vector<int8_t>& scores_of(const ItemResult& it, size_t model) { return model == 0 ? it.q : it.compare_q[model - 1]; }

// Recall, latency and false alarms at the model's operating point (per file scores into
// `files`), for recordings, scenes and all, then the DET sweep over every threshold.
ModelReport judge(const Judged& m, size_t index, const std::vector<ItemResult>& items, const EvaluateOptions& o, std::vector<FileScore>& files) {
    ModelReport r;
    r.path = m.path;
    r.settings = m.settings;
    files.clear();
    std::vector<FileScore> recordings, scenes;
    for (const ItemResult& it : items) {
        files.push_back(score_file(scores_of(it, index), it.events, m.settings.decision, o.collars));
        (it.group == "scenes" ? scenes : recordings).push_back(files.back());
    }
    r.all = summarize(files);
    r.recordings = summarize(recordings);
    r.scenes = summarize(scenes);
    r.det.resize(256);
    io::parallel_for(256, o.threads, [&](size_t t) {
        detect::DecisionParams p = m.settings.decision;
        p.threshold_q = static_cast<int32_t>(t) - 128;
        std::vector<FileScore> scores;
        scores.reserve(items.size());
        for (const ItemResult& it : items) scores.push_back(score_file(scores_of(it, index), it.events, p, o.collars));
        r.det[t] = {p.threshold_q, model::q_to_score(m.graph, p.threshold_q), summarize(scores)};
    });
    return r;
}

nlohmann::ordered_json det_json(const std::vector<DetPoint>& det) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const DetPoint& p : det) {
        out.push_back({{"threshold_q", p.threshold_q}, {"threshold_score", p.threshold_score}, {"event_recall", p.summary.recall},
                       {"false_alarms_per_hour", p.summary.false_alarms_per_hour}, {"median_latency_s", p.summary.median_latency}});
    }
    return out;
}

nlohmann::ordered_json summary_json(const Summary& s) {
    nlohmann::ordered_json j;
    j["events"] = s.events;
    j["detected"] = s.detected;
    j["event_recall"] = s.recall;
    j["median_latency_s"] = s.median_latency;
    j["p95_latency_s"] = s.p95_latency;
    j["false_alarms"] = s.false_alarms;
    j["background_hours"] = s.background_hours;
    j["false_alarms_per_hour"] = s.false_alarms_per_hour;
    j["audio_hours"] = s.audio_hours;
    return j;
}

void write_outputs(const EvaluateOptions& o, const model::Graph& g, const EvaluateResult& r) {
    std::error_code ec;
    fs::create_directories(o.out, ec);
    if (ec || !fs::is_directory(o.out)) throw Error(o.out.string() + ": cannot create the output folder" + (ec ? ": " + ec.message() : ""));
    nlohmann::ordered_json j;
    j["model"] = o.model.string();
    j["detector"] = nlohmann::ordered_json::parse(model::detector_settings_json(g, r.settings));
    j["detector_from_metadata"] = r.settings.from_metadata;
    j["collars_s"] = {{"before_onset", o.collars.before}, {"after_offset", o.collars.after}};
    j["alarm_onsets"] = o.onset_at_first_sound ? "first alarm sound (band-energy rule)" : "file start";
    j["all"] = summary_json(r.all);
    j["recordings"] = summary_json(r.recordings);
    j["scenes"] = summary_json(r.scenes);
    if (o.scenes > 0) j["scene_settings"] = {{"count", o.scenes}, {"snr_db", {o.snr_lo, o.snr_hi}}, {"seed", o.seed}};
    j["det"] = det_json(r.det);
    j["compared"] = nlohmann::ordered_json::array();
    for (const ModelReport& c : r.compared) {
        j["compared"].push_back({{"model", c.path.string()}, {"detector", nlohmann::ordered_json::parse(model::detector_settings_json(model::load_tflite(c.path), c.settings))},
                                 {"all", summary_json(c.all)}, {"recordings", summary_json(c.recordings)}, {"scenes", summary_json(c.scenes)},
                                 {"det", det_json(c.det)}});
    }
    if (r.chosen) {
        j["chosen"] = {{"threshold_q", r.chosen->threshold_q}, {"threshold_score", r.chosen->threshold_score},
                       {"max_false_alarms_per_hour", o.max_false_alarms_per_hour}, {"summary", summary_json(r.chosen->summary)}};
    }
    nlohmann::ordered_json files = nlohmann::ordered_json::array();
    for (const ItemResult& it : r.items) {
        nlohmann::ordered_json f;
        f["name"] = it.name;
        f["group"] = it.group;
        f["seconds"] = it.score.seconds;
        f["events"] = it.score.events;
        f["detected"] = it.score.detected;
        f["latencies_s"] = it.score.latencies;
        f["missed_onsets_s"] = it.score.missed;
        f["false_alarms_s"] = it.score.false_alarms;
        files.push_back(f);
    }
    j["files"] = files;
    j["skipped"] = r.skipped;
    j["speed"] = {{"audio_seconds", r.audio_seconds}, {"wall_seconds", r.wall_seconds}, {"cpu_seconds", r.cpu_seconds},
                  {"models", r.models}, {"real_time_per_core", r.real_time_per_core()}};
    io::write_file_atomic(o.out / "metrics.json", j.dump(1) + "\n");
    if (o.write_scores) {
        // The raw material of every figure above, for other decision rules and ensembles: the
        // events (seconds) and each model's int8 score per 32 ms block.
        nlohmann::ordered_json scores;
        scores["block_ms"] = 32;
        scores["models"] = {o.model.string()};
        for (const fs::path& c : o.compare) scores["models"].push_back(c.string());
        scores["items"] = nlohmann::ordered_json::array();
        for (const ItemResult& it : r.items) {
            nlohmann::ordered_json item;
            item["name"] = it.name;
            item["group"] = it.group;
            item["events"] = nlohmann::ordered_json::array();
            for (const Interval& e : it.events) item["events"].push_back({{"onset", e.onset}, {"offset", e.offset}, {"latency_from", e.latency_from}});
            item["q"] = nlohmann::ordered_json::array({it.q});
            for (const auto& q : it.compare_q) item["q"].push_back(q);
            scores["items"].push_back(std::move(item));
        }
        io::write_file_atomic(o.out / "scores.json", scores.dump() + "\n");
    }

    // One curve per model, its operating point marked.
    const report::Color palette[] = {{20, 90, 200}, {230, 120, 20}, {40, 150, 60}, {150, 60, 170}, {120, 120, 120}};
    std::vector<report::Curve> curves;
    const auto add_curve = [&](const fs::path& path, const Summary& at, const std::vector<DetPoint>& det) {
        report::Curve c{path.stem().string(), {}, palette[curves.size() % 5], true, {at.false_alarms_per_hour, at.recall}};
        for (const DetPoint& p : det) c.points.push_back({p.summary.false_alarms_per_hour, p.summary.recall});
        curves.push_back(c);
    };
    add_curve(o.model, r.all, r.det);
    for (const ModelReport& c : r.compared) add_curve(c.path, c.all, c.det);
    if (r.chosen) curves.push_back({"CHOSEN", {}, {200, 40, 40}, true, {r.chosen->summary.false_alarms_per_hour, r.chosen->summary.recall}});
    const report::RgbImage img = report::det_chart("DET: EVENT RECALL VS FALSE ALARMS PER HOUR", curves);
    io::replace_file_atomically(o.out / "det.png", [&](const fs::path& tmp) { report::write_png(tmp, img); });
}

// Seconds to the first block the band-energy rule hears alarm sound in (0 when none).
double first_alarm_sound(const std::vector<int16_t>& pcm) {
    const model::FeatureSettings f = model::default_log_band_features();
    const auto active = data::alarm_activity(dsp::log_band_columns(pcm, f.layout()), f.layout());
    const auto first = std::find(active.begin(), active.end(), 1);
    return first == active.end() ? 0.0 : static_cast<double>(first - active.begin()) * dsp::kStreamChunk / dsp::kSampleRate;
}

}  // namespace

std::optional<DetPoint> choose_operating_point(const std::vector<DetPoint>& det, double max_fa) {
    std::optional<DetPoint> best;
    for (const DetPoint& p : det) {
        if (p.summary.false_alarms_per_hour > max_fa + 1e-12) continue;
        const auto key = [](const DetPoint& d) { return std::make_tuple(d.summary.recall, -d.summary.false_alarms_per_hour, -d.summary.median_latency, d.threshold_q); };
        if (!best || key(p) > key(*best)) best = p;
    }
    return best;
}

EvaluateResult run_evaluate(const EvaluateOptions& o) {
    const bool any_alarms = o.alarms || !o.alarm_files.empty(), any_background = o.background || !o.background_files.empty();
    if (!any_alarms && !any_background && !o.labels) throw Error("nothing to evaluate on: give --alarms DIR and/or --background DIR, or --labels FILE.tsv");
    if (o.scenes < 0) throw Error("--scenes must be 0 or more");
    if (o.scenes > 0 && (!any_alarms || !any_background)) throw Error("--scenes needs both --alarms DIR and --background DIR to build scenes from");
    if (!(o.snr_lo <= o.snr_hi)) throw Error("--snr LO:HI needs LO <= HI");
    if (o.max_false_alarms_per_hour < 0) throw Error("--max-false-alarms-per-hour must be >= 0");
    const auto wall0 = std::chrono::steady_clock::now();
    const std::clock_t cpu0 = std::clock();

    // The models: the main one (settings with the command line's overrides) and any to compare.
    std::vector<Judged> models;
    models.reserve(1 + o.compare.size());  // DeviceLoops keep references to the plans
    for (size_t m = 0; m <= o.compare.size(); ++m) {
        const fs::path path = m == 0 ? o.model : o.compare[m - 1];
        model::Graph g = model::load_tflite(path);
        model::DetectorSettings settings = m == 0 ? applied_settings(g, o) : model::detector_settings(g, path.string());
        nn::Plan plan = nn::build_plan(g);
        models.push_back({path, std::move(g), settings, std::move(plan)});
        DeviceLoop probe(models.back().plan, settings, path.string());  // the model can run the loop at all
    }
    if (o.choose_threshold && o.model_out && fs::exists(*o.model_out) && fs::equivalent(*o.model_out, o.model)) {
        throw Error(o.model_out->string() + ": will not overwrite the model being evaluated");
    }
    const model::Graph& graph = models[0].graph;
    EvaluateResult r;
    r.settings = models[0].settings;
    // Every model's block scores for one stretch of audio.
    // Every model's block scores for one stretch of audio, each model's loop taking each block in
    // turn from `next_block` (false at the end), so a file can be scored as it is decoded.
    const auto score_blocks_with_all = [&](const std::function<bool(int16_t*)>& next_block, ItemResult& it) {
        std::vector<std::unique_ptr<DeviceLoop>> loops;
        for (size_t m = 0; m < models.size(); ++m) loops.push_back(std::make_unique<DeviceLoop>(models[m].plan, models[m].settings, models[m].path.string()));
        it.compare_q.resize(models.size() - 1);  // sized first: the pointers below must not move
        std::vector<std::vector<int8_t>*> outputs{&it.q};
        for (auto& q : it.compare_q) outputs.push_back(&q);
        int16_t block[dsp::kStreamChunk];
        while (next_block(block)) {
            for (size_t m = 0; m < loops.size(); ++m) outputs[m]->push_back(static_cast<int8_t>(loops[m]->push(block)));
        }
    };
    const auto score_with_all = [&](const std::vector<int16_t>& pcm, ItemResult& it) {
        size_t at = 0;
        score_blocks_with_all([&](int16_t* block) {
            if (at + dsp::kStreamChunk > pcm.size()) return false;
            std::copy_n(pcm.begin() + static_cast<std::ptrdiff_t>(at), dsp::kStreamChunk, block);
            at += dsp::kStreamChunk;
            return true;
        }, it);
    };
    // From the file as it is decoded; returns its length in seconds.
    const auto score_streaming = [&](const fs::path& path, const audio::DecodeLimits& limits, ItemResult& it) {
        audio::Pcm16kStream stream(path, limits);
        int64_t samples = 0;
        score_blocks_with_all([&](int16_t* block) {
            const size_t got = stream.read(block, dsp::kStreamChunk);
            samples += static_cast<int64_t>(got);
            return got == dsp::kStreamChunk;
        }, it);
        return static_cast<double>(samples) / dsp::kSampleRate;
    };
    const std::vector<Source> sources = collect_sources(o);

    // Decode and score every recording on all cores. Scenes need the audio kept.
    const bool keep_audio = o.scenes > 0;
    std::vector<std::vector<int16_t>> audio(keep_audio ? sources.size() : 0);
    std::vector<ItemResult> items(sources.size());
    std::vector<std::string> errors(sources.size()), mismatches(sources.size());
    std::atomic<size_t> done{0};
    std::atomic<uint64_t> scored_samples{0};
    std::mutex progress_mutex;
    io::Progress progress = io::make_progress(o.quiet);
    audio::DecodeLimits limits;
    limits.allow_long = o.allow_long;
    const auto report_progress = [&](const std::string& what, size_t total) {
        std::lock_guard<std::mutex> lock(progress_mutex);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
        const double audio_s = static_cast<double>(scored_samples.load()) / dsp::kSampleRate;
        io::progress_update(progress, io::format("%s %s %zu/%zu files, %s of audio, %.0fx real time", what.c_str(), io::progress_bar(static_cast<double>(done) / static_cast<double>(total)).c_str(),
                                                 done.load(), total, io::format_duration(audio_s).c_str(), seconds > 0 ? audio_s / seconds : 0.0));
    };
    io::parallel_for(sources.size(), o.threads, [&](size_t i) {
        const Source& s = sources[i];
        ItemResult& it = items[i];
        it.name = s.name;
        it.group = s.group;
        try {
            // Without scenes to mix or a first alarm sound to find, a file is scored as it is
            // decoded, block by block: memory independent of its length.
            std::vector<int16_t> pcm;
            double seconds = 0.0;
            if (keep_audio || o.onset_at_first_sound) {
                pcm = audio::load_pcm16k(s.path, limits);
                seconds = static_cast<double>(pcm.size()) / dsp::kSampleRate;
            } else {
                seconds = score_streaming(s.path, limits, it);
            }
            if (s.whole_file) it.events.push_back({0.0, seconds, o.onset_at_first_sound ? first_alarm_sound(pcm) : 0.0});
            for (const LabelledEvent& e : s.events) {
                if (e.onset > seconds + kLabelSlackSeconds || e.offset > seconds + kLabelSlackSeconds) {
                    mismatches[i] = s.label_file.string() + ": an event at " + io::format("%.3f-%.3f s", e.onset, e.offset) + " does not fit " + s.path.string() +
                                    io::format(", which is %.3f s long", seconds);
                    break;
                }
                it.events.push_back({e.onset, std::min(e.offset, seconds)});
            }
            if (!pcm.empty()) score_with_all(pcm, it);
            scored_samples += static_cast<uint64_t>(std::llround(seconds * dsp::kSampleRate));
            if (keep_audio) audio[i] = std::move(pcm);
        } catch (const std::exception& e) {
            errors[i] = e.what();
        }
        ++done;
        report_progress("scoring", sources.size());
    });
    for (const std::string& m : mismatches) {
        if (!m.empty()) throw Error(m);
    }
    std::vector<ItemResult> kept;
    std::vector<Clip> alarm_clips, background_clips;
    for (size_t i = 0; i < items.size(); ++i) {
        if (!errors[i].empty()) {
            r.skipped.push_back(errors[i]);
            continue;
        }
        if (keep_audio && items[i].group == "alarms") alarm_clips.push_back({items[i].name, std::move(audio[i]), items[i].events});
        if (keep_audio && items[i].group == "background") background_clips.push_back({items[i].name, std::move(audio[i]), {}});
        kept.push_back(std::move(items[i]));
    }
    if (!r.skipped.empty() && !o.quiet) {
        std::fprintf(stderr, "warning: %zu file(s) could not be read and were skipped:%s\n", r.skipped.size(), io::item_list(r.skipped).c_str());
    }
    if (kept.empty()) throw Error("none of the recordings could be read" + io::item_list(r.skipped));

    if (o.scenes > 0) {
        std::vector<Scene> scenes = make_scenes(alarm_clips, background_clips, o.scenes, o.snr_lo, o.snr_hi, o.seed);
        alarm_clips.clear();
        background_clips.clear();
        std::vector<ItemResult> scene_items(scenes.size());
        done = 0;
        io::parallel_for(scenes.size(), o.threads, [&](size_t i) {
            scene_items[i].name = scenes[i].name + io::format(" (%s at %+.1f dB in %s)", scenes[i].alarm.c_str(), scenes[i].snr_db, scenes[i].background.c_str());
            scene_items[i].group = "scenes";
            scene_items[i].events = scenes[i].events;
            score_with_all(scenes[i].pcm, scene_items[i]);
            scored_samples += scenes[i].pcm.size();
            ++done;
            report_progress("scenes", scenes.size());
        });
        for (ItemResult& it : scene_items) kept.push_back(std::move(it));
    }
    r.items = std::move(kept);

    // Each model at its operating point, then every threshold for the DET curves.
    std::vector<FileScore> files;
    for (size_t m = 0; m < models.size(); ++m) {
        ModelReport report = judge(models[m], m, r.items, o, files);
        if (m == 0) {
            for (size_t i = 0; i < r.items.size(); ++i) r.items[i].score = files[i];
            r.all = report.all;
            r.recordings = report.recordings;
            r.scenes = report.scenes;
            r.det = std::move(report.det);
        } else {
            r.compared.push_back(std::move(report));
        }
    }
    if (o.choose_threshold) {
        r.chosen = choose_operating_point(r.det, o.max_false_alarms_per_hour);
        if (!r.chosen) throw Error(io::format("no threshold keeps false alarms at or below %g per hour on this data", o.max_false_alarms_per_hour));
    }
    r.audio_seconds = static_cast<double>(scored_samples.load()) / dsp::kSampleRate;
    r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    r.cpu_seconds = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
    r.models = models.size();
    const auto scene_count = std::count_if(r.items.begin(), r.items.end(), [](const ItemResult& it) { return it.group == "scenes"; });
    io::progress_line(progress, io::format("scored %s of audio (%zu recordings, %zu scenes, %zu model%s) in %.1f s: %.0fx real time, %.0fx per core",
                                           io::format_duration(r.audio_seconds).c_str(), r.items.size() - static_cast<size_t>(scene_count),
                                           static_cast<size_t>(scene_count), models.size(), models.size() > 1 ? "s" : "",
                                           r.wall_seconds, r.audio_seconds * static_cast<double>(r.models) / std::max(r.wall_seconds, 1e-9), r.real_time_per_core()));

    write_outputs(o, graph, r);
    if (r.chosen) {
        model::Graph copy = graph;
        model::DetectorSettings s = r.settings;
        s.decision.threshold_q = r.chosen->threshold_q;
        model::set_detector_settings(copy, s);
        const fs::path target = o.model_out ? *o.model_out : o.out / o.model.filename();
        model::save_tflite(target, copy);
    }
    return r;
}

}  // namespace earshot::eval

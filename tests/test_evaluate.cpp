// `earshot evaluate` and what it stands on: the detector settings as .tflite metadata (round
// trip, defaults, bad entries, compiled constants), the host's vectorized conv (equal to the
// portable kernel on random shapes), label files, the device loop on the host, and the job on
// a few real recordings from ../shared/realdata.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "core/nn/kernels.hpp"
#include "host/audio/pcm16.hpp"
#include "host/data/alarm_activity.hpp"
#include "host/data/dataset.hpp"
#include "host/dsp/log_band_columns.hpp"
#include "host/error.hpp"
#include "host/eval/device_loop.hpp"
#include "host/eval/evaluate_job.hpp"
#include "host/eval/labels.hpp"
#include "host/model/detector_metadata.hpp"
#include "host/model/tflite_reader.hpp"
#include "host/model/tflite_writer.hpp"
#include "host/nn/aot_compiler.hpp"
#include "host/nn/conv_host.hpp"
#include "host/nn/plan.hpp"
#include "support.hpp"

using namespace earshot;
namespace fs = std::filesystem;

namespace {

fs::path realdata() { return test::reference_model().parent_path().parent_path() / "realdata"; }

#define SKIP_WITHOUT_REALDATA()                                                                                         \
    if (!fs::is_directory(realdata())) GTEST_SKIP() << realdata().string() << " is absent: the real-recording tests need ../shared"

fs::path alarm_spans() { return fs::path(EARSHOT_REPO_DATA).parent_path() / "labels" / "shared_realdata_alarm_spans.tsv"; }

std::string text_of(const fs::path& p) { return test::read_bytes(p); }

void write_text(const fs::path& p, const std::string& s) { test::write_bytes(p, s); }

}  // namespace

TEST(DetectorMetadata, RoundTripsThroughTheTfliteFile) {
    EARSHOT_NEEDS_SHARED();
    model::Graph g = model::load_tflite(test::reference_model());
    EXPECT_FALSE(model::detector_settings(g, "m").from_metadata);
    const size_t converter_entries = g.metadata.size();  // TFLite's converter writes its own (min_runtime_version)
    model::DetectorSettings s;
    s.labels = {"quiet", "smoke alarm"};
    s.decision = {-37, 5, 12, 90};
    model::set_detector_settings(g, s);
    model::set_detector_settings(g, s);  // replaces, never duplicates
    ASSERT_EQ(g.metadata.size(), converter_entries + 1);
    const model::Graph back = model::read_tflite(model::write_tflite(g), "round trip");
    EXPECT_EQ(back, g);
    const model::DetectorSettings r = model::detector_settings(back, "round trip");
    EXPECT_TRUE(r.from_metadata);
    EXPECT_EQ(r.labels, s.labels);
    EXPECT_EQ(r.decision.threshold_q, -37);
    EXPECT_EQ(r.decision.k, 5);
    EXPECT_EQ(r.decision.n, 12);
    EXPECT_EQ(r.decision.release_blocks, 90);
    // Other metadata entries survive untouched.
    g.metadata.push_back({"another", {'1', '.', '5'}});
    EXPECT_EQ(model::read_tflite(model::write_tflite(g), "x").metadata, g.metadata);
}

TEST(DetectorMetadata, DefaultsFollowTheOutputQuantization) {
    EARSHOT_NEEDS_SHARED();
    const model::Graph g = model::load_tflite(test::reference_model());
    const model::DetectorSettings d = model::default_detector_settings(g);
    // Output scale 1/256, zero point -128: score 0.5 is q = 0, and q > 0 means score > 0.5.
    EXPECT_EQ(d.decision.threshold_q, 0);
    EXPECT_EQ(d.decision.k, model::kDefaultK);
    EXPECT_EQ(d.decision.n, model::kDefaultN);
    EXPECT_EQ(d.decision.release_blocks, model::kDefaultReleaseBlocks);
    EXPECT_EQ(model::score_to_q(g, 0.75), 64);
    EXPECT_DOUBLE_EQ(model::q_to_score(g, 64), 0.75);
}

TEST(DetectorMetadata, BadEntriesNameTheFieldAndTheFile) {
    EARSHOT_NEEDS_SHARED();
    model::Graph g = model::load_tflite(test::reference_model());
    const auto with = [&](const std::string& json) {
        g.metadata = {{model::kDetectorMetadataName, std::vector<uint8_t>(json.begin(), json.end())}};
        try {
            model::detector_settings(g, "model.tflite");
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(with("{not json").find("model.tflite: metadata 'earshot.detector' is not valid JSON"), std::string::npos);
    EXPECT_NE(with(R"({"version": 2})").find("version 2"), std::string::npos);
    EXPECT_NE(with(R"({"version": 1, "labels": ["a","b"], "score_output": 0})").find("missing field 'decision'"), std::string::npos);
    const std::string base = R"({"version": 1, "labels": ["a","b"], "score_output": 0, "decision": )";
    EXPECT_NE(with(base + R"({"threshold_q": 0, "k": 9, "n": 8, "release_blocks": 1}})").find("k = 9"), std::string::npos);
    EXPECT_NE(with(base + R"({"threshold_q": 0, "k": 1, "n": 200, "release_blocks": 1}})").find("n = 200"), std::string::npos);
    EXPECT_NE(with(base + R"({"threshold_q": 300, "k": 1, "n": 1, "release_blocks": 1}})").find("threshold_q = 300"), std::string::npos);
    EXPECT_NE(with(base + R"({"threshold_q": "0", "k": 1, "n": 1, "release_blocks": 1}})").find("'threshold_q' must be an integer"), std::string::npos);
    EXPECT_EQ(with(base + R"({"threshold_q": 3, "k": 1, "n": 1, "release_blocks": 1}})"), "no error");
    model::DetectorSettings s = model::default_detector_settings(g);
    s.score_output = 1;  // the model has one output
    EXPECT_THROW(model::set_detector_settings(g, s), Error);
}

TEST(DetectorMetadata, CompileTurnsItIntoConstants) {
    EARSHOT_NEEDS_SHARED();
    model::Graph g = model::load_tflite(test::reference_model());
    model::DetectorSettings s = model::default_detector_settings(g);
    s.labels = {"bg", "say \"fire\"?"};
    s.decision = {12, 6, 16, 40};
    model::set_detector_settings(g, s);
    const auto src = nn::compile_plan(nn::build_plan(g), "m", "test");
    EXPECT_NE(src.header.find("inline constexpr earshot::detect::DecisionParams kDecision{12, 6, 16, 40};"), std::string::npos) << src.header;
    EXPECT_NE(src.header.find("kLabels[2] = {\"bg\", \"say \\\"fire\\\"\\077\"};"), std::string::npos) << src.header;
    EXPECT_NE(src.header.find("kScoreOutput = 0;"), std::string::npos);
}

TEST(HostConv, EqualsThePortableKernelOnRandomShapes) {
    std::mt19937 rng(11);
    const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    for (int trial = 0; trial < 300; ++trial) {
        const nn::Shape4 in{pick(1, 2), pick(1, 20), pick(1, 20), pick(1, 9)};
        const nn::Shape4 filter{pick(1, 10), pick(1, std::min(in.h, 6)), pick(1, std::min(in.w, 9)), in.c};
        nn::ConvGeometry g{pick(1, 3), pick(1, 3), pick(1, 2), pick(1, 2), pick(0, 2), pick(0, 2)};
        const int32_t out_h = (in.h + 2 * g.pad_h - g.dilation_h * (filter.h - 1) - 1) / g.stride_h + 1;
        const int32_t out_w = (in.w + 2 * g.pad_w - g.dilation_w * (filter.w - 1) - 1) / g.stride_w + 1;
        if (out_h < 1 || out_w < 1) continue;
        const nn::Shape4 out{in.n, out_h, out_w, filter.n};
        std::vector<int8_t> x(static_cast<size_t>(in.n * in.h * in.w * in.c)), w(static_cast<size_t>(filter.n * filter.h * filter.w * filter.c));
        for (auto& v : x) v = static_cast<int8_t>(pick(-128, 127));
        for (auto& v : w) v = static_cast<int8_t>(pick(-127, 127));
        std::vector<int32_t> bias(static_cast<size_t>(filter.n)), mult(static_cast<size_t>(filter.n)), shift(static_cast<size_t>(filter.n));
        for (int32_t c = 0; c < filter.n; ++c) {
            bias[static_cast<size_t>(c)] = pick(-20000, 20000);
            mult[static_cast<size_t>(c)] = pick(1 << 30, 0x7fffffff);
            shift[static_cast<size_t>(c)] = pick(-14, 1);
        }
        const bool per_channel = trial % 2 == 0;
        const nn::Requantize rq{mult.data(), shift.data(), per_channel, pick(-128, 127), pick(-128, -100), pick(90, 127)};
        const int32_t offset = pick(-127, 128);
        const size_t n = static_cast<size_t>(out.n * out.h * out.w * out.c);
        std::vector<int8_t> a(n, 1), b(n, 2);
        const int32_t* bias_or_null = trial % 3 ? bias.data() : nullptr;
        nn::conv2d_int8(g, offset, rq, in, x.data(), filter, w.data(), bias_or_null, out, a.data());
        nn::conv2d_int8_host(g, offset, rq, in, x.data(), filter, w.data(), bias_or_null, out, b.data());
        ASSERT_EQ(a, b) << "trial " << trial << ": in " << in.h << "x" << in.w << "x" << in.c << ", filter " << filter.n << "x" << filter.h << "x"
                        << filter.w << ", stride " << g.stride_h << "x" << g.stride_w << ", dilation " << g.dilation_h << "x" << g.dilation_w
                        << ", pad " << g.pad_h << "x" << g.pad_w;
    }
}

TEST(Labels, TsvAndAudacityTracks) {
    test::TempDir dir;
    write_text(dir / "labels.tsv",
               "filename\tonset\toffset\tevent_label\n"
               "a.wav\t1.5\t4.25\tfire_alarm\n"
               "a.wav\t6\t7\tspeech\n"
               "quiet.wav\n"
               "b.wav\t\t\t\n");
    const auto t = eval::read_label_tsv(dir / "labels.tsv");
    ASSERT_EQ(t.size(), 3u);
    ASSERT_EQ(t.at("a.wav").size(), 2u);
    EXPECT_DOUBLE_EQ(t.at("a.wav")[0].onset, 1.5);
    EXPECT_DOUBLE_EQ(t.at("a.wav")[0].offset, 4.25);
    EXPECT_EQ(t.at("a.wav")[1].label, "speech");
    EXPECT_TRUE(t.at("quiet.wav").empty());
    EXPECT_TRUE(t.at("b.wav").empty());

    write_text(dir / "take.txt", "0.500000\t2.000000\talarm\n\\\t100.0\t4000.0\n3\t3.5\t\n");
    const auto a = eval::read_audacity_labels(dir / "take.txt");
    ASSERT_EQ(a.size(), 2u);
    EXPECT_DOUBLE_EQ(a[1].onset, 3.0);
    write_text(dir / "take.wav", "");
    EXPECT_EQ(eval::audacity_labels_for(dir / "take.wav"), dir / "take.txt");
    EXPECT_TRUE(eval::audacity_labels_for(dir / "other.wav").empty());
}

TEST(Labels, ErrorsNameTheFileAndLine) {
    test::TempDir dir;
    const auto error_of = [&](const std::string& text) {
        write_text(dir / "l.tsv", text);
        try {
            eval::read_label_tsv(dir / "l.tsv");
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const std::string where = (dir / "l.tsv").string();
    EXPECT_NE(error_of("a.wav\t1\tx\talarm\n").find(where + ":1: offset 'x' is not a number"), std::string::npos);
    EXPECT_NE(error_of("a.wav\t1\t2\talarm\nb.wav\t3\t2\talarm\n").find(where + ":2: offset 2 is before onset 3"), std::string::npos);
    EXPECT_NE(error_of("a.wav\t1\n").find(where + ":1: expected filename<TAB>onset"), std::string::npos);
    EXPECT_NE(error_of("a.wav\t-1\t2\tx\n").find(":1: onset -1 is negative"), std::string::npos);
    EXPECT_NE(error_of("a.wav\t1\t2\tx\tmore\n").find(":1: expected at most 4"), std::string::npos);
    EXPECT_NE(error_of("").find("no labelled files"), std::string::npos);
    EXPECT_THROW(eval::read_label_tsv(dir / "missing.tsv"), Error);
}

TEST(OperatingPoint, BestRecallWithinTheFalseAlarmBudget) {
    std::vector<eval::DetPoint> det(4);
    for (int i = 0; i < 4; ++i) det[static_cast<size_t>(i)].threshold_q = i * 10;
    det[0].summary.recall = 1.0, det[0].summary.false_alarms_per_hour = 9.0;
    det[1].summary.recall = 0.9, det[1].summary.false_alarms_per_hour = 1.0;
    det[2].summary.recall = 0.9, det[2].summary.false_alarms_per_hour = 0.5;
    det[3].summary.recall = 0.5, det[3].summary.false_alarms_per_hour = 0.0;
    EXPECT_EQ(eval::choose_operating_point(det, 1.0)->threshold_q, 20);  // equal recall: fewer false alarms
    EXPECT_EQ(eval::choose_operating_point(det, 10.0)->threshold_q, 0);
    EXPECT_EQ(eval::choose_operating_point(det, 0.0)->threshold_q, 30);
    det[3].summary.false_alarms_per_hour = 0.1;
    EXPECT_FALSE(eval::choose_operating_point(det, 0.0).has_value());
}

// Scored while decoding (no scenes), every compared model gets its own device loop's scores;
// with two of them the per-model score lists must not trade places or dangle.
TEST(EvaluateJob, EveryComparedModelGetsItsOwnScoresWhenStreaming) {
    const fs::path repo = fs::path(EARSHOT_REPO_DATA).parent_path().parent_path();
    eval::EvaluateOptions o;
    o.model = repo / "models" / "fire_alarm.tflite";
    o.compare = {repo / "models" / "fire_alarm_tutorial_recipe.tflite", repo / "models" / "fire_alarm.tflite"};
    o.alarms = fs::path(EARSHOT_REPO_DATA) / "alarms";
    o.background = fs::path(EARSHOT_REPO_DATA) / "background";
    test::TempDir dir;
    o.out = dir / "out";
    o.quiet = true;
    const eval::EvaluateResult r = eval::run_evaluate(o);
    ASSERT_FALSE(r.items.empty());
    std::vector<nn::Plan> plans;
    for (const fs::path& m : {o.model, o.compare[0], o.compare[1]}) plans.push_back(nn::build_plan(model::load_tflite(m)));
    for (const eval::ItemResult& it : r.items) {
        const fs::path file = it.group == "alarms" ? *o.alarms / it.name : *o.background / it.name;
        const std::vector<int16_t> pcm = audio::load_pcm16k(fs::exists(file) ? file : fs::path(EARSHOT_REPO_DATA) / it.name);
        ASSERT_EQ(it.compare_q.size(), 2u);
        for (size_t m = 0; m < 3; ++m) {
            eval::DeviceLoop loop(plans[m], model::detector_settings(plans[m].graph, "m"), "m");
            ASSERT_EQ(m == 0 ? it.q : it.compare_q[m - 1], eval::score_blocks(loop, pcm)) << it.name << " model " << m;
        }
    }
}

// --write-scores: scores.json holds each item's events and every model's per-block scores,
// and replaying them through the decision rule gives back the job's own per-file verdicts.
TEST(EvaluateJob, WrittenScoresReplayToTheSameVerdicts) {
    const fs::path repo = fs::path(EARSHOT_REPO_DATA).parent_path().parent_path();
    eval::EvaluateOptions o;
    o.model = repo / "models" / "fire_alarm.tflite";
    o.compare = {repo / "models" / "fire_alarm_tutorial_recipe.tflite"};
    o.alarms = fs::path(EARSHOT_REPO_DATA) / "alarms";
    o.background = fs::path(EARSHOT_REPO_DATA) / "background";
    o.scenes = 4;
    o.write_scores = true;
    test::TempDir dir;
    o.out = dir / "out";
    o.quiet = true;
    const eval::EvaluateResult r = eval::run_evaluate(o);
    const auto j = nlohmann::json::parse(test::read_bytes(dir / "out" / "scores.json"));
    EXPECT_EQ(j["block_ms"], 32);
    ASSERT_EQ(j["models"].size(), 2u);
    ASSERT_EQ(j["items"].size(), r.items.size());
    const detect::DecisionParams p = model::detector_settings(model::load_tflite(o.model), "m").decision;
    int scenes = 0;
    for (size_t i = 0; i < r.items.size(); ++i) {
        const auto& item = j["items"][i];
        ASSERT_EQ(item["name"], r.items[i].name);
        scenes += item["group"] == "scenes";
        ASSERT_EQ(item["q"].size(), 2u);
        EXPECT_EQ(item["q"][0].get<std::vector<int8_t>>(), r.items[i].q);
        EXPECT_EQ(item["q"][1].get<std::vector<int8_t>>(), r.items[i].compare_q[0]);
        std::vector<eval::Interval> events;
        for (const auto& e : item["events"]) events.push_back({e["onset"], e["offset"], e["latency_from"]});
        const eval::FileScore again = eval::score_file(item["q"][0].get<std::vector<int8_t>>(), events, p, o.collars);
        EXPECT_EQ(again.detected, r.items[i].score.detected) << r.items[i].name;
        EXPECT_EQ(again.false_alarms, r.items[i].score.false_alarms) << r.items[i].name;
        EXPECT_EQ(again.latencies, r.items[i].score.latencies) << r.items[i].name;
    }
    EXPECT_EQ(scenes, 4);
}

// A few real recordings: the job's per-file scores are the device loop's, every alarm file is
// one event, DET covers every threshold, the chosen threshold lands in the model copy.
TEST(EvaluateJob, RealRecordingsSubset) {
    SKIP_WITHOUT_REALDATA();
    test::TempDir dir;
    fs::create_directories(dir / "alarms");
    fs::create_directories(dir / "background");
    for (const char* f : {"pico_tutorial/ALRMElec_Smoke_detector_alarm_ID_0800__BSB.flac", "audioset_fire_alarm/IYrVF4tHN08_20.000.flac"}) {
        fs::copy_file(realdata() / "alarms" / f, dir / "alarms" / fs::path(f).filename());
    }
    for (const char* f : {"audioset_cry/1TB3-XSom_A_30.000.flac", "audioset_water/2vp14zYhSq4_20.000.flac", "speech_commands_bg/running_tap.flac"}) {
        fs::copy_file(realdata() / "background" / f, dir / "background" / fs::path(f).filename());
    }
    write_text(dir / "background" / "broken.wav", "RIFF....WAVEjunk");
    eval::EvaluateOptions o;
    o.model = test::reference_model();
    o.alarms = dir / "alarms";
    o.background = dir / "background";
    o.scenes = 3;
    o.seed = 5;
    o.out = dir / "out";
    o.choose_threshold = true;
    o.max_false_alarms_per_hour = 1000.0;
    o.quiet = true;
    const eval::EvaluateResult r = eval::run_evaluate(o);
    ASSERT_EQ(r.skipped.size(), 1u);
    EXPECT_NE(r.skipped[0].find("broken.wav"), std::string::npos);
    ASSERT_EQ(r.items.size(), 2u + 3u + 3u);
    EXPECT_EQ(r.recordings.events, 2);
    EXPECT_EQ(r.scenes.events, 3);
    EXPECT_GT(r.recordings.background_hours, 0.0);

    // Each recording's scores are exactly the device loop's over the same audio.
    const nn::Plan plan = nn::build_plan(model::load_tflite(o.model));
    eval::DeviceLoop loop(plan, model::detector_settings(plan.graph, "m"), "m");
    for (const eval::ItemResult& it : r.items) {
        if (it.group == "scenes") continue;
        const fs::path file = dir / it.name;
        ASSERT_EQ(it.q, eval::score_blocks(loop, audio::load_pcm16k(file))) << it.name;
        if (it.group == "alarms") {
            ASSERT_EQ(it.events.size(), 1u);
            EXPECT_DOUBLE_EQ(it.events[0].onset, 0.0);
        }
    }
    // The DET sweep: every threshold, recall never rises as the threshold does.
    ASSERT_EQ(r.det.size(), 256u);
    for (size_t t = 1; t < r.det.size(); ++t) EXPECT_LE(r.det[t].summary.recall, r.det[t - 1].summary.recall + 1e-12) << t;
    EXPECT_EQ(r.det.back().summary.detected, 0);  // q > 127 never happens

    const auto metrics = nlohmann::json::parse(text_of(dir / "out" / "metrics.json"));
    EXPECT_EQ(metrics["det"].size(), 256u);
    EXPECT_EQ(metrics["files"].size(), 8u);
    EXPECT_EQ(metrics["recordings"]["events"], 2);
    EXPECT_TRUE(fs::file_size(dir / "out" / "det.png") > 1000);
    ASSERT_TRUE(r.chosen.has_value());
    const model::Graph copy = model::load_tflite(dir / "out" / "pico_fire_alarm.tflite");
    const model::DetectorSettings s = model::detector_settings(copy, "copy");
    EXPECT_TRUE(s.from_metadata);
    EXPECT_EQ(s.decision.threshold_q, r.chosen->threshold_q);
    // Same scenes from the same seed.
    o.choose_threshold = false;
    o.out = dir / "again";
    const eval::EvaluateResult again = eval::run_evaluate(o);
    for (size_t i = 0; i < r.items.size(); ++i) EXPECT_EQ(again.items[i].q, r.items[i].q) << r.items[i].name;
}

TEST(EvaluateJob, LabelledLongRecordingAndMismatches) {
    SKIP_WITHOUT_REALDATA();
    test::TempDir dir;
    fs::copy_file(realdata() / "alarms/pico_tutorial/ALRMElec_Smoke_detector_alarm_ID_0800__BSB.flac", dir / "take.flac");
    write_text(dir / "labels.tsv", "filename\tonset\toffset\tevent_label\ntake.flac\t0.0\t5.0\tsmoke\ntake.flac\t6.0\t8.0\tdog\n");
    eval::EvaluateOptions o;
    o.model = test::reference_model();
    o.labels = dir / "labels.tsv";
    o.event_label = "smoke";
    o.out = dir / "out";
    o.quiet = true;
    const eval::EvaluateResult r = eval::run_evaluate(o);
    ASSERT_EQ(r.items.size(), 1u);
    ASSERT_EQ(r.items[0].events.size(), 1u);  // the dog is not an alarm
    EXPECT_DOUBLE_EQ(r.items[0].events[0].offset, 5.0);

    o.event_label = "siren";
    try {
        eval::run_evaluate(o);
        FAIL() << "an event label nobody used should be an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("no event is labelled 'siren' (labels in the file: 'smoke', 'dog')"), std::string::npos) << e.what();
    }
    o.event_label.clear();
    write_text(dir / "labels.tsv", "take.flac\t100\t120\talarm\n");
    try {
        eval::run_evaluate(o);
        FAIL() << "a label past the end of its audio should be an error";
    } catch (const Error& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("labels.tsv"), std::string::npos) << m;
        EXPECT_NE(m.find("take.flac"), std::string::npos) << m;
        EXPECT_NE(m.find("does not fit"), std::string::npos) << m;
    }
    write_text(dir / "labels.tsv", "nothere.flac\t1\t2\talarm\n");
    EXPECT_THROW(eval::run_evaluate(o), Error);
}

// data/labels/shared_realdata_alarm_spans.tsv: where the alarm sounds in each of ../shared's real
// alarm recordings, marked by hand from their spectrograms (data/labels/README.md).
TEST(AlarmSpans, MarkEveryRealAlarmRecordingOnceInsideItsAudio) {
    SKIP_WITHOUT_REALDATA();
    const auto table = eval::read_label_tsv(alarm_spans());
    const auto files = data::audio_files_under(realdata() / "alarms");
    ASSERT_EQ(files.size(), 32u);
    EXPECT_EQ(table.size(), files.size());
    for (const fs::path& f : files) {
        const std::string name = f.lexically_relative(realdata()).generic_string();
        const auto row = table.find(name);
        ASSERT_NE(row, table.end()) << name << " has no span";
        ASSERT_EQ(row->second.size(), 1u) << name;
        const eval::LabelledEvent& e = row->second[0];
        const double seconds = static_cast<double>(audio::Pcm16kStream(f).samples()) / 16000.0;
        EXPECT_EQ(e.label, "fire_alarm") << name;
        EXPECT_GE(e.onset, 0.0) << name;
        EXPECT_LT(e.onset, e.offset) << name;
        EXPECT_LE(e.offset, seconds + 1e-9) << name;
    }
}

// The band-energy rule that labels training windows (alarm_activity) against the hand-made
// spans: the blocks it calls "alarm" should lie inside them (a 0.5 s margin for the window edges).
TEST(AlarmSpans, TheBandEnergyLabellerStaysInsideThem) {
    SKIP_WITHOUT_REALDATA();
    const dsp::LogBandLayout layout;
    size_t active = 0, inside = 0;
    for (const auto& [name, events] : eval::read_label_tsv(alarm_spans())) {
        const auto on = data::alarm_activity(dsp::log_band_columns(audio::load_pcm16k(realdata() / name), layout), layout);
        for (size_t b = 0; b < on.size(); ++b) {
            if (!on[b]) continue;
            const double start = static_cast<double>(b) * 512.0 / 16000.0, end = start + 512.0 / 16000.0;
            ++active;
            inside += end > events[0].onset - 0.5 && start < events[0].offset + 0.5;
        }
    }
    EXPECT_GT(active, 5000u);
    EXPECT_GE(inside, active * 98 / 100) << inside << " of " << active << " active blocks inside the spans";
}

// A label file kept apart from its audio (--labels-root), and its misuse.
TEST(EvaluateJob, LabelsRootResolvesALabelFileKeptApart) {
    SKIP_WITHOUT_REALDATA();
    test::TempDir dir;
    fs::create_directories(dir / "audio" / "alarms");
    fs::create_directories(dir / "labels");
    fs::copy_file(realdata() / "alarms/pico_tutorial/ALRMElec_Smoke_detector_alarm_ID_0800__BSB.flac", dir / "audio" / "alarms" / "take.flac");
    write_text(dir / "labels" / "spans.tsv", "filename\tonset\toffset\tevent_label\nalarms/take.flac\t0.2\t10.7\tfire_alarm\n");
    eval::EvaluateOptions o;
    o.model = test::reference_model();
    o.labels = dir / "labels" / "spans.tsv";
    o.out = dir / "out";
    o.quiet = true;
    EXPECT_THROW(eval::run_evaluate(o), Error);  // looked up beside the TSV: not there
    o.labels_root = dir / "audio";
    const eval::EvaluateResult r = eval::run_evaluate(o);
    ASSERT_EQ(r.items.size(), 1u);
    ASSERT_EQ(r.items[0].events.size(), 1u);
    EXPECT_DOUBLE_EQ(r.items[0].events[0].onset, 0.2);
    EXPECT_EQ(r.recordings.events, 1);
    const auto refused = [&](const std::string& expected) {
        try {
            eval::run_evaluate(o);
            ADD_FAILURE() << "expected an error: " << expected;
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
        }
    };
    o.labels_root = dir / "nowhere";
    refused("nowhere: no such folder (--labels-root");
    o.labels.reset();
    o.alarms = dir / "audio" / "alarms";
    refused("--labels-root needs --labels");
}

TEST(EvaluateCli, ReportsAndRefusesBadInput) {
    SKIP_WITHOUT_REALDATA();
    test::TempDir dir;
    const std::string cli = EARSHOT_CLI;
    const std::string model = test::reference_model().string();
    auto r = test::run_command(cli + " evaluate " + model + " --background " + (dir / "nope").string());
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("no such folder (--background)"), std::string::npos) << r.output;
    r = test::run_command(cli + " evaluate " + model);
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("nothing to evaluate on"), std::string::npos) << r.output;
    r = test::run_command(cli + " evaluate " + model + " --alarms " + (realdata() / "alarms/pico_tutorial").string() + " --snr 5 --scenes 2 --background " +
                          (realdata() / "background/speech_commands_bg").string());
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("--snr '5': expected LO:HI"), std::string::npos) << r.output;
    r = test::run_command(cli + " evaluate " + model + " --quiet --alarms " + (realdata() / "alarms/pico_tutorial").string() + " --out " + (dir / "o").string());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("recordings  event recall 100.0% (4 of 4)"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("defaults: the model has no earshot.detector metadata"), std::string::npos) << r.output;
    // The shipped detector (log band features, its own operating point) through the same command.
    const std::string shipped = (fs::path(EARSHOT_REPO_DATA).parent_path().parent_path() / "models" / "fire_alarm.tflite").string();
    r = test::run_command(cli + " evaluate " + shipped + " --quiet --alarms " + (realdata() / "alarms/pico_tutorial").string() + " --out " + (dir / "s").string());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("(the model's metadata)"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("event recall"), std::string::npos) << r.output;
    // Judged on the hand-marked spans of every real alarm recording: two clips hold one beep
    // (0.6 s and 1.0 s, the latter ending the file), which no rule needing 1.5 s of votes in
    // 2 s can catch, whatever the model.
    r = test::run_command(cli + " evaluate " + shipped + " --quiet --labels " + alarm_spans().string() + " --labels-root " + realdata().string() +
                          " --out " + (dir / "spans").string());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("alarm when 48 of the last 64 blocks"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find(" of 32), latency"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("missed       alarms/audioset_fire_alarm/O2htSqXhdqE_0.000.flac: alarm at 2.40 s"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("missed       alarms/audioset_fire_alarm/kGKZ0YK4_rk_30.000.flac: alarm at 9.00 s"), std::string::npos) << r.output;
    r = test::run_command(cli + " classify " + shipped + " " + (realdata() / "alarms/pico_tutorial/ALRMElec_Smoke_detector_alarm_ID_0800__BSB.flac").string());
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("run it with --stream"), std::string::npos) << r.output;
}

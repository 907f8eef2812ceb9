// The earshot binary end to end, as a user runs it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "core/dsp/pdm_decimator.hpp"
#include "core/dsp/spectrogram.hpp"
#include "host/audio/pcm16.hpp"
#include "host/audio/default_data.hpp"
#include "host/audio/synth.hpp"
#include "host/audio/wav_writer.hpp"
#include "support.hpp"

using namespace earshot;

namespace {

std::string cli() { return std::string("'") + EARSHOT_CLI + "'"; }
std::string q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

}  // namespace

TEST(Cli, GoldenWavGivesTheGoldenSpectrogram) {
    EARSHOT_NEEDS_SHARED();
    test::TempDir dir;
    const auto r = test::run_command(cli() + " spectrogram " + q(test::golden_dir() / "chirp.wav") + " --raw " + q(dir / "c.i16") + " --png " + q(dir / "c.png"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(test::read_bytes(dir / "c.i16"), test::read_bytes(test::golden_dir() / "chirp.refspec.i16"));
    EXPECT_GT(std::filesystem::file_size(dir / "c.png"), 1000u);
    EXPECT_NE(r.output.find("124 frames x 129 bins"), std::string::npos) << r.output;
}

TEST(Cli, OutputsGoIntoStdoutFifosAndThroughSymlinks) {
    EARSHOT_NEEDS_SHARED();
    test::TempDir dir;
    const auto golden = q(test::golden_dir() / "chirp.wav");
    const std::string expected = test::read_bytes(test::golden_dir() / "chirp.refspec.i16");
    // `--raw -`: the data alone on stdout (the summary goes to stderr).
    auto r = test::run_command("{ " + cli() + " spectrogram " + golden + " --raw - 2>" + q(dir / "summary.txt") + " > " + q(dir / "stdout.i16") + "; }");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(test::read_bytes(dir / "stdout.i16") == expected);
    EXPECT_NE(test::read_bytes(dir / "summary.txt").find("wrote -"), std::string::npos);
    // A FIFO is written into (a reader gets the bytes) and is still a FIFO afterwards.
    ASSERT_EQ(::mkfifo((dir / "pipe").c_str(), 0600), 0);
    r = test::run_command("cat " + q(dir / "pipe") + " > " + q(dir / "from_pipe.i16") + " & " + cli() + " spectrogram " + golden +
                          " --raw " + q(dir / "pipe") + " && wait");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(test::read_bytes(dir / "from_pipe.i16") == expected);
    EXPECT_TRUE(std::filesystem::is_fifo(dir / "pipe"));
    // A symlink stays a link; its target gets the picture.
    std::filesystem::create_symlink("real.png", dir / "link.png");
    r = test::run_command(cli() + " spectrogram " + golden + " --png " + q(dir / "link.png"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(std::filesystem::is_symlink(dir / "link.png"));
    EXPECT_GT(std::filesystem::file_size(dir / "real.png"), 1000u);
}

TEST(Cli, OrdinaryProblemsAreClearErrorsNotInternalOnes) {
    test::TempDir dir;
    test::write_bytes(dir / "file", "x");
    const auto shipped = std::filesystem::path(EARSHOT_REPO_DATA).parent_path().parent_path() / "models" / "fire_alarm.tflite";
    ASSERT_EQ(test::run_command(cli() + " synth " + q(dir / "a.wav") + " --seconds 1").exit_code, 0);
    const auto expect_error = [&](const std::string& args, const std::string& fragment) {
        const auto r = test::run_command(cli() + " " + args);
        EXPECT_EQ(r.exit_code, 1) << args << "\n" << r.output;
        EXPECT_NE(r.output.find(fragment), std::string::npos) << args << "\n" << r.output;
        EXPECT_EQ(r.output.find("internal error"), std::string::npos) << args << "\n" << r.output;
    };
    // An output folder that cannot be created (a file is in the way; as root, permissions would not stop it).
    expect_error("train --dataset folder:" + q(std::filesystem::path(EARSHOT_REPO_DATA)) + " --out " + q(dir / "file" / "run"), "Not a directory");
    // Folders where a file is expected.
    expect_error("pdm " + q(dir.path()) + " -o " + q(dir / "o.wav"), "is a folder, not a PDM capture");
    expect_error("uf2 " + q(dir.path()) + " -o " + q(dir / "o.uf2"), "is a folder, not a flash image");
    // A WAV is not PDM bits.
    expect_error("classify " + q(shipped) + " " + q(dir / "a.wav") + " --stream --pdm", "is an audio file (RIFF header), not a raw PDM capture");
    // uf2 stamps flash images only.
    test::write_bytes(dir / "app.elf", std::string("\x7f" "ELF") + std::string(2000, '\1'));
    expect_error("uf2 " + q(dir / "app.elf") + " -o " + q(dir / "o.uf2"), "is an ELF file");
    expect_error("uf2 " + q(dir / "a.wav") + " -o " + q(dir / "o.uf2"), "no vector table after boot2");
    test::write_bytes(dir / "tiny.bin", std::string(300, '\5'));
    expect_error("uf2 " + q(dir / "tiny.bin") + " -o " + q(dir / "o.uf2"), "is 300 bytes");
    EXPECT_FALSE(std::filesystem::exists(dir / "o.uf2"));
    // Generated C++ must compile: no keywords or non-identifiers as names.
    expect_error("compile " + q(shipped) + " -o " + q(dir / "c") + " --name class", "'class' is a C++ keyword");
    expect_error("compile " + q(shipped) + " -o " + q(dir / "c") + " --name my-model", "must be a C++ identifier");
    const auto version = test::run_command(cli() + " --version");
    EXPECT_EQ(version.exit_code, 0);
    EXPECT_EQ(version.output.rfind("earshot ", 0), 0u) << version.output;
}

TEST(Cli, SynthThenSpectrogramFindsTheAlarmTone) {
    test::TempDir dir;
    auto r = test::run_command(cli() + " synth " + q(dir / "alarm.wav") + " --seconds 2");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(audio::load_pcm16k(dir / "alarm.wav"), audio::synthesize_alarm({.seconds = 2.0}));
    r = test::run_command(cli() + " spectrogram " + q(dir / "alarm.wav") + " --raw " + q(dir / "a.i16"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    // 3100 Hz is bin 49.6: the loudest bin is 50 (3125 Hz).
    EXPECT_NE(r.output.find("loudest bin 50 (3125.0 Hz)"), std::string::npos) << r.output;

    // The raw file holds exactly what the library computes for the first second.
    const auto pcm = audio::load_pcm16k(dir / "alarm.wav");
    std::vector<int16_t> spec(dsp::kSpectrogramSize);
    dsp::spectrogram_q15(pcm.data(), spec.data(), dsp::MagnitudeMode::cmsis58);
    EXPECT_EQ(test::read_i16(dir / "a.i16"), spec);
}

TEST(Cli, OffsetAndFloatMode) {
    test::TempDir dir;
    ASSERT_EQ(test::run_command(cli() + " synth " + q(dir / "a.wav") + " --seconds 3").exit_code, 0);
    const auto r = test::run_command(cli() + " spectrogram " + q(dir / "a.wav") + " --offset 2.5 --mode float --raw " + q(dir / "f.f32"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("zero-padded"), std::string::npos) << r.output;
    EXPECT_EQ(std::filesystem::file_size(dir / "f.f32"), static_cast<uintmax_t>(dsp::kSpectrogramSize) * 4);
}

TEST(Cli, BadInputsFailClearly) {
    test::TempDir dir;
    test::write_bytes(dir / "junk.wav", std::string(500, 'x'));
    ASSERT_EQ(test::run_command(cli() + " synth " + q(dir / "ok.wav") + " --seconds 1").exit_code, 0);
    struct Case {
        std::string args, expect;
    } cases[] = {
        {"spectrogram " + q(dir / "missing.wav"), "missing.wav: no such file"},
        {"spectrogram " + q(dir / "junk.wav"), "junk.wav: cannot decode"},
        {"spectrogram " + q(dir / "ok.wav") + " --offset 5", "past the end"},
        {"spectrogram " + q(dir / "ok.wav") + " --mode int4", "--mode"},
        {"spectrogram " + q(dir / "ok.wav") + " --png " + q(dir / "no/dir/x.png"), "does not exist"},
        {"bogus", "unknown command 'bogus'"},
        {"", "A subcommand is required"},
    };
    for (const auto& c : cases) {
        const auto r = test::run_command(cli() + " " + c.args);
        EXPECT_NE(r.exit_code, 0) << c.args;
        EXPECT_NE(r.output.find(c.expect), std::string::npos) << c.args << "\n" << r.output;
    }
}

TEST(Cli, PdmDecimatesACaptureLikeTheBoard) {
    test::TempDir dir;
    // 4 blocks of pseudo-random bits with a density that drifts: any audio will do, the output
    // must equal the core decimator's, sample for sample.
    std::vector<uint32_t> words(4 * 1024);
    uint32_t s = 12345;
    for (size_t i = 0; i < words.size(); ++i) {
        uint32_t w = 0;
        for (int b = 0; b < 32; ++b) {
            s = 1664525u * s + 1013904223u;
            w = (w << 1) | ((s >> 8) % 1000 < 300 + (i % 700) ? 1u : 0u);
        }
        words[i] = w;
    }
    test::write_bytes(dir / "cap.pdm", std::string(reinterpret_cast<const char*>(words.data()), words.size() * 4));
    const auto r = test::run_command(cli() + " pdm " + q(dir / "cap.pdm") + " -o " + q(dir / "cap.wav"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    std::vector<int16_t> expected(words.size() / 2);
    dsp::PdmDecimator d;
    dsp::pdm_reset(d);
    dsp::pdm_decimate(d, words.data(), static_cast<int32_t>(words.size()), expected.data());
    EXPECT_EQ(audio::load_pcm16k(dir / "cap.wav"), expected);

    test::write_bytes(dir / "odd.pdm", "abc");
    const auto bad = test::run_command(cli() + " pdm " + q(dir / "odd.pdm") + " -o " + q(dir / "odd.wav"));
    EXPECT_NE(bad.exit_code, 0);
    EXPECT_NE(bad.output.find("odd.pdm: a PDM capture is a whole number of 32-bit words (3 bytes)"), std::string::npos) << bad.output;
    EXPECT_FALSE(std::filesystem::exists(dir / "odd.wav"));
}

TEST(Cli, InspectShowsTheReferenceModel) {
    EARSHOT_NEEDS_SHARED();
    const auto model = test::reference_model();
    auto r = test::run_command(cli() + " inspect " + q(model));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    for (const char* expect : {"6 operators", "RESIZE_NEAREST_NEIGHBOR", "half_pixel_centers=1", "CONV_2D", "VALID stride 2x2 RELU",
                               "scale 0.443382353 zp -128", "weights (flash): 852 bytes"}) {
        EXPECT_NE(r.output.find(expect), std::string::npos) << expect << "\n" << r.output;
    }
    r = test::run_command(cli() + " inspect --json " + q(model));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("\"peak_live_activation_bytes\": 17020"), std::string::npos) << r.output;
}

TEST(Cli, InspectRejectsMalformedModels) {
    test::TempDir dir;
    test::write_bytes(dir / "junk.tflite", std::string(300, '\x01'));
    const auto r = test::run_command(cli() + " inspect " + q(dir / "junk.tflite"));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.output.find("junk.tflite: not a TensorFlow Lite model"), std::string::npos) << r.output;
}

TEST(Cli, RunAndClassifyTheReferenceModel) {
    EARSHOT_NEEDS_SHARED();
    const auto model = test::reference_model();
    test::TempDir dir;
    test::write_bytes(dir / "x.bin", std::string(124 * 129, '\x80'));  // all -128: silence
    auto r = test::run_command(cli() + " run " + q(model) + " --input " + q(dir / "x.bin") + " --output " + q(dir / "y.bin"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(std::filesystem::file_size(dir / "y.bin"), 1u);

    test::write_bytes(dir / "short.bin", std::string(100, '\0'));
    r = test::run_command(cli() + " run " + q(model) + " --input " + q(dir / "short.bin") + " --output " + q(dir / "y2.bin"));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.output.find("short.bin: has 100 bytes; the model's input needs 15996"), std::string::npos) << r.output;
    EXPECT_FALSE(std::filesystem::exists(dir / "y2.bin"));

    ASSERT_EQ(test::run_command(cli() + " synth " + q(dir / "a.wav") + " --seconds 2").exit_code, 0);
    r = test::run_command(cli() + " classify " + q(model) + " " + q(dir / "a.wav") + " --hop 16000");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("t=  0.000s  score="), std::string::npos) << r.output;
}

TEST(Cli, DemoSmallWritesTheReportAndReplacesTheFolder) {
    test::TempDir dir;
    std::filesystem::create_directories(dir / "out");
    test::write_bytes(dir / "out" / "old.txt", "from an earlier run");
    // The default recipe on the repo's own real clips (data/real) and the built-in generator.
    const auto r = test::run_command(cli() + " demo --small --out " + q(dir / "out"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("[6/6] evaluation on the held-out recordings"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("held-out recordings and scenes, device loop"), std::string::npos) << r.output;
    for (const char* f : {"report.html", "fire_alarm.tflite", "fire_alarm_model_data.h", "compiled/fire_alarm_model.cpp", "detector.ckpt", "metrics.json",
                          "training_curves.png", "evaluation/det.png", "evaluation/metrics.json"}) {
        EXPECT_TRUE(std::filesystem::exists(dir / "out" / f)) << f;
    }
    EXPECT_FALSE(std::filesystem::exists(dir / "out" / "old.txt"));  // replaced as a whole
    // The split is by recording and written down; the model carries its front end and operating point.
    const auto metrics = nlohmann::json::parse(test::read_bytes(dir / "out" / "metrics.json"));
    EXPECT_EQ(metrics["data"]["split"]["test"].size(), 2u);
    EXPECT_EQ(metrics["operating_point"]["n"], 64);
    // The validation folder reports the shipped rule (it once used the 4-of-8 default while the
    // run's line and metrics used 48 of 64).
    const auto validation = nlohmann::json::parse(test::read_bytes(dir / "out" / "validation" / "metrics.json"));
    EXPECT_EQ(validation["detector"]["decision"]["k"], 48);
    EXPECT_EQ(validation["detector"]["decision"]["n"], 64);
    EXPECT_EQ(validation["detector"]["decision"]["threshold_q"], metrics["operating_point"]["threshold_q"]);
    EXPECT_EQ(validation["all"]["detected"], metrics["operating_point"]["validation"]["detected"]);
    EXPECT_EQ(validation["all"]["false_alarms"], metrics["operating_point"]["validation"]["false_alarms"]);
    const auto inspect = test::run_command(cli() + " inspect " + q(dir / "out" / "fire_alarm.tflite"));
    ASSERT_EQ(inspect.exit_code, 0) << inspect.output;
    EXPECT_NE(inspect.output.find("detector (metadata 'earshot.detector'): labels background, fire_alarm"), std::string::npos) << inspect.output;
    EXPECT_NE(inspect.output.find("front end: log band energies, 32 bands x 32 blocks, window mean removed"), std::string::npos) << inspect.output;
    const std::string header = test::read_bytes(dir / "out" / "compiled" / "fire_alarm_model.hpp");
    EXPECT_NE(header.find("inline constexpr bool kLogBandFeatures = true;"), std::string::npos);
    const auto bad = test::run_command(cli() + " demo --small --out " + q(dir / "x") + " --data " + q(dir / "nowhere"));
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_NE(bad.output.find("nowhere: no such folder"), std::string::npos) << bad.output;
    const auto mixed = test::run_command(cli() + " demo --small --out " + q(dir / "x") + " --positives " + q(dir.path()));
    EXPECT_EQ(mixed.exit_code, 1);
    EXPECT_NE(mixed.output.find("add --tutorial"), std::string::npos) << mixed.output;
}

// The recipe's ablation flags reach the job and the run writes them down: another training seed
// on split 5, every epoch kept, averaged weights, band shifts.
TEST(Cli, DemoAblationFlagsAreRecorded) {
    test::TempDir dir;
    test::write_bytes(dir / "spans.tsv", "alarms/pico_tutorial/325367__moonlightshadow__fire-house-alarm.flac\t3.3\t12.0\tfire_alarm\n");
    const auto r = test::run_command(cli() + " demo --small --seed 9 --split-seed 5 --fold 2/3 --patience 0 --average-weights --band-shift 2 --balance-alarms --alarm-clips 12 --background-clips 3 --alarm-spans " +
                                     q(dir / "spans.tsv") + " --quiet --out " + q(dir / "out"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const auto metrics = nlohmann::json::parse(test::read_bytes(dir / "out" / "metrics.json"));
    EXPECT_EQ(metrics["data"]["alarm_spans"], (dir / "spans.tsv").string());
    EXPECT_EQ(metrics["data"]["spanned_recordings"], 1);
    const auto& t = metrics["training"];
    EXPECT_EQ(t["seed"], 9);
    EXPECT_EQ(t["split_seed"], 5);
    EXPECT_EQ(t["patience"], 0);
    EXPECT_EQ(t["average_weights"], true);
    EXPECT_EQ(t["band_shift"], 2);
    EXPECT_EQ(t["balance_alarms"], true);
    EXPECT_EQ(t["builtin_alarm_clips"], 12);
    EXPECT_EQ(t["builtin_background_clips"], 3);
    EXPECT_EQ(metrics["data"]["split"]["seed"], 5);
    EXPECT_EQ(metrics["data"]["split"]["fold"]["index"], 2);
    EXPECT_EQ(metrics["data"]["split"]["fold"]["count"], 3);
    EXPECT_EQ(t["fold"], "2/3");
    EXPECT_EQ(metrics["history"].size(), 5u);  // 3 + 1 hard-negative + 1 quantization-aware epochs, none stopped early
    const auto bad = test::run_command(cli() + " demo --small --band-shift 40 --out " + q(dir / "x"));
    EXPECT_NE(bad.exit_code, 0);
    EXPECT_NE(bad.output.find("--band-shift"), std::string::npos) << bad.output;
    // Fold misuse: refused with exit 1 and a message naming the problem.
    const auto refused = [&](const std::string& flags, const std::string& message) {
        const auto wrong = test::run_command(cli() + " demo --small " + flags + " --out " + q(dir / "x"));
        EXPECT_EQ(wrong.exit_code, 1) << flags;
        EXPECT_NE(wrong.output.find(message), std::string::npos) << flags << ": " << wrong.output;
    };
    for (const std::string fold : {"0/3", "4/3", "1/1", "2", "1/3x"}) refused("--fold " + fold, "--fold " + fold + ": want k/K");
    refused("--fold 1/3 --train-on-all", "use one");
    refused("--tutorial --fold 1/3", "split the real-sound recipe's recordings");
    refused("--fold 1/3 --folds 3", "--fold runs one fold, --folds all of them");
    refused("--tutorial --alarm-spans " + q(dir / "spans.tsv"), "the tutorial recipe does not take it");
    test::write_bytes(dir / "typo.tsv", "alarms/pico_tutorial/325367.flac\t3.3\t12.0\tfire_alarm\n");
    refused("--alarm-spans " + q(dir / "typo.tsv"), "spans for 'alarms/pico_tutorial/325367.flac', which is not one of the alarm recordings");
    refused("--alarm-spans " + q(dir / "none.tsv"), "none.tsv");
    EXPECT_FALSE(std::filesystem::exists(dir / "x"));
}

// --folds K: K runs (OUT/fold-k), each holding out its fold, so together they test every
// recording once; cross_validation.json pools their verdicts (events add up over the folds).
TEST(Cli, DemoFoldsTestEveryRecordingOnceAndPool) {
    test::TempDir dir;
    const auto r = test::run_command(cli() + " demo --small --folds 2 --quiet --out " + q(dir / "out"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("cross-validation, 2 folds"), std::string::npos) << r.output;
    const auto cv = nlohmann::json::parse(test::read_bytes(dir / "out" / "cross_validation.json"));
    EXPECT_EQ(cv["folds"], 2);
    EXPECT_EQ(cv["finished"], 2);
    ASSERT_EQ(cv["per_fold"].size(), 2u);
    std::multiset<std::string> tested;
    int events = 0, detected = 0;
    for (int k = 1; k <= 2; ++k) {
        const auto m = nlohmann::json::parse(test::read_bytes(dir / "out" / ("fold-" + std::to_string(k)) / "metrics.json"));
        EXPECT_EQ(m["data"]["split"]["fold"]["index"], k);
        for (const auto& f : m["data"]["split"]["test"]) tested.insert(f.get<std::string>());
        events += m["test"]["all"]["events"].get<int>();
        detected += m["test"]["all"]["detected"].get<int>();
        EXPECT_EQ(cv["per_fold"][static_cast<size_t>(k - 1)]["all"]["events"], m["test"]["all"]["events"]);
    }
    EXPECT_EQ(tested.size(), 8u);  // the repo's 4 alarm and 4 background recordings
    EXPECT_EQ(std::set<std::string>(tested.begin(), tested.end()).size(), tested.size()) << "a recording tested twice";
    EXPECT_EQ(cv["pooled"]["all"]["events"], events);
    EXPECT_EQ(cv["pooled"]["all"]["detected"], detected);
    EXPECT_EQ(cv["pooled"]["recordings"]["events"].get<int>() + cv["pooled"]["scenes"]["events"].get<int>(), events);
}

// --pretrain: the body first learns the recordings' sound kinds (a softmax over them), then the
// detector starts from it; the run says so in its output and metrics.
TEST(Cli, DemoPretrainsTheBodyOnSoundKinds) {
    test::TempDir dir;
    const auto r = test::run_command(cli() + " demo --small --pretrain --out " + q(dir / "out"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("pretrain ("), std::string::npos) << r.output;
    const auto metrics = nlohmann::json::parse(test::read_bytes(dir / "out" / "metrics.json"));
    ASSERT_TRUE(metrics.contains("pretraining")) << metrics.dump();
    const auto kinds = metrics["pretraining"]["kinds"].get<std::vector<std::string>>();
    EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "alarm"), 1);
    EXPECT_GE(kinds.size(), 3u);
    EXPECT_GE(metrics["pretraining"]["epochs"].get<int>(), 1);
    EXPECT_TRUE(std::filesystem::exists(dir / "out" / "fire_alarm.tflite"));
}

// --spectrogram-features: the same recipe on the tutorial's front end (the features ablation):
// the model reads the 124x129 spectrogram through a nearest resize and says so in its metadata.
TEST(Cli, DemoWithTheTutorialsSpectrogramFeatures) {
    test::TempDir dir;
    const auto r = test::run_command(cli() + " demo --small --spectrogram-features --out " + q(dir / "out"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("fire-alarm detector (spectrogram features)"), std::string::npos) << r.output;
    const auto inspect = test::run_command(cli() + " inspect " + q(dir / "out" / "fire_alarm.tflite"));
    ASSERT_EQ(inspect.exit_code, 0) << inspect.output;
    EXPECT_NE(inspect.output.find("RESIZE_NEAREST_NEIGHBOR"), std::string::npos) << inspect.output;
    EXPECT_NE(inspect.output.find("front end: the tutorial's 124x129 q15 spectrogram"), std::string::npos) << inspect.output;
    const auto metrics = nlohmann::json::parse(test::read_bytes(dir / "out" / "metrics.json"));
    EXPECT_GT(metrics["test"]["all"]["events"].get<int>(), 0);
}

// The pooling ablations: the model's max pool is --pool-time high and --pool-bands wide (here
// 3x4: the head sees 4 time and 3 band positions instead of 6x6), compiled and evaluated like
// the default and recorded in the metrics; out of range refused.
TEST(Cli, DemoWithAWiderPool) {
    test::TempDir dir;
    const auto r = test::run_command(cli() + " demo --small --pool-bands 4 --pool-time 3 --out " + q(dir / "out"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const auto inspect = test::run_command(cli() + " inspect " + q(dir / "out" / "fire_alarm.tflite"));
    ASSERT_EQ(inspect.exit_code, 0) << inspect.output;
    EXPECT_NE(inspect.output.find("3x4 VALID stride 3x4"), std::string::npos) << inspect.output;
    EXPECT_NE(inspect.output.find("[1,4,3,8]"), std::string::npos) << inspect.output;
    EXPECT_TRUE(std::filesystem::exists(dir / "out" / "compiled" / "fire_alarm_model.cpp"));
    const auto metrics = nlohmann::json::parse(test::read_bytes(dir / "out" / "metrics.json"));
    EXPECT_GT(metrics["test"]["all"]["events"].get<int>(), 0);
    EXPECT_EQ(metrics["training"]["pool_time"], 3);
    EXPECT_EQ(metrics["training"]["pool_bands"], 4);
    for (const char* flag : {"--pool-bands", "--pool-time"}) {
        const auto bad = test::run_command(cli() + " demo --small " + flag + " 14 --out " + q(dir / "x"));
        EXPECT_NE(bad.exit_code, 0);
        EXPECT_NE(bad.output.find(flag), std::string::npos) << bad.output;
        EXPECT_FALSE(std::filesystem::exists(dir / "x"));
    }
}

TEST(Cli, DemoTutorialRecipe) {
    test::TempDir dir;
    const auto r = test::run_command(cli() + " demo --tutorial --small --out " + q(dir / "out"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("[6/6] report"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("int8 exported accuracy"), std::string::npos) << r.output;
    EXPECT_TRUE(std::filesystem::exists(dir / "out" / "report.html"));
    const auto inspect = test::run_command(cli() + " inspect " + q(dir / "out" / "fire_alarm.tflite"));
    ASSERT_EQ(inspect.exit_code, 0) << inspect.output;
    EXPECT_NE(inspect.output.find("LOGISTIC"), std::string::npos) << inspect.output;
    const auto bad = test::run_command(cli() + " demo --tutorial --small --out " + q(dir / "x") + " --positives " + q(dir / "nowhere") + " --background " + q(dir.path()));
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_NE(bad.output.find("folder does not exist"), std::string::npos) << bad.output;
}

TEST(Cli, SynthDatasetWritesOneFolderPerClass) {
    test::TempDir dir;
    const auto r = test::run_command(cli() + " synth " + q(dir / "data") + " --dataset --alarms 2 --per-kind 1 --seconds 1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(std::filesystem::exists(dir / "data" / "alarm" / "0001.wav"));
    EXPECT_TRUE(std::filesystem::exists(dir / "data" / "hum" / "0000.wav"));
    EXPECT_EQ(audio::load_pcm16k(dir / "data" / "alarm" / "0000.wav"), audio::synthesize_alarm_clip(100003 * 1, 1.0));
}

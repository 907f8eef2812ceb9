// `earshot train` and `earshot eval` end to end on the generated ESC-50-layout fixture.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fixture_dataset.hpp"
#include "host/audio/synth.hpp"
#include "host/audio/wav_writer.hpp"
#include "host/error.hpp"
#include "host/jobs/eval_job.hpp"
#include "host/jobs/train_job.hpp"
#include "host/train/checkpoint.hpp"
#include "support.hpp"

namespace earshot::jobs {
namespace {

std::string cli() { return std::string("'") + EARSHOT_CLI + "'"; }
std::string q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

TrainJobOptions fixture_job(const test::TempDir& dir, const std::string& out, int epochs) {
    TrainJobOptions o;
    o.dataset = "esc50:" + (dir / "data").string();
    o.out = dir / out;
    o.epochs = epochs;
    o.batch_size = 16;
    o.cache_dir = dir / "cache";
    o.quiet = true;
    return o;
}

std::vector<std::vector<float>> model_values(const std::filesystem::path& p) {
    std::vector<std::vector<float>> v;
    for (const auto& [name, t] : train::read_checkpoint(p).tensors) v.push_back(t.values);
    return v;
}

TEST(TrainJob, LearnsTheFixtureAndWritesEverything) {
    test::TempDir dir;
    test::write_fixture_dataset(dir / "data", 10, 2.0);
    const auto r = run_train_job(fixture_job(dir, "run", 40));
    EXPECT_TRUE(r.finished);
    EXPECT_EQ(r.train_items, 4u * 6 * 4);  // folds 1-3: 6 clips per class, 4 bites each
    EXPECT_EQ(r.test_items, 4u * 2 * 4);
    EXPECT_GE(r.test_accuracy, 0.9);
    EXPECT_GE(r.val_accuracy, 0.9);
    for (const char* f : {"manifest.json", "config.json", "train_state.ckpt", "model.ckpt", "metrics.json", "training_curves.png", "confusion.png"}) {
        EXPECT_TRUE(std::filesystem::exists(dir / "run" / f)) << f;
    }
    const auto metrics = nlohmann::json::parse(test::read_bytes(dir / "run" / "metrics.json"));
    EXPECT_EQ(metrics["split"], "test");
    EXPECT_DOUBLE_EQ(metrics["evaluation"]["accuracy"].get<double>(), r.test_accuracy);
    EXPECT_EQ(metrics["history"].size(), 40u);
    EXPECT_EQ(metrics["evaluation"]["confusion"].size(), 4u);
    // A second run reads every clip's features from the cache.
    EXPECT_EQ(run_train_job(fixture_job(dir, "run2", 1)).cache_hits, 40u);
    // eval on the same dataset uses the run's test split and agrees with training's report.
    EvalJobOptions e;
    e.model = dir / "run";
    e.dataset = "esc50:" + (dir / "data").string();
    e.out = dir / "eval";
    e.cache_dir = dir / "cache";
    e.quiet = true;
    EXPECT_DOUBLE_EQ(run_eval_job(e).accuracy, r.test_accuracy);
    EXPECT_TRUE(std::filesystem::exists(dir / "eval" / "confusion.png"));
}

TEST(TrainJob, ResumeEqualsAnUninterruptedRun) {
    test::TempDir dir;
    test::write_fixture_dataset(dir / "data", 5, 2.0);
    run_train_job(fixture_job(dir, "straight", 6));
    auto interrupted = fixture_job(dir, "resumed", 6);
    interrupted.stop_after_epochs = 2;
    EXPECT_FALSE(run_train_job(interrupted).finished);
    EXPECT_FALSE(std::filesystem::exists(dir / "resumed" / "metrics.json"));
    auto resume = fixture_job(dir, "resumed", 6);
    resume.epochs.reset();
    resume.resume = true;
    const auto r = run_train_job(resume);
    EXPECT_TRUE(r.finished);
    EXPECT_EQ(r.epochs_done, 6);
    EXPECT_EQ(model_values(dir / "straight" / "model.ckpt"), model_values(dir / "resumed" / "model.ckpt"));
    EXPECT_EQ(model_values(dir / "straight" / "train_state.ckpt"), model_values(dir / "resumed" / "train_state.ckpt"));
}

TEST(TrainJob, RefusesToOverwriteOrResumeNothing) {
    test::TempDir dir;
    test::write_fixture_dataset(dir / "data", 5, 1.0);
    run_train_job(fixture_job(dir, "run", 1));
    EXPECT_THROW(run_train_job(fixture_job(dir, "run", 1)), Error);
    auto resume = fixture_job(dir, "fresh", 1);
    resume.resume = true;
    EXPECT_THROW(run_train_job(resume), Error);
}

TEST(TrainJob, ARunStoppedBeforeItsFirstEpochStartsAfresh) {
    // Interrupted during feature extraction: a manifest, no train_state.ckpt. Neither a fresh
    // run nor --resume may refuse; both start over.
    test::TempDir dir;
    test::write_fixture_dataset(dir / "data", 5, 1.0);
    run_train_job(fixture_job(dir, "run", 1));
    for (const char* name : {"train_state.ckpt", "model.ckpt", "metrics.json"}) std::filesystem::remove(dir / "run" / name);
    const auto fresh = run_train_job(fixture_job(dir, "run", 1));
    EXPECT_EQ(fresh.epochs_done, 1);
    EXPECT_TRUE(std::filesystem::exists(dir / "run" / "model.ckpt"));
    std::filesystem::remove(dir / "run" / "train_state.ckpt");
    auto resume = fixture_job(dir, "run", 1);
    resume.resume = true;
    EXPECT_EQ(run_train_job(resume).epochs_done, 1);
}

TEST(TrainCli, CtrlCSaysHowToGoOn) {
    test::TempDir dir;
    test::write_fixture_dataset(dir / "data", 5, 1.0);
    const std::string train = cli() + " train --dataset esc50:" + q(dir / "data") + " --cache " + q(dir / "cache") + " --out " + q(dir / "run") +
                              " --batch-size 8";
    // Stop it once the first epoch is saved (SIGINT, as Ctrl-C sends).
    const auto stopped = test::run_command("{ " + train + " --epochs 100000 & pid=$!; while [ ! -f " + q(dir / "run" / "train_state.ckpt") +
                                           " ]; do sleep 0.05; done; kill -INT $pid; wait $pid; }");
    EXPECT_NE(stopped.exit_code, 0);
    EXPECT_NE(stopped.output.find("earshot: interrupted; epoch"), std::string::npos) << stopped.output;
    EXPECT_NE(stopped.output.find("plus --resume"), std::string::npos) << stopped.output;
    const auto resumed = test::run_command(train + " --epochs 3 --resume");
    ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
    EXPECT_NE(resumed.output.find("resuming after epoch"), std::string::npos) << resumed.output;
}

TEST(TrainCli, SmallSplitsSayNotApplicableInsteadOfANumber) {
    test::TempDir dir;
    // 'tone' has six clips, 'noise' one: the ratio split leaves 'noise' without test clips.
    for (int i = 0; i < 6; ++i) {
        std::filesystem::create_directories(dir / "data" / "tone");
        audio::write_wav_pcm16(dir / "data" / "tone" / ("t" + std::to_string(i) + ".wav"), audio::synthesize_alarm({.seconds = 1.0, .seed = static_cast<uint32_t>(i)}), 16000);
    }
    std::filesystem::create_directories(dir / "data" / "noise");
    audio::write_wav_pcm16(dir / "data" / "noise" / "n.wav", test::lcg_noise(16000, 7, 2), 16000);
    const std::string train = cli() + " train --dataset folder:" + q(dir / "data") + " --no-cache --epochs 2 --batch-size 4";
    const auto uneven = test::run_command(train + " --out " + q(dir / "uneven") + " --split ratio:0.5/0.25/0.25");
    ASSERT_EQ(uneven.exit_code, 0) << uneven.output;
    EXPECT_NE(uneven.output.find("soundbites per class:"), std::string::npos) << uneven.output;
    EXPECT_NE(uneven.output.find("class 'noise' has no test soundbites: its test accuracy is n/a"), std::string::npos) << uneven.output;
    // Everything in train: no validation, no test; nothing reads "0.00%" or repeats the training loss as val.
    const auto all_train = test::run_command(train + " --out " + q(dir / "all_train") + " --split ratio:1/0/0");
    ASSERT_EQ(all_train.exit_code, 0) << all_train.output;
    EXPECT_NE(all_train.output.find("the val split is empty"), std::string::npos) << all_train.output;
    EXPECT_NE(all_train.output.find("the test split is empty"), std::string::npos) << all_train.output;
    EXPECT_NE(all_train.output.find("val n/a"), std::string::npos) << all_train.output;
    EXPECT_EQ(all_train.output.find("val_loss"), std::string::npos) << all_train.output;
    EXPECT_NE(all_train.output.find("test accuracy n/a (0 soundbites), val accuracy n/a (0)"), std::string::npos) << all_train.output;
    EXPECT_EQ(all_train.output.find("0.00%"), std::string::npos) << all_train.output;
}

TEST(TrainCli, TrainEvalAndErrors) {
    test::TempDir dir;
    test::write_fixture_dataset(dir / "data", 5, 1.0);
    test::write_bytes(dir / "data" / "audio" / "2-101-A-1.wav", "RIFF garbage");  // one corrupt clip among many
    const std::string data = " --dataset esc50:" + q(dir / "data") + " --cache " + q(dir / "cache");
    const auto train = test::run_command(cli() + " train" + data + " --out " + q(dir / "run") + " --epochs 3 --batch-size 8");
    ASSERT_EQ(train.exit_code, 0) << train.output;
    EXPECT_NE(train.output.find("epoch 3/3"), std::string::npos) << train.output;
    EXPECT_NE(train.output.find("warning: skipped 1 unreadable file(s)"), std::string::npos) << train.output;
    EXPECT_NE(train.output.find("2-101-A-1.wav"), std::string::npos) << train.output;
    EXPECT_NE(train.output.find("test accuracy"), std::string::npos) << train.output;

    const std::string training_metrics = test::read_bytes(dir / "run" / "metrics.json");
    const auto eval = test::run_command(cli() + " eval --model " + q(dir / "run") + data + " --split all");
    ASSERT_EQ(eval.exit_code, 0) << eval.output;
    // The training run's metrics stay; the evaluation has its own folder.
    EXPECT_EQ(test::read_bytes(dir / "run" / "metrics.json"), training_metrics);
    EXPECT_EQ(nlohmann::json::parse(test::read_bytes(dir / "run" / "eval_all" / "metrics.json"))["split"], "all");
    EXPECT_NE(eval.output.find("confusion (rows true, columns predicted)"), std::string::npos) << eval.output;
    EXPECT_NE(eval.output.find("tone_high"), std::string::npos) << eval.output;

    const auto again = test::run_command(cli() + " train" + data + " --out " + q(dir / "run"));
    EXPECT_EQ(again.exit_code, 1);
    EXPECT_NE(again.output.find("pass --resume"), std::string::npos) << again.output;

    // A folder dataset with a class the model has never seen.
    std::filesystem::create_directories(dir / "other" / "dog");
    audio::write_wav_pcm16(dir / "other" / "dog" / "bark.wav", test::lcg_noise(16000), 16000);
    const auto unknown = test::run_command(cli() + " eval --model " + q(dir / "run") + " --dataset folder:" + q(dir / "other"));
    EXPECT_EQ(unknown.exit_code, 1);
    EXPECT_NE(unknown.output.find("labels the model does not know"), std::string::npos) << unknown.output;
    EXPECT_NE(unknown.output.find("dog/bark.wav"), std::string::npos) << unknown.output;

    const auto config = test::run_command(cli() + " train --print-config");
    ASSERT_EQ(config.exit_code, 0);
    EXPECT_EQ(nlohmann::json::parse(config.output)["layers"][2]["filters"], 8);

    test::write_bytes(dir / "bad.json", R"({"input": [124, 129, 1], "layers": [{"type": "conv2d", "filters": 8}]})");
    const auto bad = test::run_command(cli() + " train" + data + " --out " + q(dir / "bad") + " --config " + q(dir / "bad.json"));
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_NE(bad.output.find("layers[0] (conv2d): missing 'kernel'"), std::string::npos) << bad.output;
    // The heap overflow of issue 14: a config whose last layer is not dense is refused up front.
    test::write_bytes(dir / "pool_last.json", R"({"input": [124, 129, 1], "layers": [{"type": "resize", "height": 32, "width": 32},
        {"type": "conv2d", "filters": 8, "kernel": 8, "stride": 2}, {"type": "maxpool2d"}]})");
    const auto pool_last = test::run_command(cli() + " train" + data + " --out " + q(dir / "pool_last") + " --config " + q(dir / "pool_last.json"));
    EXPECT_EQ(pool_last.exit_code, 1) << pool_last.output;
    EXPECT_NE(pool_last.output.find("layers[2] (maxpool2d): the last layer must be a dense layer"), std::string::npos) << pool_last.output;
    EXPECT_EQ(pool_last.output.find("epoch"), std::string::npos) << "must fail before training: " << pool_last.output;
    const auto missing = test::run_command(cli() + " train --dataset esc50:" + q(dir / "nowhere") + " --out " + q(dir / "x"));
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.output.find("does not exist"), std::string::npos) << missing.output;
}

}  // namespace
}  // namespace earshot::jobs

// The training engine: config parsing, layer conventions, Adam, schedules, early stopping,
// freezing, determinism, checkpoints.
#include <nlohmann/json.hpp>
#include <gtest/gtest.h>

#include <cmath>

#include "host/error.hpp"
#include "host/nn/quant_params.hpp"
#include "host/train/checkpoint.hpp"
#include "host/train/model_config.hpp"
#include "host/train/trainer.hpp"
#include "support.hpp"

namespace earshot::train {
namespace {

// Two separable classes of tiny "spectrograms": energy in the top or the bottom half.
FeatureSet toy_set(size_t n, uint64_t seed, bool flip_labels = false) {
    FeatureSet s;
    s.item_shape = {8, 6, 1};
    Rng rng{seed};
    for (size_t i = 0; i < n; ++i) {
        const int label = static_cast<int>(i % 2);
        std::vector<int16_t> item(48);
        for (size_t k = 0; k < 48; ++k) {
            const bool top = k < 24;
            item[k] = static_cast<int16_t>(rng.below(200) + ((top == (label == 0)) ? 1500 : 0));
        }
        s.append(item, flip_labels ? 1 - label : label);
    }
    return s;
}

nlohmann::json toy_config(const std::string& head = "softmax") {
    return nlohmann::json::parse(R"({"input": [8, 6, 1], "layers": [
        {"type": "normalization", "name": "norm"},
        {"type": "conv2d", "name": "conv", "filters": 2, "kernel": 3, "activation": "relu"},
        {"type": "maxpool2d", "name": "pool"},
        {"type": "flatten", "name": "flat"},
        {"type": "dense", "name": "head", "units": "classes", "activation": ")" + head + R"("}],
      "training": {"learning_rate": 0.01, "batch_size": 8, "epochs": 15, "early_stopping_patience": 0, "schedule": {"type": "constant"}}})");
}

std::vector<Tensor> all_values(Network& net) {
    std::vector<Tensor> v;
    for (auto& t : tensors(net)) v.push_back(*t.value);
    return v;
}

Network trained_toy(uint64_t seed, TrainState* state_out = nullptr, const nlohmann::json& config = toy_config()) {
    Network net = build_network(config, 2, seed);
    const FeatureSet train = toy_set(64, 1), val = toy_set(16, 2);
    adapt_normalization(net, {make_batch(train, std::vector<size_t>{0, 1, 2, 3, 4, 5, 6, 7})});
    TrainState state = start_training(net, training_config(config), seed);
    fit(net, state, training_config(config), train, val);
    if (state_out) *state_out = state;
    return net;
}

TEST(TrainEngine, DefaultConfigIsTheReferenceModel) {
    Network net = build_network(default_model_config(), 50, 0);
    ASSERT_EQ(net.layers.size(), 7u);
    // conv 8x8x1x8 + 8, dense 288x50 + 50, normalization mean + variance.
    EXPECT_EQ(trainable_parameter_count(net), 8u * 64 + 8 + 288 * 50 + 50);
    EXPECT_EQ(parameter_count(net), trainable_parameter_count(net) + 2);
    const TrainingConfig t = training_config(default_model_config());
    EXPECT_DOUBLE_EQ(t.learning_rate, 1e-3);
    EXPECT_EQ(t.batch_size, 32);
    EXPECT_EQ(t.epochs, 250);
    EXPECT_EQ(t.early_stopping_patience, 25);
    EXPECT_EQ(t.schedule.kind, ScheduleKind::exponential);
    EXPECT_EQ(t.schedule.after_epoch, 100);
}

TEST(TrainEngine, ConfigErrorsNameTheLayerAndField) {
    auto bad = default_model_config();
    bad["layers"][2]["filters"] = -3;
    try {
        build_network(bad, 5, 0);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("layers[2] (conv2d): 'filters' must be a positive integer"), std::string::npos) << e.what();
    }
    auto unknown = default_model_config();
    unknown["layers"][3]["type"] = "lstm";
    EXPECT_THROW(build_network(unknown, 5, 0), Error);
    auto too_small = default_model_config();
    too_small["layers"][0]["height"] = 4;  // 4x4 input to an 8x8 kernel
    EXPECT_THROW(build_network(too_small, 5, 0), Error);
    auto sigmoid_many = toy_config("sigmoid");
    EXPECT_THROW(build_network(sigmoid_many, 3, 0), Error);
    EXPECT_NO_THROW(build_network(sigmoid_many, 2, 0));
}

namespace {
std::string config_error(const nlohmann::json& config, int classes) {
    try {
        build_network(config, classes, 0);
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}
}  // namespace

TEST(TrainEngine, TheOutputMustBeOneScorePerClassWhateverTheConfig) {
    // Last layer not dense: used to train and then overflow the heap in the metrics.
    auto conv_last = default_model_config();
    for (int i = 0; i < 3; ++i) conv_last["layers"].erase(4);  // ... conv, pool
    EXPECT_NE(config_error(conv_last, 5).find("layers[3] (maxpool2d): the last layer must be a dense layer"), std::string::npos)
        << config_error(conv_last, 5);
    auto dropout_last = default_model_config();
    dropout_last["layers"].erase(6);
    EXPECT_NE(config_error(dropout_last, 5).find("the last layer must be a dense layer"), std::string::npos);
    // Dense without flatten keeps the spatial dimensions: not one score per class.
    auto no_flatten = default_model_config();
    no_flatten["layers"].erase(4);
    EXPECT_NE(config_error(no_flatten, 5).find("input [6x6x8] must be flat"), std::string::npos)
        << config_error(no_flatten, 5);
}

TEST(TrainEngine, AbsurdSizesAreRefusedBeforeAllocating) {
    auto huge_resize = default_model_config();
    huge_resize["layers"][0]["height"] = 4000;
    huge_resize["layers"][0]["width"] = 4000;
    EXPECT_NE(config_error(huge_resize, 5).find("layers[0] (resize): its output holds 16000000 values per item"), std::string::npos)
        << config_error(huge_resize, 5);
    auto huge_conv = default_model_config();
    huge_conv["layers"][2]["filters"] = 8192;
    huge_conv["layers"][2]["kernel"] = {24, 24};
    huge_conv["layers"][2]["stride"] = {1, 1};
    EXPECT_NE(config_error(huge_conv, 5).find("layers[2] (conv2d): it would have 4718592 weights"), std::string::npos)
        << config_error(huge_conv, 5);
    auto huge_input = default_model_config();
    huge_input["input"] = {100000, 100000, 1};
    EXPECT_NE(config_error(huge_input, 5).find("is too large"), std::string::npos) << config_error(huge_input, 5);
}

TEST(TrainEngine, UnknownConfigFieldsAreRejectedByName) {
    auto typo = default_model_config();
    typo["training"]["lr"] = 0.01;
    EXPECT_NE(config_error(typo, 5).find("training: unknown field 'lr'"), std::string::npos) << config_error(typo, 5);
    EXPECT_THROW(training_config(typo), Error);
    auto layer_typo = default_model_config();
    layer_typo["layers"][2]["filter"] = 16;
    EXPECT_NE(config_error(layer_typo, 5).find("layers[2] (conv2d): unknown field 'filter'"), std::string::npos) << config_error(layer_typo, 5);
    auto top = default_model_config();
    top["lyaers"] = nlohmann::json::array();
    EXPECT_NE(config_error(top, 5).find("top level: unknown field 'lyaers'"), std::string::npos) << config_error(top, 5);
    auto schedule = default_model_config();
    schedule["training"]["schedule"]["decay_rate"] = 0.5;
    EXPECT_THROW(training_config(schedule), Error);
    // The shipped configs still load.
    EXPECT_NO_THROW(build_network(default_model_config(), 5, 0));
    EXPECT_NO_THROW(training_config(default_model_config()));
}

TEST(TrainEngine, NearestResizePicksTheRuntimePixels) {
    // 124x129 -> 32x32 with half-pixel centres reads rows floor((i + 0.5) * 124 / 32).
    Layer layer{"resize", true, ResizeLayer{32, 32, ResizeMethod::nearest, true, {}}};
    Tensor x({1, 124, 129, 1});
    for (size_t i = 0; i < x.size(); ++i) x.values[i] = static_cast<float>(i);
    Rng rng;
    const Tensor y = forward(layer, x, false, rng);
    const auto rows = nn::nearest_neighbor_map(124, 32, false, true), cols = nn::nearest_neighbor_map(129, 32, false, true);
    EXPECT_EQ(rows[0], 1);
    EXPECT_EQ(rows[31], 122);
    for (int r = 0; r < 32; ++r) {
        for (int c = 0; c < 32; ++c) EXPECT_EQ(y.values[static_cast<size_t>(r * 32 + c)], static_cast<float>(rows[static_cast<size_t>(r)] * 129 + cols[static_cast<size_t>(c)]));
    }
}

TEST(TrainEngine, BilinearHalvingAveragesPairs) {
    Layer layer{"resize", true, ResizeLayer{1, 2, ResizeMethod::bilinear, true, {}}};
    Tensor x({1, 2, 4, 1});
    x.values = {1, 3, 5, 9, 3, 5, 7, 11};
    Rng rng;
    const Tensor y = forward(layer, x, false, rng);
    EXPECT_FLOAT_EQ(y.values[0], (1 + 3 + 3 + 5) / 4.0f);
    EXPECT_FLOAT_EQ(y.values[1], (5 + 9 + 7 + 11) / 4.0f);
}

TEST(TrainEngine, NormalizationAdaptsToTheGivenDataOnly) {
    Network net = build_network(toy_config(), 2, 0);
    const FeatureSet a = toy_set(10, 3);
    adapt_normalization(net, {make_batch(a, std::vector<size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})});
    double sum = 0, sq = 0;
    for (int16_t v : a.q15) {
        const double f = v / 32768.0 * 512.0;
        sum += f;
        sq += f * f;
    }
    const double mean = sum / static_cast<double>(a.q15.size());
    const auto& norm = std::get<NormalizationLayer>(net.layers[0].op);
    EXPECT_NEAR(norm.mean.values[0], mean, 1e-4);
    EXPECT_NEAR(norm.variance.values[0], sq / static_cast<double>(a.q15.size()) - mean * mean, 1e-3);
}

TEST(TrainEngine, AdamFirstStepMovesEachWeightByTheLearningRate) {
    Network net = build_network(toy_config(), 2, 0);
    auto before = all_values(net);
    auto adam = make_adam_state(net);
    for (auto& t : tensors(net)) {
        if (!t.grad) continue;
        for (size_t i = 0; i < t.grad->size(); ++i) t.grad->values[i] = (i % 2 ? 0.5f : -2.0f);
    }
    adam_step(net, adam, 0.01);
    size_t k = 0;
    for (auto& t : tensors(net)) {
        for (size_t i = 0; i < t.value->size(); ++i) {
            const float moved = t.value->values[i] - before[k].values[i];
            if (t.grad) {
                EXPECT_NEAR(moved, i % 2 ? -0.01f : 0.01f, 1e-5f) << t.name;  // Adam's first step is lr * sign(g)
            } else {
                EXPECT_EQ(moved, 0.0f) << t.name;
            }
        }
        ++k;
    }
}

TEST(TrainEngine, LearnsToySetAndIsDeterministic) {
    TrainState state;
    Network a = trained_toy(7, &state);
    EXPECT_GE(evaluate(a, toy_set(40, 9)).accuracy, 0.95);
    EXPECT_LT(state.history.back().loss, state.history.front().loss);
    Network b = trained_toy(7);
    const auto va = all_values(a), vb = all_values(b);
    for (size_t i = 0; i < va.size(); ++i) EXPECT_EQ(va[i].values, vb[i].values);
    Network c = trained_toy(8);
    EXPECT_NE(all_values(c)[2].values, va[2].values);  // the conv kernel
}

TEST(TrainEngine, FrozenLayersDoNotChange) {
    auto config = toy_config();
    config["layers"][1]["trainable"] = false;
    Network net = build_network(config, 2, 3);
    const Tensor conv_before = std::get<Conv2DLayer>(net.layers[1].op).kernel.value;
    const Tensor head_before = std::get<DenseLayer>(net.layers[4].op).kernel.value;
    TrainState state = start_training(net, training_config(config), 3);
    fit(net, state, training_config(config), toy_set(32, 1), toy_set(8, 2));
    EXPECT_EQ(std::get<Conv2DLayer>(net.layers[1].op).kernel.value.values, conv_before.values);
    EXPECT_NE(std::get<DenseLayer>(net.layers[4].op).kernel.value.values, head_before.values);
    EXPECT_EQ(trainable_parameter_count(net), 12u * 2 + 2);  // only the head: 3x2x2 flattened -> 2 units
}

TEST(TrainEngine, ExponentialScheduleDecaysFromTheGivenEpoch) {
    auto config = toy_config();
    config["training"]["epochs"] = 5;
    config["training"]["schedule"] = {{"type", "exponential"}, {"after_epoch", 2}, {"decay", 0.1}};
    TrainState s;
    trained_toy(1, &s, config);
    ASSERT_EQ(s.history.size(), 5u);
    EXPECT_DOUBLE_EQ(s.history[0].learning_rate, 0.01);
    EXPECT_DOUBLE_EQ(s.history[1].learning_rate, 0.01);
    EXPECT_NEAR(s.history[2].learning_rate, 0.01 * std::exp(-0.1), 1e-12);
    EXPECT_NEAR(s.history[4].learning_rate, 0.01 * std::exp(-0.3), 1e-12);
}

TEST(TrainEngine, EarlyStoppingRestoresTheBestWeights) {
    // Validation labels are the opposite of training labels: the better the fit, the worse
    // the validation loss, so training must stop early and roll back.
    auto config = toy_config();
    config["training"]["epochs"] = 40;
    config["training"]["early_stopping_patience"] = 3;
    Network net = build_network(config, 2, 2);
    const FeatureSet train = toy_set(64, 1), val = toy_set(16, 2, true);
    adapt_normalization(net, {make_batch(train, std::vector<size_t>{0, 1, 2, 3})});
    TrainState s = start_training(net, training_config(config), 2);
    fit(net, s, training_config(config), train, val);
    EXPECT_TRUE(s.finished);
    EXPECT_NE(s.stop_reason.find("early stopping"), std::string::npos);
    EXPECT_EQ(s.epochs_done, s.best_epoch + 3);
    EXPECT_LT(s.epochs_done, 40);
    EXPECT_NEAR(evaluate(net, val).loss, s.best_val_loss, 1e-9);
}

// Stochastic weight averaging (demo --average-weights): the mean of the snapshots, element by
// element, written back into the network; mismatched snapshots and an empty average are refused.
TEST(TrainEngine, WeightAverageIsTheMeanOfTheSnapshots) {
    Network net = build_network(toy_config(), 2, 2);
    const auto first = trainable_weights(net);
    auto second = first;
    for (Tensor& t : second)
        for (size_t v = 0; v < t.values.size(); ++v) t.values[v] = static_cast<float>(v % 7) - 3.0f;
    WeightAverage a;
    EXPECT_THROW(mean_weights(a), Error);
    add_snapshot(a, first);
    add_snapshot(a, second);
    EXPECT_EQ(a.count, 2);
    const auto mean = mean_weights(a);
    ASSERT_EQ(mean.size(), first.size());
    for (size_t t = 0; t < mean.size(); ++t) {
        ASSERT_EQ(mean[t].shape, first[t].shape);
        for (size_t v = 0; v < mean[t].values.size(); ++v) ASSERT_FLOAT_EQ(mean[t].values[v], (first[t].values[v] + second[t].values[v]) / 2) << t << " " << v;
    }
    set_trainable_weights(net, mean);
    EXPECT_EQ(trainable_weights(net)[0].values, mean[0].values);
    auto fewer = first;
    fewer.pop_back();
    EXPECT_THROW(add_snapshot(a, fewer), Error);
    auto reshaped = first;
    reshaped[0].shape.push_back(1);
    EXPECT_THROW(add_snapshot(a, reshaped), Error);
}

// Without restore_best_weights (demo --patience 0), training ends on the last epoch's weights.
TEST(TrainEngine, WithoutRestoringTrainingKeepsTheLastWeights) {
    auto config = toy_config();
    config["training"]["epochs"] = 12;
    config["training"]["early_stopping_patience"] = 0;
    config["training"]["restore_best_weights"] = false;
    Network net = build_network(config, 2, 2);
    const FeatureSet train = toy_set(64, 1), val = toy_set(16, 2, true);  // val labels flipped: fitting hurts it
    adapt_normalization(net, {make_batch(train, std::vector<size_t>{0, 1, 2, 3})});
    TrainState s = start_training(net, training_config(config), 2);
    fit(net, s, training_config(config), train, val);
    EXPECT_EQ(s.epochs_done, 12);
    EXPECT_LT(s.best_epoch, 12);
    EXPECT_NEAR(evaluate(net, val).loss, s.history.back().val_loss, 1e-9);
    EXPECT_GT(evaluate(net, val).loss, s.best_val_loss + 1e-6);
}

TEST(TrainEngine, PlateauScheduleReducesTheRate) {
    auto config = toy_config();
    config["training"]["epochs"] = 12;
    config["training"]["schedule"] = {{"type", "plateau"}, {"factor", 0.5}, {"patience", 2}};
    Network net = build_network(config, 2, 2);
    const FeatureSet train = toy_set(64, 1), val = toy_set(16, 2, true);
    adapt_normalization(net, {make_batch(train, std::vector<size_t>{0, 1, 2, 3})});
    TrainState s = start_training(net, training_config(config), 2);
    fit(net, s, training_config(config), train, val);
    EXPECT_LT(s.learning_rate, 0.01 * 0.5 + 1e-12);
}

TEST(TrainEngine, CheckpointRoundTrip) {
    test::TempDir dir;
    Network net = trained_toy(4);
    save_model(dir / "m.ckpt", net, {"top", "bottom"}, {{"magnitude", "cmsis58"}});
    SavedModel loaded = load_model(dir / "m.ckpt");
    EXPECT_EQ(loaded.classes, (std::vector<std::string>{"top", "bottom"}));
    const auto a = all_values(net), b = all_values(loaded.network);
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].values, b[i].values);
    const FeatureSet probe = toy_set(12, 5);
    EXPECT_EQ(evaluate(net, probe).probabilities.values, evaluate(loaded.network, probe).probabilities.values);
    // Encoding is deterministic.
    EXPECT_EQ(encode_checkpoint(model_checkpoint(net, {"top", "bottom"}, {})), encode_checkpoint(model_checkpoint(loaded.network, {"top", "bottom"}, {})));
}

TEST(TrainEngine, DamagedCheckpointsAreRefused) {
    Network net = trained_toy(4);
    const std::string good = encode_checkpoint(model_checkpoint(net, {"a", "b"}, {}));
    const auto message = [](const std::string& bytes) {
        try {
            decode_checkpoint(bytes, "x.ckpt");
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    std::string flipped = good;
    flipped[good.size() / 2] ^= 0x10;
    EXPECT_NE(message(flipped).find("checksum"), std::string::npos);
    EXPECT_NE(message(good.substr(0, good.size() / 3)).find("x.ckpt"), std::string::npos);
    EXPECT_NE(message("PK\x03\x04 not a checkpoint at all").find("not an earshot checkpoint"), std::string::npos);
    std::string future = good;
    future[8] = 9;
    EXPECT_NE(message(future).find("version 9"), std::string::npos);
    for (size_t cut = 0; cut < good.size(); cut += 97) EXPECT_NE(message(good.substr(0, cut)), "accepted");
}

TEST(TrainEngine, TrainingCheckpointResumesBitExactly) {
    auto config = toy_config();
    config["training"]["epochs"] = 8;
    const FeatureSet train = toy_set(64, 1), val = toy_set(16, 2);
    const auto start = [&](Network& net) {
        net = build_network(config, 2, 6);
        adapt_normalization(net, {make_batch(train, std::vector<size_t>{0, 1, 2, 3})});
        return start_training(net, training_config(config), 6);
    };
    Network straight;
    TrainState s1 = start(straight);
    fit(straight, s1, training_config(config), train, val);

    Network first;
    TrainState s2 = start(first);
    TrainCallbacks stop_at_3;
    stop_at_3.on_epoch = [](Network&, const TrainState& s) { return s.epochs_done < 3; };
    fit(first, s2, training_config(config), train, val, stop_at_3);
    ASSERT_EQ(s2.epochs_done, 3);
    const Checkpoint saved = decode_checkpoint(encode_checkpoint(training_checkpoint(first, s2, {"a", "b"}, {})), "state");
    Network resumed = model_from_checkpoint(saved, "state").network;
    TrainState s3 = training_state_from_checkpoint(saved, resumed, "state");
    fit(resumed, s3, training_config(config), train, val);
    EXPECT_EQ(s3.epochs_done, s1.epochs_done);
    const auto a = all_values(straight), b = all_values(resumed);
    for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].values, b[i].values);
    ASSERT_EQ(s1.history.size(), s3.history.size());
    for (size_t i = 0; i < s1.history.size(); ++i) EXPECT_EQ(s1.history[i].loss, s3.history[i].loss);
}

}  // namespace
}  // namespace earshot::train

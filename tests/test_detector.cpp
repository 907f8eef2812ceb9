// Issue 5: built-in data, augmentation, transfer learning, int8 conversion and export, demo.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/dsp/spectrogram.hpp"
#include "host/audio/augment.hpp"
#include "host/audio/default_data.hpp"
#include "host/error.hpp"
#include "host/jobs/demo_job.hpp"
#include "host/model/c_array.hpp"
#include "host/model/tflite_reader.hpp"
#include "host/model/tflite_writer.hpp"
#include "host/quant/int8_model.hpp"
#include "host/train/checkpoint.hpp"
#include "host/train/fake_quant.hpp"
#include "host/train/trainer.hpp"
#include "support.hpp"

namespace earshot {
namespace {

std::vector<int16_t> tone_bite(double hz = 3100.0, double level = 0.5) {
    std::vector<int16_t> x(16000);
    for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<int16_t>(std::lround(level * 32767 * std::sin(2 * 3.14159265358979 * hz * static_cast<double>(i) / 16000.0)));
    return x;
}

TEST(DefaultData, DeterministicAlarmsWithTheTemporal3Pattern) {
    std::vector<uint8_t> beeping;
    const auto a = audio::synthesize_alarm_clip(7, 8.0, &beeping);
    EXPECT_EQ(a, audio::synthesize_alarm_clip(7, 8.0));
    EXPECT_NE(a, audio::synthesize_alarm_clip(8, 8.0));
    ASSERT_EQ(beeping.size(), 128000u);
    size_t on = 0, runs = 0;
    for (size_t i = 0; i < beeping.size(); ++i) {
        on += beeping[i];
        if (beeping[i] && (i == 0 || !beeping[i - 1])) ++runs;
    }
    EXPECT_NEAR(static_cast<double>(on) / 128000.0, 1.5 / 4.0, 0.01);  // 3 x 0.5 s per 4 s cycle
    EXPECT_GE(runs, 6u);
    EXPECT_LE(runs, 7u);
    // While it beeps, the loudest bin is the fundamental (2.9-3.5 kHz = bins 46..56).
    size_t start = 0;
    while (!beeping[start] || !beeping[start + 4000]) ++start;
    std::vector<int16_t> spec(dsp::kSpectrogramSize);
    dsp::spectrogram_q15(a.data() + start, spec.data(), dsp::MagnitudeMode::cmsis58);
    const int16_t* frame = spec.data() + 10 * dsp::kBins;
    const int peak = static_cast<int>(std::max_element(frame, frame + dsp::kBins) - frame);
    EXPECT_GE(peak, 46);
    EXPECT_LE(peak, 57);
}

TEST(DefaultData, EveryBackgroundKindIsDistinctAndDeterministic) {
    std::vector<std::vector<int16_t>> clips;
    for (int k = 0; k < audio::kBackgroundKinds; ++k) {
        const auto kind = static_cast<audio::BackgroundKind>(k);
        clips.push_back(audio::synthesize_background_clip(kind, 3, 1.0));
        EXPECT_EQ(clips.back(), audio::synthesize_background_clip(kind, 3, 1.0)) << audio::background_name(kind);
        EXPECT_TRUE(std::any_of(clips.back().begin(), clips.back().end(), [](int16_t v) { return v != 0; })) << audio::background_name(kind);
    }
    for (size_t i = 0; i < clips.size(); ++i) {
        for (size_t j = i + 1; j < clips.size(); ++j) EXPECT_NE(clips[i], clips[j]);
    }
    const auto data = audio::generate_default_data(2, 1, 1.0, 5);
    EXPECT_EQ(data.size(), 2u + audio::kBackgroundKinds);
    EXPECT_EQ(data[0].label, "alarm");
}

TEST(Augment, WhiteNoiseIsBoundedClippedAndSeeded) {
    const auto x = tone_bite(1000, 0.95);
    train::Rng r1{1}, r2{1}, r3{2};
    const auto y = audio::with_white_noise(x, r1);
    EXPECT_EQ(y, audio::with_white_noise(x, r2));
    EXPECT_NE(y, audio::with_white_noise(x, r3));
    ASSERT_EQ(y.size(), x.size());
    bool clipped = false;
    for (size_t i = 0; i < x.size(); ++i) {
        EXPECT_LE(std::abs(y[i] - x[i]), static_cast<int>(0.2 * 32768) + 1);
        clipped |= y[i] == 32767 || y[i] == -32768;
    }
    EXPECT_TRUE(clipped);  // a 0.95 tone plus noise must hit full scale somewhere
}

TEST(Augment, SilenceZeroesSamplesOrOneGap) {
    const auto x = tone_bite(440, 0.5);
    train::Rng rng{3};
    const auto y = audio::with_random_silence(x, rng, 0.2);
    size_t zeroed = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        if (y[i] != x[i]) {
            EXPECT_EQ(y[i], 0);
            ++zeroed;
        }
    }
    EXPECT_NEAR(static_cast<double>(zeroed) / 16000.0, 0.2, 0.02);
    const auto g = audio::with_silence_gap(x, rng, 0.3);
    size_t first = x.size(), last = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        if (g[i] != x[i]) first = std::min(first, i), last = i;
    }
    if (first < x.size()) {
        EXPECT_LE(last - first + 1, 4800u);
        for (size_t i = first; i <= last; ++i) EXPECT_EQ(g[i], 0);
    }
}

TEST(Augment, MixGainShift) {
    const auto p = tone_bite(3000, 0.3), b = tone_bite(500, 0.3);
    train::Rng rng{4};
    const auto m = audio::mixed(p, b, rng);
    // One weight w in [0, 1) for the whole bite: recover it from a sample where b is large.
    const size_t k = 8;  // sin(2 pi 500 * 8 / 16000) = 1
    const double w = (m[k] - p[k]) / static_cast<double>(b[k]);
    EXPECT_GE(w, -0.001);
    EXPECT_LT(w, 1.0);
    for (size_t i = 0; i < p.size(); i += 97) EXPECT_NEAR(m[i], p[i] + w * b[i], 1.0 + std::abs(b[i]) * 1e-4);
    const auto g = audio::with_gain(p, rng, 6.0);
    const size_t loud = static_cast<size_t>(std::max_element(p.begin(), p.end()) - p.begin());
    const double ratio = static_cast<double>(g[loud]) / p[loud];
    EXPECT_GE(ratio, std::pow(10.0, -6.0 / 20) - 0.01);
    EXPECT_LE(ratio, std::pow(10.0, 6.0 / 20) + 0.01);
    const auto s = audio::time_shifted(p, rng, 0.25);
    ASSERT_EQ(s.size(), p.size());
    int shift = -1;
    for (int d = -4000; d <= 4000 && shift == -1; ++d) {
        bool same = true;
        for (size_t i = 5000; i < 11000 && same; i += 7) same = s[i] == p[static_cast<size_t>(static_cast<long>(i) - d)];
        if (same) shift = d;
    }
    EXPECT_NE(shift, -1);
}

TEST(Augment, BalanceAddsAThirdOfTheGapPerTechnique) {
    std::vector<audio::Bite> pos(10, tone_bite(3000)), bg(40, tone_bite(500));
    train::Rng rng{5};
    const auto extra = audio::balance_positives(pos, bg, {}, rng);
    EXPECT_EQ(extra.size(), 30u);  // (40 - 10) / 3 for each of white noise, random silence, mixing
    audio::BalanceOptions half;
    half.target_ratio = 0.5;
    EXPECT_EQ(audio::balance_positives(pos, bg, half, rng).size(), 9u);
    EXPECT_TRUE(audio::balance_positives(bg, pos, {}, rng).empty());
}

// A small trained baseline: the reference architecture on two synthetic classes.
train::Network small_baseline(train::FeatureSet& set) {
    set.item_shape = {dsp::kFrames, dsp::kBins, 1};
    std::vector<int16_t> spec(dsp::kSpectrogramSize);
    for (int i = 0; i < 24; ++i) {
        const auto x = tone_bite(i % 2 ? 3100 + 10 * i : 700 + 10 * i, 0.1 + 0.02 * i);
        dsp::spectrogram_q15(x.data(), spec.data(), dsp::MagnitudeMode::cmsis58);
        set.append(spec, i % 2);
    }
    auto config = train::default_model_config();
    config["training"]["epochs"] = 5;
    train::Network net = train::build_network(config, 3, 9);
    train::adapt_normalization(net, {train::make_batch(set, std::vector<size_t>{0, 1, 2, 3})});
    return net;
}

TEST(Transfer, NewHeadKeepsTheBodyAndFrozenBodyStaysPut) {
    train::FeatureSet set;
    train::Network base = small_baseline(set);
    train::Network net = train::with_new_head(base, 2, true, 1);
    EXPECT_EQ(net.output_activation, train::Activation::sigmoid);
    const auto& head = std::get<train::DenseLayer>(net.layers.back().op);
    EXPECT_EQ(head.kernel.value.shape, (std::vector<int>{1, 288}));
    const auto conv_before = std::get<train::Conv2DLayer>(net.layers[2].op).kernel.value.values;
    EXPECT_EQ(conv_before, std::get<train::Conv2DLayer>(base.layers[2].op).kernel.value.values);
    EXPECT_EQ(std::get<train::NormalizationLayer>(net.layers[1].op).mean.values, std::get<train::NormalizationLayer>(base.layers[1].op).mean.values);
    EXPECT_EQ(train::with_new_head(base, 5, true, 1).output_activation, train::Activation::softmax);  // multi-class heads

    train::set_body_trainable(net, false);
    auto cfg = train::reference_transfer_schedule().head;
    cfg.epochs = 3;
    cfg.batch_size = 8;
    train::TrainState s = train::start_training(net, cfg, 1);
    const auto head_before = head.kernel.value.values;
    train::fit(net, s, cfg, set, set);
    EXPECT_EQ(std::get<train::Conv2DLayer>(net.layers[2].op).kernel.value.values, conv_before);
    EXPECT_NE(std::get<train::DenseLayer>(net.layers.back().op).kernel.value.values, head_before);
}

TEST(Quantize, Int8GraphTracksFloatAndSurvivesTheFile) {
    train::FeatureSet set;
    train::Network base = small_baseline(set);
    train::Network net = train::with_new_head(base, 2, true, 3);
    auto cfg = train::reference_transfer_schedule().head;
    cfg.epochs = 8;
    cfg.batch_size = 8;
    train::TrainState s = train::start_training(net, cfg, 3);
    train::fit(net, s, cfg, set, set);
    const auto cal = quant::calibrate(net, set, 100);
    const model::Graph g = quant::to_int8_graph(net, cal, "test");
    // The reference model's op sequence, with the normalization folded into the conv.
    ASSERT_EQ(g.ops.size(), 6u);
    EXPECT_EQ(g.ops[0].kind, model::OpKind::resize_nearest_neighbor);
    EXPECT_EQ(g.ops[1].kind, model::OpKind::conv_2d);
    EXPECT_EQ(g.ops[5].kind, model::OpKind::logistic);
    const auto m = quant::prepare_int8(g);
    const auto r = quant::run_int8(m, set);
    const auto f = train::evaluate(net, set);
    for (size_t i = 0; i < set.size(); ++i) EXPECT_NEAR(r.probabilities[i], f.probabilities.values[i], 0.05) << i;
    // Written, read back and run: the same bytes out, the same int8 outputs.
    const auto bytes = model::write_tflite(g);
    const model::Graph back = model::read_tflite(bytes, "memory");
    EXPECT_EQ(model::write_tflite(back), bytes);
    EXPECT_EQ(quant::run_int8(quant::prepare_int8(back), set).outputs, r.outputs);
    // The C header holds the same bytes.
    const std::string h = model::c_array_header(bytes, "fire_alarm_model", "test");
    EXPECT_NE(h.find("alignas(8) const unsigned char fire_alarm_model[] = {"), std::string::npos);
    EXPECT_NE(h.find("fire_alarm_model_len = " + std::to_string(bytes.size()) + ";"), std::string::npos);
    EXPECT_EQ(static_cast<size_t>(std::count(h.begin(), h.end(), ',')), bytes.size());
    EXPECT_THROW(model::c_array_header(bytes, "9lives", "test"), Error);

    // Quantization-aware view: with fake quantization on the conversion's grids, the float
    // network's logits land on the same int8 steps the runtime computes (within one step).
    quant::enable_fake_quant(net, cal);
    const auto float_weights = train::fake_quantize_weights(net);
    train::Rng unused;
    const int32_t logit_tensor = g.ops[4].outputs[0];
    const auto& lq = g.tensors[static_cast<size_t>(logit_tensor)].quant;
    nn::Interpreter interp(m.plan);
    size_t close = 0;
    for (size_t i = 0; i < set.size(); ++i) {
        const std::vector<size_t> idx{i};
        const float logit = train::forward(net, train::make_batch(set, idx), false, unused).values[0];
        const auto item = set.item(i);
        nn::quantize_magnitudes(item.data(), static_cast<int32_t>(item.size()), m.input, interp.input());
        for (size_t op = 0; op < 5; ++op) interp.invoke_op(op);
        const long sim = std::lround(logit / lq.scale[0]) + lq.zero_point[0];
        close += std::abs(sim - interp.tensor(logit_tensor)[0]) <= 1;
    }
    train::restore_weights(net, float_weights);
    EXPECT_GE(close, set.size() * 9 / 10);
}

TEST(Demo, ReducedPipelineEndToEnd) {
    test::TempDir dir;
    jobs::DemoOptions o;
    o.out = dir / "out";
    o.quiet = true;
    o.data.alarm_clips = 18;
    o.data.background_clips_per_kind = 4;
    o.data.clip_seconds = 3.0;
    o.schedule.head.epochs = 6;
    o.schedule.fine_tune.epochs = 2;
    o.qat_epochs = 1;
    const auto r = jobs::run_demo(o);
    EXPECT_TRUE(r.export_matches);
    EXPECT_GT(r.test_items, 20u);
    EXPECT_GE(r.float_accuracy, 0.7);
    EXPECT_LE(std::fabs(r.int8_accuracy - r.float_accuracy), 0.05);
    for (const char* f : {"report.html", "fire_alarm.tflite", "fire_alarm_model_data.h", "compiled/fire_alarm_model.cpp", "compiled/fire_alarm_model.hpp",
                          "detector.ckpt", "metrics.json", "training_curves.png", "confusion_int8.png", "example_alarm.png"}) {
        EXPECT_TRUE(std::filesystem::exists(dir / "out" / f)) << f;
    }
    EXPECT_FALSE(std::filesystem::exists(dir / "out.partial"));
    const auto metrics = nlohmann::json::parse(test::read_bytes(dir / "out" / "metrics.json"));
    EXPECT_DOUBLE_EQ(metrics["int8_exported"]["accuracy"].get<double>(), r.int8_accuracy);
    // The exported model loads in the runtime and the checkpoint reloads.
    EXPECT_NO_THROW(quant::prepare_int8(model::load_tflite(dir / "out" / "fire_alarm.tflite")));
    EXPECT_EQ(train::load_model(dir / "out" / "detector.ckpt").classes, (std::vector<std::string>{"background", "alarm"}));
    // The built-in baseline is there and readable.
    EXPECT_GT(jobs::builtin_baseline().size(), 1000u);
}

// The other sounders: deterministic, every pattern drawn, each pattern's duty as designed, and
// the loudest bin while it sounds within the fundamentals' range (0.4-4 kHz, x1.7 at most for
// the second tone and the warble; bins of 62.5 Hz).
TEST(DefaultData, SoundersOfEveryPatternAndPitch) {
    EXPECT_EQ(audio::synthesize_sounder_clip(5, 2.0), audio::synthesize_sounder_clip(5, 2.0));
    EXPECT_NE(audio::synthesize_sounder_clip(5, 2.0), audio::synthesize_sounder_clip(6, 2.0));
    std::vector<int> seen(audio::kSounderPatterns, 0);
    for (uint64_t seed = 0; seed < 96; ++seed) {
        const auto pattern = audio::sounder_pattern_of(seed);
        ++seen[static_cast<size_t>(pattern)];
        std::vector<uint8_t> beeping;
        const auto clip = audio::synthesize_sounder_clip(seed, 8.0, &beeping);
        ASSERT_EQ(clip.size(), 128000u);
        ASSERT_EQ(beeping.size(), clip.size());
        const double duty = static_cast<double>(std::count(beeping.begin(), beeping.end(), 1)) / 128000.0;
        const char* name = audio::sounder_pattern_name(pattern);
        switch (pattern) {
            case audio::SounderPattern::temporal3: EXPECT_NEAR(duty, 1.5 / 4.0, 0.02) << seed; break;
            case audio::SounderPattern::temporal4:
                EXPECT_GT(duty, 0.08) << seed;
                EXPECT_LT(duty, 0.25) << seed;
                break;
            case audio::SounderPattern::pulsed: EXPECT_NEAR(duty, 0.5, 0.07) << seed; break;
            case audio::SounderPattern::whoop: EXPECT_NEAR(duty, 3.5 / 4.0, 0.02) << seed; break;
            default: EXPECT_EQ(duty, 1.0) << name << " " << seed; break;
        }
        // The average spectrum of the frames that sound throughout.
        std::vector<double> sum(dsp::kBins, 0.0);
        int frames = 0;
        for (size_t start = 0; start + 256 <= clip.size(); start += 128) {
            if (!beeping[start] || !beeping[start + 255]) continue;
            std::vector<int16_t> spec(dsp::kBins);
            dsp::spectrogram_frame_q15(clip.data() + start, spec.data(), dsp::MagnitudeMode::exact);
            for (int k = 0; k < dsp::kBins; ++k) sum[static_cast<size_t>(k)] += spec[static_cast<size_t>(k)];
            ++frames;
        }
        ASSERT_GT(frames, 0) << name << " " << seed;
        const int peak = static_cast<int>(std::max_element(sum.begin() + 1, sum.end()) - sum.begin());
        EXPECT_GE(peak, 400 / 62.5 - 1) << name << " " << seed;
        EXPECT_LE(peak, 4000 * 1.7 / 62.5 + 1) << name << " " << seed;
    }
    for (int p = 0; p < audio::kSounderPatterns; ++p) EXPECT_GE(seen[static_cast<size_t>(p)], 4) << audio::sounder_pattern_name(static_cast<audio::SounderPattern>(p));
}

TEST(DefaultData, SounderPatternsByName) {
    const uint32_t mask = audio::parse_sounder_patterns("temporal3,pulsed");
    EXPECT_EQ(mask, (1u << static_cast<int>(audio::SounderPattern::temporal3)) | (1u << static_cast<int>(audio::SounderPattern::pulsed)));
    EXPECT_EQ(audio::parse_sounder_patterns("temporal3,temporal4,continuous,pulsed,whoop,two_tone,warble,bell"), audio::kAllSounderPatterns);
    for (uint64_t seed = 0; seed < 40; ++seed) {
        const auto p = audio::sounder_pattern_of(seed, mask);
        EXPECT_TRUE(p == audio::SounderPattern::temporal3 || p == audio::SounderPattern::pulsed) << seed;
    }
    for (const char* bad : {"", "bell,", "siren", "temporal3,,bell"}) {
        try {
            audio::parse_sounder_patterns(bad);
            ADD_FAILURE() << "accepted '" << bad << "'";
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find("known: temporal3"), std::string::npos) << e.what();
        }
    }
}

}  // namespace
}  // namespace earshot

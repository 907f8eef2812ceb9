// Training-engine speed: one training step of the reference model, one epoch on the generated
// fixture, and feature extraction with and without the cache.
#include <nlohmann/json.hpp>
#include <benchmark/benchmark.h>

#include <filesystem>
#include <numeric>

#include "host/data/feature_sets.hpp"
#include "host/train/loss.hpp"
#include "host/train/model_config.hpp"
#include "host/train/trainer.hpp"
#include "tests/fixture_dataset.hpp"

using namespace earshot;

namespace {

std::filesystem::path fixture_root() {
    static const std::filesystem::path root = [] {
        const auto p = std::filesystem::temp_directory_path() / "earshot_bench_fixture";
        std::filesystem::remove_all(p);
        test::write_fixture_dataset(p, 10, 2.0);
        return p;
    }();
    return root;
}

const train::FeatureSet& fixture_features() {
    static const train::FeatureSet set = [] {
        const auto d = data::open_dataset("esc50:" + fixture_root().string());
        std::vector<std::string> skipped;
        return data::build_feature_set(d.clips, {}, {}, skipped);
    }();
    return set;
}

// Forward + backward + Adam for one batch of 32 through the reference model (50 classes).
void BM_TrainStepReferenceModel(benchmark::State& state) {
    train::Network net = train::build_network(train::default_model_config(), 50, 1);
    const auto& set = fixture_features();
    std::vector<size_t> idx(32);
    std::iota(idx.begin(), idx.end(), size_t{0});
    const train::Tensor x = train::make_batch(set, idx);
    std::vector<int> labels(32);
    for (size_t i = 0; i < 32; ++i) labels[i] = static_cast<int>(i % 50);
    auto adam = train::make_adam_state(net);
    train::Rng rng{1};
    for (auto _ : state) {
        train::zero_gradients(net);
        const auto logits = train::forward(net, x, true, rng);
        train::backward(net, train::softmax_cross_entropy(logits, labels).grad);
        train::adam_step(net, adam, 1e-3);
    }
    state.SetItemsProcessed(state.iterations() * 32);
}
BENCHMARK(BM_TrainStepReferenceModel)->Unit(benchmark::kMillisecond);

// One epoch (shuffle, batches of 32, validation pass) on the fixture's 160 soundbites.
void BM_TrainEpochFixture(benchmark::State& state) {
    const auto& set = fixture_features();
    auto config = train::default_model_config();
    config["training"]["epochs"] = 1;
    for (auto _ : state) {
        train::Network net = train::build_network(config, 4, 1);
        train::TrainState s = train::start_training(net, train::training_config(config), 1);
        train::fit(net, s, train::training_config(config), set, set);
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(set.size()));
}
BENCHMARK(BM_TrainEpochFixture)->Unit(benchmark::kMillisecond);

// Decode + resample + cut + q15 spectrograms of 40 two-second clips; threads = arg; no cache.
void BM_FeatureExtraction(benchmark::State& state) {
    const auto d = data::open_dataset("esc50:" + fixture_root().string());
    data::ExtractOptions o;
    o.threads = static_cast<unsigned>(state.range(0));
    for (auto _ : state) benchmark::DoNotOptimize(data::extract_features(d.clips, {}, o));
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(d.clips.size()));
}
BENCHMARK(BM_FeatureExtraction)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_FeatureExtractionCached(benchmark::State& state) {
    const auto d = data::open_dataset("esc50:" + fixture_root().string());
    data::ExtractOptions o;
    o.threads = 2;
    o.cache_dir = std::filesystem::temp_directory_path() / "earshot_bench_cache";
    data::extract_features(d.clips, {}, o);  // fill
    for (auto _ : state) benchmark::DoNotOptimize(data::extract_features(d.clips, {}, o));
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(d.clips.size()));
}
BENCHMARK(BM_FeatureExtractionCached)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();

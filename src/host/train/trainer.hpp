// The training loop: shuffled mini-batches, Adam, a learning-rate schedule, early stopping with
// best-weights restore. Everything that decides what happens next lives in TrainState, which a
// checkpoint stores whole, so a resumed run is bit-identical to an uninterrupted one.
#pragma once
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "host/train/adam.hpp"
#include "host/train/feature_set.hpp"
#include "host/train/model_config.hpp"
#include "host/train/network.hpp"

namespace earshot::train {

struct EpochRecord {
    int epoch = 0;  // 1-based
    double loss = 0, accuracy = 0, val_loss = 0, val_accuracy = 0, learning_rate = 0, seconds = 0;
};

struct TrainState {
    int epochs_done = 0;
    double learning_rate = 0;
    Rng rng;
    AdamState adam;
    double best_val_loss = std::numeric_limits<double>::infinity();
    int best_epoch = 0;
    int epochs_without_improvement = 0;   // early stopping
    double plateau_best = std::numeric_limits<double>::infinity();
    int plateau_wait = 0;                 // reduce-on-plateau
    std::vector<Tensor> best_weights;     // trainable tensors at best_epoch, tensors() order
    std::vector<EpochRecord> history;
    bool finished = false;
    std::string stop_reason;
};

TrainState start_training(Network& net, const TrainingConfig& config, uint64_t seed);

struct EvalResult {
    double loss = 0, accuracy = 0;
    std::vector<int> predictions;
    Tensor probabilities;  // [n, outputs]
};
EvalResult evaluate(Network& net, const FeatureSet& set, int batch_size = 64);

struct TrainCallbacks {
    // After every batch: 1-based epoch, batches done, batches per epoch, running loss and accuracy.
    std::function<void(int, size_t, size_t, double, double)> on_batch;
    // After every epoch (state already updated); return false to stop (the state stays resumable).
    std::function<bool(Network&, const TrainState&)> on_epoch;
    // Quantization-aware training: fake-quantize the weights for each forward/backward and
    // apply the update to the float weights (straight-through estimator).
    bool fake_quantize_weights = false;
};

// Trains from state.epochs_done up to config.epochs (or early stopping). Returns when finished
// or when on_epoch asked to stop.
void fit(Network& net, TrainState& state, const TrainingConfig& config, const FeatureSet& train, const FeatureSet& val,
         const TrainCallbacks& callbacks = {});

// Writes the trainable tensors of `weights` (tensors() order) into the network.
void set_trainable_weights(Network& net, const std::vector<Tensor>& weights);
std::vector<Tensor> trainable_weights(Network& net);

// Stochastic weight averaging: the running mean of weight snapshots (trainable_weights order).
struct WeightAverage {
    std::vector<Tensor> sum;
    int count = 0;
};
void add_snapshot(WeightAverage& a, const std::vector<Tensor>& weights);  // throws when shapes differ
std::vector<Tensor> mean_weights(const WeightAverage& a);                 // throws when empty

}  // namespace earshot::train

#include "host/train/trainer.hpp"

#include <chrono>
#include <cmath>
#include <numeric>

#include "host/error.hpp"
#include "host/train/fake_quant.hpp"
#include "host/train/loss.hpp"

namespace earshot::train {
namespace {

LossResult loss_for(const Network& net, const Tensor& logits, std::span<const int> labels) {
    return net.output_activation == Activation::sigmoid ? sigmoid_binary_cross_entropy(logits, labels) : softmax_cross_entropy(logits, labels);
}

double correct_fraction(const std::vector<int>& predicted, const std::vector<int>& labels) {
    size_t hits = 0;
    for (size_t i = 0; i < labels.size(); ++i) hits += predicted[i] == labels[i];
    return labels.empty() ? 0.0 : static_cast<double>(hits) / static_cast<double>(labels.size());
}

// Keras' LearningRateScheduler runs at the start of each epoch (0-based index).
double scheduled_rate(const ScheduleConfig& s, int epoch_index, double lr) {
    if (s.kind == ScheduleKind::exponential && epoch_index >= s.after_epoch) return lr * std::exp(-s.decay);
    return lr;
}

}  // namespace

std::vector<Tensor> trainable_weights(Network& net) {
    std::vector<Tensor> out;
    for (auto& t : tensors(net)) {
        if (t.grad) out.push_back(*t.value);
    }
    return out;
}

void set_trainable_weights(Network& net, const std::vector<Tensor>& weights) {
    size_t i = 0;
    for (auto& t : tensors(net)) {
        if (!t.grad) continue;
        if (i >= weights.size() || weights[i].shape != t.value->shape) throw Error("weights do not match the network at '" + t.name + "'");
        *t.value = weights[i++];
    }
}

void add_snapshot(WeightAverage& a, const std::vector<Tensor>& weights) {
    if (a.count == 0) {
        a.sum = weights;
    } else {
        if (weights.size() != a.sum.size()) throw Error("weight snapshot: a different number of tensors");
        for (size_t t = 0; t < weights.size(); ++t) {
            if (weights[t].shape != a.sum[t].shape) throw Error("weight snapshot: a tensor of a different shape");
            for (size_t v = 0; v < weights[t].values.size(); ++v) a.sum[t].values[v] += weights[t].values[v];
        }
    }
    ++a.count;
}

std::vector<Tensor> mean_weights(const WeightAverage& a) {
    if (a.count == 0) throw Error("weight average: no snapshots");
    std::vector<Tensor> out = a.sum;
    for (Tensor& t : out)
        for (float& v : t.values) v /= static_cast<float>(a.count);
    return out;
}

TrainState start_training(Network& net, const TrainingConfig& config, uint64_t seed) {
    TrainState s;
    s.learning_rate = config.learning_rate;
    s.rng.state = seed ^ 0x5EED5EED5EED5EEDull;
    s.adam = make_adam_state(net);
    return s;
}

EvalResult evaluate(Network& net, const FeatureSet& set, int batch_size) {
    EvalResult r;
    if (set.size() == 0) return r;
    Rng unused;
    std::vector<size_t> idx;
    for (size_t start = 0; start < set.size(); start += static_cast<size_t>(batch_size)) {
        idx.resize(std::min(static_cast<size_t>(batch_size), set.size() - start));
        std::iota(idx.begin(), idx.end(), start);
        const Tensor logits = forward(net, make_batch(set, idx), false, unused);
        const auto labels = batch_labels(set, idx);
        r.loss += loss_for(net, logits, labels).loss * static_cast<double>(idx.size());
        const Tensor probs = probabilities(net, logits);
        const auto pred = predicted_classes(net, probs);
        r.predictions.insert(r.predictions.end(), pred.begin(), pred.end());
        if (r.probabilities.shape.empty()) r.probabilities.shape = {0, static_cast<int>(probs.item_size())};
        r.probabilities.shape[0] += probs.dim(0);
        r.probabilities.values.insert(r.probabilities.values.end(), probs.values.begin(), probs.values.end());
    }
    r.loss /= static_cast<double>(set.size());
    r.accuracy = correct_fraction(r.predictions, set.labels);
    return r;
}

void fit(Network& net, TrainState& state, const TrainingConfig& config, const FeatureSet& train, const FeatureSet& val,
         const TrainCallbacks& callbacks) {
    if (train.size() == 0) throw Error("training set is empty");
    const size_t batch = static_cast<size_t>(config.batch_size);
    const size_t batches = (train.size() + batch - 1) / batch;
    std::vector<size_t> order(train.size());
    while (!state.finished && state.epochs_done < config.epochs) {
        const auto t0 = std::chrono::steady_clock::now();
        const int epoch_index = state.epochs_done;
        state.learning_rate = scheduled_rate(config.schedule, epoch_index, state.learning_rate);
        std::iota(order.begin(), order.end(), size_t{0});
        state.rng.shuffle(order);
        double loss_sum = 0.0;
        size_t hits = 0, seen = 0;
        for (size_t b = 0; b < batches; ++b) {
            const std::span<const size_t> idx(order.data() + b * batch, std::min(batch, train.size() - b * batch));
            const auto labels = batch_labels(train, idx);
            zero_gradients(net);
            std::vector<Tensor> float_weights;
            if (callbacks.fake_quantize_weights) float_weights = train::fake_quantize_weights(net);
            const Tensor logits = forward(net, make_batch(train, idx), true, state.rng);
            const LossResult lr = loss_for(net, logits, labels);
            backward(net, lr.grad);
            if (callbacks.fake_quantize_weights) restore_weights(net, std::move(float_weights));
            adam_step(net, state.adam, state.learning_rate);
            const auto pred = predicted_classes(net, probabilities(net, logits));
            for (size_t i = 0; i < labels.size(); ++i) hits += pred[i] == labels[i];
            loss_sum += lr.loss * static_cast<double>(idx.size());
            seen += idx.size();
            if (callbacks.on_batch) callbacks.on_batch(epoch_index + 1, b + 1, batches, loss_sum / static_cast<double>(seen), static_cast<double>(hits) / static_cast<double>(seen));
        }
        EpochRecord rec;
        rec.epoch = epoch_index + 1;
        rec.loss = loss_sum / static_cast<double>(seen);
        rec.accuracy = static_cast<double>(hits) / static_cast<double>(seen);
        rec.learning_rate = state.learning_rate;
        if (val.size() > 0) {
            const EvalResult v = evaluate(net, val);
            rec.val_loss = v.loss;
            rec.val_accuracy = v.accuracy;
        } else {
            rec.val_loss = rec.loss;  // no validation split: monitor the training loss
            rec.val_accuracy = rec.accuracy;
        }
        state.epochs_done = rec.epoch;
        // Early stopping on validation loss, remembering the best weights.
        if (rec.val_loss < state.best_val_loss) {
            state.best_val_loss = rec.val_loss;
            state.best_epoch = rec.epoch;
            state.epochs_without_improvement = 0;
            state.best_weights = trainable_weights(net);
        } else {
            ++state.epochs_without_improvement;
        }
        if (config.schedule.kind == ScheduleKind::plateau) {
            if (rec.val_loss < state.plateau_best) {
                state.plateau_best = rec.val_loss;
                state.plateau_wait = 0;
            } else if (++state.plateau_wait >= config.schedule.patience) {
                state.learning_rate = std::max(state.learning_rate * config.schedule.factor, config.schedule.min_learning_rate);
                state.plateau_wait = 0;
            }
        }
        if (config.early_stopping_patience > 0 && state.epochs_without_improvement >= config.early_stopping_patience) {
            state.finished = true;
            state.stop_reason = "early stopping: no better validation loss for " + std::to_string(config.early_stopping_patience) + " epochs";
        } else if (state.epochs_done >= config.epochs) {
            state.finished = true;
            state.stop_reason = "reached " + std::to_string(config.epochs) + " epochs";
        }
        if (state.finished && config.restore_best_weights && !state.best_weights.empty()) set_trainable_weights(net, state.best_weights);
        rec.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        state.history.push_back(rec);
        if (callbacks.on_epoch && !callbacks.on_epoch(net, state)) return;
    }
}

}  // namespace earshot::train

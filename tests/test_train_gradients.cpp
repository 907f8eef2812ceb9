// Every layer's backward pass against central finite differences of forward, for input and
// parameter gradients. Where a perturbation crosses a ReLU or max-pool kink, two step sizes
// disagree and that coordinate is skipped (most coordinates must still be checked).
#include <nlohmann/json.hpp>
#include <gtest/gtest.h>

#include <cmath>

#include "host/train/layers.hpp"
#include "host/train/loss.hpp"
#include "host/train/model_config.hpp"
#include "host/train/network.hpp"

namespace earshot::train {
namespace {

Tensor random_tensor(std::vector<int> shape, uint64_t seed, float scale = 1.0f) {
    Tensor t(std::move(shape));
    Rng rng{seed};
    for (float& v : t.values) v = scale * rng.normal();
    return t;
}

double projected(const Tensor& y, const Tensor& r) {
    double s = 0.0;
    for (size_t i = 0; i < y.size(); ++i) s += static_cast<double>(y.values[i]) * r.values[i];
    return s;
}

struct Checker {
    int checked = 0, skipped = 0;
    bool report = true;  // false: only return the verdict
    // f(): the scalar; value: the coordinate to perturb; analytic: its gradient. Returns
    // whether they agree (a skipped kink counts as agreement).
    template <typename F>
    bool coordinate(F&& f, float& value, float analytic, const std::string& what) {
        const float original = value;
        const auto difference = [&](float eps) {
            value = original + eps;
            const double up = f();
            value = original - eps;
            const double down = f();
            value = original;
            return (up - down) / (2.0 * eps);
        };
        const double coarse = difference(2e-3f), fine = difference(1e-3f);
        const double tol = 2e-2 * std::max({1.0, std::fabs(fine), std::fabs(static_cast<double>(analytic))});
        if (std::fabs(coarse - fine) > tol) {  // a kink inside the step: the difference is meaningless here
            ++skipped;
            return true;
        }
        ++checked;
        if (report) {
            EXPECT_NEAR(fine, analytic, tol) << what;
        }
        return std::fabs(fine - analytic) <= tol;
    }
};

// Checks d(sum(y * r))/dx and /dparams of one layer.
void check_layer(Layer layer, std::vector<int> batch_shape, bool training = false) {
    const std::vector<int> item(batch_shape.begin() + 1, batch_shape.end());
    Rng init{11};
    initialize(layer, item, init);
    for (auto& t : tensors(layer)) {  // non-trivial biases and statistics
        Rng r{static_cast<uint64_t>(t.name.size())};
        if (t.name.ends_with("/bias") || t.name.ends_with("/mean")) for (float& v : t.value->values) v = 0.3f * r.normal();
        if (t.name.ends_with("/variance")) for (float& v : t.value->values) v = 0.5f + r.uniform();
    }
    Tensor x = random_tensor(batch_shape, 5);
    const auto run = [&] {
        Rng dropout{99};  // the same mask for every evaluation
        return forward(layer, x, training, dropout);
    };
    const Tensor y = run();
    const Tensor r = random_tensor(y.shape, 17);
    for (auto& t : tensors(layer)) {
        if (t.grad) std::fill(t.grad->values.begin(), t.grad->values.end(), 0.0f);
    }
    run();
    const Tensor dx = backward(layer, r, true);
    ASSERT_EQ(dx.shape, x.shape);
    // Parameter gradients are read before the finite differences overwrite the caches.
    std::vector<std::pair<NamedTensor, Tensor>> grads;
    for (auto& t : tensors(layer)) {
        if (t.grad) grads.emplace_back(t, *t.grad);
    }
    const auto loss = [&] { return projected(run(), r); };
    Checker c;
    Rng pick{3};
    for (int k = 0; k < 40; ++k) {
        const size_t i = static_cast<size_t>(pick.below(x.size()));
        c.coordinate(loss, x.values[i], dx.values[i], layer.name + " input " + std::to_string(i));
    }
    for (auto& [t, g] : grads) {
        for (int k = 0; k < 30; ++k) {
            const size_t i = static_cast<size_t>(pick.below(t.value->size()));
            c.coordinate(loss, t.value->values[i], g.values[i], t.name + " " + std::to_string(i));
        }
    }
    EXPECT_GE(c.checked, 4 * (c.checked + c.skipped) / 5) << layer.name << ": too many coordinates at kinks";
}

TEST(TrainGradients, ResizeNearestHalfPixel) { check_layer({"resize", true, ResizeLayer{5, 7, ResizeMethod::nearest, true, {}}}, {2, 13, 11, 2}); }
TEST(TrainGradients, ResizeBilinearHalfPixel) { check_layer({"resize", true, ResizeLayer{5, 7, ResizeMethod::bilinear, true, {}}}, {2, 13, 11, 2}); }
TEST(TrainGradients, ResizeBilinearUpsample) { check_layer({"resize", true, ResizeLayer{9, 6, ResizeMethod::bilinear, false, {}}}, {1, 4, 5, 1}); }
TEST(TrainGradients, Normalization) { check_layer({"norm", true, NormalizationLayer{}}, {3, 4, 5, 2}); }

TEST(TrainGradients, Conv2DValidStride2Relu) {
    Conv2DLayer l;
    l.filters = 3, l.kernel_h = 4, l.kernel_w = 3, l.stride_h = 2, l.stride_w = 2, l.activation = Activation::relu;
    check_layer({"conv", true, l}, {2, 11, 9, 1});
}

TEST(TrainGradients, Conv2DSamePaddingChannels) {
    Conv2DLayer l;
    l.filters = 4, l.kernel_h = 3, l.kernel_w = 3, l.padding = model::Padding::same;
    check_layer({"conv", true, l}, {2, 6, 5, 3});
}

TEST(TrainGradients, MaxPool) { check_layer({"pool", true, MaxPool2DLayer{}}, {2, 7, 6, 3}); }
TEST(TrainGradients, Flatten) { check_layer({"flatten", true, FlattenLayer{}}, {2, 3, 4, 2}); }
TEST(TrainGradients, DropoutTraining) { check_layer({"dropout", true, DropoutLayer{0.4f, {}}}, {3, 20}, true); }

TEST(TrainGradients, DenseRelu) {
    DenseLayer l;
    l.units = 6, l.activation = Activation::relu;
    check_layer({"dense", true, l}, {4, 10});
}

TEST(TrainGradients, DenseLinear) {
    DenseLayer l;
    l.units = 5;
    check_layer({"dense", true, l}, {3, 7});
}

template <typename Loss>
void check_loss(Loss loss_fn, int classes, std::vector<int> labels) {
    Tensor logits = random_tensor({static_cast<int>(labels.size()), classes}, 8, 2.0f);
    const LossResult r = loss_fn(logits, labels);
    Checker c;
    for (size_t i = 0; i < logits.size(); ++i) c.coordinate([&] { return loss_fn(logits, labels).loss; }, logits.values[i], r.grad.values[i], "logit " + std::to_string(i));
    EXPECT_EQ(c.skipped, 0);
}

TEST(TrainGradients, SoftmaxCrossEntropy) { check_loss(softmax_cross_entropy, 4, {0, 3, 1, 2, 2}); }
TEST(TrainGradients, SigmoidBinaryCrossEntropy) { check_loss(sigmoid_binary_cross_entropy, 1, {0, 1, 1, 0}); }

TEST(TrainGradients, LossValues) {
    Tensor logits({1, 2});
    logits.values = {0.0f, 0.0f};
    EXPECT_NEAR(softmax_cross_entropy(logits, std::vector<int>{1}).loss, std::log(2.0), 1e-9);
    Tensor one({1, 1});
    one.values = {0.0f};
    EXPECT_NEAR(sigmoid_binary_cross_entropy(one, std::vector<int>{1}).loss, std::log(2.0), 1e-9);
    one.values = {-200.0f};  // stable far from zero
    EXPECT_NEAR(sigmoid_binary_cross_entropy(one, std::vector<int>{1}).loss, 200.0, 1e-6);
}

// The whole network (a scaled-down reference model) through the loss.
TEST(TrainGradients, WholeNetworkThroughLoss) {
    auto config = default_model_config();
    config["input"] = {14, 12, 1};
    config["layers"][0]["height"] = 10;
    config["layers"][0]["width"] = 10;
    config["layers"][0]["method"] = "bilinear";
    config["layers"][2]["kernel"] = {3, 3};
    Network net = build_network(config, 3, 4);
    Tensor x = random_tensor({4, 14, 12, 1}, 21);
    adapt_normalization(net, {x});
    const std::vector<int> labels{0, 2, 1, 2};
    const auto loss = [&] {
        Rng d{5};
        return softmax_cross_entropy(forward(net, x, true, d), labels).loss;
    };
    zero_gradients(net);
    Rng d{5};
    backward(net, softmax_cross_entropy(forward(net, x, true, d), labels).grad);
    Checker c;
    for (auto& t : tensors(net)) {
        if (!t.grad) continue;
        const Tensor g = *t.grad;
        for (size_t i = 0; i < t.value->size(); i += 7) c.coordinate(loss, t.value->values[i], g.values[i], t.name);
    }
    EXPECT_GT(c.checked, 20);
    EXPECT_GE(c.checked, 4 * (c.checked + c.skipped) / 5);
}

}  // namespace
}  // namespace earshot::train

namespace earshot::train {
namespace {

// The checker itself must notice a wrong gradient.
TEST(TrainGradients, CheckerRejectsAWrongGradient) {
    float x = 1.5f;
    Checker c;
    c.report = false;
    const auto square = [&] { return static_cast<double>(x) * x; };
    EXPECT_FALSE(c.coordinate(square, x, 2.0f * 1.5f * 1.1f, "x^2"));
    EXPECT_TRUE(c.coordinate(square, x, 2.0f * 1.5f, "x^2"));
    EXPECT_EQ(x, 1.5f);  // restored
}

}  // namespace
}  // namespace earshot::train

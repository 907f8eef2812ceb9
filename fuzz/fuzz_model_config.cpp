// Any JSON given as a model config must build a network whose output is one score per class
// (or one sigmoid unit), or fail with an earshot::Error: never a crash, an out-of-bounds access
// later in training (the bug behind this target) or undefined behaviour.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>

#include "host/error.hpp"
#include "host/train/model_config.hpp"
#include "host/train/network.hpp"

using namespace earshot;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const int classes = 2 + data[0] % 8;
    const nlohmann::json config = nlohmann::json::parse(data + 1, data + size, nullptr, /*allow_exceptions=*/false);
    if (config.is_discarded()) return 0;
    try {
        train::Network net = train::build_network(config, classes, 1);
        (void)train::training_config(config);
        // Run a batch of two through it when that is cheap: the output must be [2, units].
        if (train::Tensor::element_count(net.input_shape) * train::parameter_count(net) > (size_t{1} << 24)) return 0;
        std::vector<int> shape{2};
        shape.insert(shape.end(), net.input_shape.begin(), net.input_shape.end());
        train::Tensor x(shape, 0.25f);
        train::Rng rng{1};
        const train::Tensor logits = train::forward(net, x, /*training=*/true, rng);
        const size_t units = net.output_activation == train::Activation::sigmoid ? 1 : static_cast<size_t>(classes);
        if (logits.shape != std::vector<int>{2, static_cast<int>(units)}) __builtin_trap();
        const auto predicted = train::predicted_classes(net, train::probabilities(net, logits));
        if (predicted.size() != 2) __builtin_trap();
        for (int c : predicted) {
            if (c < 0 || c >= classes) __builtin_trap();
        }
    } catch (const Error&) {
    }
    return 0;
}

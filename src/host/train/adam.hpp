// Adam with Keras' defaults (beta1 0.9, beta2 0.999, epsilon 1e-7) and bias correction folded
// into the step size, as tf.keras does.
#pragma once
#include <cstdint>
#include <vector>

#include "host/train/network.hpp"

namespace earshot::train {

struct AdamState {
    int64_t step = 0;
    std::vector<Tensor> m, v;  // one per trainable tensor of the network, in tensors() order
};

AdamState make_adam_state(Network& net);
// One update of every trainable layer's parameters from their accumulated gradients.
void adam_step(Network& net, AdamState& state, double learning_rate);

}  // namespace earshot::train

// Losses on logits, mean over the batch: softmax + categorical cross-entropy, and sigmoid +
// binary cross-entropy (label 1 = the target class). Both return d(loss)/d(logits).
#pragma once
#include <span>

#include "host/train/tensor.hpp"

namespace earshot::train {

struct LossResult {
    double loss = 0.0;
    Tensor grad;  // same shape as the logits
};

LossResult softmax_cross_entropy(const Tensor& logits, std::span<const int> labels);
LossResult sigmoid_binary_cross_entropy(const Tensor& logits, std::span<const int> labels);

}  // namespace earshot::train

// Transfer learning: a trained body with a new head, trained in two stages like the reference
// (head only at a high decaying rate, then everything at a low one).
#pragma once
#include <cstdint>

#include "host/train/model_config.hpp"
#include "host/train/network.hpp"

namespace earshot::train {

// The base network's layers and weights with its last (dense) layer replaced by a fresh head
// for `classes` outputs: Dense(1, sigmoid) when classes == 2 and `binary_sigmoid`, otherwise
// Dense(classes, softmax). Body weights and normalization statistics are copied unchanged.
Network with_new_head(Network& base, int classes, bool binary_sigmoid, uint64_t seed);

// Freezes (or unfreezes) every layer except the last.
void set_body_trainable(Network& net, bool trainable);

struct TransferSchedule {
    TrainingConfig head;      // stage 1: frozen body
    TrainingConfig fine_tune; // stage 2: everything
};

// The reference's recipe: stage 1 Adam 1e-2, up to 25 epochs, patience 5, decay after epoch 10;
// stage 2 Adam 1e-4, up to 10 epochs, patience 5, decay every epoch (both e^-0.1 per epoch).
TransferSchedule reference_transfer_schedule();

}  // namespace earshot::train

// Tensor lifetimes and memory figures: shared by `earshot inspect` and the arena planner.
#pragma once
#include <cstdint>
#include <vector>

#include "host/model/graph.hpp"

namespace earshot::model {

// For each tensor, the operator steps during which it must hold its value:
// [first, last] inclusive; first == -1 for constants and tensors nothing produces.
struct Lifetime {
    int64_t first = -1, last = -1;
};
std::vector<Lifetime> tensor_lifetimes(const Graph& g);

int64_t tensor_bytes(const Tensor& t);

struct MemoryEstimate {
    int64_t weight_bytes = 0;       // constant tensors: what goes to flash
    int64_t activation_bytes = 0;   // every non-constant tensor, no reuse
    int64_t peak_live_bytes = 0;    // largest sum of tensors alive at once: the arena's lower bound
};

MemoryEstimate estimate_memory(const Graph& g);

}  // namespace earshot::model

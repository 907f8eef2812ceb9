// What `earshot inspect` reports about a model: sizes and a memory estimate.
#pragma once
#include <cstdint>

#include "host/model/graph.hpp"

namespace earshot::model {

struct MemoryEstimate {
    int64_t weight_bytes = 0;       // constant tensors: what goes to flash
    int64_t activation_bytes = 0;   // every non-constant tensor, no reuse
    int64_t peak_live_bytes = 0;    // largest sum of tensors alive at once: the arena's lower bound
};

MemoryEstimate estimate_memory(const Graph& g);

}  // namespace earshot::model

#include "host/model/summary.hpp"

#include <algorithm>

namespace earshot::model {

int64_t tensor_bytes(const Tensor& t) { return element_count(t.shape) * static_cast<int64_t>(dtype_size(t.type)); }

std::vector<Lifetime> tensor_lifetimes(const Graph& g) {
    std::vector<Lifetime> life(g.tensors.size());
    const auto steps = static_cast<int64_t>(g.ops.size());
    for (int32_t t : g.inputs) life[static_cast<size_t>(t)].first = 0;
    for (int64_t i = 0; i < steps; ++i) {
        const Operator& op = g.ops[static_cast<size_t>(i)];
        for (int32_t t : op.inputs) {
            if (t >= 0) life[static_cast<size_t>(t)].last = std::max(life[static_cast<size_t>(t)].last, i);
        }
        for (int32_t t : op.outputs) {
            if (life[static_cast<size_t>(t)].first < 0) life[static_cast<size_t>(t)].first = i;
        }
    }
    for (int32_t t : g.outputs) life[static_cast<size_t>(t)].last = steps;
    for (size_t t = 0; t < life.size(); ++t) {
        if (!g.tensors[t].data.empty()) life[t] = {};  // constants live in flash, not the arena
        else if (life[t].first >= 0) life[t].last = std::max(life[t].first, life[t].last);
    }
    return life;
}

MemoryEstimate estimate_memory(const Graph& g) {
    MemoryEstimate m;
    const auto life = tensor_lifetimes(g);
    std::vector<int64_t> live(g.ops.size() + 1, 0);
    for (size_t t = 0; t < g.tensors.size(); ++t) {
        const int64_t bytes = tensor_bytes(g.tensors[t]);
        if (!g.tensors[t].data.empty()) {
            m.weight_bytes += bytes;
            continue;
        }
        if (life[t].first < 0) continue;  // never produced: unused
        m.activation_bytes += bytes;
        for (int64_t s = life[t].first; s <= life[t].last; ++s) live[static_cast<size_t>(s)] += bytes;
    }
    m.peak_live_bytes = *std::max_element(live.begin(), live.end());
    return m;
}

}  // namespace earshot::model

#include "host/model/summary.hpp"

#include <algorithm>
#include <vector>

namespace earshot::model {

MemoryEstimate estimate_memory(const Graph& g) {
    MemoryEstimate m;
    const size_t n = g.tensors.size();
    // Lifetime of each activation in operator steps: [first write or graph input, last read or graph output].
    std::vector<int64_t> first(n, -1), last(n, -1);
    const auto steps = static_cast<int64_t>(g.ops.size());
    for (int32_t t : g.inputs) first[static_cast<size_t>(t)] = 0;
    for (int64_t i = 0; i < steps; ++i) {
        const Operator& op = g.ops[static_cast<size_t>(i)];
        for (int32_t t : op.inputs) if (t >= 0) last[static_cast<size_t>(t)] = std::max(last[static_cast<size_t>(t)], i);
        for (int32_t t : op.outputs) if (first[static_cast<size_t>(t)] < 0) first[static_cast<size_t>(t)] = i;
    }
    for (int32_t t : g.outputs) last[static_cast<size_t>(t)] = steps;
    std::vector<int64_t> live(static_cast<size_t>(steps) + 1, 0);
    for (size_t t = 0; t < n; ++t) {
        const Tensor& tensor = g.tensors[t];
        const int64_t bytes = element_count(tensor.shape) * static_cast<int64_t>(dtype_size(tensor.type));
        if (!tensor.data.empty()) {
            m.weight_bytes += bytes;
            continue;
        }
        if (first[t] < 0) continue;  // never produced: unused
        m.activation_bytes += bytes;
        for (int64_t s = first[t]; s <= std::max(first[t], last[t]); ++s) live[static_cast<size_t>(s)] += bytes;
    }
    m.peak_live_bytes = live.empty() ? 0 : *std::max_element(live.begin(), live.end());
    return m;
}

}  // namespace earshot::model

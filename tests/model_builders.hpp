// Building small graphs by hand in tests.
#pragma once
#include <cstdint>
#include <vector>

#include "host/model/graph.hpp"

namespace earshot::test {

// A per-tensor quantized int8 tensor (an activation unless `data` is filled in later).
inline model::Tensor int8_tensor(const char* name, std::vector<int32_t> shape, float scale, int64_t zero_point) {
    model::Tensor t;
    t.name = name;
    t.type = model::DType::int8;
    t.shape = std::move(shape);
    t.quant.scale = {scale};
    t.quant.zero_point = {zero_point};
    return t;
}

}  // namespace earshot::test

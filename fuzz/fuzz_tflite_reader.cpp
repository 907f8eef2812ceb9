// Any byte string given to the .tflite reader must produce a graph or an earshot::Error:
// never a crash, a hang, an out-of-bounds read or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <span>

#include "host/error.hpp"
#include "host/model/tflite_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        const auto graph = earshot::model::read_tflite(std::span<const uint8_t>(data, size), "fuzz.tflite");
        // Touch what a caller would use, so lazily wrong data would show up here.
        size_t bytes = 0;
        for (const auto& t : graph.tensors) bytes += t.data.size() + t.shape.size();
        (void)bytes;
    } catch (const earshot::Error&) {
    }
    return 0;
}

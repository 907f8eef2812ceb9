#include "host/dsp/log_band_columns.hpp"

namespace earshot::dsp {

std::vector<int16_t> log_band_columns(const std::vector<int16_t>& pcm, const LogBandLayout& layout) {
    std::vector<int16_t> ring(2 * static_cast<size_t>(layout.columns * layout.bands));
    LogBandStream stream(layout, ring.data());
    const size_t blocks = pcm.size() / kStreamChunk;
    std::vector<int16_t> columns;
    columns.reserve(blocks * static_cast<size_t>(layout.bands));
    for (size_t b = 0; b < blocks; ++b) {
        stream.push(pcm.data() + b * kStreamChunk);
        const int16_t* newest = stream.columns() + (layout.columns - 1) * layout.bands;
        columns.insert(columns.end(), newest, newest + layout.bands);
    }
    return columns;
}

}  // namespace earshot::dsp

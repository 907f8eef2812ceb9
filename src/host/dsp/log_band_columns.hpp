// The raw log band columns (blocks x bands) of a whole recording, streamed from its start as the
// device would hear it (core's LogBandStream, one column per 512-sample block).
#pragma once
#include <cstdint>
#include <vector>

#include "core/dsp/log_bands.hpp"

namespace earshot::dsp {

std::vector<int16_t> log_band_columns(const std::vector<int16_t>& pcm, const LogBandLayout& layout);

}  // namespace earshot::dsp

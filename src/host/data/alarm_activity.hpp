// Which moments of an alarm recording hold alarm sound, from its own log band energies: weakly
// labelled recordings (a 10 s AudioSet "fire alarm" clip may ring for 3 s amid talk and TV) and
// the 1.5 s pauses of the temporal-3 pattern must not be taught as "alarm".
//
// The rule: an alarm is a tone that stands out of its neighbourhood. Per block, a band's
// prominence is its per-bin level above the mean of the bands two away on either side. The recording's
// alarm band is the band between 400 Hz and 6 kHz with the highest 90th-percentile prominence;
// a block is active when that band (or one beside it) is at least 9 dB prominent and within
// 25 dB of its loudest block.
#pragma once
#include <cstdint>
#include <vector>

#include "core/dsp/log_bands.hpp"

namespace earshot::data {

// columns: blocks x bands, raw log band energies (LogBandStream::columns order, not mean-removed).
std::vector<uint8_t> alarm_activity(const std::vector<int16_t>& columns, const dsp::LogBandLayout& layout);

}  // namespace earshot::data

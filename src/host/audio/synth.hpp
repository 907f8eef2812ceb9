// A deterministic example clip so the main job runs with no downloads: a smoke-alarm
// temporal-3 pattern (0.5 s on / 0.5 s off x 3, then 1.5 s off) at ~3.1 kHz with harmonics,
// over a soft noise floor. Issue 5 grows this into the full default-data generator.
#pragma once
#include <cstdint>
#include <vector>

namespace earshot::audio {

struct AlarmSynthOptions {
    double seconds = 4.0;
    double tone_hz = 3100.0;
    double level = 0.5;        // tone peak, fraction of full scale
    double noise_level = 0.02; // noise RMS, fraction of full scale
    uint32_t seed = 1;
};

// 16 kHz mono int16.
std::vector<int16_t> synthesize_alarm(const AlarmSynthOptions& options = {});

}  // namespace earshot::audio

// Generated test scenes: real alarm clips placed into real background at known times and SNRs,
// so recall, latency and false alarms are measured together with exact labels. A scene is
// background (random stretches of the background recordings, back to back) for a lead of 4 to
// 10 s, the alarm (its labelled span, at most 10 s) mixed in at an SNR drawn from [lo, hi] dB
// (alarm power over background power during the alarm), then 4 s more background.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "host/eval/detection.hpp"

namespace earshot::eval {

struct Clip {
    std::string name;
    std::vector<int16_t> pcm;     // 16 kHz
    std::vector<Interval> events; // alarm spans in the clip (alarm clips only)
};

struct Scene {
    std::string name;             // "scene007"
    std::vector<int16_t> pcm;
    std::vector<Interval> events; // exactly where the alarm was placed
    double snr_db = 0.0;
    std::string alarm, background;  // source clip names (the first background stretch)
};

// Throws earshot::Error when there are no alarm clips or no background audio.
std::vector<Scene> make_scenes(const std::vector<Clip>& alarms, const std::vector<Clip>& backgrounds, int count, double snr_lo,
                               double snr_hi, uint64_t seed);

}  // namespace earshot::eval

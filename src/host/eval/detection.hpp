// Scoring a detector like a user would: the decision rule run over a recording's block scores,
// its alarm periods matched against the labelled events. An event counts as detected when the
// alarm is on at some point inside it (from `before` seconds ahead of its onset, which absorbs
// rough labels, to `after` seconds past its offset, since the model still hears the last
// second); latency runs from the labelled onset to the first moment the alarm is on. Every
// alarm onset outside all event windows is a false alarm, counted per hour of the audio outside
// those windows.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/detect/decision.hpp"

namespace earshot::eval {

struct Interval {
    double onset = 0.0, offset = 0.0;  // seconds
    double latency_from = -1.0;        // where latency is measured from (< 0: the onset)
};

struct Collars {
    double before = 0.5, after = 1.0;
};

// Alarm-on periods: from the end of the block that turned it on to the end of the block that
// turned it off (or the end of the stream).
std::vector<Interval> alarm_periods(const std::vector<int8_t>& q, const detect::DecisionParams& p);

struct FileScore {
    int events = 0, detected = 0;
    std::vector<double> latencies;        // one per detected event, seconds
    std::vector<double> missed;           // onsets of the events never detected
    std::vector<double> false_alarms;     // times of the onsets outside every event window
    double seconds = 0.0;                 // audio scored (whole blocks)
    double background_seconds = 0.0;      // of which outside every event window
};

FileScore score_file(const std::vector<int8_t>& q, const std::vector<Interval>& events, const detect::DecisionParams& p,
                     const Collars& collars = {});

struct Summary {
    int events = 0, detected = 0, false_alarms = 0;
    double background_hours = 0.0, audio_hours = 0.0;
    double recall = 0.0;                  // detected / events (0 when there are no events)
    double false_alarms_per_hour = 0.0;
    double median_latency = 0.0, p95_latency = 0.0;  // seconds, over detected events (0 when none)
};

Summary summarize(const std::vector<FileScore>& files);

}  // namespace earshot::eval

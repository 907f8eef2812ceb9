#include "host/eval/detection.hpp"

#include <algorithm>
#include <cmath>

namespace earshot::eval {
namespace {

constexpr double kBlockSeconds = 0.032;

// Linear-interpolated percentile (0..100) of a sorted list.
double percentile(const std::vector<double>& sorted, double pct) {
    if (sorted.empty()) return 0.0;
    const double at = pct / 100.0 * static_cast<double>(sorted.size() - 1);
    const size_t lo = static_cast<size_t>(std::floor(at)), hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - static_cast<double>(lo));
}

}  // namespace

std::vector<Interval> alarm_periods(const std::vector<int8_t>& q, const detect::DecisionParams& p) {
    std::vector<Interval> out;
    detect::DecisionState s;
    detect::decision_reset(s);
    for (size_t b = 0; b < q.size(); ++b) {
        const detect::DecisionEvent e = detect::decision_step(p, s, q[b]);
        const double t = detect::block_end_ms(static_cast<uint32_t>(b)) / 1000.0;
        if (e == detect::DecisionEvent::onset) out.push_back({t, t});
        if (s.on || e == detect::DecisionEvent::offset) out.back().offset = t;
    }
    return out;
}

FileScore score_file(const std::vector<int8_t>& q, const std::vector<Interval>& events, const detect::DecisionParams& p,
                     const Collars& collars) {
    FileScore f;
    f.seconds = static_cast<double>(q.size()) * kBlockSeconds;
    const std::vector<Interval> periods = alarm_periods(q, p);
    std::vector<Interval> windows;
    for (const Interval& e : events) windows.push_back({std::max(0.0, e.onset - collars.before), e.offset + collars.after});
    f.events = static_cast<int>(events.size());
    for (size_t i = 0; i < events.size(); ++i) {
        double first_on = -1.0;
        for (const Interval& a : periods) {
            if (a.offset >= windows[i].onset && a.onset <= windows[i].offset) {
                first_on = std::max(a.onset, windows[i].onset);
                break;
            }
        }
        if (first_on < 0) {
            f.missed.push_back(events[i].onset);
        } else {
            ++f.detected;
            const double origin = events[i].latency_from >= 0 ? events[i].latency_from : events[i].onset;
            f.latencies.push_back(std::max(0.0, first_on - origin));
        }
    }
    for (const Interval& a : periods) {
        const bool inside = std::any_of(windows.begin(), windows.end(), [&](const Interval& w) { return a.onset >= w.onset && a.onset <= w.offset; });
        if (!inside) f.false_alarms.push_back(a.onset);
    }
    // Background time: the scored audio minus the union of the event windows.
    std::sort(windows.begin(), windows.end(), [](const Interval& a, const Interval& b) { return a.onset < b.onset; });
    double covered = 0.0, reach = 0.0;
    for (const Interval& w : windows) {
        const double lo = std::max({w.onset, reach, 0.0}), hi = std::min(w.offset, f.seconds);
        if (hi > lo) covered += hi - lo;
        reach = std::max(reach, w.offset);
    }
    f.background_seconds = std::max(0.0, f.seconds - covered);
    return f;
}

Summary summarize(const std::vector<FileScore>& files) {
    Summary s;
    std::vector<double> latencies;
    double background = 0.0, audio = 0.0;
    for (const FileScore& f : files) {
        s.events += f.events;
        s.detected += f.detected;
        s.false_alarms += static_cast<int>(f.false_alarms.size());
        background += f.background_seconds;
        audio += f.seconds;
        latencies.insert(latencies.end(), f.latencies.begin(), f.latencies.end());
    }
    std::sort(latencies.begin(), latencies.end());
    s.background_hours = background / 3600.0;
    s.audio_hours = audio / 3600.0;
    s.recall = s.events ? static_cast<double>(s.detected) / s.events : 0.0;
    s.false_alarms_per_hour = s.background_hours > 0 ? s.false_alarms / s.background_hours : 0.0;
    s.median_latency = percentile(latencies, 50.0);
    s.p95_latency = percentile(latencies, 95.0);
    return s;
}

}  // namespace earshot::eval

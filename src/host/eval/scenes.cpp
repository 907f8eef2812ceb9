#include "host/eval/scenes.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "host/error.hpp"
#include "host/train/rng.hpp"

namespace earshot::eval {
namespace {

constexpr int kRate = 16000;
constexpr double kMaxAlarmSeconds = 10.0, kTailSeconds = 4.0;

double power(const std::vector<float>& x, size_t from, size_t to) {
    double sum = 0.0;
    for (size_t i = from; i < to; ++i) sum += static_cast<double>(x[i]) * x[i];
    return to > from ? sum / static_cast<double>(to - from) : 0.0;
}

// `length` samples of background: random stretches of random clips, back to back.
std::vector<float> background_bed(const std::vector<Clip>& backgrounds, size_t length, train::Rng& rng, std::string& first) {
    std::vector<float> bed;
    bed.reserve(length);
    while (bed.size() < length) {
        const Clip& c = backgrounds[static_cast<size_t>(rng.below(backgrounds.size()))];
        if (bed.empty()) first = c.name;
        const size_t start = static_cast<size_t>(rng.below(c.pcm.size() / 2 + 1));
        for (size_t i = start; i < c.pcm.size() && bed.size() < length; ++i) bed.push_back(c.pcm[i]);
    }
    return bed;
}

}  // namespace

std::vector<Scene> make_scenes(const std::vector<Clip>& alarms, const std::vector<Clip>& backgrounds, int count, double snr_lo,
                               double snr_hi, uint64_t seed) {
    if (alarms.empty()) throw Error("--scenes needs alarm recordings (--alarms DIR)");
    size_t background_samples = 0;
    for (const Clip& c : backgrounds) background_samples += c.pcm.size();
    if (background_samples < kRate) throw Error("--scenes needs at least 1 s of background recordings (--background DIR)");
    std::vector<Clip> bg;
    for (const Clip& c : backgrounds) {
        if (!c.pcm.empty()) bg.push_back(c);
    }
    train::Rng rng{seed * 0x9E3779B97F4A7C15ull + 17};
    std::vector<Scene> scenes;
    for (int i = 0; i < count; ++i) {
        const Clip& alarm = alarms[static_cast<size_t>(i) % alarms.size()];  // every clip in turn
        // The alarm's labelled span (the whole clip when unlabelled), at most 10 s of it.
        Interval span{0.0, static_cast<double>(alarm.pcm.size()) / kRate};
        if (!alarm.events.empty()) span = alarm.events[static_cast<size_t>(rng.below(alarm.events.size()))];
        const size_t a0 = std::min(alarm.pcm.size(), static_cast<size_t>(span.onset * kRate));
        const size_t a1 = std::min({alarm.pcm.size(), static_cast<size_t>(span.offset * kRate), a0 + static_cast<size_t>(kMaxAlarmSeconds * kRate)});
        if (a1 <= a0) continue;
        const size_t lead = static_cast<size_t>((4.0 + 6.0 * rng.uniform()) * kRate);
        const size_t length = lead + (a1 - a0) + static_cast<size_t>(kTailSeconds * kRate);
        Scene s;
        char name[32];
        std::snprintf(name, sizeof name, "scene%03d", i);
        s.name = name;
        s.alarm = alarm.name;
        std::vector<float> mix = background_bed(bg, length, rng, s.background);
        std::vector<float> tone(alarm.pcm.begin() + static_cast<std::ptrdiff_t>(a0), alarm.pcm.begin() + static_cast<std::ptrdiff_t>(a1));
        s.snr_db = snr_lo + (snr_hi - snr_lo) * rng.uniform();
        const double p_alarm = power(tone, 0, tone.size()), p_bg = std::max(power(mix, lead, lead + tone.size()), 1.0);
        const double gain = p_alarm > 0 ? std::sqrt(p_bg * std::pow(10.0, s.snr_db / 10.0) / p_alarm) : 0.0;
        for (size_t k = 0; k < tone.size(); ++k) mix[lead + k] += static_cast<float>(gain * tone[k]);
        // Too loud for int16 after mixing: turn the whole scene down (clipping would be a new sound).
        float peak = 1.0f;
        for (float v : mix) peak = std::max(peak, std::fabs(v));
        const float scale = peak > 32767.0f ? 32767.0f / peak : 1.0f;
        s.pcm.resize(mix.size());
        for (size_t k = 0; k < mix.size(); ++k) s.pcm[k] = static_cast<int16_t>(std::lround(mix[k] * scale));
        // Latency from the alarm's first sound in the placed stretch, when the clip says where that is.
        const double origin = span.latency_from > span.onset ? std::min(span.latency_from - span.onset, static_cast<double>(tone.size()) / kRate) : 0.0;
        s.events.push_back({static_cast<double>(lead) / kRate, static_cast<double>(lead + tone.size()) / kRate, static_cast<double>(lead) / kRate + origin});
        scenes.push_back(std::move(s));
    }
    return scenes;
}

}  // namespace earshot::eval

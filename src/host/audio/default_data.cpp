#include "host/audio/default_data.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/dsp/frame_constants.hpp"
#include "host/audio/pcm16.hpp"
#include "host/error.hpp"
#include "host/train/rng.hpp"

namespace earshot::audio {
namespace {

constexpr double kRate = dsp::kSampleRate;
constexpr double kTwoPi = 2.0 * std::numbers::pi;

struct Random {
    train::Rng rng;
    double uniform(double lo, double hi) { return lo + (hi - lo) * static_cast<double>(rng.next() >> 11) * (1.0 / 9007199254740992.0); }
    double white() { return uniform(-1.0, 1.0); }
    bool chance(double p) { return uniform(0.0, 1.0) < p; }
};

size_t samples_for(double seconds) { return static_cast<size_t>(std::llround(seconds * kRate)); }

// Scales to a peak of `peak` (silence stays silence).
void normalize_peak(std::vector<double>& x, double peak) {
    double m = 0.0;
    for (double v : x) m = std::max(m, std::fabs(v));
    if (m > 0.0) for (double& v : x) v *= peak / m;
}

// Paul Kellet's economical pink filter.
void add_pink(std::vector<double>& x, Random& r, double level) {
    double b0 = 0, b1 = 0, b2 = 0;
    for (double& v : x) {
        const double w = r.white();
        b0 = 0.99765 * b0 + w * 0.0990460;
        b1 = 0.96300 * b1 + w * 0.2965164;
        b2 = 0.57000 * b2 + w * 1.0526913;
        v += level * 0.25 * (b0 + b1 + b2 + w * 0.1848);
    }
}

void add_white(std::vector<double>& x, Random& r, double level) {
    for (double& v : x) v += level * r.white();
}

// Distance: a one-pole low-pass; room: a feedback comb (a few echoes of decaying level).
void distance_and_room(std::vector<double>& x, Random& r) {
    const double lp = r.uniform(0.35, 1.0);
    double state = 0.0;
    for (double& v : x) v = state += lp * (v - state);
    const size_t delay = static_cast<size_t>(r.uniform(0.015, 0.06) * kRate);
    const double feedback = r.uniform(0.0, 0.6);
    for (size_t i = delay; i < x.size(); ++i) x[i] += feedback * x[i - delay];
}

std::vector<int16_t> finish(const std::vector<double>& x) {
    std::vector<float> f(x.size());
    for (size_t i = 0; i < x.size(); ++i) f[i] = static_cast<float>(std::clamp(x[i], -1.0, 1.0));
    return to_pcm16(f);
}

// An alarm as a microphone across the house hears it: distance and room, sometimes an
// overdriven recording (hard clipping), a random level, and a noise floor.
std::vector<int16_t> as_heard(std::vector<double>& x, Random& r) {
    distance_and_room(x, r);
    normalize_peak(x, 1.0);
    if (r.chance(0.3)) {
        const double drive = r.uniform(1.5, 4.0);
        for (double& v : x) v = std::clamp(v * drive, -1.0, 1.0);
    }
    const double level = r.uniform(0.05, 0.9);
    for (double& v : x) v *= level;
    if (r.chance(0.5)) add_white(x, r, r.uniform(0.001, 0.05));
    else add_pink(x, r, r.uniform(0.002, 0.08));
    return finish(x);
}

}  // namespace

const char* background_name(BackgroundKind kind) {
    static const char* const names[] = {"white_noise", "pink_noise", "brown_noise", "hum", "babble", "clicks", "music", "beeps", "silence"};
    return names[static_cast<int>(kind)];
}

std::vector<int16_t> synthesize_alarm_clip(uint64_t seed, double seconds, std::vector<uint8_t>* beeping) {
    Random r{{seed * 2654435761u + 17}};
    std::vector<double> x(samples_for(seconds), 0.0);
    if (beeping) beeping->assign(x.size(), 0);
    const double f0 = r.uniform(2900.0, 3500.0), second = r.uniform(0.05, 0.4), start = r.uniform(0.0, 4.0);
    const double ramp = 0.005;  // 5 ms on/off ramps, as a piezo driver has
    for (size_t i = 0; i < x.size(); ++i) {
        const double t = static_cast<double>(i) / kRate;
        const double cycle = std::fmod(t + start, 4.0);
        if (cycle >= 3.0) continue;
        const double in_beep = std::fmod(cycle, 1.0);
        if (in_beep >= 0.5) continue;
        const double env = std::min({1.0, in_beep / ramp, (0.5 - in_beep) / ramp});
        if (beeping) (*beeping)[i] = 1;
        x[i] = env * (std::sin(kTwoPi * f0 * t) + second * std::sin(kTwoPi * 2.0 * f0 * t + 0.3));
    }
    return as_heard(x, r);
}

namespace {

// How a sounder turns on and off, and how its pitch moves (t in seconds, from a random phase).
struct SounderShape {
    bool on;
    double pitch;  // times the fundamental
};

SounderShape sounder_shape(SounderPattern p, double t, const double* a) {
    switch (p) {
        case SounderPattern::temporal3: {  // ISO 8201: 0.5 s on / 0.5 s off x 3, 1.5 s off
            const double cycle = std::fmod(t, 4.0);
            return {cycle < 3.0 && std::fmod(cycle, 1.0) < 0.5, 1.0};
        }
        case SounderPattern::temporal4: {  // CO alarms: 0.1 s on / 0.1 s off x 4, then a pause a[0]
            const double cycle = std::fmod(t, 0.8 + a[0]);
            return {cycle < 0.8 && std::fmod(cycle, 0.2) < 0.1, 1.0};
        }
        case SounderPattern::continuous: return {true, 1.0};
        case SounderPattern::pulsed: return {std::fmod(t, a[1]) < 0.5 * a[1], 1.0};  // march time, period a[1]
        case SounderPattern::whoop: {  // slow whoop: a rising sweep over 3.5 s, 0.5 s off
            const double cycle = std::fmod(t, 4.0);
            return {cycle < 3.5, 1.0 + (a[2] - 1.0) * cycle / 3.5};
        }
        case SounderPattern::two_tone: return {true, std::fmod(t, 2 * a[3]) < a[3] ? 1.0 : a[2] * 0.5 + 0.5};  // alternating tones
        case SounderPattern::warble: return {true, 1.0 + 0.25 * (a[2] - 1.0) * std::sin(kTwoPi * a[4] * t)};
        case SounderPattern::bell: return {true, 1.0};
    }
    return {false, 1.0};
}

Random sounder_random(uint64_t seed) { return Random{{seed * 0x2545F4914F6CDD1Dull + 29}}; }

// One of the patterns in the mask (bit p for pattern p), each as likely.
SounderPattern draw_pattern(Random& r, uint32_t patterns) {
    int allowed[kSounderPatterns], count = 0;
    for (int p = 0; p < kSounderPatterns; ++p) {
        if (patterns & (1u << p)) allowed[count++] = p;
    }
    if (count == 0) throw Error("no sounder pattern to draw from");
    return static_cast<SounderPattern>(allowed[std::min(count - 1, static_cast<int>(r.uniform(0.0, count)))]);
}

}  // namespace

SounderPattern sounder_pattern_of(uint64_t seed, uint32_t patterns) {
    Random r = sounder_random(seed);
    return draw_pattern(r, patterns);
}

uint32_t parse_sounder_patterns(const std::string& list) {
    uint32_t mask = 0;
    size_t start = 0;
    while (start <= list.size()) {
        const size_t comma = std::min(list.find(',', start), list.size());
        const std::string name = list.substr(start, comma - start);
        int found = -1;
        for (int p = 0; p < kSounderPatterns; ++p) {
            if (name == sounder_pattern_name(static_cast<SounderPattern>(p))) found = p;
        }
        if (found < 0) {
            std::string known;
            for (int p = 0; p < kSounderPatterns; ++p) known += std::string(p ? ", " : "") + sounder_pattern_name(static_cast<SounderPattern>(p));
            throw Error("unknown sounder pattern '" + name + "' (known: " + known + ")");
        }
        mask |= 1u << found;
        start = comma + 1;
    }
    return mask;
}

const char* sounder_pattern_name(SounderPattern p) {
    static const char* const names[] = {"temporal3", "temporal4", "continuous", "pulsed", "whoop", "two_tone", "warble", "bell"};
    return names[static_cast<int>(p)];
}

std::vector<int16_t> synthesize_sounder_clip(uint64_t seed, double seconds, std::vector<uint8_t>* beeping, uint32_t patterns) {
    Random r = sounder_random(seed);
    std::vector<double> x(samples_for(seconds), 0.0);
    if (beeping) beeping->assign(x.size(), 0);
    const auto pattern = draw_pattern(r, patterns);
    // 0.5-4 kHz, evenly on a log scale; a slow whoop starts at 400-800 Hz (it rises 1.2-2.4x).
    const double f0 = pattern == SounderPattern::whoop ? r.uniform(400.0, 800.0) : 500.0 * std::pow(8.0, r.uniform(0.0, 1.0));
    // Pattern parameters: CO pause, march-time period, sweep or second-tone ratio, tone length, warble rate.
    const double a[5] = {r.uniform(1.0, 3.0), r.uniform(0.2, 1.0), r.uniform(1.2, 2.4), r.uniform(0.25, 0.6), r.uniform(4.0, 12.0)};
    const int timbre = static_cast<int>(r.uniform(0.0, 3.0));  // piezo (2nd harmonic), square-ish, horn (2nd + 3rd)
    const double second = r.uniform(0.05, 0.4), strike_rate = r.uniform(12.0, 25.0), start = r.uniform(0.0, 8.0);
    const double ramp = 0.005;
    double phase = 0.0, gate = 0.0;
    for (size_t i = 0; i < x.size(); ++i) {
        const double t = static_cast<double>(i) / kRate + start;
        const SounderShape shape = sounder_shape(pattern, t, a);
        gate = std::clamp(gate + (shape.on ? 1.0 : -1.0) / (ramp * kRate), 0.0, 1.0);  // 5 ms ramps
        const double f = f0 * shape.pitch;
        phase += kTwoPi * f / kRate;  // unwrapped: the bell's partials are not whole multiples
        if (gate <= 0.0) continue;
        if (beeping && shape.on) (*beeping)[i] = 1;
        double v = 0.0;
        if (pattern == SounderPattern::bell) {  // a striker on a gong: inharmonic partials, each strike decaying
            const double since = std::fmod(t, 1.0 / strike_rate), env = std::exp(-since * 30.0);
            const double partials[3][2] = {{1.0, 1.0}, {2.76, 0.6}, {5.40, 0.3}};
            for (const auto& pa : partials) {
                if (f * pa[0] < 7500.0) v += env * pa[1] * std::sin(phase * pa[0]);
            }
        } else if (timbre == 1) {  // square-ish: odd harmonics at 1/k below 7.5 kHz
            for (int k = 1; k <= 15 && f * k < 7500.0; k += 2) v += std::sin(phase * k) / k;
        } else {
            v = std::sin(phase) + (f * 2 < 7500.0 ? second * std::sin(2.0 * phase + 0.3) : 0.0);
            if (timbre == 2 && f * 3 < 7500.0) v += 0.5 * second * std::sin(3.0 * phase);
        }
        x[i] = gate * v;
    }
    return as_heard(x, r);
}

std::vector<int16_t> synthesize_background_clip(BackgroundKind kind, uint64_t seed, double seconds) {
    Random r{{seed * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(kind) * 7919 + 3}};
    std::vector<double> x(samples_for(seconds), 0.0);
    const double level = r.uniform(0.05, 0.7);
    switch (kind) {
        case BackgroundKind::white: add_white(x, r, 1.0); break;
        case BackgroundKind::pink: add_pink(x, r, 1.0); break;
        case BackgroundKind::brown: {
            double s = 0.0;
            for (double& v : x) v = s = 0.995 * s + 0.1 * r.white();
            break;
        }
        case BackgroundKind::hum: {
            const double mains = r.chance(0.5) ? 50.0 : 60.0;
            double amps[12];
            for (double& a : amps) a = r.uniform(0.0, 1.0) * r.uniform(0.2, 1.0);
            for (size_t i = 0; i < x.size(); ++i) {
                const double t = static_cast<double>(i) / kRate;
                for (int h = 1; h <= 12; ++h) x[i] += amps[h - 1] / h * std::sin(kTwoPi * mains * h * t + h);
            }
            add_white(x, r, 0.02);
            break;
        }
        case BackgroundKind::babble: {  // noise through three moving formant resonators, syllable-rate envelope
            double f[3] = {500, 1500, 2500}, y1[3] = {}, y2[3] = {};
            size_t next_change = 0;
            const double rate = r.uniform(3.0, 6.0);
            for (size_t i = 0; i < x.size(); ++i) {
                if (i == next_change) {
                    f[0] = r.uniform(300, 900), f[1] = r.uniform(900, 2500), f[2] = r.uniform(2300, 3500);
                    next_change = i + static_cast<size_t>(r.uniform(0.08, 0.25) * kRate);
                }
                const double w = r.white(), t = static_cast<double>(i) / kRate;
                double sum = 0.0;
                for (int k = 0; k < 3; ++k) {  // two-pole resonator, radius 0.97
                    const double a1 = 2 * 0.97 * std::cos(kTwoPi * f[k] / kRate), a2 = -0.97 * 0.97;
                    const double y = w + a1 * y1[k] + a2 * y2[k];
                    y2[k] = y1[k], y1[k] = y;
                    sum += y / (k + 1);
                }
                x[i] = sum * (0.55 + 0.45 * std::sin(kTwoPi * rate * t));
            }
            break;
        }
        case BackgroundKind::clicks: {
            const double per_second = r.uniform(2.0, 20.0);
            for (size_t i = 0; i < x.size(); ++i) {
                if (!r.chance(per_second / kRate)) continue;
                const double amp = r.uniform(0.2, 1.0) * (r.chance(0.5) ? 1 : -1), decay = r.uniform(0.0005, 0.004) * kRate;
                for (size_t k = 0; k < static_cast<size_t>(decay * 6) && i + k < x.size(); ++k) x[i + k] += amp * std::exp(-static_cast<double>(k) / decay) * r.white();
            }
            add_white(x, r, 0.003);
            break;
        }
        case BackgroundKind::music: {
            size_t i = 0;
            while (i < x.size()) {
                const double f0 = 110.0 * std::pow(2.0, std::floor(r.uniform(0, 36)) / 12.0);  // a semitone grid, A2..A5
                const size_t len = static_cast<size_t>(r.uniform(0.1, 0.5) * kRate);
                const int harmonics = static_cast<int>(r.uniform(2, 7));
                for (size_t k = 0; k < len && i + k < x.size(); ++k) {
                    const double t = static_cast<double>(k) / kRate, env = std::min(1.0, t / 0.01) * std::exp(-t * 4.0);
                    for (int h = 1; h <= harmonics && f0 * h < 7500.0; ++h) x[i + k] += env / h * std::sin(kTwoPi * f0 * h * t);
                }
                i += len;
            }
            add_white(x, r, 0.005);
            break;
        }
        case BackgroundKind::beeps: {  // appliance beeps: one tone, irregular on/off
            const double f = r.uniform(400.0, 2000.0);
            bool on = false;
            size_t next = 0;
            for (size_t i = 0; i < x.size(); ++i) {
                if (i == next) {
                    on = !on;
                    next = i + static_cast<size_t>(r.uniform(on ? 0.08 : 0.1, on ? 0.6 : 1.2) * kRate);
                }
                if (on) x[i] = std::sin(kTwoPi * f * static_cast<double>(i) / kRate);
            }
            add_white(x, r, 0.01);
            break;
        }
        case BackgroundKind::silence: add_white(x, r, 1.0); break;
    }
    normalize_peak(x, kind == BackgroundKind::silence ? r.uniform(0.0005, 0.004) : level);
    return finish(x);
}

std::vector<LabelledClip> generate_default_data(int alarms, int per_kind, double seconds, uint64_t seed) {
    std::vector<LabelledClip> out;
    for (int i = 0; i < alarms; ++i) {
        LabelledClip c{"alarm", {}, {}};
        c.samples = synthesize_alarm_clip(seed * 100003 + static_cast<uint64_t>(i), seconds, &c.beeping);
        out.push_back(std::move(c));
    }
    for (int k = 0; k < kBackgroundKinds; ++k) {
        const auto kind = static_cast<BackgroundKind>(k);
        for (int i = 0; i < per_kind; ++i) out.push_back({background_name(kind), synthesize_background_clip(kind, seed * 100003 + static_cast<uint64_t>(i), seconds), {}});
    }
    return out;
}

}  // namespace earshot::audio

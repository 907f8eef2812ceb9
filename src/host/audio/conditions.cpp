#include "host/audio/conditions.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "host/error.hpp"

namespace earshot::audio {
namespace {

constexpr double kRate = 16000.0;
constexpr double kPi = 3.14159265358979323846;

struct Biquad {
    double b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0;
    void run(std::vector<float>& x) const {
        double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
        for (float& s : x) {
            const double y = b0 * s + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
            x2 = x1;
            x1 = s;
            y2 = y1;
            y1 = y;
            s = static_cast<float>(y);
        }
    }
};

// The RBJ audio EQ cookbook's filters, normalized by a0.
Biquad rbj(int kind, double f0, double q, double gain_db = 0.0) {
    const double w = 2 * kPi * f0 / kRate, c = std::cos(w), alpha = std::sin(w) / (2 * q), a = std::pow(10.0, gain_db / 40);
    double b0, b1, b2, a0, a1, a2;
    if (kind == 0) {  // high-pass
        b0 = (1 + c) / 2, b1 = -(1 + c), b2 = (1 + c) / 2, a0 = 1 + alpha, a1 = -2 * c, a2 = 1 - alpha;
    } else if (kind == 1) {  // low-pass
        b0 = (1 - c) / 2, b1 = 1 - c, b2 = (1 - c) / 2, a0 = 1 + alpha, a1 = -2 * c, a2 = 1 - alpha;
    } else {  // peaking
        b0 = 1 + alpha * a, b1 = -2 * c, b2 = 1 - alpha * a, a0 = 1 + alpha / a, a1 = -2 * c, a2 = 1 - alpha / a;
    }
    return {b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0};
}

double uniform(train::Rng& rng, double lo, double hi) { return lo + (hi - lo) * rng.uniform(); }

}  // namespace

double mean_power(std::span<const float> x) {
    double sum = 0;
    for (float v : x) sum += static_cast<double>(v) * v;
    return x.empty() ? 0.0 : sum / static_cast<double>(x.size());
}

std::vector<float> mix_at_snr(std::span<const float> target, std::span<const float> other, double snr_db) {
    std::vector<float> out(target.begin(), target.end());
    const double pt = mean_power(target), po = mean_power(other.first(std::min(other.size(), target.size())));
    if (po <= 0) return out;
    const double gain = pt > 0 ? std::sqrt(pt / (po * std::pow(10.0, snr_db / 10))) : 1.0;
    for (size_t i = 0; i < out.size() && i < other.size(); ++i) out[i] += static_cast<float>(gain * other[i]);
    return out;
}

void add_room(std::vector<float>& x, train::Rng& rng) {
    const double rt60 = uniform(rng, 0.15, 0.9), wet = uniform(rng, 0.2, 0.7);
    const int comb_delays[4] = {1116, 1188, 1277, 1356};  // samples at 16 kHz: 70-85 ms, mutually prime-ish
    const int allpass_delays[2] = {225, 556};
    std::vector<float> wet_sum(x.size(), 0.0f);
    for (int delay : comb_delays) {
        const int d = static_cast<int>(delay * uniform(rng, 0.6, 1.0));
        const double g = std::pow(10.0, -3.0 * d / (rt60 * kRate));  // -60 dB after rt60
        std::vector<float> line(static_cast<size_t>(d), 0.0f);
        size_t at = 0;
        for (size_t i = 0; i < x.size(); ++i) {
            const float y = line[at];
            line[at] = static_cast<float>(x[i] + g * y);
            at = (at + 1) % line.size();
            wet_sum[i] += y * 0.25f;
        }
    }
    for (int d : allpass_delays) {
        std::vector<float> line(static_cast<size_t>(d), 0.0f);
        size_t at = 0;
        for (float& s : wet_sum) {
            const float delayed = line[at];
            const float in = s;
            line[at] = static_cast<float>(in + 0.5 * delayed);
            s = static_cast<float>(delayed - 0.5 * in);
            at = (at + 1) % line.size();
        }
    }
    for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>((1 - wet) * x[i] + wet * wet_sum[i]);
}

void apply_microphone(std::vector<float>& x, train::Rng& rng) {
    rbj(0, uniform(rng, 80, 400), 0.707).run(x);
    rbj(2, uniform(rng, 2000, 6000), uniform(rng, 0.7, 2.0), uniform(rng, 2, 9)).run(x);
    rbj(1, uniform(rng, 3500, 7500), 0.707).run(x);
}

void clip_at(std::vector<float>& x, double overdrive) {
    float peak = 1.0f;
    for (float v : x) peak = std::max(peak, std::fabs(v));
    const float scale = static_cast<float>(32767.0 * overdrive / peak);
    for (float& v : x) v = std::clamp(v * scale, -32767.0f, 32767.0f);
}

std::vector<int16_t> to_int16(std::span<const float> x, double gain_db) {
    const double g = std::pow(10.0, gain_db / 20);
    std::vector<int16_t> out(x.size());
    for (size_t i = 0; i < x.size(); ++i) out[i] = static_cast<int16_t>(std::clamp(std::lround(x[i] * g), -32768L, 32767L));
    return out;
}

std::vector<float> played_slower(std::span<const int16_t> x, size_t length, double ratio) {
    if (!(ratio > 0.0 && ratio <= 1.0)) throw Error("played_slower: ratio must be in (0, 1]");
    const double span = static_cast<double>(length) * ratio;
    if (span > static_cast<double>(x.size())) throw Error("played_slower: not enough samples");
    const double from = static_cast<double>(x.size()) - span;
    std::vector<float> out(length);
    for (size_t j = 0; j < length; ++j) {
        const double at = from + static_cast<double>(j) * ratio;
        const auto i = std::min(static_cast<size_t>(at), x.size() - 1);
        const float next = i + 1 < x.size() ? x[i + 1] : x[i];
        out[j] = x[i] + static_cast<float>(at - static_cast<double>(i)) * (next - x[i]);
    }
    return out;
}

}  // namespace earshot::audio

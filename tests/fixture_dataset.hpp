// A small ESC-50-layout dataset generated on the spot: four synthetic classes a correct trainer
// separates almost perfectly (low tone, high tone, band noise, click train), with per-clip
// variation in pitch, level and noise so that it is not memorization.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "host/audio/wav_writer.hpp"
#include "host/train/rng.hpp"

namespace earshot::test {

inline const std::vector<std::string>& fixture_classes() {
    static const std::vector<std::string> names{"tone_low", "tone_high", "noise_band", "clicks"};
    return names;
}

inline std::vector<int16_t> fixture_clip(int label, int index, double seconds) {
    train::Rng rng{static_cast<uint64_t>(label * 1000 + index + 1)};
    const size_t n = static_cast<size_t>(seconds * 16000.0);
    std::vector<int16_t> out(n);
    const double level = 0.2 + 0.3 * rng.uniform();
    const double jitter = 0.9 + 0.2 * rng.uniform();
    const double phase = 6.283185307 * rng.uniform();
    double lp = 0.0, prev = 0.0;
    for (size_t i = 0; i < n; ++i) {
        const double t = static_cast<double>(i) / 16000.0;
        const double floor_noise = 0.01 * (2.0 * rng.uniform() - 1.0);
        double x = 0.0;
        switch (label) {
            case 0:  // a buzzy low tone: odd harmonics of ~400 Hz
                for (int h = 1; h <= 7; h += 2) x += level / h * std::sin(6.283185307 * 400.0 * jitter * h * t + phase);
                break;
            case 1:  // a warbling high tone around 4 kHz
                x = level * std::sin(6.283185307 * 4000.0 * jitter * t + 50.0 * std::sin(6.283185307 * 6.0 * t) + phase);
                break;
            case 2: {  // noise through a crude band-pass (difference of one-pole low-passes)
                const double w = 2.0 * rng.uniform() - 1.0;
                lp += 0.3 * (w - lp);
                x = level * 2.0 * (lp - prev);
                prev = 0.9 * prev + 0.1 * lp;
                break;
            }
            default: {  // a click every ~80 ms
                const size_t period = static_cast<size_t>(1280.0 * jitter);
                x = (i % period) < 16 ? level * (1.0 - static_cast<double>(i % period) / 16.0) : 0.0;
                break;
            }
        }
        out[i] = static_cast<int16_t>(std::lround(std::clamp(x + floor_noise, -1.0, 0.99997) * 32767.0));
    }
    return out;
}

// root/audio/*.wav + root/meta/esc50.csv; clip k of each class goes to fold k % 5 + 1.
inline void write_fixture_dataset(const std::filesystem::path& root, int clips_per_class = 10, double seconds = 2.0) {
    std::filesystem::create_directories(root / "audio");
    std::filesystem::create_directories(root / "meta");
    std::ofstream csv(root / "meta" / "esc50.csv");
    csv << "filename,fold,target,category,esc10,src_file,take\n";
    const auto& names = fixture_classes();
    for (int label = 0; label < static_cast<int>(names.size()); ++label) {
        for (int k = 0; k < clips_per_class; ++k) {
            const int fold = k % 5 + 1;
            const std::string file = std::to_string(fold) + "-" + std::to_string(label * 100 + k) + "-A-" + std::to_string(label) + ".wav";
            audio::write_wav_pcm16(root / "audio" / file, fixture_clip(label, k, seconds), 16000);
            csv << file << ',' << fold << ',' << label << ',' << names[static_cast<size_t>(label)] << ",False," << label * 100 + k << ",A\n";
        }
    }
}

}  // namespace earshot::test

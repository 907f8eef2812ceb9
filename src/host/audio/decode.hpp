// Reading audio files (WAV, FLAC, OGG, ... via libsndfile) into mono float samples.
#pragma once
#include <filesystem>
#include <vector>

namespace earshot::audio {

struct DecodeLimits {
    double max_seconds = 3600.0;  // longer files are refused unless allow_long
    bool allow_long = false;
    int min_sample_rate = 1000;   // below or above these the header is not believable
    int max_sample_rate = 768000;
};

struct DecodedAudio {
    int sample_rate = 0;
    int channels = 0;
    std::vector<float> mono;  // channel average, nominal range [-1, 1)
};

// Throws earshot::Error naming the file for: missing file, a folder, unreadable or corrupt
// data, truncated data, zero-length audio, an absurd sample rate, a file over the length limit.
DecodedAudio decode_audio(const std::filesystem::path& path, const DecodeLimits& limits = {});

}  // namespace earshot::audio

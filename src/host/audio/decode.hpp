// Reading audio files (WAV, FLAC, OGG, ... via libsndfile) into mono float samples.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
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

// An opened and checked audio file, read in blocks of channel-averaged samples at its own rate,
// so a long file never has to be in memory at once. The constructor throws earshot::Error naming
// the file for: missing file, a folder, unreadable data, zero-length audio, an absurd sample
// rate, a file over the length limit, a header promising more audio than the file holds.
class AudioFileReader {
public:
    AudioFileReader(const std::filesystem::path& path, const DecodeLimits& limits = {});
    ~AudioFileReader();
    AudioFileReader(const AudioFileReader&) = delete;
    AudioFileReader& operator=(const AudioFileReader&) = delete;

    int sample_rate() const { return sample_rate_; }
    int channels() const { return channels_; }
    int64_t frames() const { return frames_; }  // as the header declares
    const std::string& name() const { return name_; }

    // Jumps to `frame` (before it or past the end is an error naming the file).
    void seek(int64_t frame);
    // Up to `max` samples into `mono`; 0 at the end, where a file that held fewer frames than it
    // declared is reported as truncated. Non-finite samples (NaN in float formats) are corruption.
    size_t read(float* mono, size_t max);

private:
    std::string name_;
    void* file_ = nullptr;  // SNDFILE*
    int sample_rate_ = 0, channels_ = 0;
    int64_t frames_ = 0, position_ = 0;
    std::vector<float> interleaved_;
};

// The whole file at once (AudioFileReader's checks).
DecodedAudio decode_audio(const std::filesystem::path& path, const DecodeLimits& limits = {});

}  // namespace earshot::audio

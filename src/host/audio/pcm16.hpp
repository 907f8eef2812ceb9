// Conversions to the device's sample format: 16 kHz mono int16.
#pragma once
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "host/audio/decode.hpp"

namespace earshot::audio {

// x * 32768 rounded to nearest (half away from zero), saturated to int16.
int16_t float_to_pcm16(float x);
std::vector<int16_t> to_pcm16(std::span<const float> samples);

// High-quality resampling (libsoxr, SOXR_HQ). Returns the input unchanged if the rates match.
std::vector<float> resample(std::span<const float> samples, int from_rate, int to_rate);

// A file as the device hears it (16 kHz mono int16), decoded and resampled block by block: the
// memory is a few blocks whatever the file's length. Samples equal load_pcm16k's.
class Pcm16kStream {
public:
    Pcm16kStream(const std::filesystem::path& path, const DecodeLimits& limits = {});
    ~Pcm16kStream();
    Pcm16kStream(const Pcm16kStream&) = delete;
    Pcm16kStream& operator=(const Pcm16kStream&) = delete;

    // Starts at `seconds` into the file (before the first read).
    void seek_seconds(double seconds);
    // Up to `max` samples; fewer only at the end, 0 after it.
    size_t read(int16_t* out, size_t max);
    // The file's declared length in 16 kHz samples from the start (after a seek: from there).
    int64_t samples() const { return total_; }
    const std::string& name() const { return reader_.name(); }

private:
    bool refill();  // decodes and resamples the next block into pending_; false at the end
    AudioFileReader reader_;
    void* resampler_ = nullptr;  // soxr_t; null when the file is already 16 kHz
    std::vector<float> decoded_, resampled_, resampler_out_;
    std::vector<int16_t> pending_;
    size_t pending_at_ = 0;
    int64_t total_ = 0, produced_ = 0;
    bool ended_ = false, started_ = false;
};

// Decode, downmix, resample to 16 kHz and convert to int16. A 16 kHz 16-bit file comes back
// bit for bit.
std::vector<int16_t> load_pcm16k(const std::filesystem::path& path, const DecodeLimits& limits = {});

}  // namespace earshot::audio

// Writing 16-bit PCM WAV files (libsndfile), atomically.
#pragma once
#include <cstdint>
#include <filesystem>
#include <span>

namespace earshot::audio {

void write_wav_pcm16(const std::filesystem::path& path, std::span<const int16_t> samples, int sample_rate,
                     int channels = 1);

}  // namespace earshot::audio

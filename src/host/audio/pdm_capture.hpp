// Raw PDM captures (little-endian 32-bit words, earliest bit in bit 31, 1.024 MHz: what the
// board's PIO/DMA path stores and the simulator's microphone plays) decimated to 16 kHz PCM by
// the same code the board runs.
#pragma once
#include <cstdint>
#include <filesystem>
#include <vector>

namespace earshot::audio {

// Throws earshot::Error naming the file for a missing file or one that is not whole words.
std::vector<int16_t> decimate_pdm_capture(const std::filesystem::path& path);

}  // namespace earshot::audio

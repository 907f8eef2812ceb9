// The numeric contract of the front end (DESIGN.md): 16 kHz audio, 1 s soundbites,
// frames of 256 with hop 128 -> 124 frames of 129 magnitude bins.
#pragma once
#include <cstddef>

namespace earshot::dsp {

inline constexpr int kSampleRate = 16000;
inline constexpr int kBiteSamples = 16000;       // one soundbite = 1 s
inline constexpr int kFrameLength = 256;
inline constexpr int kHop = 128;
inline constexpr int kBins = kFrameLength / 2 + 1;                          // 129
inline constexpr int kFrames = (kBiteSamples - kFrameLength) / kHop + 1;    // 124
inline constexpr int kSpectrogramSize = kFrames * kBins;                    // 15996
inline constexpr int kStreamChunk = 512;                                    // samples per decision
inline constexpr int kFramesPerChunk = kStreamChunk / kHop;                 // 4

static_assert(kFrames == 124 && kBins == 129, "front-end geometry is part of the model contract");

}  // namespace earshot::dsp

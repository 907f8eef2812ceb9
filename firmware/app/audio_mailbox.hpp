// Where audio enters the app: a ring of blocks at a fixed SRAM address (the first bytes of RAM,
// see memmap.ld). A block is 512 PCM samples, or the 1,024 words of PDM bits (32 per word,
// earliest in bit 31) that decimate to them. The producer writes block `written % kBlocks` and
// then increments `written`; the app consumes in order and counts blocks it was too slow to
// read as dropped. The producer is the microphone (PIO + DMA, PDM bits), unless an external
// one (the simulator feeding PCM in CI, or a debugger) set `producer` = kExternalProducer and
// `format` before the app started; then the app leaves the microphone off.
#pragma once
#include <cstdint>

#include "core/dsp/frame_constants.hpp"

namespace earshot::app {

inline constexpr uint32_t kMailboxMagic = 0x45415253;      // "EARS"
inline constexpr uint32_t kExternalProducer = 0x46454544;  // "FEED"
// Two blocks: one filling while the app reads the other, so the app has a block time (32 ms)
// to take each block; decimating it takes ~2 ms. Four cost 8 KB more for no gain.
inline constexpr uint32_t kBlocks = 2;
inline constexpr uint32_t kPdmWordsPerBlock = dsp::kStreamChunk * 64 / 32;  // 1,024

enum class AudioFormat : uint32_t { pcm16 = 0, pdm = 1 };

struct AudioMailbox {
    volatile uint32_t magic;    // set by the app when it is ready to receive
    volatile uint32_t written;  // blocks produced so far
    volatile uint32_t read;     // blocks consumed so far (written by the app)
    volatile uint32_t dropped;  // blocks overwritten before the app read them
    volatile uint32_t format;   // AudioFormat
    volatile uint32_t producer; // kExternalProducer, or anything else for the microphone
    uint32_t reserved[2];
    union {
        int16_t pcm[kBlocks][dsp::kStreamChunk];
        uint32_t pdm[kBlocks][kPdmWordsPerBlock];
    };
};
static_assert(sizeof(AudioMailbox) == 32 + kBlocks * kPdmWordsPerBlock * 4, "the simulator writes at fixed offsets");

}  // namespace earshot::app

// Where audio enters the app: a ring of 512-sample blocks at a fixed SRAM address (the first
// bytes of RAM, see memmap.ld). The producer (the PDM/DMA path on a board, the simulator in
// CI) writes block `written % kBlocks` and then increments `written`; the app consumes in order
// and counts blocks it was too slow to read as dropped.
#pragma once
#include <cstdint>

#include "core/dsp/frame_constants.hpp"

namespace earshot::app {

inline constexpr uint32_t kMailboxMagic = 0x45415253;  // "EARS"
inline constexpr uint32_t kBlocks = 4;

struct AudioMailbox {
    volatile uint32_t magic;    // set by the app when it is ready to receive
    volatile uint32_t written;  // blocks produced so far
    volatile uint32_t read;     // blocks consumed so far (written by the app)
    volatile uint32_t dropped;  // blocks overwritten before the app read them
    int16_t blocks[kBlocks][dsp::kStreamChunk];
};

}  // namespace earshot::app

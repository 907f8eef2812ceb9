// A PDM microphone on PIO0 state machine 0: the PIO drives the mic's clock by side-set and
// samples its data pin once per clock, 32 bits per RX FIFO word with the earliest bit in bit 31
// (the order dsp::pdm_decimate takes). The RX FIFO is meant to be drained by DMA.
#pragma once
#include <cstdint>

#include "firmware/rp2040/regs.hpp"

namespace earshot::rp2040 {

inline constexpr uint32_t kPdmRxFifo = base::pio0 + 0x020;  // RXF0
inline constexpr uint32_t kDreqPio0Rx0 = 4;                 // DMA TREQ_SEL for it

void start_pdm_capture(uint32_t clk_pin, uint32_t data_pin, uint32_t bit_rate_hz);

}  // namespace earshot::rp2040

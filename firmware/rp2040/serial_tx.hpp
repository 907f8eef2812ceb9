// Serial output that never blocks the audio loop: whole lines go into a RAM ring and DMA
// channel 2 feeds them to UART0 at the UART's pace (DREQ UART0_TX). When the ring cannot take
// a line it is dropped and counted; the caller never waits for the wire.
#pragma once
#include <cstdint>

#include "firmware/rp2040/line.hpp"

namespace earshot::rp2040 {


// Call after init_uart0: claims DMA channel 2 (channels 0 and 1 are the microphone's ring).
void init_serial_tx();
// Queues the line (all of it or, when the ring is full, none of it: counted as dropped).
bool serial_send(const Line& line);
// Starts the next DMA transfer if the previous one is done; cheap, call it whenever waiting.
void serial_pump();
uint32_t serial_dropped_lines();

}  // namespace earshot::rp2040

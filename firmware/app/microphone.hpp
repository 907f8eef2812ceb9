// The board's PDM microphone feeding an audio mailbox: PIO clocks it at 1.024 MHz and shifts its
// bits in, DMA fills the mailbox's ring with them and counts finished blocks in `written`.
// Shared by the detector and the USB microphone app.
#pragma once
#include "firmware/app/audio_mailbox.hpp"

namespace earshot::app {

inline constexpr uint32_t kPdmBitRate = 16000 * 64;  // decimated by 64 to 16 kHz

void start_microphone(AudioMailbox& mailbox);
// " audio=pdm clk=N data=M" on UART0: the pins, for the banner (the simulator reads them).
void print_microphone_pins();

}  // namespace earshot::app

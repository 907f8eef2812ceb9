// UART0 at 115200 8N1 on the board's TX pin, polled: the serial log of the apps.
#pragma once
#include <cstdint>

namespace earshot::rp2040 {

void init_uart0(uint32_t tx_pin, uint32_t baud);
void uart_write(const char* text);
// Waits until the last byte has left the wire (UARTFR.BUSY clear): the boot banner is complete
// before the microphone starts, so a listener that learns the pins from it misses no bit.
void uart_flush();
void uart_write_u32(uint32_t value);
void uart_write_i32(int32_t value);
// value / 10^decimals, e.g. (930, 3) -> "0.930".
void uart_write_fixed(uint32_t value, uint32_t decimals);

}  // namespace earshot::rp2040

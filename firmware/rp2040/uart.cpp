#include "firmware/rp2040/uart.hpp"

#include "firmware/rp2040/clocks.hpp"
#include "firmware/rp2040/gpio.hpp"
#include "firmware/rp2040/line.hpp"
#include "firmware/rp2040/regs.hpp"

namespace earshot::rp2040 {
namespace {

void put(char c) {
    while (reg(base::uart0 + 0x18) & (1u << 5)) {  // UARTFR.TXFF
    }
    reg(base::uart0 + 0x00) = static_cast<uint8_t>(c);
}

void put_line(const Line& line) {
    for (uint32_t i = 0; i < line.length; ++i) put(line.text[i]);
}

}  // namespace

void init_uart0(uint32_t tx_pin, uint32_t baud) {
    unreset(reset_bit::uart0 | reset_bit::io_bank0 | reset_bit::pads_bank0);
    // Baud divisor in 1/64ths: 8 * clk_peri / baud = (IBRD << 7) | (FBRD << 1) (datasheet 4.2.7.1).
    const uint32_t div = 8 * kSysClockHz / baud;
    reg(base::uart0 + 0x24) = div >> 7;
    reg(base::uart0 + 0x28) = ((div & 0x7f) + 1) / 2;
    reg(base::uart0 + 0x2c) = (3u << 5) | (1u << 4);  // 8 bits, FIFOs on
    reg(base::uart0 + 0x30) = (1u << 0) | (1u << 8) | (1u << 9);  // UARTEN, TXE, RXE
    set_pin_function(tx_pin, PinFunction::uart);
}

void uart_write(const char* text) {
    while (*text) put(*text++);
}

void uart_flush() {
    while (reg(base::uart0 + 0x18) & (1u << 3)) {  // UARTFR.BUSY
    }
}

// The number formats are Line's (line.cpp), written straight out.
void uart_write_u32(uint32_t value) {
    Line line;
    line.put_u32(value);
    put_line(line);
}

void uart_write_i32(int32_t value) {
    Line line;
    line.put_i32(value);
    put_line(line);
}

void uart_write_fixed(uint32_t value, uint32_t decimals) {
    Line line;
    line.put_fixed(value, decimals);
    put_line(line);
}

}  // namespace earshot::rp2040

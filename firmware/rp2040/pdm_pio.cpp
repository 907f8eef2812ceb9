#include "firmware/rp2040/pdm_pio.hpp"

#include "firmware/rp2040/clocks.hpp"
#include "firmware/rp2040/gpio.hpp"

namespace earshot::rp2040 {
namespace {

// Two instructions per bit, one side-set pin (the clock), no delay bits (datasheet 3.4):
//   nop        side 0   ; clock falls: the mic puts its next bit on the data pin
//   in pins, 1 side 1   ; clock rises: shift that bit in (autopush every 32)
constexpr uint16_t kProgram[] = {0xa042, 0x5001};
constexpr uint16_t kExecJumpToStart = 0x0000;      // jmp 0
constexpr uint16_t kExecClockOutputHigh = 0xf081;  // set pindirs, 1 side 1

constexpr uint32_t kCtrl = 0x000, kInstrMem = 0x048;
constexpr uint32_t kSm0ClkDiv = 0x0c8, kSm0ExecCtrl = 0x0cc, kSm0ShiftCtrl = 0x0d0, kSm0Instr = 0x0d8, kSm0PinCtrl = 0x0dc;

}  // namespace

void start_pdm_capture(uint32_t clk_pin, uint32_t data_pin, uint32_t bit_rate_hz) {
    unreset(reset_bit::pio0 | reset_bit::io_bank0 | reset_bit::pads_bank0);
    set_pin_function(clk_pin, PinFunction::pio0);
    set_pin_function(data_pin, PinFunction::pio0);
    enable_pin_input(data_pin);
    for (uint32_t i = 0; i < sizeof kProgram / sizeof kProgram[0]; ++i) reg(base::pio0 + kInstrMem + 4 * i) = kProgram[i];

    // Two PIO cycles per bit: divider = sys / (2 * rate) in 16.8 fixed point (61 + 9/256 for
    // 1.024 MHz at 125 MHz, exact).
    const uint32_t div256 = static_cast<uint32_t>(uint64_t{kSysClockHz} * 128 / bit_rate_hz);
    reg(base::pio0 + kSm0ClkDiv) = ((div256 >> 8) << 16) | ((div256 & 0xff) << 8);
    reg(base::pio0 + kSm0ExecCtrl) = (1u << 12) | (0u << 7);  // wrap top 1, bottom 0
    // Join the FIFOs into an 8-deep RX, autopush at 32 bits (threshold 0 = 32), shift left.
    reg(base::pio0 + kSm0ShiftCtrl) = (1u << 31) | (1u << 16) | (1u << 19);
    // One side-set bit and one SET pin, both the clock; IN reads from the data pin.
    reg(base::pio0 + kSm0PinCtrl) = (1u << 29) | (1u << 26) | (data_pin << 15) | (clk_pin << 10) | (clk_pin << 5);

    reg(base::pio0 + kCtrl) = (1u << 4) | (1u << 8);  // restart SM0 and its clock divider
    reg(base::pio0 + kSm0Instr) = kExecJumpToStart;
    // The clock pin becomes an output, high, so the program's first instruction is a falling edge.
    reg(base::pio0 + kSm0Instr) = kExecClockOutputHigh;
    reg(base::pio0 + kCtrl) = 1u;  // enable SM0
}

}  // namespace earshot::rp2040

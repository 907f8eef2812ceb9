// The pins an earshot app needs, per board; chosen at build time with -DEARSHOT_BOARD=<name>.
#pragma once
#include <cstdint>

namespace earshot::board {

struct Pins {
    const char* name;
    uint32_t led;       // PWM-capable LED
    uint32_t uart_tx;   // UART0 TX (serial log, 115200 8N1)
    uint32_t pdm_clk;   // PDM microphone clock (PIO side-set)
    uint32_t pdm_data;  // PDM microphone data (PIO input)
};

#if defined(EARSHOT_BOARD_SPARKFUN_MICROMOD)
// SparkFun MicroMod RP2040 on the Machine Learning Carrier (pins from its published pinout;
// not yet checked on hardware).
inline constexpr Pins kPins{"sparkfun_micromod", 25, 0, 10, 11};
#else
// Raspberry Pi Pico with a PDM breakout wired as in the reference tutorial (CLK GPIO3, DAT GPIO2).
inline constexpr Pins kPins{"pico", 25, 0, 3, 2};
#endif

}  // namespace earshot::board

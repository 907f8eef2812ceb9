// GPIO routing (datasheet 2.19): which peripheral drives a pin, and its pad's input buffer.
#pragma once
#include <cstdint>

#include "firmware/rp2040/regs.hpp"

namespace earshot::rp2040 {

enum class PinFunction : uint32_t { uart = 2, pwm = 4, sio = 5, pio0 = 6, pio1 = 7 };

inline void set_pin_function(uint32_t pin, PinFunction function) {
    reg(base::io_bank0 + 8 * pin + 4) = static_cast<uint32_t>(function);  // GPIOn_CTRL.FUNCSEL
}

// Pad control: input enabled (IE, bit 6) and output not disabled (OD, bit 7).
inline void enable_pin_input(uint32_t pin) {
    const uint32_t pad = base::pads_bank0 + 4 + 4 * pin;
    reg(pad) = (reg(pad) | (1u << 6)) & ~(1u << 7);
}

}  // namespace earshot::rp2040

#include "firmware/rp2040/pwm.hpp"

#include "firmware/rp2040/gpio.hpp"
#include "firmware/rp2040/regs.hpp"

namespace earshot::rp2040 {
namespace {
// GPIO n drives PWM slice (n / 2) % 8, channel A for even pins and B for odd (datasheet 4.5.2).
uint32_t slice_base(uint32_t pin) { return base::pwm + 0x14 * ((pin >> 1) & 7); }
}  // namespace

void init_led_pwm(uint32_t pin) {
    unreset(reset_bit::pwm | reset_bit::io_bank0 | reset_bit::pads_bank0);
    set_pin_function(pin, PinFunction::pwm);
    reg(slice_base(pin) + 0x10) = 254;      // TOP: 255 steps, so level 255 is always on
    reg(slice_base(pin) + 0x04) = 16u << 4; // DIV = 16: ~30 kHz
    reg(slice_base(pin) + 0x0c) = 0;
    reg(slice_base(pin) + 0x00) = 1;        // EN
}

void set_led_brightness(uint32_t pin, uint8_t level) {
    const uint32_t cc = reg(slice_base(pin) + 0x0c);
    reg(slice_base(pin) + 0x0c) = (pin & 1) ? ((cc & 0xffffu) | (uint32_t{level} << 16)) : ((cc & 0xffff0000u) | level);
}

}  // namespace earshot::rp2040

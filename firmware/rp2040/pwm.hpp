// An LED on a PWM pin with 256 brightness steps.
#pragma once
#include <cstdint>

namespace earshot::rp2040 {

void init_led_pwm(uint32_t pin);
void set_led_brightness(uint32_t pin, uint8_t level);

}  // namespace earshot::rp2040

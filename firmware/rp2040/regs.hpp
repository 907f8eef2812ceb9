// RP2040 register access, from the RP2040 datasheet (section 2.1.2 for the atomic aliases).
#pragma once
#include <cstdint>

namespace earshot::rp2040 {

inline volatile uint32_t& reg(uint32_t address) { return *reinterpret_cast<volatile uint32_t*>(address); }
// Every peripheral register has atomic aliases: +0x2000 sets bits, +0x3000 clears them.
inline void set_bits(uint32_t address, uint32_t mask) { reg(address + 0x2000) = mask; }
inline void clear_bits(uint32_t address, uint32_t mask) { reg(address + 0x3000) = mask; }

namespace base {
inline constexpr uint32_t clocks = 0x40008000, resets = 0x4000c000, io_bank0 = 0x40014000, pads_bank0 = 0x4001c000;
inline constexpr uint32_t xosc = 0x40024000, pll_sys = 0x40028000, uart0 = 0x40034000, timer = 0x40054000, pwm = 0x40050000;
inline constexpr uint32_t dma = 0x50000000, pio0 = 0x50200000, sio = 0xd0000000, ppb = 0xe0000000;
}  // namespace base

// RESETS bits (datasheet 2.14.3).
namespace reset_bit {
inline constexpr uint32_t dma = 1u << 2, io_bank0 = 1u << 5, pio0 = 1u << 10, pads_bank0 = 1u << 8, pll_sys = 1u << 12, pwm = 1u << 14, timer = 1u << 21, uart0 = 1u << 22;
}

// Takes the blocks in `mask` out of reset and waits until they are ready.
inline void unreset(uint32_t mask) {
    clear_bits(base::resets + 0x0, mask);
    while ((reg(base::resets + 0x8) & mask) != mask) {
    }
}

// NVIC (ARMv6-M): enable one of the 32 external interrupts (datasheet 2.3.2 for the numbers).
inline void enable_irq(uint32_t irq) { reg(base::ppb + 0xe100) = 1u << irq; }

}  // namespace earshot::rp2040

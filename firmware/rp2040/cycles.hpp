// Cycle counting with SysTick on the processor clock: a 24-bit down-counter, so one measured
// stretch must stay under 2^24 cycles (134 ms at 125 MHz).
#pragma once
#include <cstdint>

#include "firmware/rp2040/regs.hpp"

namespace earshot::rp2040 {

inline void init_cycle_counter() {
    reg(base::ppb + 0xe014) = 0xffffff;       // SYST_RVR
    reg(base::ppb + 0xe018) = 0;              // SYST_CVR
    reg(base::ppb + 0xe010) = (1u << 2) | 1u; // SYST_CSR: processor clock, enabled
}

inline uint32_t cycle_mark() { return reg(base::ppb + 0xe018); }
// Cycles from `earlier` to `later` (both cycle_mark() values).
inline uint32_t cycles_between(uint32_t earlier, uint32_t later) { return (earlier - later) & 0xffffff; }

// Microseconds since boot (TIMER.TIMERAWL).
inline uint32_t micros() { return reg(base::timer + 0x28); }

}  // namespace earshot::rp2040

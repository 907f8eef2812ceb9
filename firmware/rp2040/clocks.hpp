// clk_sys and clk_peri at 125 MHz from the 12 MHz crystal through PLL_SYS (1500 MHz VCO / 6 / 2).
#pragma once
#include <cstdint>

namespace earshot::rp2040 {

inline constexpr uint32_t kSysClockHz = 125000000;
void init_clocks();

}  // namespace earshot::rp2040

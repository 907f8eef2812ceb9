#include "firmware/rp2040/clocks.hpp"

#include "firmware/rp2040/regs.hpp"

namespace earshot::rp2040 {
namespace {

// CLOCKS register offsets (datasheet 2.15.7).
constexpr uint32_t kRefCtrl = 0x30, kRefSelected = 0x38, kSysCtrl = 0x3c, kSysSelected = 0x44, kPeriCtrl = 0x48;

}  // namespace

void init_clocks() {
    // Run clk_sys from clk_ref (ring oscillator) while the PLL is reconfigured.
    clear_bits(base::clocks + kSysCtrl, 1u);
    while (reg(base::clocks + kSysSelected) != 1u) {
    }
    // Crystal: 1-15 MHz range, ~1 ms start-up delay, enable, wait for STABLE.
    reg(base::xosc + 0x00) = 0xaa0;
    reg(base::xosc + 0x0c) = 47;
    set_bits(base::xosc + 0x00, 0xfabu << 12);
    while (!(reg(base::xosc + 0x04) & (1u << 31))) {
    }
    // clk_ref from the crystal.
    reg(base::clocks + kRefCtrl) = 2;
    while (reg(base::clocks + kRefSelected) != (1u << 2)) {
    }
    // PLL_SYS: REFDIV 1, FBDIV 125 -> VCO 1500 MHz; POSTDIV 6 x 2 -> 125 MHz.
    reg(base::resets) = reg(base::resets) | reset_bit::pll_sys;
    unreset(reset_bit::pll_sys);
    reg(base::pll_sys + 0x0) = 1;
    reg(base::pll_sys + 0x8) = 125;
    clear_bits(base::pll_sys + 0x4, (1u << 0) | (1u << 5));  // power up the PLL and the VCO
    while (!(reg(base::pll_sys + 0x0) & (1u << 31))) {
    }
    reg(base::pll_sys + 0xc) = (6u << 16) | (2u << 12);
    clear_bits(base::pll_sys + 0x4, 1u << 3);  // post dividers on
    // clk_sys = PLL_SYS through the aux mux (AUXSRC 0), then clk_peri = clk_sys.
    reg(base::clocks + kSysCtrl) = 0;
    set_bits(base::clocks + kSysCtrl, 1u);
    while (reg(base::clocks + kSysSelected) != (1u << 1)) {
    }
    reg(base::clocks + kPeriCtrl) = 1u << 11;  // ENABLE, AUXSRC = clk_sys
}

}  // namespace earshot::rp2040

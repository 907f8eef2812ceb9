// A line of text formatted without heap or printf: what the apps print, over the UART directly
// (uart.hpp) or through the DMA ring (serial_tx.hpp).
#pragma once
#include <cstdint>

namespace earshot::rp2040 {

struct Line {
    char text[232];
    uint32_t length = 0;
    void put(const char* s);
    void put_char(char c);
    void put_u32(uint32_t value);
    void put_i32(int32_t value);
    void put_fixed(uint32_t value, uint32_t decimals);  // value / 10^decimals: (930, 3) -> "0.930"
};

}  // namespace earshot::rp2040

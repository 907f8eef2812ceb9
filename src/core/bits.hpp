// Small integer helpers shared by dsp/ and nn/. Freestanding C++17.
#pragma once
#include <cstdint>

namespace earshot {

// Leading zero bits of a 32-bit value (32 for 0); a loop, since ARMv6-M has no CLZ.
constexpr int count_leading_zeros(uint32_t v) {
    int n = 0;
    for (uint32_t bit = 0x80000000u; bit != 0 && (v & bit) == 0; bit >>= 1) ++n;
    return n;
}

// int32 addition and subtraction with two's-complement wrap, as C code on the device behaves.
constexpr int32_t wrapping_add(int32_t a, int32_t b) { return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b)); }
constexpr int32_t wrapping_sub(int32_t a, int32_t b) { return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b)); }

}  // namespace earshot

#include "firmware/rp2040/line.hpp"

namespace earshot::rp2040 {
namespace {

// Decimal digits by subtracting powers of ten: the Cortex-M0+ has no divide instruction, and
// the library's division cost ~100 cycles a digit (about 5k cycles a score line).
constexpr uint32_t kPowersOfTen[10] = {1000000000u, 100000000u, 10000000u, 1000000u, 100000u, 10000u, 1000u, 100u, 10u, 1u};

// value in decimal, at least min_digits of them (leading zeros), with a '.' before the last
// point_before digits (0: none).
void put_digits(Line& line, uint32_t value, uint32_t min_digits, uint32_t point_before) {
    for (uint32_t i = 0; i < 10; ++i) {
        const uint32_t power = kPowersOfTen[i], place = 10 - i;  // digits from here to the end
        char digit = '0';
        while (value >= power) {
            value -= power;
            ++digit;
        }
        if (digit != '0' || place <= min_digits) {
            min_digits = place;  // every later digit is printed too
            if (place == point_before) line.put_char('.');
            line.put_char(digit);
        }
    }
}

}  // namespace

void Line::put_char(char c) {
    if (length < sizeof text) text[length++] = c;
}

void Line::put(const char* s) {
    while (*s) put_char(*s++);
}

void Line::put_u32(uint32_t value) { put_digits(*this, value, 1, 0); }

void Line::put_i32(int32_t value) {
    if (value < 0) put_char('-');
    put_u32(value < 0 ? 0u - static_cast<uint32_t>(value) : static_cast<uint32_t>(value));
}

void Line::put_fixed(uint32_t value, uint32_t decimals) {
    if (decimals == 0) return put_u32(value);
    put_digits(*this, value, decimals + 1, decimals);
}

}  // namespace earshot::rp2040

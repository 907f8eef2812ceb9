#include "firmware/rp2040/line.hpp"

namespace earshot::rp2040 {

void Line::put_char(char c) {
    if (length < sizeof text) text[length++] = c;
}

void Line::put(const char* s) {
    while (*s) put_char(*s++);
}

void Line::put_u32(uint32_t value) {
    char digits[10];
    int n = 0;
    do {
        digits[n++] = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value);
    while (n) put_char(digits[--n]);
}

void Line::put_i32(int32_t value) {
    if (value < 0) put_char('-');
    put_u32(value < 0 ? 0u - static_cast<uint32_t>(value) : static_cast<uint32_t>(value));
}

void Line::put_fixed(uint32_t value, uint32_t decimals) {
    uint32_t scale = 1;
    for (uint32_t i = 0; i < decimals; ++i) scale *= 10;
    put_u32(value / scale);
    put_char('.');
    for (uint32_t s = scale / 10; s; s /= 10) put_char(static_cast<char>('0' + value / s % 10));
}

}  // namespace earshot::rp2040

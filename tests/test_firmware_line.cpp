// The firmware's line formatter (firmware/rp2040/line.cpp, portable C++ with no division)
// against snprintf on edges and random values.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>

#include "firmware/rp2040/line.hpp"

using earshot::rp2040::Line;

namespace {

std::string text(const Line& line) { return std::string(line.text, line.length); }

std::string printf_fixed(uint32_t value, uint32_t decimals) {
    uint32_t scale = 1;
    for (uint32_t i = 0; i < decimals; ++i) scale *= 10;
    char buffer[32];
    if (decimals == 0) std::snprintf(buffer, sizeof buffer, "%u", value);
    else std::snprintf(buffer, sizeof buffer, "%u.%0*u", value / scale, static_cast<int>(decimals), value % scale);
    return buffer;
}

}  // namespace

TEST(FirmwareLine, NumbersPrintLikePrintf) {
    std::vector<uint32_t> values = {0, 1, 9, 10, 99, 100, 101, 999, 1000, 1001, 65535, 999999999, 1000000000, 4294967295u};
    std::mt19937 rng(3);
    for (int i = 0; i < 2000; ++i) values.push_back(rng() >> (rng() % 32));
    for (uint32_t v : values) {
        Line u;
        u.put_u32(v);
        ASSERT_EQ(text(u), std::to_string(v));
        const auto s = static_cast<int32_t>(v);
        Line i;
        i.put_i32(s);
        ASSERT_EQ(text(i), std::to_string(s));
        for (uint32_t decimals : {0u, 1u, 3u, 6u}) {
            Line f;
            f.put_fixed(v, decimals);
            ASSERT_EQ(text(f), printf_fixed(v, decimals)) << v << " with " << decimals << " decimals";
        }
    }
    Line lowest;
    lowest.put_i32(INT32_MIN);
    EXPECT_EQ(text(lowest), "-2147483648");
}

TEST(FirmwareLine, AFullLineDropsTheRestInsteadOfOverflowing) {
    Line line;
    for (int i = 0; i < 100; ++i) line.put_u32(123456789);
    EXPECT_EQ(line.length, sizeof line.text);
    EXPECT_EQ(text(line).substr(0, 18), "123456789123456789");
}

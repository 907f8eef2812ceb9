#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "host/audio/soundbites.hpp"
#include "host/error.hpp"
#include "support.hpp"

using namespace earshot;
using namespace earshot::audio;

TEST(Soundbites, FiveSecondClipGivesSixteenBitesLikeTheReference) {
    const auto clip = test::lcg_noise(80000);
    const auto bites = cut_soundbites(clip);
    ASSERT_EQ(bites.size(), 16u);
    for (size_t i = 0; i < bites.size(); ++i) {
        EXPECT_EQ(bites[i].offset, i * 4000);
        ASSERT_EQ(bites[i].samples.size(), 16000u);
        EXPECT_TRUE(std::equal(bites[i].samples.begin(), bites[i].samples.end(), clip.begin() + static_cast<std::ptrdiff_t>(i * 4000)));
    }
}

TEST(Soundbites, HopIsConfigurable) {
    const auto clip = test::lcg_noise(48000);
    SoundbiteOptions o;
    o.hop = 16000;
    EXPECT_EQ(cut_soundbites(clip, o).size(), 2u);  // starts 0 and 16000 (32000 + 16000 is not < 48000)
    o.hop = 0;
    EXPECT_THROW(cut_soundbites(clip, o), Error);
}

TEST(Soundbites, AllZeroBitesAreDropped) {
    std::vector<int16_t> clip(80000, 0);
    for (size_t i = 60000; i < 80000; ++i) clip[i] = 100;  // only the tail has sound
    const auto bites = cut_soundbites(clip);
    // Bites starting at 48000 and later reach past sample 60000 and are kept.
    ASSERT_EQ(bites.size(), 4u);
    EXPECT_EQ(bites.front().offset, 48000u);
}

TEST(Soundbites, RmsRuleDropsQuietBites) {
    std::vector<int16_t> clip = test::lcg_noise(80000, 1, 10);  // about -70 dBFS
    for (size_t i = 0; i < 20000; ++i) clip[i] = test::lcg_noise(1, static_cast<uint32_t>(i))[0];  // loud start
    SoundbiteOptions o;
    o.silence = SilenceRule::rms_below;
    o.rms_threshold_dbfs = -40.0;
    const auto bites = cut_soundbites(clip, o);
    ASSERT_FALSE(bites.empty());
    for (const auto& b : bites) EXPECT_GE(rms_dbfs(b.samples), -40.0);
    EXPECT_EQ(cut_soundbites(clip).size(), 16u);  // the default rule keeps quiet-but-not-zero bites
}

TEST(Soundbites, ShortClipIsZeroPadded) {
    const auto clip = test::lcg_noise(12000);
    const auto bites = cut_soundbites(clip);
    ASSERT_EQ(bites.size(), 1u);
    EXPECT_TRUE(std::equal(clip.begin(), clip.end(), bites[0].samples.begin()));
    EXPECT_TRUE(std::all_of(bites[0].samples.begin() + 12000, bites[0].samples.end(), [](int16_t s) { return s == 0; }));
    EXPECT_TRUE(cut_soundbites(std::vector<int16_t>{}).empty());
}

TEST(Soundbites, RmsLevel) {
    EXPECT_TRUE(std::isinf(rms_dbfs(std::vector<int16_t>(10, 0))));
    EXPECT_NEAR(rms_dbfs(std::vector<int16_t>(10, 16384)), -6.0206, 1e-3);
}

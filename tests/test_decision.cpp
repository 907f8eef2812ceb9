// The decision rule (core/detect) against hand-worked score sequences, and the scoring of its
// alarm periods against labelled events (host/eval/detection).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/detect/decision.hpp"
#include "host/eval/detection.hpp"

using namespace earshot;
using detect::DecisionEvent;

namespace {

// One character per block: '+' scores 100, '-' scores -100; returns one character per block:
// 'N' onset, 'F' offset, '1' on, '0' off.
std::string run(const detect::DecisionParams& p, const std::string& scores) {
    detect::DecisionState s;
    detect::decision_reset(s);
    std::string out;
    for (char c : scores) {
        const DecisionEvent e = detect::decision_step(p, s, c == '+' ? 100 : -100);
        out += e == DecisionEvent::onset ? 'N' : e == DecisionEvent::offset ? 'F' : s.on ? '1' : '0';
    }
    return out;
}

std::vector<int8_t> q_of(const std::string& scores) {
    std::vector<int8_t> q;
    for (char c : scores) q.push_back(c == '+' ? 100 : -100);
    return q;
}

}  // namespace

TEST(DecisionRule, KOfNEntersOnTheKthPositiveInsideTheWindow) {
    const detect::DecisionParams p{0, 3, 5, 4};
    // Positives at 0, 2, 4: the third arrives at block 4 while all three are in the last 5.
    EXPECT_EQ(run(p, "+-+-+"), "0000N");
    // Positives at 0, 3, 5: block 5's window (1..5) holds only two.
    EXPECT_EQ(run(p, "+--+-+--"), "00000000");
    // Three in a row turn it on at once.
    EXPECT_EQ(run(p, "---+++"), "00000N");
}

TEST(DecisionRule, HoldsThroughGapsShorterThanTheReleaseAndLeavesAfterIt) {
    const detect::DecisionParams p{0, 2, 2, 3};
    // On at block 1; 2 quiet blocks do not release it; the third quiet block in a row does.
    EXPECT_EQ(run(p, "++--+---"), "0N11111F");
    // After the offset a new onset needs k fresh positives: block 1's vote, still inside the
    // 3-block window at block 3, does not count again.
    EXPECT_EQ(run({0, 2, 3, 1}, "++-+"), "0NF0");
    EXPECT_EQ(run({0, 2, 3, 1}, "++-++"), "0NF0N");
}

TEST(DecisionRule, ThresholdIsStrictlyAbove) {
    const detect::DecisionParams p{10, 1, 1, 1};
    detect::DecisionState s;
    detect::decision_reset(s);
    EXPECT_EQ(detect::decision_step(p, s, 10), DecisionEvent::none);
    EXPECT_EQ(detect::decision_step(p, s, 11), DecisionEvent::onset);
    EXPECT_EQ(detect::decision_step(p, s, 10), DecisionEvent::offset);
}

TEST(DecisionRule, FullWidthWindowOf32Blocks) {
    const detect::DecisionParams p{0, 32, 32, 1};
    EXPECT_EQ(run(p, std::string(31, '+') + "-" + std::string(31, '+')), std::string(63, '0'));
    EXPECT_EQ(run(p, std::string(32, '+')), std::string(31, '0') + "N");
    // A positive 32 blocks back has left the window: 31 fresh ones are not enough.
    EXPECT_EQ(run(p, "+-" + std::string(31, '+')).back(), '0');
}

TEST(DecisionRule, LongWindowsSpanSeveralHistoryWords) {
    // 100 of the last 128 blocks (4.1 s): votes cross the 32-bit words of the ring.
    const detect::DecisionParams p{0, 100, 128, 1};
    std::string s = std::string(60, '+') + std::string(28, '-') + std::string(39, '+');  // 99 positives in 127 blocks
    EXPECT_EQ(run(p, s), std::string(127, '0'));
    EXPECT_EQ(run(p, s + "+").back(), 'N');                 // the 100th inside the window
    EXPECT_EQ(run(p, "+" + s.substr(1) + "-+").back(), '0');  // block 129 replaces block 1's vote: still 99
    // Exactly: with one leading positive dropped out of the window, 100 are needed again.
    std::string t = "+" + std::string(127, '-') + std::string(99, '+');
    EXPECT_EQ(run(p, t).find('N'), std::string::npos);
    EXPECT_EQ(run(p, t + "+").back(), 'N');
}

TEST(DecisionRule, ParameterLimits) {
    EXPECT_TRUE(detect::decision_params_valid({0, 1, 1, 1}));
    EXPECT_TRUE(detect::decision_params_valid({-128, 32, 32, 1}));
    EXPECT_FALSE(detect::decision_params_valid({0, 0, 1, 1}));
    EXPECT_FALSE(detect::decision_params_valid({0, 3, 2, 1}));
    EXPECT_TRUE(detect::decision_params_valid({0, 1, 128, 1}));
    EXPECT_FALSE(detect::decision_params_valid({0, 1, 129, 1}));
    EXPECT_FALSE(detect::decision_params_valid({0, 1, 1, 0}));
    EXPECT_FALSE(detect::decision_params_valid({128, 1, 1, 1}));
}

TEST(DecisionRule, EventTimesAreBlockEnds) {
    EXPECT_EQ(detect::block_end_ms(0), 32u);
    EXPECT_EQ(detect::block_end_ms(67), 2176u);
    const auto periods = eval::alarm_periods(q_of("--++----"), {0, 2, 2, 2});
    ASSERT_EQ(periods.size(), 1u);
    EXPECT_DOUBLE_EQ(periods[0].onset, 0.128);   // block 3 ends at 128 ms
    EXPECT_DOUBLE_EQ(periods[0].offset, 0.192);  // released at block 5
}

TEST(EventScoring, DetectionLatencyAndFalseAlarms) {
    // 100 blocks = 3.2 s. An event from 1.0 s to 2.0 s; the alarm comes on at block 35 (1.152 s).
    std::string s(100, '-');
    for (int b = 34; b < 60; ++b) s[static_cast<size_t>(b)] = '+';
    for (int b = 80; b < 83; ++b) s[static_cast<size_t>(b)] = '+';  // later: a false alarm at block 81 (2.624 s)
    const detect::DecisionParams p{0, 2, 4, 5};
    const eval::FileScore f = eval::score_file(q_of(s), {{1.0, 2.0}}, p, {0.5, 0.5});
    EXPECT_EQ(f.events, 1);
    EXPECT_EQ(f.detected, 1);
    ASSERT_EQ(f.latencies.size(), 1u);
    EXPECT_NEAR(f.latencies[0], 0.152, 1e-9);
    ASSERT_EQ(f.false_alarms.size(), 1u);
    EXPECT_NEAR(f.false_alarms[0], 2.624, 1e-9);
    EXPECT_NEAR(f.seconds, 3.2, 1e-9);
    EXPECT_NEAR(f.background_seconds, 3.2 - 2.0, 1e-9);  // the window 0.5..2.5 s is not background
}

TEST(EventScoring, MissedEventsAndAlarmsInsideTheCollarsAreNotFalse) {
    std::string s(100, '-');
    for (int b = 64; b < 70; ++b) s[static_cast<size_t>(b)] = '+';  // on at 2.08 s: inside the 1 s collar after an event ending at 1.5 s
    const detect::DecisionParams p{0, 1, 1, 3};
    const eval::FileScore f = eval::score_file(q_of(s), {{0.5, 1.5}, {2.9, 3.1}}, p, {0.25, 1.0});
    EXPECT_EQ(f.detected, 1);  // the first, by the alarm inside its collar (latency from its onset)
    ASSERT_EQ(f.missed.size(), 1u);
    EXPECT_DOUBLE_EQ(f.missed[0], 2.9);
    EXPECT_TRUE(f.false_alarms.empty());
}

TEST(EventScoring, SummaryPoolsFiles) {
    eval::FileScore a, b;
    a.events = 2;
    a.detected = 1;
    a.latencies = {1.0};
    a.background_seconds = 1800;
    a.false_alarms = {5.0};
    b.events = 2;
    b.detected = 2;
    b.latencies = {0.5, 3.0};
    b.background_seconds = 1800;
    const eval::Summary s = eval::summarize({a, b});
    EXPECT_EQ(s.events, 4);
    EXPECT_EQ(s.detected, 3);
    EXPECT_DOUBLE_EQ(s.recall, 0.75);
    EXPECT_DOUBLE_EQ(s.false_alarms_per_hour, 1.0);
    EXPECT_DOUBLE_EQ(s.median_latency, 1.0);
    EXPECT_NEAR(s.p95_latency, 2.8, 1e-9);
}

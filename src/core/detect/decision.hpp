// From the stream of int8 scores (one per 512-sample block) to an alarm state: one integer
// rule, the same on host and device. A block is positive when its score q > threshold_q; the
// alarm turns on when at least k of the last n blocks were positive, and off again after
// release_blocks blocks in a row without a positive one (the hold that bridges the pauses of
// an alarm pattern). The parameters are data: they travel with the model as metadata.
#pragma once
#include <cstdint>

namespace earshot::detect {

inline constexpr int32_t kMaxWindow = 128;  // n: up to 4.1 s of blocks (alarms ring for minutes)
inline constexpr int32_t kHistoryWords = kMaxWindow / 32;

struct DecisionParams {
    int32_t threshold_q = 0;      // positive when q > threshold_q (int8 output units)
    int32_t k = 1, n = 1;         // enter: >= k positives among the last n blocks
    int32_t release_blocks = 1;   // leave: this many negative blocks in a row
};

struct DecisionState {
    uint32_t history[kHistoryWords] = {};  // bit i of the ring: a block's vote, written at `head`
    int32_t head = 0;             // ring position of the newest vote
    int32_t positives = 0;        // positives among the last n blocks
    int32_t negative_run = 0;     // negative blocks in a row
    uint32_t blocks = 0;          // blocks seen since reset
    bool on = false;
};

enum class DecisionEvent : uint8_t { none, onset, offset };

// 1 <= k <= n <= kMaxWindow, release_blocks >= 1, threshold_q in [-128, 127].
bool decision_params_valid(const DecisionParams& p);

void decision_reset(DecisionState& s);

// One block's score; returns the event this block causes (onset or offset), if any.
DecisionEvent decision_step(const DecisionParams& p, DecisionState& s, int32_t q);

// Milliseconds from the start of the stream to the end of block `block` (0-based): 32 ms per
// 512-sample block at 16 kHz, the time the block's decision is made.
inline uint32_t block_end_ms(uint32_t block) { return (block + 1u) * 32u; }

}  // namespace earshot::detect

#include "core/detect/decision.hpp"

namespace earshot::detect {

bool decision_params_valid(const DecisionParams& p) {
    return p.n >= 1 && p.n <= kMaxWindow && p.k >= 1 && p.k <= p.n && p.release_blocks >= 1 && p.threshold_q >= -128 &&
           p.threshold_q <= 127;
}

void decision_reset(DecisionState& s) { s = DecisionState{}; }

namespace {

bool vote_at(const DecisionState& s, int32_t i) { return (s.history[i >> 5] >> (i & 31)) & 1u; }

void set_vote(DecisionState& s, int32_t i, bool v) {
    const uint32_t bit = 1u << (i & 31);
    s.history[i >> 5] = v ? (s.history[i >> 5] | bit) : (s.history[i >> 5] & ~bit);
}

}  // namespace

DecisionEvent decision_step(const DecisionParams& p, DecisionState& s, int32_t q) {
    const bool positive = q > p.threshold_q;
    // The votes live in a ring of n bits; the new vote overwrites the one leaving the window.
    s.head = s.head + 1 == p.n ? 0 : s.head + 1;
    if (vote_at(s, s.head)) --s.positives;
    set_vote(s, s.head, positive);
    if (positive) ++s.positives;
    s.negative_run = positive ? 0 : s.negative_run + 1;
    ++s.blocks;
    if (!s.on && s.positives >= p.k) {
        s.on = true;
        return DecisionEvent::onset;
    }
    if (s.on && s.negative_run >= p.release_blocks) {
        s.on = false;
        for (uint32_t& w : s.history) w = 0;  // a new onset needs k fresh positives, not the tail of this alarm
        s.positives = 0;
        return DecisionEvent::offset;
    }
    return DecisionEvent::none;
}

}  // namespace earshot::detect

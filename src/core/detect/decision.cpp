#include "core/detect/decision.hpp"

namespace earshot::detect {

bool decision_params_valid(const DecisionParams& p) {
    return p.n >= 1 && p.n <= kMaxWindow && p.k >= 1 && p.k <= p.n && p.release_blocks >= 1 && p.threshold_q >= -128 &&
           p.threshold_q <= 127;
}

void decision_reset(DecisionState& s) { s = DecisionState{}; }

DecisionEvent decision_step(const DecisionParams& p, DecisionState& s, int32_t q) {
    const bool positive = q > p.threshold_q;
    // The block leaving the n-block window takes its vote with it.
    if ((s.history >> (p.n - 1)) & 1u) --s.positives;
    s.history = (s.history << 1) | (positive ? 1u : 0u);
    if (p.n < kMaxWindow) s.history &= (1u << p.n) - 1u;
    if (positive) ++s.positives;
    s.negative_run = positive ? 0 : s.negative_run + 1;
    ++s.blocks;
    if (!s.on && s.positives >= p.k) {
        s.on = true;
        return DecisionEvent::onset;
    }
    if (s.on && s.negative_run >= p.release_blocks) {
        s.on = false;
        s.history = 0;  // a new onset needs k fresh positives, not the tail of this alarm
        s.positives = 0;
        return DecisionEvent::offset;
    }
    return DecisionEvent::none;
}

}  // namespace earshot::detect

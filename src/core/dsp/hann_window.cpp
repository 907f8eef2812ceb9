#include "core/dsp/hann_window.hpp"

#include "core/dsp/turns.hpp"

namespace earshot::dsp {
namespace {

struct WindowTable {
    int16_t w[kFrameLength];
};

constexpr WindowTable make_window() {
    WindowTable t{};
    for (int i = 0; i < kFrameLength; ++i) {
        t.w[i] = detail::truncate_to_q15(0.5 * (1.0 - detail::cos_turn(i, kFrameLength)));
    }
    return t;
}

constexpr WindowTable kWindow = make_window();

static_assert(kWindow.w[0] == 0 && kWindow.w[64] == 16384 && kWindow.w[128] == 32767,
              "Hann q15 anchor values (see ../shared/golden/cmsis_dsp_5.8.0/README.md)");

constexpr bool non_negative(const WindowTable& t) {
    for (int16_t w : t.w) {
        if (w < 0) return false;
    }
    return true;
}

// With w in [0, 32767], (w * x) >> 15 stays inside int16 for every x: arm_mult_q15's
// saturation never fires, and the device skips its compare.
static_assert(non_negative(kWindow), "a window value below 0 could make arm_mult_q15 saturate");

}  // namespace

const int16_t* hann_window_q15() { return kWindow.w; }

void apply_window_q15(const int16_t* frame, int16_t* windowed) {
    for (int i = 0; i < kFrameLength; ++i) windowed[i] = static_cast<int16_t>((int32_t{kWindow.w[i]} * frame[i]) >> 15);
}

}  // namespace earshot::dsp

// Device-side check of the assembly kernels (ctest firmware_kernel_check, on the emulated
// board), each against its C++ twin, the code the host runs:
//  - the conv windows vs conv1ch_max_of_windows() on pseudo-random windows (1 to 9 of them,
//    reduced to their maximum), filter heights, row strides and weights (extremes included),
//    and the cycles each takes on the reference model's 2x2 pool cell of 8x8 windows;
//  - the PDM CIC sums vs pdm_cic_sums() on random bit blocks (runs of 0s and 1s included),
//    state carried across calls, and the cycles for one 512-sample block;
//  - the PDM FIR outputs vs pdm_fir_outputs() on random stage-1 windows (extremes included)
//    of random lengths, and the cycles for one 512-sample block (512 outputs);
//  - the FFT's radix-2 split and three radix-4 stages vs their C++ twins on random inputs (the
//    extremes often, so saturation is exercised), the cycles of each, and of a whole
//    256-point real FFT as the app runs it.
// One line on UART0:
//   kernel_check: windows=401 cic_blocks=40 fir_blocks=40 mismatches=0 cycles_pool_cell_asm=.. cycles_pool_cell_cpp=..
//                 cycles_cic_asm=.. cycles_cic_cpp=.. cycles_fir_asm=.. cycles_fir_cpp=..
//                 cycles_fft_{first,middle,last,split}_{asm,cpp}=.. cycles_rfft256=..
#include <cstdint>

#include "core/dsp/pdm_decimator.hpp"
#include "core/dsp/rfft_q15.hpp"
#include "core/nn/conv1ch.hpp"
#include "firmware/boards/board.hpp"
#include "firmware/rp2040/clocks.hpp"
#include "firmware/rp2040/cycles.hpp"
#include "firmware/rp2040/uart.hpp"

extern "C" void earshot_conv1ch_max_of_windows_armv6m(const earshot::nn::Conv1chWindows* windows, int32_t* best);
extern "C" void earshot_pdm_cic_sums_armv6m(const uint32_t* words, int32_t word_count, uint32_t* bits, uint32_t* sums,
                                            const uint16_t* tables);
extern "C" void earshot_pdm_fir_outputs_armv6m(const int32_t* window, int32_t count, const int32_t* h, int32_t* out);
extern "C" void earshot_radix2_split128_armv6m(int16_t* x, const int16_t* twiddles);
extern "C" void earshot_radix4_first_stage64_armv6m(int16_t* x, const int32_t* twiddles);
extern "C" void earshot_radix4_middle_stage64_armv6m(int16_t* x, const int32_t* twiddles);
extern "C" void earshot_radix4_last_stage64_doubled_armv6m(int16_t* x);

using namespace earshot;

namespace {

constexpr int32_t kMaxRows = 12, kMaxStride = 40, kTrials = 400, kMaxWindows = 9, kMaxShift = 40;
uint8_t g_input[kMaxRows * kMaxStride + kMaxShift + 8];
int32_t g_taps[kMaxRows * nn::kConv1chTapsPerRow * nn::kConv1chGroup];
int32_t g_offsets[kMaxWindows];
constexpr int32_t kCicWords = 1024, kCicBlocks = 40;  // one 512-sample block of PDM words
uint32_t g_words[kCicWords], g_sums_asm[2 * kCicWords], g_sums_cpp[2 * kCicWords];
constexpr int32_t kFirOutputs = 512, kFirBlocks = 40;  // one block's PCM samples
int32_t g_stage1[4 * kFirOutputs + 31], g_fir_asm[kFirOutputs], g_fir_cpp[kFirOutputs];
constexpr int32_t kFftTrials = 200;  // per FFT stage
alignas(4) int16_t g_fft_asm[256], g_fft_cpp[256], g_frame[256], g_bins[258];  // word-aligned, as the FFT needs

uint32_t g_state = 0x2545f491u;
uint32_t next_random() {  // xorshift32
    g_state ^= g_state << 13;
    g_state ^= g_state >> 17;
    g_state ^= g_state << 5;
    return g_state;
}

// Mostly uniform, sometimes the extremes (where a wrong sign or width would show).
int32_t random_in(int32_t lo, int32_t hi) {
    const uint32_t r = next_random();
    if ((r & 15u) == 0) return lo;
    if ((r & 15u) == 1) return hi;
    return lo + static_cast<int32_t>((r >> 8) % static_cast<uint32_t>(hi - lo + 1));
}

bool same(const int32_t* a, const int32_t* b) {
    for (int32_t c = 0; c < nn::kConv1chGroup; ++c) {
        if (a[c] != b[c]) return false;
    }
    return true;
}

}  // namespace

int main() {
    rp2040::init_clocks();
    rp2040::init_cycle_counter();
    rp2040::init_uart0(board::kPins.uart_tx, 115200);
    uint32_t mismatches = 0;
    int32_t acc_asm[nn::kConv1chGroup], acc_cpp[nn::kConv1chGroup];
    for (int32_t trial = 0; trial < kTrials; ++trial) {
        const int32_t rows = random_in(1, kMaxRows), stride = random_in(8, kMaxStride), count = random_in(1, kMaxWindows);
        for (auto& v : g_input) v = static_cast<uint8_t>(random_in(0, 255));
        for (int32_t i = 0; i < rows * nn::kConv1chTapsPerRow * nn::kConv1chGroup; ++i) g_taps[i] = random_in(-128, 127);
        for (int32_t k = 0; k < count; ++k) g_offsets[k] = random_in(0, kMaxShift);
        const nn::Conv1chWindows windows{g_input + random_in(0, kMaxStride - 8), g_taps, stride, rows, g_offsets, count};
        earshot_conv1ch_max_of_windows_armv6m(&windows, acc_asm);
        nn::conv1ch_max_of_windows(windows, acc_cpp);
        if (!same(acc_asm, acc_cpp)) ++mismatches;
    }
    // The reference model's pool cell: 2 x 2 windows of 8 x 8, stride 2 on a 32-wide input.
    const int32_t cell[4] = {0, 2, 64, 66};
    const nn::Conv1chWindows pool_cell{g_input, g_taps, 32, 8, cell, 4};
    const uint32_t t0 = rp2040::cycle_mark();
    earshot_conv1ch_max_of_windows_armv6m(&pool_cell, acc_asm);
    const uint32_t t1 = rp2040::cycle_mark();
    nn::conv1ch_max_of_windows(pool_cell, acc_cpp);
    const uint32_t t2 = rp2040::cycle_mark();
    if (!same(acc_asm, acc_cpp)) ++mismatches;

    // CIC sums: random lengths, words that are random, all ones, all zeros or alternating.
    uint32_t bits_asm[2] = {0, 0}, bits_cpp[2] = {0, 0};
    uint32_t cic_asm = 0, cic_cpp = 0;
    for (int32_t block = 0; block < kCicBlocks; ++block) {
        const int32_t words = block == 0 ? kCicWords : random_in(1, kCicWords);
        for (int32_t i = 0; i < words; ++i) {
            const uint32_t kind = next_random() & 7u;
            g_words[i] = kind == 0 ? 0xffffffffu : (kind == 1 ? 0u : (kind == 2 ? 0xaaaaaaaau : next_random()));
        }
        const uint32_t c0 = rp2040::cycle_mark();
        earshot_pdm_cic_sums_armv6m(g_words, words, bits_asm, g_sums_asm, dsp::pdm_cic_tables());
        const uint32_t c1 = rp2040::cycle_mark();
        dsp::pdm_cic_sums(g_words, words, bits_cpp, g_sums_cpp);
        const uint32_t c2 = rp2040::cycle_mark();
        if (block == 0) cic_asm = rp2040::cycles_between(c0, c1), cic_cpp = rp2040::cycles_between(c1, c2);
        for (int32_t i = 0; i < 2 * words; ++i) {
            if (g_sums_asm[i] != g_sums_cpp[i]) ++mismatches;
        }
        if (bits_asm[0] != bits_cpp[0] || bits_asm[1] != bits_cpp[1]) ++mismatches;
    }

    // FIR outputs: stage-1 values anywhere in their range (+-16384 and a little more at the
    // start-up ramp), the extremes included; random counts.
    uint32_t fir_asm = 0, fir_cpp = 0;
    for (int32_t block = 0; block < kFirBlocks; ++block) {
        const int32_t count = block == 0 ? kFirOutputs : random_in(1, kFirOutputs);
        for (int32_t i = 0; i < 4 * count + 27; ++i) {
            const uint32_t kind = next_random() & 7u;
            g_stage1[i] = kind == 0 ? 16384 : (kind == 1 ? -16384 : static_cast<int32_t>(next_random() % 32769u) - 16384);
        }
        const uint32_t c0 = rp2040::cycle_mark();
        earshot_pdm_fir_outputs_armv6m(g_stage1, count, dsp::pdm_fir_coefficients32(), g_fir_asm);
        const uint32_t c1 = rp2040::cycle_mark();
        dsp::pdm_fir_outputs(g_stage1, count, g_fir_cpp);
        const uint32_t c2 = rp2040::cycle_mark();
        if (block == 0) fir_asm = rp2040::cycles_between(c0, c1), fir_cpp = rp2040::cycles_between(c1, c2);
        for (int32_t i = 0; i < count; ++i) {
            if (g_fir_asm[i] != g_fir_cpp[i]) ++mismatches;
        }
    }

    // FFT stages: 64 complex values anywhere in the int16 range (the extremes often, so the
    // middle and last stages saturate), each stage run by the assembly and by its C++ twin.
    uint32_t stage_asm[4] = {0, 0, 0, 0}, stage_cpp[4] = {0, 0, 0, 0};
    for (int32_t trial = 0; trial < kFftTrials; ++trial) {
        for (int32_t stage = 0; stage < 4; ++stage) {
            const int32_t values = stage == 3 ? 256 : 128;
            for (int32_t i = 0; i < values; ++i) g_fft_asm[i] = g_fft_cpp[i] = static_cast<int16_t>(random_in(-32768, 32767));
            const uint32_t c0 = rp2040::cycle_mark();
            if (stage == 3) earshot_radix2_split128_armv6m(g_fft_asm, dsp::cfft128_twiddles());
            if (stage == 0) earshot_radix4_first_stage64_armv6m(g_fft_asm, dsp::radix4_first_twiddles());
            if (stage == 1) earshot_radix4_middle_stage64_armv6m(g_fft_asm, dsp::radix4_middle_twiddles());
            if (stage == 2) earshot_radix4_last_stage64_doubled_armv6m(g_fft_asm);
            const uint32_t c1 = rp2040::cycle_mark();
            if (stage == 0) dsp::radix4_first_stage64(g_fft_cpp);
            if (stage == 1) dsp::radix4_middle_stage64(g_fft_cpp);
            if (stage == 2) dsp::radix4_last_stage64_doubled(g_fft_cpp);
            if (stage == 3) dsp::radix2_split128(g_fft_cpp);
            const uint32_t c2 = rp2040::cycle_mark();
            if (trial == 0) stage_asm[stage] = rp2040::cycles_between(c0, c1), stage_cpp[stage] = rp2040::cycles_between(c1, c2);
            for (int32_t i = 0; i < values; ++i) {
                if (g_fft_asm[i] != g_fft_cpp[i]) ++mismatches;
            }
        }
    }
    // One whole frame's FFT as the app runs it (256 random samples; the assembly stages).
    for (int32_t i = 0; i < 256; ++i) g_frame[i] = static_cast<int16_t>(random_in(-32768, 32767));
    const uint32_t r0 = rp2040::cycle_mark();
    dsp::rfft256_q15(g_frame, g_bins);
    const uint32_t rfft_cycles = rp2040::cycles_between(r0, rp2040::cycle_mark());

    rp2040::uart_write("kernel_check: windows=");
    rp2040::uart_write_u32(kTrials + 1);
    rp2040::uart_write(" cic_blocks=");
    rp2040::uart_write_u32(kCicBlocks);
    rp2040::uart_write(" fir_blocks=");
    rp2040::uart_write_u32(kFirBlocks);
    rp2040::uart_write(" fft_stage_trials=");
    rp2040::uart_write_u32(kFftTrials);
    rp2040::uart_write(" mismatches=");
    rp2040::uart_write_u32(mismatches);
    rp2040::uart_write(" cycles_pool_cell_asm=");
    rp2040::uart_write_u32(rp2040::cycles_between(t0, t1));
    rp2040::uart_write(" cycles_pool_cell_cpp=");
    rp2040::uart_write_u32(rp2040::cycles_between(t1, t2));
    rp2040::uart_write(" cycles_cic_asm=");
    rp2040::uart_write_u32(cic_asm);
    rp2040::uart_write(" cycles_cic_cpp=");
    rp2040::uart_write_u32(cic_cpp);
    rp2040::uart_write(" cycles_fir_asm=");
    rp2040::uart_write_u32(fir_asm);
    rp2040::uart_write(" cycles_fir_cpp=");
    rp2040::uart_write_u32(fir_cpp);
    const char* const stage_names[4] = {" cycles_fft_first", " cycles_fft_middle", " cycles_fft_last", " cycles_fft_split"};
    for (int32_t stage = 0; stage < 4; ++stage) {
        rp2040::uart_write(stage_names[stage]);
        rp2040::uart_write("_asm=");
        rp2040::uart_write_u32(stage_asm[stage]);
        rp2040::uart_write(stage_names[stage]);
        rp2040::uart_write("_cpp=");
        rp2040::uart_write_u32(stage_cpp[stage]);
    }
    rp2040::uart_write(" cycles_rfft256=");
    rp2040::uart_write_u32(rfft_cycles);
    rp2040::uart_write("\n");
    for (;;) {
    }
}

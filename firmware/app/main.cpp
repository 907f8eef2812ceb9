// The inference app (reference step 8): every 512 new samples, update the rolling spectrogram
// (4 frames), quantize it for the model, run the compiled model, feed the score to the
// decision rule (the model's operating point, compiled in), light the LED while the alarm is on
// (brightness following the score) and queue a line for the serial port:
//   score=0.930 q=110 alarm=1 t=1234ms dropped=0 lines_dropped=0 cycles_pdm=... cycles_frontend=...
//   cycles_quantize=... cycles_model=... cycles_output=... cycles_iter=...
// plus `alarm on t=2336ms` / `alarm off t=6432ms` when the state changes (t: audio time, the
// end of the block that decided, counting dropped blocks, so host and board print the same).
// The lines leave by DMA on UART0 (serial_tx) and, while a program has the port open, on the
// USB serial port (usb_serial: CDC-ACM, /dev/ttyACM0): the same lines on both. The loop never
// waits for either; a line that does not fit a port's ring is dropped there and counted
// (lines_dropped: both ports together), never audio. cycles_output is the
// formatting and queueing of the previous block's lines; cycles_iter includes it.
#include <atomic>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "core/detect/decision.hpp"
#include "core/dsp/log_bands.hpp"
#include "core/dsp/pdm_decimator.hpp"
#include "core/dsp/quantized_bin_stream.hpp"
#include "core/dsp/streaming_spectrogram.hpp"
#include "earshot_model.hpp"
#include "firmware/app/audio_mailbox.hpp"
#include "firmware/app/microphone.hpp"
#include "firmware/boards/board.hpp"
#include "firmware/rp2040/clocks.hpp"
#include "firmware/rp2040/cycles.hpp"
#include "firmware/rp2040/pwm.hpp"
#include "firmware/rp2040/serial_tx.hpp"
#include "firmware/rp2040/uart.hpp"
#include "firmware/rp2040/usb_device.hpp"
#include "firmware/rp2040/usb_serial.hpp"

using namespace earshot;

__attribute__((section(".mailbox"), used)) app::AudioMailbox g_mailbox;

namespace {

alignas(8) int8_t g_arena[earshot_model::kPreparedArenaBytes];  // the device path's part of the arena

// The model's front end, chosen at compile time from the compiled model: only the one it uses
// takes RAM. push() takes a 512-sample block; prepare() writes the model's input into the arena.
struct SpectrogramFrontEnd {  // a spectrogram model read whole: rolling 124x129 spectrogram (64 KB)
    dsp::StreamingSpectrogram spectrogram;
    void push(const int16_t* block) { spectrogram.push(block); }
    void prepare(int8_t* arena) { earshot_model::prepare(spectrogram.frames(), arena); }  // quantizes what the model reads
};
struct LogBandFrontEnd {  // the default detector: one log band column per block (a few KB)
    static constexpr int32_t kValues = earshot_model::kLogBandLayout.columns * earshot_model::kLogBandLayout.bands;
    int16_t ring[2 * kValues];
    int16_t features[kValues];
    dsp::LogBandStream stream{earshot_model::kLogBandLayout, ring};
    void push(const int16_t* block) { stream.push(block); }
    void prepare(int8_t* arena) {
        stream.features(features);
        earshot_model::prepare(features, arena);
    }
};
struct BinRingFrontEnd {  // the tutorial path, model-aware: only the bins the resize reads, as int8 (8 KB)
    int8_t ring[2 * dsp::kFrames * earshot_model::kBinRingBinCount];
    dsp::QuantizedBinStream stream{earshot_model::kBinRingBins, earshot_model::kBinRingBinCount, earshot_model::kInputQuantizer, ring};
    void push(const int16_t* block) { stream.push(block); }
    void prepare(int8_t* arena) { earshot_model::prepare_from_bins(stream.frames(), arena); }  // copies the rows the resize reads
};
std::conditional_t<earshot_model::kLogBandFeatures, LogBandFrontEnd,
                   std::conditional_t<earshot_model::kBinRing, BinRingFrontEnd, SpectrogramFrontEnd>>
    g_front_end;
dsp::PdmDecimator g_pdm;
int16_t g_block[dsp::kStreamChunk];
detect::DecisionState g_decision;

void send_line(const rp2040::Line& line) {
    rp2040::serial_send(line);
    rp2040::usb_serial_send(line);
}

uint32_t dropped_lines() { return rp2040::serial_dropped_lines() + rp2040::usb_serial_dropped_lines(); }

void send_event(detect::DecisionEvent e, uint32_t audio_block) {
    if (e == detect::DecisionEvent::none) return;
    rp2040::Line line;
    line.put(e == detect::DecisionEvent::onset ? "alarm on t=" : "alarm off t=");
    line.put_u32(detect::block_end_ms(audio_block));
    line.put("ms\n");
    send_line(line);
}

struct StageCycles {
    uint32_t pdm, frontend, quantize, model, output, iteration;
};

void send_score(int32_t q, bool alarm, uint32_t t_ms, const StageCycles& c) {
    // score = (q - zp) / 256 for the sigmoid's fixed int8 output, printed with 3 decimals.
    const uint32_t milli = static_cast<uint32_t>((q - earshot_model::kOutputZeroPoint) * 1000 / 256);
    rp2040::Line line;
    line.put("score=");
    line.put_fixed(milli, 3);
    line.put(" q=");
    line.put_i32(q);
    line.put(alarm ? " alarm=1 t=" : " alarm=0 t=");
    line.put_u32(t_ms);
    line.put("ms dropped=");
    line.put_u32(g_mailbox.dropped);
    line.put(" lines_dropped=");
    line.put_u32(dropped_lines());
    line.put(" cycles_pdm=");
    line.put_u32(c.pdm);
    line.put(" cycles_frontend=");
    line.put_u32(c.frontend);
    line.put(" cycles_quantize=");
    line.put_u32(c.quantize);
    line.put(" cycles_model=");
    line.put_u32(c.model);
    line.put(" cycles_output=");
    line.put_u32(c.output);
    line.put(" cycles_iter=");
    line.put_u32(c.iteration);
    line.put("\n");
    send_line(line);
}

}  // namespace

int main() {
    rp2040::init_clocks();
    rp2040::init_cycle_counter();
    rp2040::init_usb_clock();
    rp2040::init_uart0(board::kPins.uart_tx, 115200);
    rp2040::init_serial_tx();
    rp2040::init_usb_serial();
    rp2040::init_led_pwm(board::kPins.led);
    const bool external = g_mailbox.producer == app::kExternalProducer;
    rp2040::uart_write("earshot: board=");
    rp2040::uart_write(board::kPins.name);
    rp2040::uart_write(" arena=");
    rp2040::uart_write_u32(earshot_model::kPreparedArenaBytes);
    if (external) {
        rp2040::uart_write(" audio=external");
    } else {
        app::print_microphone_pins();
    }
    rp2040::uart_write("\n");
    rp2040::uart_flush();  // the banner (the boot's only blocking output) is out before audio starts
    g_mailbox.written = 0;
    g_mailbox.read = 0;
    g_mailbox.dropped = 0;
    dsp::pdm_reset(g_pdm);
    detect::decision_reset(g_decision);
    if (!external) app::start_microphone(g_mailbox);
    g_mailbox.magic = app::kMailboxMagic;
    uint32_t output_cycles = 0;  // the previous block's lines, counted in this block's iteration
    for (;;) {
        uint32_t read = g_mailbox.read;
        while (g_mailbox.written == read) {
            rp2040::serial_pump();  // waiting anyway: keep the UART's DMA and the USB packets going
            rp2040::usb_serial_pump();
        }
        std::atomic_signal_fence(std::memory_order_acquire);  // read the block only after seeing it counted
        const uint32_t t0 = rp2040::cycle_mark();
        const uint32_t written = g_mailbox.written;
        // Overrun: the producer is refilling the oldest block (one block is always being filled).
        if (written - read > app::kBlocks - 1) {
            g_mailbox.dropped = g_mailbox.dropped + (written - read - (app::kBlocks - 1));
            read = written - (app::kBlocks - 1);
        }
        if (g_mailbox.format == static_cast<uint32_t>(app::AudioFormat::pdm)) {
            dsp::pdm_decimate(g_pdm, g_mailbox.pdm[read % app::kBlocks], app::kPdmWordsPerBlock, g_block);
        } else {
            std::memcpy(g_block, g_mailbox.pcm[read % app::kBlocks], sizeof g_block);
        }
        const uint32_t audio_block = read;  // counts the dropped blocks too: the block's place in the audio
        g_mailbox.read = read + 1;
        const uint32_t t0f = rp2040::cycle_mark();

        g_front_end.push(g_block);
        const uint32_t t1 = rp2040::cycle_mark();
        g_front_end.prepare(g_arena);
        const uint32_t t1q = rp2040::cycle_mark();
        earshot_model::run_prepared(g_arena);
        const uint32_t t2 = rp2040::cycle_mark();
        const int32_t q = g_arena[earshot_model::kOutputOffset + earshot_model::kScoreOutput];
        const detect::DecisionEvent event = detect::decision_step(earshot_model::kDecision, g_decision, q);
        // The LED is the alarm: dark while off, brightness following the score while on.
        rp2040::set_led_brightness(board::kPins.led, g_decision.on ? static_cast<uint8_t>(q + 128) : 0);
        const uint32_t t3 = rp2040::cycle_mark();
        const StageCycles cycles{rp2040::cycles_between(t0, t0f), rp2040::cycles_between(t0f, t1), rp2040::cycles_between(t1, t1q),
                                 rp2040::cycles_between(t1q, t2), output_cycles, rp2040::cycles_between(t0, t3) + output_cycles};
        send_event(event, audio_block);
        send_score(q, g_decision.on, rp2040::micros() / 1000, cycles);
        output_cycles = rp2040::cycles_between(t3, rp2040::cycle_mark());
    }
}

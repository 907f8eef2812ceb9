// The USB microphone app (data collection, like the reference's "MicNode"): the board's PDM
// microphone, decimated exactly as the detector hears it, streamed to a computer as a USB Audio
// Class 1 microphone, 16 kHz mono 16-bit; record with any audio tool (arecord, Audacity) and
// train with `earshot demo --positives ...`. Packets of 32 samples (1 ms); a packet waits for
// the audio, so a host that asks early gets nothing that frame.
#include <atomic>
#include <cstdint>

#include "core/dsp/pdm_decimator.hpp"
#include "firmware/app/audio_mailbox.hpp"
#include "firmware/app/microphone.hpp"
#include "firmware/boards/board.hpp"
#include "firmware/rp2040/clocks.hpp"
#include "firmware/rp2040/uart.hpp"
#include "firmware/rp2040/usb_device.hpp"

using namespace earshot;

__attribute__((section(".mailbox"), used)) app::AudioMailbox g_mailbox;

namespace {

constexpr uint16_t kSamplesPerPacket = 32;  // 1 ms at 16 kHz
constexpr uint8_t kStreamingInterface = 1;

// USB Audio Class 1.0 microphone (usbaudio10.pdf: 4.3 AudioControl, 4.5 AudioStreaming, the
// Type I format in frmts10.pdf). pid.codes' test VID/PID (1209:0001): change for a product.
constexpr uint8_t kDevice[18] = {18, 1, 0x10, 0x01, 0, 0, 0, 64, 0x09, 0x12, 0x01, 0x00, 0x00, 0x01, 1, 2, 0, 1};
constexpr uint8_t kConfiguration[] = {
    9, 2, 100, 0, 2, 1, 0, 0x80, 50,                    // configuration: 100 bytes, 2 interfaces, 100 mA
    9, 4, 0, 0, 0, 1, 1, 0, 0,                          // interface 0: AudioControl
    9, 0x24, 1, 0x00, 0x01, 30, 0, 1, 1,                // AC header 1.0, 30 bytes, streaming interface 1
    12, 0x24, 2, 1, 0x01, 0x02, 0, 1, 0x00, 0x00, 0, 0,  // input terminal 1: microphone, mono
    9, 0x24, 3, 2, 0x01, 0x01, 0, 1, 0,                 // output terminal 2: USB streaming, from 1
    9, 4, 1, 0, 0, 1, 2, 0, 0,                          // interface 1 alt 0: no bandwidth
    9, 4, 1, 1, 1, 1, 2, 0, 0,                          // interface 1 alt 1: streaming
    7, 0x24, 1, 2, 1, 0x01, 0x00,                       // AS general: terminal 2, PCM
    11, 0x24, 2, 1, 1, 2, 16, 1, 0x80, 0x3e, 0x00,      // Type I: mono, 2 bytes, 16 bits, 16000 Hz
    9, 5, 0x81, 0x05, 64, 0, 1, 0, 0,                   // endpoint 1 IN, isochronous async, 64 bytes, 1 ms
    7, 0x25, 1, 0, 0, 0, 0,                             // class endpoint: no controls
};
static_assert(sizeof kConfiguration == 100, "wTotalLength");

constexpr rp2040::UsbString kManufacturer("earshot");
constexpr rp2040::UsbString kProduct("earshot microphone");
const uint8_t* const kStrings[] = {rp2040::kUsbLanguages, kManufacturer.bytes, kProduct.bytes};

dsp::PdmDecimator g_pdm;
// Decimated audio waiting for USB: a ring of 4 blocks, written by the main loop, read by it too.
constexpr uint32_t kFifoSamples = 4 * dsp::kStreamChunk;
int16_t g_fifo[kFifoSamples];
uint32_t g_fifo_written = 0, g_fifo_read = 0;
std::atomic<bool> g_streaming{false};

void on_set_interface(uint8_t interface, uint8_t alt) {
    if (interface == kStreamingInterface) g_streaming = alt == 1;
}
constexpr rp2040::UsbEndpoint kStreamEndpoint{0x81, 1, 2 * kSamplesPerPacket};  // isochronous IN, 1 ms of audio

}  // namespace

int main() {
    rp2040::init_clocks();
    rp2040::init_usb_clock();
    rp2040::init_uart0(board::kPins.uart_tx, 115200);
    rp2040::uart_write("earshot-mic: board=");
    rp2040::uart_write(board::kPins.name);
    app::print_microphone_pins();
    rp2040::uart_write("\n");
    rp2040::uart_flush();
    g_mailbox.written = g_mailbox.read = g_mailbox.dropped = 0;
    dsp::pdm_reset(g_pdm);
    app::start_microphone(g_mailbox);
    rp2040::init_usb_device({kDevice, kConfiguration, sizeof kConfiguration, kStrings, 3}, &kStreamEndpoint, 1,
                            {on_set_interface, nullptr, nullptr, nullptr});
    g_mailbox.magic = app::kMailboxMagic;
    bool was_streaming = false;
    for (;;) {
        // Every microphone block is decimated (the filters stay warm); it is queued only while
        // the host streams, so a recording starts with fresh audio.
        const uint32_t read = g_mailbox.read;
        if (g_mailbox.written != read) {
            std::atomic_signal_fence(std::memory_order_acquire);
            int16_t block[dsp::kStreamChunk];
            dsp::pdm_decimate(g_pdm, g_mailbox.pdm[read % app::kBlocks], app::kPdmWordsPerBlock, block);
            g_mailbox.read = read + 1;
            const bool streaming = g_streaming;
            if (streaming && !was_streaming) {
                rp2040::uart_write("earshot-mic: streaming from block ");
                rp2040::uart_write_u32(read);
                rp2040::uart_write("\n");
                g_fifo_read = g_fifo_written;
            }
            was_streaming = streaming;
            if (streaming) {
                if (g_fifo_written - g_fifo_read + dsp::kStreamChunk > kFifoSamples) {  // the host is not reading: drop
                    g_mailbox.dropped = g_mailbox.dropped + 1;
                    g_fifo_read += dsp::kStreamChunk;
                }
                for (int16_t v : block) g_fifo[g_fifo_written++ % kFifoSamples] = v;
            }
        }
        if (g_streaming && rp2040::usb_in_ready(1) && g_fifo_written - g_fifo_read >= kSamplesPerPacket) {
            int16_t packet[kSamplesPerPacket];
            for (int16_t& v : packet) v = g_fifo[g_fifo_read++ % kFifoSamples];
            rp2040::usb_send_in(1, packet, sizeof packet);
        }
    }
}

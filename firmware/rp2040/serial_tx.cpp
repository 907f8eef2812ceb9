#include "firmware/rp2040/serial_tx.hpp"

#include "firmware/rp2040/regs.hpp"

namespace earshot::rp2040 {
namespace {

constexpr uint32_t kChannel = 2;
constexpr uint32_t kDreqUart0Tx = 20;
// Per channel n at n * 0x40 (datasheet 2.5.7).
constexpr uint32_t kReadAddr = 0x00, kWriteAddr = 0x04, kTransCount = 0x08, kCtrlTrig = 0x0c;
constexpr uint32_t kCtrlBusy = 1u << 24;
constexpr uint32_t kRingBytes = 2048;  // 13 lines of the app's longest: 400 ms of wire time at 115200

uint8_t g_ring[kRingBytes];
volatile uint32_t g_head = 0;     // bytes queued (free-running)
uint32_t g_tail = 0;              // bytes handed to the DMA so far
uint32_t g_in_flight = 0;         // bytes of the current transfer
uint32_t g_dropped = 0;

uint32_t channel_reg(uint32_t offset) { return base::dma + 0x40 * kChannel + offset; }

}  // namespace

void init_serial_tx() {
    unreset(reset_bit::dma);
    reg(channel_reg(kWriteAddr)) = base::uart0 + 0x00;  // UARTDR
}

bool serial_send(const Line& line) {
    const uint32_t used = g_head - g_tail;  // queued and not yet handed over, plus the transfer in flight
    if (line.length > kRingBytes - used) {
        ++g_dropped;
        return false;
    }
    uint32_t head = g_head;
    for (uint32_t i = 0; i < line.length; ++i) g_ring[head++ % kRingBytes] = static_cast<uint8_t>(line.text[i]);
    g_head = head;
    serial_pump();
    return true;
}

void serial_pump() {
    if (g_in_flight) {
        if (reg(channel_reg(kCtrlTrig)) & kCtrlBusy) return;  // still sending
        g_tail += g_in_flight;
        g_in_flight = 0;
    }
    const uint32_t queued = g_head - g_tail;
    if (!queued) return;
    // One contiguous stretch (up to the ring's end); the rest goes in the next transfer.
    const uint32_t start = g_tail % kRingBytes;
    const uint32_t n = queued < kRingBytes - start ? queued : kRingBytes - start;
    reg(channel_reg(kReadAddr)) = reinterpret_cast<uint32_t>(&g_ring[start]);
    reg(channel_reg(kTransCount)) = n;
    g_in_flight = n;
    // EN, bytes, read address increments, write fixed (UARTDR), chain to itself (none), paced by
    // the UART's TX DREQ, quiet (no interrupt).
    reg(channel_reg(kCtrlTrig)) = 1u | (0u << 2) | (1u << 4) | (kChannel << 11) | (kDreqUart0Tx << 15) | (1u << 21);
}

uint32_t serial_dropped_lines() { return g_dropped; }

}  // namespace earshot::rp2040

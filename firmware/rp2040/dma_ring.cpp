#include "firmware/rp2040/dma_ring.hpp"

#include "firmware/rp2040/regs.hpp"

namespace earshot::rp2040 {
namespace {

constexpr uint32_t kDmaIrq0 = 11;
// Per channel n at n * 0x40 (datasheet 2.5.7).
constexpr uint32_t kReadAddr = 0x00, kWriteAddr = 0x04, kTransCount = 0x08, kCtrlTrig = 0x0c, kAl1Ctrl = 0x10;
constexpr uint32_t kInte0 = 0x404, kInts0 = 0x40c;

DmaRing g_ring;
uint32_t g_next_channel = 0;  // the channel whose block completes next

uint32_t channel(uint32_t n) { return base::dma + 0x40 * n; }
uint32_t* block_address(uint32_t index) { return g_ring.ring + (index % g_ring.blocks) * g_ring.block_words; }

}  // namespace

void start_dma_ring(const DmaRing& ring, uint32_t fifo_address, uint32_t dreq) {
    g_ring = ring;
    g_next_channel = 0;
    unreset(reset_bit::dma);
    for (uint32_t n = 0; n < 2; ++n) {
        reg(channel(n) + kReadAddr) = fifo_address;
        reg(channel(n) + kWriteAddr) = reinterpret_cast<uint32_t>(block_address(n));
        reg(channel(n) + kTransCount) = ring.block_words;
    }
    reg(base::dma + kInte0) = 0b11;
    enable_irq(kDmaIrq0);
    // EN, 32-bit words, write address increments, paced by dreq, chain to the other channel.
    const auto ctrl = [dreq](uint32_t other) { return 1u | (2u << 2) | (1u << 5) | (other << 11) | (dreq << 15); };
    reg(channel(1) + kAl1Ctrl) = ctrl(0);   // armed, starts when channel 0 chains to it
    reg(channel(0) + kCtrlTrig) = ctrl(1);  // starts now, waits for data
}

}  // namespace earshot::rp2040

// Block `completed` is full: the channel that filled it now targets the block two ahead.
extern "C" void isr_dma_irq_0() {
    using namespace earshot::rp2040;
    uint32_t done = reg(base::dma + kInts0);
    reg(base::dma + kInts0) = done;
    while (done & (1u << g_next_channel)) {
        done &= ~(1u << g_next_channel);
        const uint32_t block = *g_ring.completed;
        reg(channel(g_next_channel) + kWriteAddr) = reinterpret_cast<uint32_t>(block_address(block + 2));
        *g_ring.completed = block + 1;
        g_next_channel ^= 1u;
    }
}

// A ring of equal blocks filled from a peripheral FIFO by DMA, forever, with no CPU work per
// word: two channels take turns (channel c fills blocks c, c+2, ...), each chaining to the other
// when its block is full, so capture never pauses; the completion interrupt re-aims the
// finished channel two blocks ahead and counts the block in *completed.
#pragma once
#include <cstdint>

namespace earshot::rp2040 {

struct DmaRing {
    uint32_t* ring;                // blocks * block_words words
    uint32_t block_words;
    uint32_t blocks;               // at least 2: one filling while the app reads the other
    volatile uint32_t* completed;  // blocks finished so far
};

// Starts channels 0 and 1 reading 32-bit words from `fifo_address`, paced by DREQ `dreq`.
void start_dma_ring(const DmaRing& ring, uint32_t fifo_address, uint32_t dreq);

}  // namespace earshot::rp2040

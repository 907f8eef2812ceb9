#include "firmware/app/microphone.hpp"

#include "firmware/boards/board.hpp"
#include "firmware/rp2040/dma_ring.hpp"
#include "firmware/rp2040/pdm_pio.hpp"
#include "firmware/rp2040/uart.hpp"

namespace earshot::app {

void start_microphone(AudioMailbox& mailbox) {
    mailbox.format = static_cast<uint32_t>(AudioFormat::pdm);
    rp2040::start_dma_ring({&mailbox.pdm[0][0], kPdmWordsPerBlock, kBlocks, &mailbox.written}, rp2040::kPdmRxFifo, rp2040::kDreqPio0Rx0);
    rp2040::start_pdm_capture(board::kPins.pdm_clk, board::kPins.pdm_data, kPdmBitRate);
}

void print_microphone_pins() {
    rp2040::uart_write(" audio=pdm clk=");
    rp2040::uart_write_u32(board::kPins.pdm_clk);
    rp2040::uart_write(" data=");
    rp2040::uart_write_u32(board::kPins.pdm_data);
}

}  // namespace earshot::app

// UART0 at the speed of the wire. rp2040js hands every byte written to UARTDR to its listener at
// once and never reports a full TX FIFO, so a firmware that busy-waits on TXFF never waits and a
// DMA paced by the UART's DREQ never slows down: serial output looks free. This model gives the
// UART its real TX path: a FIFO of 32 bytes (1 with FIFOs off), a shift register that sends one
// character in (start + data + parity + stop) bit times at the programmed baud rate, UARTFR's
// TXFF/TXFE/BUSY from that state, and the TX DREQ asserted only while the FIFO has room. Bytes
// reach `onByte` when their last bit has left, so line times are what a host would see.
const UARTDR = 0x0, UARTCR = 0x30;
const TXFF = 1 << 5, TXFE = 1 << 7, BUSY = 1 << 3, RXFF = 1 << 6, RXFE = 1 << 4;
const DREQ_UART0_TX = 20;

// `slowdown` stretches every character (a test knob: a wire too slow for the lines).
export function attachUartTiming(mcu, clockHz, onByte, slowdown = 1) {
  const uart = mcu.uart[0];
  const fifo = [];
  let shifting = -1, doneAt = 0, now = 0;
  const stats = { bytes: 0, overruns: 0, busyCycles: 0 };
  const capacity = () => ((uart.lineCtrlRegister >>> 4) & 1 ? 32 : 1);
  const charCycles = () => {
    const lcr = uart.lineCtrlRegister;
    const bits = 1 + uart.wordLength + ((lcr >>> 1) & 1) + ((lcr >>> 3) & 1 ? 2 : 1);  // start, data, parity (PEN), stop (STP2)
    return slowdown * bits * clockHz / uart.baudRate;
  };
  const updateDreq = () => {
    if (uart.enabled && uart.txEnabled && fifo.length < capacity()) mcu.dma.setDREQ(DREQ_UART0_TX);
    else mcu.dma.clearDREQ(DREQ_UART0_TX);
  };
  const startNext = (at) => {
    if (shifting >= 0 || fifo.length === 0) return;
    shifting = fifo.shift();
    doneAt = at + charCycles();
    updateDreq();
  };
  const write = uart.writeUint32.bind(uart);
  uart.writeUint32 = (offset, value) => {
    if (offset === UARTDR) {
      if (fifo.length < capacity()) fifo.push(value & 0xff);
      else stats.overruns += 1;  // the hardware ignores a write to a full FIFO
      updateDreq();
      startNext(now);
      return;
    }
    write(offset, value);
    if (offset === UARTCR) updateDreq();  // rp2040js asserts the DREQ for good on enable
  };
  Object.defineProperty(uart, 'flags', {
    get: () => (uart.rxFIFO.full ? RXFF : 0) | (uart.rxFIFO.empty ? RXFE : 0) | (fifo.length >= capacity() ? TXFF : 0) |
      (fifo.length === 0 && shifting < 0 ? TXFE : 0) | (fifo.length > 0 || shifting >= 0 ? BUSY : 0),
  });
  updateDreq();
  return {
    stats,
    // Called with the cycles run so far after every instruction.
    step(cycles) {
      now = cycles;
      while (shifting >= 0 && now >= doneAt) {
        const byte = shifting, finished = doneAt;
        shifting = -1;
        stats.bytes += 1;
        onByte(byte);
        startNext(finished);  // back to back: the next start bit follows the stop bit
      }
    },
  };
}

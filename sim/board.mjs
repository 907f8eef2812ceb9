// What every earshot simulation shares: errors, reading inputs, and booting an ELF on rp2040js
// the way boot2 would leave the chip (no bootrom).
import { readFileSync } from 'node:fs';
import { ConsoleLogger, GPIOPinState, LogLevel, RP2040 } from 'rp2040js';
import { attachUartTiming } from './uart_timing.mjs';

export const CLOCK_HZ = 125_000_000;

export function fail(message) {
  process.stderr.write(`earshot-sim: error: ${message}\n`);
  process.exit(1);
}

export function readInput(path, what) {
  try {
    return readFileSync(path);
  } catch (e) {
    fail(`${path}: cannot read the ${what} (${e.code === 'ENOENT' ? 'no such file' : e.message})`);
  }
}

// 32-bit little-endian ARM ELF: copy every PT_LOAD segment to its physical (load) address.
export function loadElf(mcu, path) {
  const elf = readInput(path, 'firmware ELF');
  if (elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 1 || elf[5] !== 1 || elf.readUInt16LE(18) !== 40) {
    fail(`${path}: not a 32-bit little-endian ARM ELF`);
  }
  const phoff = elf.readUInt32LE(28), phentsize = elf.readUInt16LE(42), phnum = elf.readUInt16LE(44);
  for (let i = 0; i < phnum; ++i) {
    const ph = phoff + i * phentsize;
    if (elf.readUInt32LE(ph) !== 1) continue;  // PT_LOAD
    const offset = elf.readUInt32LE(ph + 4), paddr = elf.readUInt32LE(ph + 12), filesz = elf.readUInt32LE(ph + 16);
    if (filesz === 0) continue;
    const bytes = elf.subarray(offset, offset + filesz);
    if (paddr >= 0x10000000 && paddr + filesz <= 0x11000000) mcu.flash.set(bytes, paddr - 0x10000000);
    else if (paddr >= 0x20000000 && paddr + filesz <= 0x20042000) mcu.sram.set(bytes, paddr - 0x20000000);
    else fail(`${path}: segment at 0x${paddr.toString(16)} is outside flash and SRAM`);
  }
}

// Strict mode: what rp2040js only warns about is an error here. An instruction it does not
// implement (the Cortex-M0+ lacks it, or the PC ran into data) or an access to an address
// nothing answers at stops the run with the emulator's message. Debug chatter is dropped.
class StrictLogger extends ConsoleLogger {
  constructor() {
    super(LogLevel.Warn, true);
  }

  warn(component, message) {
    if (/not implemented|invalid memory|undefined address|not 32 bit aligned/i.test(message)) fail(`strict mode: [${component}] ${message}`);
    super.warn(component, message);
  }
}

// A board with the ELF loaded and the core at its reset vector (our vector table at 0x10000100),
// and a callback for each UART0 line (as it finishes arriving at 115200 baud, or whatever the
// firmware programmed).
export function bootBoard(elfPath, onLine, uartSlowdown = 1) {
  const mcu = new RP2040();
  mcu.logger = new StrictLogger();
  loadElf(mcu, elfPath);
  mcu.core.VTOR = 0x10000100;
  mcu.core.SP = mcu.readUint32(0x10000100);
  mcu.core.PC = mcu.readUint32(0x10000104) & ~1;
  let partial = '';
  // The UART sends at its baud rate (uart_timing.mjs): a line arrives when its last byte has.
  mcu.uartTiming = attachUartTiming(mcu, CLOCK_HZ, (value) => {
    const c = String.fromCharCode(value);
    if (c === '\n') {
      onLine(partial);
      partial = '';
    } else partial += c;
  }, uartSlowdown);
  return mcu;
}

// Code runs from flash or SRAM; anywhere else the firmware has crashed (a bad return address or
// a jump into data): stop with its address instead of executing garbage.
export function checkPc(pc) {
  if ((pc >= 0x10000000 && pc < 0x11000000) || (pc >= 0x20000000 && pc < 0x20042000)) return;
  fail(`the firmware jumped to 0x${pc.toString(16)}, outside flash and SRAM (a crash)`);
}

// "key=value key=value" -> {key: value}.
export function parseLine(line) {
  const fields = {};
  for (const part of line.trim().split(/\s+/)) {
    const eq = part.indexOf('=');
    if (eq > 0) fields[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return fields;
}

// A PDM microphone on the pins a banner names (audio=pdm clk=N data=M) playing `words` (32 bits
// each, earliest in bit 31, as audio.mjs modulates them), then digital silence (alternating
// bits): each falling clock edge puts the next bit on the data pin (the PIO program samples it
// on the rising edge).
export function attachPdmMicrophone(mcu, banner, words) {
  if (banner.audio !== 'pdm') fail(`the firmware did not start its PDM microphone (banner: audio=${banner.audio})`);
  const clk = Number(banner.clk), data = Number(banner.data);
  const mic = { bits: 0 };
  const dataPin = mcu.gpio[data];
  mcu.gpio[clk].addListener((state, old) => {
    if (!(state === GPIOPinState.Low && old === GPIOPinState.High)) return;
    const n = mic.bits++;
    const bit = n < words.length * 32 ? (words[n >>> 5] >>> (31 - (n & 31))) & 1 : n & 1;
    dataPin.setInputValue(bit === 1);
  });
  return mic;
}

// rp2040js 1.4.1 runs PIO in batches from setTimeout, steps disabled state machines and ignores
// the clock divider; the returned function steps each enabled state machine of PIO0 at its
// divider instead (0 means 65536), to be called with each instruction's cycles, so PIO runs in
// lockstep with the CPU and GPIO listeners see every edge. A divider restart (CTRL
// CLKDIV_RESTART) resets that machine's phase. Pin changes made by instructions the CPU
// executes through SMx_INSTR (rp2040js does not report those) are picked up before each step.
export function pioStepper(mcu) {
  const pio = mcu.pio[0];
  pio.run = () => {};
  const phase = [0, 0, 0, 0];
  pio.machines.forEach((sm, m) => { sm.clkDivRestart = () => { phase[m] = 0; }; });
  return (cycles) => {
    pio.checkChangedPins();  // instructions the CPU executed through SMx_INSTR move pins too
    for (let m = 0; m < 4; ++m) {
      const sm = pio.machines[m];
      if (!sm.enabled) continue;
      const div = (sm.clockDivInt || 65536) + sm.clockDivFrac / 256;
      phase[m] += cycles;
      while (phase[m] >= div) {
        phase[m] -= div;
        sm.step();
        pio.checkChangedPins();
      }
    }
  };
}

// Runs the core until done() or maxCycles, calling afterEach(cycles of that instruction, its
// address, cycles so far) after every instruction (PIO stepping, audio feeds, profiling). A
// breakpoint (default_handler's bkpt: a fault or an unexpected interrupt) or a crash stops
// the run with an error. Returns the cycles run.
export function runBoard(mcu, maxCycles, done, afterEach = null) {
  let broke = null;
  mcu.onBreak = (code) => { broke = code; };
  const cycleNanos = 1e9 / CLOCK_HZ;
  const uart = mcu.uartTiming;
  let cycles = 0;
  while (cycles < maxCycles && !done()) {
    const pc = mcu.core.PC;
    checkPc(pc);
    const c = mcu.core.executeInstruction();
    cycles += c;
    mcu.clock.tick(c * cycleNanos);
    if (uart) uart.step(cycles);
    if (broke !== null) fail(`the firmware stopped at a breakpoint (code ${broke}) at PC 0x${pc.toString(16)}: a fault or an unexpected interrupt`);
    if (afterEach) afterEach(c, pc, cycles);
  }
  return cycles;
}

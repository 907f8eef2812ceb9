// Runs an earshot firmware ELF on rp2040js and feeds it audio from a WAV file.
//
//   node sim/run.mjs APP.elf --wav FILE.wav [--json OUT.json] [--max-seconds S] [--pdm [--pdm-out BITS.bin]]
//
// The ELF is loaded as the flash programmer would (segments at their load addresses), then the
// core starts from the vector table at 0x10000100 as boot2 would leave it (no bootrom).
// Two ways in for the audio:
//  - PCM (default): the simulator is the app's external producer (audio_mailbox.hpp) and writes
//    512-sample blocks into the mailbox ring, paced at 16 kHz of simulated time (one block per
//    4,000,000 cycles at 125 MHz); this isolates the front end and the model.
//  - --pdm: the board path. The app starts its microphone (PIO program + DMA ring); the
//    simulator plays a PDM microphone on the pins the app names in its banner: the WAV goes
//    through a second-order sigma-delta modulator and, on every falling edge of the PIO-driven
//    clock, the next bit is put on the data pin. PIO is stepped in lockstep with the CPU at its
//    programmed clock divider. --pdm-out saves the bits so the host can decimate the same ones.
// UART0 lines are collected as they finish arriving at the programmed baud rate (uart_timing.mjs:
// a byte takes 10 bit times, a full TX FIFO stalls a busy-wait or a DMA as on the chip) and
// parsed; the result is written as JSON (--json, else stdout).
// --usb-serial: a USB host (usb_host.mjs) on the controller enumerates the app's CDC-ACM port,
// sets the line coding (9600 8N1, so reading it back shows it was kept), reads it back, opens
// the port (SET_CONTROL_LINE_STATE: DTR and RTS) and collects the lines from the bulk IN
// endpoint; the JSON's usb_serial holds what it saw, and the UART line count when it opened.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { modulatePdm, readWav } from './audio.mjs';
import { CLOCK_HZ, attachPdmMicrophone, bootBoard, fail, parseLine, pioStepper, runBoard } from './board.mjs';
import { attachUsbHost, descriptorText, enumerate, setupPacket, walkConfiguration } from './usb_host.mjs';

const BLOCK = 512;
const CYCLES_PER_BLOCK = (CLOCK_HZ / 16000) * BLOCK;
const MAILBOX = 0x20000000;
const MAGIC = 0x45415253;
const RING_BLOCKS = 2;       // app::kBlocks
const HEADER = 32;           // magic, written, read, dropped, format, producer, reserved[2]
const EXTERNAL_PRODUCER = 0x46454544;  // "FEED"

function parseArgs(argv) {
  const args = { elf: null, wav: null, json: null, maxSeconds: 60, profile: false, lockstep: false, pdm: false, pdmOut: null, progress: false, uartSlowdown: 1, lines: false, usbSerial: false };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '--wav') args.wav = argv[++i];
    else if (a === '--json') args.json = argv[++i];
    else if (a === '--max-seconds') args.maxSeconds = Number(argv[++i]);
    else if (a === '--profile') args.profile = true;
    else if (a === '--lockstep') args.lockstep = true;
    else if (a === '--pdm') args.pdm = true;
    else if (a === '--pdm-out') args.pdmOut = argv[++i];
    else if (a === '--progress') args.progress = true;
    else if (a === '--lines') args.lines = true;  // each UART line on stdout as it arrives (earshot simulate --monitor)
    else if (a === '--usb-serial') args.usbSerial = true;
    else if (a === '--uart-slowdown') args.uartSlowdown = Number(argv[++i]);  // tests: a wire too slow for the lines
    else if (!args.elf) args.elf = a;
    else fail(`unexpected argument '${a}'`);
  }
  if (!args.elf || !args.wav) fail('usage: run.mjs APP.elf --wav FILE.wav [--json OUT.json] [--max-seconds S] [--pdm [--pdm-out BITS.bin]] [--progress]');
  if (!(args.maxSeconds > 0)) fail(`--max-seconds must be a positive number of simulated seconds, not ${args.maxSeconds}`);
  if (args.lockstep && args.pdm) fail('--lockstep feeds PCM blocks as the app takes them; a microphone (--pdm) runs in real time');
  if (args.pdmOut && !args.pdm) fail('--pdm-out needs --pdm');
  return args;
}

// Cycles per instruction address -> share of all cycles per function (symbols from arm-none-eabi-nm).
function profile(elf, samples) {
  const symbols = execFileSync('arm-none-eabi-nm', ['-n', '-C', '--defined-only', elf], { encoding: 'utf8' })
    .split('\n').map((l) => l.match(/^([0-9a-f]+) [tTwW] (.*)$/)).filter(Boolean)
    .map((m) => ({ address: parseInt(m[1], 16) & ~1, name: m[2] }));
  const totals = new Map();
  let all = 0;
  for (const [pc, n] of samples) {
    let lo = 0, hi = symbols.length - 1, name = '?';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (symbols[mid].address <= pc) { name = symbols[mid].name; lo = mid + 1; } else hi = mid - 1;
    }
    totals.set(name, (totals.get(name) ?? 0) + n);
    all += n;
  }
  return [...totals].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([name, n]) => `${(100 * n / all).toFixed(1)}% ${name}`);
}

const args = parseArgs(process.argv.slice(2));
const audio = readWav(args.wav);
const blocks = Math.floor(audio.length / BLOCK);
const pdmWords = args.pdm ? modulatePdm(audio) : null;
if (args.pdmOut) writeFileSync(args.pdmOut, Buffer.from(pdmWords.buffer));
const lines = [];
const ledDuty = [];
let scored = 0;
let microphone = null;
const mcu = bootBoard(args.elf, (line) => {
  lines.push(line);
  if (args.lines) process.stdout.write(`${line}\n`);  // synchronous on a pipe: the reader sees it now
  // The LED's PWM duty when the line is printed: GPIO25 = slice 4 channel B (CC bits 31:16).
  if (line.startsWith('score=')) {
    ledDuty.push(mcu.readUint32(0x40050000 + 0x14 * 4 + 0x0c) >>> 16);
    scored += 1;
  }
  if (line.startsWith('earshot:') && args.pdm) microphone = attachMicrophone(parseLine(line));
}, args.uartSlowdown);
const attachMicrophone = (banner) => attachPdmMicrophone(mcu, banner, pdmWords);
const stepPio = pioStepper(mcu);
const usbSerial = args.usbSerial ? attachUsbSerialHost() : null;

function attachUsbSerialHost() {
  const host = attachUsbHost(mcu);
  const seen = { enumerated: false, vid: null, pid: null, product: null, cdc_acm: false, data_interface: false, bulk_in: null,
    line_coding_set: [0x80, 0x25, 0, 0, 0, 0, 8], line_coding_read: null, opened_after_uart_lines: null, lines: [] };
  let partial = '', bulkIn = -1;
  enumerate(host, (found) => {
    seen.enumerated = true;
    seen.vid = found.device[8] | (found.device[9] << 8);
    seen.pid = found.device[10] | (found.device[11] << 8);
    seen.product = descriptorText(found.strings[2]);
    for (const { type, bytes, iface } of walkConfiguration(found.configuration)) {
      if (type === 4 && iface.cls === 2 && iface.sub === 2) seen.cdc_acm = true;
      if (type === 4 && iface.cls === 0x0a) seen.data_interface = true;
      if (type === 5 && iface?.cls === 0x0a && (bytes[2] & 0x80) && (bytes[3] & 3) === 2) bulkIn = bytes[2] & 0x0f;
    }
    seen.bulk_in = bulkIn;
    host.control(setupPacket(0x21, 0x20, 0, 0, 7), { data: Uint8Array.from(seen.line_coding_set) });  // SET_LINE_CODING
    host.control(setupPacket(0xa1, 0x21, 0, 0, 7), { done: (b) => { seen.line_coding_read = b; } });  // GET_LINE_CODING
    host.control(setupPacket(0x21, 0x22, 3, 0, 0), { done: () => { seen.opened_after_uart_lines = lines.length; } });  // DTR | RTS
  });
  host.onData = (endpoint, bytes) => {
    if (endpoint !== bulkIn) return;
    for (const b of bytes) {
      if (b === 10) { seen.lines.push(partial); partial = ''; } else partial += String.fromCharCode(b);
    }
  };
  return seen;
}

let fed = 0, nextFeed = -1;
if (!args.pdm) {
  mcu.writeUint32(MAILBOX + 16, 0);  // format: pcm16
  mcu.writeUint32(MAILBOX + 20, EXTERNAL_PRODUCER);
}
const samples = new Map();
const t0 = Date.now();
// A progress line on stderr about once a wall second (rewritten in place on a terminal).
let nextProgressCheck = 1 << 22, lastProgress = t0;
const showProgress = (now, final) => {
  const text = `simulating: ${(now / CLOCK_HZ).toFixed(1)} s of ${(blocks * BLOCK / 16000).toFixed(1)} s of audio, ${scored}/${blocks} blocks scored`;
  if (process.stderr.isTTY) process.stderr.write(`\r${text}${final ? '\n' : ''}`);
  else if (!final) process.stderr.write(`${text}\n`);
};
const cycles = runBoard(mcu, args.maxSeconds * CLOCK_HZ, () => fed === blocks && scored >= blocks, (c, pc, now) => {
  stepPio(c);
  if (args.progress && now >= nextProgressCheck) {
    nextProgressCheck = now + (1 << 22);
    const wall = Date.now();
    if (wall - lastProgress >= (process.stderr.isTTY ? 500 : 5000)) { lastProgress = wall; showProgress(now, false); }
  }
  if (nextFeed < 0) {  // the app is not ready yet
    if (mcu.readUint32(MAILBOX) === MAGIC) nextFeed = now + CYCLES_PER_BLOCK;
    return;
  }
  if (args.profile) samples.set(pc, (samples.get(pc) ?? 0) + c);  // cycles spent at each instruction
  if (args.pdm) {
    if (microphone) fed = Math.min(blocks, Math.floor(microphone.bits / (BLOCK * 64)));
    return;
  }
  // Lockstep: the next block as soon as the app took the previous one (correctness runs on
  // firmware that is not yet real-time); otherwise paced at 16 kHz of simulated time.
  const due = args.lockstep ? mcu.readUint32(MAILBOX + 8) === fed : now >= nextFeed;
  if (fed < blocks && due) {
    const slot = MAILBOX + HEADER + (fed % RING_BLOCKS) * BLOCK * 2;
    for (let i = 0; i < BLOCK; ++i) mcu.writeUint16(slot + 2 * i, audio[fed * BLOCK + i] & 0xffff);
    fed += 1;
    mcu.writeUint32(MAILBOX + 4, fed);
    nextFeed += CYCLES_PER_BLOCK;
  }
});

if (args.progress) showProgress(cycles, true);
const scores = lines.filter((l) => l.startsWith('score=')).map(parseLine);
const mean = (key) => scores.length ? Math.round(scores.reduce((s, f) => s + Number(f[key]), 0) / scores.length) : 0;
const max = (key) => scores.reduce((m, f) => Math.max(m, Number(f[key])), 0);
const result = {
  elf: args.elf,
  wav: args.wav,
  input: args.pdm ? 'pdm' : 'pcm16',
  blocks_in_wav: blocks,
  blocks_fed: fed,
  blocks_scored: scores.length,
  banner: lines.find((l) => l.startsWith('earshot:')) ?? null,
  q: scores.map((f) => Number(f.q)),
  led_duty: ledDuty,
  alarm_blocks: scores.filter((f) => f.alarm === '1').length,
  alarm_events: lines.map((l) => l.match(/^alarm (on|off) t=(\d+)ms$/)).filter(Boolean).map((m) => ({ state: m[1], t_ms: Number(m[2]) })),
  alarm: scores.map((f) => Number(f.alarm)),
  dropped: scores.length ? Number(scores[scores.length - 1].dropped) : null,
  serial_lines_dropped: scores.length ? Number(scores[scores.length - 1].lines_dropped ?? 0) : null,
  uart_bytes_sent: mcu.uartTiming.stats.bytes,
  cycles: {
    pdm_decimation_per_block: { mean: mean('cycles_pdm'), max: max('cycles_pdm') },
    frontend_per_block: { mean: mean('cycles_frontend'), max: max('cycles_frontend') },
    quantize: { mean: mean('cycles_quantize'), max: max('cycles_quantize') },
    model: { mean: mean('cycles_model'), max: max('cycles_model') },
    output: { mean: mean('cycles_output'), max: max('cycles_output') },
    iteration: { mean: mean('cycles_iter'), max: max('cycles_iter') },
    budget_per_block: CYCLES_PER_BLOCK,
  },
  simulated_seconds: cycles / CLOCK_HZ,
  wall_seconds: (Date.now() - t0) / 1000,
};
if (args.profile) result.profile = profile(args.elf, samples);
if (usbSerial) result.usb_serial = usbSerial;
result.uart_lines = args.usbSerial ? lines : undefined;  // to compare with the USB lines
const text = JSON.stringify(result, null, 1);
// With --json the result goes there only (earshot simulate prints a summary); without, to stdout.
if (args.json) writeFileSync(args.json, text + '\n');
else process.stdout.write(text + '\n');
if (scores.length < blocks) fail(`only ${scores.length} of ${blocks} blocks were scored within ${args.maxSeconds} simulated seconds`);

// ctest firmware_usb_microphone: the USB microphone app on the emulated board, with a PDM
// microphone on its PIO pins and a USB host on its controller (rp2040js's device-side model).
//   node sim/usb_mic.mjs EARSHOT_BIN USB_MIC.elf WORK_DIR
// The host resets the bus and enumerates like an operating system would (usb_host.mjs), then
// sends SET_INTERFACE(1, alt 1) to start streaming. Checks: the descriptors describe a USB Audio
// Class 1 microphone, 16 kHz mono 16-bit, on an isochronous IN endpoint; the streamed samples
// are exactly the host's decimation (`earshot pdm`) of the bits the microphone played, from a
// block boundary on, with nothing missing.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { modulatePdm, readWav } from './audio.mjs';
import { CLOCK_HZ, attachPdmMicrophone, bootBoard, fail, parseLine, pioStepper, runBoard } from './board.mjs';
import { attachUsbHost, descriptorText, enumerate, setupPacket, walkConfiguration } from './usb_host.mjs';

const [earshot, elf, work] = process.argv.slice(2);
if (!work) fail('usage: usb_mic.mjs EARSHOT_BIN USB_MIC.elf WORK_DIR');
mkdirSync(work, { recursive: true });
const wav = join(work, 'alarm.wav'), bitsFile = join(work, 'alarm.pdm'), decimated = join(work, 'alarm-host.wav');
execFileSync(earshot, ['synth', wav, '--seconds', '1'], { stdio: 'ignore' });
const words = modulatePdm(readWav(wav));
writeFileSync(bitsFile, Buffer.from(words.buffer));
execFileSync(earshot, ['pdm', bitsFile, '-o', decimated], { stdio: 'ignore' });
const hostPcm = readWav(decimated);

let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures += 1;
};

const lines = [];
let microphone = null;
const mcu = bootBoard(elf, (line) => {
  lines.push(line);
  if (line.startsWith('earshot-mic: board=')) {
    microphone = attachPdmMicrophone(mcu, parseLine(line), words);
  }
});
const stepPio = pioStepper(mcu);

// The host enumerates, then picks alternate setting 1 of the streaming interface.
const host = attachUsbHost(mcu);
const state = { step: 'enumerating', device: null, configuration: null, strings: [], samples: [] };
let streamEndpoint = -1;
enumerate(host, (found) => {
  Object.assign(state, found);
  state.step = 'set-interface';
  streamEndpoint = (describe(found.configuration).endpoint?.address ?? 0x81) & 0x0f;
  host.control(setupPacket(0x01, 11, 1, 1, 0), { done: () => { state.step = 'streaming'; } });
});
host.onData = (endpoint, data) => {
  if (endpoint !== streamEndpoint) return;
  for (let i = 0; i + 1 < data.length; i += 2) state.samples.push((data[i] | (data[i + 1] << 8)) << 16 >> 16);
};

// Walk the configuration: the audio streaming interface's alternate setting 1, its Type I
// format and its isochronous IN endpoint.
function describe(config) {
  const found = { format: null, endpoint: null, audioControl: false };
  for (const { type, subtype, bytes: d, iface } of walkConfiguration(config)) {
    if (type === 4 && iface.cls === 1 && iface.sub === 1) found.audioControl = true;
    if (type === 0x24 && subtype === 2 && iface?.sub === 2 && iface.alt === 1) {
      found.format = { type: d[3], channels: d[4], bytes: d[5], bits: d[6], rate: d[8] | (d[9] << 8) | (d[10] << 16) };
    }
    if (type === 5 && iface?.sub === 2 && iface.alt === 1) found.endpoint = { address: d[2], attributes: d[3], maxPacket: d[4] | (d[5] << 8) };
  }
  return found;
}

const wanted = 8 * 512;  // samples to collect once streaming
runBoard(mcu, 2 * CLOCK_HZ, () => state.samples.length >= wanted, stepPio);

const text = descriptorText;
check(state.device !== null && state.device[0] === 18 && state.device[1] === 1,
  `device descriptor: VID ${state.device ? ((state.device[9] << 8) | state.device[8]).toString(16) : '?'}, PID ${state.device ? ((state.device[11] << 8) | state.device[10]).toString(16) : '?'}, "${text(state.strings[1])}" / "${text(state.strings[2])}"`);
const d = state.configuration ? describe(state.configuration) : { format: null, endpoint: null, audioControl: false };
check(d.audioControl, 'an AudioControl interface (USB Audio Class 1)');
check(d.format !== null && d.format.type === 1 && d.format.channels === 1 && d.format.bytes === 2 && d.format.bits === 16 && d.format.rate === 16000,
  `streaming format: ${d.format ? `Type ${d.format.type}, ${d.format.channels} channel, ${d.format.bits}-bit, ${d.format.rate} Hz` : 'none'}`);
check(d.endpoint !== null && (d.endpoint.address & 0x80) !== 0 && (d.endpoint.attributes & 3) === 1,
  `isochronous IN endpoint: ${d.endpoint ? `0x${d.endpoint.address.toString(16)}, ${d.endpoint.maxPacket} bytes` : 'none'}`);
check(state.step === 'streaming', `enumerated and streaming (last step: ${state.step})`);
check(state.samples.length >= wanted, `samples streamed: ${state.samples.length} (wanted ${wanted})`);
// The device starts streaming at a block boundary: find which, then every sample must match.
let offset = -1;
for (let block = 0; block * 512 + wanted <= hostPcm.length && offset < 0; ++block) {
  if (state.samples.slice(0, 64).every((v, i) => v === hostPcm[block * 512 + i])) offset = block * 512;
}
const differ = offset < 0 ? wanted : state.samples.slice(0, wanted).filter((v, i) => v !== hostPcm[offset + i]).length;
check(offset >= 0 && differ === 0, `streamed audio identical to the host's decimation of the same bits (from sample ${offset}, ${differ} of ${wanted} differ)`);
const streamingLine = lines.find((l) => l.startsWith('earshot-mic: streaming'));
console.log(`${streamingLine ?? 'no streaming line'}; microphone bits played: ${microphone?.bits ?? 0}`);
process.exit(failures ? 1 : 0);

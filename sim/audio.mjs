// Audio for the simulated microphone: WAV input and the sigma-delta modulator a PDM microphone is.
import { fail, readInput } from './board.mjs';

// 16 kHz mono 16-bit PCM WAV -> Int16Array.
export function readWav(path) {
  const b = readInput(path, 'WAV file');
  if (b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') fail(`${path}: not a WAV file`);
  let pos = 12, fmt = null;
  while (pos + 8 <= b.length) {
    const id = b.toString('ascii', pos, pos + 4), size = b.readUInt32LE(pos + 4);
    if (id === 'fmt ') fmt = { format: b.readUInt16LE(pos + 8), channels: b.readUInt16LE(pos + 10), rate: b.readUInt32LE(pos + 12), bits: b.readUInt16LE(pos + 22) };
    if (id === 'data') {
      if (!fmt || fmt.format !== 1 || fmt.channels !== 1 || fmt.rate !== 16000 || fmt.bits !== 16) fail(`${path}: need 16 kHz mono 16-bit PCM (convert with earshot first)`);
      const n = Math.min(size, b.length - pos - 8) >> 1;
      const out = new Int16Array(n);
      for (let i = 0; i < n; ++i) out[i] = b.readInt16LE(pos + 8 + 2 * i);
      return out;
    }
    pos += 8 + size + (size & 1);
  }
  fail(`${path}: no data chunk`);
}

// 16 kHz PCM -> 1.024 MHz PDM: linear interpolation and a second-order delta-sigma loop,
// packed 32 bits per word, earliest bit in bit 31 (as the PIO program shifts them in).
export function modulatePdm(pcm) {
  const words = new Uint32Array(pcm.length * 2);
  let s1 = 0, s2 = 0, y = 0;
  for (let n = 0; n < pcm.length * 64; ++n) {
    const i = Math.floor(n / 64), f = (n % 64) / 64;
    const next = i + 1 < pcm.length ? pcm[i + 1] : pcm[i];
    const v = (pcm[i] * (1 - f) + next * f) / 32768;
    s1 += v - y;
    s2 += s1 - y;
    y = s2 >= 0 ? 1 : -1;
    if (y > 0) words[n >>> 5] |= 1 << (31 - (n & 31));
  }
  return words;
}



// ctest: the firmware on the emulated board hears an alarm in a noisy scene, once fed PCM
// blocks through the mailbox and once through its own microphone path: the simulator plays a
// PDM microphone (sigma-delta modulated WAV, 1.024 MHz) on the pins the PIO program clocks, DMA
// fills the ring and the app decimates the bits itself.
//   node sim/test_firmware.mjs EARSHOT_BIN APP.elf MODEL.tflite WORK_DIR
// Both ways, a USB host enumerates the app's CDC-ACM serial port, sets and reads back the line
// coding, opens it and reads its lines: they must be the UART's.
// Checks, each way: every 512-sample block is scored with the same int8 score as the host
// pipeline (`earshot classify --stream [--pdm]`: same PCM or same bits, same model), and the
// decision rule (the model's operating point, compiled in) gives the same alarm state on every
// block and the same `alarm on/off t=...` events as on the host; the LED is dark while the
// alarm is off and follows the score while on; no block is dropped in real time; the alarm
// (2 s to 8 s) turns the alarm on and the leading background does not.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [earshot, elf, model, work] = process.argv.slice(2);
if (!work) {
  console.error('usage: test_firmware.mjs EARSHOT_BIN APP.elf MODEL.tflite WORK_DIR');
  process.exit(2);
}
mkdirSync(work, { recursive: true });
const wav = join(work, 'scene.wav');
// An alarm from 2 s to 8 s (the default detector wants 1.5 s of evidence in 2 s), then 4 s of
// background: long enough for the rule to turn it off again.
const alarmEnd = 8;
execFileSync(earshot, ['synth', wav, '--scene', '--scene-seconds', '12', '--alarm-seconds', String(alarmEnd - 2)], { stdio: 'inherit' });
let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures += 1;
};
for (const mode of ['pcm16', 'pdm']) {
  const json = join(work, `board-${mode}.json`), bits = join(work, 'scene.pdm');
  const simArgs = [join(dirname(fileURLToPath(import.meta.url)), 'run.mjs'), elf, '--wav', wav, '--json', json, '--max-seconds', '16', '--usb-serial'];
  if (mode === 'pdm') simArgs.push('--pdm', '--pdm-out', bits);
  execFileSync('node', simArgs, { stdio: ['ignore', 'ignore', 'inherit'] });
  const board = JSON.parse(readFileSync(json, 'utf8'));
  const hostLines = execFileSync(earshot, ['classify', model, mode === 'pdm' ? bits : wav, '--stream', ...(mode === 'pdm' ? ['--pdm'] : [])], { encoding: 'utf8' })
    .trim().split('\n');
  const hostBlocks = hostLines.filter((l) => l.startsWith('block='));
  const host = hostBlocks.map((l) => Number(l.match(/q=(-?\d+)/)[1]));
  const hostAlarm = hostBlocks.map((l) => Number(l.match(/alarm=(\d)/)[1]));
  const hostEvents = hostLines.map((l) => l.match(/^alarm (on|off) t=(\d+)ms$/)).filter(Boolean).map((m) => `${m[1]}@${m[2]}`);
  const boardEvents = board.alarm_events.map((e) => `${e.state}@${e.t_ms}`);
  console.log(`-- ${mode} input`);
  check(board.banner !== null && board.banner.includes(mode === 'pdm' ? 'audio=pdm' : 'audio=external'), `firmware booted: ${board.banner}`);
  check(board.blocks_scored === host.length, `blocks scored on the board: ${board.blocks_scored}, on the host: ${host.length}`);
  const mismatches = host.map((q, i) => (board.q[i] === q ? -1 : i)).filter((i) => i >= 0);
  check(mismatches.length === 0, `board scores identical to the host pipeline (${mismatches.length} differ${mismatches.length ? `, first at block ${mismatches[0]}: board ${board.q[mismatches[0]]}, host ${host[mismatches[0]]}` : ''})`);
  const stateOff = hostAlarm.filter((a, i) => board.alarm[i] !== a).length;
  check(stateOff === 0, `alarm state identical to the host's decision rule on every block (${stateOff} differ)`);
  check(hostEvents.length >= 2 && boardEvents.join(' ') === hostEvents.join(' '),
    `alarm events identical: board [${boardEvents.join(' ')}], host [${hostEvents.join(' ')}]`);
  const ledOff = board.q.filter((q, i) => board.led_duty[i] !== (board.alarm[i] ? q + 128 : 0)).length;
  check(ledOff === 0, `LED PWM duty: 0 while the alarm is off, q + 128 while on, on every block (${ledOff} differ)`);
  check(board.dropped === 0, `dropped blocks in real time: ${board.dropped}`);
  check(board.serial_lines_dropped === 0, `serial lines dropped (UART at 115200 baud, modelled): ${board.serial_lines_dropped}`);
  const usb = board.usb_serial;
  check(usb.enumerated && usb.cdc_acm && usb.data_interface && usb.bulk_in > 0,
    `USB: enumerated as ${usb.vid?.toString(16)}:${usb.pid?.toString(16)} "${usb.product}", CDC-ACM communications + data interfaces, bulk IN endpoint ${usb.bulk_in}`);
  check(JSON.stringify(usb.line_coding_read) === JSON.stringify(usb.line_coding_set),
    `USB: line coding set and read back (${usb.line_coding_read?.join(',')})`);
  // Lines are sent once the port is open (DTR): from then on the USB lines are the UART lines.
  const start = board.uart_lines.indexOf(usb.lines[0]);
  const overlap = Math.min(usb.lines.length, board.uart_lines.length - Math.max(start, 0));
  const usbDiffers = start < 0 ? usb.lines.length : usb.lines.slice(0, overlap).filter((l, i) => l !== board.uart_lines[start + i]).length;
  check(start >= 0 && start <= usb.opened_after_uart_lines + 1 && overlap >= 300 && usbDiffers === 0,
    `USB: the lines read on the serial port equal the UART lines (from UART line ${start}, port opened after ${usb.opened_after_uart_lines}; ${overlap} compared, ${usbDiffers} differ)`);
  const alarmAt = (from, to) => board.alarm.slice(from, to).filter((a) => a === 1).length;
  const perSecond = 16000 / 512;
  check(alarmAt(0, Math.floor(1.9 * perSecond)) === 0, `no alarm in the leading background (${alarmAt(0, Math.floor(1.9 * perSecond))} blocks)`);
  const during = alarmAt(Math.floor(2 * perSecond), Math.floor(alarmEnd * perSecond));
  check(during >= 20, `alarm detected while it sounds (${during} alarm blocks)`);
  const c = board.cycles;
  console.log(`cycles per 512-sample block: PDM decimation ${c.pdm_decimation_per_block.mean}, front end ${c.frontend_per_block.mean} (4 frames), input quantization ${c.quantize.mean}, model ${c.model.mean}, serial output ${c.output.mean}, whole iteration ${c.iteration.mean} of ${c.budget_per_block} (${(100 * c.iteration.mean / c.budget_per_block).toFixed(1)}%)`);
}

// A wire 16 times too slow for the lines (as if at 7200 baud): the ring fills, lines are dropped
// and counted, and the audio loop never waits for the UART (no block dropped).
{
  const json = join(work, 'board-slow-uart.json');
  // run.mjs exits non-zero when score lines are missing, as they must be here: read its JSON.
  spawnSync('node', [join(dirname(fileURLToPath(import.meta.url)), 'run.mjs'), elf, '--wav', wav, '--json', json, '--max-seconds', '14',
    '--uart-slowdown', '16'], { stdio: ['ignore', 'ignore', 'ignore'] });
  const board = JSON.parse(readFileSync(json, 'utf8'));
  console.log('-- serial slower than the lines');
  check(board.blocks_fed === 375, `all audio fed: ${board.blocks_fed} blocks`);
  check(board.blocks_scored > 0 && board.blocks_scored < 375, `score lines that made it over the wire: ${board.blocks_scored} of 375`);
  check(board.serial_lines_dropped > 0, `lines dropped and counted: ${board.serial_lines_dropped}`);
  check(board.dropped === 0, `audio blocks dropped: ${board.dropped} (the loop never waits for the UART)`);
  check(board.cycles.iteration.max < board.cycles.budget_per_block, `slowest iteration ${board.cycles.iteration.max} cycles, within the block`);
}
process.exit(failures ? 1 : 0);

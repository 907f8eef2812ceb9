// ctest firmware_kernel_check: runs the kernel-check firmware on rp2040js until it reports.
//   node sim/kernel_check.mjs KERNEL_CHECK.elf
// Passes when the assembly kernels agreed with their C++ twins on every window.
import { CLOCK_HZ, bootBoard, checkPc, fail } from './board.mjs';

const elf = process.argv[2];
if (!elf) fail('usage: kernel_check.mjs KERNEL_CHECK.elf');
let report = null;
const mcu = bootBoard(elf, (line) => { if (line.startsWith('kernel_check:')) report = line; });
let broke = null;
mcu.onBreak = (code) => { broke = code; };
const cycleNanos = 1e9 / CLOCK_HZ;
for (let cycles = 0; report === null && broke === null && cycles < 5 * CLOCK_HZ;) {
  checkPc(mcu.core.PC);
  const c = mcu.core.executeInstruction();
  cycles += c;
  mcu.clock.tick(c * cycleNanos);
}
if (broke !== null) fail(`the firmware stopped at a breakpoint (code ${broke}) at PC 0x${mcu.core.PC.toString(16)}`);
if (report === null) fail('no kernel_check line within 5 simulated seconds');
console.log(report);
const mismatches = Number(report.match(/mismatches=(\d+)/)?.[1] ?? NaN);
console.log(mismatches === 0 ? 'ok   assembly kernels identical to their C++ twins' : 'FAIL assembly kernels differ from their C++ twins');
process.exit(mismatches === 0 ? 0 : 1);

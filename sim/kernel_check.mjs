// ctest firmware_kernel_check: runs the kernel-check firmware on rp2040js until it reports.
//   node sim/kernel_check.mjs KERNEL_CHECK.elf
// Passes when the assembly kernels agreed with their C++ twins on every window.
import { CLOCK_HZ, bootBoard, fail, runBoard } from './board.mjs';

const elf = process.argv[2];
if (!elf) fail('usage: kernel_check.mjs KERNEL_CHECK.elf');
let report = null;
const mcu = bootBoard(elf, (line) => { if (line.startsWith('kernel_check:')) report = line; });
runBoard(mcu, 5 * CLOCK_HZ, () => report !== null);
if (report === null) fail('no kernel_check line within 5 simulated seconds');
console.log(report);
const mismatches = Number(report.match(/mismatches=(\d+)/)?.[1] ?? NaN);
console.log(mismatches === 0 ? 'ok   assembly kernels identical to their C++ twins' : 'FAIL assembly kernels differ from their C++ twins');
process.exit(mismatches === 0 ? 0 : 1);

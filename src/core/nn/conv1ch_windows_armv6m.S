@ conv1ch_max_of_windows() for the Cortex-M0+ (ARMv6-M Thumb): per half of 4 channels, each
@ window's sums in r8-r11 (per tap: one input byte by ldrb, the 4 weights by one ldm, a
@ multiply and add per channel: 15 cycles per 4 multiply-accumulates), then kept if larger
@ than the windows before.
@
@ void earshot_conv1ch_max_of_windows_armv6m(const Conv1chWindows* w,   r0
@                                           int32_t* best);            r1: 8 results
@ Conv1chWindows: [0] base, [4] taps, [8] row_stride, [12] filter_h, [16] offsets, [20] count.
@ Loop registers: r0 window row, r1 taps, r2 input byte, r3-r6 weights then products, r7 rows
@ left, r8-r11 sums, lr row stride. Stack: [sp] w, [sp, #4] best (this half), [sp, #8] this
@ half's taps, [sp, #12] window index.

    .syntax unified
    .cpu cortex-m0plus
    .thumb
#include "core/armv6m_frame.inc"
    .section .time_critical.earshot_conv1ch_max_of_windows, "ax", %progbits
    .global earshot_conv1ch_max_of_windows_armv6m
    .type earshot_conv1ch_max_of_windows_armv6m, %function
    .thumb_func

@ One tap: byte \k of the row times 4 weights, into r8-r11.
.macro TAP k
    ldrb r2, [r0, #\k]
    ldm r1!, {r3, r4, r5, r6}
    muls r3, r2, r3
    add r8, r3
    muls r4, r2, r4
    add r9, r4
    muls r5, r2, r5
    add r10, r5
    muls r6, r2, r6
    add r11, r6
.endm

@ best[\off] = max(best[\off], \sum), best in r7.
.macro KEEP_MAX sum, off
    mov r3, \sum
    ldr r4, [r7, #\off]
    cmp r3, r4
    ble 6f
    str r3, [r7, #\off]
6:
.endm

@ Every window for 4 channels; the largest sums at the best pointer, which then moves on 4.
.macro HALF
    movs r7, #0
    str r7, [sp, #12]
2:
    ldr r7, [sp]
    ldr r0, [r7, #0]           @ base
    ldr r6, [r7, #16]          @ offsets
    ldr r5, [sp, #12]
    lsls r5, r5, #2
    ldr r5, [r6, r5]
    adds r0, r0, r5            @ this window
    ldr r1, [sp, #8]           @ this half's taps, from the start
    ldr r7, [r7, #12]          @ rows
    movs r3, #0
    mov r8, r3
    mov r9, r3
    mov r10, r3
    mov r11, r3
1:
    TAP 0
    TAP 1
    TAP 2
    TAP 3
    TAP 4
    TAP 5
    TAP 6
    TAP 7
    add r0, lr
    subs r7, #1
    bne 1b
    ldr r7, [sp, #4]
    ldr r5, [sp, #12]
    cmp r5, #0
    bne 3f
    mov r3, r8                 @ the first window: its sums are the best so far
    mov r4, r9
    mov r5, r10
    mov r6, r11
    stm r7!, {r3, r4, r5, r6}
    b 4f
3:
    KEEP_MAX r8, 0
    KEEP_MAX r9, 4
    KEEP_MAX r10, 8
    KEEP_MAX r11, 12
4:
    ldr r5, [sp, #12]
    adds r5, #1
    str r5, [sp, #12]
    ldr r7, [sp]
    ldr r7, [r7, #20]          @ count
    cmp r5, r7
    bge 5f
    b 2b                       @ the loop body is beyond a conditional branch's reach
5:
    str r1, [sp, #8]           @ the next half's taps start where this half's end
    ldr r7, [sp, #4]
    adds r7, #16
    str r7, [sp, #4]
.endm

earshot_conv1ch_max_of_windows_armv6m:
    SAVE_ALL_CALLEE_SAVED
    sub sp, #16
    str r0, [sp]
    str r1, [sp, #4]
    ldr r2, [r0, #8]
    mov lr, r2                 @ row stride
    ldr r2, [r0, #4]
    str r2, [sp, #8]           @ taps of half 0
    HALF
    HALF
    add sp, #16
    RESTORE_ALL_CALLEE_SAVED_AND_RETURN
    .size earshot_conv1ch_max_of_windows_armv6m, . - earshot_conv1ch_max_of_windows_armv6m

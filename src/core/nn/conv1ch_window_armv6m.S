@ conv1ch_window() for the Cortex-M0+ (ARMv6-M Thumb), in two passes of 4 channels: per tap,
@ one input byte (ldrb, 2 cycles), the 4 channels' weights in one ldm (5 cycles) and a
@ multiply and add per channel (2 cycles each): 15 cycles per 4 multiply-accumulates. The
@ accumulators live in r8-r11, the weight pointer walks the taps with ldm's write-back.
@
@ void earshot_conv1ch_window_armv6m(const uint8_t* window,   r0: first byte of the window
@                                    const int32_t* taps,     r1: [2 halves][filter_h * 8 taps][4 channels]
@                                    int32_t row_stride,      r2: bytes between window rows
@                                    int32_t* acc,            r3: 8 sums out
@                                    int32_t filter_h);       [sp]: rows (>= 1)
@ Loop registers: r0 window row, r1 taps, r2 input byte, r3-r6 weights then products, r7 rows
@ left, r8-r11 sums, lr row stride. Stack: [sp] window, [sp, #4] acc, [sp, #8] filter_h.

    .syntax unified
    .cpu cortex-m0plus
    .thumb
#include "core/armv6m_frame.inc"
    .section .time_critical.earshot_conv1ch_window, "ax", %progbits
    .global earshot_conv1ch_window_armv6m
    .type earshot_conv1ch_window_armv6m, %function
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

@ All rows of the window for 4 channels, then their sums appended at the acc pointer.
.macro HALF
    ldr r0, [sp]
    ldr r7, [sp, #8]
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
    mov r3, r8
    mov r4, r9
    mov r5, r10
    mov r6, r11
    stm r7!, {r3, r4, r5, r6}
    str r7, [sp, #4]
.endm

earshot_conv1ch_window_armv6m:
    SAVE_ALL_CALLEE_SAVED
    ldr r4, [sp, #36]        @ filter_h (the fifth argument, above the 36 bytes just pushed)
    mov lr, r2
    sub sp, #12
    str r0, [sp]
    str r3, [sp, #4]
    str r4, [sp, #8]
    HALF
    HALF
    add sp, #12
    RESTORE_ALL_CALLEE_SAVED_AND_RETURN
    .size earshot_conv1ch_window_armv6m, . - earshot_conv1ch_window_armv6m

@ conv1ch_window() for the Cortex-M0+ (ARMv6-M Thumb): the 8 channel accumulators live in
@ r4-r7 and r8-r11, so each input byte is loaded once and each tap costs one 2-cycle load and a
@ 1-cycle multiply and add per channel (34 cycles per tap of 8 channels).
@
@ void earshot_conv1ch_window_armv6m(const uint8_t* window,   r0: first byte of the window
@                                    const int32_t* taps,     r1: [filter_h][8 taps][8 channels]
@                                    int32_t row_stride,      r2: bytes between window rows
@                                    int32_t* acc,            r3: 8 sums out
@                                    int32_t filter_h);       [sp]: rows (>= 1)
@ Registers in the loop: r0 window row, r1 taps, r2 input byte, r3 product, r12 row stride.

    .syntax unified
    .cpu cortex-m0plus
    .thumb
#include "core/armv6m_frame.inc"
    .section .time_critical.earshot_conv1ch_window, "ax", %progbits
    .global earshot_conv1ch_window_armv6m
    .type earshot_conv1ch_window_armv6m, %function
    .thumb_func

@ One multiply-accumulate: the weight at byte offset \off of r1 times the input byte in r2,
@ into accumulator \acc (low registers take the flag-setting form, high ones the plain add).
.macro MAC off, acc, high
    ldr r3, [r1, #\off]
    muls r3, r2, r3
    .if \high
    add \acc, r3
    .else
    adds \acc, \acc, r3
    .endif
.endm

@ One tap: byte \k of the row times the 8 channel weights at byte offset \off of r1.
.macro TAP k, off
    ldrb r2, [r0, #\k]
    MAC \off, r4, 0
    MAC \off + 4, r5, 0
    MAC \off + 8, r6, 0
    MAC \off + 12, r7, 0
    MAC \off + 16, r8, 1
    MAC \off + 20, r9, 1
    MAC \off + 24, r10, 1
    MAC \off + 28, r11, 1
.endm

earshot_conv1ch_window_armv6m:
    SAVE_ALL_CALLEE_SAVED
    ldr r4, [sp, #36]        @ filter_h (the fifth argument, above the 36 bytes just pushed)
    push {r3, r4}            @ [sp]: acc pointer, [sp + 4]: rows left
    mov r12, r2
    movs r4, #0
    movs r5, #0
    movs r6, #0
    movs r7, #0
    mov r8, r4
    mov r9, r4
    mov r10, r4
    mov r11, r4
1:
    TAP 0, 0
    TAP 1, 32
    TAP 2, 64
    TAP 3, 96
    adds r1, #128
    TAP 4, 0
    TAP 5, 32
    TAP 6, 64
    TAP 7, 96
    adds r1, #128
    add r0, r12
    ldr r2, [sp, #4]
    subs r2, #1
    str r2, [sp, #4]
    beq 2f
    b 1b                     @ the loop body is beyond a conditional branch's 256-byte reach
2:
    pop {r3}
    add sp, #4
    stm r3!, {r4-r7}
    mov r4, r8
    mov r5, r9
    mov r6, r10
    mov r7, r11
    stm r3!, {r4-r7}
    RESTORE_ALL_CALLEE_SAVED_AND_RETURN
    .size earshot_conv1ch_window_armv6m, . - earshot_conv1ch_window_armv6m

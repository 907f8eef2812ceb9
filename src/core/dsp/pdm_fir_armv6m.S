@ pdm_fir_outputs() for the Cortex-M0+ (ARMv6-M Thumb): the 31-tap symmetric FIR of the PDM
@ decimator's second stage at every 4th stage-1 output (see pdm_decimator.cpp). Per output,
@ 16 multiplies: h[15] * w[15] + sum over k < 15 of h[k] * (w[k] + w[30 - k]), every operand
@ loaded with an immediate offset; about 146 cycles an output.
@
@ void earshot_pdm_fir_outputs_armv6m(const int32_t* window,  r0: output j reads window[4j .. 4j + 30]
@                                     int32_t count,          r1: >= 1
@                                     const int32_t* h,       r2: h[0..15] as int32
@                                     int32_t* out);          r3: count sums out
@ Loop registers: r4 the sum, r5 and r6 operands.

    .syntax unified
    .cpu cortex-m0plus
    .thumb
    .section .time_critical.earshot_pdm_fir_outputs, "ax", %progbits
    .global earshot_pdm_fir_outputs_armv6m
    .type earshot_pdm_fir_outputs_armv6m, %function
    .thumb_func

@ sum += h[k] * (w[k] + w[30 - k])
.macro TAP k
    ldr r5, [r0, #4 * \k]
    ldr r6, [r0, #4 * (30 - \k)]
    adds r5, r5, r6
    ldr r6, [r2, #4 * \k]
    muls r5, r6, r5
    adds r4, r4, r5
.endm

earshot_pdm_fir_outputs_armv6m:
    push {r4-r6, lr}
1:
    ldr r4, [r0, #60]          @ the centre tap
    ldr r6, [r2, #60]
    muls r4, r6, r4
    TAP 0
    TAP 1
    TAP 2
    TAP 3
    TAP 4
    TAP 5
    TAP 6
    TAP 7
    TAP 8
    TAP 9
    TAP 10
    TAP 11
    TAP 12
    TAP 13
    TAP 14
    stm r3!, {r4}
    adds r0, #16               @ the next output: 4 stage-1 outputs on
    subs r1, #1
    bne 1b
    pop {r4-r6, pc}
    .size earshot_pdm_fir_outputs_armv6m, . - earshot_pdm_fir_outputs_armv6m

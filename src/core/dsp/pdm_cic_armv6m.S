@ pdm_cic_sums() for the Cortex-M0+ (ARMv6-M Thumb): for every 16 bits of PDM input, the sum of
@ eight table entries indexed by the bytes of the last 64 bits (see pdm_decimator.cpp). About
@ 60 cycles per 16 bits.
@
@ void earshot_pdm_cic_sums_armv6m(const uint32_t* words,   r0: 32 bits each, earliest in bit 31
@                                  int32_t word_count,      r1: >= 1
@                                  uint32_t* bits,          r2: {recent, older}, updated
@                                  uint32_t* sums,          r3: 2 * word_count sums out
@                                  const uint16_t* tables); [sp]: t[256][8]
@ Loop registers: r0 words, r1 loaded entry, r2 tables, r3 index, r4 recent bits, r5 older bits,
@ r6 0xff0, r7 sum; r8 end of words, r9 sums out, r10 the current word, r11 the bits pointer.

    .syntax unified
    .cpu cortex-m0plus
    .thumb
#include "core/armv6m_frame.inc"
    .section .time_critical.earshot_pdm_cic_sums, "ax", %progbits
    .global earshot_pdm_cic_sums_armv6m
    .type earshot_pdm_cic_sums_armv6m, %function
    .thumb_func

@ Table entry for byte \i of the 64 bits (\reg holds bytes 0-3 or 4-7), added to r7 (or moved
@ there when \first).
.macro LOOKUP reg, shift_left, shift_right, offset, first
    .if \shift_left
    lsls r3, \reg, #4
    .else
    lsrs r3, \reg, #\shift_right
    .endif
    ands r3, r6
    adds r3, r3, r2
    .if \first
    ldrh r7, [r3, #\offset]
    .else
    ldrh r1, [r3, #\offset]
    adds r7, r7, r1
    .endif
.endm

@ 16 new bits from the low half of r1 into (older, recent), then one sum stored.
.macro CHUNK
    lsls r5, r5, #16
    lsrs r3, r4, #16
    orrs r5, r5, r3
    lsls r4, r4, #16
    orrs r4, r4, r1
    LOOKUP r4, 1, 0, 0, 1
    LOOKUP r4, 0, 4, 2, 0
    LOOKUP r4, 0, 12, 4, 0
    LOOKUP r4, 0, 20, 6, 0
    LOOKUP r5, 1, 0, 8, 0
    LOOKUP r5, 0, 4, 10, 0
    LOOKUP r5, 0, 12, 12, 0
    LOOKUP r5, 0, 20, 14, 0
    mov r3, r9
    stm r3!, {r7}
    mov r9, r3
.endm

earshot_pdm_cic_sums_armv6m:
    SAVE_ALL_CALLEE_SAVED
    mov r9, r3
    mov r11, r2
    ldr r2, [sp, #36]          @ tables (the fifth argument, above the 36 bytes pushed)
    lsls r1, r1, #2
    adds r1, r0, r1
    mov r8, r1
    mov r3, r11
    ldm r3!, {r4, r5}          @ recent, older
    movs r6, #0xff
    lsls r6, r6, #4
1:
    ldm r0!, {r1}
    mov r10, r1
    lsrs r1, r1, #16           @ the word's first 16 bits
    CHUNK
    mov r1, r10
    uxth r1, r1                @ its last 16 bits
    CHUNK
    cmp r0, r8
    beq 2f
    b 1b                       @ the loop body is beyond a conditional branch's reach
2:
    mov r3, r11
    stm r3!, {r4, r5}
    RESTORE_ALL_CALLEE_SAVED_AND_RETURN
    .size earshot_pdm_cic_sums_armv6m, . - earshot_pdm_cic_sums_armv6m

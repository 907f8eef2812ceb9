@ The radix-4 stages of the q15 FFT's two 64-point halves for the Cortex-M0+ (ARMv6-M Thumb):
@ radix4_first_stage64(), radix4_middle_stage64() and radix4_last_stage64_doubled() of
@ rfft_q15.cpp, bit for bit (firmware_kernel_check runs each against its C++ twin on the
@ board). A complex value is one word (re low, im high), loaded with one ldr and split with
@ sxth / asrs; a twiddled output is packed back into one word. The registers cannot hold a
@ butterfly's 8 intermediate values and its pointers, so 4 of them wait in r8-r11 (and 2 in
@ r12 / lr), one cycle each way.
@
@ void earshot_radix4_first_stage64_armv6m(int16_t* x, const int32_t* twiddles);
@ void earshot_radix4_middle_stage64_armv6m(int16_t* x, const int32_t* twiddles);
@ void earshot_radix4_last_stage64_doubled_armv6m(int16_t* x);
@ x: 64 interleaved complex q15 values; twiddles: int32 (co1, si1, co2, si2, co3, si3) per
@ butterfly (first stage) or per group (middle stage), radix4_first/middle_twiddles().

    .syntax unified
    .cpu cortex-m0plus
    .thumb

@ Save and restore r4-r11 (the callee-saved registers these loops use).
.macro ENTER
    push {r4-r7, lr}
    mov r4, r8
    mov r5, r9
    mov r6, r10
    mov r7, r11
    push {r4-r7}
.endm

.macro LEAVE
    pop {r4-r7}
    mov r8, r4
    mov r9, r5
    mov r10, r6
    mov r11, r7
    pop {r4-r7, pc}
.endm

@ v = saturate_q15(v) >> 1; tmp is clobbered. Saturation is rare: one compare on the way.
.macro SAT_HALVE v, tmp
    sxth \tmp, \v
    cmp \tmp, \v
    beq 1f
    asrs \v, \v, #31           @ 0 (overflowed up) or -1 (down)
    movs \tmp, #0x80
    lsls \tmp, \tmp, #8
    subs \tmp, #1              @ 0x7fff
    eors \v, \tmp              @ 0x7fff or -0x8000
1:
    asrs \v, \v, #1
.endm

@ Store x * conj(w), w = (co, si) at [r1 + wofs], as one word at [base + sofs]:
@ re = (co*re + si*im) >> 16, im = (co*im - si*re) >> 16, each kept to 16 bits.
@ vre is clobbered; t0-t2 are temporaries.
.macro TWIDDLE vre, vim, wofs, t0, t1, t2, base, sofs
    ldr \t0, [r1, #\wofs]
    ldr \t1, [r1, #\wofs + 4]
    movs \t2, \t0
    muls \t2, \vre, \t2        @ co * re
    muls \t0, \vim, \t0        @ co * im
    muls \vre, \t1, \vre       @ si * re
    muls \t1, \vim, \t1        @ si * im
    adds \t2, \t2, \t1
    subs \t0, \t0, \vre
    lsrs \t2, \t2, #16
    lsrs \t0, \t0, #16
    lsls \t0, \t0, #16
    orrs \t2, \t0
    str \t2, [\base, #\sofs]
.endm

@ The last two outputs of a twiddled butterfly, from s (r10 = s.re, r11 = s.im) and u
@ (r12 = u.re, lr = u.im): x2 = (s.re + u.im, s.im - u.re) twiddled by w1, stored at
@ [base + o2]; x3 = (s.re - u.im, s.im + u.re) by w3 at [base + o3]. Uses r5, r7 and the
@ three temporaries a, b, c; x3 waits in r10 / r11 while x2 is twiddled.
.macro X2_X3 a, b, c, base, o2, o3
    mov \a, r10
    mov \b, lr
    adds r5, \a, \b             @ x2.re
    subs \a, \a, \b             @ x3.re
    mov \b, r11
    mov \c, r12
    subs r7, \b, \c             @ x2.im
    adds \b, \b, \c             @ x3.im
    mov r10, \a
    mov r11, \b
    TWIDDLE r5, r7, 0, \a, \b, \c, \base, \o2
    mov r5, r10
    mov r7, r11
    TWIDDLE r5, r7, 16, \a, \b, \c, \base, \o3
.endm

@ Load the complex words at [p + oa] and [p + oc] (a and c, or b and d) and leave
@ sum.re in s_re, diff.re in d_re, sum.im in s_im, diff.im in d_im (unsaturated).
@ With shift 2 the parts are pre-scaled by 1/4 on the way (the first stage).
.macro SUM_DIFF pa, oa, pc, oc, s_re, d_re, s_im, d_im, shift
    ldr \d_im, [\pa, #\oa]
    ldr \s_im, [\pc, #\oc]
.if \shift == 0
    sxth \d_re, \d_im
    asrs \d_im, \d_im, #16
    sxth \s_re, \s_im
    asrs \s_im, \s_im, #16
.else
    lsls \d_re, \d_im, #16
    asrs \d_re, \d_re, #16 + \shift
    asrs \d_im, \d_im, #16 + \shift
    lsls \s_re, \s_im, #16
    asrs \s_re, \s_re, #16 + \shift
    asrs \s_im, \s_im, #16 + \shift
.endif
    @ d_re = a.re, s_re = c.re, d_im = a.im, s_im = c.im
    adds \s_re, \d_re, \s_re   @ a.re + c.re
    lsls \d_re, \d_re, #1
    subs \d_re, \d_re, \s_re   @ 2 a.re - (a.re + c.re) = a.re - c.re
    adds \s_im, \d_im, \s_im
    lsls \d_im, \d_im, #1
    subs \d_im, \d_im, \s_im
.endm

@ SUM_DIFF into r6 (sum.re), r2 (diff.re), r3 (sum.im), r4 (diff.im), each then saturated
@ and halved (r7 is clobbered): the middle and last stages' r, s or t, u.
.macro SUM_DIFF_HALVED pa, oa, pc, oc
    SUM_DIFF \pa, \oa, \pc, \oc, r6, r2, r3, r4, 0
    SAT_HALVE r6, r7
    SAT_HALVE r2, r7
    SAT_HALVE r3, r7
    SAT_HALVE r4, r7
.endm

@ The last stage's outputs, two at a time: r7 = 2 (hi op7 x) to [r0 + o7], r5 = 2 (hi op5 x)
@ to [r0 + o5] (strh keeps the low 16 bits: the doubling wraps).
.macro DOUBLED hi, x, op7, op5, o7, o5
    mov r5, \hi
    \op7 r7, r5, \x
    \op5 r5, r5, \x
    lsls r7, r7, #1
    lsls r5, r5, #1
    strh r7, [r0, #\o7]
    strh r5, [r0, #\o5]
.endm

    .section .time_critical.earshot_radix4_first_stage64, "ax", %progbits
    .global earshot_radix4_first_stage64_armv6m
    .type earshot_radix4_first_stage64_armv6m, %function
    .thumb_func
@ 16 butterflies on points i0, i0 + 16, i0 + 32, i0 + 48 (bytes +0, +64, +128, +192):
@ r0 = &x[i0], r2 = &x[i0 + 32], r1 = this butterfly's twiddles, [sp] = the end of r0.
@ The inputs are pre-scaled by 1/4, so no sum here can leave the int16 range.
earshot_radix4_first_stage64_armv6m:
    ENTER
    sub sp, #4
    movs r3, #64
    adds r3, r3, r0
    str r3, [sp]
    movs r2, #128
    adds r2, r2, r0
.Lfirst_butterfly:
    SUM_DIFF r0, 0, r2, 0, r7, r3, r6, r4, 2     @ r = a + c, s = a - c
    mov r8, r7                 @ r.re
    mov r9, r6                 @ r.im
    mov r10, r3                @ s.re
    mov r11, r4                @ s.im
    SUM_DIFF r0, 64, r2, 64, r7, r3, r6, r4, 2   @ t = b + d, u = b - d
    mov r12, r3                @ u.re
    mov lr, r4                 @ u.im
    @ x0 = (r >> 1) + (t >> 1); x1 = (r - t) twiddled by w2
    mov r3, r8
    asrs r4, r3, #1
    asrs r5, r7, #1
    adds r4, r4, r5            @ x0.re
    subs r3, r3, r7            @ x1.re
    mov r5, r9
    asrs r7, r5, #1
    subs r5, r5, r6            @ x1.im
    asrs r6, r6, #1
    adds r7, r7, r6            @ x0.im
    strh r4, [r0, #0]
    strh r7, [r0, #2]
    TWIDDLE r3, r5, 8, r4, r6, r7, r0, 64
    X2_X3 r3, r4, r6, r2, 0, 64
    adds r0, #4
    adds r2, #4
    adds r1, #24
    ldr r3, [sp]
    cmp r0, r3
    beq .Lfirst_butterfly_done
    b .Lfirst_butterfly         @ out of a conditional branch's reach
.Lfirst_butterfly_done:
    add sp, #4
    LEAVE
    .size earshot_radix4_first_stage64_armv6m, . - earshot_radix4_first_stage64_armv6m

    .section .time_critical.earshot_radix4_middle_stage64, "ax", %progbits
    .global earshot_radix4_middle_stage64_armv6m
    .type earshot_radix4_middle_stage64_armv6m, %function
    .thumb_func
@ 4 groups j of 4 butterflies at i0 = j + 16 m; points i0, +4, +8, +12 (bytes +0, +16, +32, +48).
@ r0 = &x[i0], r1 = the group's twiddles; [sp] = the group's end, [sp + 4] = the group's
@ first butterfly, [sp + 8] = the last group's first butterfly + 4 bytes.
earshot_radix4_middle_stage64_armv6m:
    ENTER
    sub sp, #12
    movs r3, #16
    adds r3, r3, r0
    str r3, [sp, #8]
.Lmiddle_group:
    str r0, [sp, #4]
    movs r3, #128
    lsls r3, r3, #1
    adds r3, r3, r0
    str r3, [sp]
.Lmiddle_butterfly:
    SUM_DIFF_HALVED r0, 0, r0, 32     @ r = a + c, s = a - c
    mov r8, r6                 @ R.re (halved from here on)
    mov r9, r3                 @ R.im
    mov r10, r2                @ S.re
    mov r11, r4                @ S.im
    SUM_DIFF_HALVED r0, 16, r0, 48    @ t = b + d, u = b - d
    mov r12, r2                @ U.re
    mov lr, r4                 @ U.im
    @ x0 = (R + T) >> 1; x1 = (R - T) twiddled by w2
    mov r2, r8
    adds r4, r2, r6
    asrs r4, r4, #1            @ x0.re
    subs r2, r2, r6            @ x1.re
    mov r5, r9
    adds r7, r5, r3
    asrs r7, r7, #1            @ x0.im
    subs r5, r5, r3            @ x1.im
    strh r4, [r0, #0]
    strh r7, [r0, #2]
    TWIDDLE r2, r5, 8, r3, r4, r6, r0, 16
    X2_X3 r2, r3, r4, r0, 32, 48
    adds r0, #64
    ldr r3, [sp]
    cmp r0, r3
    beq .Lmiddle_butterfly_done
    b .Lmiddle_butterfly         @ out of a conditional branch's reach
.Lmiddle_butterfly_done:
    adds r1, #24
    ldr r0, [sp, #4]
    adds r0, #4
    ldr r3, [sp, #8]
    cmp r0, r3
    beq .Lmiddle_group_done
    b .Lmiddle_group         @ out of a conditional branch's reach
.Lmiddle_group_done:
    add sp, #12
    LEAVE
    .size earshot_radix4_middle_stage64_armv6m, . - earshot_radix4_middle_stage64_armv6m

    .section .time_critical.earshot_radix4_last_stage64_doubled, "ax", %progbits
    .global earshot_radix4_last_stage64_doubled_armv6m
    .type earshot_radix4_last_stage64_doubled_armv6m, %function
    .thumb_func
@ 16 butterflies on 4 neighbours (bytes +0, +4, +8, +12), unit twiddles, outputs doubled
@ (strh keeps the low 16 bits: the wrap). r0 = &x[i0], r1 = the end.
earshot_radix4_last_stage64_doubled_armv6m:
    ENTER
    movs r1, #128
    lsls r1, r1, #1
    adds r1, r1, r0
.Llast_butterfly:
    SUM_DIFF_HALVED r0, 0, r0, 8      @ r = a + c, s = a - c
    mov r8, r6                 @ R.re
    mov r9, r3                 @ R.im
    mov r10, r2                @ S.re
    mov r11, r4                @ S.im
    SUM_DIFF_HALVED r0, 4, r0, 12     @ t = b + d, u = b - d
    DOUBLED r8, r6, adds, subs, 0, 4      @ x0.re = 2 (R.re + T.re), x1.re = 2 (R.re - T.re)
    DOUBLED r9, r3, adds, subs, 2, 6      @ x0.im, x1.im
    DOUBLED r10, r4, adds, subs, 8, 12    @ x2.re = 2 (S.re + U.im), x3.re = 2 (S.re - U.im)
    DOUBLED r11, r2, subs, adds, 10, 14   @ x2.im = 2 (S.im - U.re), x3.im = 2 (S.im + U.re)
    adds r0, #16
    cmp r0, r1
    beq .Llast_butterfly_done
    b .Llast_butterfly         @ out of a conditional branch's reach
.Llast_butterfly_done:
    LEAVE
    .size earshot_radix4_last_stage64_doubled_armv6m, . - earshot_radix4_last_stage64_doubled_armv6m

    .section .time_critical.earshot_radix2_split128, "ax", %progbits
    .global earshot_radix2_split128_armv6m
    .type earshot_radix2_split128_armv6m, %function
    .thumb_func
@ void earshot_radix2_split128_armv6m(int16_t* x, const int16_t* twiddles): radix2_split128().
@ For i < 64, a = x[i] and b = x[i + 64] (halved on load): x[i] = (a + b) / 2,
@ x[i + 64] = (a - b) * conj(w_i), each of the four products >> 16 on its own.
@ r0 = &x[i], r1 = &x[i + 64], r2 = &w_i as one word (co low, si high), r8 = the end of r0.
earshot_radix2_split128_armv6m:
    push {r4-r7, lr}
    mov r4, r8
    push {r4}
    mov r2, r1
    movs r3, #128
    lsls r3, r3, #1
    adds r1, r0, r3
    mov r8, r1
.Lsplit_point:
    ldr r4, [r0]
    ldr r5, [r1]
    lsls r3, r4, #16
    asrs r3, r3, #17           @ a.re / 2
    asrs r4, r4, #17           @ a.im / 2
    lsls r7, r5, #16
    asrs r7, r7, #17           @ b.re / 2
    asrs r5, r5, #17           @ b.im / 2
    adds r3, r3, r7
    lsls r7, r7, #1
    subs r7, r3, r7            @ xt = a.re/2 - b.re/2
    asrs r3, r3, #1
    adds r4, r4, r5
    lsls r5, r5, #1
    subs r5, r4, r5            @ yt = a.im/2 - b.im/2
    asrs r4, r4, #1
    strh r3, [r0]
    strh r4, [r0, #2]
    ldr r6, [r2]
    sxth r3, r6                @ co
    asrs r6, r6, #16           @ si
    movs r4, r7
    muls r4, r3, r4
    asrs r4, r4, #16           @ (xt co) >> 16
    muls r3, r5, r3
    asrs r3, r3, #16           @ (yt co) >> 16
    muls r7, r6, r7
    asrs r7, r7, #16           @ (xt si) >> 16
    muls r5, r6, r5
    asrs r5, r5, #16           @ (yt si) >> 16
    adds r4, r4, r5
    subs r3, r3, r7
    strh r4, [r1]
    strh r3, [r1, #2]
    adds r0, #4
    adds r1, #4
    adds r2, #4
    cmp r0, r8
    bne .Lsplit_point
    pop {r4}
    mov r8, r4
    pop {r4-r7, pc}
    .size earshot_radix2_split128_armv6m, . - earshot_radix2_split128_armv6m

/* Second-stage boot for any SPI flash that answers the plain 03h READ command.
 * The bootrom copies these 256 bytes to SRAM, checks the CRC32 in the last 4 (added by
 * earshot's UF2 writer) and runs them. We set the XIP SSI up for 03h reads with a 24-bit
 * address and 32-bit frames, then enter the application through its vector table at
 * 0x10000100 (RP2040 datasheet 2.8.1 and 4.10). */
    .syntax unified
    .cpu cortex-m0plus
    .thumb
    .section .boot2, "ax"
    .global boot2_entry
    .type boot2_entry, %function
boot2_entry:
    push {lr}
    ldr r3, =0x18000000          /* XIP_SSI base */
    movs r1, #0
    str r1, [r3, #0x08]          /* SSIENR = 0: disable while configuring */
    movs r1, #4
    str r1, [r3, #0x14]          /* BAUDR = 4: clk_sys / 4 on the flash clock */
    ldr r1, =((31 << 16) | (3 << 8))
    str r1, [r3, #0x00]          /* CTRLR0: DFS_32 = 31 (32-bit frames), TMOD = 3 (EEPROM read) */
    movs r1, #0
    str r1, [r3, #0x04]          /* CTRLR1: NDF = 0 (one frame per XIP access) */
    ldr r2, =0xf4
    ldr r1, =((0x03 << 24) | (2 << 8) | (6 << 2))
    str r1, [r3, r2]             /* SPI_CTRLR0: XIP_CMD 03h, INST_L 8 bits, ADDR_L 24 bits, standard SPI */
    movs r1, #1
    str r1, [r3, #0x08]          /* SSIENR = 1 */
    pop {r0}
    cmp r0, #0                   /* called by the bootrom with lr = 0: start the application */
    beq 1f
    bx r0
1:  ldr r0, =0x10000100          /* the application's vector table */
    ldr r1, =0xe000ed08          /* VTOR */
    str r0, [r1]
    ldmia r0, {r0, r1}
    msr msp, r0
    bx r1
    .ltorg

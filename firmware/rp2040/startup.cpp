// Reset and the vector table: copy .data (which also holds the hot code and weights) from flash
// to SRAM, zero .bss, run static constructors, call main.
#include <cstdint>

extern "C" {
extern uint32_t __data_start[], __data_end[], __data_load[], __bss_start[], __bss_end[], __stack_top[];
extern void (*__init_array_start[])();
extern void (*__init_array_end[])();
int main();
[[noreturn]] void reset_handler();
void default_handler();
// Interrupt handlers an app may define; the rest stop in default_handler.
void isr_dma_irq_0() __attribute__((weak, alias("default_handler")));
void isr_usbctrl() __attribute__((weak, alias("default_handler")));
}

extern "C" [[noreturn]] void reset_handler() {
    for (uint32_t *src = __data_load, *dst = __data_start; dst < __data_end;) *dst++ = *src++;
    for (uint32_t* p = __bss_start; p < __bss_end;) *p++ = 0;
    for (auto** f = __init_array_start; f < __init_array_end; ++f) (*f)();
    main();
    for (;;) __asm volatile("wfi");
}

// An unexpected exception or interrupt: stop here, where a debugger shows it.
extern "C" void default_handler() {
    for (;;) __asm volatile("bkpt #0");
}

// 16 system exceptions + 32 RP2040 interrupts (datasheet 2.3.2).
#define EARSHOT_HANDLER(f) reinterpret_cast<const void*>(f)
__attribute__((section(".vectors"), used)) const void* const vector_table[48] = {
    __stack_top, EARSHOT_HANDLER(reset_handler),
    EARSHOT_HANDLER(default_handler),  // NMI
    EARSHOT_HANDLER(default_handler),  // HardFault
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
    EARSHOT_HANDLER(default_handler),  // SVCall
    nullptr, nullptr,
    EARSHOT_HANDLER(default_handler),  // PendSV
    EARSHOT_HANDLER(default_handler),  // SysTick
    // IRQ 0-4: timer alarms, PWM
    EARSHOT_HANDLER(default_handler), EARSHOT_HANDLER(default_handler), EARSHOT_HANDLER(default_handler),
    EARSHOT_HANDLER(default_handler), EARSHOT_HANDLER(default_handler),
    EARSHOT_HANDLER(isr_usbctrl),  // IRQ 5: USBCTRL_IRQ
    // IRQ 6-10: XIP, PIO0/1
    EARSHOT_HANDLER(default_handler), EARSHOT_HANDLER(default_handler), EARSHOT_HANDLER(default_handler),
    EARSHOT_HANDLER(default_handler), EARSHOT_HANDLER(default_handler),
    EARSHOT_HANDLER(isr_dma_irq_0),  // IRQ 11: DMA_IRQ_0
    // IRQ 12-31 (DMA_IRQ_1, IO, SIO, clocks, SPI, UART, ADC, I2C, RTC, unused): never enabled.
};
#undef EARSHOT_HANDLER

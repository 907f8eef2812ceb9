#include "firmware/rp2040/usb_device.hpp"

#include "firmware/rp2040/clocks.hpp"
#include "firmware/rp2040/regs.hpp"

namespace earshot::rp2040 {
namespace {

constexpr uint32_t kDpram = 0x50100000, kRegs = 0x50110000;
constexpr uint32_t kPllUsb = 0x4002c000;
constexpr uint32_t kUsbIrq = 5;
constexpr uint32_t kResetPllUsb = 1u << 13, kResetUsbctrl = 1u << 24;
// Controller registers (datasheet 4.1.4).
constexpr uint32_t kAddrEndp = 0x00, kMainCtrl = 0x40, kSieCtrl = 0x4c, kSieStatus = 0x50, kBuffStatus = 0x58, kEpStallArm = 0x68,
                   kUsbMuxing = 0x74, kUsbPwr = 0x78, kInte = 0x90, kInts = 0x98;
constexpr uint32_t kSieSetupRec = 1u << 17, kSieBusReset = 1u << 19;
constexpr uint32_t kIntBuffStatus = 1u << 4, kIntBusReset = 1u << 12, kIntSetupReq = 1u << 16;
// DPRAM layout (datasheet 4.1.2.5): setup packet, endpoint control, buffer control, buffers.
constexpr uint32_t kEp0InBufCtrl = 0x80, kEp0OutBufCtrl = 0x84, kEp0Buffer = 0x100, kEpBuffer = 0x180;
constexpr uint32_t kBufFull = 1u << 15, kBufLast = 1u << 14, kBufData1 = 1u << 13, kBufStall = 1u << 11, kBufAvailable = 1u << 10;
constexpr uint16_t kEp0Packet = 64;

enum class Ep0 : uint8_t { idle, data_in, data_out, status_in, status_out };

struct EndpointState {
    uint32_t data1;  // the PID of the next packet (bulk/interrupt toggle; isochronous stays DATA0)
    volatile bool busy;
};

struct Device {
    UsbDescriptors descriptors;
    const UsbEndpoint* endpoints;
    uint8_t endpoint_count;
    EndpointState state[kUsbMaxEndpoints];
    UsbHandlers handlers;
    UsbSetup pending;  // a class request waiting for its OUT data stage
    Ep0 phase;
    const uint8_t* tx;  // the rest of a control IN transfer
    uint16_t tx_left;
    bool tx_zlp;        // a short transfer that ended on a full packet owes a zero-length one
    uint32_t ep0_data1;
    uint8_t new_address;
    uint8_t configuration;
    uint8_t alt[8];
};
Device g_usb;

volatile uint8_t* dpram(uint32_t offset) { return reinterpret_cast<volatile uint8_t*>(kDpram + offset); }

// Hand a buffer to the controller: everything but AVAILABLE first, then AVAILABLE (datasheet
// 4.1.2.5.1: the controller runs on clk_usb, slower than clk_sys).
void arm(uint32_t buf_ctrl, uint32_t value) {
    reg(kDpram + buf_ctrl) = value;
    for (int i = 0; i < 12; ++i) __asm volatile("nop");
    reg(kDpram + buf_ctrl) = value | kBufAvailable;
}

void ep0_send_packet() {
    const uint16_t n = g_usb.tx_left < kEp0Packet ? g_usb.tx_left : kEp0Packet;
    for (uint16_t i = 0; i < n; ++i) dpram(kEp0Buffer)[i] = g_usb.tx[i];
    g_usb.tx += n;
    g_usb.tx_left = static_cast<uint16_t>(g_usb.tx_left - n);
    if (n < kEp0Packet) g_usb.tx_zlp = false;
    arm(kEp0InBufCtrl, kBufFull | g_usb.ep0_data1 | n);
    g_usb.ep0_data1 ^= kBufData1;
}

// The data stage of a control IN request: at most wLength bytes of `data`.
void ep0_reply(const uint8_t* data, uint16_t length, uint16_t requested) {
    g_usb.tx = data;
    g_usb.tx_left = length < requested ? length : requested;
    g_usb.tx_zlp = g_usb.tx_left < requested && g_usb.tx_left % kEp0Packet == 0;
    g_usb.phase = Ep0::data_in;
    ep0_send_packet();
}

void ep0_status_in() {  // zero-length DATA1 packet: the request is done
    g_usb.phase = Ep0::status_in;
    arm(kEp0InBufCtrl, kBufFull | kBufData1);
}

void ep0_stall() {
    reg(kRegs + kEpStallArm) = 0b11;
    reg(kDpram + kEp0InBufCtrl) = kBufStall;
    reg(kDpram + kEp0OutBufCtrl) = kBufStall;
    g_usb.phase = Ep0::idle;
}

bool is_in(const UsbEndpoint& e) { return (e.address & 0x80) != 0; }
uint32_t endpoint_number(const UsbEndpoint& e) { return e.address & 0x0fu; }
uint32_t buffer_offset(uint32_t k) { return kEpBuffer + 64u * k; }
// Buffer control of endpoint n: IN at 0x80 + 8n, OUT at 0x84 + 8n (datasheet 4.1.2.5).
uint32_t buffer_control(const UsbEndpoint& e) { return kEp0InBufCtrl + 8u * endpoint_number(e) + (is_in(e) ? 0u : 4u); }

void arm_out(uint32_t k) {
    const UsbEndpoint& e = g_usb.endpoints[k];
    arm(buffer_control(e), g_usb.state[k].data1 | e.max_packet);
}

// SET_CONFIGURATION: every endpoint enabled with its own buffer, toggles at DATA0, OUT armed.
void configure_endpoints() {
    for (uint32_t k = 0; k < g_usb.endpoint_count; ++k) {
        const UsbEndpoint& e = g_usb.endpoints[k];
        const uint32_t control = kDpram + 0x08 + 8u * (endpoint_number(e) - 1u) + (is_in(e) ? 0u : 4u);
        // ENABLE, interrupt per buffer, endpoint type, buffer offset.
        reg(control) = (1u << 31) | (1u << 29) | (uint32_t{e.type} << 26) | buffer_offset(k);
        g_usb.state[k] = EndpointState{0, false};
        if (!is_in(e)) arm_out(k);
    }
}

void reset_endpoints(bool configured) {
    if (configured) {
        configure_endpoints();  // fresh state for every endpoint, OUT ones armed
    } else {
        for (uint32_t k = 0; k < g_usb.endpoint_count; ++k) g_usb.state[k] = EndpointState{0, false};
    }
    if (g_usb.handlers.configured) g_usb.handlers.configured(configured);
}

int find_in_endpoint(uint8_t number) {
    for (uint32_t k = 0; k < g_usb.endpoint_count; ++k) {
        if (is_in(g_usb.endpoints[k]) && endpoint_number(g_usb.endpoints[k]) == number) return static_cast<int>(k);
    }
    return -1;
}

// A class request, once its data (if any) is here: the function answers, or it stalls.
void finish_class_request(const uint8_t* data) {
    const uint8_t* reply = nullptr;
    uint16_t reply_length = 0;
    if (!g_usb.handlers.class_request || !g_usb.handlers.class_request(g_usb.pending, data, &reply, &reply_length)) return ep0_stall();
    if ((g_usb.pending.type & 0x80) && g_usb.pending.length) return ep0_reply(reply, reply_length, g_usb.pending.length);
    ep0_status_in();
}

void handle_setup() {
    uint8_t s[8];
    for (int i = 0; i < 8; ++i) s[i] = dpram(0)[i];
    const uint8_t type = s[0], request = s[1];
    const uint16_t value = static_cast<uint16_t>(s[2] | (s[3] << 8)), index = static_cast<uint16_t>(s[4] | (s[5] << 8));
    const uint16_t length = static_cast<uint16_t>(s[6] | (s[7] << 8));
    g_usb.ep0_data1 = kBufData1;
    static uint8_t reply[2];
    const uint8_t recipient = type & 0x1f;
    if ((type & 0x60) == 0x20) {  // class request: to the function, after its OUT data stage if it has one
        g_usb.pending = UsbSetup{type, request, value, index, length};
        if ((type & 0x80) || length == 0) return finish_class_request(nullptr);
        if (length > kEp0Packet) return ep0_stall();
        g_usb.phase = Ep0::data_out;
        return arm(kEp0OutBufCtrl, kBufData1 | kEp0Packet);
    }
    if ((type & 0x60) != 0) return ep0_stall();  // vendor requests: none
    switch (request) {
        case 0x06: {  // GET_DESCRIPTOR
            const uint8_t kind = static_cast<uint8_t>(value >> 8), i = static_cast<uint8_t>(value);
            if (kind == 1) return ep0_reply(g_usb.descriptors.device, 18, length);
            if (kind == 2) return ep0_reply(g_usb.descriptors.configuration, g_usb.descriptors.configuration_length, length);
            if (kind == 3 && i < g_usb.descriptors.string_count) return ep0_reply(g_usb.descriptors.strings[i], g_usb.descriptors.strings[i][0], length);
            return ep0_stall();
        }
        case 0x05:  // SET_ADDRESS: takes effect after the status stage
            g_usb.new_address = static_cast<uint8_t>(value & 0x7f);
            return ep0_status_in();
        case 0x09:  // SET_CONFIGURATION
            g_usb.configuration = static_cast<uint8_t>(value);
            for (uint8_t& a : g_usb.alt) a = 0;
            reset_endpoints(g_usb.configuration != 0);
            return ep0_status_in();
        case 0x08:  // GET_CONFIGURATION
            reply[0] = g_usb.configuration;
            return ep0_reply(reply, 1, length);
        case 0x0b:  // SET_INTERFACE
            if (recipient != 1 || index >= sizeof g_usb.alt) return ep0_stall();
            g_usb.alt[index] = static_cast<uint8_t>(value);
            if (g_usb.handlers.set_interface) g_usb.handlers.set_interface(static_cast<uint8_t>(index), static_cast<uint8_t>(value));
            return ep0_status_in();
        case 0x0a:  // GET_INTERFACE
            if (index >= sizeof g_usb.alt) return ep0_stall();
            reply[0] = g_usb.alt[index];
            return ep0_reply(reply, 1, length);
        case 0x00:  // GET_STATUS: bus powered, no remote wake-up, nothing halted
            reply[0] = reply[1] = 0;
            return ep0_reply(reply, 2, length);
        case 0x01:  // CLEAR_FEATURE (endpoint halt, remote wake-up): nothing to clear
            return ep0_status_in();
        default:
            return ep0_stall();
    }
}

void ep0_in_done() {
    if (g_usb.phase == Ep0::status_in) {
        if (g_usb.new_address) {
            reg(kRegs + kAddrEndp) = g_usb.new_address;
            g_usb.new_address = 0;
        }
        g_usb.phase = Ep0::idle;
    } else if (g_usb.phase == Ep0::data_in) {
        if (g_usb.tx_left > 0 || g_usb.tx_zlp) {
            ep0_send_packet();
        } else {  // the host acknowledges with a zero-length OUT
            g_usb.phase = Ep0::status_out;
            arm(kEp0OutBufCtrl, kBufData1);
        }
    }
}

// EP0's OUT buffer completed: the data stage of a class request, or the status stage of an IN.
void ep0_out_done() {
    if (g_usb.phase == Ep0::data_out) {
        uint8_t data[kEp0Packet];
        const uint32_t received = reg(kDpram + kEp0OutBufCtrl) & 0x3ffu;
        if (received < g_usb.pending.length) return ep0_stall();
        for (uint32_t i = 0; i < g_usb.pending.length; ++i) data[i] = dpram(kEp0Buffer)[i];
        finish_class_request(data);
    } else if (g_usb.phase == Ep0::status_out) {
        g_usb.phase = Ep0::idle;
    }
}

// A data endpoint's buffer completed: an IN packet went out, or an OUT packet arrived.
void endpoint_done(uint32_t k) {
    const UsbEndpoint& e = g_usb.endpoints[k];
    if (is_in(e)) {
        g_usb.state[k].busy = false;
        return;
    }
    const uint16_t length = static_cast<uint16_t>(reg(kDpram + buffer_control(e)) & 0x3ffu);
    if (g_usb.handlers.received) g_usb.handlers.received(static_cast<uint8_t>(endpoint_number(e)), dpram(buffer_offset(k)), length);
    if (e.type != 1) g_usb.state[k].data1 ^= kBufData1;
    arm_out(k);
}

}  // namespace

void init_usb_clock() {
    unreset(kResetPllUsb);
    reg(kPllUsb + 0x0) = 1;    // REFDIV
    reg(kPllUsb + 0x8) = 120;  // FBDIV: VCO 1440 MHz
    clear_bits(kPllUsb + 0x4, (1u << 0) | (1u << 5));
    while (!(reg(kPllUsb + 0x0) & (1u << 31))) {
    }
    reg(kPllUsb + 0xc) = (6u << 16) | (5u << 12);  // 1440 / 6 / 5 = 48 MHz
    clear_bits(kPllUsb + 0x4, 1u << 3);
    reg(base::clocks + 0x54) = 1u << 11;  // CLK_USB_CTRL: ENABLE, AUXSRC = PLL_USB
}

void init_usb_device(const UsbDescriptors& descriptors, const UsbEndpoint* endpoints, uint8_t endpoint_count,
                     const UsbHandlers& handlers) {
    g_usb = Device{};
    g_usb.descriptors = descriptors;
    g_usb.endpoints = endpoints;
    g_usb.endpoint_count = endpoint_count < kUsbMaxEndpoints ? endpoint_count : kUsbMaxEndpoints;
    g_usb.handlers = handlers;
    reg(base::resets) = reg(base::resets) | kResetUsbctrl;
    unreset(kResetUsbctrl);
    for (uint32_t i = 0; i < 4096; ++i) dpram(0)[i] = 0;
    reg(kRegs + kUsbMuxing) = (1u << 0) | (1u << 3);  // TO_PHY, SOFTCON
    reg(kRegs + kUsbPwr) = (1u << 2) | (1u << 3);     // VBUS detected (no VBUS pin), by override
    reg(kRegs + kMainCtrl) = 1u;                      // CONTROLLER_EN, device mode
    reg(kRegs + kSieCtrl) = 1u << 29;                 // EP0_INT_1BUF
    reg(kRegs + kInte) = kIntBuffStatus | kIntBusReset | kIntSetupReq;
    enable_irq(kUsbIrq);
    set_bits(kRegs + kSieCtrl, 1u << 16);  // PULLUP_EN: the host sees us
}

bool usb_configured() { return g_usb.configuration != 0; }

bool usb_in_ready(uint8_t number) {
    const int k = find_in_endpoint(number);
    return g_usb.configuration != 0 && k >= 0 && !g_usb.state[k].busy;
}

void usb_send_in(uint8_t number, const void* data, uint16_t length) {
    const int k = find_in_endpoint(number);
    if (k < 0 || g_usb.configuration == 0) return;
    const UsbEndpoint& e = g_usb.endpoints[k];
    if (length > e.max_packet) length = e.max_packet;
    const auto* bytes = static_cast<const uint8_t*>(data);
    for (uint16_t i = 0; i < length; ++i) dpram(buffer_offset(static_cast<uint32_t>(k)))[i] = bytes[i];
    EndpointState& state = g_usb.state[k];
    state.busy = true;
    // One buffer, so it is also the last; isochronous full-speed data is always DATA0.
    const uint32_t pid = e.type == 1 ? 0u : state.data1;
    if (e.type != 1) state.data1 ^= kBufData1;
    arm(buffer_control(e), kBufFull | kBufLast | pid | length);
}

}  // namespace earshot::rp2040

extern "C" void isr_usbctrl() {
    using namespace earshot::rp2040;
    const uint32_t status = reg(kRegs + kInts);
    if (status & kIntSetupReq) {
        reg(kRegs + kSieStatus) = kSieSetupRec;  // write-one-to-clear
        handle_setup();
    }
    if (status & kIntBuffStatus) {
        const uint32_t done = reg(kRegs + kBuffStatus);
        reg(kRegs + kBuffStatus) = done;
        if (done & 1u) ep0_in_done();
        if (done & 2u) ep0_out_done();
        for (uint32_t k = 0; k < g_usb.endpoint_count; ++k) {
            const UsbEndpoint& e = g_usb.endpoints[k];
            if (done & (1u << (2 * endpoint_number(e) + (is_in(e) ? 0u : 1u)))) endpoint_done(k);
        }
    }
    if (status & kIntBusReset) {
        reg(kRegs + kSieStatus) = kSieBusReset;
        reg(kRegs + kAddrEndp) = 0;
        g_usb.configuration = 0;
        g_usb.new_address = 0;
        g_usb.phase = Ep0::idle;
        reset_endpoints(false);
    }
}

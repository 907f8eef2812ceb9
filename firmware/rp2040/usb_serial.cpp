#include "firmware/rp2040/usb_serial.hpp"

#include "firmware/rp2040/usb_device.hpp"

namespace earshot::rp2040 {
namespace {

constexpr uint8_t kNotifyEndpoint = 0x81, kDataOutEndpoint = 0x02, kDataInEndpoint = 0x82;
constexpr uint16_t kPacket = 64;

// A CDC-ACM device: class 2 at device level (no IAD needed with one function), the
// Communications interface with its functional descriptors and a notification endpoint
// (never used: no serial-state changes to report), and the Data interface with two bulk
// endpoints. pid.codes' test VID/PID 1209:0002: change for a product.
constexpr uint8_t kDevice[18] = {18, 1, 0x00, 0x02, 0x02, 0, 0, 64, 0x09, 0x12, 0x02, 0x00, 0x00, 0x01, 1, 2, 0, 1};
constexpr uint8_t kConfiguration[] = {
    9, 2, 67, 0, 2, 1, 0, 0x80, 50,  // configuration: 67 bytes, 2 interfaces, 100 mA
    9, 4, 0, 0, 1, 0x02, 0x02, 0, 0,  // interface 0: Communications, ACM, no protocol, 1 endpoint
    5, 0x24, 0x00, 0x10, 0x01,        // header: CDC 1.10
    5, 0x24, 0x01, 0x00, 1,           // call management: none, data interface 1
    4, 0x24, 0x02, 0x02,              // ACM: SET/GET_LINE_CODING and SET_CONTROL_LINE_STATE
    5, 0x24, 0x06, 0, 1,              // union: control 0, data 1
    7, 5, kNotifyEndpoint, 3, 8, 0, 16,   // endpoint 1 IN, interrupt, 8 bytes, 16 ms
    9, 4, 1, 0, 2, 0x0a, 0, 0, 0,         // interface 1: Data, 2 endpoints
    7, 5, kDataOutEndpoint, 2, kPacket, 0, 0,  // endpoint 2 OUT, bulk
    7, 5, kDataInEndpoint, 2, kPacket, 0, 0,   // endpoint 2 IN, bulk
};
static_assert(sizeof kConfiguration == 67, "wTotalLength");
constexpr UsbString kManufacturer("earshot");
constexpr UsbString kProduct("earshot detector");
const uint8_t* const kStrings[] = {kUsbLanguages, kManufacturer.bytes, kProduct.bytes};
constexpr UsbEndpoint kEndpoints[] = {{kNotifyEndpoint, 3, 8}, {kDataOutEndpoint, 2, kPacket}, {kDataInEndpoint, 2, kPacket}};

constexpr uint8_t kSetLineCoding = 0x20, kGetLineCoding = 0x21, kSetControlLineState = 0x22;
constexpr uint32_t kRingBytes = 1024;

uint8_t g_line_coding[7] = {0x00, 0xc2, 0x01, 0x00, 0, 0, 8};  // 115200 baud, 1 stop bit, no parity, 8 bits
volatile bool g_configured = false, g_dtr = false;
uint8_t g_ring[kRingBytes];
uint32_t g_head = 0, g_tail = 0;  // free-running; the main loop alone touches them
bool g_owes_short_packet = false;  // a transfer that ended on a full packet needs a short one to end
uint32_t g_dropped = 0;

bool on_class_request(const UsbSetup& setup, const uint8_t* data, const uint8_t** reply, uint16_t* reply_length) {
    switch (setup.request) {
        case kSetLineCoding:
            if (setup.length != sizeof g_line_coding) return false;
            for (uint32_t i = 0; i < sizeof g_line_coding; ++i) g_line_coding[i] = data[i];
            return true;
        case kGetLineCoding:
            *reply = g_line_coding;
            *reply_length = sizeof g_line_coding;
            return true;
        case kSetControlLineState:
            g_dtr = (setup.value & 1u) != 0;
            return true;
        default:
            return false;
    }
}

void on_configured(bool on) {
    g_configured = on;
    if (!on) g_dtr = false;
}

}  // namespace

void init_usb_serial() {
    init_usb_device({kDevice, kConfiguration, sizeof kConfiguration, kStrings, 3}, kEndpoints, 3,
                    {nullptr, on_class_request, nullptr, on_configured});
}

bool usb_serial_open() { return g_configured && g_dtr; }

bool usb_serial_send(const Line& line) {
    if (!usb_serial_open()) {  // nobody listening: start afresh when a program opens the port
        g_tail = g_head;
        g_owes_short_packet = false;
        return false;
    }
    if (line.length > kRingBytes - (g_head - g_tail)) {
        ++g_dropped;
        return false;
    }
    for (uint32_t i = 0; i < line.length; ++i) g_ring[g_head++ % kRingBytes] = static_cast<uint8_t>(line.text[i]);
    usb_serial_pump();
    return true;
}

void usb_serial_pump() {
    const uint8_t number = kDataInEndpoint & 0x0f;
    if (!usb_serial_open() || !usb_in_ready(number)) return;
    const uint32_t queued = g_head - g_tail;
    if (queued == 0 && !g_owes_short_packet) return;
    uint8_t packet[kPacket];
    const uint32_t n = queued < kPacket ? queued : kPacket;
    for (uint32_t i = 0; i < n; ++i) packet[i] = g_ring[g_tail++ % kRingBytes];
    g_owes_short_packet = n == kPacket;  // zero or fewer bytes next tell the host the transfer ended
    usb_send_in(number, packet, static_cast<uint16_t>(n));
}

uint32_t usb_serial_dropped_lines() { return g_dropped; }

}  // namespace earshot::rp2040

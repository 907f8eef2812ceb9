// A minimal USB full-speed device on the RP2040's controller (datasheet 4.1), written for our two
// functions (the USB microphone and the CDC-ACM serial port): fixed descriptors, a few data
// endpoints of one 64-byte buffer each, and control transfers on endpoint 0: the standard
// requests (GET_DESCRIPTOR for device/configuration/string, SET_ADDRESS, SET_CONFIGURATION,
// SET_INTERFACE, GET_CONFIGURATION/GET_INTERFACE/GET_STATUS, CLEAR_FEATURE) here, class requests
// (with a data stage either way, up to 64 bytes) handed to the function; anything else stalls.
// Everything runs from the USBCTRL interrupt; the app calls usb_send_in() when it has data.
#pragma once
#include <cstdint>

namespace earshot::rp2040 {

struct UsbDescriptors {
    const uint8_t* device;         // 18 bytes
    const uint8_t* configuration;  // the whole configuration, wTotalLength bytes
    uint16_t configuration_length;
    const uint8_t* const* strings;  // string descriptors 0.., each starting with its bLength
    uint8_t string_count;
};

struct UsbEndpoint {
    uint8_t address;      // bEndpointAddress: number 1..15, | 0x80 for IN
    uint8_t type;         // 1 isochronous, 2 bulk, 3 interrupt
    uint16_t max_packet;  // bytes, <= 64 (one DPRAM buffer)
};
constexpr uint8_t kUsbMaxEndpoints = 4;

// A string descriptor, UTF-16LE, built at compile time from ASCII.
template <int N>
struct UsbString {
    uint8_t bytes[2 + 2 * (N - 1)];
    constexpr explicit UsbString(const char (&text)[N]) : bytes{} {
        bytes[0] = static_cast<uint8_t>(sizeof bytes);
        bytes[1] = 3;
        for (int i = 0; i < N - 1; ++i) bytes[2 + 2 * i] = static_cast<uint8_t>(text[i]);
    }
};
constexpr uint8_t kUsbLanguages[4] = {4, 3, 0x09, 0x04};  // string descriptor 0: en-US

struct UsbSetup {
    uint8_t type, request;
    uint16_t value, index, length;
};

// The function's side, all called from the interrupt; any may be null.
struct UsbHandlers {
    // The host chose alternate setting `alt` of `interface`.
    void (*set_interface)(uint8_t interface, uint8_t alt);
    // A class request. `data` holds its OUT data stage (setup.length bytes) if it has one. Return
    // false to stall; for an IN request point *reply at up to setup.length bytes that stay valid.
    bool (*class_request)(const UsbSetup& setup, const uint8_t* data, const uint8_t** reply, uint16_t* reply_length);
    // A packet arrived on an OUT endpoint (the endpoint is armed again afterwards).
    void (*received)(uint8_t endpoint, const volatile uint8_t* data, uint16_t length);
    // SET_CONFIGURATION or a bus reset: the endpoints are fresh (nothing in flight).
    void (*configured)(bool on);
};

// Needs the 48 MHz USB clock (init_usb_clock). Connects (pull-up on) and returns; enumeration
// happens in the interrupt handler. `endpoints` (at most kUsbMaxEndpoints) must stay valid.
void init_usb_device(const UsbDescriptors& descriptors, const UsbEndpoint* endpoints, uint8_t endpoint_count,
                     const UsbHandlers& handlers);
void init_usb_clock();  // PLL_USB: 12 MHz x 120 / 6 / 5 = 48 MHz -> clk_usb

bool usb_configured();
// True when IN endpoint `number` can take another packet.
bool usb_in_ready(uint8_t number);
// Copies `length` bytes (<= max_packet; 0 sends a zero-length packet) into IN endpoint
// `number`'s buffer and hands it to the host. Bulk and interrupt packets alternate DATA0/DATA1.
void usb_send_in(uint8_t number, const void* data, uint16_t length);

}  // namespace earshot::rp2040

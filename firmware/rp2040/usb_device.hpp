// A minimal USB full-speed device on the RP2040's controller (datasheet 4.1), written for one
// job: enumerate with fixed descriptors and stream one IN endpoint. Control transfers on
// endpoint 0 (GET_DESCRIPTOR for device/configuration/string, SET_ADDRESS, SET_CONFIGURATION,
// SET_INTERFACE, GET_CONFIGURATION/GET_INTERFACE/GET_STATUS); anything else is stalled.
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

struct UsbInEndpoint {
    uint8_t number;           // 1..15
    uint8_t type;             // 1 isochronous, 2 bulk, 3 interrupt
    uint16_t max_packet;      // bytes, <= 64 here (one DPRAM buffer)
};

// Called from the interrupt: the host chose alternate setting `alt` of `interface`.
using UsbSetInterface = void (*)(uint8_t interface, uint8_t alt);

// Needs the 48 MHz USB clock (init_usb_clock). Connects (pull-up on) and returns; enumeration
// happens in the interrupt handler.
void init_usb_device(const UsbDescriptors& descriptors, const UsbInEndpoint& in, UsbSetInterface on_set_interface);
void init_usb_clock();  // PLL_USB: 12 MHz x 120 / 6 / 5 = 48 MHz -> clk_usb

bool usb_configured();
// True when the IN endpoint can take another packet.
bool usb_in_ready();
// Copies `length` bytes (<= max_packet) into the endpoint's buffer and hands it to the host.
void usb_send_in(const void* data, uint16_t length);

}  // namespace earshot::rp2040

// The board as a USB serial port (CDC-ACM, usbcdc11.pdf / PSTN120.pdf): with one cable a Pico
// shows up as /dev/ttyACM0 or a COM port and prints the same lines as on UART0. Lines go into a
// RAM ring and leave in 64-byte bulk packets; nothing waits for the host. A line is queued only
// while a program has the port open (DTR set, as terminal programs and Web Serial do) and
// dropped and counted when the ring is full. The line coding (baud rate etc.) is kept and
// reported back, but means nothing here: the data moves at USB speed. Input is ignored.
#pragma once
#include <cstdint>

#include "firmware/rp2040/line.hpp"

namespace earshot::rp2040 {

// Needs init_usb_clock(). Connects; the host enumerates from the USB interrupt.
void init_usb_serial();
// True while the host has configured the device and a program holds the port open (DTR).
bool usb_serial_open();
// Queues the line if the port is open (all of it, or none when the ring is full: counted).
bool usb_serial_send(const Line& line);
// Hands the next packet to the controller if the endpoint is free; cheap, call it when waiting.
void usb_serial_pump();
uint32_t usb_serial_dropped_lines();

}  // namespace earshot::rp2040

// The host side of USB for rp2040js's device-side controller model, as an operating system
// would drive it: a bus reset, then control transfers one at a time (setup, data stage either
// way, status stage), and enumeration (SET_ADDRESS, the device descriptor, the configuration,
// the strings, SET_CONFIGURATION). Data endpoints are passed through to callbacks.
// In rp2040js a device's IN packet reaches the host 10 us after the firmware arms it, and a
// status OUT the firmware arms is answered when asked; the next transfer starts 100 us after
// the previous one ended, so a late status completion never lands in the next request.
export const setupPacket = (type, request, value, index, length) =>
  Uint8Array.of(type, request, value & 0xff, value >> 8, index & 0xff, index >> 8, length & 0xff, length >> 8);

export function attachUsbHost(mcu) {
  const usb = mcu.usbCtrl;
  const queue = [];
  let current = null, busReady = false;
  const host = {
    onData: null,       // (endpoint, bytes): an IN packet from a data endpoint
    transfers: 0,
    // Queues a control transfer; `data` is an OUT data stage; done(bytes) gets an IN data stage.
    control(setup, { data = null, done = null } = {}) {
      queue.push({ setup, data, done, isIn: (setup[0] & 0x80) !== 0, length: setup[6] | (setup[7] << 8), bytes: [], received: false, status: false });
      if (busReady && !current) next();
    },
  };
  const nextAlarm = mcu.clock.createAlarm(() => next());
  function next() {
    current = queue.shift() ?? null;
    if (current) usb.sendSetupPacket(current.setup);
  }
  function finish() {
    const t = current;
    current = null;
    host.transfers += 1;
    if (t.done) t.done(t.bytes);
    nextAlarm.schedule(100_000);
  }
  usb.onUSBEnabled = () => usb.resetDevice();
  usb.onResetReceived = () => { busReady = true; next(); };
  usb.onEndpointRead = (endpoint, size) => {
    if (endpoint !== 0) return;  // the device is ready for OUT data we do not send
    if (!current) return;
    if (size === 0 || !current.data) {  // the status stage of an IN transfer
      usb.endpointReadDone(0, new Uint8Array(0));
      current.status = true;
      if (current.received) finish();
    } else {
      usb.endpointReadDone(0, current.data);
    }
  };
  usb.onEndpointWrite = (endpoint, bytes) => {
    if (endpoint !== 0) {
      if (host.onData) host.onData(endpoint, bytes);
      return;
    }
    if (!current) return;
    if (!current.isIn || current.length === 0) return finish();  // the status stage (zero-length IN)
    current.bytes.push(...bytes);
    if (bytes.length < 64 || current.bytes.length >= current.length) {
      current.received = true;
      if (current.status) finish();
    }
  };
  return host;
}

// Standard enumeration; done({device, configuration, strings}) after SET_CONFIGURATION(1).
export function enumerate(host, done) {
  const found = { device: null, configuration: null, strings: [] };
  host.control(setupPacket(0x00, 5, 1, 0, 0));  // SET_ADDRESS 1
  host.control(setupPacket(0x80, 6, 0x0100, 0, 18), { done: (b) => { found.device = b; } });
  host.control(setupPacket(0x80, 6, 0x0200, 0, 9), {
    done: (header) => {
      host.control(setupPacket(0x80, 6, 0x0200, 0, header[2] | (header[3] << 8)), { done: (b) => { found.configuration = b; } });
      host.control(setupPacket(0x80, 6, 0x0301, 0x0409, 255), { done: (b) => { found.strings[1] = b; } });
      host.control(setupPacket(0x80, 6, 0x0302, 0x0409, 255), { done: (b) => { found.strings[2] = b; } });
      host.control(setupPacket(0x00, 9, 1, 0, 0), { done: () => done(found) });
    },
  });
}

// A string descriptor's text (UTF-16LE, ASCII only here).
export const descriptorText = (d) => (d ? String.fromCharCode(...d.slice(2).filter((_, i) => i % 2 === 0)) : null);

// The configuration's descriptors as {type, subtype, bytes, iface} with their interface.
export function walkConfiguration(config) {
  const out = [];
  let iface = null;
  for (let i = 0; i + 1 < config.length && config[i] > 0; i += config[i]) {
    const d = config.slice(i, i + config[i]);
    if (d[1] === 4) iface = { number: d[2], alt: d[3], cls: d[5], sub: d[6], protocol: d[7] };
    out.push({ type: d[1], subtype: d[2], bytes: d, iface });
  }
  return out;
}

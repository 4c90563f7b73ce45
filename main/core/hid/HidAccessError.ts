import { describeDevice, type HidDeviceInfo } from './types';

/** Where the rule ships and what to do with it; quoted in every access error. */
export const UDEV_RULE_FILE = 'resources/udev/70-capture-station.rules';
export const UDEV_FIX =
  `Linux needs a udev rule to let the logged-in user read hidraw: copy ${UDEV_RULE_FILE} ` +
  'to /etc/udev/rules.d/, run `sudo udevadm control --reload`, then unplug and replug the device.';

/**
 * A device we could not open or read. The message names the device and says how to fix it, so the
 * UI can show it as is ("Cannot open VEC Infinity (05f3:00ff) at /dev/hidraw3: … copy …").
 */
export class HidAccessError extends Error {
  override readonly name = 'HidAccessError';

  constructor(
    readonly device: HidDeviceInfo | { readonly path: string },
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${accessSubject(device)}: ${reason}. ${UDEV_FIX}`, options);
  }
}

/** node-hid itself could not load (native module missing, libudev1/libusb-1.0-0 absent). */
export class HidUnavailableError extends Error {
  override readonly name = 'HidUnavailableError';

  constructor(reason: string, options?: { cause?: unknown }) {
    super(
      `Foot pedals and HID scanners are unavailable: node-hid could not load (${reason}). ` +
        'Install the runtime libraries (Debian: `apt install libudev1 libusb-1.0-0`) and ' +
        'reinstall the station so its node-hid prebuild is present.',
      options,
    );
  }
}

function accessSubject(device: HidDeviceInfo | { readonly path: string }): string {
  return 'vendorId' in device
    ? `Cannot open ${describeDevice(device)} at ${device.path}`
    : `Cannot open HID device at ${device.path}`;
}

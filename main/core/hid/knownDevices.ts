/**
 * USB vendors whose HID interfaces the station opens without being told to, and which the udev
 * rule (resources/udev/70-capture-station.rules) grants to the logged-in user. A test keeps the two
 * in step. Matching is by vendor: these vendors make the pedals and scanners we target, and learning
 * ("press the pedal now") works on any of their models without a product table.
 * Any other device can still be used by listing its vendor:product in the options.
 */
export type DeviceRole = 'pedal' | 'scanner';

export interface KnownVendor {
  readonly vendorId: number;
  readonly role: DeviceRole;
  readonly name: string;
}

export const KNOWN_VENDORS: readonly KnownVendor[] = [
  // VEC Infinity IN-USB-1/2/3 (05f3:00ff) and X-keys foot pedals: buttons as bits of byte 0.
  { vendorId: 0x05f3, role: 'pedal', name: 'P.I. Engineering (VEC Infinity, X-keys)' },
  // RS27H/RS28H/RS31H foot switches in their HID (non-keyboard) mode.
  { vendorId: 0x07b4, role: 'pedal', name: 'Olympus (RS-series foot switches)' },
  // ACC2310/ACC2320/ACC2330 foot controls.
  { vendorId: 0x0911, role: 'pedal', name: 'Philips Speech Processing (foot controls)' },
  // Hand-held scanners in HID POS mode (usage page 0x8C).
  { vendorId: 0x0c2e, role: 'scanner', name: 'Honeywell / Metrologic' },
  { vendorId: 0x05e0, role: 'scanner', name: 'Zebra / Symbol' },
  { vendorId: 0x05f9, role: 'scanner', name: 'Datalogic' },
];

export function knownRole(vendorId: number): DeviceRole | undefined {
  return KNOWN_VENDORS.find((vendor) => vendor.vendorId === vendorId)?.role;
}

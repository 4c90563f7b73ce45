/**
 * One call for main/app (or browser mode) to get pedals and scanners running: loads the bindings,
 * lists devices, opens the wanted ones, and keeps polling for hot-plug.
 */
import { HidHub } from './HidHub';
import { createNodeHidBackend } from './nodeHidBackend';
import { BindingStore } from './pedal/BindingStore';
import { PedalService } from './pedal/PedalService';
import { ScannerService, type ScannerServiceOptions } from './scanner/ScannerService';
import type { HidBackend } from './types';

export interface StartHidOptions {
  /** JSON file of pedal bindings, e.g. <data folder>/settings/pedals.json. */
  readonly bindingsFile: string;
  /** Defaults to node-hid; tests and the e2e run pass a ReplayBackend. */
  readonly backend?: HidBackend;
  readonly pollIntervalMs?: number;
  /** "vvvv:pppp" pedal models outside the known vendors. */
  readonly extraPedals?: readonly string[];
  readonly scanner?: ScannerServiceOptions;
}

export interface HidStation {
  readonly hub: HidHub;
  readonly pedals: PedalService;
  readonly scanner: ScannerService;
  stop(): Promise<void>;
}

/**
 * Rejects with BindingFileError when the bindings file exists but is damaged (it is left for a
 * person to look at). An unavailable node-hid does not reject: the hub emits 'error'
 * (HidUnavailableError, saying what to install) at every poll and lists no devices.
 */
export async function startHid(options: StartHidOptions): Promise<HidStation> {
  const store = new BindingStore(options.bindingsFile);
  await store.load();
  const pedals = new PedalService({ store, extraDevices: options.extraPedals ?? [] });
  const scanner = new ScannerService(options.scanner);
  const backend = options.backend ?? createNodeHidBackend();
  // Scanners first: a vendor making both never has its HID POS interface taken for a pedal.
  const hub = new HidHub(backend, [scanner, pedals], options.pollIntervalMs);
  await hub.start();
  return { hub, pedals, scanner, stop: () => hub.stop() };
}

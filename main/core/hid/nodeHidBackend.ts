/**
 * HidBackend over node-hid (hidapi, hidraw driver on Linux). node-hid is imported lazily inside
 * the first call, so importing main/core never loads the native module: tests, the CLI and browser
 * mode run where it is absent.
 */
import { EventEmitter } from 'node:events';
import { HidAccessError, HidUnavailableError } from './HidAccessError';
import {
  describeDevice,
  type HidBackend,
  type HidDevice,
  type HidDeviceEvents,
  type HidDeviceInfo,
} from './types';

/** The part of node-hid we use; lets tests inject a stand-in. */
export interface NodeHidModule {
  devicesAsync(): Promise<NodeHidDeviceEntry[]>;
  HIDAsync: { open(path: string, options?: { nonExclusive?: boolean }): Promise<NodeHidHandle> };
}

export interface NodeHidDeviceEntry {
  vendorId: number;
  productId: number;
  path?: string | undefined;
  product?: string | undefined;
  manufacturer?: string | undefined;
  usagePage?: number | undefined;
  usage?: number | undefined;
}

export interface NodeHidHandle {
  on(event: 'data', listener: (data: Buffer | number[]) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  close(): Promise<void>;
}

export interface NodeHidBackendOptions {
  /** Loads node-hid; defaults to a dynamic import. Rejecting makes every call reject with HidUnavailableError. */
  readonly load?: () => Promise<NodeHidModule>;
}

/** Dynamic import; the CommonJS module's exports arrive as named exports (and as `default`). */
async function importNodeHid(): Promise<NodeHidModule> {
  const module = (await import('node-hid')) as unknown as NodeHidModule & {
    default?: NodeHidModule;
  };
  return module.default ?? module;
}

export function createNodeHidBackend(options: NodeHidBackendOptions = {}): HidBackend {
  const load = options.load ?? importNodeHid;
  let loading: Promise<NodeHidModule> | undefined;
  const known = new Map<string, HidDeviceInfo>();

  const nodeHid = (): Promise<NodeHidModule> => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined; // a later call may succeed once the libraries are installed
      throw new HidUnavailableError(messageOf(error), { cause: error });
    });
    return loading;
  };

  return {
    async list() {
      const entries = await (await nodeHid()).devicesAsync();
      const devices = entries.flatMap(toInfo);
      for (const device of devices) known.set(device.path, device);
      return devices;
    },
    async open(path) {
      const hid = await nodeHid();
      const info = known.get(path) ?? { vendorId: 0, productId: 0, path };
      try {
        // nonExclusive: on macOS another reader may hold the device; hidraw ignores it.
        const handle = await hid.HIDAsync.open(path, { nonExclusive: true });
        return new NodeHidDevice(info, handle);
      } catch (error) {
        throw new HidAccessError(known.get(path) ?? { path }, messageOf(error), { cause: error });
      }
    },
  };
}

function toInfo(entry: NodeHidDeviceEntry): HidDeviceInfo[] {
  if (!entry.path) return []; // hidapi lists a path for every openable interface; without one we cannot open it
  return [
    {
      vendorId: entry.vendorId,
      productId: entry.productId,
      path: entry.path,
      ...(entry.product ? { product: entry.product } : {}),
      ...(entry.manufacturer ? { manufacturer: entry.manufacturer } : {}),
      ...(entry.usagePage !== undefined ? { usagePage: entry.usagePage } : {}),
      ...(entry.usage !== undefined ? { usage: entry.usage } : {}),
    },
  ];
}

class NodeHidDevice extends EventEmitter<HidDeviceEvents> implements HidDevice {
  private closing: Promise<void> | undefined;

  constructor(
    readonly info: HidDeviceInfo,
    private readonly handle: NodeHidHandle,
  ) {
    super();
    // Adding the 'data' listener starts node-hid's read thread.
    handle.on('data', (data) => {
      if (!this.closing) this.emit('data', Buffer.isBuffer(data) ? data : Buffer.from(data));
    });
    // node-hid emits 'error' when a read fails, e.g. after an unplug; it stays quiet while closing.
    handle.on('error', (error) => {
      if (this.closing) return;
      const reason = `${describeDevice(info)}: read failed (unplugged?): ${messageOf(error)}`;
      this.emit('error', new Error(reason, { cause: error }));
    });
  }

  /** Stops the reads and releases the device; node-hid removes its listeners itself. */
  close(): Promise<void> {
    this.closing ??= this.handle.close().catch(() => undefined);
    return this.closing;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

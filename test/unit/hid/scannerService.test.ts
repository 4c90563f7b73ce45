import { afterEach, describe, expect, it, vi } from 'vitest';
import { HidHub } from '../../../main/core/hid/HidHub';
import { ReplayBackend } from '../../../main/core/hid/ReplayBackend';
import { BindingStore } from '../../../main/core/hid/pedal/BindingStore';
import { PedalService } from '../../../main/core/hid/pedal/PedalService';
import { ScannerService, type HidScan } from '../../../main/core/hid/scanner/ScannerService';
import { KeyboardScanDecoder } from '../../../main/core/hid/scanner/KeyboardScanDecoder';
import { decodePosReport } from '../../../main/core/hid/scanner/posScanReport';
import { recording } from './replayFixtures';

let hub: HidHub | undefined;
afterEach(async () => {
  await hub?.stop();
  hub = undefined;
  vi.useRealTimers();
});

async function scansFrom(file: string, scanner: ScannerService): Promise<HidScan[]> {
  vi.useFakeTimers();
  const pedals = new PedalService({ store: new BindingStore('/nonexistent/pedals.json') });
  hub = new HidHub(new ReplayBackend([recording(file)]), [scanner, pedals]);
  const scans: HidScan[] = [];
  scanner.on('scan', (scan) => scans.push(scan));
  await hub.start();
  await vi.advanceTimersByTimeAsync(2_000);
  return scans;
}

describe('HID POS scanner (usage page 0x8C)', () => {
  it('decodes a wristband scan and joins a symbol continued over two reports', async () => {
    const scans = await scansFrom('honeywell-hid-pos.json', new ScannerService());
    expect(scans.map(({ text, aim, via }) => ({ text, aim, via }))).toEqual([
      { text: 'MRN0012345', aim: ']C0', via: 'hid-pos' },
      {
        text: `PID|MRN0012345|DOE^JANE|19800101|F|${'X'.repeat(65)}`,
        aim: ']Q1',
        via: 'hid-pos',
      },
    ]);
    expect(scans[0]?.device.vendorId).toBe(0x0c2e);
  });

  it('ignores other report IDs and clamps a length larger than the report', () => {
    expect(decodePosReport(Buffer.from('0300', 'hex'))).toBeUndefined();
    const short = Buffer.from([0x02, 200, 0x5d, 0x45, 0x30, 0x41, 0x42]);
    expect(decodePosReport(short)).toEqual({
      data: Buffer.from('AB'),
      aim: ']E0',
      continued: false,
    });
  });
});

describe('keyboard-emulation scanner read as HID', () => {
  it('is opened only when configured, and decodes key presses until Enter', async () => {
    const unconfigured = await scansFrom('keyboard-wedge-scanner.json', new ScannerService());
    expect(unconfigured).toEqual([]);
    await hub?.stop();

    const scanner = new ScannerService({ keyboardScanners: ['05e0:1200'] });
    const scans = await scansFrom('keyboard-wedge-scanner.json', scanner);
    expect(scans.map(({ text, via }) => ({ text, via }))).toEqual([
      { text: 'Ab11-9', via: 'hid-keyboard' },
    ]);
  });

  it('handles a report ID prefix and keys held across reports', () => {
    const decoder = new KeyboardScanDecoder(1);
    const report = (...keys: number[]): Buffer =>
      Buffer.from([0x01, 0, 0, ...keys, 0, 0, 0, 0, 0, 0].slice(0, 9));
    expect(decoder.feed(report(0x04))).toBeUndefined();
    expect(decoder.feed(report(0x04, 0x05))).toBeUndefined(); // 'a' still held, 'b' new
    expect(decoder.feed(report(0x28))).toBe('ab');
    expect(decoder.feed(report(0x28))).toBeUndefined(); // Enter held: no empty scan
  });
});

/**
 * A MediaImportService over a fake outbox for unit tests: delivered files are kept in a spool
 * folder, deliveries are whatever the test sets, and outbox listeners are counted so a test can
 * see that none is left behind.
 */
import { mkdirSync, mkdtempSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tag, type ElementSpec } from '../../../main/core/dimse/dataSet';
import { stationEquipment } from '../../../main/core/dicom/equipment';
import type { FileDeliveries } from '../../../main/core/media-import/deliveryState';
import {
  MediaImportService,
  type MediaImportDeps,
} from '../../../main/core/media-import/MediaImportService';
import type { ImportReportShape } from '../../../preload/features/mediaImport';
import { buildPart10 } from './buildPart10';

export interface OutsideImage {
  readonly n: number;
  readonly id: string;
  readonly name: string;
  readonly birthDate?: string;
  readonly sex?: string;
}

/** Part-10 bytes of one outside image (its UIDs numbered by `n`). */
export function outsideImage({ n, id, name, birthDate, sex }: OutsideImage): Buffer {
  const extra: ElementSpec[] = [];
  if (birthDate !== undefined) extra.push({ tag: tag(0x10, 0x30), vr: 'DA', value: birthDate });
  if (sex !== undefined) extra.push({ tag: tag(0x10, 0x40), vr: 'CS', value: sex });
  return buildPart10({
    sopInstanceUid: `1.2.826.0.1.3680043.2.1143.77.${n}`,
    patientId: id,
    patientName: name,
    studyUid: `1.2.826.0.1.3680043.2.1143.77.1${id.length}`,
    seriesUid: `1.2.826.0.1.3680043.2.1143.77.2${id.length}`,
    extra,
  });
}

/** A folder holding `images` (IM<n>) and any `files` by relative path. */
export function writeDisc(
  root: string,
  images: readonly OutsideImage[],
  files: Readonly<Record<string, Buffer | string>> = {},
): string {
  mkdirSync(root, { recursive: true });
  for (const i of images) writeFileSync(join(root, `IM${i.n}`), outsideImage(i));
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), bytes);
  }
  return root;
}

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');

export interface Harness {
  readonly service: MediaImportService;
  readonly base: string;
  readonly dataFolder: string;
  readonly spool: string;
  /** The outbox's deliveries by SOP Instance UID, as the test sets them. */
  readonly deliveries: Map<string, FileDeliveries>;
  readonly reports: ImportReportShape[];
  /** Outbox listeners registered and not yet removed. */
  listeners(): number;
  /** Tells the service's listeners that the outbox changed. */
  outboxChanged(): void;
  /** Resolves once a report with phase `phase` was pushed. */
  until(phase: ImportReportShape['phase'], sessionId: string): Promise<ImportReportShape>;
  spooled(): string[];
  /** Waits for the import to queue everything, marks every imported file sent, and for done. */
  sendAll(sessionId: string): Promise<ImportReportShape>;
}

export function harness(more: Partial<MediaImportDeps> = {}): Harness {
  const base = mkdtempSync(join(tmpdir(), 'import-service-'));
  const dataFolder = join(base, 'data');
  const spool = join(dataFolder, 'outbox');
  mkdirSync(spool, { recursive: true });
  const deliveries = new Map<string, FileDeliveries>();
  const reports: ImportReportShape[] = [];
  const listeners = new Set<() => void>();
  let delivered = 0;
  const service = new MediaImportService({
    workFolder: join(dataFolder, 'import'),
    dataFolder,
    modifyingSystem: 'TEST',
    equipment: stationEquipment({ name: 'Import desk', aeTitle: 'CAPTURE1' }, 'host-1'),
    deliver: (file) => {
      renameSync(file, join(spool, `${++delivered}.dcm`));
      return Promise.resolve();
    },
    deliveries: () => Promise.resolve(deliveries),
    onOutboxChange: (listener) => {
      const own = () => listener();
      listeners.add(own);
      return () => listeners.delete(own);
    },
    commitDestinations: new Set(),
    onProgress: () => undefined,
    onReport: (report) => reports.push(report),
    ...more,
  });
  return {
    service,
    base,
    dataFolder,
    spool,
    deliveries,
    reports,
    listeners: () => listeners.size,
    outboxChanged: () => {
      for (const listener of [...listeners]) listener();
    },
    until: async (phase, sessionId) => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const found = reports.find((r) => r.sessionId === sessionId && r.phase === phase);
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(
            `no ${phase} report for ${sessionId}: ${JSON.stringify(reports.filter((r) => r.sessionId === sessionId))}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    spooled: () => readdirSync(spool).sort(),
    sendAll: async function (this: Harness, sessionId) {
      const sending = await Promise.any([
        this.until('sending', sessionId),
        this.until('done', sessionId),
      ]);
      for (const file of sending.imported)
        deliveries.set(file.sopInstanceUid, { pacs: { state: 'sent' } });
      this.outboxChanged();
      return this.until('done', sessionId);
    },
  };
}

/**
 * importPipeline: several items prepared at once, deliveries not waited for by the workers (so
 * the outbox can group them), yet every item settled once, in the items' order, only after its
 * own delivery resolved; a failed item's work file is removed.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  runImportPipeline,
  type ItemOutcome,
} from '../../../main/core/media-import/importPipeline';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runImportPipeline', () => {
  it('settles every item in order, after its delivery, with prepare and deliver failures', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'import-pipeline-'));
    const items = Array.from({ length: 40 }, (_, i) => i);
    let preparing = 0;
    let maxPreparing = 0;
    let delivering = 0;
    let maxDelivering = 0;
    const delivered = new Set<string>();
    const settled: { index: number; outcome: ItemOutcome<number> }[] = [];
    await runImportPipeline(
      items,
      {
        target: (_, i) => join(folder, `${i}.dcm`),
        prepare: async (item, target) => {
          preparing++;
          maxPreparing = Math.max(maxPreparing, preparing);
          await sleep(item % 3);
          preparing--;
          await writeFile(target, String(item));
          if (item === 7) throw new Error('garbled header');
          return item * 10;
        },
        deliver: async (file) => {
          delivering++;
          maxDelivering = Math.max(maxDelivering, delivering);
          await sleep(20 + Math.random() * 20); // slower than prepare: a group commit
          delivering--;
          if (file.endsWith('/13.dcm')) throw new Error('outbox full');
          delivered.add(file);
          return `job-${file}`;
        },
        settle: (item, outcome, index) => {
          expect(index).toBe(item);
          if (outcome.ok) expect(delivered.has(join(folder, `${item}.dcm`))).toBe(true);
          settled.push({ index, outcome });
        },
      },
      { inFlight: 4, maxUndelivered: 16 },
    );
    expect(settled.map((s) => s.index)).toEqual(items);
    expect(maxPreparing).toBeLessThanOrEqual(4);
    expect(maxDelivering).toBeGreaterThan(4);
    expect(maxDelivering).toBeLessThanOrEqual(16);
    const failures = settled.filter((s) => !s.outcome.ok);
    expect(failures.map((s) => s.index)).toEqual([7, 13]);
    expect(failures.map((s) => (s.outcome.ok ? '' : s.outcome.error.message))).toEqual([
      'garbled header',
      'outbox full',
    ]);
    expect(existsSync(join(folder, '7.dcm'))).toBe(false);
    expect(existsSync(join(folder, '13.dcm'))).toBe(false);
    expect(settled[0]?.outcome).toEqual({
      ok: true,
      value: 0,
      receipt: `job-${join(folder, '0.dcm')}`,
    });
  });

  it('settles nothing and resolves for no items', async () => {
    const settled: number[] = [];
    await runImportPipeline([] as number[], {
      target: () => '',
      prepare: () => Promise.resolve(0),
      deliver: () => Promise.resolve(''),
      settle: (item) => settled.push(item),
    });
    expect(settled).toEqual([]);
  });
});

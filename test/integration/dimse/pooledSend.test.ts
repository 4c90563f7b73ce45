/**
 * sendFiles with an AssociationPool and `more` (the outbox's batches during an import): later
 * calls reuse the associations the earlier one left open, files handed in while a call runs are
 * sent on its associations, and a file of a SOP class they were not negotiated for is passed back
 * unsent. Against DCMTK storescp, which writes one file per stored instance.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssociationPool } from '../../../main/core/dimse/AssociationPool';
import { readPart10Info } from '../../../main/core/dimse/part10';
import { contextsFor, sendFiles, type SendFileResult } from '../../../main/core/dimse/sendFiles';
import { startStorescp, type Storescp } from '../../services';
import { makeFixtures, type Fixtures } from './fixtures';

const scratch = path.join(os.tmpdir(), `dimse-pool-${process.pid}`);
let fixtures: Fixtures;
let storescp: Storescp;

beforeAll(async () => {
  await mkdir(path.join(scratch, 'in'), { recursive: true });
  fixtures = await makeFixtures(path.join(scratch, 'in'));
  storescp = await startStorescp({ outDir: path.join(scratch, 'out') });
});
afterAll(async () => {
  await storescp?.stop();
  await rm(scratch, { recursive: true, force: true });
});

const peer = () => ({
  host: '127.0.0.1',
  port: storescp.port,
  calledAeTitle: storescp.aet,
  callingAeTitle: 'CAPTURE1',
});

async function storedCount(): Promise<number> {
  return (await readdir(storescp.outDir)).length;
}

/** Sends `file` with the pool; the association it leaves idle there, checked open. */
async function sendAndKeep(file: string, pool: AssociationPool) {
  const sent = await sendFiles([file], { peer: peer(), pool });
  expect(sent[0]?.stored, sent[0]?.message).toBe(true);
  const contexts = contextsFor([await readPart10Info(file)]);
  const kept = pool.take(contexts);
  expect(kept?.isOpen).toBe(true);
  if (kept) pool.give(kept, contexts);
  return { kept, contexts };
}

describe('sendFiles with an association pool', () => {
  it('leaves its association open for the next call, which reuses it, and releases it when idle', async () => {
    const pool = new AssociationPool(300);
    const before = await storedCount();
    const { kept, contexts } = await sendAndKeep(fixtures.latin1, pool);
    const second = await sendFiles([fixtures.iso2022], { peer: peer(), pool });
    expect(second[0]?.stored, second[0]?.message).toBe(true);
    expect(pool.take(contexts)).toBe(kept); // the same association carried both calls
    if (kept) pool.give(kept, contexts);

    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(pool.take(contexts)).toBeUndefined();
    expect(kept?.isOpen).toBe(false);
    expect(await storedCount()).toBe(before + 2);
    await pool.close();
  });

  it(
    'releases an idle association that cannot carry the next call before opening another',
    { timeout: 20_000 },
    async () => {
      // storescp serves one association at a time, as a peer at its association limit does: an
      // idle association kept for its full idle time would hold off the second call that long.
      const pool = new AssociationPool(60_000);
      const { kept: idle } = await sendAndKeep(fixtures.latin1, pool);

      const second = await sendFiles([fixtures.pdf], { peer: peer(), pool });

      expect(second[0]?.stored, second[0]?.message).toBe(true);
      expect(idle?.isOpen).toBe(false);
      await pool.close();
    },
  );

  it('sends files handed in by `more` on the same call and passes back one it cannot carry', async () => {
    const pool = new AssociationPool();
    const handed = [[fixtures.iso2022, fixtures.pdf], []];
    const results: SendFileResult[] = [];
    const passedBack: string[] = [];
    const returned = await sendFiles([fixtures.latin1], {
      peer: peer(),
      pool,
      more: () => Promise.resolve(handed.shift() ?? []),
      onResult: (result) => results.push(result),
      onNotNegotiated: (file) => passedBack.push(file),
    });

    expect(returned.map((r) => r.path)).toEqual([fixtures.latin1]);
    expect(results.map((r) => [r.path, r.stored])).toEqual([
      [fixtures.latin1, true],
      [fixtures.iso2022, true],
    ]);
    // The PDF's SOP class was not proposed on this call's association.
    expect(passedBack).toEqual([fixtures.pdf]);
    await pool.close();
  });

  it('proposes what it is told is coming too, and carries a file of that class when it comes', async () => {
    const pdf = await readPart10Info(fixtures.pdf);
    const handed = [[fixtures.pdf], []];
    const results: SendFileResult[] = [];
    const passedBack: string[] = [];
    await sendFiles([fixtures.latin1], {
      peer: peer(),
      alsoNegotiate: [pdf],
      more: () => Promise.resolve(handed.shift() ?? []),
      onResult: (result) => results.push(result),
      onNotNegotiated: (file) => passedBack.push(file),
    });

    expect(results.map((r) => [r.path, r.stored])).toEqual([
      [fixtures.latin1, true],
      [fixtures.pdf, true],
    ]);
    expect(passedBack).toEqual([]);
  });
});

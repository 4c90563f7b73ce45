import { truncateSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PresentationContextRejectedError, ProtocolError } from '../../../main/core/dimse/errors';
import { readPart10Info } from '../../../main/core/dimse/part10';
import { sendFiles } from '../../../main/core/dimse/sendFiles';
import { startStorescp, type Storescp } from '../../services';
import { dataSetBytes } from './dataSetBytes';
import { makeFixtures, type Fixtures } from './fixtures';

const scratch = path.join(os.tmpdir(), `dimse-store-${process.pid}`);
let fixtures: Fixtures;
let storescp: Storescp;
let implicitOnly: Storescp;

beforeAll(async () => {
  await mkdir(path.join(scratch, 'in'), { recursive: true });
  fixtures = await makeFixtures(path.join(scratch, 'in'));
  // +B: storescp writes the data set exactly as received, so its files show our bytes.
  [storescp, implicitOnly] = await Promise.all([
    startStorescp({ outDir: path.join(scratch, 'out'), extraArgs: ['+B'] }),
    startStorescp({ outDir: path.join(scratch, 'out-implicit'), extraArgs: ['+B', '+xi'] }),
  ]);
});
afterAll(async () => {
  await storescp?.stop();
  await implicitOnly?.stop();
  await rm(scratch, { recursive: true, force: true });
});

async function received(dir: string, sopInstanceUid: string): Promise<string> {
  const name = (await readdir(dir)).find((f) => f.endsWith(sopInstanceUid));
  if (!name) throw new Error(`storescp wrote no file for ${sopInstanceUid}`);
  return path.join(dir, name);
}

describe('C-STORE streams the data set exactly as stored', () => {
  it('storescp receives photo, video, PDF, ISO_IR 100 and ISO 2022 IR 87 byte for byte', async () => {
    const files = [fixtures.photo, fixtures.video, fixtures.pdf, fixtures.latin1, fixtures.iso2022];
    const results = await sendFiles(files, {
      peer: {
        host: '127.0.0.1',
        port: storescp.port,
        calledAeTitle: storescp.aet,
        callingAeTitle: 'CAPTURE1',
      },
      concurrency: 2,
    });
    for (const result of results) {
      expect(result, result.message).toMatchObject({ stored: true, outcome: 'success', status: 0 });
      const info = await readPart10Info(result.path);
      expect(result.transferSyntaxUid).toBe(info.transferSyntaxUid);
      const written = await received(storescp.outDir, info.sopInstanceUid);
      expect((await dataSetBytes(written)).equals(await dataSetBytes(result.path))).toBe(true);
    }
  });

  it('converts Explicit to Implicit VR at byte level when only Implicit is accepted', async () => {
    const [result] = await sendFiles([fixtures.latin1], {
      peer: {
        host: '127.0.0.1',
        port: implicitOnly.port,
        calledAeTitle: implicitOnly.aet,
        callingAeTitle: 'CAPTURE1',
      },
    });
    expect(result).toMatchObject({ stored: true, transferSyntaxUid: '1.2.840.10008.1.2' });
    const info = await readPart10Info(fixtures.latin1);
    const written = await received(implicitOnly.outDir, info.sopInstanceUid);
    // dcmconv +ti made the same conversion with DCMTK: same bytes expected.
    expect((await dataSetBytes(written)).equals(await dataSetBytes(fixtures.implicit))).toBe(true);
  });
});

describe('reading the next file while the previous one awaits its response', () => {
  it('a file that shrank before its turn fails alone; the association goes on', async () => {
    const out = path.join(scratch, 'out-read-ahead');
    const peer = await startStorescp({ outDir: out, extraArgs: ['+B'] });
    const shrinking = path.join(scratch, 'shrinking.dcm');
    await copyFile(fixtures.pdf, shrinking);
    const files = [fixtures.photo, fixtures.latin1, shrinking, fixtures.iso2022];
    try {
      const results = await sendFiles(files, {
        peer: { host: '127.0.0.1', port: peer.port, calledAeTitle: peer.aet, callingAeTitle: 'C1' },
        // The first response comes before the third file is read ahead (once the second is sent).
        onResult: (result) => {
          if (result.path === fixtures.photo) truncateSync(shrinking, 400);
        },
      });
      expect(results.map((r) => r.stored)).toEqual([true, true, false, true]);
      expect(results[2]?.error).toBeInstanceOf(ProtocolError);
      expect(results[2]?.message).toMatch(/the file shrank/);
      const gone = await readPart10Info(fixtures.pdf);
      await expect(received(out, gone.sopInstanceUid)).rejects.toThrow(/no file/);
      // Nothing of it was sent, so nothing had to be aborted: the association went on.
      const log = await readFile(peer.logFile, 'utf8');
      expect(log).not.toMatch(/abort/i);
      expect(log.match(/Received Store Request/g)).toHaveLength(3);
      for (const file of [fixtures.photo, fixtures.latin1, fixtures.iso2022]) {
        const info = await readPart10Info(file);
        const written = await received(out, info.sopInstanceUid);
        expect((await dataSetBytes(written)).equals(await dataSetBytes(file))).toBe(true);
      }
    } finally {
      await peer.stop();
    }
  });
});

describe('a file given by what was read of it before (the outbox job record)', () => {
  it('is sent as that says; one that changed since is not sent, and nothing of it written', async () => {
    const out = path.join(scratch, 'out-known');
    const peer = await startStorescp({ outDir: out, extraArgs: ['+B'] });
    const changed = path.join(scratch, 'changed.dcm');
    await copyFile(fixtures.latin1, changed);
    try {
      const photo = await readPart10Info(fixtures.photo);
      const stale = await readPart10Info(changed);
      await copyFile(fixtures.photo, changed); // another file since its info was read
      const results = await sendFiles([photo, stale], {
        peer: { host: '127.0.0.1', port: peer.port, calledAeTitle: peer.aet, callingAeTitle: 'C1' },
      });
      expect(results.map((r) => r.stored)).toEqual([true, false]);
      expect(results[1]?.message).toMatch(/changed\.dcm: the file (shrank|grew) since it was read/);
      const written = await received(out, photo.sopInstanceUid);
      expect((await dataSetBytes(written)).equals(await dataSetBytes(fixtures.photo))).toBe(true);
      const log = await readFile(peer.logFile, 'utf8');
      expect(log.match(/Received Store Request/g)).toHaveLength(1);
    } finally {
      await peer.stop();
    }
  });
});

describe('a transfer syntax the peer refused', () => {
  it('gives the object its own clear failure and sends nothing', async () => {
    const [result] = await sendFiles([fixtures.photo], {
      peer: {
        host: '127.0.0.1',
        port: implicitOnly.port,
        calledAeTitle: implicitOnly.aet,
        callingAeTitle: 'CAPTURE1',
      },
    });
    expect(result?.stored).toBe(false);
    expect(result?.error).toBeInstanceOf(PresentationContextRejectedError);
    expect(result?.message).toMatch(
      /^not sent: peer refused .* 1\.2\.840\.10008\.1\.2\.4\.50: transfer syntaxes not supported$/,
    );
    const info = await readPart10Info(fixtures.photo);
    await expect(received(implicitOnly.outDir, info.sopInstanceUid)).rejects.toThrow(/no file/);
  });
});

describe('C-STORE of an Implicit VR file to a peer preferring Explicit VR', () => {
  it('rewrites the headers to Explicit VR, giving back the Explicit original byte for byte', async () => {
    const out = path.join(scratch, 'out-explicit');
    const explicitPreferred = await startStorescp({ outDir: out, extraArgs: ['+B', '+xe'] });
    try {
      const [result] = await sendFiles([fixtures.implicit], {
        peer: {
          host: '127.0.0.1',
          port: explicitPreferred.port,
          calledAeTitle: explicitPreferred.aet,
          callingAeTitle: 'CAPTURE1',
        },
      });
      expect(result).toMatchObject({ stored: true, transferSyntaxUid: '1.2.840.10008.1.2.1' });
      const info = await readPart10Info(fixtures.implicit);
      const written = await received(out, info.sopInstanceUid);
      expect((await dataSetBytes(written)).equals(await dataSetBytes(fixtures.latin1))).toBe(true);
    } finally {
      await explicitPreferred.stop();
    }
  });
});

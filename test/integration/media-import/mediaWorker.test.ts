/**
 * The import's worker thread (media-import/mediaWorker.ts), bundled as the app and the CLI ship
 * it: it reads the headers and writes the bytes the in-thread code reads and writes, refuses what
 * it refuses with the same reasons, and when it fails to start or dies mid-import, every call is
 * still answered, in this thread.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startMediaWorker,
  type MediaWorkerOptions,
  type WorkerCoerceOptions,
} from '../../../main/core/media-import/mediaWorker';
import { fileErrorReason } from '../../../main/core/media-import/fileErrorReason';
import { MediaFileError } from '../../../main/core/media-import/types';
import { multiPatientInstances, writeDiscInstance } from './buildDisc';

let base = '';
let disc = '';
let bundle = '';
let bundledWorker = '';
const sources: string[] = [];

const options: WorkerCoerceOptions = {
  patient: { patientId: 'LOC-42', issuerOfPatientId: 'HOSP', name: 'Jørgensen^Åse', sex: 'F' },
  accessionNumber: 'A-1',
  modifyingSystem: 'CAPTURE1',
  now: new Date('2026-11-28T10:00:00.000Z'),
};

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'media-worker-'));
  disc = join(base, 'disc');
  for (const instance of multiPatientInstances())
    sources.push(await writeDiscInstance(disc, instance));
  const truncated = join(disc, 'TRUNC');
  await writeFile(truncated, (await readFile(sources[0] ?? '')).subarray(0, 300));
  sources.push(truncated);
  // Inside the repository, as out/main/ is: the bundle imports its dependencies (dcmjs) from
  // node_modules, as the app's and the CLI's do.
  await mkdir(join(import.meta.dirname, '../../../out'), { recursive: true });
  bundle = await mkdtemp(join(import.meta.dirname, '../../../out/media-worker-'));
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      ssr: true,
      outDir: bundle,
      target: 'node20',
      rollupOptions: {
        input: {
          mediaWorker: join(
            import.meta.dirname,
            '../../../main/core/media-import/mediaWorkerThread.ts',
          ),
        },
        output: { entryFileNames: '[name].js', format: 'es' },
      },
    },
  });
  bundledWorker = join(bundle, 'mediaWorker.js');
}, 60_000);
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
  if (bundle) await rm(bundle, { recursive: true, force: true });
});

type Outcome = { bytes: Buffer } | { refused: string; mediaFile: boolean };

/** Coerces every source at once into `folder`, as the import pipeline keeps several in flight. */
async function coerceAll(
  folder: string,
  how: MediaWorkerOptions,
): Promise<{ outcomes: Outcome[]; answeredByWorker: number }> {
  const coercion = startMediaWorker(how);
  try {
    const outcomes = await Promise.all(
      sources.map(async (source, i): Promise<Outcome> => {
        const target = join(base, `${folder}-${i}.dcm`);
        try {
          await coercion.coerce(source, target, options);
          return { bytes: await readFile(target) };
        } catch (error) {
          const e = error as Error;
          return { refused: e.message, mediaFile: e instanceof MediaFileError };
        }
      }),
    );
    return { outcomes, answeredByWorker: coercion.answeredByWorker };
  } finally {
    await coercion.close();
  }
}

type HeaderRead = { patientId: string; sopInstanceUid: string } | { refused: string };

/** Every source's header, as the import reads them before coercing. */
async function headersOf(how: MediaWorkerOptions) {
  const work = startMediaWorker(how);
  try {
    const outcomes = await work.readHeaders(sources);
    const reads = outcomes.map((o): HeaderRead => {
      if (!(o instanceof Error))
        return { patientId: o.patientId, sopInstanceUid: o.sopInstanceUid };
      return { refused: `${o instanceof MediaFileError ? 'media' : 'other'}: ${o.message}` };
    });
    return { reads, answeredByWorker: work.answeredByWorker };
  } finally {
    await work.close();
  }
}

async function workerScript(name: string, body: string): Promise<string> {
  const path = join(base, `${name}.mjs`);
  await writeFile(path, body);
  return path;
}

describe('header reading in the bundled worker', () => {
  it('reads what the in-thread reader reads, in one call, and refuses with the same reasons', async () => {
    const inThread = await headersOf({ workerFile: false });
    const inWorker = await headersOf({ workerFile: bundledWorker });
    expect(inWorker).toEqual({ reads: inThread.reads, answeredByWorker: 1 });
    expect(JSON.stringify(inWorker.reads.at(-1))).toMatch(/"refused":"media: .*truncated/);
    expect(inWorker.reads.filter((r) => 'patientId' in r)).toHaveLength(sources.length - 1);
  });

  it('reads in this thread when the worker dies before answering', async () => {
    const dying = await workerScript(
      'dying-headers',
      `import { parentPort } from 'node:worker_threads';
       parentPort.on('message', () => setTimeout(() => process.exit(3), 20));`,
    );
    const expected = await headersOf({ workerFile: false });
    expect(await headersOf({ workerFile: dying })).toEqual({ ...expected, answeredByWorker: 0 });
  });
});

describe('coercion in the bundled worker', () => {
  it('writes the bytes in-thread coercion writes and refuses with the same reasons', async () => {
    const inThread = await coerceAll('thread', { workerFile: false });
    const inWorker = await coerceAll('worker', { workerFile: bundledWorker });
    expect(inWorker.answeredByWorker).toBe(sources.length);
    expect(inThread.answeredByWorker).toBe(0);
    expect(inWorker.outcomes).toEqual(inThread.outcomes);
    expect(inWorker.outcomes.filter((o) => 'bytes' in o)).toHaveLength(sources.length - 1);
    expect(inWorker.outcomes.at(-1)).toMatchObject({ mediaFile: true });
    expect(JSON.stringify(inWorker.outcomes.at(-1))).toMatch(/truncated/);
  });

  it('coerces in this thread what a worker that died had not answered, and all after it', async () => {
    // Writes a partial target for the first request, then exits at the second: that target must
    // be replaced, not refused as existing.
    const dying = await workerScript(
      'dying',
      `import { parentPort } from 'node:worker_threads';
       import { writeFileSync } from 'node:fs';
       let n = 0;
       parentPort.on('message', (request) => {
         if (++n === 1) writeFileSync(request.target, 'half a file');
         else process.exit(3);
       });`,
    );
    const expected = await coerceAll('expected', { workerFile: false });
    const dyingRun = await coerceAll('dying', { workerFile: dying });
    expect(dyingRun.outcomes).toEqual(expected.outcomes);
    expect(dyingRun.answeredByWorker).toBe(0);
  });

  it('refuses a source gone from the medium with its system code, as in this thread', async () => {
    const gone = join(disc, 'GONE');
    const refusals = [];
    for (const workerFile of [false, bundledWorker] as const) {
      const coercion = startMediaWorker({ workerFile });
      try {
        const target = join(base, `gone-${refusals.length}.dcm`);
        const error = await coercion.coerce(gone, target, options).then(
          () => undefined,
          (e: unknown) => e as Error,
        );
        refusals.push({
          reason: error && fileErrorReason(error),
          answeredByWorker: coercion.answeredByWorker,
        });
      } finally {
        await coercion.close();
      }
    }
    const reason = 'no longer on the medium: was the disc or drive removed? [ENOENT]';
    expect(refusals).toEqual([
      { reason, answeredByWorker: 0 },
      { reason, answeredByWorker: 1 },
    ]);
  });

  it('coerces in this thread when the worker cannot start', async () => {
    const broken = await workerScript('broken', `throw new Error('cannot load');`);
    const expected = await coerceAll('expected2', { workerFile: false });
    expect((await coerceAll('broken', { workerFile: broken })).outcomes).toEqual(expected.outcomes);
    expect((await readdir(base)).filter((f) => f.startsWith('broken-'))).toHaveLength(
      sources.length - 1,
    );
  });
});

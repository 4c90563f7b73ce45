/**
 * The import's coercion worker (media-import/coercion.ts), bundled as the app and the CLI ship
 * it: it writes what in-thread coercion writes, refuses what it refuses with the same reason, and
 * when it fails to start or dies mid-import, every instance is still coerced, in this thread.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startCoercion,
  type CoercionOptions,
  type WorkerCoerceOptions,
} from '../../../main/core/media-import/coercion';
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
  base = await mkdtemp(join(tmpdir(), 'coercion-worker-'));
  disc = join(base, 'disc');
  for (const instance of multiPatientInstances())
    sources.push(await writeDiscInstance(disc, instance));
  const truncated = join(disc, 'TRUNC');
  await writeFile(truncated, (await readFile(sources[0] ?? '')).subarray(0, 300));
  sources.push(truncated);
  // Inside the repository, as out/main/ is: the bundle imports its dependencies (dcmjs) from
  // node_modules, as the app's and the CLI's do.
  await mkdir(join(import.meta.dirname, '../../../out'), { recursive: true });
  bundle = await mkdtemp(join(import.meta.dirname, '../../../out/coercion-worker-'));
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      ssr: true,
      outDir: bundle,
      target: 'node20',
      rollupOptions: {
        input: {
          coerceWorker: join(
            import.meta.dirname,
            '../../../main/core/media-import/coerceWorker.ts',
          ),
        },
        output: { entryFileNames: '[name].js', format: 'es' },
      },
    },
  });
  bundledWorker = join(bundle, 'coerceWorker.js');
}, 60_000);
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
  if (bundle) await rm(bundle, { recursive: true, force: true });
});

type Outcome = { bytes: Buffer } | { refused: string; mediaFile: boolean };

/** Coerces every source at once into `folder`, as the import pipeline keeps several in flight. */
async function coerceAll(
  folder: string,
  how: CoercionOptions,
): Promise<{ outcomes: Outcome[]; answeredByWorker: number }> {
  const coercion = startCoercion(how);
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

async function workerScript(name: string, body: string): Promise<string> {
  const path = join(base, `${name}.mjs`);
  await writeFile(path, body);
  return path;
}

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

  it('coerces in this thread when the worker cannot start', async () => {
    const broken = await workerScript('broken', `throw new Error('cannot load');`);
    const expected = await coerceAll('expected2', { workerFile: false });
    expect((await coerceAll('broken', { workerFile: broken })).outcomes).toEqual(expected.outcomes);
    expect((await readdir(base)).filter((f) => f.startsWith('broken-'))).toHaveLength(
      sources.length - 1,
    );
  });
});

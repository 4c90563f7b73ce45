import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli';
import { writeInstance, testUid } from './instanceFixture';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('capture-station queue', () => {
  const previousHome = process.env.CAPTURE_STATION_HOME;
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'queue-cli-'));
    process.env.CAPTURE_STATION_HOME = home;
  });
  afterEach(() => {
    if (previousHome === undefined) delete process.env.CAPTURE_STATION_HOME;
    else process.env.CAPTURE_STATION_HOME = previousHome;
  });

  it('is listed in --help and explains itself', async () => {
    expect((await cli('--help')).out.join('\n')).toMatch(/queue\s+add files to the outbox/);
    const usage = await cli('queue', '--help');
    expect(usage.out.join('\n')).toContain('queue add [--dest NAME]... [--move] FILE...');
  });

  it('says what is wrong with the arguments (exit 2)', async () => {
    expect((await cli('queue')).code).toBe(2);
    const add = await cli('queue', 'add');
    expect(add.code).toBe(2);
    expect(add.err[0]).toBe('capture-station queue: name at least one file to queue');
  });

  it('queues for the DEMO local archive when nothing is configured, and reports it', async () => {
    const file = await writeInstance(join(home, 'a.dcm'), { sopInstanceUid: testUid(5) });
    const added = await cli('queue', 'add', file);
    expect(added.code).toBe(0);
    expect(added.out[0]).toMatch(/^queued .*a\.dcm for local-archive \(job [a-z0-9-]+\)$/);
    const status = await cli('queue', 'status');
    expect(status.out).toEqual([
      '1 queued',
      '  no process is sending: start the station or run `capture-station queue run`',
      '  local-archive (DEMO): 1 queued',
    ]);
  });

  it('refuses an unknown destination and a file that is not DICOM, with one line each', async () => {
    const file = await writeInstance(join(home, 'a.dcm'), { sopInstanceUid: testUid(6) });
    const unknown = await cli('queue', 'add', '--dest', 'pacs', file);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toEqual([
      'capture-station queue: no destination "pacs" (known: local-archive)',
    ]);
    await writeFile(join(home, 'note.txt'), 'not dicom');
    const text = await cli('queue', 'add', join(home, 'note.txt'));
    expect(text.code).toBe(1);
    expect(text.err[0]).toMatch(/not a DICOM Part-10 file/);
  });
});

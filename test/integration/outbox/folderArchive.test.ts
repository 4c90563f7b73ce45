/**
 * The embedded default: with no destination configured, `queue add` + `queue run` put instances
 * into the local archive folder as a File-set whose DICOMDIR DCMTK reads and dciodvfy accepts.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli';
import { outputText, runTool } from '../../services';
import { makeInstances, makeStation, type Station } from './stationFixture';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('local archive folder destination (DICOMDIR)', () => {
  let station: Station;
  const previousHome = process.env.CAPTURE_STATION_HOME;

  beforeAll(async () => {
    station = await makeStation({ station: { aeTitle: 'CAPTURE1' } });
    process.env.CAPTURE_STATION_HOME = station.home;
  });
  afterAll(() => {
    if (previousHome === undefined) delete process.env.CAPTURE_STATION_HOME;
    else process.env.CAPTURE_STATION_HOME = previousHome;
  });

  it('copies each instance under safe PATIENT/STUDY/SERIES names and writes a valid DICOMDIR', async () => {
    const inputs = join(station.home, 'in');
    const first = await makeInstances(join(inputs, 'a'), 2, 31, {
      patientId: 'PID-7',
      patientName: 'Müller^Jürgen',
    });
    const second = await makeInstances(join(inputs, 'b'), 1, 32, {
      patientId: 'PID/../8',
      studyInstanceUid: '1.2.826.0.1.3680043.10.1.2',
      seriesInstanceUid: '1.2.826.0.1.3680043.10.1.2.1',
    });
    await writePdfInstance(join(inputs, 'report.dcm'));
    const files = [...first, ...second, join(inputs, 'report.dcm')];

    const added = await cli('--config', station.configFile, '--json', 'queue', 'add', ...files);
    expect(added.err).toEqual([]);
    expect(
      added.out.map((l) => (JSON.parse(l) as { destinations: string[] }).destinations),
    ).toEqual(files.map(() => ['local-archive']));
    const ran = await cli('--config', station.configFile, 'queue', 'run', '--until-empty');
    expect(ran.err).toEqual([]);
    expect(ran.code).toBe(0);

    const archive = join(station.home, 'archive');
    const dicomdir = join(archive, 'DICOMDIR');
    const dump = outputText(await runTool('dcmdump', ['-q', dicomdir]));
    const fileIds = [...dump.matchAll(/\(0004,1500\) CS \[([^\]]+)\]/g)].map((m) => m[1] ?? '');
    expect(fileIds).toHaveLength(4);
    for (const id of fileIds) {
      const components = id.split('\\');
      expect(components).toHaveLength(4);
      for (const c of components) expect(c).toMatch(/^[A-Z0-9_]{1,8}$/);
      expect(await readFile(join(archive, ...components))).toBeInstanceOf(Buffer);
    }
    expect(dump.match(/"Directory Record" PATIENT/g)).toHaveLength(3);
    expect(dump).toContain('"Directory Record" ENCAP DOC');
    expect(dump).toContain('ISO_IR 192');
    const check = outputText(await runTool('dciodvfy', [dicomdir]));
    expect(check.split('\n').filter((line) => line.startsWith('Error'))).toEqual([]);
    expect((await runTool('dcmftest', [dicomdir])).code).toBe(0);
    // Byte for byte the instances that went in.
    const copies = await Promise.all(
      fileIds.map((id) => readFile(join(archive, ...id.split('\\')))),
    );
    const originals = await Promise.all(files.map((f) => readFile(f)));
    for (const original of originals) expect(copies.some((c) => c.equals(original))).toBe(true);
  });

  it('reports the same in queue status --json: nothing unsent', async () => {
    const status = await cli('--config', station.configFile, '--json', 'queue', 'status');
    const snapshot = JSON.parse(status.out[0] ?? '{}') as {
      unsent: number;
      destinations: { name: string; demo: boolean }[];
    };
    expect(snapshot.unsent).toBe(0);
    expect(snapshot.destinations).toMatchObject([{ name: 'local-archive', demo: true }]);
    expect(await readdir(join(station.home, 'outbox', 'files'))).toHaveLength(4); // kept 7 days by default
  });
});

/** An Encapsulated PDF with the study date and time the station's own builder always sets. */
async function writePdfInstance(target: string): Promise<void> {
  const pdf = `${target}.pdf`;
  await writeFile(pdf, '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  const args = [
    '-q',
    '--patient-name',
    'Doc^Pat',
    '--patient-id',
    'P3',
    '--title',
    'Outside report',
  ];
  const made = await runTool('pdf2dcm', [...args, pdf, target]);
  if (made.code !== 0) throw new Error(outputText(made));
  const dated = await runTool('dcmodify', [
    '-nb',
    '-m',
    '(0008,0020)=20261128',
    '-m',
    '(0008,0030)=101500',
    target,
  ]);
  if (dated.code !== 0) throw new Error(outputText(dated));
}

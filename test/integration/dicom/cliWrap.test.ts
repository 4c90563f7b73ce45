import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wrapCommand } from '../../../main/cli/commands/wrap';
import type { CliContext } from '../../../main/cli/types';
import { CliUsageError } from '../../../main/cli/types';
import { expectValidDicom } from '../../services';
import { makeCameraJpeg, makeMp4, makePdf, readBack } from './fixtures';

let dir = '';
let patient = '';
let study = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-wrap-'));
  patient = join(dir, 'P.json');
  study = join(dir, 'S.json');
  await writeFile(
    patient,
    JSON.stringify({
      PatientName: 'Wang^XiaoDong=王^小東=',
      PatientID: 'MRN1',
      IssuerOfPatientID: 'HOSP',
      PatientBirthDate: '19700101',
      PatientSex: 'F',
    }),
  );
  await writeFile(
    study,
    JSON.stringify({ StudyInstanceUID: '1.2.826.0.1.3680043.2.1125.1', AccessionNumber: 'A-77' }),
  );
  await Promise.all([
    makeCameraJpeg(join(dir, 'in.jpg')),
    makePdf(join(dir, 'in.pdf')),
    makeMp4(join(dir, 'in.mp4')),
  ]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function context(json: boolean) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = {
    configPath: undefined,
    json,
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    signal: new AbortController().signal,
  };
  return { ctx, out, err };
}

describe('capture-station wrap', () => {
  it('prints SOP class, transfer syntax and path; the instance carries the JSON context', async () => {
    const output = join(dir, 'photo.dcm');
    const { ctx, out } = context(false);
    await wrapCommand.run(
      [
        'in.jpg',
        '--kind',
        'photo',
        '--patient',
        patient,
        '--study',
        study,
        '--region',
        '85562004',
        '--laterality',
        'R',
        '-o',
        output,
      ].map((a) => (a === 'in.jpg' ? join(dir, a) : a)),
      ctx,
    );
    expect(out.join('\n')).toMatch(
      /VL Photographic Image \(1\.2\.840\.10008\.5\.1\.4\.1\.1\.77\.1\.4\)/,
    );
    expect(out.join('\n')).toMatch(/transfer syntax 1\.2\.840\.10008\.1\.2\.4\.50/);
    expect(out.join('\n')).toContain(output);
    await expectValidDicom(output);
    const { data } = await readBack(output);
    expect(data.PatientName).toEqual([{ Alphabetic: 'Wang^XiaoDong', Ideographic: '王^小東' }]);
    expect(data.StudyInstanceUID).toBe('1.2.826.0.1.3680043.2.1125.1');
    expect(data.AccessionNumber).toBe('A-77');
    expect(data.ImageLaterality).toBe('R');
  });

  it.each([
    ['pdf', 'in.pdf', '1.2.840.10008.5.1.4.1.1.104.1', '1.2.840.10008.1.2.1', []],
    [
      'video-endoscopy',
      'in.mp4',
      '1.2.840.10008.5.1.4.1.1.77.1.1.1',
      '1.2.840.10008.1.2.4.102',
      ['--sync'],
    ],
  ])(
    '--json %s: one machine-readable line (real prepareVideo for video) %j',
    async (kind, input, sop, ts, extra) => {
      const output = join(dir, `${kind}.dcm`);
      const { ctx, out } = context(true);
      const args = [join(dir, input), '--kind', kind, '--patient', patient, '-o', output];
      await wrapCommand.run([...args, '--region', '69695003', ...extra], ctx);
      expect(out).toHaveLength(1);
      expect(JSON.parse(out[0] ?? '')).toMatchObject({
        path: output,
        sopClassUid: sop,
        transferSyntaxUid: ts,
      });
      await expectValidDicom(output);
      if (kind === 'video-endoscopy') expect((await readBack(output)).data.NumberOfFrames).toBe(60);
    },
  );

  it('usage errors for a bad kind, a missing patient or laterality without region', async () => {
    const { ctx } = context(false);
    const base = [join(dir, 'in.jpg'), '-o', join(dir, 'x.dcm')];
    await expect(
      wrapCommand.run([...base, '--kind', 'xray', '--patient', patient], ctx),
    ).rejects.toBeInstanceOf(CliUsageError);
    await expect(wrapCommand.run([...base, '--kind', 'photo'], ctx)).rejects.toThrow(/--patient/);
    await expect(
      wrapCommand.run([...base, '--kind', 'photo', '--patient', patient, '--laterality', 'L'], ctx),
    ).rejects.toThrow(/needs --region/);
  });

  it('a bad patient JSON names the file and the keyword; nothing is written', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(
      bad,
      JSON.stringify({ PatientName: 'X^Y', PatientID: 'M', PatientBirthDay: '1970' }),
    );
    const { ctx } = context(false);
    const output = join(dir, 'never.dcm');
    await expect(
      wrapCommand.run(
        [join(dir, 'in.jpg'), '--kind', 'photo', '--patient', bad, '-o', output],
        ctx,
      ),
    ).rejects.toThrow(/bad\.json/);
    expect(await readdir(dir)).not.toContain('never.dcm');
  });
});

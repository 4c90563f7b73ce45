/**
 * Issue 8, reconciliation: an instance from a DCMTK-built disc coerced to the local patient is
 * read by dcmdump, accepted by dciodvfy, keeps its UIDs and the originals (PS3.3 C.12.1.1.9), and
 * its pixel data bytes are those of the disc.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coerceInstance } from '../../../main/core/media-import';
import { expectValidDicom, outputText, runTool } from '../../services';
import { multiPatientInstances, writeDiscInstance, pixelBytes } from './buildDisc';

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'coerce-it-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('coerceInstance on a DCMTK-built instance', () => {
  it.each([
    ['ASCII', 'LOCAL^LISA'],
    ['Latin-1', 'Jørgensen^Åse'],
    ['not Latin-1, so the file goes to UTF-8', 'Łukasiewicz^Jan'],
  ])('writes a valid instance for the local patient (%s name)', async (_, name) => {
    const first = multiPatientInstances()[0]!;
    const source = await writeDiscInstance(base, { ...first, file: `DISC/${name.length}` });
    expect(outputText(await runTool('dciodvfy', [source]))).not.toMatch(/Error/);
    const target = join(base, `${name.length}.dcm`);
    await coerceInstance(source, target, {
      patient: {
        patientId: 'LOC-42',
        issuerOfPatientId: 'HOSP',
        name,
        birthDate: '19800101',
        sex: 'F',
      },
      accessionNumber: 'A-1',
      modifyingSystem: 'CAPTURE1',
    });
    await expectValidDicom(target);
    const dump = outputText(await runTool('dcmdump', ['+U8', target]));
    for (const expected of [
      `(0010,0010) PN [${name}]`,
      '(0010,0020) LO [LOC-42]',
      '(0010,0021) LO [HOSP]',
      '(0008,0050) SH [A-1]',
      '(0400,0565) CS [COERCE]',
      '(0400,0563) LO [CAPTURE1]',
      '(0010,0010) PN [Müller^Otto]', // the original, inside Modified Attributes Sequence
      '(0010,0020) LO [OUT-1]',
      `(0008,0018) UI [${first.sopInstanceUid}]`,
      `(0020,000d) UI [${first.studyUid}]`,
      `(0020,000e) UI [${first.seriesUid}]`,
    ])
      expect(dump).toContain(expected);
    expect(dump).toMatch(/\(0010,1002\) SQ[\s\S]*\(0010,0020\) LO \[OUT-1\]/);
    expect((await pixelBytes(target)).equals(await pixelBytes(source))).toBe(true);
  });
});

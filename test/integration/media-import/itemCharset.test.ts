/**
 * A DCMTK-built Latin-1 instance whose sequence items declare character sets of their own
 * (ISO_IR 144, ISO_IR 126; PS3.5 7.5.3), coerced to a Polish name, which only UTF-8 carries:
 * dciodvfy reports no error the source did not have, and dcmdump reads every name right.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeDataSet, type ElementSpec } from '../../../main/core/dimse/dataSet';
import { coerceInstance } from '../../../main/core/media-import';
import { outputText, runTool } from '../../services';
import { cyrillicRequest, greekObserver, TEXT } from '../../unit/media-import/itemCharsetFixture';
import { spliceElements } from '../../unit/media-import/spliceElements';
import { multiPatientInstances, writeDiscInstance } from './buildDisc';

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'item-charset-it-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const explicit = (spec: ElementSpec): [number, Buffer] => [
  spec.tag,
  encodeDataSet([spec], 'explicit'),
];

/** dciodvfy's error lines, without the file name it may print. */
async function dciodvfyErrors(file: string): Promise<string[]> {
  const output = outputText(await runTool('dciodvfy', [file], { timeoutMs: 60_000 }));
  return output
    .split('\n')
    .filter((line) => line.includes('Error'))
    .map((line) => line.replaceAll(file, 'FILE'));
}

describe('coercion to UTF-8 of a file whose items declare their own character sets', () => {
  it('adds no dciodvfy error, and dcmdump reads every name in UTF-8', async () => {
    const first = multiPatientInstances()[0]!;
    const disc = await writeDiscInstance(base, { ...first, file: 'DISC/ITEMS' });
    const source = join(base, 'items.src.dcm');
    const original = spliceElements(
      await readFile(disc),
      'explicit',
      new Map([explicit(cyrillicRequest()), explicit(greekObserver())]),
    );
    await writeFile(source, original);
    const target = join(base, 'items.dcm');
    const result = await coerceInstance(source, target, {
      patient: { patientId: 'LOC-42', issuerOfPatientId: 'HOSP', name: 'Łukasiewicz^Jan' },
      modifyingSystem: 'CAPTURE1',
    });

    const before = await dciodvfyErrors(source);
    const after = await dciodvfyErrors(target);
    expect(after.filter((line) => !before.includes(line))).toEqual([]);

    for (const args of [['+U8', target], [target]]) {
      const dumped = await runTool('dcmdump', args);
      expect(dumped.code).toBe(0);
      const dump = outputText(dumped);
      expect(dump).not.toMatch(/^[EFW]: /m);
      expect(dump).toMatch(/^\(0008,0005\) CS \[ISO_IR 192\]/m);
      expect(dump).toMatch(/^\(0010,0010\) PN \[Łukasiewicz\^Jan\]/m);
      // Each item keeps its (0008,0005), now ISO_IR 192, and its text reads as it did.
      expect(dump.match(/^ {4}\(0008,0005\) CS \[ISO_IR 192\]/gm)).toHaveLength(2);
      expect(dump).toContain(`(0032,1060) LO [${TEXT.description}]`);
      expect(dump).toContain(`(0008,0104) LO [${TEXT.cyrillicMeaning}]`);
      expect(dump).toContain(`(0040,a075) PN [${TEXT.observer}]`);
      expect(dump).toContain(`(0040,a027) LO [${TEXT.organization}]`);
      expect(dump).toContain(`(0008,0104) LO [${TEXT.greekMeaning}]`);
      expect(dump).toContain('(0400,0564) LO (no value available)');
      expect(dump).toMatch(/\(0400,0550\) SQ[\s\S]*\(0010,0010\) PN \[Müller\^Otto\]/);
    }

    const out = await readFile(target);
    const pixels = original.subarray(result.sourcePixelDataOffset);
    expect(out.subarray(result.targetPixelDataOffset).equals(pixels)).toBe(true);
  });
});

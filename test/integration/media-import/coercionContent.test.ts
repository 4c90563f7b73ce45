/**
 * Coercion of DCMTK-built instances carrying what outside discs carry: an issuer with qualifiers
 * and an accession issuer (PS3.3 C.7.1.1, C.4.14), sequences encoded as UN (PS3.5 6.2.2), an
 * issuer in ISO_IR 144. Every output is read by dcmdump and accepted by dciodvfy.
 */
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeDataSet, tag, type ElementSpec } from '../../../main/core/dimse/dataSet';
import { coerceInstance } from '../../../main/core/media-import';
import { expectValidDicom, outputText, runTool } from '../../services';
import {
  implicitElement,
  item,
  spliceElements,
  unSequence,
} from '../../unit/media-import/spliceElements';
import { multiPatientInstances, writeDiscInstance } from './buildDisc';

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'coercion-content-it-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const explicit = (spec: ElementSpec): [number, Buffer] => [
  spec.tag,
  encodeDataSet([spec], 'explicit'),
];

/** A DCMTK instance with `changes` spliced in, checked by dciodvfy, coerced; returns the dump. */
async function coerced(name: string, changes: Map<number, Buffer>, accessionNumber?: string) {
  const first = multiPatientInstances()[0]!;
  const disc = await writeDiscInstance(base, { ...first, file: `DISC/${name}` });
  const source = join(base, `${name}.src.dcm`);
  await writeFile(source, spliceElements(await readFile(disc), 'explicit', changes));
  expect(outputText(await runTool('dciodvfy', [source]))).not.toMatch(/Error/);
  const target = join(base, `${name}.dcm`);
  await coerceInstance(source, target, {
    patient: { patientId: 'LOC-42', issuerOfPatientId: 'HOSP', name: 'LOCAL^LISA' },
    accessionNumber,
    modifyingSystem: 'CAPTURE1',
  });
  await expectValidDicom(target);
  const result = await runTool('dcmdump', ['+U8', target]);
  expect(result.code).toBe(0);
  const dump = outputText(result);
  expect(dump).not.toMatch(/^[EF]: /m);
  return dump;
}

describe('coerceInstance on DCMTK-built instances with more than the basics', () => {
  it("moves the outside issuer's qualifiers and the accession issuer into the history", async () => {
    const dump = await coerced(
      'qualified',
      new Map([
        explicit({
          tag: tag(0x0008, 0x0051),
          vr: 'SQ',
          value: [[{ tag: tag(0x0040, 0x0031), vr: 'UT', value: 'OUTSIDE-RIS' }]],
        }),
        explicit({ tag: tag(0x0010, 0x0021), vr: 'LO', value: 'OUTSIDE-HOSP' }),
        explicit({ tag: tag(0x0010, 0x0022), vr: 'CS', value: 'RFID' }),
        explicit({
          tag: tag(0x0010, 0x0024),
          vr: 'SQ',
          value: [
            [
              { tag: tag(0x0040, 0x0032), vr: 'UT', value: '1.2.3.4.5.999' },
              { tag: tag(0x0040, 0x0033), vr: 'CS', value: 'ISO' },
            ],
          ],
        }),
      ]),
      'A-1',
    );
    // Top level (no indentation): none of the outside authority's attributes remain.
    expect(dump).not.toMatch(/^\((0008,0051|0010,0022|0010,0024)\)/m);
    // In Other Patient IDs, with the outside ID; and in Modified Attributes, as they were.
    expect(dump).toMatch(
      /^\(0010,1002\) SQ[\s\S]*\[OUT-1\][\s\S]*\(0010,0022\) CS \[RFID\][\s\S]*\(0010,0024\) SQ[\s\S]*\[1\.2\.3\.4\.5\.999\][\s\S]*^\(0020,000d\)/m,
    );
    expect(dump).toMatch(
      /\(0400,0550\) SQ[\s\S]*\(0008,0051\) SQ[\s\S]*\[OUTSIDE-RIS\][\s\S]*\(0010,0022\) CS \[RFID\][\s\S]*\(0010,0024\) SQ[\s\S]*\(0400,0562\)/,
    );
  });

  it('extends an Original Attributes Sequence encoded as UN and keeps a private UN sequence', async () => {
    // A whole earlier Original Attributes item (PS3.3 C.12.1.1.9), in Implicit VR as in a UN.
    const correct = Buffer.concat([
      implicitElement(
        tag(0x0400, 0x0550),
        item(implicitElement(tag(0x0010, 0x0020), Buffer.from('OLD-1 '))),
      ),
      implicitElement(tag(0x0400, 0x0562), Buffer.from('20200101120000')),
      implicitElement(tag(0x0400, 0x0563), Buffer.from('OTHER PACS')),
      implicitElement(tag(0x0400, 0x0564), Buffer.from('SOMEWHERE ')),
      implicitElement(tag(0x0400, 0x0565), Buffer.from('CORRECT ')),
    ]);
    const dump = await coerced(
      'un',
      new Map([
        explicit({ tag: tag(0x0009, 0x0010), vr: 'LO', value: 'ACME 1.0' }),
        [
          tag(0x0009, 0x1010),
          unSequence(
            tag(0x0009, 0x1010),
            item(implicitElement(tag(0x0009, 0x1011), Buffer.from('VALUE ')), true),
          ),
        ],
        [tag(0x0400, 0x0561), unSequence(tag(0x0400, 0x0561), item(correct, true))],
      ]),
    );
    expect(dump).toMatch(
      /\(0400,0561\) SQ[\s\S]*\(0400,0565\) CS \[CORRECT\][\s\S]*\(0400,0565\) CS \[COERCE\]/,
    );
    expect(dump).toMatch(/\(0009,1010\)[\s\S]*\(0009,1011\)/);
  });

  it('writes the previous issuer in the Cyrillic set the file keeps (ISO_IR 144)', async () => {
    const issuer = Buffer.from([0xb1, 0xde, 0xdb, 0xec, 0xdd, 0xd8, 0xe6, 0xd0]); // Больница
    const dump = await coerced(
      'cyrillic',
      new Map([
        explicit({ tag: tag(0x0008, 0x0005), vr: 'CS', value: 'ISO_IR 144' }),
        explicit({ tag: tag(0x0010, 0x0021), vr: 'LO', value: issuer }),
      ]),
    );
    expect(dump).toContain('(0400,0564) LO [Больница]');
  });
});

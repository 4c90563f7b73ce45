import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli';
import { WorklistItem } from '../../../preload/contract';
import { queryWorklist } from '../../../main/core/dimse/worklist';
import type { DimsePeer } from '../../../main/core/dimse/peer';
import { startWorklistServer, type WorklistServer } from '../../services';
import { singleByte, writeRawWorklist, type RawWorklistEntry } from './worklistFiles';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const latin1 = (text: string) => Buffer.from(text, 'latin1');

interface Case {
  readonly entry: RawWorklistEntry;
  readonly name: { alphabetic: string; ideographic?: string; phonetic?: string };
  readonly step: string;
}

const cases: Case[] = [
  {
    entry: {
      charset: 'ISO_IR 100',
      patientId: 'CS-LATIN1',
      patientName: latin1('Müller^Jürgen'),
      stepDescription: latin1('Wundfoto Fuß'),
      requestedProcedureDescription: latin1('Hautläsion'),
    },
    name: { alphabetic: 'Müller^Jürgen' },
    step: 'Wundfoto Fuß',
  },
  {
    entry: {
      charset: 'ISO_IR 192',
      patientId: 'CS-UTF8',
      patientName: Buffer.from('Wang^XiaoDong=王^小東'),
      stepDescription: Buffer.from('Dermatoskopie 皮肤镜'),
      requestedProcedureDescription: Buffer.from('Ébauche'),
    },
    name: { alphabetic: 'Wang^XiaoDong', ideographic: '王^小東' },
    step: 'Dermatoskopie 皮肤镜',
  },
  {
    entry: {
      charset: 'ISO_IR 144',
      patientId: 'CS-CYRILLIC',
      patientName: singleByte('Иванов^Пётр', 'iso-8859-5'),
      stepDescription: singleByte('Фото раны', 'iso-8859-5'),
      requestedProcedureDescription: singleByte('Кожа', 'iso-8859-5'),
    },
    name: { alphabetic: 'Иванов^Пётр' },
    step: 'Фото раны',
  },
  {
    entry: {
      charset: 'ISO_IR 126',
      patientId: 'CS-GREEK',
      patientName: singleByte('Διονυσιος^Ανδρέας', 'iso-8859-7'),
      stepDescription: singleByte('Φωτογραφία', 'iso-8859-7'),
      requestedProcedureDescription: singleByte('Δέρμα', 'iso-8859-7'),
    },
    name: { alphabetic: 'Διονυσιος^Ανδρέας' },
    step: 'Φωτογραφία',
  },
  {
    entry: {
      charset: '\\ISO 2022 IR 87',
      patientId: 'CS-JIS',
      patientName: latin1(
        'Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B=\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B',
      ),
      stepDescription: latin1('Scope \x1b$B;3ED\x1b(B'),
      requestedProcedureDescription: latin1('\x1b$BB@O:\x1b(B'),
    },
    name: { alphabetic: 'Yamada^Tarou', ideographic: '山田^太郎', phonetic: 'やまだ^たろう' },
    step: 'Scope 山田',
  },
  {
    entry: {
      charset: 'GB18030',
      patientId: 'CS-GB18030',
      patientName: Buffer.concat([latin1('Wang^XiaoDong='), hex('cd f5 5e d0 a1 b6 ab')]),
      stepDescription: Buffer.concat([latin1('Foto '), hex('cd f5')]),
      requestedProcedureDescription: hex('d0 a1'),
    },
    name: { alphabetic: 'Wang^XiaoDong', ideographic: '王^小东' },
    step: 'Foto 王',
  },
  {
    entry: {
      charset: '\\ISO 2022 IR 149',
      patientId: 'CS-KOREAN',
      patientName: hex(
        '48 6f 6e 67 5e 47 69 6c 64 6f 6e 67 3d 1b 24 29 43 fb f3 5e 1b 24 29 43 d1 ce d4 d7 3d 1b 24 29 43 c8 ab 5e 1b 24 29 43 b1 e6 b5 bf',
      ),
      stepDescription: Buffer.concat([latin1('Photo '), hex('1b 24 29 43 fb f3')]),
      requestedProcedureDescription: hex('1b 24 29 43 c8 ab'),
    },
    name: { alphabetic: 'Hong^Gildong', ideographic: '洪^吉洞', phonetic: '홍^길동' },
    step: 'Photo 洪',
  },
];

const dir = path.join(os.tmpdir(), `dimse-mwl-${process.pid}`);
let server: WorklistServer;
let peer: DimsePeer;

beforeAll(async () => {
  await writeRawWorklist(
    dir,
    'WORKLIST',
    cases.map((c) => c.entry),
  );
  server = await startWorklistServer({ worklistDir: dir, aet: 'WORKLIST' });
  peer = {
    host: '127.0.0.1',
    port: server.port,
    calledAeTitle: server.aet,
    callingAeTitle: 'CAPTURE1',
  };
});
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('Modality Worklist C-FIND against wlmscpfs', () => {
  it('returns every scheduled step for the station and date, with names decoded in seven character sets', async () => {
    const items = await queryWorklist(peer, {
      date: '20260301',
      modality: 'XC',
      stationAeTitle: 'CAPTURE1',
    });
    expect(items).toHaveLength(cases.length);
    for (const { entry, name, step } of cases) {
      const item = items.find((i) => i.patient.id === entry.patientId);
      expect(item, entry.charset).toBeDefined();
      expect(item?.patient.name, entry.charset).toEqual(name);
      expect(item?.referringPhysician, entry.charset).toEqual(name);
      // Text inside the Scheduled Procedure Step Sequence is decoded with the same character set.
      expect(item?.scheduledStepDescription, entry.charset).toBe(step);
      expect(item).toMatchObject({
        modality: 'XC',
        scheduledStationAeTitle: 'CAPTURE1',
        scheduledDate: '20260301',
        patient: { sex: 'F', birthDate: '19700101' },
      });
    }
  });

  it('matches on patient ID and date range, and finds nothing outside the range', async () => {
    const one = await queryWorklist(peer, { patientId: 'CS-GREEK', date: '20260201-20260331' });
    expect(one.map((i) => i.patient.id)).toEqual(['CS-GREEK']);
    expect(one[0]?.requestedProcedureDescription).toBe('Δέρμα');
    expect(await queryWorklist(peer, { date: '20250101-20250102' })).toEqual([]);
  });
});

describe('capture-station worklist', () => {
  it('prints one JSON WorklistItem per line, names in Unicode', async () => {
    const config = path.join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ station: { aeTitle: 'CAPTURE1' } }));
    const lines: string[] = [];
    const code = await runCli(
      [
        '--config',
        config,
        'worklist',
        '--host',
        '127.0.0.1',
        '--port',
        String(server.port),
        '--aet',
        server.aet,
        '--patient-id',
        'CS-JIS',
        '--date',
        '20260301',
        '--json',
      ],
      { out: (line: string) => lines.push(line), err: (line: string) => lines.push(`ERR ${line}`) },
    );
    expect(code, lines.join('\n')).toBe(0);
    expect(lines).toHaveLength(1);
    const item = WorklistItem.parse(JSON.parse(lines[0] ?? ''));
    expect(item.patient.name).toEqual({
      alphabetic: 'Yamada^Tarou',
      ideographic: '山田^太郎',
      phonetic: 'やまだ^たろう',
    });
  });
});

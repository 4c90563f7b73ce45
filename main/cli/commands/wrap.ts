import { readFile, stat } from 'node:fs/promises';
import { parse, resolve } from 'node:path';
import { loadConfig } from '../../core/config/loadConfig';
import { isLaterality } from '../../core/dicom/anatomy';
import { stationEquipment } from '../../core/dicom/equipment';
import { patientFromKeywords, studyFromKeywords } from '../../core/dicom/keywordContext';
import { CaptureSession } from '../../core/dicom/session';
import { CAPTURE_KINDS, isCaptureKind } from '../../core/dicom/sopClass';
import { wrapCapture, type WrapResult } from '../../core/dicom/wrapCapture';
import { prepareVideo } from '../../core/video/prepareVideo';
import { parseFlags } from '../parseFlags';
import { CliUsageError, type CliCommand, type CliContext } from '../types';

const USAGE = [
  'usage: capture-station [--json] wrap INPUT --kind KIND --patient P.json [--study S.json]',
  '         [--region CODE] [--laterality L|R|B] [--notes TEXT] [--title TEXT]',
  '         [--captured-at ISO] [--sync] -o OUT.dcm',
  '',
  `  --kind        ${CAPTURE_KINDS.join(' | ')}`,
  '  --patient     JSON with DICOM keywords: PatientName, PatientID, IssuerOfPatientID,',
  '                PatientBirthDate, PatientSex',
  '  --study       JSON with StudyInstanceUID, AccessionNumber, StudyID, StudyDescription,',
  '                RequestedProcedureID, ReferringPhysicianName, … (new study UID if absent)',
  '  --region      SNOMED CT code from resources/anatomy/regions.json (DICOM CID 4)',
  "  --captured-at moment of capture (default: the input file's modification time)",
  '  --sync        flush OUT.dcm to disk before exiting (default: like cp, the OS flushes it;',
  '                OUT.dcm appears whole or not at all either way)',
].join('\n');

const FLAGS = {
  kind: { type: 'string' },
  patient: { type: 'string' },
  study: { type: 'string' },
  region: { type: 'string' },
  laterality: { type: 'string' },
  notes: { type: 'string' },
  title: { type: 'string' },
  'captured-at': { type: 'string' },
  sync: { type: 'boolean' },
  output: { type: 'string', short: 'o' },
} as const;

async function readJson(file: string, what: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${file}: cannot read the ${what} JSON (${reason})`, { cause: error });
  }
}

function capturedAt(flag: string | undefined, mtime: Date): Date {
  if (flag === undefined) return mtime;
  const at = new Date(flag);
  if (Number.isNaN(at.getTime())) throw new CliUsageError(`--captured-at: not a date: ${flag}`);
  return at;
}

function report(result: WrapResult, ctx: CliContext): void {
  if (ctx.json) {
    ctx.out(
      JSON.stringify({
        path: result.path,
        sopClassUid: result.sopClassUid,
        sopClass: result.iodName,
        transferSyntaxUid: result.transferSyntaxUid,
        sopInstanceUid: result.sopInstanceUid,
        studyInstanceUid: result.studyInstanceUid,
        bytes: result.bytes,
        ...(result.reencodedBecause ? { reencodedBecause: result.reencodedBecause } : {}),
      }),
    );
    return;
  }
  ctx.out(`${result.iodName} (${result.sopClassUid})`);
  ctx.out(`transfer syntax ${result.transferSyntaxUid}`);
  if (result.reencodedBecause) ctx.out(`re-encoded: ${result.reencodedBecause}`);
  ctx.out(`wrote ${result.path} (${result.bytes} bytes)`);
}

/** `capture-station wrap`: one file → one DICOM instance, exactly as the capture screen makes it. */
export const wrapCommand: CliCommand = {
  name: 'wrap',
  summary: 'wrap a photo, video or PDF as a DICOM instance for a patient',
  usage: USAGE,
  async run(argv, ctx) {
    const { values, positionals } = parseFlags(argv, FLAGS);
    const [input, ...extra] = positionals;
    if (!input || extra.length > 0) throw new CliUsageError('give exactly one INPUT file');
    const { kind, patient, study, region, laterality, output } = values;
    if (!kind || !isCaptureKind(kind))
      throw new CliUsageError(`--kind: one of ${CAPTURE_KINDS.join(', ')}`);
    if (!patient) throw new CliUsageError('--patient P.json is required');
    if (!output) throw new CliUsageError('-o OUT.dcm is required');
    if (laterality !== undefined && !isLaterality(laterality)) {
      throw new CliUsageError('--laterality: L, R or B');
    }
    if (laterality !== undefined && region === undefined) {
      throw new CliUsageError('--laterality needs --region');
    }
    const { config } = loadConfig({ file: ctx.configPath });
    const inputStat = await stat(input).catch(() => {
      throw new Error(`${input}: no such file`);
    });
    const session = new CaptureSession({
      patient: patientFromKeywords(await readJson(patient, 'patient'), patient),
      ...(study ? { study: studyFromKeywords(await readJson(study, 'study'), study) } : {}),
      equipment: stationEquipment(config.station),
    });
    const context = session.next({
      seriesKey: kind,
      capturedAt: capturedAt(values['captured-at'], inputStat.mtime),
      ...(region ? { region: { code: region, ...(laterality ? { laterality } : {}) } } : {}),
      ...(values.notes ? { notes: values.notes } : {}),
      ...(kind === 'pdf' ? { documentTitle: values.title ?? parse(input).name } : {}),
    });
    const result = await wrapCapture({
      input,
      kind,
      context,
      output: resolve(output),
      prepareVideo,
      signal: ctx.signal,
      // The input stays where it is, so a power cut loses nothing that cannot be wrapped again;
      // the station's own captures are fsynced when the outbox takes them.
      sync: values.sync === true,
    });
    report(result, ctx);
  },
};

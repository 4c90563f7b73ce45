/**
 * `capture-station import PATH --patient P.json [--accession A] --dest NAME [--dry-run] [--json]`:
 * import a patient disc or folder (IHE Import Reconciliation Workflow). `--dry-run` only reads and
 * groups the medium and lists the files that would be refused; otherwise every instance is coerced
 * to the local patient in P.json into `<dataFolder>/import/<run>` and queued in the outbox for the
 * destinations (moved into the spool), and a closing report lists imported and skipped files.
 * A disc with several outside patients needs `--outside-id` to say whose images these are (and
 * `--outside-issuer` when that ID is on the disc under more than one issuer), or `--outside-key`
 * with the key a dry run prints (patients without a Patient ID); a family name,
 * birth date or sex that differs from the local patient's stops the import with both side by side
 * unless `--accept-mismatch` confirms it.
 * Sending is the outbox's job (`queue run`, or the app).
 */
import { readFile, rmdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { resolveDataFolder } from '../../core/config/dataFolder';
import { loadConfig } from '../../core/config/loadConfig';
import { LoValue, patientFromKeywords, PnText, ShValue } from '../../core/dicom/keywordContext';
import { personNameText } from '../../core/dimse/mppsDataSet';
import { importMedia, surveyMedia, type LocalPatient } from '../../core/media-import';
import { whyNotAMedium } from '../../core/media-import/mediumRootCheck';
import type { MediaSummary, ImportReport, PatientGroup } from '../../core/media-import';
import { createOutbox } from '../../core/outbox/createOutbox';
import { fileSecretSource } from '../../core/outbox/secrets';
import { resolveDestinations } from '../../core/station/destinations';
import { parseFlags } from '../parseFlags';
import { CliUsageError, type CliCommand, type CliContext } from '../types';

const USAGE =
  'usage: capture-station [--config FILE] [--json] import PATH --patient P.json [--accession A] --dest NAME [--dest NAME]... [--outside-id ID [--outside-issuer ISSUER] | --outside-key KEY] [--accept-mismatch] [--dry-run]';

/**
 * P.json in the form the station's other commands take (`wrap`): DICOM keywords, e.g.
 * {"PatientID":"123","PatientName":"DOE^JANE","PatientBirthDate":"19800101","PatientSex":"F"}; or
 * the form this command took first, {"patientId":"123","name":"DOE^JANE","birthDate":…,"sex":…}.
 * Both strict: an unknown key (a typo such as "dob") is refused, never dropped — a dropped birth
 * date would also drop the check that the disc is this patient's.
 */
const PatientFile = z
  .object({
    patientId: LoValue.min(1),
    issuerOfPatientId: LoValue.optional(),
    name: PnText.refine((name) => name.length > 0, 'name is required'),
    birthDate: z
      .string()
      .regex(/^(\d{8})?$/, 'birthDate is YYYYMMDD')
      .optional(),
    sex: z.enum(['M', 'F', 'O', '']).optional(),
  })
  .strict();

async function readPatient(file: string): Promise<LocalPatient> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new CliUsageError(`--patient ${file}: ${(error as Error).message}`);
  }
  if (isKeywordForm(json)) {
    try {
      const p = patientFromKeywords(json, `--patient ${file}`);
      const { id: patientId, issuer, birthDate, sex } = p;
      const name = personNameText(p.name);
      return { patientId, issuerOfPatientId: issuer, name, birthDate, sex };
    } catch (error) {
      throw new CliUsageError((error as Error).message);
    }
  }
  const parsed = PatientFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    throw new CliUsageError(
      `--patient ${file}: ${where ? `${where}: ` : ''}${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/** {"PatientID": …}: the DICOM keyword form (any key starting with "Patient"). */
function isKeywordForm(json: unknown): boolean {
  return (
    typeof json === 'object' && json !== null && Object.keys(json).some((k) => /^Patient/.test(k))
  );
}

/** A patient group as JSON prints it: every value seen, and the key --outside-key takes. */
function patientJson(p: PatientGroup) {
  const { key, patientId, issuerOfPatientId, name, birthDate, sex, seen, studies } = p;
  return { key, patientId, issuerOfPatientId, name, birthDate, sex, seen, studies };
}

/**
 * `--json`: the same shape for a dry run and an import — root, how the medium was read (null when
 * not), patients found, files refused while reading and files passed over as not DICOM.
 */
function surveyJson(summary: MediaSummary) {
  return {
    root: summary.root,
    dicomdir: summary.dicomdir ?? null,
    scannedBecause: summary.scannedBecause ?? null,
    patients: summary.patients.map(patientJson),
    refused: summary.refused,
    skipped: summary.skipped,
  };
}

function printSurvey(summary: MediaSummary, ctx: CliContext): void {
  if (ctx.json) {
    ctx.out(JSON.stringify(surveyJson(summary)));
    return;
  }
  ctx.out(`${summary.root} (${howRead(summary)})`);
  for (const p of summary.patients) {
    ctx.out(`patient ${p.name} id ${p.patientId} born ${p.birthDate || '?'} sex ${p.sex || '?'}`);
    ctx.out(`  key ${p.key}`);
    for (const s of p.studies)
      ctx.out(
        `  study ${s.date || '?'} ${s.description} [${s.modalities.join(',')}] ${s.seriesCount} series, ${counted(s.instanceCount, 'instance')}`,
      );
  }
  for (const r of summary.refused) ctx.out(`refused ${r.path}: ${r.reason}`);
  for (const r of summary.skipped) ctx.out(`skipped ${r.path}: ${r.reason}`);
}

/** "1 instance", "2 instances". */
const counted = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** "DICOMDIR", "scanned, no DICOMDIR", or "scanned: <why the DICOMDIR was not used>". */
function howRead(summary: MediaSummary): string {
  if (summary.scannedBecause) return `scanned: ${summary.scannedBecause}`;
  return summary.dicomdir ? 'DICOMDIR' : 'scanned, no DICOMDIR';
}

function printReport(report: ImportReport, ctx: CliContext): void {
  if (ctx.json) {
    const { imported, skipped } = report;
    ctx.out(JSON.stringify({ imported, skipped, patients: report.patients.map(patientJson) }));
    return;
  }
  for (const i of report.imported) ctx.out(`imported ${i.source} (job ${i.receipt})`);
  for (const s of report.skipped) ctx.out(`skipped ${s.path}: ${s.reason}`);
  ctx.out(`${report.imported.length} imported, ${report.skipped.length} skipped`);
}

async function run(argv: readonly string[], ctx: CliContext): Promise<void> {
  const { values, positionals } = parseFlags(argv, {
    patient: { type: 'string' },
    accession: { type: 'string' },
    dest: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
    'outside-id': { type: 'string' },
    'outside-issuer': { type: 'string' },
    'outside-key': { type: 'string' },
    'accept-mismatch': { type: 'boolean' },
  });
  const [root, ...extra] = positionals;
  if (!root || extra.length > 0) throw new CliUsageError('name exactly one disc or folder');
  // A folder, not a whole file system, not the station's own data folder (mediumRootCheck.ts).
  const refusal = await whyNotAMedium(resolve(root), resolveDataFolder());
  if (refusal) throw new CliUsageError(refusal);
  const dryRun = values['dry-run'] === true;
  // Everything given is checked before the medium is read, in a dry run too: a dry run that
  // passes must not hide a mistake the import would stop on.
  if (!dryRun && !values.patient) throw new CliUsageError('--patient P.json is required to import');
  if (!dryRun && !values.dest?.length) throw new CliUsageError('--dest NAME is required to import');
  if (values['outside-issuer'] !== undefined && values['outside-id'] === undefined)
    throw new CliUsageError('--outside-issuer goes with --outside-id');
  if (values['outside-key'] !== undefined && values['outside-id'] !== undefined)
    throw new CliUsageError(
      '--outside-key and --outside-id both name the outside patient: give one',
    );
  const accession = values.accession;
  const badAccession = accession === undefined ? undefined : ShValue.safeParse(accession).error;
  if (badAccession)
    throw new CliUsageError(
      `--accession: an Accession Number is at most 16 characters, ${badAccession.issues[0]?.message ?? 'invalid'}`,
    );
  const patient = values.patient ? await readPatient(values.patient) : undefined;
  // A dry run without --dest needs no configuration: it only reads the medium.
  const loaded = values.dest ? loadConfig({ file: ctx.configPath }) : undefined;
  const known = loaded
    ? resolveDestinations(loaded.config, loaded.dataFolder).map((d) => d.name)
    : [];
  const unknown = (values.dest ?? []).filter((name) => !known.includes(name));
  if (unknown.length > 0)
    throw new CliUsageError(`no destination named ${unknown.join(', ')} in the configuration`);
  if (dryRun || !patient || !values.dest || !loaded)
    return printSurvey(await surveyMedia(root), ctx);
  const outbox = await createOutbox({
    config: loaded.config,
    dataFolder: loaded.dataFolder,
    secrets: fileSecretSource(join(loaded.dataFolder, 'secrets')),
    recover: false,
  });
  const destinations = values.dest;
  const workFolder = join(
    loaded.dataFolder,
    'import',
    new Date().toISOString().replace(/[:.]/g, '-'),
  );
  const report = await importMedia(root, {
    patient,
    accessionNumber: accession,
    outsidePatientId: values['outside-id'],
    outsideIssuer: values['outside-issuer'],
    outsideKey: values['outside-key'],
    acceptMismatch: values['accept-mismatch'],
    modifyingSystem: loaded.config.station.aeTitle,
    workFolder,
    deliver: async (file, part10) =>
      (await outbox.enqueue(file, { destinations, mode: 'move', part10 })).jobId,
  }).finally(async () => {
    await outbox.stop();
    // Every coerced file was moved into the spool (or removed when refused): the run's folder
    // is empty; one left behind means something to look at, so only an empty one goes.
    await rmdir(workFolder).catch(() => undefined);
  });
  printReport(report, ctx);
  if (report.imported.length === 0) throw new Error('nothing was imported');
}

/** `capture-station import …`: see USAGE. */
export const importCommand: CliCommand = {
  name: 'import',
  summary: 'import a patient disc or folder, reconciled to a local patient, into the outbox',
  usage: USAGE,
  run,
};

/**
 * `capture-station import PATH --patient P.json [--accession A] --dest NAME [--dry-run] [--json]`:
 * import a patient disc or folder (IHE Import Reconciliation Workflow). `--dry-run` only reads and
 * groups the medium and lists the files that would be refused; otherwise every instance is coerced
 * to the local patient in P.json into `<dataFolder>/import/<run>` and queued in the outbox for the
 * destinations (moved into the spool), and a closing report lists imported and skipped files.
 * A disc with several outside patients needs `--outside-id` to say whose images these are (and
 * `--outside-issuer` when that ID is on the disc under more than one issuer); a family name,
 * birth date or sex that differs from the local patient's stops the import with both side by side
 * unless `--accept-mismatch` confirms it.
 * Sending is the outbox's job (`queue run`, or the app).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../../core/config/loadConfig';
import { importMedia, surveyMedia, type LocalPatient } from '../../core/media-import';
import type { MediaSummary, ImportReport } from '../../core/media-import';
import { createOutbox } from '../../core/outbox/createOutbox';
import { fileSecretSource } from '../../core/outbox/secrets';
import { resolveDestinations } from '../../core/station/destinations';
import { parseFlags } from '../parseFlags';
import { CliUsageError, type CliCommand, type CliContext } from '../types';

const USAGE =
  'usage: capture-station [--config FILE] [--json] import PATH --patient P.json [--accession A] --dest NAME [--dest NAME]... [--outside-id ID [--outside-issuer ISSUER]] [--accept-mismatch] [--dry-run]';

/** P.json: the local patient, e.g. {"patientId":"123","name":"DOE^JANE","birthDate":"19800101","sex":"F"}. */
const PatientFile = z.object({
  patientId: z.string().min(1).max(64),
  issuerOfPatientId: z.string().max(64).optional(),
  name: z.string().min(1).max(64),
  birthDate: z
    .string()
    .regex(/^(\d{8})?$/, 'birthDate is YYYYMMDD')
    .optional(),
  sex: z.enum(['M', 'F', 'O', '']).optional(),
});

async function readPatient(file: string): Promise<LocalPatient> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new CliUsageError(`--patient ${file}: ${(error as Error).message}`);
  }
  const parsed = PatientFile.safeParse(json);
  if (!parsed.success)
    throw new CliUsageError(`--patient ${file}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

function printSurvey(summary: MediaSummary, ctx: CliContext): void {
  if (ctx.json) {
    ctx.out(JSON.stringify(summary));
    return;
  }
  ctx.out(`${summary.root} (${howRead(summary)})`);
  for (const p of summary.patients) {
    ctx.out(`patient ${p.name} id ${p.patientId} born ${p.birthDate || '?'} sex ${p.sex || '?'}`);
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
    ctx.out(JSON.stringify({ imported, skipped, patients: report.patients.length }));
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
    'accept-mismatch': { type: 'boolean' },
  });
  const [root, ...extra] = positionals;
  if (!root || extra.length > 0) throw new CliUsageError('name exactly one disc or folder');
  if (values['dry-run']) return printSurvey(await surveyMedia(root), ctx);
  if (!values.patient) throw new CliUsageError('--patient P.json is required to import');
  if (!values.dest?.length) throw new CliUsageError('--dest NAME is required to import');
  if (values['outside-issuer'] !== undefined && values['outside-id'] === undefined)
    throw new CliUsageError('--outside-issuer goes with --outside-id');
  const patient = await readPatient(values.patient);
  const loaded = loadConfig({ file: ctx.configPath });
  const known = resolveDestinations(loaded.config, loaded.dataFolder).map((d) => d.name);
  const unknown = values.dest.filter((name) => !known.includes(name));
  if (unknown.length > 0)
    throw new CliUsageError(`no destination named ${unknown.join(', ')} in the configuration`);
  const outbox = await createOutbox({
    config: loaded.config,
    dataFolder: loaded.dataFolder,
    secrets: fileSecretSource(join(loaded.dataFolder, 'secrets')),
    recover: false,
  });
  const destinations = values.dest;
  const report = await importMedia(root, {
    patient,
    accessionNumber: values.accession,
    outsidePatientId: values['outside-id'],
    outsideIssuer: values['outside-issuer'],
    acceptMismatch: values['accept-mismatch'],
    modifyingSystem: loaded.config.station.aeTitle,
    workFolder: join(loaded.dataFolder, 'import', new Date().toISOString().replace(/[:.]/g, '-')),
    deliver: async (file, part10) =>
      (await outbox.enqueue(file, { destinations, mode: 'move', part10 })).jobId,
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

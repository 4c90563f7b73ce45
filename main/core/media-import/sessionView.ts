/**
 * What an import session shows the screen (MediaSession in the contract): paths relative to the
 * medium's root, and each outside patient under a key the contract accepts (at most 200
 * characters). A patient's own key (groupInstances.ts) is JSON of values read from the disc, which
 * can be longer (an ID-less patient with a long name, or values beyond their VR's limit); such a
 * key is shown as a hash of itself, which no JSON key can imitate.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, relative } from 'node:path';
import type { MediaSession } from '../../../preload/features/mediaImport';
import type { FoundPdf } from './findPdfs';
import type { PatientGroup } from './groupInstances';
import type { MediaContents } from './readMedia';
import type { Refusal } from './types';

/** The contract's limit on an outside key (preload/features/mediaImport.ts). */
export const MAX_OUTSIDE_KEY = 200;

/** The key the screen uses for an outside patient: its own, or `sha256:` and its hash. */
export function shownKey(patient: PatientGroup): string {
  if (patient.key.length <= MAX_OUTSIDE_KEY) return patient.key;
  return `sha256:${createHash('sha256').update(patient.key).digest('hex')}`;
}

/** A path as the user should see it: relative to the medium's root when it lies inside. */
export function shownPath(media: MediaContents, path: string): string {
  return isAbsolute(path) ? relative(media.root, path) || path : path;
}

/** The session as the contract shows it. */
export function viewOf(session: {
  readonly id: string;
  readonly media: MediaContents;
  readonly patients: readonly PatientGroup[];
  readonly pdfs: ReadonlyMap<string, FoundPdf>;
}): MediaSession {
  const { media } = session;
  const shown = (r: Refusal) => ({ path: shownPath(media, r.path), reason: r.reason });
  return {
    sessionId: session.id,
    root: media.root,
    ...(media.dicomdir ? { dicomdir: shownPath(media, media.dicomdir) } : {}),
    ...(media.scannedBecause ? { scannedBecause: media.scannedBecause } : {}),
    patients: session.patients.map((p) => ({
      key: shownKey(p),
      patientId: p.patientId,
      issuerOfPatientId: p.issuerOfPatientId,
      name: p.name,
      birthDate: p.birthDate,
      sex: p.sex,
      seen: {
        names: [...p.seen.names],
        birthDates: [...p.seen.birthDates],
        sexes: [...p.seen.sexes],
      },
      studies: p.studies.map((s) => ({
        studyInstanceUid: s.studyInstanceUid,
        date: s.date,
        description: s.description,
        accessionNumber: s.accessionNumber,
        modalities: [...s.modalities],
        seriesCount: s.seriesCount,
        instanceCount: s.instanceCount,
      })),
    })),
    pdfs: [...session.pdfs].map(([id, pdf]) => ({ id, path: pdf.shown, bytes: pdf.bytes })),
    refused: media.refused.map(shown),
    skipped: media.skipped.map(shown),
  };
}

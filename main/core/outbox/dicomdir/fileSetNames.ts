/**
 * File IDs inside the local archive folder. PS3.10 8.2 / PS3.12 (media): each component of a
 * Referenced File ID is 1–8 characters of uppercase A–Z, digits and underscore. Names are derived
 * from the identifying UIDs, so a resend of the same instance lands on the same file (idempotent)
 * and no patient name or ID appears in a path.
 */
import { createHash } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** `prefix` + 7 characters from a hash of `key`: 36^7 ≈ 7.8·10^10 names per level. */
export function componentFor(prefix: 'P' | 'S' | 'E' | 'I', key: string): string {
  const digest = createHash('sha256').update(key).digest();
  let name = prefix;
  for (let i = 0; i < 7; i++) name += ALPHABET[(digest[i] ?? 0) % ALPHABET.length];
  return name;
}

/** PATIENT / STUDY / SERIES / instance components, as in the DICOMDIR's Referenced File ID. */
export function fileIdFor(instance: {
  patientId: string;
  patientName: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
}): string[] {
  return [
    componentFor('P', `${instance.patientId}\u0000${instance.patientName}`),
    componentFor('S', instance.studyInstanceUid),
    componentFor('E', instance.seriesInstanceUid),
    componentFor('I', instance.sopInstanceUid),
  ];
}

export function isValidComponent(component: string): boolean {
  return /^[A-Z0-9_]{1,8}$/.test(component);
}

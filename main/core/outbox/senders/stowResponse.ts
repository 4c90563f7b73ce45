/**
 * Reads a STOW-RS response (PS3.18 10.5.3, Store Instances Response Module): the Failed SOP
 * Sequence (0008,1198) names each refused instance with its Failure Reason (0008,1197); the
 * Referenced SOP Sequence (0008,1199) lists what was stored. Orthanc and most archives answer in
 * DICOM JSON (PS3.18 F.2); XML answers are not parsed and count as "no details".
 */
import type { SendOutcome } from '../senderTypes';
import { isPermanentStoreStatus, storeStatusText } from '../../dimse/storeStatus';

interface JsonElement {
  Value?: unknown[];
}
type JsonDataSet = Record<string, JsonElement | undefined>;

export interface StowVerdicts {
  readonly failed: ReadonlyMap<string, number | undefined>;
  readonly stored: ReadonlySet<string>;
}

export function parseStowResponse(body: Buffer): StowVerdicts | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  const dataSet = (Array.isArray(json) ? json[0] : json) as JsonDataSet | undefined;
  if (!dataSet || typeof dataSet !== 'object') return undefined;
  const failed = new Map<string, number | undefined>();
  for (const item of items(dataSet['00081198'])) {
    const uid = firstString(item['00081155']);
    if (uid) failed.set(uid, firstNumber(item['00081197']));
  }
  const stored = new Set<string>();
  for (const item of items(dataSet['00081199'])) {
    const uid = firstString(item['00081155']);
    if (uid) stored.add(uid);
  }
  return { failed, stored };
}

function items(element: JsonElement | undefined): JsonDataSet[] {
  return (element?.Value ?? []).filter(
    (v): v is JsonDataSet => typeof v === 'object' && v !== null,
  );
}

const firstString = (e: JsonElement | undefined) =>
  typeof e?.Value?.[0] === 'string' ? e.Value[0] : undefined;
const firstNumber = (e: JsonElement | undefined) =>
  typeof e?.Value?.[0] === 'number' ? e.Value[0] : undefined;

/** PS3.18 Table 10.5.3-2 / PS3.4 B.2.3 failure reasons, as outbox outcomes. */
export function outcomeForFailureReason(reason: number | undefined): SendOutcome {
  if (reason === undefined)
    return { kind: 'refused', message: 'refused by the STOW-RS server (no reason given)' };
  const hex = `0x${reason.toString(16).padStart(4, '0')}`;
  // 0x0111, duplicate SOP instance, is refused as over DIMSE (storeStatus.ts): the archive holds
  // an instance with this UID, perhaps not this one, so "stored" would be a guess. A person looks.
  if (isPermanentStoreStatus(reason))
    return {
      kind: 'refused',
      message: `refused by the STOW-RS server: ${storeStatusText(reason)} (failure reason ${hex})`,
      status: reason,
    };
  // 0xA7xx out of resources, 0x0110 processing failure, others: worth trying again.
  return {
    kind: 'retry',
    message: `STOW-RS server failed to store it: failure reason ${hex}`,
    status: reason,
  };
}

/**
 * The outcome for every instance of a request from its HTTP status and body (PS3.18 10.5.3): a
 * 200 says all were stored; a 202 that some were not, so there an instance counts as stored only
 * when the Referenced SOP Sequence lists it. One a 202 names in neither sequence, or a 202 whose
 * body cannot be read, is retried, never assumed stored.
 */
export function outcomesForAnswer(
  status: number,
  body: Buffer,
  uids: readonly string[],
): Map<string, SendOutcome> {
  const out = new Map<string, SendOutcome>();
  const verdicts = parseStowResponse(body);
  const reasonText = httpReason(status, body);
  for (const uid of uids) {
    if (verdicts?.failed.has(uid)) out.set(uid, outcomeForFailureReason(verdicts.failed.get(uid)));
    else if (status === 200 || (status === 202 && verdicts?.stored.has(uid)))
      out.set(uid, { kind: 'stored', message: `stored (HTTP ${status})` });
    else if (status === 202) out.set(uid, { kind: 'retry', message: notConfirmed(verdicts) });
    else if (status === 408 || status === 429 || status >= 500)
      out.set(uid, { kind: 'retry', message: reasonText });
    else out.set(uid, { kind: 'refused', message: reasonText });
  }
  return out;
}

function notConfirmed(verdicts: StowVerdicts | undefined): string {
  const why = verdicts ? 'not in the Referenced SOP Sequence' : 'no DICOM JSON answer to read';
  return `STOW-RS HTTP 202: the server did not confirm it was stored (${why})`;
}

function httpReason(status: number, body: Buffer): string {
  const text = body.toString('utf8', 0, Math.min(body.length, 300)).replace(/\s+/g, ' ').trim();
  const meaning =
    status === 401 || status === 403
      ? 'not authorised: check the destination credentials'
      : status === 415
        ? 'media type not supported by the server'
        : status === 413
          ? 'request too large for the server'
          : status >= 500
            ? 'server error'
            : 'refused';
  return `STOW-RS HTTP ${status} ${meaning}${text ? ` (${text})` : ''}`;
}

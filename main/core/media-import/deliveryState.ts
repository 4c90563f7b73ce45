/**
 * The closing report's view of the outbox (issue 8, item 6): one state per imported file over all
 * of its destinations, and whether the file is finished — sent, committed where the destination
 * asks for storage commitment (PS3.4 J), or stopped for a person's attention.
 */

export interface OutboxDelivery {
  readonly state: string;
  readonly problem?: string;
}

/** Deliveries of one file, by destination name (OutboxStatus items, matched by SOP Instance UID). */
export type FileDeliveries = Readonly<Record<string, OutboxDelivery>>;

export interface FileState {
  /** queued, sending, waiting-to-retry, sent, committed, needs-attention, cancelled. */
  readonly state: string;
  readonly problem?: string;
  readonly finished: boolean;
  readonly sent: boolean;
  readonly committed: boolean;
}

/**
 * Combines a file's deliveries. `commitDestinations` are the destinations that ask for storage
 * commitment: there 'sent' is not finished until 'committed'. A file the outbox does not list
 * (yet) is queued.
 */
export function fileState(
  deliveries: FileDeliveries | undefined,
  commitDestinations: ReadonlySet<string>,
): FileState {
  const entries = Object.entries(deliveries ?? {});
  const queued = { state: 'queued', finished: false, sent: false, committed: false };
  if (entries.length === 0) return queued;
  const attention = entries.find(([, d]) => d.state === 'needs-attention');
  if (attention)
    return {
      state: 'needs-attention',
      ...(attention[1].problem ? { problem: `${attention[0]}: ${attention[1].problem}` } : {}),
      finished: true,
      sent: false,
      committed: false,
    };
  const delivered = (s: string) => s === 'sent' || s === 'committed' || s === 'cancelled';
  const sent = entries.every(([, d]) => delivered(d.state));
  const finished = entries.every(
    ([name, d]) =>
      d.state === 'committed' ||
      d.state === 'cancelled' ||
      (d.state === 'sent' && !commitDestinations.has(name)),
  );
  // Committed only once every destination has the file, so the state never hides one still sending.
  const committed =
    sent &&
    entries.some(([name]) => commitDestinations.has(name)) &&
    entries.every(([name, d]) => !commitDestinations.has(name) || d.state === 'committed');
  const states = new Set(entries.map(([, d]) => d.state));
  const state = committed
    ? 'committed'
    : sent
      ? 'sent'
      : (['sending', 'waiting-to-retry', 'queued'].find((s) => states.has(s)) ?? 'queued');
  const waiting = entries.find(([, d]) => d.state === 'waiting-to-retry' && d.problem);
  return {
    state,
    ...(waiting?.[1].problem ? { problem: `${waiting[0]}: ${waiting[1].problem}` } : {}),
    finished,
    sent,
    committed,
  };
}

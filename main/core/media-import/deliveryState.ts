/**
 * The closing report's view of the outbox (issue 8, item 6): one state per imported file over all
 * of its destinations, and whether the file is finished — sent, committed where the destination
 * asks for storage commitment (PS3.4 J), stopped for a person's attention, or cancelled by a
 * person in the outbox (finished, never sent: the report must not call it delivered).
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

const CANCELLED = 'cancelled';

/**
 * Combines a file's deliveries. `commitDestinations` are the destinations that ask for storage
 * commitment: there 'sent' is not finished until 'committed'. A file the outbox does not list
 * (yet) is queued. A delivery cancelled in the outbox is finished but sends nothing: a file whose
 * every delivery is cancelled is 'cancelled' (neither sent nor committed); one that another
 * destination received is judged by the destinations not cancelled, the cancelled ones named in
 * `problem`.
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
  const live = entries.filter(([, d]) => d.state !== CANCELLED);
  if (live.length === 0) return { state: CANCELLED, finished: true, sent: false, committed: false };
  const cancelledAt = entries.filter(([, d]) => d.state === CANCELLED).map(([name]) => name);
  const sent = live.every(([, d]) => d.state === 'sent' || d.state === 'committed');
  const finished = live.every(
    ([name, d]) => d.state === 'committed' || (d.state === 'sent' && !commitDestinations.has(name)),
  );
  // Committed only once every destination has the file, so the state never hides one still sending.
  const committed =
    sent &&
    live.some(([name]) => commitDestinations.has(name)) &&
    live.every(([name, d]) => !commitDestinations.has(name) || d.state === 'committed');
  const states = new Set(live.map(([, d]) => d.state));
  const state = committed
    ? 'committed'
    : sent
      ? 'sent'
      : (['sending', 'waiting-to-retry', 'queued'].find((s) => states.has(s)) ?? 'queued');
  const waiting = live.find(([, d]) => d.state === 'waiting-to-retry' && d.problem);
  const problem = waiting?.[1].problem
    ? `${waiting[0]}: ${waiting[1].problem}`
    : cancelledAt.length > 0
      ? `cancelled in the outbox for ${cancelledAt.join(', ')}`
      : undefined;
  return { state, ...(problem ? { problem } : {}), finished, sent, committed };
}

/**
 * Associations kept open between calls of sendFiles to one peer, for a moment.
 *
 * The outbox sends an import while it is being admitted, in batches of the 8–20 instances ready
 * at that moment; each batch opened and released its own associations, and the next batch waited
 * for the last release. Measured (2,000 instances of 600 KB to Orthanc, 4 associations): one call
 * 7.7–8.5 s and 2.3–2.7 s of our CPU; batches of 15, 10.4–11.6 s and 5.0–5.2 s.
 *
 * An association is handed out again only to a call asking for presentation contexts it was
 * negotiated with (the same, or fewer), so the peer's acceptance is what it decided then. One
 * idle longer than `idleMs` is released (PS3.8 7.2 A-RELEASE): 1 s by default, far inside the
 * idle timeouts archives apply to their SCPs (Orthanc 30 s, others 10–60 s), so a peer does not
 * close it under our feet. One that ended meanwhile (peer abort, network) is never handed out.
 */
import type { Association } from './Association';
import type { PresentationContextRequest } from './associationTypes';

interface Idle {
  readonly association: Association;
  readonly contexts: ReadonlySet<string>;
  readonly timer: NodeJS.Timeout;
}

export const POOL_IDLE_MS = 1000;

const keyOf = (c: PresentationContextRequest): string =>
  `${c.abstractSyntax}|${c.transferSyntaxes.join('\\')}`;

export class AssociationPool {
  private idle: Idle[] = [];

  constructor(private readonly idleMs = POOL_IDLE_MS) {}

  /**
   * An open idle association negotiated with every one of `contexts`, taken out of the pool.
   * When none is, every idle one is released now rather than after idleMs: the caller is about to
   * open a new association, and peers bound how many they serve at once — Orthanc serves 4 by
   * default (DicomThreadsCount), each idle association holding one of its threads, so the new
   * ones waited a whole idleMs (bench/import: 1 s with nothing sent when its MR and DX series
   * followed the CT series).
   */
  take(contexts: readonly PresentationContextRequest[]): Association | undefined {
    const wanted = contexts.map(keyOf);
    const index = this.idle.findIndex(
      (i) => i.association.isOpen && wanted.every((key) => i.contexts.has(key)),
    );
    if (index < 0) {
      void this.close();
      return undefined;
    }
    const [found] = this.idle.splice(index, 1);
    if (!found) return undefined;
    clearTimeout(found.timer);
    return found.association;
  }

  /** Keeps an open association for the next call; it is released after idleMs unused. */
  give(association: Association, contexts: readonly PresentationContextRequest[]): void {
    if (!association.isOpen) return;
    const timer = setTimeout(() => {
      this.idle = this.idle.filter((i) => i.association !== association);
      void association.release();
    }, this.idleMs);
    timer.unref();
    this.idle.push({ association, contexts: new Set(contexts.map(keyOf)), timer });
  }

  /** Releases every idle association now (the outbox stops). */
  async close(): Promise<void> {
    const closing = this.idle;
    this.idle = [];
    for (const i of closing) clearTimeout(i.timer);
    await Promise.allSettled(closing.map((i) => i.association.release()));
  }
}

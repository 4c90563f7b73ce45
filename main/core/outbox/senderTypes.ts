/**
 * What a destination adapter (DIMSE, STOW-RS, folder) does for the outbox. Adapters never touch
 * job state: they report one outcome per item and the outbox decides what it means.
 */

export interface SendItem {
  readonly jobId: string;
  /** The spooled Part-10 file. */
  readonly path: string;
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly bytes: number;
  /** As read when the file was admitted (JobRecord); absent for older jobs. */
  readonly transferSyntaxUid?: string;
  readonly dataSetOffset?: number;
}

export type SendOutcome =
  /** The peer has it. `committed`: the destination itself is the durable copy (local folder). */
  | { readonly kind: 'stored'; readonly message: string; readonly committed?: boolean }
  /** Worth trying again later (peer down, timeout, out of resources). */
  | { readonly kind: 'retry'; readonly message: string; readonly status?: number }
  /** The peer refused it for good (PS3.4 B.2.3 0xA9xx, 0xCxxx, 0x0122; STOW 4xx): a person must act. */
  | { readonly kind: 'refused'; readonly message: string; readonly status?: number }
  /** Never tried (the batch stopped early): back to the queue, no attempt counted. */
  | { readonly kind: 'not-attempted' };

export interface SendContext {
  readonly signal: AbortSignal;
  /** Called once per item, in completion order. Items never reported count as not attempted. */
  readonly report: (item: SendItem, outcome: SendOutcome) => void;
  /** Bytes of the item handed to the network so far, for the per-item progress bar (optional). */
  readonly progress?: (item: SendItem, bytesSent: number) => void;
  /**
   * Items that became ready since the batch started, at most `max` and only those `accept` takes,
   * now part of this batch (each must be reported like the others; one reported not-attempted is
   * not handed out again in this batch); waits a moment (the outbox's linger) for some before
   * resolving with none. Optional: a sender that never asks simply ends its batch.
   */
  readonly more?: (
    max: number,
    accept?: (item: SendItem) => boolean,
  ) => Promise<readonly SendItem[]>;
  /**
   * The SOP classes and transfer syntaxes of everything ready for this destination when the
   * batch started (as far as the job records know them): what `more` may hand out later, for a
   * sender that negotiates per connection (DIMSE) to propose at once.
   */
  readonly queuedKinds?: readonly ItemKind[];
}

export interface ItemKind {
  readonly sopClassUid: string;
  readonly transferSyntaxUid: string;
}

export type CommitOutcome =
  | { readonly kind: 'committed' }
  | { readonly kind: 'failed'; readonly message: string; readonly status?: number }
  | { readonly kind: 'retry'; readonly message: string };

export interface Sender {
  /** Items handed to one send() call at most. */
  readonly maxBatch: number;
  send(items: readonly SendItem[], context: SendContext): Promise<void>;
  /** Storage commitment (PS3.4 J) for items already sent; absent when the destination cannot. */
  commit?(items: readonly SendItem[]): Promise<Map<string, CommitOutcome>>;
  /** Lets go of what the sender keeps between batches (open associations); the outbox stops. */
  close?(): Promise<void>;
}

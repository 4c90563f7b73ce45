/** How the queue reaches the station: appends chunk `seq` of the recording. */
export type AppendChunk = (seq: number, data: Blob) => Promise<unknown>;

export interface ChunkQueueEvents {
  /** An append failed (the reason), or appends succeed again after a failure (undefined). */
  readonly onProblem: (reason: string | undefined) => void;
  /** More than `maxBacklog` chunks wait unsaved: the recording cannot go on (the last reason). */
  readonly onBacklogFull: (reason: string) => void;
}

/** What Stop found: how many chunks (the recording's last ones) never reached the station. */
export interface FlushOutcome {
  readonly unsaved: number;
  readonly reason?: string;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The chunks of one recording on their way to the station, strictly in order: one append at a
 * time, always the oldest chunk first, so a chunk is never appended after a later one (the station
 * refuses a gap). A failed append does not poison the queue: the chunk stays at the head, the
 * failure is reported at once, and the next chunk that arrives retries it first. Chunks wait in
 * memory meanwhile, up to `maxBacklog`; beyond that `onBacklogFull` says the recording must stop.
 */
export class ChunkQueue {
  private readonly waiting: { seq: number; data: Blob }[] = [];
  private nextSeq = 0;
  private running: Promise<void> | undefined;
  private problem: string | undefined;
  private full = false;

  constructor(
    private readonly append: AppendChunk,
    private readonly events: ChunkQueueEvents,
    private readonly maxBacklog: number,
  ) {}

  /** Queues the recorder's next chunk and sends what waits (a failed chunk first). */
  push(data: Blob): void {
    this.waiting.push({ seq: this.nextSeq++, data });
    if (this.waiting.length > this.maxBacklog && !this.full) {
      this.full = true;
      this.events.onBacklogFull(this.problem ?? 'the station does not answer');
    }
    void this.pump();
  }

  /**
   * Stop: sends what waits, retrying up to `attempts` times `pauseMs` apart. Never rejects; says
   * how many chunks stayed unsaved (the recording's last ones) and why.
   */
  async flush(attempts: number, pauseMs: number): Promise<FlushOutcome> {
    for (let attempt = 1; ; attempt++) {
      await this.pump();
      if (this.waiting.length === 0) return { unsaved: 0 };
      if (attempt >= attempts) break;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
    return { unsaved: this.waiting.length, reason: this.problem ?? 'not saved' };
  }

  private pump(): Promise<void> {
    if (!this.running && this.waiting.length > 0) this.running = this.drain();
    return this.running ?? Promise.resolve();
  }

  private async drain(): Promise<void> {
    try {
      for (let head = this.waiting[0]; head; head = this.waiting[0]) {
        const { seq, data } = head;
        // Through a promise, so a synchronous throw is a failed append like any other.
        await Promise.resolve().then(() => this.append(seq, data));
        this.waiting.shift();
        if (this.problem !== undefined) {
          this.problem = undefined;
          this.events.onProblem(undefined);
        }
      }
    } catch (error) {
      this.problem = message(error);
      this.events.onProblem(this.problem);
    } finally {
      this.running = undefined;
    }
  }
}

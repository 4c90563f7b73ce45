/**
 * Group commit for enqueues: admissions that arrive while a group is being made durable wait and
 * go together in the next group, sharing its flushes (JobStore.admitMany). There is no linger: a
 * lone capture is admitted at once, exactly as before; only callers that overlap (an import with
 * several instances in flight, `queue add` of a folder) are grouped, and the busier the disk, the
 * bigger the groups — the classic write-ahead-log group commit.
 */
import type { Admission } from './admitBatch';

interface Waiting {
  readonly admission: Admission;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** Admits one group; one entry per admission, in order: undefined when durable, else the error. */
export type AdmitGroup = (group: readonly Admission[]) => Promise<(Error | undefined)[]>;

export class GroupAdmitter {
  private waiting: Waiting[] = [];
  private running = 0;
  private scheduled = false;

  /**
   * `maxGroup`: more waiting than this are split over several groups (bounded open files).
   * `groupsInFlight`: groups being made durable at once. One: measured with 500 imported
   * instances and the sender running (bench/import), two groups at once made groups half as big
   * and the import slower (5.0–5.2 s against 4.4 s): more flushes, not more overlap.
   */
  constructor(
    private readonly admitGroup: AdmitGroup,
    private readonly maxGroup = 64,
    private readonly groupsInFlight = 1,
  ) {}

  /** Resolves once this admission is durable; rejects with its own error, nothing saved. */
  admit(admission: Admission): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ admission, resolve, reject });
      this.schedule();
    });
  }

  /** On a microtask, so admissions submitted in the same turn (enqueueMany) form one group. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      while (this.running < this.groupsInFlight && this.waiting.length > 0) {
        const group = this.waiting.splice(0, this.maxGroup);
        this.running++;
        void this.run(group).finally(() => {
          this.running--;
          if (this.waiting.length > 0) this.schedule();
        });
      }
    });
  }

  private async run(group: readonly Waiting[]): Promise<void> {
    let errors: (Error | undefined)[];
    try {
      errors = await this.admitGroup(group.map((w) => w.admission));
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      errors = group.map(() => failure);
    }
    group.forEach((w, i) => {
      const error = errors[i];
      if (error) w.reject(error);
      else w.resolve();
    });
  }
}

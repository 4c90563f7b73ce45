/**
 * The import's per-instance loop with several instances in flight (bench/import: one at a time,
 * each waited on its own durable enqueue; ~60% of an import was fsync latency).
 *
 * Two stages: `prepare` (coerce into the work folder: CPU and reads) runs for at most `inFlight`
 * items at once; `deliver` (the outbox's enqueue) is started as soon as an item is prepared and
 * is not waited for by the worker, so while the outbox makes one group durable, the next group
 * is being coerced and joins it (the outbox's group commit, core/outbox/GroupAdmitter.ts). At
 * most `maxUndelivered` prepared files wait for delivery (bounded work-folder space).
 *
 * Nothing is reported early: `settle` is called once per item, in the items' order, only after
 * its delivery resolved (durable) or it failed; a failed item's target is removed first (no
 * orphan in the work folder). Same outcomes as the sequential loop, in the same order.
 */
import { rm } from 'node:fs/promises';

export interface PipelineOptions {
  /** Items being prepared at once (default 4: 2 cores, coercion is part CPU, part I/O). */
  readonly inFlight?: number;
  /** Prepared files waiting for delivery at most (default 64, the outbox's largest group). */
  readonly maxUndelivered?: number;
}

export type ItemOutcome<V> =
  | { readonly ok: true; readonly value: V; readonly receipt: string }
  | { readonly ok: false; readonly error: Error };

export interface PipelineStages<T, V> {
  /** The work file for item `index` (unique per item). */
  target(item: T, index: number): string;
  /** Writes the item's file at `target`; throws to refuse this item (the others go on). */
  prepare(item: T, target: string): Promise<V>;
  /** Hands the file over (with what prepare made of it); resolves once it is durable elsewhere. */
  deliver(file: string, value: V): Promise<string>;
  /** Called once per item, in the items' order. Must not throw. */
  settle(item: T, outcome: ItemOutcome<V>, index: number): void;
}

const DEFAULT_IN_FLIGHT = 4;
const DEFAULT_MAX_UNDELIVERED = 64;

/** Runs every item through the stages; resolves once every item is settled. Never rejects. */
export async function runImportPipeline<T, V>(
  items: readonly T[],
  stages: PipelineStages<T, V>,
  options: PipelineOptions = {},
): Promise<void> {
  const inFlight = Math.max(1, options.inFlight ?? DEFAULT_IN_FLIGHT);
  // At least inFlight: a worker waiting for room then always has a delivery to wait for.
  const maxUndelivered = Math.max(inFlight, options.maxUndelivered ?? DEFAULT_MAX_UNDELIVERED);
  const outcomes = items.map(() => deferred<ItemOutcome<V>>());
  const undelivered = new Set<Promise<unknown>>();
  let next = 0;

  /** Prepares one item and starts its delivery; resolves once the worker may take the next. */
  const start = async (item: T, index: number): Promise<void> => {
    const outcome = outcomes[index] as Deferred<ItemOutcome<V>>;
    const target = stages.target(item, index);
    let value: V;
    try {
      value = await stages.prepare(item, target);
    } catch (error) {
      outcome.resolve(await failed<V>(target, error));
      return;
    }
    const delivery = stages.deliver(target, value).then(
      (receipt): Promise<ItemOutcome<V>> => Promise.resolve({ ok: true, value, receipt }),
      (error: unknown) => failed<V>(target, error),
    );
    undelivered.add(delivery);
    void delivery.then((result) => {
      undelivered.delete(delivery);
      outcome.resolve(result);
    });
  };

  let preparing = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      // Room first: the prepared files not yet delivered, plus those being prepared.
      while (undelivered.size + preparing >= maxUndelivered) await Promise.race(undelivered);
      const index = next++;
      if (index >= items.length) return;
      preparing++;
      await start(items[index] as T, index).finally(() => preparing--);
    }
  };

  const settling = (async () => {
    for (const [index, item] of items.entries())
      stages.settle(item, await (outcomes[index] as Deferred<ItemOutcome<V>>).promise, index);
  })();
  await Promise.all(Array.from({ length: Math.min(inFlight, items.length) }, worker));
  await settling;
}

interface Deferred<R> {
  readonly promise: Promise<R>;
  readonly resolve: (value: R) => void;
}

function deferred<R>(): Deferred<R> {
  let resolve!: (value: R) => void;
  const promise = new Promise<R>((r) => (resolve = r));
  return { promise, resolve };
}

async function failed<V>(target: string, error: unknown): Promise<ItemOutcome<V>> {
  await rm(target, { force: true }); // not delivered: leave no orphan in the work folder
  return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
}

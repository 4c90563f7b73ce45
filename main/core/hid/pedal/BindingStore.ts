/**
 * Pedal bindings persisted as JSON in one file (the data folder's choice, given by the caller).
 * Written with writeFileDurably (temp + fsync + rename + folder fsync): a crash leaves the old
 * bindings or the new ones, never half a file. One binding per button; binding again replaces it.
 *
 * File shape (version 1):
 * { "version": 1, "bindings": [ { "button": { "kind": "hid", "vendorId": 1523, "productId": 255,
 *   "byteIndex": 0, "mask": 1 }, "action": "still" }, { "button": { "kind": "key", "code": "F14" },
 *   "action": "marker" } ] }
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { writeFileDurably } from '../../fs/durableFiles';
import { PEDAL_ACTIONS, buttonKey, type PedalBinding, type PedalButton } from './buttons';

export const BINDINGS_FILE_VERSION = 1;

const id16 = z.number().int().min(0).max(0xffff);
const buttonSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('hid'),
    vendorId: id16,
    productId: id16,
    byteIndex: z.number().int().min(0).max(4095),
    mask: z.number().int().min(1).max(0xff),
  }),
  z.object({ kind: z.literal('key'), code: z.string().min(1).max(64) }),
]);
const fileSchema = z.object({
  version: z.literal(BINDINGS_FILE_VERSION),
  bindings: z.array(z.object({ button: buttonSchema, action: z.enum(PEDAL_ACTIONS) })),
});

/** The bindings file exists but cannot be used; it is left untouched for a person to look at. */
export class BindingFileError extends Error {
  override readonly name = 'BindingFileError';
  constructor(
    readonly file: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Pedal bindings ${file}: ${reason}`, options);
  }
}

export class BindingStore {
  private bindings: PedalBinding[] = [];
  /** Saves run one after another, each from the result of the last, so two quick binds both stick. */
  private saving: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  /** Reads the file; a missing file means no bindings. Rejects with BindingFileError on bad JSON or shape. */
  async load(): Promise<readonly PedalBinding[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return (this.bindings = []);
      throw new BindingFileError(this.file, 'unreadable', { cause: error });
    }
    this.bindings = parseBindings(this.file, text);
    return this.bindings;
  }

  list(): readonly PedalBinding[] {
    return this.bindings;
  }

  actionFor(button: PedalButton): PedalBinding['action'] | undefined {
    const key = buttonKey(button);
    return this.bindings.find((binding) => buttonKey(binding.button) === key)?.action;
  }

  /** Binds (or rebinds) a button and saves; in memory only once the file is durable. Rejects if the write fails. */
  bind(binding: PedalBinding): Promise<void> {
    const key = buttonKey(binding.button);
    return this.update((current) => [
      ...current.filter((existing) => buttonKey(existing.button) !== key),
      binding,
    ]);
  }

  unbind(button: PedalButton): Promise<void> {
    const key = buttonKey(button);
    return this.update((current) =>
      current.filter((existing) => buttonKey(existing.button) !== key),
    );
  }

  private update(change: (current: PedalBinding[]) => PedalBinding[]): Promise<void> {
    const run = this.saving.then(async () => {
      const next = change(this.bindings);
      const body = { version: BINDINGS_FILE_VERSION, bindings: next };
      await mkdir(dirname(this.file), { recursive: true });
      await writeFileDurably(this.file, `${JSON.stringify(body, null, 2)}\n`);
      this.bindings = next;
    });
    this.saving = run.catch(() => undefined); // a failed save does not block the next one
    return run;
  }
}

function parseBindings(file: string, text: string): PedalBinding[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BindingFileError(file, 'not valid JSON', { cause: error });
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    throw new BindingFileError(file, `unexpected content: ${parsed.error.message}`, {
      cause: parsed.error,
    });
  }
  return parsed.data.bindings;
}

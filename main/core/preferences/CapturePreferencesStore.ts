/**
 * This station's camera choice (issue 6, item 1), one small JSON file in the data folder:
 * `<data folder>/preferences/capture.json`. Written with writeFileDurably (temp file + fsync +
 * rename + folder fsync): a crash leaves the old choice or the new one, never half a file.
 *
 * File shape (version 1):
 * { "version": 1, "source": { "deviceId": "…", "label": "HD USB Camera (046d:0825)" },
 *   "format": { "width": 1920, "height": 1080, "frameRate": 30 } }
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { CapturePreferences } from '../../../preload/features/sources';
import { writeFileDurably } from '../fs/durableFiles';

export const CAPTURE_PREFERENCES_VERSION = 1;

const fileSchema = CapturePreferences.extend({
  version: z.literal(CAPTURE_PREFERENCES_VERSION),
}).strict();

/** Where a station keeps its camera choice. */
export function capturePreferencesFile(dataFolder: string): string {
  return join(dataFolder, 'preferences', 'capture.json');
}

/** What loading found: the preferences, and why the file was not used when it was not. */
export interface LoadedPreferences {
  readonly preferences: CapturePreferences;
  /** Set when the file exists but cannot be used: names the file and the reason. */
  readonly problem?: string;
}

export interface CapturePreferencesStoreOptions {
  /** Replaces a file atomically and durably; injected so tests can make it fail. */
  readonly write?: (path: string, data: string) => Promise<void>;
}

export class CapturePreferencesStore {
  private current: CapturePreferences = {};
  private loaded: Promise<LoadedPreferences> | undefined;
  /** Saves run one after another, so the file always ends with the last choice made. */
  private saving: Promise<unknown> = Promise.resolve();
  private readonly write: (path: string, data: string) => Promise<void>;

  constructor(
    readonly file: string,
    options: CapturePreferencesStoreOptions = {},
  ) {
    this.write = options.write ?? writeFileDurably;
  }

  /**
   * Reads the file once. A missing file means no choice yet (`{}`). A file that is unreadable,
   * not JSON, or not the expected shape is not used: the result is `{}` with `problem` naming the
   * file and the reason (the camera still starts on the defaults; the next choice replaces it).
   */
  load(): Promise<LoadedPreferences> {
    this.loaded ??= readPreferences(this.file).then((result) => {
      this.current = result.preferences;
      return result;
    });
    return this.loaded;
  }

  /** The preferences in force (after load()). */
  get(): CapturePreferences {
    return this.current;
  }

  /**
   * Validates and replaces the preferences; resolves once they are durable on disk. Rejects with
   * an Error naming the field and the reason for bad input, or with the file system's error when
   * the write fails — then the previous preferences stay in force and on disk.
   */
  set(input: unknown): Promise<CapturePreferences> {
    const parsed = CapturePreferences.safeParse(input);
    if (!parsed.success) return Promise.reject(new Error(describeIssue(parsed.error)));
    const next = parsed.data;
    const run = this.saving.then(async () => {
      await this.load();
      const body = { version: CAPTURE_PREFERENCES_VERSION, ...next };
      await mkdir(dirname(this.file), { recursive: true });
      await this.write(this.file, `${JSON.stringify(body, null, 2)}\n`);
      this.current = next;
      return next;
    });
    this.saving = run.catch(() => undefined); // a failed save does not block the next one
    return run;
  }
}

async function readPreferences(file: string): Promise<LoadedPreferences> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return { preferences: {} };
    const reason = (error as Error).message;
    return { preferences: {}, problem: `${file}: cannot be read (${reason}); using defaults` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { preferences: {}, problem: `${file}: not valid JSON; using defaults` };
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    return { preferences: {}, problem: `${file}: ${describeIssue(parsed.error)}; using defaults` };
  }
  const { source, format } = parsed.data;
  return { preferences: { ...(source ? { source } : {}), ...(format ? { format } : {}) } };
}

/** The first issue as `field "a.b": reason`, the form config.json errors use. */
function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const field = issue.path.length > 0 ? `field "${issue.path.join('.')}"` : 'value';
  return `${field}: ${issue.message}`;
}

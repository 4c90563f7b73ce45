import { z } from 'zod';

/**
 * The station's configuration file (`config.json` in the data folder). IT staff write it by hand,
 * so its shape is stable and documented in the README; unknown keys are refused so a typo is
 * reported instead of silently ignored.
 */

/** PS3.5 6.2: AE is 1–16 characters of the default repertoire, no backslash or control chars. */
export const AeTitle = z
  .string()
  .trim()
  .min(1)
  .max(16)
  .regex(
    /^[\x20-\x5b\x5d-\x7e]+$/,
    'an AE title uses plain ASCII letters, digits and symbols, no backslash',
  );

const Port = z.number().int().min(1).max(65535);

export const Department = z.enum(['endoscopy', 'dermatology', 'woundcare', 'general']);
export type Department = z.infer<typeof Department>;

const TlsOptions = z
  .object({
    caFile: z.string().min(1).optional(),
    certFile: z.string().min(1).optional(),
    keyFile: z.string().min(1).optional(),
  })
  .strict();

export const DimseDestination = z
  .object({
    type: z.literal('dimse'),
    host: z.string().min(1),
    port: Port,
    calledAeTitle: AeTitle,
    callingAeTitle: AeTitle.optional(),
    commit: z.boolean().default(false),
    tls: TlsOptions.optional(),
  })
  .strict();

export const StowRsDestination = z
  .object({
    type: z.literal('stowrs'),
    url: z.url({ protocol: /^https?$/ }),
    caFile: z.string().min(1).optional(),
  })
  .strict();

export const FolderDestination = z
  .object({ type: z.literal('folder'), path: z.string().min(1) })
  .strict();

export const Destination = z.discriminatedUnion('type', [
  DimseDestination,
  StowRsDestination,
  FolderDestination,
]);
export type Destination = z.infer<typeof Destination>;

export const WorklistSource = z
  .object({
    host: z.string().min(1),
    port: Port,
    calledAeTitle: AeTitle,
    callingAeTitle: AeTitle.optional(),
    tls: TlsOptions.optional(),
  })
  .strict();
export type WorklistSource = z.infer<typeof WorklistSource>;

/** Keyboard-wedge wristband scanners: a fast burst of keys ending in Enter (issue 5). */
export const ScannerConfig = z
  .object({
    /** Characters the scanner adds before and after the ID, stripped before matching. */
    prefix: z.string().max(8).default(''),
    suffix: z.string().max(8).default(''),
    /** A scanned ID must match this regular expression (whole string) to count as a Patient ID. */
    idPattern: z
      .string()
      .max(200)
      .default('^[A-Za-z0-9._/-]{3,64}$')
      .refine((p) => {
        try {
          new RegExp(p);
          return true;
        } catch {
          return false;
        }
      }, 'a valid regular expression'),
    /** Longest gap between two keystrokes of one scan; people type slower than this. */
    maxKeyIntervalMs: z.number().int().min(5).max(200).default(35),
  })
  .strict();
export type ScannerConfig = z.infer<typeof ScannerConfig>;

export const StationConfig = z
  .object({
    station: z
      .object({
        aeTitle: AeTitle.default('CAPTURE1'),
        name: z.string().trim().min(1).max(64).default('Capture Station'),
        institution: z.string().trim().max(64).default(''),
        department: Department.default('general'),
      })
      .strict()
      .prefault({}),
    scanner: ScannerConfig.prefault({}),
    /** Absent: the demo worklist from resources/, labelled DEMO in the UI. */
    worklist: WorklistSource.optional(),
    /** Empty: one local archive folder under the data folder, labelled DEMO in the UI. */
    destinations: z
      .record(
        z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,32}$/, 'a destination name uses letters, digits, - and _'),
        Destination,
      )
      .default({}),
  })
  .strict();

export type StationConfig = z.infer<typeof StationConfig>;

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

const DestinationNames = z.array(z.string().regex(/^[A-Za-z0-9_-]{1,32}$/)).min(1);

/** Where each kind of capture goes, per department (issue 7, item 2). */
export const RoutingRule = z
  .object({
    still: DestinationNames.optional(),
    video: DestinationNames.optional(),
    document: DestinationNames.optional(),
    /** Kinds not listed above. */
    other: DestinationNames.optional(),
  })
  .strict();
export type RoutingRule = z.infer<typeof RoutingRule>;

export const OutboxSettings = z
  .object({
    /** Days a finished item's spooled copy is kept after it is committed (or sent, where no commitment). */
    retentionDays: z.number().int().min(0).max(3650).default(7),
    /** The free-space guard: refuse new captures when less than this would remain free. */
    minFreeMegabytes: z.number().int().min(0).default(1024),
    retry: z
      .object({
        baseDelaySeconds: z.number().min(0.1).max(3600).default(2),
        maxDelaySeconds: z.number().min(1).max(86_400).default(300),
        maxAttempts: z.number().int().min(1).max(100_000).default(200),
      })
      .strict()
      .prefault({}),
    /** Per department; departments not listed send everything to every destination. */
    routing: z.partialRecord(Department, RoutingRule).default({}),
  })
  .strict()
  .prefault({});
export type OutboxSettings = z.infer<typeof OutboxSettings>;

/**
 * A secret is named, never written in the configuration (issue 7, item 7): the app resolves the
 * name through Electron safeStorage, the CLI from a 0600 file in `<dataFolder>/secrets/`.
 */
export const SecretName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a secret name, not the secret');

/** STOW-RS authentication (added to the `stowrs` destination as `auth`). */
export const StowAuth = z.discriminatedUnion('type', [
  z
    .object({ type: z.literal('basic'), username: z.string().min(1), passwordSecret: SecretName })
    .strict(),
  z.object({ type: z.literal('bearer'), tokenSecret: SecretName }).strict(),
  z
    .object({
      type: z.literal('oauth2'),
      tokenUrl: z.url({ protocol: /^https?$/ }),
      clientId: z.string().min(1),
      clientSecretSecret: SecretName,
      scope: z.string().optional(),
    })
    .strict(),
]);
export type StowAuth = z.infer<typeof StowAuth>;

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
    /** Associations in parallel for this destination (default 4). */
    concurrency: z.number().int().min(1).max(8).optional(),
  })
  .strict();

export const StowRsDestination = z
  .object({
    type: z.literal('stowrs'),
    url: z.url({ protocol: /^https?$/ }),
    caFile: z.string().min(1).optional(),
    auth: StowAuth.optional(),
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
        /** Port of the station's own SCP, where archives send storage-commitment reports. */
        scpPort: Port.optional(),
      })
      .strict()
      .prefault({}),
    scanner: ScannerConfig.prefault({}),
    outbox: OutboxSettings,
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

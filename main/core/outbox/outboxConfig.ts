/**
 * Configuration the outbox needs beyond today's schema.ts. Kept here (zod) until merged into
 * StationConfig as the `outbox` block and the extra destination fields; see the report of issue 7.
 */
import { z } from 'zod';
import { Department } from '../config/schema';

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

/** Reads the `outbox` block when the configuration has one (after the schema merge), else defaults. */
export function outboxSettingsOf(config: object): OutboxSettings {
  const block = (config as { outbox?: unknown }).outbox;
  return OutboxSettings.parse(block ?? {});
}

/** Fields the outbox reads from a `dimse` destination once schema.ts has them. */
export const DimseDestinationExtras = z.object({
  /** Associations in parallel for this destination (default 4). */
  concurrency: z.number().int().min(1).max(8).optional(),
});

/** Fields the outbox reads from a `stowrs` destination once schema.ts has them. */
export const StowDestinationExtras = z.object({ auth: StowAuth.optional() });

/** The station's own listening port for storage-commitment reports (`station.scpPort`). */
export const StationExtras = z.object({
  scpPort: z.number().int().min(1).max(65535).optional(),
});

/**
 * Reads `schema` from a configuration block that may not carry the fields yet (before the merge
 * into schema.ts, StationConfig strips nothing but refuses unknown keys, so they are simply
 * absent). Throws ZodError naming the field when present but wrong.
 */
export function extrasOf<T extends z.ZodType>(schema: T, block: object): z.infer<T> {
  return schema.parse(block);
}

/**
 * The outbox's configuration: defined in config/schema.ts (the one place IT's file is described)
 * and re-exported here for the outbox's own modules.
 */
import type { z } from 'zod';
import { OutboxSettings } from '../config/schema';

export { OutboxSettings, RoutingRule, SecretName, StowAuth } from '../config/schema';

/** The `outbox` block of a configuration, defaults filled in. */
export function outboxSettingsOf(config: { outbox?: unknown }): z.infer<typeof OutboxSettings> {
  return OutboxSettings.parse(config.outbox ?? {});
}

/**
 * The outbox (issue 7): what the app's capture flow, the IPC handlers and the CLI use.
 *
 *   const outbox = await createOutbox({ config, dataFolder, recover: true, committer, secrets });
 *   outbox.start();                                   // the process holding acquireSpoolLock()
 *   const receipt = await outbox.enqueue(file);       // resolves once durable: say "saved"
 *   outbox.subscribe(() => render(outbox.snapshot()));
 */
export { Outbox, type ControlTarget, type EnqueueOptions, type EnqueueReceipt } from './Outbox';
export {
  createOutbox,
  spoolFolderOf,
  SPOOL_FOLDER_NAME,
  type CreateOutboxOptions,
} from './createOutbox';
export type { OutboxEvent, OutboxListener } from './JobBook';
export type { DestinationStatus, ItemStatus, OutboxSnapshot, StateCounts } from './statusSnapshot';
export { DELIVERY_STATES, type DeliveryState, type JobRecord } from './jobTypes';
export { OutboxError, OutboxFullError, SpoolLockedError, UnknownDestinationError } from './errors';
export { acquireSpoolLock, type SpoolLock } from './spoolLock';
export {
  OutboxSettings,
  StowAuth,
  RoutingRule,
  SecretName,
  outboxSettingsOf,
} from './outboxConfig';
export { fileSecretSource, type SecretSource } from './secrets';
export { dimseCommitter } from './senders/dimseCommitter';
export type { Committer, CommitResult } from './senders/dimseSender';
export type { JobStore } from './JobStore';
export { FileJobStore } from './JobStore';

/**
 * The local archive folder destination: a durable copy in a DICOM File-set with its DICOMDIR.
 * A copy on the station's own disk, fsynced, is as committed as it gets, so items go straight to
 * 'committed'.
 */
import type { Logger } from '../../log/Logger';
import { LocalFileSet } from '../dicomdir/LocalFileSet';
import type { SendContext, SendItem, Sender } from '../senderTypes';

/** Disk conditions that may clear by themselves (space freed, drive remounted). */
const TRANSIENT_CODES = new Set([
  'ENOSPC',
  'EDQUOT',
  'EIO',
  'EBUSY',
  'ENOENT',
  'EAGAIN',
  'EMFILE',
  'ENFILE',
]);

export function folderSender(options: { root: string; logger?: Logger }): Sender {
  const fileSet = new LocalFileSet(options.root, options.logger);
  return {
    maxBatch: 16,
    async send(items: readonly SendItem[], context: SendContext) {
      for (const item of items) {
        if (context.signal.aborted) return;
        try {
          await fileSet.add(item.path);
          context.report(item, {
            kind: 'stored',
            message: 'copied to the local archive',
            committed: true,
          });
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          const message = `not copied to ${options.root}: ${error instanceof Error ? error.message : String(error)}`;
          const transient = code === undefined ? false : TRANSIENT_CODES.has(code);
          context.report(item, { kind: transient ? 'retry' : 'refused', message });
        }
      }
    },
  };
}

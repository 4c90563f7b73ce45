/**
 * The outbox's storage commitment step on core/dimse: one N-ACTION per batch of sent instances,
 * the N-EVENT-REPORT taken on the same association or through the station's SCP (PS3.4 J.3).
 */
import { commitStorage } from '../../dimse/commitStorage';
import type { StationScp } from '../../dimse/StationScp';
import type { CommitResult, Committer } from './dimseSender';

/** PS3.3 C.14.1.1 Failure Reason values, in words. */
export function commitmentFailureText(reason: number | undefined): string {
  switch (reason) {
    case undefined:
      return 'the archive did not commit it (no reason given)';
    case 0x0110:
      return 'processing failure at the archive';
    case 0x0112:
      return 'the archive has no such instance (send it again)';
    case 0x0119:
      return 'SOP class and instance do not match at the archive';
    case 0x0122:
      return 'SOP class not supported by the archive';
    case 0x0213:
      return 'resource limitation at the archive';
    default:
      return `failure reason 0x${reason.toString(16).padStart(4, '0')}`;
  }
}

export function dimseCommitter(options: { scp?: StationScp; reportTimeoutMs?: number }): Committer {
  return async (peer, instances) => {
    const report = await commitStorage({
      peer,
      references: instances.map(({ sopClassUid, sopInstanceUid }) => ({
        sopClassUid,
        sopInstanceUid,
      })),
      scp: options.scp,
      reportTimeoutMs: options.reportTimeoutMs,
    });
    return report.results.map((result): CommitResult =>
      result.committed
        ? { sopInstanceUid: result.sopInstanceUid, committed: true }
        : {
            sopInstanceUid: result.sopInstanceUid,
            committed: false,
            failureReason: result.failureReason,
            message: commitmentFailureText(result.failureReason),
          },
    );
  };
}

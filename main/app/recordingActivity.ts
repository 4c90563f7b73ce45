/**
 * What the window would lose if it closed now, as far as recordings go: the core's review and
 * outbox counts do not see a recording that is open or being finished, so the Electron shell
 * watches the contract calls that open and finish them.
 */
import type { Handlers } from '../core/rpc/dispatch';

export interface RecordingActivity {
  /** Opened (startRecording answered) and not yet handed to finishRecording. */
  readonly recording: number;
  /** finishRecording called and not yet answered (the video is being finalised). */
  readonly finalising: number;
}

/**
 * Returns handlers that behave exactly like `handlers` and count open and finishing recordings.
 * A recording whose finish fails is no longer counted (review and the log say why).
 */
export function trackRecordings(handlers: Handlers): {
  handlers: Handlers;
  activity: () => RecordingActivity;
} {
  const open = new Set<string>();
  let finalising = 0;
  const tracked: Handlers = {
    ...handlers,
    startRecording: async (start) => {
      const started = await handlers.startRecording(start);
      open.add(started.recordingId);
      return started;
    },
    finishRecording: async (ref) => {
      open.delete(ref.recordingId);
      finalising += 1;
      try {
        return await handlers.finishRecording(ref);
      } finally {
        finalising -= 1;
      }
    },
  };
  return { handlers: tracked, activity: () => ({ recording: open.size, finalising }) };
}

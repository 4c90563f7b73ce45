import { describe, expect, it } from 'vitest';
import { trackRecordings } from '../../../main/app/recordingActivity';
import type { Handlers } from '../../../main/core/rpc/dispatch';

describe('recordings the close warning must count', () => {
  it('counts a recording from its start until finishRecording answers, failed or not', async () => {
    let finish: (() => void) | undefined;
    const core = {
      startRecording: () => Promise.resolve({ recordingId: 'r1' }),
      finishRecording: () =>
        new Promise((resolve, reject) => {
          finish = () => reject(new Error('the recording is empty'));
        }),
    } as unknown as Handlers;
    const { handlers, activity } = trackRecordings(core);
    expect(activity()).toEqual({ recording: 0, finalising: 0 });
    await handlers.startRecording({} as never);
    expect(activity()).toEqual({ recording: 1, finalising: 0 });
    const finishing = handlers.finishRecording({ recordingId: 'r1' });
    expect(activity()).toEqual({ recording: 0, finalising: 1 });
    finish?.();
    await expect(finishing).rejects.toThrow('the recording is empty');
    expect(activity()).toEqual({ recording: 0, finalising: 0 });
  });
});

import { describe, expect, it, vi } from 'vitest';
import { closeWarning, warnBeforeClosingWithUnsent } from '../../../main/app/lifecycle';

function fakeWindow() {
  let onClose: ((event: { preventDefault(): void }) => void) | undefined;
  const window = {
    closed: 0,
    on: (_event: 'close', listener: (event: { preventDefault(): void }) => void) =>
      (onClose = listener),
    close: () => {
      window.closed += 1;
      const event = { prevented: false, preventDefault: () => (event.prevented = true) };
      onClose?.(event);
      return event;
    },
  };
  return window;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('closing the window with unsent images', () => {
  it('asks first, and keeps the window open when the person says so', async () => {
    const window = fakeWindow();
    const asked: unknown[] = [];
    const dialog = {
      showMessageBox: vi.fn((options: unknown) => {
        asked.push(options);
        return Promise.resolve({ response: 1 });
      }),
    };
    warnBeforeClosingWithUnsent(window, () => Promise.resolve({ unsent: 3, inReview: 0 }), dialog);
    const first = window.close();
    await settle();
    expect(first.prevented).toBe(true);
    expect(dialog.showMessageBox).toHaveBeenCalledOnce();
    expect(asked[0]).toMatchObject({ message: '3 capture(s) have not reached the archive yet.' });
    expect(JSON.stringify(asked[0])).toContain('will go on sending the next time');
    expect(window.closed).toBe(1);
  });

  it('closes when the person confirms, and without asking when nothing is unsent', async () => {
    const confirming = fakeWindow();
    warnBeforeClosingWithUnsent(confirming, () => Promise.resolve({ unsent: 2, inReview: 0 }), {
      showMessageBox: () => Promise.resolve({ response: 0 }),
    });
    confirming.close();
    await settle();
    expect(confirming.closed).toBe(2);

    const empty = fakeWindow();
    const dialog = { showMessageBox: vi.fn(() => Promise.resolve({ response: 1 })) };
    warnBeforeClosingWithUnsent(empty, () => Promise.resolve({ unsent: 0, inReview: 0 }), dialog);
    empty.close();
    await settle();
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
    expect(empty.closed).toBe(2);
  });

  it('tells captures in review (sent only on Send) from the outbox (sent by itself)', () => {
    const both = closeWarning({ unsent: 2, inReview: 3 });
    expect(both?.message).toBe('5 capture(s) have not reached the archive yet.');
    expect(both?.detail).toContain('3 capture(s) are waiting in review');
    expect(both?.detail).toContain('sent only when you press Send');
    expect(both?.detail).toContain('2 image(s) in the outbox will go on sending');
    const reviewOnly = closeWarning({ unsent: 0, inReview: 1 });
    expect(reviewOnly?.detail).not.toContain('go on sending');
    expect(closeWarning({ unsent: 0, inReview: 0 })).toBeUndefined();
  });

  it('asks when only review holds captures', async () => {
    const window = fakeWindow();
    const dialog = { showMessageBox: vi.fn(() => Promise.resolve({ response: 1 })) };
    warnBeforeClosingWithUnsent(window, () => Promise.resolve({ unsent: 0, inReview: 4 }), dialog);
    const first = window.close();
    await settle();
    expect(first.prevented).toBe(true);
    expect(dialog.showMessageBox).toHaveBeenCalledOnce();
  });
});

describe('closing the window while a video is recorded or saved', () => {
  it('warns that the video may be lost, before anything about review or the outbox', () => {
    const recording = closeWarning({ unsent: 0, inReview: 0, recording: 1 });
    expect(recording?.message).toBe('1 video(s) are being recorded: closing now may lose them.');
    expect(recording?.detail).toContain('stop the recording');
    const finalising = closeWarning({ unsent: 2, inReview: 1, finalising: 1 });
    expect(finalising?.message).toBe('1 video(s) are being saved: closing now may lose them.');
    expect(finalising?.detail).toContain('3 other capture(s) are kept');
  });
});

import { describe, expect, it, vi } from 'vitest';
import { warnBeforeClosingWithUnsent } from '../../../main/app/lifecycle';

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
    warnBeforeClosingWithUnsent(window, () => Promise.resolve(3), dialog);
    const first = window.close();
    await settle();
    expect(first.prevented).toBe(true);
    expect(dialog.showMessageBox).toHaveBeenCalledOnce();
    expect(asked[0]).toMatchObject({ message: '3 image(s) have not reached the archive yet.' });
    expect(JSON.stringify(asked[0])).toContain('will go on sending the next time');
    expect(window.closed).toBe(1);
  });

  it('closes when the person confirms, and without asking when nothing is unsent', async () => {
    const confirming = fakeWindow();
    warnBeforeClosingWithUnsent(confirming, () => Promise.resolve(2), {
      showMessageBox: () => Promise.resolve({ response: 0 }),
    });
    confirming.close();
    await settle();
    expect(confirming.closed).toBe(2);

    const empty = fakeWindow();
    const dialog = { showMessageBox: vi.fn(() => Promise.resolve({ response: 1 })) };
    warnBeforeClosingWithUnsent(empty, () => Promise.resolve(0), dialog);
    empty.close();
    await settle();
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
    expect(empty.closed).toBe(2);
  });
});

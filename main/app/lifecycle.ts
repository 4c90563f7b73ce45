/** App lifecycle rules that are easy to get subtly wrong, kept out of main/index.ts to be tested. */
import type { App } from 'electron';
import type { Logger } from '../core/log/Logger';

/**
 * Closes the station (outbox, sockets, log) before the process exits: the first `will-quit` is
 * postponed until `close()` settles, then the quit is resumed. A failing close is logged and does
 * not keep the app alive. Later `will-quit`s pass straight through.
 */
export function closeBeforeQuit(
  app: Pick<App, 'on' | 'quit'>,
  close: () => Promise<void>,
  log: Logger,
): void {
  let state: 'running' | 'closing' | 'closed' = 'running';
  app.on('will-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    close()
      .catch((error: unknown) =>
        log.error('station did not close cleanly', { error: String(error) }),
      )
      .finally(() => {
        state = 'closed';
        app.quit();
      });
  });
}

interface ClosableWindow {
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown;
  close(): void;
}

interface WarningDialog {
  showMessageBox(options: {
    type: 'warning';
    buttons: string[];
    defaultId: number;
    cancelId: number;
    message: string;
    detail: string;
  }): Promise<{ response: number }>;
}

/** What has not reached the archive: spooled in the outbox, held in review, or being recorded. */
export interface PendingCaptures {
  /** In the outbox, not yet delivered everywhere: these go on sending by themselves. */
  readonly unsent: number;
  /** Held in review: these are sent only when someone presses Send. */
  readonly inReview: number;
  /** Videos being recorded now: closing ends them before they reach review. */
  readonly recording?: number;
  /** Videos being finalised (remuxed into review) now: closing interrupts that. */
  readonly finalising?: number;
}

/**
 * Closing the window while captures have not reached the archive asks first (issues 6 and 7).
 * Both kinds are safe on disk, but they differ in what happens next: the outbox goes on sending
 * at the next start, review waits for someone to press Send — the person is told which. With
 * nothing pending, or when the counts cannot be read, the window closes as asked.
 */
export function warnBeforeClosingWithUnsent(
  window: ClosableWindow,
  pending: () => Promise<PendingCaptures>,
  dialog: WarningDialog,
): void {
  let confirmed = false;
  window.on('close', (event) => {
    if (confirmed) return;
    event.preventDefault();
    void pending()
      .catch((): PendingCaptures => ({ unsent: 0, inReview: 0 }))
      .then(async (counts) => {
        const warning = closeWarning(counts);
        if (warning) {
          const { response } = await dialog.showMessageBox({
            type: 'warning',
            buttons: ['Close anyway', 'Keep open'],
            defaultId: 1,
            cancelId: 1,
            ...warning,
          });
          if (response !== 0) return;
        }
        confirmed = true;
        window.close();
      });
  });
}

/** The dialog's message and detail, or undefined when nothing is pending. */
export function closeWarning({
  unsent,
  inReview,
  recording = 0,
  finalising = 0,
}: PendingCaptures): { message: string; detail: string } | undefined {
  const active = recording + finalising;
  if (active > 0) {
    const doing = [
      recording > 0 ? `${recording} video(s) are being recorded` : '',
      finalising > 0 ? `${finalising} video(s) are being saved` : '',
    ];
    return {
      message: `${doing.filter(Boolean).join(' and ')}: closing now may lose them.`,
      detail:
        'Press Keep open, stop the recording and wait for "Video saved" before closing.' +
        (unsent + inReview > 0
          ? ` ${unsent + inReview} other capture(s) are kept either way.`
          : ''),
    };
  }
  const parts: string[] = [];
  if (inReview > 0)
    parts.push(
      `${inReview} capture(s) are waiting in review and are sent only when you press Send.`,
    );
  if (unsent > 0)
    parts.push(
      `${unsent} image(s) in the outbox will go on sending the next time Capture Station starts.`,
    );
  if (parts.length === 0) return undefined;
  return {
    message: `${unsent + inReview} capture(s) have not reached the archive yet.`,
    detail: `They are saved on this computer. ${parts.join(' ')}`,
  };
}

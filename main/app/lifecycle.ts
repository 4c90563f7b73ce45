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

/**
 * Closing the window while images have not reached the archive asks first (issue 7): they are
 * safe on disk and go on sending at the next start, and the person is told so. With nothing
 * unsent, or when the status cannot be read, the window closes as asked.
 */
export function warnBeforeClosingWithUnsent(
  window: ClosableWindow,
  unsentCount: () => Promise<number>,
  dialog: WarningDialog,
): void {
  let confirmed = false;
  window.on('close', (event) => {
    if (confirmed) return;
    event.preventDefault();
    void unsentCount()
      .catch(() => 0)
      .then(async (unsent) => {
        if (unsent > 0) {
          const { response } = await dialog.showMessageBox({
            type: 'warning',
            buttons: ['Close anyway', 'Keep open'],
            defaultId: 1,
            cancelId: 1,
            message: `${unsent} image(s) have not reached the archive yet.`,
            detail:
              'They are saved on this computer and will go on sending the next time Capture Station starts.',
          });
          if (response !== 0) return;
        }
        confirmed = true;
        window.close();
      });
  });
}

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

/**
 * Records what a real device sends, in the replay format, so a pedal or scanner met on site
 * becomes a test fixture: open, collect reports with their time since open, close.
 */
import type { Recording, RecordedReport } from './recordedReports';
import type { HidBackend } from './types';

/**
 * Records `path` for `durationMs` (or until `signal` aborts). Rejects with HidAccessError if the
 * device cannot be opened; a read error ends the recording early and keeps what was read.
 */
export async function recordReports(
  backend: HidBackend,
  path: string,
  durationMs: number,
  signal?: AbortSignal,
): Promise<Recording> {
  const device = await backend.open(path);
  const started = performance.now();
  const reports: RecordedReport[] = [];
  device.on('data', (report) => {
    const atMs = Math.round(performance.now() - started);
    reports.push({ atMs, report: report.toString('hex') });
  });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, durationMs);
    const end = (): void => {
      clearTimeout(timer);
      resolve();
    };
    device.once('error', end);
    signal?.addEventListener('abort', end, { once: true });
  });
  await device.close();
  return {
    description: `recorded from ${path} for ${durationMs} ms`,
    device: device.info,
    reports,
  };
}

/** Notices the station raises before a window listens are kept for the window that opens later. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStation } from '../../../main/core/station/createStation';

describe('getNotices', () => {
  it('returns the warnings and errors raised so far, newest 20, without info', async () => {
    const station = createStation({
      env: { CAPTURE_STATION_HOME: mkdtempSync(join(tmpdir(), 'cs-notices-')) },
    });
    try {
      station.emit('notice', { level: 'info', message: 'not kept' });
      for (let n = 1; n <= 22; n++)
        station.emit('notice', { level: n % 2 ? 'error' : 'warning', message: `notice ${n}` });
      const kept = await station.handlers.getNotices(undefined);
      expect(kept.map((k) => k.message)).toEqual(
        Array.from({ length: 20 }, (_, i) => `notice ${i + 3}`),
      );
    } finally {
      await station.close();
    }
  });
});

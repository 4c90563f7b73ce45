import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startOrthanc, type Orthanc } from '../../services';
import { openStationPage, startE2eStation, type E2eStation } from './browserMode';

export interface ArchiveSession {
  /** Filled in by the suite's beforeAll. */
  orthanc: Orthanc;
  e2e: E2eStation;
  page: Page;
  /** Stops the station and starts it again on the same data folder, with a new page. */
  restart(): Promise<void>;
}

/**
 * For one describe block: a real Orthanc, browser mode with `station` as its station block and
 * that Orthanc as its `pacs` destination, and a page with the camera live. Stopped afterwards.
 */
export function useArchiveSession(
  station: object,
  options: { stillScene?: boolean } = {},
): ArchiveSession {
  const start = async (home?: string) => {
    const { dicomPort, aet } = session.orthanc;
    session.e2e = await startE2eStation({
      ...options,
      ...(home ? { home } : {}),
      config: {
        station,
        destinations: {
          pacs: { type: 'dimse', host: '127.0.0.1', port: dicomPort, calledAeTitle: aet },
        },
      },
    });
    session.page = await openStationPage(session.e2e);
  };
  const session = {
    async restart() {
      const { home } = session.e2e;
      await session.e2e.close();
      await start(home);
    },
  } as ArchiveSession;
  beforeAll(async () => {
    session.orthanc = await startOrthanc();
    await start();
  });
  afterAll(async () => {
    await session.e2e?.close();
    await session.orthanc?.stop({ graceMs: 0 });
  });
  return session;
}

import { join } from 'node:path';
import type { mediaImportMethods } from '../../../../preload/features/mediaImport';
import { stationEquipment } from '../../dicom/equipment';
import {
  FolderListingError,
  listFolders,
  MediaImportService,
  MediaWatcher,
  type FileDeliveries,
  type MountsSource,
} from '../../media-import';
import { StationError, type Handlers } from '../../rpc/dispatch';
import type { StationParts } from '../parts';

/** Tests (and the Electron shell, should it know better) may replace how mounts are listed. */
export interface MediaImportWiring {
  readonly mounts?: MountsSource;
  readonly pollMs?: number;
}

/**
 * Handlers for the methods in preload/features/mediaImport.ts: a MediaWatcher pushing
 * `mediaChanged`, and a MediaImportService whose files go into the station's outbox. A root from
 * the renderer must be a detected medium or an absolute folder (the schema checks the form, the
 * service that it is a folder); everything after that is referred to by session keys.
 */
export function mediaImportHandlers(
  parts: StationParts,
  wiring: MediaImportWiring = {},
): Pick<Handlers, keyof typeof mediaImportMethods> {
  const { config } = parts.loaded;
  const commitDestinations = new Set(
    Object.entries(config.destinations)
      .filter(([, d]) => d.type === 'dimse' && d.commit)
      .map(([name]) => name),
  );
  const service = new MediaImportService({
    workFolder: join(parts.dataFolder, 'import'),
    dataFolder: parts.dataFolder,
    modifyingSystem: config.station.aeTitle,
    equipment: stationEquipment(config.station),
    deliver: (file, part10) => parts.outbox.accept(file, part10),
    announce: (kinds) => parts.outbox.expect(kinds),
    deliveries: async () => {
      const status = await parts.outbox.status();
      return new Map<string, FileDeliveries>(
        status.items.map((item) => [item.sopInstanceUid, item.deliveries]),
      );
    },
    onOutboxChange: (listener) => parts.outbox.onChange(listener),
    commitDestinations,
    onProgress: (progress) => parts.emit('mediaImportProgress', progress),
    onReport: (report) => parts.emit('mediaImportReport', report),
  });
  const watcher = new MediaWatcher({
    ...(wiring.mounts ? { mounts: wiring.mounts } : {}),
    intervalMs: wiring.pollMs ?? 2000,
    onChange: (media) => {
      // First: an import reading a disc that was just taken out stops reading it.
      service.mediaChanged(media);
      parts.emit('mediaChanged', { media: [...media] });
    },
    onError: (error) => parts.log.warn('removable media cannot be watched', { error }),
  });
  const started = watcher.start();
  parts.onClose(() => {
    watcher.stop();
    service.closeAll();
    return Promise.resolve();
  });
  const list = () => ({
    media: [...watcher.current],
    ...(watcher.unavailable ? { unavailable: watcher.unavailable } : {}),
  });

  return {
    listMedia: async () => {
      await started;
      await watcher.poll();
      return list();
    },
    listFolders: async ({ path }) => {
      try {
        const listing = await listFolders(path);
        return { ...listing, folders: [...listing.folders] };
      } catch (error) {
        if (error instanceof FolderListingError) throw new StationError(error.message);
        throw error;
      }
    },
    openMedia: async ({ root }) => {
      try {
        return await service.open(root);
      } catch (error) {
        if (error instanceof StationError) throw error;
        throw new StationError(`${root}: cannot be read (${(error as Error).message})`);
      }
    },
    getStudyThumbnail: async ({ sessionId, studyInstanceUid }) => {
      const thumb = await service.thumbnail(sessionId, studyInstanceUid);
      return thumb.ok ? { jpegBase64: thumb.jpeg.toString('base64') } : { reason: thumb.reason };
    },
    checkReconciliation: ({ sessionId, outsideKey, patient }) =>
      Promise.resolve({ mismatches: service.check(sessionId, outsideKey, patient) }),
    startImport: (request) => Promise.resolve(service.start(request)),
    getImportReport: ({ sessionId }) => service.report(sessionId),
    closeMedia: ({ sessionId }) => Promise.resolve({ closed: service.close(sessionId) }),
  };
}

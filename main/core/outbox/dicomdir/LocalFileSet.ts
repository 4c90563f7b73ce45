/**
 * The local archive folder as a DICOM File-set (PS3.10 8; the embedded default destination of
 * issue 2, item 5): instances under PATIENT/STUDY/SERIES folders and a DICOMDIR that is rewritten
 * (atomically, durably) after every write.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { IMPLEMENTATION_CLASS_UID } from '../../dicom/uids';
import type { Logger } from '../../log/Logger';
import { copyFileDurably, syncFolder, writeFileDurably } from '../../fs/durableFiles';
import { encodeDicomDir } from './encodeDicomDir';
import { fileIdFor, isValidComponent } from './fileSetNames';
import { recordTree, type FileSetEntry } from './fileSetRecords';
import { readInstanceSummary, type InstanceSummary } from './instanceSummary';
import { fileSetUidOf, readDicomDir } from './readDicomDir';

export const DICOMDIR = 'DICOMDIR';
/** PS3.3 F.3.2: File-set ID, CS, at most 16 characters. */
const FILE_SET_ID = 'CAPTURE_STATION';

export class LocalFileSet {
  private entries: FileSetEntry[] | undefined;
  private fileSetUid: string | undefined;

  constructor(
    readonly root: string,
    private readonly logger?: Logger,
  ) {}

  /**
   * Copies a Part-10 file into the file-set (fsync + rename) and rewrites the DICOMDIR. Resolves
   * once both are durable; the same SOP Instance sent again replaces its earlier copy.
   */
  async add(source: string): Promise<FileSetEntry> {
    const instance = await readInstanceSummary(source);
    const fileId = fileIdFor(instance);
    const target = join(this.root, ...fileId);
    await this.makeFolders(fileId.slice(0, -1));
    await copyFileDurably(source, target);
    const entries = await this.load();
    const entry: FileSetEntry = { fileId, instance };
    const index = entries.findIndex((e) => e.instance.sopInstanceUid === instance.sopInstanceUid);
    this.entries =
      index < 0 ? [...entries, entry] : entries.map((e, i) => (i === index ? entry : e));
    await this.writeDicomDir();
    return entry;
  }

  private async makeFolders(components: readonly string[]): Promise<void> {
    let folder = this.root;
    await mkdir(folder, { recursive: true });
    for (const component of components) {
      const parent = folder;
      folder = join(folder, component);
      try {
        await mkdir(folder);
        await syncFolder(parent); // the new folder's entry must survive a power loss too
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  }

  private async load(): Promise<FileSetEntry[]> {
    if (this.entries) return this.entries;
    const bytes = await readFile(join(this.root, DICOMDIR)).catch(() => undefined);
    this.fileSetUid = bytes ? fileSetUidOf(bytes) : undefined;
    const read = bytes ? readDicomDir(bytes) : undefined;
    if (read) {
      this.entries = read;
      return read;
    }
    if (bytes)
      this.logger?.warn('outbox: DICOMDIR not readable, rebuilding it from the files', {
        root: this.root,
      });
    this.entries = await this.scanFiles();
    return this.entries;
  }

  /** Rebuilds the entries from the files in P/S/E/I folders (a lost or foreign DICOMDIR). */
  private async scanFiles(): Promise<FileSetEntry[]> {
    const entries: FileSetEntry[] = [];
    const walk = async (folder: string, depth: number): Promise<void> => {
      const names = await readdir(folder).catch(() => [] as string[]);
      for (const name of names.filter(isValidComponent).sort()) {
        const path = join(folder, name);
        if (depth < 3) await walk(path, depth + 1);
        else if ((await stat(path)).isFile()) {
          const instance: InstanceSummary | undefined = await readInstanceSummary(path).catch(
            () => undefined,
          );
          if (instance) entries.push({ fileId: fileIdFor(instance), instance });
        }
      }
    };
    await walk(this.root, 0);
    return entries;
  }

  private async writeDicomDir(): Promise<void> {
    this.fileSetUid ??= `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString()}`;
    const bytes = encodeDicomDir({
      roots: recordTree(this.entries ?? []),
      fileSetUid: this.fileSetUid,
      fileSetId: FILE_SET_ID,
      implementationClassUid: IMPLEMENTATION_CLASS_UID,
    });
    await writeFileDurably(join(this.root, DICOMDIR), bytes);
  }
}

/**
 * Notices patient discs and USB drives as they are inserted (issue 8, item 1) by polling the
 * mounted file systems — cheap, and it needs no udev, DiskArbitration or WMI binding:
 * - Linux: /proc/self/mounts, media file systems (iso9660, udf, vfat, exfat, ntfs…) mounted under
 *   /media/$USER, /run/media/$USER or /mnt (where udisks and fstab put removable media);
 * - macOS: the folders in /Volumes except the system volume;
 * - Windows: drive letters that are CD-ROM or removable (PowerShell's Win32_LogicalDisk DriveType
 *   5 or 2). Best effort and not tested here: there is no Windows machine in this rig.
 * The mounts source is injectable so tests drive the watcher without real media.
 */
import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, join } from 'node:path';

export interface Mount {
  readonly root: string;
  /** File system type as the OS names it (iso9660, udf, vfat, hfs…). */
  readonly filesystem: string;
  /** Hint from the OS when it knows: optical (CD/DVD) or removable (USB). */
  readonly kind?: 'optical' | 'removable';
}

export interface DetectedMedium {
  readonly root: string;
  readonly label: string;
  readonly kind: 'optical' | 'removable';
  readonly filesystem: string;
}

/** Returns what is mounted now. Throws when mounts cannot be listed at all. */
export type MountsSource = () => Promise<readonly Mount[]>;

const OPTICAL = new Set(['iso9660', 'udf', 'cd9660', 'cdfs']);
const REMOVABLE = new Set(['vfat', 'msdos', 'exfat', 'ntfs', 'ntfs3', 'fuseblk', 'hfs', 'hfsplus']);

/** Undoes the octal escapes of /proc/self/mounts (space is \040, PS: proc(5)). */
function unescapeMount(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(parseInt(octal, 8)),
  );
}

/** Parses /proc/self/mounts text into media mounts under the usual removable-media folders. */
export function parseLinuxMounts(text: string, user: string): Mount[] {
  // /media/$USER (udisks on Debian/Ubuntu), /media/cdrom (fstab), /run/media/$USER (Fedora), /mnt.
  const parents = ['/media/', `/run/media/${user}/`, '/mnt/'];
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    const [, target, type] = line.split(' ');
    if (!target || !type) continue;
    const root = unescapeMount(target);
    const filesystem = type.toLowerCase();
    const kind = OPTICAL.has(filesystem)
      ? 'optical'
      : REMOVABLE.has(filesystem)
        ? 'removable'
        : undefined;
    if (kind && parents.some((p) => root.startsWith(p))) mounts.push({ root, filesystem, kind });
  }
  return mounts;
}

export const linuxMounts: MountsSource = async () =>
  parseLinuxMounts(await readFile('/proc/self/mounts', 'utf8'), userInfo().username);

/** macOS: every volume but the boot volume's alias. */
export const macVolumes: MountsSource = async () => {
  const names = await readdir('/Volumes');
  return names
    .filter((n) => !n.startsWith('.') && n !== 'Macintosh HD')
    .map((n) => ({ root: join('/Volumes', n), filesystem: 'volume' }));
};

/** Windows (untested here): CD-ROM (DriveType 5) and removable (2) drives with media inserted. */
export const windowsDrives: MountsSource = () =>
  new Promise((resolve, reject) => {
    const script =
      'Get-CimInstance Win32_LogicalDisk | Where-Object { $_.DriveType -in 2,5 -and $_.Size } | ' +
      'ForEach-Object { "$($_.DeviceID)|$($_.DriveType)|$($_.FileSystem)" }';
    execFile(
      'powershell.exe',
      ['-NoProfile', '-NonInteractive', '-Command', script],
      { timeout: 10_000, windowsHide: true },
      (error, stdout) => {
        if (error) return reject(new Error(`Win32_LogicalDisk: ${error.message}`));
        resolve(
          stdout
            .split(/\r?\n/)
            .filter(Boolean)
            .map((line) => {
              const [device = '', type = '', filesystem = ''] = line.split('|');
              return {
                root: `${device}\\`,
                filesystem: filesystem.toLowerCase(),
                kind: type === '5' ? ('optical' as const) : ('removable' as const),
              };
            }),
        );
      },
    );
  });

/** The mounts source for this OS. */
export function platformMounts(platform: NodeJS.Platform = process.platform): MountsSource {
  if (platform === 'darwin') return macVolumes;
  if (platform === 'win32') return windowsDrives;
  return linuxMounts;
}

function toMedium(mount: Mount): DetectedMedium {
  const kind = mount.kind ?? (OPTICAL.has(mount.filesystem) ? 'optical' : 'removable');
  return {
    root: mount.root,
    label: basename(mount.root) || mount.root,
    kind,
    filesystem: mount.filesystem,
  };
}

export interface MediaWatcherOptions {
  readonly mounts?: MountsSource;
  readonly intervalMs?: number;
  /** Called with the whole list each time it changes (insert or eject). */
  readonly onChange: (media: readonly DetectedMedium[]) => void;
  /** Called once when listing mounts fails (then again only after it worked in between). */
  readonly onError?: (error: Error) => void;
}

/** Polls the mounts source; `current` is the last list seen. */
export class MediaWatcher {
  private timer: NodeJS.Timeout | undefined;
  private known: readonly DetectedMedium[] = [];
  private failing = false;
  private polling: Promise<void> | undefined;
  private readonly mounts: MountsSource;

  constructor(private readonly options: MediaWatcherOptions) {
    this.mounts = options.mounts ?? platformMounts();
  }

  get current(): readonly DetectedMedium[] {
    return this.known;
  }

  /** The reason media cannot be listed, while that is so. */
  unavailable: string | undefined;

  /** Polls once now, then every `intervalMs` (default 2 s). */
  start(): Promise<void> {
    const first = this.poll();
    this.timer ??= setInterval(() => void this.poll(), this.options.intervalMs ?? 2000);
    this.timer.unref();
    return first;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One look at the mounts; overlapping polls share one listing. */
  poll(): Promise<void> {
    this.polling ??= this.look().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async look(): Promise<void> {
    let media: DetectedMedium[];
    try {
      media = (await this.mounts()).map(toMedium).sort((a, b) => a.root.localeCompare(b.root));
    } catch (error) {
      const reason = error instanceof Error ? error : new Error(String(error));
      this.unavailable = `inserted discs cannot be detected here: ${reason.message}`;
      if (!this.failing) this.options.onError?.(reason);
      this.failing = true;
      return;
    }
    this.failing = false;
    this.unavailable = undefined;
    const key = (list: readonly DetectedMedium[]) =>
      list.map((m) => `${m.root}|${m.filesystem}`).join('\n');
    if (key(media) === key(this.known)) return;
    this.known = media;
    this.options.onChange(media);
  }
}

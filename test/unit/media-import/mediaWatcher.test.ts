/**
 * Finding media (issue 8, item 1): the watcher reports inserted and ejected discs and USB drives
 * from an injected mounts source, and /proc/self/mounts is read for media file systems only.
 */
import { describe, expect, it } from 'vitest';
import {
  MediaWatcher,
  parseLinuxMounts,
  type DetectedMedium,
  type Mount,
} from '../../../main/core/media-import/mediaWatcher';

const PROC_MOUNTS = [
  'sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0',
  '/dev/sda1 / ext4 rw,relatime 0 0',
  '/dev/sr0 /media/nurse/PATIENT\\040CD iso9660 ro,nosuid,nodev,relatime,uid=1000 0 0',
  '/dev/sdb1 /run/media/nurse/USB udf ro 0 0',
  '/dev/sdc1 /media/nurse/STICK vfat rw,nosuid 0 0',
  '/dev/sdd1 /mnt/backup ext4 rw 0 0',
  '/dev/sde1 /srv/dvd iso9660 ro 0 0',
  '/dev/sdf1 /mnt/exchange exfat rw 0 0',
].join('\n');

describe('parseLinuxMounts', () => {
  it('keeps media file systems under /media, /run/media/$USER and /mnt, unescaping names', () => {
    expect(parseLinuxMounts(PROC_MOUNTS, 'nurse')).toEqual([
      { root: '/media/nurse/PATIENT CD', filesystem: 'iso9660', kind: 'optical' },
      { root: '/run/media/nurse/USB', filesystem: 'udf', kind: 'optical' },
      { root: '/media/nurse/STICK', filesystem: 'vfat', kind: 'removable' },
      { root: '/mnt/exchange', filesystem: 'exfat', kind: 'removable' },
    ]);
  });
});

describe('MediaWatcher', () => {
  it('reports an insert and an eject once each, and says when mounts cannot be listed', async () => {
    let mounts: Mount[] | Error = [];
    const changes: (readonly DetectedMedium[])[] = [];
    const errors: string[] = [];
    const watcher = new MediaWatcher({
      mounts: () => (mounts instanceof Error ? Promise.reject(mounts) : Promise.resolve(mounts)),
      onChange: (media) => changes.push(media),
      onError: (error) => errors.push(error.message),
      intervalMs: 60_000,
    });
    await watcher.start();
    expect(changes).toEqual([]); // nothing inserted: nothing to report
    mounts = [{ root: '/media/nurse/CD1', filesystem: 'iso9660' }];
    await watcher.poll();
    await watcher.poll(); // unchanged: no second report
    expect(changes).toEqual([
      [{ root: '/media/nurse/CD1', label: 'CD1', kind: 'optical', filesystem: 'iso9660' }],
    ]);
    mounts = new Error('EACCES /proc/self/mounts');
    await watcher.poll();
    await watcher.poll();
    expect(errors).toEqual(['EACCES /proc/self/mounts']);
    expect(watcher.unavailable).toMatch(/cannot be detected here: EACCES/);
    expect(watcher.current).toHaveLength(1); // the last known list stays while listing fails
    mounts = [];
    await watcher.poll();
    expect(watcher.unavailable).toBeUndefined();
    expect(changes.at(-1)).toEqual([]);
    expect(changes).toHaveLength(2);
    watcher.stop();
  });

  it('polls on its own once started', async () => {
    let calls = 0;
    const watcher = new MediaWatcher({
      mounts: () => {
        calls += 1;
        return Promise.resolve([]);
      },
      onChange: () => undefined,
      intervalMs: 20,
    });
    await watcher.start();
    await new Promise((resolve) => setTimeout(resolve, 120));
    watcher.stop();
    const stoppedAt = calls;
    expect(stoppedAt).toBeGreaterThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(calls).toBe(stoppedAt);
  });
});

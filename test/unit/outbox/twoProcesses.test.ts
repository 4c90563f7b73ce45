import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StationConfig } from '../../../main/core/config/schema';
import { createOutbox, spoolFolderOf } from '../../../main/core/outbox/createOutbox';
import { OutboxSettings } from '../../../main/core/outbox/outboxConfig';
import { spoolSender } from '../../../main/core/outbox/spoolLock';
import { until } from './harness';
import { testUid, writeInstance } from './instanceFixture';

const settings = OutboxSettings.parse({ minFreeMegabytes: 0 });

describe('one sender per spool', () => {
  it('takes the spool lock to send; a second outbox on the same spool only enqueues and follows', async () => {
    const home = await mkdtemp(join(tmpdir(), 'two-'));
    const config = StationConfig.parse({});
    const first = await createOutbox({ config, dataFolder: home, settings, recover: true });
    expect(await spoolSender(spoolFolderOf(home))).toBe(process.pid);
    const second = await createOutbox({ config, dataFolder: home, settings, recover: true });
    second.start(); // the lock is ours already (same process): a real second process would follow
    await second.stop();
    await first.stop();
    expect(await spoolSender(spoolFolderOf(home))).toBeUndefined();
  });

  it('an outbox that may not send still spools captures, and its status follows the sender', async () => {
    const home = await mkdtemp(join(tmpdir(), 'two-'));
    const config = StationConfig.parse({});
    const follower = await createOutbox({ config, dataFolder: home, settings, recover: false });
    follower.start();
    const file = await writeInstance(join(home, 'a.dcm'), { sopInstanceUid: testUid(9) });
    await follower.enqueue(file);
    expect(follower.snapshot().sending).toBe(false);
    expect(follower.snapshot().text).toBe('1 queued');
    const sender = await createOutbox({ config, dataFolder: home, settings, recover: true });
    sender.start();
    await sender.whenSettled();
    await follower.rescan();
    await until(() => follower.snapshot().text === 'all sent', 'follower sees it sent');
    await sender.stop();
    await follower.stop();
  });
});

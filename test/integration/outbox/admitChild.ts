/**
 * For the group-commit kill test: admits every file in IN (move) into the spool SPOOL in batches
 * of BATCH through FileJobStore.admitMany, as an import's groups would, printing "ready" first
 * and then "admitted <name>…" for each batch once it resolved. SIGKILLed at a random moment.
 *
 *   node jiti admitChild.ts SPOOL IN BATCH [journal]
 *
 * With `journal`, the store admits as the spool lock's holder does (admission lines, no job files).
 */
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FileJobStore } from '../../../main/core/outbox/JobStore';
import { newDelivery, type JobRecord } from '../../../main/core/outbox/jobTypes';

const [spool = '', inbox = '', batchSize = '32', mode = 'files'] = process.argv.slice(2);
const store = new FileJobStore(spool, undefined, { admitToJournal: mode === 'journal' });
await store.ensureFolders();
const names = (await readdir(inbox)).sort();
const jobOf = (name: string, i: number): JobRecord => ({
  version: 1,
  id: `${Date.now().toString(36)}-${String(i).padStart(4, '0')}-${randomBytes(3).toString('hex')}`,
  sopClassUid: '1.2.840.10008.5.1.4.1.1.7',
  sopInstanceUid: `1.2.3.${i}`,
  bytes: 0,
  enqueuedAt: new Date().toISOString(),
  sourceName: name,
  deliveries: { pacs: newDelivery(false) },
});
process.stdout.write('ready\n');
for (let i = 0; i < names.length; i += Number(batchSize)) {
  const batch = names.slice(i, i + Number(batchSize));
  const errors = await store.admitMany(
    batch.map((name, k) => ({ job: jobOf(name, i + k), source: join(inbox, name), mode: 'move' })),
  );
  const admitted = batch.filter((_, k) => errors[k] === undefined);
  process.stdout.write(`admitted ${admitted.join(' ')}\n`);
}

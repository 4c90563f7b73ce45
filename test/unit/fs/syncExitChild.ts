/**
 * Child of syncFileSystem.test.ts: syncs the folder it is given once, prints "synced", and must
 * then exit by itself (the sync coprocess may not keep the event loop alive when idle).
 */
import { syncFileSystem } from '../../../main/core/fs/syncFileSystem';

await syncFileSystem(process.argv[2] ?? '.');
console.log('synced');

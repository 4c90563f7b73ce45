/**
 * A `rename` that calls `renameHook.before` first, for tests that check the order in which the
 * outbox names its files (admitBatch imports rename from node:fs/promises). Each test file mocks
 * the module itself — vi.mock is per file — with this factory:
 *
 *   vi.mock('node:fs/promises', async (original) =>
 *     (await import('./renameHook')).withRenameHook(original));
 *
 * and resets the hook after each test (resetRenameHook).
 */
type FsPromises = typeof import('node:fs/promises');

export const renameHook = {
  before: (_from: string, _to: string): void => undefined,
};

export function resetRenameHook(): void {
  renameHook.before = () => undefined;
}

export async function withRenameHook(importOriginal: <T>() => Promise<T>): Promise<FsPromises> {
  const actual = await importOriginal<FsPromises>();
  return {
    ...actual,
    rename: (
      from: Parameters<FsPromises['rename']>[0],
      to: Parameters<FsPromises['rename']>[1],
    ) => {
      renameHook.before(String(from), String(to));
      return actual.rename(from, to);
    },
  };
}

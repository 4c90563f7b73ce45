import { vi } from 'vitest';
import { methodNames } from '../../../preload/contract';
import type { Handlers } from '../../../main/core/rpc/dispatch';

/** A handler for every contract method that fails if called: tests override the ones they use. */
export function unusedHandlers(): Handlers {
  return Object.fromEntries(
    methodNames.map((name) => [
      name,
      vi.fn(() => Promise.reject(new Error(`${name} not used here`))),
    ]),
  ) as unknown as Handlers;
}

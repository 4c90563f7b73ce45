import type { z } from 'zod';
import {
  methods,
  type CallResult,
  type MethodName,
  type MethodOutput,
} from '../../../preload/contract';

/** Core's implementation of every contract method; inputs arrive already validated (parsed). */
export type Handlers = {
  [M in MethodName]: (input: z.output<(typeof methods)[M]['input']>) => Promise<MethodOutput<M>>;
};

/** A failure a handler wants the user to read as is (no stack, no internals). */
export class StationError extends Error {
  override readonly name = 'StationError';
  constructor(
    message: string,
    readonly code: 'failed' | 'unavailable' = 'failed',
  ) {
    super(message);
  }
}

function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

/**
 * The one gate between a transport (Electron IPC, WebSocket) and core: checks the method exists,
 * validates the payload against the contract before any handler sees it, and turns every outcome
 * into a CallResult. Never throws.
 */
export async function dispatch(
  handlers: Handlers,
  method: string,
  payload: unknown,
  onUnexpected: (method: string, error: unknown) => void = () => {},
): Promise<CallResult<unknown>> {
  if (!isMethodName(method)) {
    return { ok: false, error: { code: 'unknown-method', message: `no such method: ${method}` } };
  }
  const parsed = methods[method].input.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at "${issue.path.join('.')}"` : '';
    const message = `${method}: invalid payload${where}: ${issue?.message ?? 'rejected'}`;
    return { ok: false, error: { code: 'invalid-payload', message } };
  }
  try {
    const handler = handlers[method] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (error instanceof StationError)
      return { ok: false, error: { code: error.code, message: error.message } };
    onUnexpected(method, error);
    return {
      ok: false,
      error: {
        code: 'failed',
        message: `${method} failed: ${(error as Error)?.message ?? String(error)}`,
      },
    };
  }
}

/**
 * Browser-mode wire format (main/serve ⇄ renderer/src/api): JSON messages over one WebSocket.
 * Shared by both ends so they cannot drift; validated on receipt at both ends.
 */
import { z } from 'zod';
import { CallError } from './contract';

export const WS_PATH = '/api/ws';

export const CallMessage = z.object({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  method: z.string().max(64),
  payload: z.unknown().optional(),
});
export type CallMessage = z.infer<typeof CallMessage>;

export const ServerMessage = z.union([
  z.object({ type: z.literal('result'), id: z.number(), ok: z.literal(true), value: z.unknown() }),
  z.object({ type: z.literal('result'), id: z.number(), ok: z.literal(false), error: CallError }),
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

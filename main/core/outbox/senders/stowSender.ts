/**
 * DICOMweb STOW-RS destination (PS3.18 10.5; IHE RAD-108): instances POSTed to `<url>/studies`
 * as multipart/related, streamed from the spool with a Content-Length, over HTTP or HTTPS with a
 * configurable CA, with Basic, Bearer or OAuth2 client-credentials authorization.
 */
import type { SecretSource } from '../secrets';
import type { StowAuth } from '../outboxConfig';
import type { SendContext, SendItem, Sender } from '../senderTypes';
import { httpRequest, readCa, type HttpAnswer } from './httpRequest';
import { authorizer, type Authorizer } from './stowAuth';
import { outcomesForAnswer } from './stowResponse';
import { planMultipart, writeMultipart } from './stowMultipart';

export interface StowSenderOptions {
  readonly url: string;
  readonly caFile?: string;
  readonly auth?: StowAuth;
  readonly secrets?: SecretSource;
  /** Instances per request (default 16) and bytes per request (default 256 MiB; one big video alone). */
  readonly maxBatch?: number;
  readonly maxRequestBytes?: number;
}

export function stowSender(options: StowSenderOptions): Sender {
  const ca = readCa(options.caFile);
  const auth = authorizer(options.auth, options.secrets, { ca });
  const endpoint = `${options.url.replace(/\/+$/, '')}/studies`;
  const maxBytes = options.maxRequestBytes ?? 256 * 1024 * 1024;
  return {
    maxBatch: options.maxBatch ?? 16,
    async send(items: readonly SendItem[], context: SendContext) {
      for (const group of byRequestSize(items, maxBytes)) {
        if (context.signal.aborted) return;
        const progress = context.progress;
        const onProgress = progress
          ? (index: number, bytes: number) => {
              const item = group[index];
              if (item) progress(item, bytes);
            }
          : undefined;
        const outcomes = await storeGroup(group, {
          endpoint,
          ca,
          auth,
          signal: context.signal,
          onProgress,
        });
        for (const item of group) {
          const outcome = outcomes.get(item.sopInstanceUid);
          if (outcome) context.report(item, outcome);
        }
        // An unreachable or failing server fails the rest the same way: stop, back off once.
        if ([...outcomes.values()].some((o) => o.kind === 'retry')) return;
      }
    },
  };
}

function byRequestSize(items: readonly SendItem[], maxBytes: number): SendItem[][] {
  const groups: SendItem[][] = [];
  let current: SendItem[] = [];
  let bytes = 0;
  for (const item of items) {
    if (current.length > 0 && bytes + item.bytes > maxBytes) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.bytes;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

interface StoreContext {
  readonly endpoint: string;
  readonly ca?: Buffer;
  readonly auth: Authorizer;
  readonly signal: AbortSignal;
  readonly onProgress?: (partIndex: number, bytes: number) => void;
}

async function storeGroup(group: readonly SendItem[], context: StoreContext) {
  const uids = group.map((item) => item.sopInstanceUid);
  try {
    let answer = await post(group, context);
    if ((answer.status === 401 || answer.status === 403) && context.auth.invalidate()) {
      answer = await post(group, context); // token expired early or was revoked: one fresh try
    }
    return outcomesForAnswer(answer.status, answer.body, uids);
  } catch (error) {
    const message = `STOW-RS not sent: ${error instanceof Error ? error.message : String(error)}`;
    const kind = context.signal.aborted ? ('not-attempted' as const) : ('retry' as const);
    return new Map(uids.map((uid) => [uid, kind === 'retry' ? { kind, message } : { kind }]));
  }
}

async function post(group: readonly SendItem[], context: StoreContext): Promise<HttpAnswer> {
  const plan = await planMultipart(group.map((item) => item.path));
  const authorization = await context.auth.header();
  return httpRequest({
    url: context.endpoint,
    method: 'POST',
    ca: context.ca,
    signal: context.signal,
    headers: {
      'Content-Type': plan.contentType,
      'Content-Length': plan.contentLength,
      Accept: 'application/dicom+json',
      ...(authorization ? { Authorization: authorization } : {}),
    },
    writeBody: (target) => writeMultipart(plan, target, context.onProgress),
  });
}

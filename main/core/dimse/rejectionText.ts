/** Words for the numbers in A-ASSOCIATE-RJ (PS3.8 9.3.4), A-ABORT (9.3.8) and AC results (9.3.3.2). */

export function rejectResultText(result: number): string {
  return result === 1 ? 'permanent' : result === 2 ? 'transient' : `result ${result}`;
}

export function rejectSourceText(source: number): string {
  switch (source) {
    case 1:
      return 'called application (service user)';
    case 2:
      return 'ACSE service provider';
    case 3:
      return 'presentation service provider';
    default:
      return `source ${source}`;
  }
}

const USER_REASONS: Record<number, string> = {
  1: 'no reason given',
  2: 'application context name not supported',
  3: 'calling AE title not recognised',
  7: 'called AE title not recognised',
};
const ACSE_REASONS: Record<number, string> = {
  1: 'no reason given',
  2: 'protocol version not supported',
};
const PRESENTATION_REASONS: Record<number, string> = {
  1: 'temporary congestion',
  2: 'local limit exceeded (too many associations)',
};

export function rejectReasonText(source: number, reason: number): string {
  const table = source === 1 ? USER_REASONS : source === 2 ? ACSE_REASONS : PRESENTATION_REASONS;
  return table[reason] ?? `reason ${reason}`;
}

const CONTEXT_RESULTS: Record<number, string> = {
  0: 'accepted',
  1: 'user rejection',
  2: 'no reason (provider rejection)',
  3: 'abstract syntax not supported',
  4: 'transfer syntaxes not supported',
};

export function contextResultText(result: number): string {
  return CONTEXT_RESULTS[result] ?? `result ${result}`;
}

const ABORT_REASONS: Record<number, string> = {
  0: 'reason not specified',
  1: 'unrecognised PDU',
  2: 'unexpected PDU',
  4: 'unrecognised PDU parameter',
  5: 'unexpected PDU parameter',
  6: 'invalid PDU parameter value',
};

export function abortText(source: number, reason: number): string {
  const who = source === 2 ? 'the peer’s DICOM provider' : 'the peer';
  return source === 2
    ? `association aborted by ${who}: ${ABORT_REASONS[reason] ?? `reason ${reason}`}`
    : `association aborted by ${who}`;
}

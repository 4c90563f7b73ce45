import { describe, expect, it } from 'vitest';
import {
  AssociationRejectedError,
  CancelledError,
  ConnectionError,
  PresentationContextRejectedError,
} from '../../../main/core/dimse/errors';
import type { SendFileResult } from '../../../main/core/dimse/sendFiles';
import { classifyDimseResult } from '../../../main/core/outbox/senders/classifyDimseResult';

const failure = (status: number): SendFileResult => ({
  path: 'x',
  stored: false,
  outcome: 'failure',
  status,
  message: 'peer said no',
});
const error = (e: Error): SendFileResult => ({
  path: 'x',
  stored: false,
  outcome: 'error',
  message: e.message,
  error: e,
});

describe('classifyDimseResult (PS3.4 B.2.3)', () => {
  it('treats stored and warnings as stored', () => {
    expect(
      classifyDimseResult({
        path: 'x',
        stored: true,
        outcome: 'warning',
        status: 0xb000,
        message: 'coerced',
      }).kind,
    ).toBe('stored');
  });

  it('refuses for good on A9xx, Cxxx, 0122 and keeps the status', () => {
    for (const status of [0xa900, 0xa9ff, 0xc000, 0xc123, 0x0122]) {
      expect(classifyDimseResult(failure(status))).toMatchObject({ kind: 'refused', status });
    }
    expect(
      classifyDimseResult(failure(0xa900)).kind === 'refused' &&
        classifyDimseResult(failure(0xa900)),
    ).toMatchObject({
      message: 'peer said no (status 0xa900)',
    });
  });

  it('refuses for good on the legacy 0xA8xx SOP class refusal and a duplicate SOP instance', () => {
    // 0xA8xx: DCMTK's STATUS_STORE_Refused_SOPClassNotSupported; 0x0111: resending cannot help.
    for (const status of [0xa800, 0xa801, 0x0111, 0x0117]) {
      expect(classifyDimseResult(failure(status))).toMatchObject({ kind: 'refused', status });
    }
  });

  it('retries out-of-resources and unknown failures, and an unreachable or busy peer', () => {
    expect(classifyDimseResult(failure(0xa700)).kind).toBe('retry');
    expect(classifyDimseResult(failure(0x0110)).kind).toBe('retry');
    expect(classifyDimseResult(error(new ConnectionError('ECONNREFUSED'))).kind).toBe('retry');
    const transient = new AssociationRejectedError(2, 3, 1, 'transient', 'provider', 'congestion');
    expect(classifyDimseResult(error(transient)).kind).toBe('retry');
  });

  it('refuses a permanent association rejection and a refused SOP class; a cancel is not an attempt', () => {
    const permanent = new AssociationRejectedError(
      1,
      1,
      7,
      'permanent',
      'user',
      'called AE title not recognised',
    );
    expect(classifyDimseResult(error(permanent)).kind).toBe('refused');
    const context = new PresentationContextRejectedError(
      '1.2.3',
      ['1.2.840.10008.1.2.1'],
      'abstract syntax not supported',
    );
    expect(classifyDimseResult(error(context)).kind).toBe('refused');
    expect(classifyDimseResult(error(new CancelledError('stopped'))).kind).toBe('not-attempted');
  });
});

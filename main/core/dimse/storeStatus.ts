/**
 * C-STORE-RSP statuses (PS3.4 B.2.3) and the general statuses any DIMSE response may carry
 * (PS3.7 Annex C), as outcome, permanence and words. The status classes agree with DCMTK
 * (dimse.h DICOM_WARNING_STATUS: 0xBxxx, 0x0107, 0x0116) and pynetdicom (status.py
 * code_to_category: warning 0x0001, 0x0107, 0x0116, 0xBxxx; failure 0xAxxx, 0xCxxx, 0x01xx/0x02xx).
 */

export type StoreOutcome = 'success' | 'warning' | 'failure';

/**
 * 'success' and 'warning' mean the SCP stored the instance. Anything else is 'failure', including
 * codes not named here, pending (0xFF00/0xFF01) and cancel (0xFE00), which a C-STORE-RSP should
 * never carry: a status we cannot place never counts as stored.
 */
export function storeOutcome(status: number): StoreOutcome {
  if (status === 0x0000) return 'success';
  return isWarning(status) ? 'warning' : 'failure';
}

/**
 * PS3.7 C.1.2 / C.4: the Warning class is 0x0001 and 0xBxxx (service specific; PS3.4 B.2.3 names
 * B000 coercion, B006 elements discarded, B007 data set does not match SOP class) and the general
 * 0x0107 Attribute List Error and 0x0116 Attribute Value Out of Range. The instance is stored.
 */
function isWarning(status: number): boolean {
  return (
    status === 0x0001 || status === 0x0107 || status === 0x0116 || (status & 0xf000) === 0xb000
  );
}

/**
 * Failures that sending the same bytes again cannot cure: the data set, its UIDs, the SOP class
 * or our rights are wrong for this peer, so a person must act (needs attention). PS3.7 C.5 gives
 * the general codes; PS3.4 B.2.3 the C-STORE ones.
 */
const PERMANENT_FAILURES: ReadonlyMap<number, string> = new Map([
  [0x0105, 'refused: no such attribute'],
  [0x0106, 'refused: invalid attribute value'],
  // Not a C-STORE status (PS3.4 B.2.3): the archive holds an instance with this UID, perhaps not
  // this one. Neither "stored" (it may be another object) nor retried (the answer cannot change).
  [0x0111, 'refused: the archive already has a SOP instance with this UID'],
  [0x0114, 'refused: no such argument'],
  [0x0115, 'refused: invalid argument value'],
  [0x0117, 'refused: invalid SOP instance UID'],
  [0x0118, 'refused: no such SOP class'],
  [0x0119, 'refused: SOP class does not match the instance'],
  [0x0120, 'refused: missing attribute'],
  [0x0121, 'refused: missing attribute value'],
  [0x0122, 'refused: SOP class not supported'],
  [0x0124, 'refused: not authorised'],
  [0x0211, 'refused: unrecognised operation'],
  [0x0212, 'refused: mistyped argument'],
]);

/**
 * Failures worth sending again later: the peer is busy, short of resources or confused about
 * this one operation (PS3.7 C.5). Every failure not in PERMANENT_FAILURES is retried too; the
 * outbox's attempt limit still ends it in needs-attention, and it is never counted as stored.
 */
const TRANSIENT_FAILURES: ReadonlyMap<number, string> = new Map([
  [0x0110, 'failed: processing failure'],
  [0x0210, 'failed: duplicate invocation (message ID in use)'],
  [0x0213, 'refused: resource limitation'],
  [0xfe00, 'failed: cancelled by the peer'],
]);

/**
 * True for a failure status a resend cannot fix (see PERMANENT_FAILURES), and for the C-STORE
 * ranges PS3.4 B.2.3 defines as errors in the data: 0xA9xx data set does not match SOP class,
 * 0xCxxx cannot understand. 0xA8xx is "Refused: SOP Class not supported" in DCMTK's dimse.h
 * (STATUS_STORE_Refused_SOPClassNotSupported) and SCPs built on older releases answer it; current
 * DICOM uses 0x0122. False for 0xA7xx out of resources, warnings, success and unknown codes.
 */
export function isPermanentStoreStatus(status: number): boolean {
  const highByte = status & 0xff00;
  if (highByte === 0xa800 || highByte === 0xa900) return true;
  if ((status & 0xf000) === 0xc000) return true;
  return PERMANENT_FAILURES.has(status);
}

export function storeStatusText(status: number): string {
  if (status === 0x0000) return 'stored';
  if (status === 0xb000) return 'stored with coercion of data elements';
  if (status === 0xb006) return 'stored, some elements discarded';
  if (status === 0xb007) return 'stored, but the data set does not match the SOP class';
  if (status === 0x0107) return 'stored, with an attribute list error (warning)';
  if (status === 0x0116) return 'stored, with an attribute value out of range (warning)';
  const hex = `0x${status.toString(16).padStart(4, '0')}`;
  if (isWarning(status)) return `stored, with warning ${hex}`;
  const named = PERMANENT_FAILURES.get(status) ?? TRANSIENT_FAILURES.get(status);
  if (named) return named;
  if ((status & 0xff00) === 0xa700) return 'refused: out of resources';
  if ((status & 0xff00) === 0xa800) return 'refused: SOP class not supported';
  if ((status & 0xff00) === 0xa900) return 'error: data set does not match the SOP class';
  if ((status & 0xf000) === 0xc000) return 'error: cannot understand';
  return `failed with status ${hex}`;
}

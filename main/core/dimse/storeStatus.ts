/** PS3.4 B.2.3 C-STORE statuses, as outcome and words. */

export type StoreOutcome = 'success' | 'warning' | 'failure';

export function storeOutcome(status: number): StoreOutcome {
  if (status === 0x0000) return 'success';
  // PS3.4 B.2.3: B000 coercion, B007 data set does not match SOP class, B006 elements discarded.
  if (status === 0x0001 || (status & 0xf000) === 0xb000) return 'warning';
  return 'failure';
}

export function storeStatusText(status: number): string {
  if (status === 0x0000) return 'stored';
  if (status === 0xb000) return 'stored with coercion of data elements';
  if (status === 0xb006) return 'stored, some elements discarded';
  if (status === 0xb007) return 'stored, but the data set does not match the SOP class';
  if ((status & 0xff00) === 0xa700) return 'refused: out of resources';
  if ((status & 0xff00) === 0xa900) return 'error: data set does not match the SOP class';
  if ((status & 0xf000) === 0xc000) return 'error: cannot understand';
  if (status === 0x0122) return 'refused: SOP class not supported';
  if (status === 0x0124) return 'refused: not authorised';
  if (status === 0x0211) return 'refused: unrecognised operation';
  if (status === 0x0212) return 'refused: mistyped argument';
  return `failed with status 0x${status.toString(16).padStart(4, '0')}`;
}

/**
 * PS3.5 7.1.2 (Table 7.1-1): in Explicit VR these VRs have 2 reserved bytes and a 4-byte length;
 * every other VR has a 2-byte length. One list for every reader and writer of data elements.
 */
export const LONG_FORM_VRS: ReadonlySet<string> = new Set([
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'SQ',
  'SV',
  'UC',
  'UN',
  'UR',
  'UT',
  'UV',
]);

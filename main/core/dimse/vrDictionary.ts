/**
 * VR of a tag for reading Implicit VR data (PS3.5 7.1.3), from dcmjs's copy of the PS3.6 data
 * dictionary. Ambiguous dictionary VRs resolve to what the Implicit VR rules say they are.
 */
import dcmjs from 'dcmjs';

interface DictionaryEntry {
  readonly vr: string;
}
const dictionary = (
  dcmjs.data.DicomMetaDictionary as unknown as {
    dictionary: Record<string, DictionaryEntry | undefined>;
  }
).dictionary;

const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');

/** PS3.5 A.1 c: in Implicit VR, pixel data and other ambiguous OB/OW values are OW; US/SS → US. */
function resolveAmbiguous(vr: string): string {
  if (/^[A-Z]{2}$/.test(vr)) return vr;
  if (vr === 'ox' || vr.includes('OW')) return 'OW';
  if (vr === 'xs' || vr.includes('US')) return 'US';
  return 'UN';
}

/** Explicit VR for a tag seen in Implicit VR data; 'UN' when the dictionary does not know it. */
export function vrOfTag(group: number, element: number): string {
  if (element === 0x0000) return 'UL'; // PS3.5 7.2 group length
  if (group % 2 === 1) return element >= 0x0010 && element <= 0x00ff ? 'LO' : 'UN'; // private creator / data
  const entry = dictionary[`(${hex4(group)},${hex4(element)})`];
  return entry ? resolveAmbiguous(entry.vr) : 'UN';
}

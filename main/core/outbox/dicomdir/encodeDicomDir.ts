/**
 * Writes a DICOMDIR (PS3.10 8.6, PS3.3 F.3 Basic Directory IOD) for a record tree. Items have
 * explicit lengths, so every record's position is known once encoded: a first pass with zero
 * offsets measures, a second fills in each Offset of the Next Directory Record and Offset of
 * Referenced Lower-Level Directory Entity (byte offsets from the start of the file, which is the
 * first byte of the File Meta Information, PS3.3 F.3.2.1).
 */
import {
  encodeDataSet,
  encodeElement,
  encodeItem,
  encodePart10,
  type DataSet,
  type ElementValue,
} from './explicitVrLittle';
import { Tag, type RecordNode } from './fileSetRecords';

/** PS3.4 Annex I: Media Storage Directory Storage. */
export const MEDIA_STORAGE_DIRECTORY_STORAGE = '1.2.840.10008.1.3.10';
const IN_USE = 0xffff;

interface Placed {
  readonly node: RecordNode;
  next?: Placed;
  firstChild?: Placed;
  offset: number;
}

/** Depth first (PS3.3 F.3.2.1: a record's lower-level entity follows it), siblings linked. */
function flatten(nodes: readonly RecordNode[], out: Placed[]): Placed | undefined {
  let first: Placed | undefined;
  let previous: Placed | undefined;
  for (const node of nodes) {
    const placed: Placed = { node, offset: 0 };
    out.push(placed);
    placed.firstChild = flatten(node.children, out);
    if (previous) previous.next = placed;
    else first = placed;
    previous = placed;
  }
  return first;
}

function recordDataSet(placed: Placed): DataSet {
  const dataSet = new Map<number, ElementValue>(placed.node.keys);
  dataSet.set(Tag.OffsetOfNextRecord, { vr: 'UL', value: placed.next?.offset ?? 0 });
  dataSet.set(Tag.RecordInUseFlag, { vr: 'US', value: IN_USE });
  dataSet.set(Tag.OffsetOfLowerLevelEntity, { vr: 'UL', value: placed.firstChild?.offset ?? 0 });
  dataSet.set(Tag.DirectoryRecordType, { vr: 'CS', value: placed.node.type });
  return dataSet;
}

export function encodeDicomDir(input: {
  roots: readonly RecordNode[];
  fileSetUid: string;
  fileSetId: string;
  implementationClassUid: string;
}): Buffer {
  const placed: Placed[] = [];
  const firstRoot = flatten(input.roots, placed);
  const lastRoot = placed.filter((p) => input.roots.includes(p.node)).at(-1);
  const build = () => {
    const head = (first: number, last: number) =>
      encodeDataSet(
        new Map<number, ElementValue>([
          [0x00041130, { vr: 'CS', value: input.fileSetId }],
          [0x00041200, { vr: 'UL', value: first }],
          [0x00041202, { vr: 'UL', value: last }],
          [0x00041212, { vr: 'US', value: 0 }],
        ]),
      );
    const items = placed.map((p) => encodeItem(recordDataSet(p)));
    const sequence = Buffer.concat(items);
    const sequenceHeader = encodeElement(0x00041220, { vr: 'SQ', items: [] }).subarray(0, 12);
    sequenceHeader.writeUInt32LE(sequence.length, 8);
    const headBytes = head(firstRoot?.offset ?? 0, lastRoot?.offset ?? 0);
    const file = encodePart10({
      mediaStorageSopClassUid: MEDIA_STORAGE_DIRECTORY_STORAGE,
      mediaStorageSopInstanceUid: input.fileSetUid,
      implementationClassUid: input.implementationClassUid,
      dataSet: Buffer.concat([headBytes, sequenceHeader, sequence]),
    });
    return { file, items, sequenceStart: file.length - sequence.length };
  };
  const measured = build();
  let at = measured.sequenceStart;
  measured.items.forEach((item, index) => {
    const p = placed[index];
    if (p) p.offset = at;
    at += item.length;
  });
  return build().file;
}

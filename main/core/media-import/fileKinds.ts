import type { FileKind } from '../dimse/sendFiles';

/** The distinct SOP class / transfer syntax pairs of `instances`, in first-seen order. */
export function kindsOf(instances: Iterable<FileKind>): FileKind[] {
  const kinds = new Map<string, FileKind>();
  for (const { sopClassUid, transferSyntaxUid } of instances)
    kinds.set(`${sopClassUid}|${transferSyntaxUid}`, { sopClassUid, transferSyntaxUid });
  return [...kinds.values()];
}

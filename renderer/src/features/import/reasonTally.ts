/**
 * The reasons of a file list, each with how many files it applies to, most frequent first: a disc
 * taken out mid-import leaves hundreds of files with one reason, which a person should read once,
 * not scroll through. Only reasons shared by two or more files are listed; order among equal
 * counts is the list's own.
 */
export interface ReasonCount {
  readonly reason: string;
  readonly files: number;
}

export function reasonTally(files: readonly { readonly reason: string }[]): ReasonCount[] {
  const counts = new Map<string, number>();
  for (const { reason } of files) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts]
    .filter(([, n]) => n > 1)
    .map(([reason, n]) => ({ reason, files: n }))
    .sort((a, b) => b.files - a.files);
}

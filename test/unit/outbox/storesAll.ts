import type {
  SendFileResult,
  SendFilesOptions,
  SendSource,
} from '../../../main/core/dimse/sendFiles';

/** sendFiles stand-in: every file stored. */
export function storesAll(
  sources: readonly SendSource[],
  options: SendFilesOptions,
): Promise<SendFileResult[]> {
  const results = sources.map((source): SendFileResult => ({
    path: typeof source === 'string' ? source : source.path,
    stored: true,
    outcome: 'success',
    status: 0,
    message: 'stored',
  }));
  results.forEach((r) => options.onResult?.(r));
  return Promise.resolve(results);
}

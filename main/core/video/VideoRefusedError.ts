/**
 * The one error the video module throws for input it cannot turn into an admissible stream: the file
 * is not a video we understand, is truncated or corrupt, or needs a re-encode that is not possible.
 * The message names the file and the reason; both are also kept as fields for the UI.
 */
export class VideoRefusedError extends Error {
  override readonly name = 'VideoRefusedError';

  constructor(
    readonly file: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${reason}`, options);
  }
}

/** Internal: a structural problem found while parsing; turned into VideoRefusedError at the boundary. */
export class VideoFormatError extends Error {
  override readonly name = 'VideoFormatError';
}

/** Wraps any parse failure of `file` into a VideoRefusedError; lets aborts and refusals through. */
export function refusalFor(file: string, error: unknown): Error {
  if (error instanceof VideoRefusedError) return error;
  if (error instanceof Error && error.name === 'AbortError') return error;
  if (error instanceof VideoFormatError) return new VideoRefusedError(file, error.message);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT')
    return new VideoRefusedError(file, 'file does not exist', { cause: error });
  if (code === 'EISDIR') return new VideoRefusedError(file, 'is a directory', { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new VideoRefusedError(file, `unreadable video: ${message}`, { cause: error });
}

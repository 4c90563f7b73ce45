/**
 * An input file is not what it claims to be, or cannot be admitted (random bytes named .jpg, a PNG
 * named .pdf, a truncated PDF or MP4, a progressive JPEG that cannot be re-encoded…). The message
 * names the file and the reason in one line, for the operator or the CLI. Nothing has been written.
 */
export class InputRejectedError extends Error {
  override readonly name = 'InputRejectedError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** The capture context is incomplete or inconsistent (e.g. a paired region without laterality). */
export class ContextError extends Error {
  override readonly name = 'ContextError';
}

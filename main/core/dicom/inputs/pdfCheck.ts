import { open } from 'node:fs/promises';
import { InputRejectedError } from '../errors';

/** PDF 32000-1 7.5.2 / 7.5.5: a header "%PDF-1.x" near the start, "%%EOF" near the end. */
const HEADER = Buffer.from('%PDF-');
const TRAILER = Buffer.from('%%EOF');
const HEAD_WINDOW = 1024;
/** Incremental updates and trailing whitespace or NULs can follow the last %%EOF a little. */
const TAIL_WINDOW = 2048;

export interface CheckedPdf {
  readonly file: string;
  readonly length: number;
  /** e.g. "1.7", from the header. */
  readonly version: string;
}

/**
 * Checks that `file` is a complete PDF by its header and trailer, without reading it whole.
 * Throws InputRejectedError naming the file when it is not a PDF (a PNG named .pdf) or was cut
 * short (no %%EOF at the end: a truncated download or copy).
 */
export async function checkPdf(file: string): Promise<CheckedPdf> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(HEAD_WINDOW, size));
    await handle.read(head, 0, head.length, 0);
    const at = head.indexOf(HEADER);
    if (at < 0) throw new InputRejectedError(file, 'not a PDF document (no %PDF- header)');
    const version = /^%PDF-(\d\.\d)/.exec(head.toString('latin1', at, at + 8))?.[1];
    if (!version) throw new InputRejectedError(file, 'not a PDF document (malformed %PDF- header)');
    const tail = Buffer.alloc(Math.min(TAIL_WINDOW, size));
    await handle.read(tail, 0, tail.length, size - tail.length);
    if (tail.lastIndexOf(TRAILER) < 0) {
      throw new InputRejectedError(file, 'the PDF is truncated (no %%EOF trailer at the end)');
    }
    return { file, length: size, version };
  } finally {
    await handle.close();
  }
}

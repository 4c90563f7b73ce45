/**
 * Work-around for dcmjs 0.51 (issues 503/508): text inside sequences is decoded as Latin-1
 * whatever the Specific Character Set, because `ReadBufferStream.more()` — used to cut out each
 * sequence item — creates a child stream with a fresh Latin-1 decoder. This wraps `more()` so the
 * child inherits its parent's decoder, which dcmjs set from (0008,0005).
 *
 * Limits that remain in dcmjs: only the first value of (0008,0005) is honoured, so ISO 2022 code
 * extensions (escape sequences, e.g. Japanese ISO 2022 IR 87) are not decoded by dcmjs at all —
 * read such data with core/dimse readDataSet + decodeText instead; and dcmjs maps ISO_IR 100 to
 * the WHATWG "latin1" label, i.e. windows-1252 (differs only in 0x80–0x9F, which are unused).
 */
import dcmjs from 'dcmjs';

interface TextDecoderLike {
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}
interface ReadBufferStreamLike {
  decoder?: TextDecoderLike;
  setDecoder(decoder: TextDecoderLike): void;
  more: (this: ReadBufferStreamLike, length: number) => ReadBufferStreamLike;
}
interface Patchable {
  prototype: ReadBufferStreamLike & { __charsetPatched?: boolean };
}

/** Installs the fix once per process; later calls do nothing. Returns true when installed now. */
export function patchDcmjsSequenceCharset(): boolean {
  const stream = (dcmjs.data as unknown as { ReadBufferStream: Patchable }).ReadBufferStream;
  const prototype = stream.prototype;
  if (prototype.__charsetPatched) return false;
  const original = prototype.more;
  prototype.more = function more(this: ReadBufferStreamLike, length: number) {
    const child = original.call(this, length);
    if (this.decoder) child.setDecoder(this.decoder);
    return child;
  };
  prototype.__charsetPatched = true;
  return true;
}

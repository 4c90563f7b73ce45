/**
 * Cuts a TCP byte stream into whole PDUs (PS3.8 9.3.1: 6-byte header with a big-endian length).
 * Chunks are kept in a list and joined once per PDU, so a large P-DATA-TF arriving in many TCP
 * segments is copied once.
 */
import { ProtocolError } from './errors';
import { decodePdu, PDU_HEADER_LENGTH } from './pdu';
import type { Pdu } from './pduTypes';

export class PduReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** @param maxPduLength largest body we accept (what we announced; 0 = no limit). */
  constructor(private readonly maxPduLength = 0) {}

  /** Feed bytes; returns every PDU now complete. Throws ProtocolError on a bad header. */
  push(chunk: Buffer): Pdu[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const pdus: Pdu[] = [];
    for (;;) {
      const pdu = this.next();
      if (!pdu) return pdus;
      pdus.push(pdu);
    }
  }

  private next(): Pdu | undefined {
    if (this.buffered < PDU_HEADER_LENGTH) return undefined;
    const header = this.peek(PDU_HEADER_LENGTH);
    const type = header.readUInt8(0);
    const length = header.readUInt32BE(2);
    // Allow headroom for the PDV headers around a maximal PDV (some peers count differently).
    if (this.maxPduLength > 0 && type === 0x04 && length > this.maxPduLength + 64) {
      throw new ProtocolError(
        `P-DATA-TF of ${length} bytes exceeds the ${this.maxPduLength} we announced`,
      );
    }
    if (this.buffered < PDU_HEADER_LENGTH + length) return undefined;
    const whole = this.take(PDU_HEADER_LENGTH + length);
    return decodePdu(type, whole.subarray(PDU_HEADER_LENGTH));
  }

  private peek(length: number): Buffer {
    const first = this.chunks[0] as Buffer;
    if (first.length >= length) return first;
    this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] as Buffer;
  }

  private take(length: number): Buffer {
    const first = this.chunks[0] as Buffer;
    let whole: Buffer;
    if (first.length >= length) {
      whole = first.subarray(0, length);
      if (first.length === length) this.chunks.shift();
      else this.chunks[0] = first.subarray(length);
    } else {
      const joined = Buffer.concat(this.chunks);
      whole = joined.subarray(0, length);
      this.chunks = joined.length > length ? [joined.subarray(length)] : [];
    }
    this.buffered -= length;
    return whole;
  }
}

/**
 * One DICOM association over one socket (PS3.8 9.2 state machine, requestor and acceptor alike).
 * Sends DIMSE messages as PDVs with socket back-pressure respected, assembles incoming messages,
 * and turns every way an association can end into a typed error for whoever is waiting.
 */
import type net from 'node:net';
import { encodeCommandSet, type CommandSet } from './commandSet';
import {
  AbortedError,
  DimseError,
  PresentationContextRejectedError,
  ProtocolError,
  TimeoutError,
  type TimeoutPhase,
} from './errors';
import { MessageAssembler, type DimseMessage } from './MessageAssembler';
import { encodeAbort, encodePDataHeader, encodeReleaseRp, encodeReleaseRq, framePdvs } from './pdu';
import { PduReader } from './PduReader';
import type { Pdu } from './pduTypes';
import { abortText, contextResultText } from './rejectionText';
import type {
  AcceptedContext,
  AssociationTimeouts,
  NegotiatedAssociation,
} from './associationTypes';

type State = 'negotiating' | 'open' | 'releasing' | 'closed';

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

/** When the peer announces no limit (0) we still cut data into PDUs of this size. */
const UNLIMITED_PDU_DATA = 256 * 1024;

export class Association {
  private state: State = 'negotiating';
  private failure: Error | undefined;
  private readonly reader: PduReader;
  private readonly assembler = new MessageAssembler();
  private readonly inbox: DimseMessage[] = [];
  private readonly messageWaiters: Waiter<DimseMessage>[] = [];
  private controlWaiter: Waiter<Pdu> | undefined;
  private drainWaiter: Waiter<void> | undefined;
  private lastMessageId = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private busy = 0;
  negotiated: NegotiatedAssociation | undefined;

  constructor(
    readonly socket: net.Socket,
    readonly timeouts: AssociationTimeouts,
    ownMaxPduLength: number,
  ) {
    this.reader = new PduReader(ownMaxPduLength);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.settleDrain());
    socket.on('error', (error) =>
      this.fail(new AbortedError(`connection failed: ${error.message}`)),
    );
    socket.on('close', () => this.fail(new AbortedError('connection closed by the peer')));
    socket.setTimeout(timeouts.idleMs);
    socket.on('timeout', () => this.onIdle());
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** Why the association ended, once it has. */
  get error(): Error | undefined {
    return this.failure;
  }

  /** PS3.7 9.1.1.1: Message ID, unique among outstanding requests; 1–65535. */
  nextMessageId(): number {
    this.lastMessageId = (this.lastMessageId % 0xffff) + 1;
    return this.lastMessageId;
  }

  /**
   * The accepted context for `abstractSyntax`, preferring the given transfer syntaxes in order.
   * Throws PresentationContextRejectedError with the peer's reason when there is none.
   */
  contextFor(abstractSyntax: string, transferSyntaxes?: readonly string[]): AcceptedContext {
    const outcomes = (this.negotiated?.contexts ?? []).filter(
      (c) => c.abstractSyntax === abstractSyntax,
    );
    const accepted = outcomes.filter((c) => c.result === 0);
    const wanted = transferSyntaxes ?? accepted.map((c) => c.transferSyntax);
    for (const ts of wanted) {
      const match = accepted.find((c) => c.transferSyntax === ts);
      if (match) return match;
    }
    const proposed = transferSyntaxes ?? outcomes.flatMap((c) => c.proposedTransferSyntaxes);
    const reason = outcomes.find((c) => c.result !== 0)?.result;
    const text =
      outcomes.length === 0
        ? 'not proposed on this association'
        : reason !== undefined
          ? contextResultText(reason)
          : 'accepted only in another transfer syntax';
    throw new PresentationContextRejectedError(abstractSyntax, proposed, text);
  }

  /** Largest data slice one PDV may carry (PS3.8 9.3.5: max PDU length minus PDV item header). */
  get maxPdvDataLength(): number {
    const peerMax = this.negotiated?.peerMaxPduLength ?? 0;
    return peerMax === 0 ? UNLIMITED_PDU_DATA : Math.max(peerMax - 6, 2);
  }

  /**
   * Runs `operation` when every earlier one on this association has finished: without
   * asynchronous operations negotiated (PS3.7 D.3.3.3) only one request may be outstanding.
   */
  exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = async () => {
      this.busy++;
      try {
        return await operation();
      } finally {
        this.busy--;
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Sends a command set as PDVs; resolves when the socket has taken it. */
  async sendCommand(contextId: number, command: CommandSet): Promise<void> {
    await this.writeFrames(this.frameCommand(contextId, command));
  }

  /** A command set framed as complete P-DATA-TF PDUs for this association's max PDU length. */
  frameCommand(contextId: number, command: CommandSet): Buffer {
    return framePdvs(contextId, true, encodeCommandSet(command), this.maxPdvDataLength);
  }

  /** Sends an in-memory data set (identifiers, N-ACTION information) as PDVs. */
  async sendDataSet(contextId: number, dataSet: Buffer): Promise<void> {
    await this.writeFrames(framePdvs(contextId, false, dataSet, this.maxPdvDataLength));
  }

  private async writeFrames(frames: Buffer): Promise<void> {
    this.assertOpen();
    if (!this.socket.write(frames)) await this.waitForDrain();
  }

  /**
   * Writes one P-DATA-TF with one PDV. Waits for 'drain' when the socket's buffer is full, so a
   * slow peer slows us down instead of filling memory; a peer that stops reading for responseMs
   * aborts the association with TimeoutError. `onFlushed` runs once the kernel has taken `data`
   * (or the socket failed), after which the caller may reuse its memory.
   */
  async writePdv(
    contextId: number,
    isCommand: boolean,
    isLast: boolean,
    data: Buffer,
    onFlushed?: () => void,
  ): Promise<void> {
    this.assertOpen();
    const header = encodePDataHeader(contextId, isCommand, isLast, data.length);
    this.socket.cork();
    this.socket.write(header);
    const flowing = this.socket.write(data, onFlushed && (() => onFlushed()));
    this.socket.uncork();
    if (!flowing) await this.waitForDrain();
  }

  /**
   * Writes bytes already framed as complete P-DATA-TF PDUs (streamFileRange.ts), with the same
   * back-pressure as writePdv; `onFlushed` runs once the socket has taken them (or failed, or
   * at once when the association is no longer open and nothing is written).
   * `prefix` (the command PDUs of the same message) goes out in the same writev: a C-STORE's
   * command and first data block cost one system call and leave together.
   */
  async writeFramedPdus(frames: Buffer, onFlushed: () => void, prefix?: Buffer): Promise<void> {
    if (this.failure || this.state !== 'open') {
      onFlushed(); // nothing written: the caller may reuse the memory at once
      this.assertOpen();
    }
    if (prefix) this.socket.cork();
    if (prefix) this.socket.write(prefix);
    const flowing = this.socket.write(frames, () => onFlushed());
    if (prefix) this.socket.uncork();
    if (!flowing) await this.waitForDrain();
  }

  /** Next incoming DIMSE message; rejects with TimeoutError (and aborts) after `timeoutMs`. */
  receive(timeoutMs = this.timeouts.responseMs): Promise<DimseMessage> {
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return this.wait(this.messageWaiters, 'response', timeoutMs);
  }

  /** PS3.8 7.2 A-RELEASE; falls back to A-ABORT when the peer does not answer within ARTIM. */
  async release(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'releasing';
    const answer = this.expectControl('release', this.timeouts.associationMs);
    this.socket.write(encodeReleaseRq());
    try {
      await answer;
    } catch (error) {
      if (!(error instanceof TimeoutError)) return;
    }
    this.close();
  }

  /** PS3.8 7.3 A-ABORT: tells the peer, drops the connection, fails whoever waits with `reason`. */
  abort(reason: Error = new AbortedError('association aborted by this station')): void {
    if (this.state === 'closed') return;
    if (!this.socket.destroyed) this.socket.write(encodeAbort(0, 0));
    this.fail(reason);
  }

  /** Resolves with the next association-control PDU (AC/RJ/RP), for the negotiation code. */
  expectControl(phase: TimeoutPhase, timeoutMs: number): Promise<Pdu> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<Pdu>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.controlWaiter = undefined;
        const error = new TimeoutError(phase, timeoutMs);
        this.abort(error);
        reject(error);
      }, timeoutMs);
      this.controlWaiter = {
        resolve: (pdu) => (clearTimeout(timer), resolve(pdu)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      };
    });
  }

  markOpen(negotiated: NegotiatedAssociation): void {
    this.negotiated = negotiated;
    this.state = 'open';
  }

  private wait<T>(list: Waiter<T>[], phase: TimeoutPhase, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = new TimeoutError(phase, timeoutMs);
        this.abort(error);
      }, timeoutMs);
      list.push({
        resolve: (value) => (clearTimeout(timer), resolve(value)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
    });
  }

  private waitForDrain(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => this.abort(new TimeoutError('response', this.timeouts.responseMs)),
        this.timeouts.responseMs,
      );
      this.drainWaiter = {
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (error) => (clearTimeout(timer), reject(error)),
      };
    });
  }

  private settleDrain(): void {
    const waiter = this.drainWaiter;
    this.drainWaiter = undefined;
    waiter?.resolve();
  }

  private assertOpen(): void {
    if (this.failure) throw this.failure;
    if (this.state !== 'open') throw new DimseError(`association is ${this.state}, not open`);
  }

  private onData(chunk: Buffer): void {
    try {
      for (const pdu of this.reader.push(chunk)) this.onPdu(pdu);
    } catch (error) {
      const reason = error instanceof DimseError ? error : new ProtocolError(String(error));
      this.abort(reason);
    }
  }

  private onPdu(pdu: Pdu): void {
    switch (pdu.type) {
      case 'p-data-tf':
        for (const pdv of pdu.pdvs) {
          const message = this.assembler.push(pdv);
          if (message) this.deliver(message);
        }
        return;
      case 'abort':
        this.fail(new AbortedError(abortText(pdu.source, pdu.reason), pdu.source, pdu.reason));
        return;
      case 'release-rq':
        // PS3.8 7.2: the peer ends the association; answer and close.
        this.socket.write(encodeReleaseRp());
        this.close(new AbortedError('association released by the peer'));
        return;
      default:
        this.settleControl(pdu);
    }
  }

  private settleControl(pdu: Pdu): void {
    const waiter = this.controlWaiter;
    this.controlWaiter = undefined;
    if (waiter) waiter.resolve(pdu);
    else this.abort(new ProtocolError(`unexpected ${pdu.type} PDU`));
  }

  private deliver(message: DimseMessage): void {
    const waiter = this.messageWaiters.shift();
    if (waiter) waiter.resolve(message);
    else this.inbox.push(message);
  }

  private onIdle(): void {
    if (this.state === 'open' && this.busy === 0 && this.messageWaiters.length === 0) {
      void this.release();
    }
  }

  private close(reason: Error = new AbortedError('association released')): void {
    this.fail(reason);
  }

  private fail(reason: Error): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.failure = reason;
    this.socket.setTimeout(0);
    if (!this.socket.writableEnded) this.socket.end();
    // A peer that stopped reading would keep end() pending forever.
    setTimeout(() => this.socket.destroy(), 2000).unref();
    for (const waiter of this.messageWaiters.splice(0)) waiter.reject(reason);
    const control = this.controlWaiter;
    this.controlWaiter = undefined;
    control?.reject(reason);
    const drain = this.drainWaiter;
    this.drainWaiter = undefined;
    drain?.reject(reason);
  }
}

/**
 * The station's own small SCP: answers C-ECHO (so the archive can verify it) and receives Storage
 * Commitment N-EVENT-REPORTs on associations the archive opens (PS3.4 J.3.3), handing each report
 * to whoever waits for its Transaction UID.
 */
import net from 'node:net';
import { acceptAssociation } from './acceptAssociation';
import type { Association } from './Association';
import { DEFAULT_TIMEOUTS, type AssociationTimeouts } from './associationTypes';
import { CommandField, NO_DATA_SET } from './commandSet';
import { TimeoutError } from './errors';
import type { DimseMessage } from './MessageAssembler';
import {
  acknowledgeCommitmentReport,
  isCommitmentReport,
  type CommitmentReport,
} from './storageCommitment';
import { SopClass } from './uids';

export interface StationScpOptions {
  readonly aeTitle: string;
  /** 0 = any free port. */
  readonly port?: number;
  readonly host?: string;
  readonly timeouts?: Partial<AssociationTimeouts>;
}

interface ReportWaiter {
  resolve(report: CommitmentReport): void;
  reject(error: Error): void;
}

/** Reports kept for a late waiter: the archive may answer before N-ACTION-RSP is read. */
const UNCLAIMED_LIMIT = 100;

export class StationScp {
  private readonly waiters = new Map<string, ReportWaiter>();
  private readonly unclaimed = new Map<string, CommitmentReport>();
  private readonly associations = new Set<Association>();

  private constructor(
    private readonly server: net.Server,
    readonly aeTitle: string,
    private readonly timeouts: AssociationTimeouts,
  ) {}

  /** Starts listening; rejects with the listen error (e.g. EADDRINUSE). */
  static async start(options: StationScpOptions): Promise<StationScp> {
    const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    const server = net.createServer();
    const scp = new StationScp(server, options.aeTitle, timeouts);
    server.on('connection', (socket) => void scp.serve(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host, () => resolve());
    });
    return scp;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Resolves with the report for `transactionUid`; TimeoutError('response') after `timeoutMs`. */
  waitForReport(transactionUid: string, timeoutMs: number): Promise<CommitmentReport> {
    const early = this.unclaimed.get(transactionUid);
    if (early) {
      this.unclaimed.delete(transactionUid);
      return Promise.resolve(early);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(transactionUid);
        reject(new TimeoutError('response', timeoutMs));
      }, timeoutMs);
      this.waiters.set(transactionUid, {
        resolve: (report) => (clearTimeout(timer), resolve(report)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
    });
  }

  /** A report that arrived on another association (e.g. the N-ACTION one). */
  deliver(report: CommitmentReport): void {
    const waiter = this.waiters.get(report.transactionUid);
    if (waiter) {
      this.waiters.delete(report.transactionUid);
      waiter.resolve(report);
      return;
    }
    if (this.unclaimed.size >= UNCLAIMED_LIMIT) {
      const oldest = this.unclaimed.keys().next().value;
      if (oldest !== undefined) this.unclaimed.delete(oldest);
    }
    this.unclaimed.set(report.transactionUid, report);
  }

  /** Stops listening and aborts open associations; waiters get an error. */
  async stop(): Promise<void> {
    for (const association of this.associations) association.abort();
    for (const waiter of this.waiters.values()) waiter.reject(new Error('station SCP stopped'));
    this.waiters.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async serve(socket: net.Socket): Promise<void> {
    socket.on('error', () => undefined);
    let association: Association;
    try {
      association = await acceptAssociation(socket, {
        aeTitle: this.aeTitle,
        abstractSyntaxes: [SopClass.Verification, SopClass.StorageCommitmentPushModel],
        timeouts: this.timeouts,
      });
    } catch {
      return;
    }
    this.associations.add(association);
    try {
      for (;;) await this.handle(association, await association.receive(this.timeouts.idleMs));
    } catch {
      // Released or aborted by the peer, or idle: nothing is pending on this association.
    } finally {
      this.associations.delete(association);
    }
  }

  private async handle(association: Association, message: DimseMessage): Promise<void> {
    if (message.command.commandField === CommandField.CEchoRq) {
      await association.sendCommand(message.contextId, {
        commandField: CommandField.CEchoRsp,
        commandDataSetType: NO_DATA_SET,
        messageIdBeingRespondedTo: message.command.messageId,
        affectedSopClassUid: SopClass.Verification,
        status: 0,
      });
      return;
    }
    if (isCommitmentReport(message)) {
      this.deliver(await acknowledgeCommitmentReport(association, message));
      return;
    }
    // PS3.7 C.4.2: anything else is an unrecognised operation.
    await association.sendCommand(message.contextId, {
      commandField: message.command.commandField | 0x8000,
      commandDataSetType: NO_DATA_SET,
      messageIdBeingRespondedTo: message.command.messageId,
      status: 0x0211,
    });
  }
}

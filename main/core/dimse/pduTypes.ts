/** PS3.8 9.3: the upper-layer PDUs, as plain data. Codec in pdu.ts. */

export const PduType = {
  AssociateRq: 0x01,
  AssociateAc: 0x02,
  AssociateRj: 0x03,
  PDataTf: 0x04,
  ReleaseRq: 0x05,
  ReleaseRp: 0x06,
  Abort: 0x07,
} as const;

/** PS3.8 9.3.2.2: one proposed presentation context (odd id 1–255). */
export interface PresentationContextProposal {
  readonly id: number;
  readonly abstractSyntax: string;
  /** In order of preference: the acceptor usually takes the first it supports. */
  readonly transferSyntaxes: readonly string[];
}

/** PS3.8 9.3.3.2: the acceptor's answer for one context; result 0 = acceptance. */
export interface PresentationContextResult {
  readonly id: number;
  readonly result: number;
  readonly transferSyntax: string;
}

/** PS3.7 D.3.3.4 SCP/SCU Role Selection sub-item. */
export interface RoleSelection {
  readonly sopClassUid: string;
  readonly scu: boolean;
  readonly scp: boolean;
}

/** PS3.8 9.3.2.3 / PS3.7 D.3.3: User Information item. */
export interface UserInformation {
  /** 0 = no limit (PS3.8 D.1). */
  readonly maxPduLength: number;
  readonly implementationClassUid: string;
  readonly implementationVersionName?: string;
  readonly roleSelections?: readonly RoleSelection[];
}

export interface AssociateRq {
  readonly type: 'associate-rq';
  readonly calledAeTitle: string;
  readonly callingAeTitle: string;
  readonly applicationContext: string;
  readonly presentationContexts: readonly PresentationContextProposal[];
  readonly userInfo: UserInformation;
}

export interface AssociateAc {
  readonly type: 'associate-ac';
  readonly calledAeTitle: string;
  readonly callingAeTitle: string;
  readonly applicationContext: string;
  readonly presentationContexts: readonly PresentationContextResult[];
  readonly userInfo: UserInformation;
}

export interface AssociateRj {
  readonly type: 'associate-rj';
  readonly result: number;
  readonly source: number;
  readonly reason: number;
}

/** PS3.8 9.3.5.1: one Presentation Data Value. */
export interface Pdv {
  readonly contextId: number;
  readonly isCommand: boolean;
  readonly isLast: boolean;
  readonly data: Buffer;
}

export interface PDataTf {
  readonly type: 'p-data-tf';
  readonly pdvs: readonly Pdv[];
}

export interface ReleaseRq {
  readonly type: 'release-rq';
}
export interface ReleaseRp {
  readonly type: 'release-rp';
}
export interface Abort {
  readonly type: 'abort';
  readonly source: number;
  readonly reason: number;
}

export type Pdu = AssociateRq | AssociateAc | AssociateRj | PDataTf | ReleaseRq | ReleaseRp | Abort;

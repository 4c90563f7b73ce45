/**
 * Certificates made with openssl at test time (a trusted CA with server and client certificates,
 * and an unrelated CA) and DCMTK storescp +tls, which by default requires a client certificate.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { canConnect, freePort, outputText, resolveTool, runTool } from '../../services';
import { spawnService, waitUntilReady, type ServiceProcess } from '../../services/serviceProcess';

async function openssl(args: string[]): Promise<void> {
  const result = await runTool('openssl', args, { timeoutMs: 30_000 });
  if (result.code !== 0) throw new Error(`openssl ${args.join(' ')}:\n${outputText(result)}`);
}

export interface TestPki {
  readonly caCert: string;
  readonly serverKey: string;
  readonly serverCert: string;
  readonly clientKey: string;
  readonly clientCert: string;
  /** A CA that signed nothing here: trusting only it must refuse the server. */
  readonly otherCaCert: string;
}

async function selfSignedCa(dir: string, name: string): Promise<void> {
  await openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    `/CN=${name}`,
    '-keyout',
    path.join(dir, `${name}.key`),
    '-out',
    path.join(dir, `${name}.pem`),
  ]);
}

async function signedCert(dir: string, name: string, extensions: string): Promise<void> {
  const at = (suffix: string) => path.join(dir, `${name}${suffix}`);
  await writeFile(at('.ext'), extensions);
  await openssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    `/CN=${name}`,
    '-keyout',
    at('.key'),
    '-out',
    at('.csr'),
  ]);
  await openssl([
    'x509',
    '-req',
    '-in',
    at('.csr'),
    '-CA',
    path.join(dir, 'ca.pem'),
    '-CAkey',
    path.join(dir, 'ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    at('.ext'),
    '-out',
    at('.pem'),
  ]);
}

export async function makePki(dir: string): Promise<TestPki> {
  await selfSignedCa(dir, 'ca');
  await selfSignedCa(dir, 'other');
  await signedCert(
    dir,
    'server',
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  await signedCert(dir, 'client', 'extendedKeyUsage=clientAuth\n');
  const at = (name: string) => path.join(dir, name);
  return {
    caCert: at('ca.pem'),
    serverKey: at('server.key'),
    serverCert: at('server.pem'),
    clientKey: at('client.key'),
    clientCert: at('client.pem'),
    otherCaCert: at('other.pem'),
  };
}

export interface TlsStorescp {
  readonly port: number;
  readonly aet: string;
  stop(): Promise<void>;
}

/** storescp +tls with our server certificate, trusting our CA for client certificates. */
export async function startTlsStorescp(
  pki: TestPki,
  outDir: string,
  logDir: string,
): Promise<TlsStorescp> {
  const port = await freePort();
  const aet = 'TLSSCP';
  const service: ServiceProcess = spawnService({
    name: 'storescp-tls',
    command: resolveTool('storescp', 'dcmtk'),
    args: [
      '+tls',
      pki.serverKey,
      pki.serverCert,
      '+cf',
      pki.caCert,
      '-aet',
      aet,
      '-od',
      outDir,
      String(port),
    ],
    logFile: path.join(logDir, 'storescp-tls.log'),
  });
  await waitUntilReady(service, () => canConnect(port), 10_000);
  return { port, aet, stop: () => service.stop() };
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { WS_PATH } from '../../preload/wire';
import { securityHeaders } from '../core/security/securityHeaders';
import type { Station } from '../core/station/createStation';
import { sendStaticFile } from './staticFiles';
import { createToken, presentedToken, tokenCookie, tokenMatches } from './token';
import { serveContractOn } from './webSocketApi';

export interface BrowserModeServer {
  /** http://127.0.0.1:PORT/ */
  readonly origin: string;
  /** The origin plus `?token=…`: what a person opens. Printed once, never logged. */
  readonly urlWithToken: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  readonly station: Station;
  /** The built renderer (out/renderer). */
  readonly rendererDir: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Fixed token for tests; a random one otherwise. */
  readonly token?: string;
}

const HOST = '127.0.0.1';
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/**
 * Browser mode (ARCHITECTURE.md, transport 2): the built renderer and the contract over
 * loopback only. Every request needs the per-run token (cookie, bearer header, or `?token=`):
 * without it the answer is 401 with no data. The Host header must name the loopback address,
 * which defeats DNS-rebinding pages, and a WebSocket must come from the server's own origin.
 */
export async function startServer(options: ServerOptions): Promise<BrowserModeServer> {
  const token = options.token ?? createToken();
  const server = createServer();
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${HOST}:${port}`;
  const allowedHosts = new Set([`${HOST}:${port}`, `localhost:${port}`]);
  const headers = securityHeaders({ connectSources: [origin.replace(/^http/, 'ws')] });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  const authorised = (request: IncomingMessage, url: URL) =>
    allowedHosts.has(request.headers.host ?? '') &&
    tokenMatches(token, presentedToken(request, url));

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', origin);
    if (!authorised(request, url)) return refuse(response, headers);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, headers).end();
      return;
    }
    if (url.searchParams.has('token')) {
      // Trade the token in the address bar for an HttpOnly cookie, then drop it from the URL.
      response.writeHead(302, {
        ...headers,
        'set-cookie': tokenCookie(token),
        location: url.pathname,
      });
      response.end();
      return;
    }
    void sendStaticFile(response, options.rendererDir, url.pathname, headers);
  });

  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(request.url ?? '/', origin);
    const sameOrigin =
      request.headers.origin === origin || request.headers.origin === `http://localhost:${port}`;
    if (url.pathname !== WS_PATH || !sameOrigin || !authorised(request, url)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => serveContractOn(ws, options.station));
  });

  return {
    origin,
    urlWithToken: `${origin}/?token=${token}`,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function refuse(response: ServerResponse, headers: Record<string, string>): void {
  response.writeHead(401, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
  response.end('401: open the station with the URL it printed (it carries the access token)\n');
}

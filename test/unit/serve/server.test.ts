import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createStation, type Station } from '../../../main/core/station/createStation';
import { startServer, type BrowserModeServer } from '../../../main/serve/startServer';

const TOKEN = 'unit-test-token-0123456789abcdef';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(url: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(url: string, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once('error', reject);
  });
}

function callOver(
  socket: WebSocket,
  id: number,
  method: string,
  payload?: unknown,
): Promise<unknown> {
  return new Promise((resolve) => {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { id?: number };
      if (message.id === id) resolve(message);
    });
    socket.send(JSON.stringify({ type: 'call', id, method, payload }));
  });
}

describe('browser-mode server', () => {
  let station: Station;
  let server: BrowserModeServer;
  let home: string;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'cs-serve-'));
    const renderer = join(home, 'renderer');
    mkdirSync(renderer);
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>station shell</title>');
    writeFileSync(join(home, 'secret.txt'), 'must never be served');
    station = createStation({ env: { CAPTURE_STATION_HOME: home } });
    server = await startServer({ station, rendererDir: renderer, token: TOKEN });
  });
  afterAll(async () => {
    await server.close();
    await station.close();
  });

  it('listens on loopback only and prints a URL carrying the token', () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.urlWithToken).toBe(`${server.origin}/?token=${TOKEN}`);
  });

  it('answers 401 with no page data when the token is missing or wrong', async () => {
    for (const reply of [
      await get(`${server.origin}/`),
      await get(`${server.origin}/?token=wrong`),
      await get(`${server.origin}/index.html`, { authorization: 'Bearer nope' }),
    ]) {
      expect(reply.status).toBe(401);
      expect(reply.body).not.toContain('station shell');
    }
  });

  it('trades the token for an HttpOnly cookie, then serves the renderer with the CSP', async () => {
    const first = await get(server.urlWithToken);
    expect(first.status).toBe(302);
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const page = await get(`${server.origin}/`, { cookie: cookie.split(';')[0] ?? '' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('station shell');
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'/);
  });

  it('refuses a foreign Host header even with the token (DNS rebinding)', async () => {
    const reply = await get(`${server.origin}/`, {
      authorization: `Bearer ${TOKEN}`,
      host: 'evil.example:80',
    });
    expect(reply.status).toBe(401);
  });

  it('never serves a file outside the renderer folder', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const reply = await get(`${server.origin}${path}`, auth);
      expect(reply.status).toBe(404);
      expect(reply.body).not.toContain('must never be served');
    }
  });

  it('refuses a WebSocket without the token or from another origin', async () => {
    const ws = server.origin.replace('http', 'ws') + '/api/ws';
    await expect(openSocket(ws, { origin: server.origin })).rejects.toThrow('HTTP 401');
    await expect(
      openSocket(ws, { origin: 'http://evil.example', cookie: `cs_token=${TOKEN}` }),
    ).rejects.toThrow('HTTP 401');
  });

  it('serves the contract over the WebSocket and returns a typed error for a bad payload', async () => {
    const ws = server.origin.replace('http', 'ws') + '/api/ws';
    const socket = await openSocket(ws, { origin: server.origin, cookie: `cs_token=${TOKEN}` });
    const info = (await callOver(socket, 1, 'getStationInfo')) as {
      ok: boolean;
      value: { aeTitle: string; demoWorklist: boolean };
    };
    expect(info.ok).toBe(true);
    expect(info.value.aeTitle).toBe('CAPTURE1');
    expect(info.value.demoWorklist).toBe(true);
    const bad = (await callOver(socket, 2, 'queryWorklist', { date: 'tomorrow' })) as {
      ok: boolean;
      error: { code: string; message: string };
    };
    expect(bad.ok).toBe(false);
    expect(bad.error.code).toBe('invalid-payload');
    expect(bad.error.message).toContain('date');
    const unknown = (await callOver(socket, 3, 'deleteEverything')) as {
      ok: boolean;
      error: { code: string };
    };
    expect(unknown.error.code).toBe('unknown-method');
    socket.close();
  });
});

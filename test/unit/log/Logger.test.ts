import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileLogger } from '../../../main/core/log/Logger';
import { redact, redactText } from '../../../main/core/log/redact';

describe('log redaction', () => {
  it('masks secrets under secret-like keys, at any depth', () => {
    const masked = redact({
      user: 'nurse1',
      password: 'hunter2',
      dest: { auth: { clientSecret: 's3', token: 't' } },
    });
    expect(JSON.stringify(masked)).not.toMatch(/hunter2|s3|"t"/);
    expect(masked).toMatchObject({ user: 'nurse1', password: '[redacted]' });
  });

  it('masks tokens inside URLs and authorization headers in free text', () => {
    const text = redactText(
      'GET http://127.0.0.1:9/?token=abc123 with Authorization: Bearer eyJhbGciOi.x.y',
    );
    expect(text).not.toContain('abc123');
    expect(text).not.toContain('eyJhbGciOi');
  });
});

describe('FileLogger', () => {
  it('writes JSON lines without secrets and rotates by size, keeping N files', () => {
    const folder = mkdtempSync(join(tmpdir(), 'cs-log-'));
    const log = new FileLogger({ folder, maxBytes: 400, keep: 2 });
    for (let i = 0; i < 20; i++) log.info(`line ${i} ?token=SECRET${i}`, { password: 'pw' });
    const files = readdirSync(folder).sort();
    expect(files).toEqual(['station.log', 'station.log.1', 'station.log.2']);
    const all = files.map((f) => readFileSync(join(folder, f), 'utf8')).join('');
    expect(all).not.toMatch(/SECRET|"pw"/);
    const last = readFileSync(join(folder, 'station.log'), 'utf8').trim().split('\n').pop() ?? '';
    expect(JSON.parse(last)).toMatchObject({ level: 'info', message: 'line 19 ?token=[redacted]' });
  });
});

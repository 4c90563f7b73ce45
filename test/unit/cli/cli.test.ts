import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('capture-station CLI frame', () => {
  it('lists its commands with --help and exits 0', async () => {
    const { code, out } = await run('--help');
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/config\s+check the configuration/);
  });

  it('exits 2 with the reason for an unknown command', async () => {
    const { code, err } = await run('frobnicate');
    expect(code).toBe(2);
    expect(err[0]).toBe('capture-station: unknown command "frobnicate"');
  });

  it('checks a configuration file: one line on stderr and exit 1 when it is wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-cli-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ station: { aeTitle: 'BAD\\AE' } }));
    const bad = await run('--config', file, 'config', 'check');
    expect(bad.code).toBe(1);
    expect(bad.err).toHaveLength(1);
    expect(bad.err[0]).toMatch(
      /^capture-station config: .*config\.json: field "station\.aeTitle": .*backslash/,
    );

    writeFileSync(file, JSON.stringify({ station: { aeTitle: 'ENDO2' } }));
    const good = await run('config', 'show', '--json', '--config', file);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.out[0] ?? '')).toMatchObject({
      file,
      config: { station: { aeTitle: 'ENDO2' } },
    });
  });
});

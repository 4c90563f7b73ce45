import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDataFolder } from '../../../main/core/config/dataFolder';
import { ConfigError, loadConfig } from '../../../main/core/config/loadConfig';

function home(config?: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'cs-config-'));
  if (config !== undefined)
    writeFileSync(
      join(dir, 'config.json'),
      typeof config === 'string' ? config : JSON.stringify(config),
    );
  return dir;
}

const README_EXAMPLE = {
  station: {
    aeTitle: 'CAPTURE1',
    name: 'Endo room 2',
    institution: 'St Elsewhere',
    department: 'endoscopy',
  },
  worklist: { host: 'ris.example', port: 104, calledAeTitle: 'WL' },
  destinations: {
    pacs: { type: 'dimse', host: 'pacs.example', port: 104, calledAeTitle: 'PACS', commit: true },
    vna: { type: 'stowrs', url: 'https://vna.example/dicom-web' },
    local: { type: 'folder', path: '/srv/capture' },
  },
};

describe('loadConfig', () => {
  it('uses CAPTURE_STATION_HOME as the data folder, and the XDG config dir otherwise', () => {
    expect(resolveDataFolder({ CAPTURE_STATION_HOME: '/data/cs' }, 'linux')).toBe('/data/cs');
    expect(resolveDataFolder({ XDG_CONFIG_HOME: '/x' }, 'linux')).toBe('/x/Capture Station');
  });

  it('runs on the embedded defaults when there is no file', () => {
    const loaded = loadConfig({ env: { CAPTURE_STATION_HOME: home() } });
    expect(loaded.file).toBeUndefined();
    expect(loaded.config.station.aeTitle).toBe('CAPTURE1');
    expect(loaded.config.worklist).toBeUndefined();
    expect(loaded.config.destinations).toEqual({});
  });

  it('accepts the documented example unchanged', () => {
    const loaded = loadConfig({ env: { CAPTURE_STATION_HOME: home(README_EXAMPLE) } });
    expect(loaded.config.destinations.pacs).toMatchObject({ type: 'dimse', commit: true });
    expect(loaded.config.station.department).toBe('endoscopy');
  });

  it.each([
    [{ station: { aeTitle: 'MUCH_TOO_LONG_AE_TITLE' } }, /field "station\.aeTitle"/],
    [{ station: { department: 'radiology' } }, /field "station\.department".*endoscopy/],
    [
      { destinations: { pacs: { type: 'dimse', host: 'h', port: 70000, calledAeTitle: 'P' } } },
      /field "destinations\.pacs\.port"/,
    ],
    [{ destinations: { pacs: { type: 'ftp' } } }, /field "destinations\.pacs\.type"/],
    [
      { worklist: { host: 'h', port: 104, calledAeTitle: 'WL', pasword: 'x' } },
      /worklist: unknown field "pasword"/,
    ],
    ['{ "station": ', /not valid JSON/],
  ])('refuses %j with one message naming the file and the field', (config, expected) => {
    const dir = home(config);
    let error: unknown;
    try {
      loadConfig({ env: { CAPTURE_STATION_HOME: dir } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(join(dir, 'config.json'));
    expect((error as Error).message).toMatch(expected);
  });

  it('refuses an explicit --config file that does not exist', () => {
    expect(() => loadConfig({ file: '/nonexistent/config.json' })).toThrow(
      /cannot read the configuration file \(ENOENT\)/,
    );
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../../main/app/electronBinary';

let packageDir: string;
beforeEach(() => {
  packageDir = mkdtempSync(join(tmpdir(), 'electron-pkg-'));
});
afterEach(() => rmSync(packageDir, { recursive: true, force: true }));

describe('findElectronBinary', () => {
  it('is undefined when the binary was never installed (no path.txt)', () => {
    expect(findElectronBinary({ packageDir, env: {} })).toBeUndefined();
  });

  it('is undefined when path.txt names a file that is not there', () => {
    writeFileSync(join(packageDir, 'path.txt'), 'electron');
    expect(findElectronBinary({ packageDir, env: {} })).toBeUndefined();
  });

  it('finds dist/<path.txt>', () => {
    writeFileSync(join(packageDir, 'path.txt'), 'electron');
    mkdirSync(join(packageDir, 'dist'));
    writeFileSync(join(packageDir, 'dist', 'electron'), '');
    expect(findElectronBinary({ packageDir, env: {} })).toBe(join(packageDir, 'dist', 'electron'));
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH as electron/index.js does', () => {
    const override = join(packageDir, 'custom');
    mkdirSync(override);
    writeFileSync(join(override, 'electron'), '');
    const env = { ELECTRON_OVERRIDE_DIST_PATH: override };
    expect(findElectronBinary({ packageDir, env })).toBe(join(override, 'electron'));
  });

  it('never throws or downloads for the real package on this machine', () => {
    expect(() => findElectronBinary()).not.toThrow();
  });
});

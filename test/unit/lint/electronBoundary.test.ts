import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layering rule (STYLE.md): core, serve and renderer never import electron. This proves the
 * rule is on for each layer — and off for the Electron shell — so the boundary cannot rot.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function electronViolations(filePath: string, source: string): Promise<string[]> {
  const config = (await eslint.calculateConfigForFile(filePath)) as {
    rules?: Record<string, unknown>;
  };
  const linter = new ESLint({
    cwd: process.cwd(),
    overrideConfigFile: true,
    overrideConfig: {
      files: ['**/*.ts', '**/*.tsx'],
      languageOptions: { parser: (await import('typescript-eslint')).parser },
      rules: {
        // The rules exactly as the project's config sets them for this path ('off' where unset).
        'no-restricted-imports': (config.rules?.['no-restricted-imports'] ?? 'off') as never,
        'no-restricted-syntax': (config.rules?.['no-restricted-syntax'] ?? 'off') as never,
      },
    },
  });
  const [result] = await linter.lintText(source, { filePath });
  return (result?.messages ?? []).map((m) => m.message);
}

describe('electron import boundary', { timeout: 60_000 }, () => {
  it.each([
    'main/core/dimse/anything.ts',
    'main/serve/anything.ts',
    'renderer/src/anything.tsx',
    'preload/contract.ts',
  ])('refuses `import … from "electron"` in %s', async (file) => {
    expect(
      (await electronViolations(file, "import { app } from 'electron';\nvoid app;\n")).join('\n'),
    ).toMatch(/never import electron|inject what you need/);
    expect(
      (await electronViolations(file, "const e = require('electron');\nvoid e;\n")).join('\n'),
    ).toMatch(/never require electron/);
  });

  it('allows electron in the shell (main/app, main/index.ts, preload/index.ts)', async () => {
    expect(
      await electronViolations(
        'main/app/windows.ts',
        "import { app } from 'electron';\nvoid app;\n",
      ),
    ).toEqual([]);
    expect(
      await electronViolations(
        'preload/index.ts',
        "import { contextBridge } from 'electron';\nvoid contextBridge;\n",
      ),
    ).toEqual([]);
  });
});

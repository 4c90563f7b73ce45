import { loadConfig } from '../../core/config/loadConfig';
import { parseFlags } from '../parseFlags';
import { CliUsageError, type CliCommand } from '../types';

/** `capture-station config check|show`: validate the configuration IT wrote, or print what is in force. */
export const configCommand: CliCommand = {
  name: 'config',
  summary: 'check the configuration file, or show the configuration in force',
  usage: 'usage: capture-station [--config FILE] [--json] config check|show',
  async run(argv, ctx) {
    const { positionals } = parseFlags(argv, {});
    const action = positionals[0];
    if (action !== 'check' && action !== 'show') throw new CliUsageError('say "check" or "show"');
    const loaded = loadConfig({ file: ctx.configPath });
    const source = loaded.file ?? 'built-in defaults (no configuration file)';
    if (action === 'check') {
      ctx.out(
        ctx.json
          ? JSON.stringify({ ok: true, file: loaded.file ?? null })
          : `configuration OK: ${source}`,
      );
      return Promise.resolve();
    }
    const shown = {
      file: loaded.file ?? null,
      dataFolder: loaded.dataFolder,
      config: loaded.config,
    };
    ctx.out(ctx.json ? JSON.stringify(shown) : JSON.stringify(shown, null, 2));
    return Promise.resolve();
  },
};

import type { CliCommand } from '../types';
import { configCommand } from './config';
import { echoCommand } from './echo';
import { importCommand } from './import';
import { queueCommand } from './queue';
import { sendCommand } from './send';
import { worklistCommand } from './worklist';
import { wrapCommand } from './wrap';

/** Every subcommand, in the order `--help` lists them. Add one line per command. */
export const commands: readonly CliCommand[] = [
  configCommand,
  echoCommand,
  importCommand,
  queueCommand,
  sendCommand,
  worklistCommand,
  wrapCommand,
];

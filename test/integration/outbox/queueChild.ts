/** The CLI as a child process for the kill tests: `node jiti queueChild.ts <capture-station args>`. */
import { runCli } from '../../../main/cli';

process.exitCode = await runCli(process.argv.slice(2));

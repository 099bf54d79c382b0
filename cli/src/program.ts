import { Command } from 'commander';
import { AGORA_VERSION } from '@agora/contracts';
import { registerAppCommands } from './commands/app';
import { registerDnsCommands } from './commands/dns';
import { registerExecuteCommand } from './commands/execute';
import { registerJobCommands } from './commands/job';
import { registerNodeCommands } from './commands/node';
import { registerTaskCommands } from './commands/task';
import { registerUpCommand } from './commands/up';

/**
 * The `agora` command. Every cluster command takes `--master URL` (default http://127.0.0.1:5050, or
 * $AGORA_MASTER). Errors print as `agora: <message>` on stderr with a non-zero exit status.
 */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('agora')
    .description('Agora: a datacenter operating system (master, agents, resource offers, frameworks)')
    .version(AGORA_VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str.replace(/^error: /, 'agora: ')) });
  registerUpCommand(program);
  registerExecuteCommand(program);
  registerNodeCommands(program);
  registerTaskCommands(program);
  registerAppCommands(program);
  registerDnsCommands(program);
  registerJobCommands(program);
  return program;
}

import { Command } from 'commander';
import { fetchMasterState } from '../cluster/master-state';
import { TaskRow, taskRows } from '../cluster/views';
import { action } from '../errors';
import { integerAtLeast, jsonOption, masterOption } from '../options';
import { cell } from '../output/format';
import { renderJson, renderTable } from '../output/table';
import { showTaskLog } from './task-log';

export function renderTasks(rows: readonly TaskRow[]): string {
  return renderTable(
    ['ID', 'NAME', 'FRAMEWORK', 'STATE', 'HOST'],
    rows.map((t) => [t.id, cell(t.name), cell(t.framework || t.frameworkId), t.state, cell(t.host)]),
  );
}

export function registerTaskCommands(program: Command): void {
  const task = program.command('task').description('tasks of all frameworks');
  task
    .command('list')
    .alias('ls')
    .description('list running tasks (with --all, completed ones too)')
    .option('-a, --all', 'include completed tasks')
    .addOption(masterOption())
    .addOption(jsonOption())
    .action(
      action(async (opts: { master: string; json?: boolean; all?: boolean }) => {
        const { state } = await fetchMasterState(opts.master);
        const rows = taskRows(state, opts.all === true);
        process.stdout.write(opts.json ? renderJson(rows) : renderTasks(rows));
      }),
    );
  task
    .command('log')
    .description("print a task's stdout (or stderr) from its sandbox; a unique id prefix is enough")
    .argument('<task-id>', 'task id or a unique prefix of it')
    .option('-f, --follow', 'keep printing as the file grows, until the task has ended')
    .option('--stderr', 'stderr instead of stdout')
    .option('-n, --lines <n>', 'only the last N lines', integerAtLeast(0, '--lines'))
    .addOption(masterOption())
    .action(
      action(async (taskId: string, opts: { master: string; follow?: boolean; stderr?: boolean; lines?: number }) => {
        await showTaskLog({
          master: opts.master,
          taskId,
          file: opts.stderr ? 'stderr' : 'stdout',
          lines: opts.lines,
          follow: opts.follow === true,
          out: process.stdout,
        });
      }),
    );
}

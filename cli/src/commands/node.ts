import { Command } from 'commander';
import { fetchMasterState } from '../cluster/master-state';
import { NodeRow, nodeRows } from '../cluster/views';
import { action } from '../errors';
import { jsonOption, masterOption } from '../options';
import { formatAttributes, usedOfTotal } from '../output/format';
import { renderJson, renderTable } from '../output/table';

export function renderNodes(rows: readonly NodeRow[]): string {
  return renderTable(
    ['ID', 'HOSTNAME', 'CPUS', 'MEM', 'DISK', 'STATUS', 'ATTRIBUTES'],
    rows.map((n) => [
      n.id,
      n.hostname,
      usedOfTotal(n.cpus.used, n.cpus.total),
      usedOfTotal(n.mem.used, n.mem.total),
      usedOfTotal(n.disk.used, n.disk.total),
      n.status,
      formatAttributes(n.attributes),
    ]),
  );
}

export function registerNodeCommands(program: Command): void {
  const node = program.command('node').description('agents (nodes) of the cluster');
  node
    .command('list')
    .alias('ls')
    .description('list agents with used/total resources (MEM and DISK in MB)')
    .addOption(masterOption())
    .addOption(jsonOption())
    .action(
      action(async (opts: { master: string; json?: boolean }) => {
        const { state } = await fetchMasterState(opts.master);
        const rows = nodeRows(state);
        process.stdout.write(opts.json ? renderJson(rows) : renderNodes(rows));
      }),
    );
}

import { existsSync, statSync } from 'node:fs';
import { loadConfig } from '../config/index.js';
import { SanglocError, WorkspaceError } from '../errors.js';
import { formatPrometheus, formatStatus, workspaceStatus, type WorkspaceStatus } from '../ops/status.js';
import { workspacePaths } from '../warehouse/workspace.js';
import { requireString, type Command } from './command.js';

const options = {
  workspace: { type: 'string', short: 'w' },
  config: { type: 'string', short: 'c' },
  json: { type: 'boolean' },
  prometheus: { type: 'boolean' },
} as const;

export const command: Command<typeof options> = {
  name: 'status',
  summary: "did last night's run succeed? For people and monitoring (exit 0 OK, 1 warning, 2 critical)",
  usage: 'status --workspace WS [--json | --prometheus] [--config FILE]',
  help: [
    '--workspace WS   the workspace (read only: no lock taken, the warehouse is not opened)',
    '--json           the same facts as JSON, for machines',
    "--prometheus     the same facts as Prometheus metrics (for node_exporter's textfile collector)",
    '--config FILE    config with status.maxAgeHours (default 26)',
    'exit codes: 0 OK; 1 WARNING: the last success is older than status.maxAgeHours, a source loaded',
    '0 rows, or the disk has less room than the warehouse; 2 CRITICAL: no run ever succeeded, or a',
    'run failed or died after the last success; 3 UNKNOWN: the workspace or config cannot be read.',
    'The first line follows the Nagios plugin format (text | perfdata).',
  ],
  example: 'sangloc status --workspace /var/lib/sangloc/workspace',
  options,
  async run(args) {
    const root = requireString(this, args, 'workspace');
    let s: WorkspaceStatus;
    try {
      if (!existsSync(root) || !statSync(root).isDirectory()) {
        throw new WorkspaceError(`workspace ${root} does not exist; check --workspace (status never creates one)`);
      }
      const config = loadConfig(args.values.config as string | undefined);
      s = workspaceStatus(workspacePaths(root), { maxAgeHours: config.status.maxAgeHours });
    } catch (err) {
      // Nagios: 3 is UNKNOWN (the check itself could not answer), not a verdict on the runs.
      if (!(err instanceof SanglocError)) throw err;
      process.stdout.write(`SANGLOC UNKNOWN - ${err.message}\n`);
      return 3;
    }
    if (args.values.json) process.stdout.write(JSON.stringify(s, null, 2) + '\n');
    else if (args.values.prometheus) process.stdout.write(formatPrometheus(s));
    else process.stdout.write(formatStatus(s));
    return s.exit_code;
  },
};

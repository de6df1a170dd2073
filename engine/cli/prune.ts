import { loadConfig } from '../config/index.js';
import { createLogger } from '../log.js';
import { formatPrune, pruneWorkspace } from '../ops/prune.js';
import { openExistingWorkspace } from '../publish/run-ref.js';
import { requireString, workspaceOptions, type Command } from './command.js';

const options = {
  ...workspaceOptions,
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  wait: { type: 'boolean' },
} as const;

export const command: Command<typeof options> = {
  name: 'prune',
  summary: 'apply the retention schedule: old run folders, expired delivered rows and rejects; compact the warehouse',
  usage: 'prune --workspace WS [--dry-run] [--json] [--config FILE] [--wait]',
  help: [
    '--workspace WS   the workspace (takes its run lock, like a run)',
    '--dry-run        show what would go; change nothing (the warehouse is opened read-only)',
    '--json           print the report as JSON',
    '--config FILE    retention.runs (run folders kept, default 30) and retention.years (delivered rows and',
    '                 rejects of files loaded longer ago go, default 10: docs/operations.md says why)',
    '--wait           wait for a run holding the workspace instead of exiting',
    'kept always: `latest`, the newest retention.runs runs, the runs an audit outcome points to, and',
    'registry rows still current. What was removed is written to WS/audit.log (action "prune").',
  ],
  example: 'sangloc prune --workspace workspace --dry-run',
  options,
  async run(args) {
    const ws = openExistingWorkspace(requireString(this, args, 'workspace'));
    const config = loadConfig(args.values.config as string | undefined);
    const log = createLogger({ quiet: Boolean(args.values.quiet) });
    const report = await pruneWorkspace(ws, {
      retention: config.retention,
      dryRun: Boolean(args.values['dry-run']),
      wait: Boolean(args.values.wait),
      log,
      threads: config.threads,
      memoryLimit: config.memoryLimit,
    });
    process.stdout.write(args.values.json ? JSON.stringify(report, null, 2) + '\n' : formatPrune(report));
    return 0;
  },
};

import { backupWorkspace } from '../ops/backup.js';
import { fmt } from '../format.js';
import { openExistingWorkspace } from '../publish/run-ref.js';
import { requireString, type Command } from './command.js';

const options = {
  workspace: { type: 'string', short: 'w' },
  out: { type: 'string', short: 'o' },
  'all-runs': { type: 'boolean' },
  wait: { type: 'boolean' },
} as const;

export const command: Command<typeof options> = {
  name: 'backup',
  summary:
    'one consistent file with the warehouse, models, outcomes, audit log and runs (restore with `sangloc restore`)',
  usage: 'backup --workspace WS --out FILE.tar.gz [--all-runs] [--wait]',
  help: [
    '--workspace WS   the workspace (its run lock is held while the files are read: no run changes them meanwhile)',
    '--out FILE       the backup file to write (never overwritten; mode 0600: it holds personal data)',
    '--all-runs       every run folder in full (default: the latest in full, run.json of the others)',
    '--wait           wait for a run holding the workspace instead of exiting',
  ],
  example: 'sangloc backup --workspace workspace --out /backup/sangloc-$(date +%F).tar.gz',
  options,
  async run(args) {
    const ws = openExistingWorkspace(requireString(this, args, 'workspace'));
    const out = requireString(this, args, 'out');
    const r = await backupWorkspace(ws, out, {
      wait: Boolean(args.values.wait),
      allRuns: Boolean(args.values['all-runs']),
    });
    process.stdout.write(
      `sangloc: backup ${r.file} written (${fmt().bytes(r.bytes)}; ${r.manifest.files.length} files, ` +
        `warehouse schema ${r.manifest.schema_version ?? 'none'}, ${r.manifest.runs.length} run(s), ` +
        `latest ${r.manifest.latest_run ?? 'none'})\n`,
    );
    return 0;
  },
};

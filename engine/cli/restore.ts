import { UsageError } from '../errors.js';
import { restoreWorkspace } from '../ops/backup.js';
import { requireString, type Command } from './command.js';

const options = { workspace: { type: 'string', short: 'w' } } as const;

export const command: Command<typeof options> = {
  name: 'restore',
  summary: 'restore a `sangloc backup` file into a new workspace (refuses a folder that is not empty)',
  usage: 'restore FILE --workspace WS',
  help: [
    'FILE             a file written by `sangloc backup` (every file is checked against its SHA-256 before use)',
    '--workspace WS   the new workspace: a missing or empty folder; never over an existing workspace',
    'then: `sangloc status --workspace WS`; the next run migrates an older warehouse schema itself',
  ],
  example: 'sangloc restore /backup/sangloc-2026-11-24.tar.gz --workspace /srv/sangloc/workspace',
  options,
  positionals: true,
  async run(args) {
    const [file, ...rest] = args.positionals;
    if (!file || rest.length) throw new UsageError('restore: expected `sangloc restore FILE --workspace WS`.');
    const r = await restoreWorkspace(file, requireString(this, args, 'workspace'));
    process.stdout.write(
      `sangloc: restored ${r.manifest.files.length} files into ${r.workspace} (backup of ${r.manifest.created_at}, ` +
        `${r.manifest.runs.length} run(s), latest ${r.manifest.latest_run ?? 'none'})\n`,
    );
    return 0;
  },
};

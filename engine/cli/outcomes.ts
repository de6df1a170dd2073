import { loadConfig } from '../config/index.js';
import { UsageError } from '../errors.js';
import { openWarehouse } from '../explain/open.js';
import { createLogger } from '../log.js';
import { importOutcomes } from '../outcomes/import.js';
import { openExistingWorkspace } from '../publish/run-ref.js';
import { acquireLock } from '../warehouse/workspace.js';
import { requireString, workspaceOptions, type Command } from './command.js';

const options = { ...workspaceOptions, wait: { type: 'boolean' } } as const;

export const command: Command<typeof options> = {
  name: 'outcomes',
  summary: 'bring audit results back in: validate and append an outcomes file to the warehouse',
  usage: 'outcomes import FILE --workspace WS [--config FILE] [--wait]',
  help: [
    'import FILE      an outcomes file (CSV or Parquet, columns as in docs/contract.md: subject_type, subject_id,',
    '                 period, result, assessed_revenue, assessed_tax, closed_on, selection)',
    '--workspace WS   the workspace to append to (rows breaking the contract are rejected with line and reason)',
    '--config FILE    config with per-source column names / formats (config.ingest)',
    '--wait           wait for a run holding the workspace instead of exiting',
    'then: `sangloc train --workspace WS` retrains the forest; the next run uses the outcomes too',
  ],
  example: 'sangloc outcomes import audits-2026-q3.csv --workspace workspace',
  options,
  positionals: true,
  async run(args) {
    const [verb, file, ...rest] = args.positionals;
    if (verb !== 'import' || !file || rest.length)
      throw new UsageError('outcomes: expected `sangloc outcomes import FILE --workspace WS`.');
    const ws = openExistingWorkspace(requireString(this, args, 'workspace'));
    const config = loadConfig(args.values.config as string | undefined);
    const log = createLogger({ quiet: Boolean(args.values.quiet) });
    const lock = await acquireLock(ws, { wait: Boolean(args.values.wait), command: 'outcomes import' });
    try {
      const db = await openWarehouse(ws, { threads: config.threads, memoryLimit: config.memoryLimit });
      try {
        const r = await importOutcomes(db, ws, file, { config, log });
        const f = r.file;
        const lines = [
          f.status === 'skipped'
            ? `sangloc: ${file} was imported before (same content); nothing added`
            : `sangloc: ${file}: ${f.rowsRead} row(s) read, ${f.rowsLoaded} loaded, ${f.rowsRejected} rejected`,
          ...r.rejects.map((x) => `  line ${x.line ?? '?'}${x.column ? ` (${x.column})` : ''}: ${x.reason}`),
          ...(f.rowsRejected > r.rejects.length
            ? [`  … ${f.rowsRejected - r.rejects.length} more rejects (table rejects, run_id ${r.importId})`]
            : []),
          `  outcomes in the ` +
            `warehouse: ${r.outcomesInWarehouse}` +
            (r.outcomesMatched !== null ? `, ${r.outcomesMatched} linked to seller entities` : ''),
          ...(r.archived ? [`  kept as ${r.archived}`] : []),
          '  next: `sangloc train --workspace WS` to retrain on them',
          '',
        ];
        process.stdout.write(lines.join('\n'));
        return f.rowsRejected > 0 && f.rowsLoaded === 0 ? 1 : 0;
      } finally {
        db.close();
      }
    } finally {
      lock.release();
    }
  },
};

import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { loadConfig } from '../config/index.js';
import { UsageError } from '../errors.js';
import { openWarehouse } from '../explain/open.js';
import { createLogger } from '../log.js';
import { importOutcomes } from '../outcomes/import.js';
import { openExistingWorkspace, readRunJson, resolveRunDir } from '../publish/run-ref.js';
import { acquireLock } from '../warehouse/workspace.js';
import { auditCommand } from './audit.js';
import { fmt } from '../format.js';
import { requireString, workspaceOptions, type Command } from './command.js';

const options = { ...workspaceOptions, run: { type: 'string' }, wait: { type: 'boolean' } } as const;

export const command: Command<typeof options> = {
  name: 'outcomes',
  summary: 'bring audit results back in: validate and append an outcomes file to the warehouse',
  usage: 'outcomes import FILE --workspace WS [--run ID] [--config FILE] [--wait]',
  help: [
    'import FILE      an outcomes file (CSV or Parquet, columns as in docs/contract.md: subject_type, subject_id,',
    '                 period, result, assessed_revenue, assessed_tax, closed_on, selection)',
    "                 subject_type tax_id, national_id or phone: the value; entity_id: the case's entity_id;",
    '                 platform_shop, domain, account (bank:number) or waybill (carrier:waybill): a record key',
    '                 of the case as cases.csv / members.csv spell it',
    '--run ID         the run whose entity ids and record keys the file uses (default latest): each is',
    '                 resolved through its snapshot; one it does not know is rejected (line, column, reason)',
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
    const runRef = args.values.run as string | undefined;
    const runDir = runRef || existsSync(ws.latestLink) ? resolveRunDir(runRef ?? 'latest', ws) : null;
    const run = runDir ? { runId: readRunJson(runDir).run_id, dir: runDir } : null;
    const lock = await acquireLock(ws, { wait: Boolean(args.values.wait), command: 'outcomes import' });
    try {
      const db = await openWarehouse(ws, { threads: config.threads, memoryLimit: config.memoryLimit });
      try {
        const r = await importOutcomes(db, ws, file, { config, log, run });
        const f = r.file;
        auditCommand(ws, 'outcomes_import', args, {
          runId: run?.runId ?? null,
          rows: {
            rows_read: f.rowsRead,
            rows_loaded: f.rowsLoaded,
            rows_rejected: f.rowsRejected,
            rows_reaching_no_seller: f.rowsWarned,
            resolved_through_run: r.resolvedThroughRun,
          },
          detail: f.status === 'skipped' ? 'imported before; nothing added' : `file ${f.status}`,
        });
        const lines = [
          f.status === 'skipped'
            ? `sangloc: ${file} was imported before (same content); nothing added`
            : `sangloc: ${file}: ${f.rowsRead} row(s) read, ${f.rowsLoaded} loaded, ${f.rowsRejected} rejected` +
              (f.rowsWarned ? `, ${f.rowsWarned} naming no seller` : ''),
          ...(r.resolvedThroughRun
            ? [`  ${r.resolvedThroughRun} named by entity id or record key, found in run ${run?.runId}`]
            : []),
          ...r.rejects.map((x) => `  line ${x.line ?? '?'}${x.column ? ` (${x.column})` : ''}: ${x.reason}`),
          ...(f.rowsRejected > r.rejects.length
            ? [`  … ${f.rowsRejected - r.rejects.length} more rejects (table rejects, run_id ${r.importId})`]
            : []),
          ...(f.rowsWarned
            ? [
                `  warning: ${basename(file)}: ${fmt().int(f.rowsWarned)} loaded row(s) name no seller entity ` +
                  'in the warehouse (kept; they count once a run links a seller to them):',
                ...r.warnings.map((x) => `  line ${x.line ?? '?'}${x.column ? ` (${x.column})` : ''}: ${x.reason}`),
                ...(f.rowsWarned > r.warnings.length
                  ? [`  … ${f.rowsWarned - r.warnings.length} more (table ingest_warnings, run_id ${r.importId})`]
                  : []),
              ]
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

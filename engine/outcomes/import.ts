/**
 * Audit outcomes back in: a file in the contract's `outcomes` format is validated and loaded by the
 * same loader as a delivery (rejects with file, line, column and reason), appended to the
 * warehouse's raw outcomes, and the outcome tables are rebuilt so `train` and `stats` see it at
 * once; the next run sees it too. A copy is kept in WS/outcomes/ as the record of what came in.
 */
import { chmodSync, constants, copyFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Config } from '../config/index.js';
import { InputError } from '../errors.js';
import { loadDelivery, type FileLoad } from '../ingest/load.js';
import type { Logger } from '../log.js';
import { installNormalizeMacros } from '../normalize/sql.js';
import { literal, type Db } from '../warehouse/db.js';
import { runModels } from '../warehouse/pipeline.js';
import type { Workspace } from '../warehouse/workspace.js';
import { resolveThroughRun, type ResolvingRun } from './through-run.js';

export interface OutcomeImport {
  /** Id the rejects are recorded under in the warehouse (`rejects.run_id`). */
  importId: string;
  file: FileLoad;
  /** The first rejects (line, column, reason), for the terminal. */
  rejects: { line: number | null; column: string | null; reason: string }[];
  /**
   * The first loaded rows whose subject reaches no seller entity of the warehouse (line, column, reason;
   * every one in `ingest_warnings` and counted in `file.rowsWarned`). Empty before the first run.
   */
  warnings: { line: number | null; column: string | null; reason: string }[];
  /** Outcome rows (subject × period) now in the warehouse, and how many reach an entity. */
  outcomesInWarehouse: number;
  outcomesMatched: number | null;
  /** Where the copy of the file was kept. */
  archived: string;
  /** Rows naming an entity id or record key, resolved through the run (`opts.run`). */
  resolvedThroughRun: number;
}

/**
 * Copies an imported file into WS/outcomes as `<stamp>-<name>`, never over an earlier copy (a
 * second import in the same second gets `-2`, `-3` …), owner-only (0600) whatever the source's
 * permissions: audit outcomes are personal data.
 */
function archiveCopy(ws: Workspace, file: string, stamp: string): string {
  mkdirSync(outcomesDir(ws), { recursive: true, mode: 0o700 });
  for (let n = 1; ; n++) {
    const archived = join(outcomesDir(ws), `${stamp}${n > 1 ? `-${n}` : ''}-${basename(file)}`);
    try {
      copyFileSync(file, archived, constants.COPYFILE_EXCL);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    chmodSync(archived, 0o600);
    return archived;
  }
}

/** Folder of WS keeping every imported outcome file. */
export const outcomesDir = (ws: Workspace) => join(ws.root, 'outcomes');

/**
 * Validates and loads one outcomes file into the warehouse of `ws` (the caller holds the workspace lock).
 * Rows naming the seller by a run's entity id or a record key are resolved through `opts.run`
 * (through-run.ts); the ones it does not know are rejected.
 *
 * @example const r = await importOutcomes(db, ws, 'audits-2026-q3.csv', { config, log, at: new Date() });
 */
export async function importOutcomes(
  db: Db,
  ws: Workspace,
  file: string,
  opts: { config: Config; log: Logger; at?: Date; run?: ResolvingRun | null },
): Promise<OutcomeImport> {
  if (!existsSync(file) || !statSync(file).isFile())
    throw new InputError(file, 'not found; give the path of an outcomes CSV or Parquet file');
  const ext = extname(file).toLowerCase();
  if (ext !== '.csv' && ext !== '.parquet')
    throw new InputError(file, 'expected a .csv or .parquet file in the outcomes format of docs/contract.md');
  const at = opts.at ?? new Date();
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  // Two imports in the same second get their own id (their rejects stay apart) and archive copy.
  let importId = `outcomes-${stamp}`;
  for (
    let n = 2;
    (await db.tableExists('ingest_files')) &&
    (await db.value<number>(`select count(*)::int from ingest_files where run_id = $id`, { id: importId })) > 0;
    n++
  ) {
    importId = `outcomes-${stamp}-${n}`;
  }
  // The loader finds a source by file name: the copy is named outcomes_<original name>.
  const name = `outcomes_${basename(file).replace(/^outcomes[_-]?/i, '')}`;
  const inbox = join(ws.tmpDir, `${importId}-${process.pid}`);
  const copy = join(inbox, name);
  // What the loader says of the copy is said of the person's file: never the internal tmp path.
  // One file is imported: the loader's "the other files still load" says nothing here.
  const asGiven = (m: string) =>
    m
      .split(copy)
      .join(file)
      .split(name)
      .join(basename(file))
      .replace(/; the other files still load$/, '');
  const log: Logger = { ...opts.log, info: (m) => opts.log.info(asGiven(m)), warn: (m) => opts.log.warn(asGiven(m)) };
  mkdirSync(inbox, { recursive: true, mode: 0o700 });
  try {
    copyFileSync(file, copy);
    const summary = await loadDelivery(db, inbox, {
      runId: importId,
      log,
      ingest: opts.config.ingest,
      tmpDir: ws.tmpDir,
    });
    const load = summary.files[0]!;
    if (load.status === 'failed') {
      // The loader's message starts with the copy's path (and line): said as the given file's.
      const said = asGiven(load.message ?? 'the file could not be loaded');
      const at = said.startsWith(`${file}:`) ? /^(\d+): ([\s\S]*)$/.exec(said.slice(file.length + 1)) : null;
      throw at ? new InputError(file, at[2]!, Number(at[1])) : new InputError(file, said.replace(`${file}: `, ''));
    }
    await installNormalizeMacros(db);
    const hasEntities = await db.tableExists('int_entities');
    await runModels(db, (m) => m.name === 'stg_outcomes', opts.log);
    // Entity ids and record keys are the run's: resolved through its snapshot, the rest rejected.
    // 'rejected' (every row rejected) still resolves and archives: the rejects name each row's reason
    const read = load.status === 'loaded' || load.status === 'rejected';
    const throughRun = read ? await resolveThroughRun(db, load, importId, opts.run ?? null) : null;
    await runModels(
      db,
      (m) =>
        m.name === 'stg_outcomes' ||
        (hasEntities && (m.name === 'int_outcome_entities' || m.name === 'mart_entity_outcomes')),
      opts.log,
    );
    const warnings =
      hasEntities && load.status === 'loaded' ? await warnUnmatched(db, load, importId, basename(file)) : [];
    const rejects = await db.all<{ line: number | null; column: string | null; reason: string }>(
      `select line, "column", reason from rejects where run_id = $r order by line nulls first limit 20`,
      { r: importId },
    );
    const outcomesInWarehouse = (await db.value<number>(`select count(*)::bigint from stg_outcomes`)) ?? 0;
    const outcomesMatched = hasEntities
      ? await db.value<number>(`select coalesce(sum(outcome_rows), 0)::bigint from mart_entity_outcomes`)
      : null;
    const archived = read ? archiveCopy(ws, file, importId.slice('outcomes-'.length)) : '';
    return {
      importId,
      file: load,
      rejects,
      warnings,
      outcomesInWarehouse,
      outcomesMatched,
      archived,
      resolvedThroughRun: throughRun?.resolved ?? 0,
    };
  } finally {
    rmSync(inbox, { recursive: true, force: true });
  }
}

/** The identifier kinds of a subject as a warning names them (never the value). */
const subjectKindText: Record<string, string> = {
  tax_id: 'tax code',
  national_id: 'national ID',
  phone: 'phone number',
  entity_id: 'entity id',
  platform_shop: 'shop',
  domain: 'website domain',
  account: 'bank account',
  waybill: 'waybill',
};

/**
 * Records a warning (`ingest_warnings`, column subject_id) for each loaded row of this file whose
 * subject reaches no seller entity of the warehouse (`int_outcome_entities`, just rebuilt): the row
 * is kept, since a later run may link a seller to it, but trains nothing until then. Counts them in
 * `load.rowsWarned`; returns the first 20 for the terminal. Reasons name the identifier kind only.
 */
async function warnUnmatched(
  db: Db,
  load: FileLoad,
  importId: string,
  fileName: string,
): Promise<{ line: number | null; column: string | null; reason: string }[]> {
  const kindSql = `case o.subject_type ${Object.entries(subjectKindText)
    .map(([t, k]) => `when ${literal(t)} then ${literal(k)}`)
    .join(' ')} else o.subject_type end`;
  await db.exec(
    `insert into ingest_warnings
     select $run, $f, 'outcomes', $file, o._line, 'subject_id', o.subject_id,
            'no seller entity in the warehouse has this ' || ${kindSql} || ' (as of the last run): the outcome ' ||
            'is kept but trains nothing and excludes no case until a run links a seller to it; check the ' ||
            'subject_type and subject_id'
     from stg_outcomes o
     where o._file_id = $f and not exists (
       select 1 from int_outcome_entities e
       where e.subject_type = o.subject_type and e.subject_id = o.subject_id and e.entity_id is not null)
     order by o._line`,
    { run: importId, f: load.fileId!, file: fileName },
  );
  load.rowsWarned =
    (await db.value<number>(
      `select count(distinct line)::bigint from ingest_warnings where run_id = $run and file_id = $f`,
      { run: importId, f: load.fileId! },
    )) ?? 0;
  return db.all<{ line: number | null; column: string | null; reason: string }>(
    `select line, "column", reason from ingest_warnings where run_id = $run and file_id = $f order by line limit 20`,
    { run: importId, f: load.fileId! },
  );
}

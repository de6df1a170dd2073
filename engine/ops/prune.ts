/**
 * `sangloc prune`: the retention schedule. Keeps the newest `retention.runs` run folders, `latest`,
 * and the runs an audit outcome points to; deletes delivered rows, rejects and warnings of files
 * loaded more than `retention.years` ago (a registry row that is still the current version of its
 * taxpayer or website stays); compacts the warehouse; records what it removed in WS/audit.log.
 * It holds the run lock throughout. A run never deletes anything itself.
 */
import {
  existsSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  openSync,
  fsyncSync,
  closeSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { openWarehouse } from '../explain/open.js';
import { sourceNames, type SourceName } from '../ingest/sources.js';
import type { Logger } from '../log.js';
import { appendAudit } from '../warehouse/audit.js';
import { ident, literal, type Db } from '../warehouse/db.js';
import { ensureIngestSchema, rawTable, warehouseSchemaVersion } from '../ingest/schema.js';
import { acquireLock, type Workspace } from '../warehouse/workspace.js';
import { fmt } from '../format.js';

/** Sources keyed without a period: an old row can still be the current record of its key. */
const REGISTRY_SOURCES: readonly SourceName[] = ['taxpayers', 'websites'];
/** The office's own audit results: training labels and the link to the runs they came from; never expired here. */
const KEPT_SOURCES: readonly SourceName[] = ['outcomes'];

export interface PruneOptions {
  retention: { runs: number; years: number };
  dryRun: boolean;
  log: Logger;
  /** Wait for a run holding the workspace instead of failing. */
  wait?: boolean;
  threads?: number;
  memoryLimit?: string;
  /** Clock, for tests. */
  now?: Date;
}

export interface KeptRun {
  run_id: string;
  /** `latest`, `newest N`, `outcomes` (a recorded audit outcome points to it). */
  why: string[];
}

export interface PruneReport {
  dry_run: boolean;
  /** Files loaded before this instant are expired. */
  cutoff: string;
  runs_kept: KeptRun[];
  runs_removed: string[];
  /** Delivery files whose rows expired (each counted once; their ledger row stays, marked pruned). */
  files_expired: number;
  /** Raw rows removed, by source. */
  rows_removed: Record<string, number>;
  /** Expired registry rows kept because they are still the current record of their key, by source. */
  rows_kept_current: Record<string, number>;
  rejects_removed: number;
  warnings_removed: number;
  warehouse_bytes_before: number | null;
  warehouse_bytes_after: number | null;
}

/**
 * Applies (or with `dryRun` only computes) the retention schedule of a workspace.
 *
 * @example const r = await pruneWorkspace(ws, { retention: { runs: 30, years: 10 }, dryRun: true, log });
 */
export async function pruneWorkspace(ws: Workspace, opts: PruneOptions): Promise<PruneReport> {
  process.umask(0o077);
  const now = opts.now ?? new Date();
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - opts.retention.years);
  const lock = await acquireLock(ws, { wait: opts.wait, command: 'prune' });
  let db: Db | undefined;
  try {
    const before = warehouseBytes(ws);
    if (existsSync(ws.warehouse)) {
      // A dry run opens the warehouse read-only: it cannot change anything, not even migrate it.
      db = await openWarehouse(ws, { threads: opts.threads, memoryLimit: opts.memoryLimit, readOnly: opts.dryRun });
      if (!opts.dryRun) await ensureIngestSchema(db);
    }
    const runDirs = listRunFolders(ws);
    const referenced = db ? await runsReferencedByOutcomes(db, ws, runDirs) : new Map<string, number>();
    const { kept, removed } = planRuns(ws, runDirs, opts.retention.runs, referenced);
    const rows = db ? await planRows(db, cutoff) : emptyRowPlan();

    const report: PruneReport = {
      dry_run: opts.dryRun,
      cutoff: cutoff.toISOString(),
      runs_kept: kept,
      runs_removed: removed,
      files_expired: rows.files,
      rows_removed: rows.removed,
      rows_kept_current: rows.keptCurrent,
      rejects_removed: rows.rejects,
      warnings_removed: rows.warnings,
      warehouse_bytes_before: before,
      warehouse_bytes_after: before,
    };
    if (opts.dryRun) return report;

    const rowsRemoved = Object.values(rows.removed).reduce((a, b) => a + b, 0) + rows.rejects + rows.warnings;
    if (db && (rowsRemoved > 0 || rows.files > 0)) {
      await opts.log.stage('prune rows', () => deleteRows(db!, cutoff, now));
    }
    for (const id of removed) rmSync(ws.runDir(id), { recursive: true, force: true });
    if (db) {
      await db.exec('checkpoint');
      if (rowsRemoved > 0) {
        // DuckDB reuses freed blocks but never shrinks its file: copying into a fresh file does.
        await opts.log.stage('compact', () => compactWarehouse(db!, ws));
        db = undefined; // closed by compactWarehouse
      }
    }
    report.warehouse_bytes_after = warehouseBytes(ws);
    appendAudit(ws, {
      action: 'prune',
      rows: {
        runs_removed: removed.length,
        runs_kept: kept.length,
        files_expired: rows.files,
        ...Object.fromEntries(Object.entries(rows.removed).map(([s, n]) => [`raw_${s}`, n])),
        rejects: rows.rejects,
        warnings: rows.warnings,
      },
      detail:
        `retention ${opts.retention.runs} runs / ${opts.retention.years} years ` +
        `(files loaded before ${cutoff.toISOString().slice(0, 10)})` +
        (removed.length
          ? `; runs removed ${removed[0]}${removed.length > 1 ? ` … ${removed.at(-1)}` : ''}`
          : '; no run removed'),
    });
    return report;
  } finally {
    try {
      db?.close();
    } finally {
      lock.release();
    }
  }
}

/**
 * What prune did or would do, for a person.
 *
 * @example formatPrune(report).split('\n')[0] // 'sangloc prune (dry run: nothing changed): …'
 */
export function formatPrune(r: PruneReport): string {
  const verb = r.dry_run ? 'would remove' : 'removed';
  const gone = r.dry_run ? 'to remove' : 'removed';
  const rows = Object.entries(r.rows_removed);
  const kept = Object.entries(r.rows_kept_current);
  const lines = [
    `sangloc prune${r.dry_run ? ' (dry run: nothing changed)' : ''}: ` +
      `${verb} ${fmt().int(r.runs_removed.length)} run folder(s), ` +
      `${fmt().int(rows.reduce((n, [, v]) => n + v, 0))} delivered row(s), ` +
      `${fmt().int(r.rejects_removed)} reject(s) and ${fmt().int(r.warnings_removed)} warning(s) ` +
      `of ${fmt().int(r.files_expired)} file(s) loaded before ${fmt().time(r.cutoff)}`,
    `runs kept (${r.runs_kept.length}):`,
    ...r.runs_kept.map((k) => `  ${k.run_id}  ${k.why.join(', ')}`),
    ...(r.runs_removed.length
      ? [`runs ${gone} (${r.runs_removed.length}):`, ...r.runs_removed.map((id) => `  ${id}`)]
      : []),
    ...(rows.length
      ? [`delivered rows ${gone}:`, ...rows.map(([s, n]) => `  ${s.padEnd(18)} ${fmt().int(n).padStart(12)}`)]
      : []),
    ...(kept.length
      ? [
          'expired registry rows kept (still the current record of their key):',
          ...kept.map(([s, n]) => `  ${s.padEnd(18)} ${fmt().int(n).padStart(12)}`),
        ]
      : []),
    r.warehouse_bytes_before === null
      ? 'warehouse: none'
      : `warehouse: ${fmt().bytes(r.warehouse_bytes_before)}` +
        (r.dry_run ? '' : ` → ${fmt().bytes(r.warehouse_bytes_after ?? 0)}`),
  ];
  return lines.join('\n') + '\n';
}

/** Run folders (published, or metadata only after a restore), oldest first; `.partial-` ones are a run's own. */
function listRunFolders(ws: Workspace): string[] {
  if (!existsSync(ws.runsDir)) return [];
  return readdirSync(ws.runsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => d.name)
    .sort();
}

function planRuns(
  ws: Workspace,
  runIds: string[],
  keepNewest: number,
  referenced: Map<string, number>,
): { kept: KeptRun[]; removed: string[] } {
  let latest: string | undefined;
  try {
    latest = basename(realpathSync(ws.latestLink));
  } catch {
    latest = undefined;
  }
  const newest = new Set(runIds.slice(-keepNewest));
  const kept: KeptRun[] = [];
  const removed: string[] = [];
  for (const id of runIds) {
    const why: string[] = [];
    if (id === latest) why.push('latest');
    if (newest.has(id)) why.push(`newest ${keepNewest}`);
    const n = referenced.get(id);
    if (n) why.push(`outcomes (${n})`);
    if (why.length) kept.push({ run_id: id, why });
    else removed.push(id);
  }
  return { kept, removed };
}

/**
 * Runs an audit outcome points to. Outcomes name a subject (tax code, personal id, phone, shop,
 * domain) and a period, not a run; the runs that led to an audit are those whose case list showed
 * that seller for that tax year. For each outcome two are kept: the first run that listed the
 * seller (where the lead came from) and the last one that started before the audit closed (the
 * list the decision was taken on). Matched by the identifiers in cases.json and, for runs whose
 * exports were masked, by the entity the warehouse links the outcome to (mart_entity_outcomes).
 *
 * @example await runsReferencedByOutcomes(db, ws, ['20261123-010000-ab12cd']) // Map { '20261123-010000-ab12cd' => 3 }
 */
export async function runsReferencedByOutcomes(db: Db, ws: Workspace, runIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const files = runIds
    .map((id) => join(ws.runDir(id), 'cases.json'))
    .filter((f) => existsSync(f) && statSync(f).size > 2);
  const hasOutcomes = await db.tableExists('stg_outcomes');
  const hasMart = await db.tableExists('mart_entity_outcomes');
  if (!files.length || (!hasOutcomes && !hasMart)) return out;
  const cases = `
    select regexp_extract(filename, '([^/\\\\]+)[/\\\\]cases\\.json$', 1) as run_id,
      entity_id, tax_year::integer as tax_year,
      tax_ids, national_ids, phones, shops, domains
    from read_json([${files.map(literal).join(', ')}], format = 'array', filename = true, columns = {
      entity_id: 'varchar', tax_year: 'integer', tax_ids: 'varchar[]', national_ids: 'varchar[]', phones: 'varchar[]',
      shops: 'varchar[]', domains: 'varchar[]'})`;
  const parts: string[] = [];
  if (hasOutcomes) {
    parts.push(`
      subjects as (
        select run_id, tax_year, 'tax_id' as subject_type, unnest(tax_ids) as subject_id from cases
        union all select run_id, tax_year, 'tax_id', unnest(national_ids) from cases
        union all select run_id, tax_year, 'national_id', unnest(national_ids) from cases
        union all select run_id, tax_year, 'phone', unnest(phones) from cases
        union all select run_id, tax_year, 'platform_shop', unnest(shops) from cases
        union all select run_id, tax_year, 'domain', unnest(domains) from cases
      ),
      by_subject as (
        select o.subject_type, o.subject_id, o.period, min(s.run_id) as first_run,
          max(s.run_id) filter (
            where o.closed_on is null or try_strptime(left(s.run_id, 8), '%Y%m%d')::date <= o.closed_on
          ) as last_run
        from stg_outcomes o
        join subjects s on s.subject_type = o.subject_type and s.subject_id = o.subject_id and s.tax_year = o.tax_year
        group by all
      )`);
  }
  if (hasMart) {
    parts.push(`
      by_entity as (
        select m.entity_id, m.tax_year, min(c.run_id) as first_run, max(c.run_id) as last_run
        from mart_entity_outcomes m join cases c on c.entity_id = m.entity_id and c.tax_year = m.tax_year
        group by all
      )`);
  }
  const ends = [
    ...(hasOutcomes ? ['select first_run as run_id from by_subject', 'select last_run from by_subject'] : []),
    ...(hasMart ? ['select first_run from by_entity', 'select last_run from by_entity'] : []),
  ];
  const rows = await db.all<{ run_id: string; n: number }>(`
    with cases as (${cases}), ${parts.join(',')},
    ends as (${ends.join(' union all ')})
    select run_id, count(*)::bigint as n from ends where run_id is not null group by run_id order by run_id`);
  for (const r of rows) out.set(r.run_id, r.n);
  return out;
}

interface RowPlan {
  files: number;
  removed: Record<string, number>;
  keptCurrent: Record<string, number>;
  rejects: number;
  warnings: number;
}

const emptyRowPlan = (): RowPlan => ({ files: 0, removed: {}, keptCurrent: {}, rejects: 0, warnings: 0 });

/** The expired files (loaded before the cutoff, not pruned yet), as a subquery binding `$cutoff`. */
async function expiredFiles(db: Db, which: 'rows' | 'all'): Promise<string> {
  const pruned = (await warehouseSchemaVersion(db)) >= 2 ? 'and pruned_at is null' : '';
  return which === 'rows'
    ? `select file_id from ingest_files where status = 'loaded' and loaded_at < $cutoff::timestamptz ${pruned}
         and source not in (${KEPT_SOURCES.map(literal).join(', ')})`
    : `select file_id from ingest_files where loaded_at < $cutoff::timestamptz`;
}

/** The rows of an expired file that stay: for a registry, those still the current record of their key. */
async function stillCurrent(db: Db, s: SourceName): Promise<string> {
  if (!REGISTRY_SOURCES.includes(s)) return 'false';
  // Without the staging table (no run yet) nobody knows which rows are current: keep them all.
  if (!(await db.tableExists(`stg_${s}`))) return 'true';
  return `exists (select 1 from ${ident(`stg_${s}`)} c where c._file_id = r._file_id and c._line = r._line)`;
}

async function planRows(db: Db, cutoff: Date): Promise<RowPlan> {
  const plan = emptyRowPlan();
  if (!(await db.tableExists('ingest_files'))) return plan;
  const params = { cutoff: cutoff.toISOString() };
  const rowsFiles = await expiredFiles(db, 'rows');
  plan.files = (await db.value<number>(`select count(*)::bigint from (${rowsFiles})`, params)) ?? 0;
  for (const s of sourceNames) {
    if (KEPT_SOURCES.includes(s) || !(await db.tableExists(rawTable(s)))) continue;
    const current = await stillCurrent(db, s);
    const r = await db.one<{ removed: number; kept: number }>(
      `select count(*) filter (where not (${current}))::bigint as removed,
         count(*) filter (where ${current})::bigint as kept
       from ${ident(rawTable(s))} r where r._file_id in (${rowsFiles})`,
      params,
    );
    if (r?.removed) plan.removed[s] = r.removed;
    if (r?.kept) plan.keptCurrent[s] = r.kept;
  }
  const allFiles = await expiredFiles(db, 'all');
  plan.rejects =
    (await db.value<number>(`select count(*)::bigint from rejects where file_id in (${allFiles})`, params)) ?? 0;
  if (await db.tableExists('ingest_warnings')) {
    plan.warnings =
      (await db.value<number>(`select count(*)::bigint from ingest_warnings where file_id in (${allFiles})`, params)) ??
      0;
  }
  return plan;
}

async function deleteRows(db: Db, cutoff: Date, now: Date): Promise<void> {
  const params = { cutoff: cutoff.toISOString() };
  const rowsFiles = await expiredFiles(db, 'rows');
  const allFiles = await expiredFiles(db, 'all');
  await db.exec('begin transaction');
  try {
    for (const s of sourceNames) {
      if (KEPT_SOURCES.includes(s) || !(await db.tableExists(rawTable(s)))) continue;
      await db.exec(
        `delete from ${ident(rawTable(s))} r where r._file_id in (${rowsFiles}) and not (${await stillCurrent(db, s)})`,
        params,
      );
    }
    await db.exec(`delete from rejects where file_id in (${allFiles})`, params);
    if (await db.tableExists('ingest_warnings'))
      await db.exec(`delete from ingest_warnings where file_id in (${allFiles})`, params);
    await db.exec(`update ingest_files set pruned_at = $now::timestamptz where file_id in (${rowsFiles})`, {
      ...params,
      now: now.toISOString(),
    });
    await db.exec('commit');
  } catch (err) {
    await db.exec('rollback').catch(() => undefined);
    throw err;
  }
}

/** Copies the warehouse into a fresh file and swaps it in (atomic rename); closes `db`. */
async function compactWarehouse(db: Db, ws: Workspace): Promise<void> {
  const fresh = `${ws.warehouse}.compact`;
  rmSync(fresh, { force: true });
  rmSync(`${fresh}.wal`, { force: true });
  const current = await db.value<string>('select current_database()');
  await db.exec(`attach ${literal(fresh)} as sangloc_compact`);
  try {
    await db.exec(`copy from database ${ident(current)} to sangloc_compact`);
  } finally {
    await db.exec('detach sangloc_compact');
  }
  db.close();
  const fd = openSync(fresh, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(fresh, ws.warehouse);
  rmSync(`${ws.warehouse}.wal`, { force: true });
}

function warehouseBytes(ws: Workspace): number | null {
  try {
    return statSync(ws.warehouse).size;
  } catch {
    return null;
  }
}

/**
 * `sangloc status`: what monitoring asks every morning, "did last night's run succeed?", answered
 * from files only: the published run's run.json, WS/audit.log, the lock file and the file system.
 * It never takes the run lock and never opens the warehouse, so it answers in milliseconds while a
 * run is writing, and cannot disturb one.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statfsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readAudit } from '../warehouse/audit.js';
import { readLock, type LockState, type Workspace } from '../warehouse/workspace.js';
import { fmt } from '../format.js';

/** Exit codes of the Nagios plugin convention (0 OK, 1 WARNING, 2 CRITICAL). */
export type StatusLevel = 'ok' | 'warning' | 'critical';
const LEVEL_CODE: Record<StatusLevel, 0 | 1 | 2> = { ok: 0, warning: 1, critical: 2 };

export interface SourceRows {
  read: number;
  loaded: number;
  rejected: number;
  /** New files of the source the run loaded (files already loaded before are not counted). */
  files: number;
}

export interface WorkspaceStatus {
  workspace: string;
  checked_at: string;
  level: StatusLevel;
  exit_code: 0 | 1 | 2;
  /** Why the level is not `ok`, most severe first. */
  problems: { level: 'warning' | 'critical'; message: string }[];
  last_success: {
    run_id: string;
    finished_at: string;
    age_hours: number;
    tax_year: number | null;
    cases: number | null;
    entities: number | null;
  } | null;
  last_failure: { run_id: string | null; at: string; reason: string | null; after_last_success: boolean } | null;
  in_progress: (LockState & { age_hours: number | null }) | null;
  /** Rows of the last successful run's new files, by source (sources seen in earlier runs but absent show 0). */
  rows_last_run: Record<string, SourceRows>;
  warehouse_bytes: number | null;
  disk_free_bytes: number | null;
  disk_total_bytes: number | null;
  max_age_hours: number;
}

/** Sources whose absence is no warning: audit outcomes arrive when audits close, not nightly. */
const OCCASIONAL_SOURCES = new Set(['outcomes']);

/**
 * Reads the state of a workspace and grades it: critical when no run ever succeeded or the last
 * run failed (or died) after the last success; warning when the last success is older than
 * `maxAgeHours`, was published without a file it could not load (refused, or every row rejected),
 * a source loaded 0 rows, or the disk has less room than the warehouse takes.
 *
 * @example const s = workspaceStatus(ws, { maxAgeHours: 26 }); process.exitCode = s.exit_code;
 */
export function workspaceStatus(ws: Workspace, opts: { maxAgeHours: number; now?: Date }): WorkspaceStatus {
  const now = opts.now ?? new Date();
  const hoursSince = (iso: string) => (now.getTime() - new Date(iso).getTime()) / 3_600_000;
  const problems: WorkspaceStatus['problems'] = [];

  const runs = readRunJsons(ws);
  const latestId = latestRunId(ws);
  const last = runs.find((r) => r.run_id === latestId) ?? runs.filter((r) => r.published).at(-1);
  const lastSuccess = last
    ? {
        run_id: last.run_id,
        finished_at: last.finished_at,
        age_hours: round1(hoursSince(last.finished_at)),
        tax_year: last.tax_year,
        cases: last.cases,
        entities: last.entities,
      }
    : null;

  const failed = readAudit(ws)
    .filter((e) => e.action === 'run_failed')
    .at(-1);
  const lastFailure = failed
    ? {
        run_id: failed.run_id,
        at: failed.ts,
        reason: failed.detail,
        after_last_success: !last || failed.ts > last.finished_at,
      }
    : null;

  const lock = readLock(ws);
  const inProgress = lock
    ? { ...lock, age_hours: lock.started_at === '?' ? null : round1(hoursSince(lock.started_at)) }
    : null;

  if (!lastSuccess) problems.push({ level: 'critical', message: 'no run has ever succeeded in this workspace' });
  if (lastFailure?.after_last_success) {
    problems.push({
      level: 'critical',
      message:
        `run ${lastFailure.run_id ?? '?'} failed at ${fmt().time(lastFailure.at)}` +
        (lastFailure.reason ? `: ${lastFailure.reason}` : ''),
    });
  }
  if (lock && !lock.alive && (!last || lock.started_at > last.finished_at)) {
    problems.push({
      level: 'critical',
      message:
        `a ${lock.command ?? 'run'} started ${lock.started_at === '?' ? '' : `at ${fmt().time(lock.started_at)} `}` +
        `died without finishing (process ${lock.pid} is gone; the next run takes its lock over)`,
    });
  }
  if (lastSuccess && lastSuccess.age_hours > opts.maxAgeHours) {
    problems.push({
      level: 'warning',
      message:
        `the last successful run finished ${fmt().age(lastSuccess.age_hours)} ago ` +
        `(more than status.maxAgeHours = ${opts.maxAgeHours})`,
    });
  }

  // Files the last success lost whole: its list was published without them.
  if (last?.lost.length) {
    problems.push({
      level: 'warning',
      message:
        `run ${last.run_id} was published without ${fmt().int(last.lost.length)} file(s) it could not load: ` +
        last.lost.map((f) => `${f.file} (${f.status === 'rejected' ? 'every row rejected' : 'refused'})`).join(', '),
    });
  }

  // Rows per source of the last success; a source delivered before but with nothing new is 0.
  const rowsLastRun: Record<string, SourceRows> = {};
  if (last) {
    const seen = new Set(runs.flatMap((r) => Object.keys(r.rows)));
    for (const s of [...seen].sort()) {
      const r = last.rows[s];
      rowsLastRun[s] = { read: r?.read ?? 0, loaded: r?.loaded ?? 0, rejected: r?.rejected ?? 0, files: r?.files ?? 0 };
    }
    const empty = Object.entries(rowsLastRun)
      .filter(([s, r]) => r.loaded === 0 && !OCCASIONAL_SOURCES.has(s))
      .map(([s]) => s);
    if (empty.length)
      problems.push({
        level: 'warning',
        message:
          `run ${last.run_id} loaded 0 rows of ${empty.join(', ')} ` + '(nothing new delivered, or every row rejected)',
      });
  }

  const warehouseBytes =
    fileBytes(ws.warehouse) === null ? null : (fileBytes(ws.warehouse) ?? 0) + (fileBytes(`${ws.warehouse}.wal`) ?? 0);
  let diskFree: number | null = null;
  let diskTotal: number | null = null;
  try {
    const fs = statfsSync(ws.root);
    diskFree = fs.bavail * fs.bsize;
    diskTotal = fs.blocks * fs.bsize;
  } catch {
    /* not available on this file system */
  }
  if (warehouseBytes !== null && diskFree !== null && diskFree < warehouseBytes) {
    problems.push({
      level: 'warning',
      message:
        `only ${fmt().bytes(diskFree)} free next to a ${fmt().bytes(warehouseBytes)} warehouse ` +
        '(prune and backup need room for a copy)',
    });
  }

  problems.sort((a, b) => (a.level === b.level ? 0 : a.level === 'critical' ? -1 : 1));
  const level: StatusLevel = problems[0]?.level ?? 'ok';
  return {
    workspace: ws.root,
    checked_at: now.toISOString(),
    level,
    exit_code: LEVEL_CODE[level],
    problems,
    last_success: lastSuccess,
    last_failure: lastFailure,
    in_progress: inProgress,
    rows_last_run: rowsLastRun,
    warehouse_bytes: warehouseBytes,
    disk_free_bytes: diskFree,
    disk_total_bytes: diskTotal,
    max_age_hours: opts.maxAgeHours,
  };
}

/**
 * The status for a person and for Nagios: the first line is `SANGLOC OK|WARNING|CRITICAL - … | perfdata`.
 *
 * @example formatStatus(s).split('\n')[0]
 *   // 'SANGLOC OK - run 20261124-010002-ab12cd published 5,2 h ago … | age_hours=5.2;26 …'
 */
export function formatStatus(s: WorkspaceStatus): string {
  const head = s.problems.length
    ? s.problems.map((p) => p.message).join('; ')
    : `run ${s.last_success!.run_id} published ${fmt().age(s.last_success!.age_hours)} ago ` +
      `(tax year ${s.last_success!.tax_year ?? '?'}, ${fmt().int(s.last_success!.cases ?? 0)} cases)`;
  // Nagios perfdata: label=value[UOM];warn; `U` when unknown.
  const perf = [
    `age_hours=${s.last_success?.age_hours ?? 'U'};${s.max_age_hours}`,
    `cases=${s.last_success?.cases ?? 'U'}`,
    s.warehouse_bytes === null ? 'warehouse=U' : `warehouse=${s.warehouse_bytes}B`,
    s.disk_free_bytes === null ? 'disk_free=U' : `disk_free=${s.disk_free_bytes}B`,
  ].join(' ');
  const lines = [`SANGLOC ${s.level.toUpperCase()} - ${head} | ${perf}`, `workspace:     ${s.workspace}`];
  const ls = s.last_success;
  lines.push(
    ls
      ? `last success:  ${ls.run_id}, finished ${fmt().time(ls.finished_at)} (${fmt().age(ls.age_hours)} ago), ` +
          `tax year ${ls.tax_year ?? '?'}, ` +
          `${fmt().int(ls.cases ?? 0)} cases, ${fmt().int(ls.entities ?? 0)} entities`
      : 'last success:  none',
  );
  const lf = s.last_failure;
  lines.push(
    lf
      ? `last failure:  ${lf.run_id ?? '(no run id)'} at ${fmt().time(lf.at)}: ${lf.reason ?? 'no reason recorded'}` +
          (lf.after_last_success ? '' : ' (a success has followed)')
      : 'last failure:  none recorded',
  );
  const ip = s.in_progress;
  lines.push(
    !ip
      ? 'in progress:   no'
      : ip.alive
        ? `in progress:   ${ip.command ?? 'run'} (pid ${ip.pid}) since ${since(ip)}`
        : `in progress:   no; a stale lock of pid ${ip.pid} (gone) is left from ${since(ip)}`,
  );
  const sources = Object.entries(s.rows_last_run);
  if (sources.length) {
    lines.push('rows loaded by the last successful run:');
    const w = Math.max(...sources.map(([n]) => n.length));
    for (const [name, r] of sources) {
      lines.push(
        `  ${name.padEnd(w)}  ${fmt().int(r.loaded).padStart(12)} loaded  ` +
          `${fmt().int(r.rejected).padStart(9)} rejected  ${fmt().int(r.files).padStart(4)} new file(s)`,
      );
    }
  }
  lines.push(`warehouse:     ${s.warehouse_bytes === null ? 'none yet' : fmt().bytes(s.warehouse_bytes)}`);
  lines.push(
    s.disk_free_bytes === null
      ? 'disk free:     ?'
      : `disk free:     ${fmt().bytes(s.disk_free_bytes)} of ${fmt().bytes(s.disk_total_bytes ?? 0)}`,
  );
  return lines.join('\n') + '\n';
}

/**
 * The same facts in the Prometheus text format, for node_exporter's textfile collector.
 *
 * @example writeFileSync('/var/lib/node_exporter/textfile/sangloc.prom', formatPrometheus(s))
 */
export function formatPrometheus(s: WorkspaceStatus): string {
  const ws = s.workspace.replaceAll('\\', '\\\\').replaceAll('"', '\\"');
  const out: string[] = [];
  const metric = (name: string, help: string, value: number | null, labels = '') => {
    if (value === null || !Number.isFinite(value)) return;
    if (!out.some((l) => l.startsWith(`# HELP ${name} `))) out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    out.push(`${name}{workspace="${ws}"${labels}} ${value}`);
  };
  metric('sangloc_status', 'Status level: 0 ok, 1 warning, 2 critical (the exit code of sangloc status).', s.exit_code);
  metric(
    'sangloc_last_success_timestamp_seconds',
    'End of the last published run, Unix time.',
    s.last_success ? Date.parse(s.last_success.finished_at) / 1000 : null,
  );
  metric('sangloc_last_success_cases', 'Cases in the last published run.', s.last_success?.cases ?? null);
  metric(
    'sangloc_last_failure_timestamp_seconds',
    'Time of the last failed run, Unix time.',
    s.last_failure ? Date.parse(s.last_failure.at) / 1000 : null,
  );
  metric('sangloc_run_in_progress', '1 while a live process holds the workspace lock.', s.in_progress?.alive ? 1 : 0);
  for (const [source, r] of Object.entries(s.rows_last_run)) {
    metric('sangloc_rows_loaded', 'Rows loaded by the last published run, by source.', r.loaded, `,source="${source}"`);
  }
  for (const [source, r] of Object.entries(s.rows_last_run)) {
    metric(
      'sangloc_rows_rejected',
      'Rows rejected by the last published run, by source.',
      r.rejected,
      `,source="${source}"`,
    );
  }
  metric('sangloc_warehouse_bytes', 'Size of warehouse.duckdb (with its WAL).', s.warehouse_bytes);
  metric('sangloc_disk_free_bytes', 'Free space for the workspace owner on its file system.', s.disk_free_bytes);
  return out.join('\n') + '\n';
}

interface RunInfo {
  run_id: string;
  finished_at: string;
  tax_year: number | null;
  cases: number | null;
  entities: number | null;
  rows: Record<string, SourceRows>;
  /** Files the run lost whole: run.json `load_problems`, or (older runs) its `input_files` with status failed. */
  lost: { file: string; source: string; status: string; reason: string }[];
  published: boolean;
}

/** run.json of every run folder (published or kept as metadata by a restore), oldest first. */
function readRunJsons(ws: Workspace): RunInfo[] {
  if (!existsSync(ws.runsDir)) return [];
  const out: RunInfo[] = [];
  for (const id of readdirSync(ws.runsDir)
    .filter((n) => !n.startsWith('.'))
    .sort()) {
    try {
      const j = JSON.parse(readFileSync(join(ws.runsDir, id, 'run.json'), 'utf8'));
      out.push({
        run_id: String(j.run_id ?? id),
        finished_at: String(j.finished_at),
        tax_year: typeof j.tax_year === 'number' ? j.tax_year : null,
        cases: typeof j.cases === 'number' ? j.cases : null,
        entities: typeof j.entities === 'number' ? j.entities : null,
        rows: (j.rows ?? {}) as Record<string, SourceRows>,
        lost: Array.isArray(j.load_problems)
          ? j.load_problems
          : (Array.isArray(j.input_files) ? j.input_files : [])
              .filter((f: { status?: string }) => f.status === 'failed' || f.status === 'rejected')
              .map((f: { file: string; source: string; status: string; message?: string | null }) => ({
                file: f.file,
                source: f.source,
                status: f.status,
                reason: f.message ?? f.status,
              })),
        published: existsSync(join(ws.runsDir, id, 'cases.csv')),
      });
    } catch {
      /* not a run folder, or a damaged run.json: not a success */
    }
  }
  return out;
}

function latestRunId(ws: Workspace): string | undefined {
  try {
    return basename(realpathSync(ws.latestLink));
  } catch {
    return undefined;
  }
}

function fileBytes(file: string): number | null {
  try {
    return statSync(file).size;
  } catch {
    return null;
  }
}

const round1 = (x: number) => Math.round(x * 10) / 10;

const since = (l: LockState & { age_hours: number | null }) =>
  l.started_at === '?' ? '?' : `${fmt().time(l.started_at)}${l.alive ? `, ${fmt().age(l.age_hours ?? 0)}` : ''}`;

/**
 * Finding and reading published run folders: `latest`, a run id, or a folder path; the run
 * before a given one; its cases.json and run.json. Used by diff, explain and the report.
 */
import { typedValueForMessage } from '../normalize/identifier-kind.js';
import type { ActivityOptions } from '../score/activity.js';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { DiffInput } from '../diff/index.js';
import { join, resolve } from 'node:path';
import { UsageError, WorkspaceError } from '../errors.js';
import type { Unattributed, WorkListSummary } from './report-model.js';
import type { RevenueReconciliation } from '../features/reconcile.js';
import type { CaseRow } from './case-row.js';
import type { LoadProblem } from '../ingest/report.js';
import { openWorkspace, workspacePaths, type Workspace } from '../warehouse/workspace.js';

/**
 * The folder of a run: an existing folder path, `latest`, or a run id under WS/runs.
 *
 * @example resolveRunDir('latest', ws)              // '/…/ws/runs/20261123-181000-1b74e6'
 * @example resolveRunDir('20261123-181000-1b74e6', ws)
 * @example resolveRunDir('/tmp/ws/runs/20261123-181000-1b74e6')
 */
export function resolveRunDir(ref: string, ws?: Workspace): string {
  if (ws && (ref === 'latest' || ref === 'previous')) {
    if (!existsSync(ws.latestLink))
      throw new WorkspaceError(`${ws.root} has no published run yet; run \`sangloc run\` first`);
    const latest = realpathSync(ws.latestLink);
    if (ref === 'latest') return latest;
    const prev = previousRunDir(ws, latest.split('/').pop()!);
    if (!prev) throw new WorkspaceError(`${ws.root} has only one published run, so there is no previous run`);
    return prev;
  }
  if (ws && /^[\w.-]+$/.test(ref) && existsSync(join(ws.runsDir, ref))) return realpathSync(join(ws.runsDir, ref));
  const abs = resolve(ref);
  if (existsSync(abs) && statSync(abs).isDirectory()) return realpathSync(abs);
  throw new UsageError(
    ws
      ? `run ${typedValueForMessage(ref)} not found: expected a run id under ${ws.runsDir}, "latest", ` +
          `"previous" or a run folder`
      : `run ${typedValueForMessage(ref)} not found: pass a run folder, or --workspace WS with a run id`,
  );
}

/**
 * A workspace that must already exist (analyst commands never create one by mistake); with
 * `readOnly` its paths only, for the commands that read (explain, stats, diff, models).
 *
 * @example const ws = openExistingWorkspace('workspace');
 */
export function openExistingWorkspace(root: string, opts: { readOnly?: boolean } = {}): Workspace {
  if (!existsSync(resolve(root)) || !statSync(resolve(root)).isDirectory()) {
    throw new WorkspaceError(
      `workspace ${root} does not exist; run \`sangloc run --input DIR --workspace ${root}\` first`,
    );
  }
  // A reading command changes nothing: no folder made, no permission touched (it may not own them).
  return opts.readOnly ? workspacePaths(root) : openWorkspace(root);
}

/**
 * Published run ids of a workspace, oldest first: by the sequence number each run took when it
 * was published (`seq` in run.json), not by time, so a clock stepped back (NTP, a restored VM)
 * cannot reorder them. Runs published before sequence numbers existed come first, by id (ids
 * start with their UTC start time).
 */
export function listRunIds(ws: Workspace): string[] {
  if (!existsSync(ws.runsDir)) return [];
  return readdirSync(ws.runsDir)
    .filter((n) => !n.startsWith('.') && existsSync(join(ws.runsDir, n, 'cases.json')))
    .map((id) => ({ id, seq: runSeq(join(ws.runsDir, id)) }))
    .sort((a, b) => a.seq - b.seq || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((r) => r.id);
}

/** `seq` of a run folder's run.json; 0 when it has none (or no readable run.json). */
function runSeq(dir: string): number {
  try {
    const seq = (JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunJson).seq;
    return typeof seq === 'number' && Number.isFinite(seq) ? seq : 0;
  } catch {
    return 0;
  }
}

/**
 * The sequence number the next published run takes: one more than any published run's. Called
 * under the workspace lock, so two runs never take the same one.
 *
 * @example nextRunSeq(ws) // 1 in a new workspace
 */
export function nextRunSeq(ws: Workspace): number {
  if (!existsSync(ws.runsDir)) return 1;
  let max = 0;
  for (const n of readdirSync(ws.runsDir)) if (!n.startsWith('.')) max = Math.max(max, runSeq(join(ws.runsDir, n)));
  return max + 1;
}

/**
 * The published run just before `runId` in publication order (`listRunIds`), or undefined for the
 * first run. A run not published yet (being published now) comes after every published one.
 *
 * @example previousRunDir(ws, '20261124-010000-aa11') // '/…/runs/20261123-010000-ff00'
 */
export function previousRunDir(ws: Workspace, runId: string): string | undefined {
  const ids = listRunIds(ws);
  const at = ids.indexOf(runId);
  const before = at === -1 ? ids : ids.slice(0, at);
  return before.length ? join(ws.runsDir, before[before.length - 1]!) : undefined;
}

/** What run.json holds (the fields the analyst tools read). */
export interface RunJson {
  run_id: string;
  /** Publication order within the workspace (1, 2, …); absent in runs of older versions. */
  seq?: number;
  started_at: string;
  finished_at: string;
  engine_version: string;
  config_hash: string;
  tax_year: number | null;
  model_id: string | null;
  scorer?: string;
  /** How unclassified sellers were priced (`score.activity`; absent in older runs: the default). */
  activity?: ActivityOptions;
  entities?: number;
  /** Cases on the work list (runs from before the work list: every ranked entity). */
  cases?: number;
  /** Every entity ranked in cases.csv (absent in runs from before the work list). */
  ranked?: number;
  /** The work list: the first `cases` rows of cases.csv (absent in runs from before it). */
  work_list?: WorkListSummary;
  rows?: Record<string, { read: number; loaded: number; rejected: number }>;
  /** Rows no seller's record holds (COD parcels a warehouse booked with nothing of the seller's own). */
  unattributed?: Unattributed;
  /** Every COD parcel and bank credit of the tax year counted in revenue or not, and why (absent in older runs). */
  revenue_reconciliation?: RevenueReconciliation;
  /** Files of an observed source lost whole (refused, or every row rejected); absent in older runs. */
  load_problems?: LoadProblem[];
  /** Entities left out of scoring because an audit outcome is recorded (absent in older runs). */
  excluded_audited_entities?: string[];
  [key: string]: unknown;
}

/** run.json of a run folder. */
export function readRunJson(dir: string): RunJson {
  const file = join(dir, 'run.json');
  if (!existsSync(file)) throw new WorkspaceError(`${dir} is not a run folder (no run.json)`);
  return JSON.parse(readFileSync(file, 'utf8')) as RunJson;
}

/** The case rows of a run folder, from cases.json (lists as arrays, numbers as numbers). */
export function readRunCases(dir: string): CaseRow[] {
  const file = join(dir, 'cases.json');
  if (!existsSync(file)) throw new WorkspaceError(`${dir} is not a run folder (no cases.json)`);
  return JSON.parse(readFileSync(file, 'utf8')) as CaseRow[];
}

/** Bytes read at a time by `readRunDiffInput`. */
const readChunkBytes = 1 << 20;

/** What a diff reads of a case (the rest of the row is dropped as soon as it is parsed). */
const diffInputOf = (r: DiffInput): DiffInput => ({
  rank: r.rank,
  entity_id: r.entity_id,
  name: r.name ?? null,
  province: r.province ?? null,
  expected_yield_vnd: r.expected_yield_vnd ?? null,
});

/**
 * The cases of a run folder as a diff reads them (rank, entity, name, province, expected yield), in
 * file order. cases.json holds one case per line: each line is parsed and cut down on its own, so a
 * list of 170,000 cases never sits in memory whole (as text and as full rows it took over 1 GB);
 * a file laid out otherwise is parsed whole.
 *
 * @example readRunDiffInput(prevRunDir).length // 41769
 */
export function readRunDiffInput(dir: string): DiffInput[] {
  const file = join(dir, 'cases.json');
  if (!existsSync(file)) throw new WorkspaceError(`${dir} is not a run folder (no cases.json)`);
  const out: DiffInput[] = [];
  const fd = openSync(file, 'r');
  try {
    const decoder = new StringDecoder('utf8');
    const buffer = Buffer.allocUnsafe(readChunkBytes);
    let rest = '';
    const take = (line: string): boolean => {
      const text = line.endsWith(',') ? line.slice(0, -1) : line;
      if (text === '' || text === '[' || text === ']' || text === '[]') return true;
      if (!text.startsWith('{')) return false;
      try {
        out.push(diffInputOf(JSON.parse(text) as DiffInput));
        return true;
      } catch {
        return false;
      }
    };
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) {
      const lines = (rest + decoder.write(buffer.subarray(0, n))).split('\n');
      rest = lines.pop()!;
      for (const line of lines) if (!take(line)) return readRunCases(dir).map(diffInputOf);
    }
    if (!take(rest + decoder.end())) return readRunCases(dir).map(diffInputOf);
  } finally {
    closeSync(fd);
  }
  return out;
}

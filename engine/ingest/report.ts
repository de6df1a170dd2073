import type { Db } from '../warehouse/db.js';
import type { FileLoad } from './load.js';
import { fmt } from '../format.js';

/** The most frequent reasons a file's rows were rejected: reason, column, count and the first lines. No values. */
export interface FileRejects {
  file: string;
  source: string;
  status: FileLoad['status'];
  read: number;
  loaded: number;
  rejected: number;
  /** Why the file as a whole was not loaded (status failed or rejected). */
  message?: string;
  top: { reason: string; column: string | null; count: number; lines: number[] }[];
}

/**
 * The top reject reasons of each file a load read (skipped files left out), most frequent first,
 * with the first few line numbers of each. Reads reasons, columns and lines only: never values.
 *
 * @example const files = await topRejects(db, runId, load.files); formatRejects(files)
 */
export async function topRejects(
  db: Db,
  runId: string,
  files: readonly FileLoad[],
  top = 3,
  lines = 5,
): Promise<FileRejects[]> {
  const rows = await db.all<{ file_id: number; reason: string; column: string | null; n: number; lines: string }>(
    `select file_id, reason, "column", count(*)::bigint as n, array_to_string(list(line order by ` +
      `line)[1:${lines}], ',') as lines
     from rejects where run_id = $r and line is not null group by all order by file_id, n desc, min(line)`,
    { r: runId },
  );
  return files
    .filter((f) => f.status !== 'skipped')
    .map((f) => ({
      file: f.file,
      source: f.source,
      status: f.status,
      read: f.rowsRead,
      loaded: f.rowsLoaded,
      rejected: f.rowsRejected,
      ...(f.message !== undefined && (f.status === 'failed' || f.status === 'rejected') ? { message: f.message } : {}),
      top: rows
        .filter((r) => r.file_id === f.fileId)
        .slice(0, top)
        .map((r) => ({
          reason: r.reason,
          column: r.column,
          count: Number(r.n),
          lines: r.lines.split(',').map(Number),
        })),
    }));
}

const n = (x: number) => fmt().int(x);

/**
 * Lines for people: one per file that lost rows or failed, then its top reasons.
 *
 * @example formatRejects(files)
 * // ['taxpayers.csv: 285 read, 0 loaded, 285 rejected', '  285 × tax_id: required column is missing … (lines 2, 3,
 * 4, 5, 6, …)']
 */
export function formatRejects(files: readonly FileRejects[], all = false): string[] {
  const out: string[] = [];
  for (const f of files) {
    if (f.status === 'failed') {
      out.push(`${f.file}: not loaded — ${f.message}`);
      continue;
    }
    if (f.rejected === 0 && !all) continue;
    out.push(`${f.file}: ${n(f.read)} read, ${n(f.loaded)} loaded, ${n(f.rejected)} rejected`);
    for (const t of f.top) {
      const more = t.count > t.lines.length ? ', …' : '';
      out.push(
        `  ${n(t.count)} × ${t.column ? `${t.column}: ` : ''}${t.reason} ` +
          `(line${t.lines.length > 1 ? 's' : ''} ${t.lines.join(', ')}${more})`,
      );
    }
  }
  return out;
}

/**
 * A file this run tried to load and lost whole: refused (`failed`) or every row rejected (`rejected`).
 * run.json `load_problems`; the headline, the report's summary and `sangloc status` name each one.
 */
export interface LoadProblem {
  file: string;
  source: string;
  status: 'failed' | 'rejected';
  rows_read: number;
  rows_rejected: number;
  /** Why, in one line without values: the refusal, or the count and the top reject reason with its first lines. */
  reason: string;
}

/**
 * The files of a load that were refused or lost every row, each with its reason (`topRejects`'s output, so the
 * top reject reason and its lines come with a `rejected` file).
 *
 * @example loadProblems(await topRejects(db, runId, load.files, 1, 3))
 * // [{ file: 'cod_shipments_ghn.csv', status: 'rejected', reason: 'every row rejected (552 of 552); top: 552 × …' }]
 */
export function loadProblems(files: readonly FileRejects[]): LoadProblem[] {
  return files
    .filter((f) => f.status === 'failed' || f.status === 'rejected')
    .map((f) => {
      const t = f.top[0];
      const top = t
        ? `; top: ${n(t.count)} × ${t.column ? `${t.column}: ` : ''}${t.reason} ` +
          `(line${t.lines.length > 1 ? 's' : ''} ${t.lines.join(', ')}${t.count > t.lines.length ? ', …' : ''})`
        : '';
      return {
        file: f.file,
        source: f.source,
        status: f.status as LoadProblem['status'],
        rows_read: f.read,
        rows_rejected: f.rejected,
        reason:
          f.status === 'failed'
            ? `refused: ${f.message ?? 'not loaded'}`
            : `every row rejected (${n(f.rejected)} of ${n(f.read)})${top}`,
      };
    });
}

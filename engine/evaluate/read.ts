/**
 * File access for evaluation: locating the truth, run and delivery files, and reading them into
 * DuckDB as all-text relations whose column names are lower-cased (the contract matches column
 * names case-insensitively).
 */
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { sourceOfFile, type SourceName } from '../ingest/sources.js';
import { ident, literal, type Db } from '../warehouse/db.js';

/** Throws an InputError naming `path` unless it is an existing folder. */
export function requireFolder(path: string, what: string): string {
  if (!existsSync(path)) throw new InputError(path, `${what} folder not found; check the path.`);
  if (!statSync(path).isDirectory()) throw new InputError(path, `${what} is not a folder.`);
  return path;
}

/** Throws an InputError naming `path` unless it is an existing file. */
export function requireFile(path: string, what: string): string {
  if (!existsSync(path) || !statSync(path).isFile()) throw new InputError(path, `${what} not found.`);
  return path;
}

/**
 * Resolves `--run` to a run folder. Accepts the run folder itself, `WS/latest` as a symlink or as
 * a file holding the run id (or a path), and the workspace `WS` (which then means `WS/latest`).
 *
 * @example
 *   resolveRunDir('ws/latest'); // 'ws/runs/20261122-0815' when ws/latest holds "20261122-0815"
 */
export function resolveRunDir(runPath: string): string {
  if (!existsSync(runPath)) throw new InputError(runPath, 'run folder not found; pass WS/runs/<run_id> or WS/latest.');
  const st = lstatSync(runPath);
  if (st.isSymbolicLink()) return resolveRunDir(realpathSync(runPath));
  if (st.isFile()) {
    const id = readFileSync(runPath, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim();
    if (!id) throw new InputError(runPath, 'the latest-run pointer is empty; no run has been published.');
    const ws = dirname(runPath);
    const candidates = isAbsolute(id) ? [id] : [join(ws, 'runs', id), resolve(ws, id)];
    const found = candidates.find((c) => existsSync(c) && statSync(c).isDirectory());
    if (!found) throw new InputError(runPath, `points at run "${id}", but ${candidates[0]} does not exist.`);
    return found;
  }
  if (!existsSync(join(runPath, 'cases.csv')) && existsSync(join(runPath, 'latest')))
    return resolveRunDir(join(runPath, 'latest'));
  return runPath;
}

/** Delivery files in `dir` (not recursive) per contract source, sorted by name. */
export function deliveryFiles(dir: string): Map<SourceName, string[]> {
  const out = new Map<SourceName, string[]>();
  for (const name of readdirSync(dir).sort()) {
    const source = sourceOfFile(name);
    const path = join(dir, name);
    // Workbooks are the loader's (engine/ingest/xlsx.ts); evaluation reads CSV and Parquet.
    if (!source || !/\.(csv|parquet)$/i.test(name) || !statSync(path).isFile()) continue;
    out.set(source, [...(out.get(source) ?? []), path]);
  }
  return out;
}

/** An all-text relation over some files, with its lower-cased column names. */
export interface Relation {
  /** SQL usable after `from`, e.g. `(select ... from read_csv(...))`. */
  sql: string;
  columns: Set<string>;
  files: string[];
}

const csvOptions = `all_varchar=true, header=true, delim=',', quote='"', escape='"', union_by_name=true`;

function rawScan(files: string[], format: 'csv' | 'parquet'): string {
  const list = `[${files.map(literal).join(', ')}]`;
  return format === 'csv' ? `read_csv(${list}, ${csvOptions})` : `read_parquet(${list}, union_by_name=true)`;
}

/**
 * Opens CSV and/or Parquet files as one all-text relation with lower-cased column names.
 *
 * @example
 *   const rel = await openRelation(db, ['d/outcomes.csv']);
 *   await db.all(`select subject_id from ${rel.sql}`);
 */
export async function openRelation(db: Db, files: string[]): Promise<Relation> {
  if (files.length === 0) throw new Error('openRelation needs at least one file');
  const parts: string[] = [];
  const columns = new Set<string>();
  for (const format of ['csv', 'parquet'] as const) {
    const group = files.filter((f) => (format === 'parquet') === f.toLowerCase().endsWith('.parquet'));
    if (group.length === 0) continue;
    const scan = rawScan(group, format);
    let described: { column_name: string }[];
    try {
      described = await db.all<{ column_name: string }>(`describe select * from ${scan}`);
    } catch (err) {
      throw new InputError(
        group[0]!,
        `cannot be read as ${format.toUpperCase()}: ${(err as Error).message.split('\n')[0]}`,
      );
    }
    const seen = new Set<string>();
    const select = described
      .filter((d) => {
        const lower = d.column_name.toLowerCase();
        if (seen.has(lower)) return false;
        seen.add(lower);
        return true;
      })
      .map((d) => {
        columns.add(d.column_name.toLowerCase());
        return `cast(${ident(d.column_name)} as varchar) as ${ident(d.column_name.toLowerCase())}`;
      });
    parts.push(`select ${select.join(', ')} from ${scan}`);
  }
  return { sql: `(${parts.join(' union all by name ')})`, columns, files };
}

/** Throws an InputError naming the file and the first missing column. */
export function requireColumns(rel: Relation, needed: readonly string[]): void {
  const missing = needed.filter((c) => !rel.columns.has(c));
  if (missing.length > 0) {
    throw new InputError(
      rel.files[0] ?? '?',
      `missing required column(s) ${missing.join(', ')}.`,
      undefined,
      missing[0],
    );
  }
}

/** `ident(column)` when the relation has it, else a typed null, so optional columns read uniformly. */
export function col(rel: Relation, column: string): string {
  return rel.columns.has(column) ? ident(column) : 'null::varchar';
}

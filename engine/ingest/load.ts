import { rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Db } from '../warehouse/db.js';
import { ident, literal } from '../warehouse/db.js';
import { ensureWarehouseSchema, rawTable } from '../warehouse/schema.js';
import { installNormalizeMacros } from '../normalize/sql.js';
import type { Logger } from '../log.js';
import { InputError } from '../errors.js';
import { convertToUtf8, encodingToRead } from './encoding.js';
import { discoverDelivery, hashFile, headBytes, readCsvHeader, type DeliveryFile } from './files.js';
import { contractFormSql, mapHeader, type IngestConfig, type SourceIngestConfig } from './options.js';
import { scanCsv, type CsvScan } from './scan.js';
import { sources, type SourceName } from './sources.js';
import { checkExpressions, contractChecks, identifierWarnings, parsedColumns, warningListSql, type Check } from './validate.js';

export interface FileLoad {
  file: string;
  source: SourceName;
  sha256: string;
  status: 'loaded' | 'skipped' | 'failed';
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  /** Loaded rows that carry a warning (`ingest_warnings`), e.g. a malformed optional identifier. */
  rowsWarned: number;
  message?: string;
  fileId?: number;
}

export interface LoadSummary {
  files: FileLoad[];
  ignored: string[];
  /** Per source: rows read / loaded / rejected / loaded with a warning in this run's new files. */
  bySource: Record<string, { read: number; loaded: number; rejected: number; warnings: number; files: number }>;
}

export interface LoadOptions {
  runId: string;
  log: Logger;
  /** Extra per-source checks (e.g. identifier formats), appended after the contract's. */
  extraChecks?: Partial<Record<SourceName, Check[]>>;
  /** Per-source column names, formats and encodings (`config.ingest`); absent = files follow the contract. */
  ingest?: IngestConfig;
  /** Folder for UTF-8 copies of files delivered in another encoding (the workspace's tmp); default the OS temp folder. */
  tmpDir?: string;
  /** Called after a file's rows are written and before its transaction commits (tests interrupt a load here). */
  beforeCommit?: (file: DeliveryFile) => void | Promise<void>;
}

/**
 * Loads every new file of a delivery folder into `raw_<source>`; rows breaking the contract go to
 * `rejects` with file, line, column, value and reason; malformed optional identifiers of loaded rows
 * go to `ingest_warnings`. A file whose content was loaded before (same SHA-256) is skipped. One
 * unreadable file never stops the others; each file is loaded whole or not at all.
 *
 * @example const summary = await loadDelivery(db, 'data-samples', { runId, log, ingest: config.ingest, tmpDir: ws.tmpDir });
 */
export async function loadDelivery(db: Db, dir: string, opts: LoadOptions): Promise<LoadSummary> {
  await ensureWarehouseSchema(db);
  await ensureIngestTables(db);
  const { files, ignored } = discoverDelivery(dir);
  if (files.length === 0) throw new InputError(dir, 'no contract files found (expected e.g. taxpayers.csv, platform_sellers.csv; see docs/contract.md)');
  for (const name of ignored) opts.log.warn(`ignored ${name}: its name matches no source of the contract`);
  const loads: FileLoad[] = [];
  for (const file of files) loads.push(await loadFile(db, file, opts));
  const bySource: LoadSummary['bySource'] = {};
  for (const l of loads) {
    const s = (bySource[l.source] ??= { read: 0, loaded: 0, rejected: 0, warnings: 0, files: 0 });
    s.read += l.rowsRead;
    s.loaded += l.rowsLoaded;
    s.rejected += l.rowsRejected;
    s.warnings += l.rowsWarned;
    s.files += l.status === 'skipped' ? 0 : 1;
  }
  return { files: loads, ignored, bySource };
}

/** The warnings table, and the normalise macros the identifier rules call (when missing). */
async function ensureIngestTables(db: Db): Promise<void> {
  await db.exec(`create table if not exists ingest_warnings (
    run_id varchar, file_id integer, source varchar, file varchar, line bigint, "column" varchar, value varchar, reason varchar)`);
  const macros = await db.value<number>(`select count(*)::int from duckdb_functions() where function_name in ('mst_valid', 'norm_national_id')`);
  if (macros < 2) await installNormalizeMacros(db);
}

async function loadFile(db: Db, file: DeliveryFile, opts: LoadOptions): Promise<FileLoad> {
  // One read of a CSV both hashes it and maps its records to physical lines.
  const scan = file.format === 'csv' ? scanCsv(file.path, { hash: true }) : undefined;
  const sha256 = scan?.sha256 ?? (await hashFile(file.path));
  const seen = await db.one<{ file_id: number; name: string }>(
    `select file_id, name from ingest_files where sha256 = $sha and status = 'loaded' limit 1`,
    { sha: sha256 },
  );
  const base: FileLoad = { file: file.name, source: file.source, sha256, status: 'skipped', rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, rowsWarned: 0 };
  if (seen) {
    opts.log.info(`${file.name}: already loaded (same content as file #${seen.file_id} ${seen.name}); skipped`);
    return { ...base, message: `same content as file #${seen.file_id} (${seen.name})`, fileId: seen.file_id };
  }
  const fileId = (await db.value<number>(`select coalesce(max(file_id), 0) + 1 from ingest_files`))!;
  const cfg = opts.ingest?.sources[file.source];
  const started = performance.now();
  let converted: string | undefined;
  try {
    await dropWorkTables(db);
    let readPath = file.path;
    let lines = scan;
    if (file.format === 'csv') {
      const head = headBytes(file.path);
      const encoding = encodingToRead(file.path, head, file.source, cfg?.encoding, file.bytes <= head.length);
      if (encoding) {
        // Lineage keeps the delivered file's name and hash; DuckDB reads a UTF-8 copy with the same lines.
        converted = await convertToUtf8(file.path, encoding, opts.tmpDir);
        readPath = converted;
        lines = scanCsv(converted);
        opts.log.info(`${file.name}: read as ${encoding}`);
      }
    }
    const staged = await stageFile(db, file, readPath, lines, cfg, opts);
    // validateAndInsert opens one transaction per file for what persists: a run killed mid-file
    // leaves no half-loaded rows behind, and the file (not recorded as loaded) is loaded whole by
    // the next run. (Staging into temp tables stays outside: in a transaction rowids are not file order.)
    const counts = await validateAndInsert(db, file, fileId, staged, opts);
    await recordFile(db, fileId, file, sha256, opts.runId, counts, 'loaded', null, staged.extraColumns);
    await opts.beforeCommit?.(file);
    await db.exec('commit');
    const secs = (performance.now() - started) / 1000;
    opts.log.info(
      `${file.name}: ${counts.read.toLocaleString('en')} rows read, ${counts.loaded.toLocaleString('en')} loaded, ` +
        `${counts.rejected.toLocaleString('en')} rejected${counts.warned ? `, ${counts.warned.toLocaleString('en')} with warnings` : ''} ` +
        `(${Math.round(counts.read / Math.max(secs, 1e-3)).toLocaleString('en')} rows/s)`,
    );
    return { ...base, status: 'loaded', rowsRead: counts.read, rowsLoaded: counts.loaded, rowsRejected: counts.rejected, rowsWarned: counts.warned, fileId };
  } catch (err) {
    await db.exec('rollback').catch(() => undefined);
    const message = err instanceof InputError ? err.message : `cannot be read: ${firstLine((err as Error).message)}`;
    opts.log.warn(`${file.name}: ${message}; the other files still load`);
    await recordFile(db, fileId, file, sha256, opts.runId, { read: 0, loaded: 0, rejected: 0 }, 'failed', message, []);
    await db.exec(`insert into rejects values ($run, $fid, $src, $file, null, null, null, $reason)`, {
      run: opts.runId, fid: fileId, src: file.source, file: file.name, reason: `file not loaded: ${message}`,
    });
    return { ...base, status: 'failed', message, fileId };
  } finally {
    await dropWorkTables(db);
    if (converted) rmSync(dirname(converted), { recursive: true, force: true });
  }
}

const workTables = ['_ingest_file', '_ingest_bad', '_ingest_dup_rows', '_ingest_dups', '_ingest_raw', '_ingest_csv_bad', '_ingest_shift', '_ingest_drift', '_ingest_csv_rejects', '_ingest_csv_scans'];

/** Drops the temp tables and views of one file's load. */
async function dropWorkTables(db: Db): Promise<void> {
  const temps = await db.all<{ name: string; kind: string }>(
    `select table_name as name, table_type as kind from information_schema.tables where table_name in (${workTables.map(literal).join(', ')})`,
  );
  for (const t of temps) await db.exec(`drop ${t.kind === 'VIEW' ? 'view' : 'table'} if exists ${ident(t.name)}`);
}

const firstLine = (s: string) => s.split('\n')[0]!.slice(0, 300);

/** Name of the column keeping a value as delivered when the config converts it to contract form. */
const originalName = (column: string) => `_o_${column}`;

interface Staged {
  fileColumns: Set<string>;
  extraColumns: string[];
  /** Contract column → the header name it was read from, when they differ beyond letter case. */
  renamed: Map<string, string>;
  /** Contract columns converted to contract form (their delivered text is in `originalName(column)`). */
  converted: Set<string>;
  checks: Check[];
  warnings: Check[];
  /** CSV records the reader could not parse are in `_ingest_csv_bad(rec, err, col, val)`. */
  csvRejects: boolean;
}

/**
 * Reads one file, in one pass, into `_ingest_raw`: the contract's columns (text, converted to
 * contract form where the config says how), `_check` (number of the first broken rule, null when
 * none) and `_warn` (numbers of the warning rules broken, NULL when none). `_ingest_file` is the same rows with
 * `_rid` (row order) and `_line`: the physical line a row starts on (header = 1), or the row
 * number for Parquet. CSV records DuckDB could not parse go to `_ingest_csv_bad`.
 */
async function stageFile(db: Db, file: DeliveryFile, readPath: string, scan: CsvScan | undefined, cfg: SourceIngestConfig | undefined, opts: LoadOptions): Promise<Staged> {
  const spec = sources[file.source];
  let header: string[];
  let reader: string;
  if (file.format === 'parquet') {
    const desc = await db.all<{ column_name: string }>(`describe select * from read_parquet(${literal(readPath)})`);
    header = desc.map((d) => d.column_name);
    reader = `read_parquet(${literal(readPath)}, file_row_number = true)`;
  } else {
    header = readCsvHeader(readPath);
    const columns = `{${csvReadNames(file, header, cfg).map((h) => `${literal(h)}: 'varchar'`).join(', ')}}`;
    reader =
      `read_csv(${literal(readPath)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', ` +
      `columns = ${columns}, store_rejects = true, rejects_table = '_ingest_csv_rejects', rejects_scan = '_ingest_csv_scans', ` +
      `strict_mode = true, null_padding = false, max_line_size = 10000000)`;
  }
  const mapping = mapHeader(spec, header, cfg);
  const used = new Set(mapping.values());
  const fileColumns = new Set(mapping.keys());
  const staged: Staged = {
    fileColumns,
    extraColumns: header.filter((h) => !used.has(h)),
    renamed: new Map([...mapping].filter(([ours, theirs]) => ours !== theirs.toLowerCase())),
    converted: new Set(),
    checks: contractChecks(spec, fileColumns, opts.extraChecks?.[file.source] ?? []),
    warnings: identifierWarnings(spec, fileColumns),
    csvRejects: false,
  };
  const projection = spec.columns.map((c) => {
    const h = mapping.get(c.name);
    if (h === undefined) return `null::varchar as ${ident(c.name)}`;
    const delivered = `${ident(h)}::varchar`;
    const contractForm = contractFormSql(c, delivered, cfg);
    if (!contractForm) return `${delivered} as ${ident(c.name)}`;
    staged.converted.add(c.name);
    return `${contractForm} as ${ident(c.name)}, ${delivered} as ${ident(originalName(c.name))}`;
  });
  if (file.format === 'parquet') projection.push('file_row_number + 1 as _line');
  const parsed = parsedColumns(spec, fileColumns);
  const x = checkExpressions(staged.checks);
  // Every rule runs while the file is read (one pass, in parallel with parsing); the typed parses
  // the rules share are computed once per row and dropped.
  await db.exec(`
    create temp table _ingest_raw as
    with delivered as (select ${projection.join(', ')} from ${reader}),
    parsed as (select *${parsed.map((p) => ', ' + p.sql).join('')} from delivered)
    select ${parsed.length ? `* exclude (${parsed.map((p) => p.name).join(', ')})` : '*'},
      ${x.check} as _check, ${warningListSql(staged.warnings)} as _warn
    from parsed`);
  if (file.format === 'parquet') {
    await db.exec(`create temp view _ingest_file as select *, rowid as _rid from _ingest_raw`);
    return staged;
  }
  // Rows arrive in file order (insertion order is preserved); DuckDB numbers a CSV record counting
  // the header as 1. Accepted rows skip the rejected records, so the k-th accepted row is record
  // k + 1 + (number of rejected records before it); a quoted line break moves every later record
  // down a line (scanCsv). Both are sparse: ASOF joins over the few shifts, only where needed.
  staged.csvRejects = (await db.tableExists('_ingest_csv_rejects')) && ((await db.value<number>('select count(*)::bigint from _ingest_csv_rejects')) ?? 0) > 0;
  const drift = scan !== undefined && scan.drift.length > 0;
  if (drift) await insertDrift(db, scan.drift);
  if (staged.csvRejects) {
    await db.exec(`
      create temp table _ingest_csv_bad as
        select line as rec, first(error_type || ': ' || error_message order by column_idx) as err,
               first(column_name order by column_idx) as col, first(left(trim(csv_line, chr(10) || chr(13)), 200) order by column_idx) as val
        from _ingest_csv_rejects group by line;
      -- Adjacent rejected records share a 'before': keep the largest shift (ASOF ties are not ordered).
      create temp table _ingest_shift as
        select before, max(shift) as shift from (
          select rec - 1 - row_number() over (order by rec) as before, row_number() over (order by rec) as shift from _ingest_csv_bad
        ) group by before;`);
  }
  // Few shifts (the usual case) become a balanced CASE tree per row (a handful of comparisons);
  // many fall back to ASOF joins, which sort the whole file.
  const shifts = staged.csvRejects ? await db.all<{ after: number; value: number }>(`select before as after, shift as value from _ingest_shift order by before`) : [];
  const drifts = drift ? scan.drift.map((d) => ({ after: d.afterRecord, value: d.extraLines })) : [];
  const record = !staged.csvRejects
    ? `(select *, rowid as _rid, rowid + 2 as _rec from _ingest_raw)`
    : shifts.length <= MAX_CASE_STEPS
      ? `(select *, _rid + 2 + ${stepSql('_rid + 1', shifts)} as _rec from (select *, rowid as _rid from _ingest_raw))`
      : `(select r.*, r._rid + 2 + coalesce(s.shift, 0) as _rec from (select *, rowid as _rid from _ingest_raw) r asof left join _ingest_shift s on r._rid + 1 > s.before)`;
  await db.exec(
    !drift
      ? `create temp view _ingest_file as select * exclude (_rec), _rec as _line from ${record}`
      : drifts.length <= MAX_CASE_STEPS
        ? `create temp view _ingest_file as select * exclude (_rec), _rec + ${stepSql('_rec', drifts)} as _line from ${record}`
        : `create temp view _ingest_file as select n.* exclude (_rec), n._rec + coalesce(d.extra, 0) as _line from ${record} n asof left join _ingest_drift d on n._rec > d.after_record`,
  );
  return staged;
}

/**
 * Names DuckDB reads a CSV's columns under: as written, unique (it matches names regardless of case).
 * A column the contract needs that appears twice is ambiguous and refuses the file; a repeated
 * extra column gets a suffix and stays ignored.
 */
function csvReadNames(file: DeliveryFile, header: string[], cfg: SourceIngestConfig | undefined): string[] {
  const needed = new Set([...sources[file.source].columns.map((c) => c.name), ...Object.keys(cfg?.rename ?? {}).map((k) => k.trim().toLowerCase())]);
  const count = new Map<string, number>();
  for (const h of header) count.set(h.toLowerCase(), (count.get(h.toLowerCase()) ?? 0) + 1);
  for (const [name, n] of count) {
    if (n > 1 && needed.has(name)) throw new InputError(file.path, `column "${name}" appears ${n} times in the header; keep one (which one holds the data cannot be told)`, 1);
  }
  const taken = new Set<string>();
  return header.map((h, i) => {
    let name = h || `column${i}`;
    while (taken.has(name.toLowerCase())) name = `${name}_${i}`;
    taken.add(name.toLowerCase());
    return name;
  });
}

const MAX_CASE_STEPS = 1024;

/**
 * SQL for a step function of `x`: the `value` of the last step whose `after` is below `x`, 0 before
 * the first; `steps` sorted by `after`. A balanced CASE tree: log2(steps) comparisons per row.
 *
 * @example stepSql('_rec', [{ after: 3, value: 1 }, { after: 9, value: 4 }])
 *   // case when _rec > 9 then 4 else case when _rec > 3 then 1 else 0 end end
 */
export function stepSql(x: string, steps: readonly { after: number; value: number }[]): string {
  const tree = (lo: number, hi: number, below: number): string => {
    // steps[lo..hi) decide; `below` is the value when x is at or under steps[lo].after
    if (lo >= hi) return String(below);
    const mid = (lo + hi) >> 1;
    return `case when ${x} > ${steps[mid]!.after} then ${tree(mid + 1, hi, steps[mid]!.value)} else ${tree(lo, mid, below)} end`;
  };
  return tree(0, steps.length, 0);
}

/** The scanner's line drift as a temp table `_ingest_drift(after_record, extra)`. */
async function insertDrift(db: Db, drift: CsvScan['drift']): Promise<void> {
  await db.exec(`create temp table _ingest_drift (after_record bigint, extra bigint)`);
  for (let i = 0; i < drift.length; i += 5000) {
    const part = drift.slice(i, i + 5000);
    await db.exec(`insert into _ingest_drift values ${part.map((d) => `(${d.afterRecord}, ${d.extraLines})`).join(', ')}`);
  }
}

/** SQL for the physical line of a CSV record number under the scanner's drift (when there is any). */
async function physicalLine(db: Db, rec: string): Promise<string> {
  return (await db.tableExists('_ingest_drift'))
    ? `${rec} + coalesce((select max(d.extra) from _ingest_drift d where d.after_record < ${rec}), 0)`
    : rec;
}

async function validateAndInsert(db: Db, file: DeliveryFile, fileId: number, staged: Staged, opts: LoadOptions) {
  const spec = sources[file.source];
  const { checks, warnings } = staged;
  // Rejects and warnings name the column and value as delivered (a renamed column by its name in the file).
  const names = {
    label: (c: string) => staged.renamed.get(c) ?? c,
    value: (c: string) => ident(staged.converted.has(c) ? originalName(c) : c),
  };
  const x = checkExpressions(checks, '_check', names);
  const w = checkExpressions(warnings, '_w', names);
  const keys = spec.key.map((k) => `lower(trim(${ident(k)}))`);
  // The few rows breaking a rule or carrying a warning, with their lines.
  await db.exec(`create temp table _ingest_bad as select * from _ingest_file where _check is not null or _warn is not null`);
  // Duplicate keys within the file: the first row that keeps every rule stays, later ones are
  // rejected. Grouping by a 64-bit hash of the key keeps the big aggregate small; the few groups
  // it flags are confirmed on the keys themselves.
  await db.exec(`create temp table _ingest_dups as select hash(${keys.join(', ')}) as h from _ingest_raw where _check is null group by h having count(*) > 1`);
  const hasDups = ((await db.value<number>(`select count(*)::bigint from _ingest_dups`)) ?? 0) > 0;
  if (hasDups) {
    await db.exec(`
      create temp table _ingest_dup_rows as
      with candidates as (
        select _rid, _line, ${keys.map((k, i) => `${k} as _k${i}`).join(', ')}, left(concat_ws(':', ${spec.key.map(ident).join(', ')}), 200) as _value
        from _ingest_file where _check is null and hash(${keys.join(', ')}) in (select h from _ingest_dups)
      )
      select _rid, _line, _value, min(_line) over (partition by ${keys.map((_, i) => `_k${i}`).join(', ')}) as _first_line
      from candidates
      qualify _line > _first_line`);
  }
  const params = { run: opts.runId, fid: fileId, src: file.source, file: file.name };
  const parseErrors = staged.csvRejects
    ? `union all select ${await physicalLine(db, 'rec')}, col, val, err from _ingest_csv_bad`
    : '';
  await db.exec('begin transaction');
  await db.exec(
    `insert into rejects
     select $run, $fid, $src, $file, _line, _column, _value, _reason from (
       select _line, ${x.column} as _column, ${x.value} as _value, ${x.reason} as _reason
       from _ingest_bad where _check is not null
       ${parseErrors}
       ${hasDups ? `union all
       select _line, ${literal(spec.key.join('+'))}, _value, 'duplicate key (${spec.key.join(', ')}) already on line ' || _first_line || ' of this file'
       from _ingest_dup_rows` : ''}
     ) order by _line`,
    params,
  );
  if (warnings.length) {
    await db.exec(
      `insert into ingest_warnings
       select $run, $fid, $src, $file, _line, ${w.column}, ${w.value}, ${w.reason} from (
         select *, unnest(_warn) as _w from _ingest_bad b
         where _check is null ${hasDups ? 'and _rid not in (select _rid from _ingest_dup_rows)' : ''}
       ) order by _line, _w`,
      params,
    );
  }
  // Each row carries its line, so raw_ needs no physical order: letting DuckDB write in any order
  // makes this, the biggest write of a load, about a third faster. (The temp table above does need
  // file order: its row numbers are the records'.)
  const keepOrder = await db.value<boolean>(`select current_setting('preserve_insertion_order')`);
  await db.exec(`set preserve_insertion_order = false`);
  try {
    await db.exec(
      // By column name: a column the contract gained since the table was made sits at its end.
      `insert into ${ident(rawTable(file.source))}
         (${spec.columns.map((c) => ident(c.name)).join(', ')}, _file_id, _line, _load_seq)
       select ${spec.columns.map((c) => ident(c.name)).join(', ')}, $fid, _line, $fid
       from _ingest_file where _check is null ${hasDups ? 'and _rid not in (select _rid from _ingest_dup_rows)' : ''}`,
      { fid: fileId },
    );
  } finally {
    await db.exec(`set preserve_insertion_order = ${keepOrder ? 'true' : 'false'}`);
  }
  // Counted from what was written, not derived: read = loaded + rejected is checked, never assumed.
  const read = ((await db.value<number>(`select count(*)::bigint from _ingest_raw`)) ?? 0) +
    (staged.csvRejects ? ((await db.value<number>(`select count(*)::bigint from _ingest_csv_bad`)) ?? 0) : 0);
  const loaded = (await db.value<number>(`select count(*)::bigint from ${ident(rawTable(file.source))} where _file_id = $fid`, { fid: fileId })) ?? 0;
  const rejected = (await db.value<number>(`select count(*)::bigint from rejects where file_id = $fid and run_id = $run`, { fid: fileId, run: opts.runId })) ?? 0;
  const warned = warnings.length ? ((await db.value<number>(`select count(distinct line)::bigint from ingest_warnings where file_id = $fid and run_id = $run`, { fid: fileId, run: opts.runId })) ?? 0) : 0;
  if (read !== loaded + rejected) throw new Error(`internal: ${read} rows read but ${loaded} loaded + ${rejected} rejected; nothing of this file was kept`);
  return { read, loaded, rejected, warned };
}

async function recordFile(db: Db, fileId: number, file: DeliveryFile, sha256: string, runId: string, counts: { read: number; loaded: number; rejected: number }, status: string, message: string | null, extra: string[]) {
  await db.exec(
    `insert into ingest_files (file_id, load_seq, run_id, source, path, name, sha256, bytes,
       rows_read, rows_loaded, rows_rejected, status, message, extra_columns, loaded_at)
     values ($id, $id, $run, $src, $path, $name, $sha, $bytes, $read, $loaded, $rejected, $status, $message, $extra, now())`,
    {
      id: fileId, run: runId, src: file.source, path: file.path, name: basename(file.path), sha: sha256, bytes: file.bytes,
      read: counts.read, loaded: counts.loaded, rejected: counts.rejected, status, message, extra: extra.join('|'),
    },
  );
}

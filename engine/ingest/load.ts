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
  if (files.length === 0) throw new InputError(dir, 'no contract files found (expected e.g. taxpayers.csv, platform_sellers.csv; see CONTRACT.md)');
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
    const staged = await stageFile(db, file, readPath, lines, cfg);
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

const workTables = ['_ingest_file', '_ingest_raw', '_ingest_bad', '_ingest_dups', '_ingest_dup_rows', '_ingest_csv_bad', '_ingest_shift', '_ingest_drift', '_ingest_csv_rejects', '_ingest_csv_scans'];

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
}

/**
 * Reads one file into `_ingest_file` with the contract's columns (text, converted to contract form
 * where the config says how), `_line` (the physical line the row starts on, header = 1; the row
 * number for Parquet) and, for CSV records DuckDB could not parse, `_parse_error` / `_parse_column`.
 */
async function stageFile(db: Db, file: DeliveryFile, readPath: string, scan: CsvScan | undefined, cfg: SourceIngestConfig | undefined): Promise<Staged> {
  const spec = sources[file.source];
  let header: string[];
  let reader: string;
  if (file.format === 'parquet') {
    const desc = await db.all<{ column_name: string }>(`describe select * from read_parquet(${literal(readPath)})`);
    header = desc.map((d) => d.column_name);
    reader = `(select *, file_row_number as _rec from read_parquet(${literal(readPath)}, file_row_number = true))`;
  } else {
    header = readCsvHeader(readPath);
    const columns = `{${header.map((h, i) => `${literal(h || `column${i}`)}: 'varchar'`).join(', ')}}`;
    reader =
      `(select * from read_csv(${literal(readPath)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', ` +
      `columns = ${columns}, store_rejects = true, rejects_table = '_ingest_csv_rejects', rejects_scan = '_ingest_csv_scans', ` +
      `strict_mode = true, null_padding = false, max_line_size = 10000000))`;
  }
  const mapping = mapHeader(spec, header, cfg);
  const used = new Set(mapping.values());
  const staged: Staged = {
    fileColumns: new Set(mapping.keys()),
    extraColumns: header.filter((h) => !used.has(h)),
    renamed: new Map([...mapping].filter(([ours, theirs]) => ours !== theirs.toLowerCase())),
    converted: new Set(),
  };
  const projection = spec.columns
    .map((c) => {
      const h = mapping.get(c.name);
      if (h === undefined) return `null::varchar as ${ident(c.name)}`;
      const delivered = `${ident(h)}::varchar`;
      const contractForm = contractFormSql(c, delivered, cfg);
      if (!contractForm) return `${delivered} as ${ident(c.name)}`;
      staged.converted.add(c.name);
      return `${contractForm} as ${ident(c.name)}, ${delivered} as ${ident(originalName(c.name))}`;
    })
    .join(', ');
  const noParseError = `null::varchar as _parse_error, null::varchar as _parse_column`;
  if (file.format === 'parquet') {
    await db.exec(`create temp table _ingest_file as select ${projection}, _rec + 1 as _line, ${noParseError} from ${reader}`);
    return staged;
  }
  // Rows arrive in file order (insertion order is preserved); DuckDB numbers a CSV record counting
  // the header as 1. Accepted rows skip the rejected records, so the k-th accepted row is record
  // k + 1 + (number of rejected records before it); a quoted line break moves every later record
  // down a line (scanCsv). Both are sparse: ASOF joins over the few shifts.
  await db.exec(`create temp table _ingest_raw as select ${projection} from ${reader}`);
  const csvRejects = (await db.tableExists('_ingest_csv_rejects')) && ((await db.value<number>('select count(*)::bigint from _ingest_csv_rejects')) ?? 0) > 0;
  const drift = scan && scan.drift.length > 0;
  if (!csvRejects && !drift) {
    await db.exec(`create temp view _ingest_file as select *, rowid + 2 as _line, ${noParseError} from _ingest_raw`);
    return staged;
  }
  if (drift) await insertDrift(db, scan.drift);
  if (!csvRejects) {
    await db.exec(`
      create temp table _ingest_file as
      with numbered as (select *, rowid + 2 as _rec from _ingest_raw)
      select n.* exclude (_rec), n._rec + coalesce(d.extra, 0) as _line, ${noParseError}
      from numbered n asof left join _ingest_drift d on n._rec > d.after_record`);
    return staged;
  }
  const nulls = spec.columns.map((c) => `null::varchar as ${ident(c.name)}`).concat([...staged.converted].map((c) => `null::varchar as ${ident(originalName(c))}`));
  await db.exec(`
    create temp table _ingest_csv_bad as
      select line as rec, string_agg(error_type || ': ' || error_message, '; ' order by column_idx) as err,
             first(column_name order by column_idx) as col, first(left(trim(csv_line, chr(10) || chr(13)), 200) order by column_idx) as val
      from _ingest_csv_rejects group by line;
    -- Adjacent rejected records share a 'before': keep the largest shift (ASOF ties are not ordered).
    create temp table _ingest_shift as
      select before, max(shift) as shift from (
        select rec - 1 - row_number() over (order by rec) as before, row_number() over (order by rec) as shift from _ingest_csv_bad
      ) group by before;
    create temp table _ingest_file as
      with numbered as (select *, rowid + 1 as k from _ingest_raw),
      records as (
        select n.* exclude (k), n.k + 1 + coalesce(s.shift, 0) as _rec, null::varchar as _parse_error, null::varchar as _parse_column
        from numbered n asof left join _ingest_shift s on n.k > s.before
        union all
        select ${nulls.join(', ')}, rec as _rec, err || '|' || coalesce(val, '') as _parse_error, col as _parse_column
        from _ingest_csv_bad
      )
      ${drift
        ? `select r.* exclude (_rec, _parse_error, _parse_column), r._rec + coalesce(d.extra, 0) as _line, r._parse_error, r._parse_column
           from records r asof left join _ingest_drift d on r._rec > d.after_record`
        : `select * exclude (_rec, _parse_error, _parse_column), _rec as _line, _parse_error, _parse_column from records`};
    drop table _ingest_csv_bad; drop table _ingest_shift;
  `);
  return staged;
}

/** The scanner's line drift as a temp table `_ingest_drift(after_record, extra)`. */
async function insertDrift(db: Db, drift: CsvScan['drift']): Promise<void> {
  await db.exec(`create temp table _ingest_drift (after_record bigint, extra bigint)`);
  for (let i = 0; i < drift.length; i += 5000) {
    const part = drift.slice(i, i + 5000);
    await db.exec(`insert into _ingest_drift values ${part.map((d) => `(${d.afterRecord}, ${d.extraLines})`).join(', ')}`);
  }
}

async function validateAndInsert(db: Db, file: DeliveryFile, fileId: number, staged: Staged, opts: LoadOptions) {
  const spec = sources[file.source];
  const checks = contractChecks(spec, staged.fileColumns, opts.extraChecks?.[file.source] ?? []);
  const warnings = identifierWarnings(spec, staged.fileColumns);
  const parsed = parsedColumns(spec, staged.fileColumns);
  // Rejects and warnings name the column and value as delivered (a renamed column by its name in the file).
  const names = {
    label: (c: string) => staged.renamed.get(c) ?? c,
    value: (c: string) => ident(staged.converted.has(c) ? originalName(c) : c),
  };
  const x = checkExpressions(checks, '_check', names);
  const w = checkExpressions(warnings, '_w', names);
  const keys = spec.key.map((k) => `lower(trim(${ident(k)}))`);
  const keysOf = (alias: string) => spec.key.map((k) => `lower(trim(${alias}.${ident(k)}))`);
  const cols = spec.columns.map((c) => ident(c.name)).join(', ');
  // One pass over the file evaluates every rule; only the rows breaking one are kept (few).
  // Check number 0 = the CSV reader could not parse the record (its own message is kept).
  await db.exec(`
    create temp table _ingest_bad as
    with parsed as (
      select *${parsed.length ? ', ' + parsed.join(', ') : ''} from _ingest_file
    ), checked as (
      select *, case when _parse_error is not null then 0 else ${x.check} end as _check, ${warningListSql(warnings)} as _warn
      from parsed
    )
    select * from checked where _check is not null or len(_warn) > 0`);
  const rejectedByRule = (await db.value<number>(`select count(*)::bigint from _ingest_bad where _check is not null`)) ?? 0;
  const notRejected = rejectedByRule ? `not exists (select 1 from _ingest_bad b where b._check is not null and b._line = f._line)` : 'true';
  // Duplicate keys within the file: the first row that keeps every rule stays, later ones are rejected.
  await db.exec(`
    create temp table _ingest_dups as
    select ${keys.map((k, i) => `${k} as _k${i}`).join(', ')}, min(_line) as _first_line
    from _ingest_file f where ${notRejected}
    group by all having count(*) > 1`);
  const hasDups = ((await db.value<number>(`select count(*)::bigint from _ingest_dups`)) ?? 0) > 0;
  if (hasDups) {
    await db.exec(`
      create temp table _ingest_dup_rows as
      select f._line, left(concat_ws(':', ${spec.key.map((k) => `f.${ident(k)}`).join(', ')}), 200) as _value, d._first_line
      from _ingest_file f join _ingest_dups d on ${keysOf('f').map((k, i) => `d._k${i} = ${k}`).join(' and ')} and f._line > d._first_line
      where ${notRejected}`);
  }
  const params = { run: opts.runId, fid: fileId, src: file.source, file: file.name };
  await db.exec('begin transaction');
  await db.exec(
    `insert into rejects
     select $run, $fid, $src, $file, _line, _column, _value, _reason from (
       select _line,
         case when _check = 0 then _parse_column else ${x.column} end as _column,
         case when _check = 0 then substr(_parse_error, strpos(_parse_error, '|') + 1) else ${x.value} end as _value,
         case when _check = 0 then split_part(_parse_error, '|', 1) else ${x.reason} end as _reason
       from _ingest_bad where _check is not null
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
         where _check is null ${hasDups ? 'and not exists (select 1 from _ingest_dup_rows r where r._line = b._line)' : ''}
       ) order by _line, _w`,
      params,
    );
  }
  const keep = [
    ...(rejectedByRule ? [notRejected] : []),
    ...(hasDups ? ['not exists (select 1 from _ingest_dup_rows r where r._line = f._line)'] : []),
  ];
  await db.exec(
    `insert into ${ident(rawTable(file.source))}
     select ${spec.columns.map((c) => `f.${ident(c.name)}`).join(', ')}, $fid, f._line, $fid
     from _ingest_file f ${keep.length ? `where ${keep.join(' and ')}` : ''}`,
    { fid: fileId },
  );
  // Counted from what was written, not derived: read = loaded + rejected is checked, never assumed.
  const read = (await db.value<number>(`select count(*)::bigint from _ingest_file`)) ?? 0;
  const loaded = (await db.value<number>(`select count(*)::bigint from ${ident(rawTable(file.source))} where _file_id = $fid`, { fid: fileId })) ?? 0;
  const rejected = (await db.value<number>(`select count(*)::bigint from rejects where file_id = $fid and run_id = $run`, { fid: fileId, run: opts.runId })) ?? 0;
  const warned = warnings.length ? ((await db.value<number>(`select count(distinct line)::bigint from ingest_warnings where file_id = $fid and run_id = $run`, { fid: fileId, run: opts.runId })) ?? 0) : 0;
  if (read !== loaded + rejected) throw new Error(`internal: ${read} rows read but ${loaded} loaded + ${rejected} rejected; nothing of this file was kept`);
  return { read, loaded, rejected, warned };
}

async function recordFile(db: Db, fileId: number, file: DeliveryFile, sha256: string, runId: string, counts: { read: number; loaded: number; rejected: number }, status: string, message: string | null, extra: string[]) {
  await db.exec(
    `insert into ingest_files values ($id, $id, $run, $src, $path, $name, $sha, $bytes, $read, $loaded, $rejected, $status, $message, $extra, now())`,
    {
      id: fileId, run: runId, src: file.source, path: file.path, name: basename(file.path), sha: sha256, bytes: file.bytes,
      read: counts.read, loaded: counts.loaded, rejected: counts.rejected, status, message, extra: extra.join('|'),
    },
  );
}

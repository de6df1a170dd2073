import { basename } from 'node:path';
import type { Db } from '../warehouse/db.js';
import { ident, literal } from '../warehouse/db.js';
import { ensureWarehouseSchema, rawTable } from '../warehouse/schema.js';
import type { Logger } from '../log.js';
import { InputError } from '../errors.js';
import { discoverDelivery, hashFile, readCsvHeader, type DeliveryFile } from './files.js';
import { sources, type SourceName } from './sources.js';
import { checkExpressions, contractChecks, parsedColumns, type Check } from './validate.js';

export interface FileLoad {
  file: string;
  source: SourceName;
  sha256: string;
  status: 'loaded' | 'skipped' | 'failed';
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  message?: string;
  fileId?: number;
}

export interface LoadSummary {
  files: FileLoad[];
  ignored: string[];
  /** Per source: rows read / loaded / rejected in this run's new files. */
  bySource: Record<string, { read: number; loaded: number; rejected: number; files: number }>;
}

export interface LoadOptions {
  runId: string;
  log: Logger;
  /** Extra per-source checks (e.g. identifier formats), appended after the contract's. */
  extraChecks?: Partial<Record<SourceName, Check[]>>;
}

/**
 * Loads every new file of a delivery folder into `raw_<source>`; rows breaking the contract go to
 * `rejects` with file, line, column, value and reason. A file whose content was loaded before (same
 * SHA-256) is skipped. One unreadable file never stops the others.
 *
 * @example const summary = await loadDelivery(db, 'data-samples', { runId, log });
 */
export async function loadDelivery(db: Db, dir: string, opts: LoadOptions): Promise<LoadSummary> {
  await ensureWarehouseSchema(db);
  const { files, ignored } = discoverDelivery(dir);
  if (files.length === 0) throw new InputError(dir, 'no contract files found (expected e.g. taxpayers.csv, platform_sellers.csv; see CONTRACT.md)');
  for (const name of ignored) opts.log.warn(`ignored ${name}: its name matches no source of the contract`);
  const loads: FileLoad[] = [];
  for (const file of files) loads.push(await loadFile(db, file, opts));
  const bySource: LoadSummary['bySource'] = {};
  for (const l of loads) {
    const s = (bySource[l.source] ??= { read: 0, loaded: 0, rejected: 0, files: 0 });
    s.read += l.rowsRead;
    s.loaded += l.rowsLoaded;
    s.rejected += l.rowsRejected;
    s.files += l.status === 'skipped' ? 0 : 1;
  }
  return { files: loads, ignored, bySource };
}

async function loadFile(db: Db, file: DeliveryFile, opts: LoadOptions): Promise<FileLoad> {
  const sha256 = await hashFile(file.path);
  const seen = await db.one<{ file_id: number; name: string }>(
    `select file_id, name from ingest_files where sha256 = $sha and status = 'loaded' limit 1`,
    { sha: sha256 },
  );
  const base: FileLoad = { file: file.name, source: file.source, sha256, status: 'skipped', rowsRead: 0, rowsLoaded: 0, rowsRejected: 0 };
  if (seen) {
    opts.log.info(`${file.name}: already loaded (same content as file #${seen.file_id} ${seen.name}); skipped`);
    return { ...base, message: `same content as file #${seen.file_id} (${seen.name})`, fileId: seen.file_id };
  }
  const fileId = (await db.value<number>(`select coalesce(max(file_id), 0) + 1 from ingest_files`))!;
  const started = performance.now();
  try {
    await dropWorkTables(db);
    const { fileColumns, extraColumns } = await stageFile(db, file);
    // validateAndInsert opens one transaction per file for what persists: a run killed mid-file
    // leaves no half-loaded rows behind, and the file (not recorded as loaded) is loaded whole by
    // the next run. (Staging into temp tables stays outside: in a transaction rowids are not file order.)
    const counts = await validateAndInsert(db, file, fileId, fileColumns, opts);
    await recordFile(db, fileId, file, sha256, opts.runId, counts, 'loaded', null, extraColumns);
    await db.exec('commit');
    const secs = (performance.now() - started) / 1000;
    opts.log.info(
      `${file.name}: ${counts.read.toLocaleString('en')} rows read, ${counts.loaded.toLocaleString('en')} loaded, ` +
        `${counts.rejected.toLocaleString('en')} rejected (${Math.round(counts.read / Math.max(secs, 1e-3)).toLocaleString('en')} rows/s)`,
    );
    return { ...base, status: 'loaded', rowsRead: counts.read, rowsLoaded: counts.loaded, rowsRejected: counts.rejected, fileId };
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
  }
}

/** Drops the temp tables and views of one file's load. */
async function dropWorkTables(db: Db): Promise<void> {
  const temps = await db.all<{ name: string; kind: string }>(
    `select table_name as name, table_type as kind from information_schema.tables
     where table_name in ('_ingest_file', '_ingest_raw', '_ingest_valid', '_ingest_dups', '_ingest_bad', '_ingest_shift', '_ingest_csv_rejects', '_ingest_csv_scans')`,
  );
  for (const t of temps) await db.exec(`drop ${t.kind === 'VIEW' ? 'view' : 'table'} if exists ${ident(t.name)}`);
}

const firstLine = (s: string) => s.split('\n')[0]!.slice(0, 300);

/**
 * Reads one file into `_ingest_file` with the contract's columns (text), `_line` and, for CSV
 * records DuckDB could not parse, `_parse_error`.
 */
async function stageFile(db: Db, file: DeliveryFile): Promise<{ fileColumns: Set<string>; extraColumns: string[] }> {
  const spec = sources[file.source];
  const contract = new Set(spec.columns.map((c) => c.name));
  let header: string[];
  let reader: string;
  if (file.format === 'parquet') {
    const desc = await db.all<{ column_name: string }>(`describe select * from read_parquet(${literal(file.path)})`);
    header = desc.map((d) => d.column_name);
    reader = `(select *, file_row_number as _rec from read_parquet(${literal(file.path)}, file_row_number = true))`;
  } else {
    header = readCsvHeader(file.path);
    const columns = `{${header.map((h, i) => `${literal(h || `column${i}`)}: 'varchar'`).join(', ')}}`;
    reader =
      `(select * from read_csv(${literal(file.path)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', ` +
      `columns = ${columns}, store_rejects = true, rejects_table = '_ingest_csv_rejects', rejects_scan = '_ingest_csv_scans', ` +
      `strict_mode = true, null_padding = false, max_line_size = 10000000))`;
  }
  const byLower = new Map<string, string>();
  for (const h of header) if (!byLower.has(h.toLowerCase())) byLower.set(h.toLowerCase(), h);
  const fileColumns = new Set([...contract].filter((c) => byLower.has(c)));
  const extraColumns = header.filter((h) => !contract.has(h.toLowerCase()));
  const projection = spec.columns
    .map((c) => (byLower.has(c.name) ? `${ident(byLower.get(c.name)!)}::varchar as ${ident(c.name)}` : `null::varchar as ${ident(c.name)}`))
    .join(', ');
  if (file.format === 'parquet') {
    await db.exec(`create temp table _ingest_file as select ${projection}, _rec, null::varchar as _parse_error, null::varchar as _parse_column from ${reader}`);
    return { fileColumns, extraColumns };
  }
  // Rows arrive in file order (insertion order is preserved); DuckDB numbers a CSV record by its
  // line counting the header as 1. Accepted rows skip the rejected records, so the k-th accepted row
  // is record k + (number of rejected records before it): an ASOF join over the few rejects.
  await db.exec(`create temp table _ingest_raw as select ${projection} from ${reader}`);
  const hasRejects = await db.tableExists('_ingest_csv_rejects') && ((await db.value<number>('select count(*)::bigint from _ingest_csv_rejects')) ?? 0) > 0;
  if (!hasRejects) {
    await db.exec(`create temp view _ingest_file as select *, rowid + 1 as _rec, null::varchar as _parse_error, null::varchar as _parse_column from _ingest_raw`);
    return { fileColumns, extraColumns };
  }
  await db.exec(`
    create temp table _ingest_bad as
      ${hasRejects
        ? `select line - 1 as rec, string_agg(error_type || ': ' || error_message, '; ' order by column_idx) as err,
                  first(column_name order by column_idx) as col, first(left(trim(csv_line, chr(10) || chr(13)), 200) order by column_idx) as val
           from _ingest_csv_rejects group by line`
        : `select null::bigint as rec, null::varchar as err, null::varchar as col, null::varchar as val where false`};
    create temp table _ingest_shift as
      select rec - row_number() over (order by rec) as before, row_number() over (order by rec) as shift from _ingest_bad;
    create temp table _ingest_file as
      with numbered as (select *, rowid + 1 as k from _ingest_raw)
      select n.* exclude (k), n.k + coalesce(s.shift, 0) as _rec, null::varchar as _parse_error, null::varchar as _parse_column
      from numbered n asof left join _ingest_shift s on n.k > s.before
      union all
      select ${spec.columns.map((c) => `null::varchar as ${ident(c.name)}`).join(', ')}, rec as _rec, err || '|' || coalesce(val, '') as _parse_error, col as _parse_column
      from _ingest_bad;
    drop table _ingest_bad; drop table _ingest_shift;
  `);
  return { fileColumns, extraColumns };
}

async function validateAndInsert(db: Db, file: DeliveryFile, fileId: number, fileColumns: Set<string>, opts: LoadOptions) {
  const spec = sources[file.source];
  const checks = contractChecks(spec, fileColumns, opts.extraChecks?.[file.source] ?? []);
  const parsed = parsedColumns(spec, fileColumns);
  const x = checkExpressions(checks);
  const keys = spec.key.map((k) => `lower(trim(${ident(k)}))`);
  const cols = spec.columns.map((c) => ident(c.name)).join(', ');
  // Line = the record's line counting the header as line 1 (CSV), or the 1-based row number (Parquet).
  // Check number 0 = the CSV reader could not parse the record (its own message is kept).
  await db.exec(`
    create temp table _ingest_valid as
    with parsed as (
      select *${parsed.length ? ', ' + parsed.join(', ') : ''} from _ingest_file
    )
    select ${cols}, _parse_error, _parse_column, _rec + 1 as _line,
      case when _parse_error is not null then 0 else ${x.check} end as _check
    from parsed
  `);
  // Duplicate keys within the file: the first row stays, later ones are rejected.
  await db.exec(`
    create temp table _ingest_dups as
    select ${keys.map((k, i) => `${k} as _k${i}`).join(', ')}, min(_line) as _first_line
    from _ingest_valid where _check is null
    group by all having count(*) > 1
  `);
  const hasDups = ((await db.value<number>(`select count(*)::bigint from _ingest_dups`)) ?? 0) > 0;
  const dupJoin = `left join _ingest_dups d on ${keys.map((k, i) => `d._k${i} = ${k}`).join(' and ')} and v._check is null and v._line > d._first_line`;
  const params = { run: opts.runId, fid: fileId, src: file.source, file: file.name };
  await db.exec('begin transaction');
  await db.exec(
    `insert into rejects
     select $run, $fid, $src, $file, _line, _column, _value, _reason from (
       select _line,
         case when _check = 0 then _parse_column else ${x.column} end as _column,
         case when _check = 0 then substr(_parse_error, strpos(_parse_error, '|') + 1) else ${x.value} end as _value,
         case when _check = 0 then split_part(_parse_error, '|', 1) else ${x.reason} end as _reason
       from _ingest_valid where _check is not null
       ${hasDups ? `union all
       select v._line, ${literal(spec.key.join('+'))}, left(concat_ws(':', ${spec.key.map((k) => `v.${ident(k)}`).join(', ')}), 200),
         'duplicate key (${spec.key.join(', ')}) already on line ' || d._first_line || ' of this file'
       from _ingest_valid v ${dupJoin.replace('left join', 'join')}` : ''}
     ) order by _line`,
    params,
  );
  await db.exec(
    `insert into ${ident(rawTable(file.source))}
     select ${spec.columns.map((c) => `v.${ident(c.name)}`).join(', ')}, $fid, v._line, $fid
     from _ingest_valid v ${hasDups ? dupJoin : ''}
     where v._check is null ${hasDups ? 'and d._first_line is null' : ''}
     order by v._line`,
    { fid: fileId },
  );
  const c = (await db.one<{ read: number; rejected: number }>(`select count(*)::bigint as read from _ingest_valid`))!;
  const loaded = (await db.value<number>(`select count(*)::bigint from ${ident(rawTable(file.source))} where _file_id = $fid`, { fid: fileId })) ?? 0;
  return { read: c.read, rejected: c.read - loaded, loaded };
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

import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Db } from '../warehouse/db.js';
import { ident, literal } from '../warehouse/db.js';
import { ensureIngestSchema, rawTable } from './schema.js';
import { installNormalizeMacros } from '../normalize/sql.js';
import type { Logger } from '../log.js';
import { InputError, withoutQuotedValues } from '../errors.js';
import { convertToUtf8, encodingToRead, normalizeLineEndings } from './encoding.js';
import {
  describeDialect,
  showDelimiter,
  sniffAmounts,
  sniffDialect,
  type CsvDialect,
  type DialectSniff,
} from './dialect.js';
import { discoverDelivery, hashFile, headBytes, type DeliveryFile } from './files.js';
import { mapHeaders, type HeaderMapping } from './headers.js';
import { contractFormSql, type IngestConfig, type SourceIngestConfig } from './options.js';
import { scanCsv, type CsvScan } from './scan.js';
import { sources, type SourceName } from './sources.js';
import {
  checkExpressions,
  contractChecks,
  identifierWarnings,
  parsedColumns,
  trimmedName,
  warningListSql,
  type Check,
} from './validate.js';
import { builtinFormSql, restoredIdSql } from './values.js';
import { stageXlsx, type XlsxStaged } from './xlsx.js';
import { fmt } from '../format.js';
import { sizeInBytes } from '../sizes.js';
import { bankAliases } from '../normalize/account.js';

export interface FileLoad {
  file: string;
  source: SourceName;
  sha256: string;
  /**
   * `loaded`: at least one row in `raw_<source>` (or a header without rows); `rejected`: read, but every row of
   * it went to rejects (a failed load, like `failed`, only with its rows' reasons); `failed`: not read at all.
   */
  status: 'loaded' | 'skipped' | 'failed' | 'rejected';
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  /** Loaded rows that carry a warning (`ingest_warnings`), e.g. a malformed optional identifier. */
  rowsWarned: number;
  /**
   * Records skipped as no record, counted apart from `rowsRead`: a CSV record whose every field is empty after trim
   * (`,,,,` lines Excel writes below a table), a workbook row with no value in a recognised column. Empty lines
   * are not counted: they are not records.
   */
  rowsEmpty?: number;
  /** Tax codes and personal IDs whose leading zero (dropped by Excel) was restored, in rows that keep every rule. */
  idsRestored?: number;
  message?: string;
  fileId?: number;
  /** Workbooks: the sheet loaded and its header row (1-based); `line` in rejects and `_line` in raw_ are that
   * sheet's row numbers. */
  sheet?: string;
  headerRow?: number;
  /** How the file was read, as far as reading got (absent for a skipped file). */
  reading?: FileReading;
}

/** How one file was read: what `sangloc check` shows and the run's log prints. No values. */
export interface FileReading {
  /** `UTF-8`, `UTF-8 with BOM`, or the encoding converted from. */
  encoding?: string;
  /** CSV dialect and where it came from. */
  dialect?: Pick<DialectSniff, 'dialect' | 'how' | 'alternatives'>;
  /** Money columns' digit grouping when the file writes them grouped, and whether the config or the file said so. */
  amounts?: { decimal: string; thousands: string; how: 'config' | 'detected' };
  header?: string[];
  /** Contract column ← the file's column, for every contract column the file carries. */
  mapping?: { contract: string; fileColumn: string; how: 'exact' | 'synonym' | 'config' }[];
  missingRequired?: string[];
  extraColumns?: string[];
  /** Ignored file columns close to a contract column not found (did-you-mean). */
  suggestions?: { fileColumn: string; didYouMean: string }[];
  /** Settings that would read the file better than the config does (`sangloc check` prints them as a snippet). */
  fix: Partial<SourceIngestConfig>;
  /** File-level advice: what a setting cannot fix but a person can. */
  hints: string[];
}

export interface LoadSummary {
  files: FileLoad[];
  ignored: string[];
  /** Per source: rows read / loaded / rejected / loaded with a warning in this run's new files. */
  bySource: Record<
    string,
    { read: number; loaded: number; rejected: number; warnings: number; restored: number; files: number }
  >;
}

export interface LoadOptions {
  runId: string;
  log: Logger;
  /** Extra per-source checks (e.g. identifier formats), appended after the contract's. */
  extraChecks?: Partial<Record<SourceName, Check[]>>;
  /** Per-source column names, formats and encodings (`config.ingest`); absent = files follow the contract. */
  ingest?: IngestConfig;
  /** Folder for UTF-8 copies of files delivered in another encoding (the workspace's tmp); default the OS temp
   * folder. */
  tmpDir?: string;
  /** Which of the delivery's files to load (default all); `sangloc check` re-checks only the files a fix concerns. */
  select?: (file: DeliveryFile) => boolean;
  /** Rows per CSV part of a workbook's sheet (default 25,000; tests use a few to load many parts). */
  xlsxPartRows?: number;
  /** Called after a file's rows are written and before its transaction commits, with the connection loading it
   * (tests interrupt a load here). */
  beforeCommit?: (file: DeliveryFile, db: Db) => void | Promise<void>;
  /** Files loaded at once, each on a connection of its own (default: 2 when DuckDB's memory limit is 1 GiB or
   * more, else 1, one after the other). */
  lanes?: number;
}

/**
 * SANGLOC_PROFILE=1: milliseconds spent in each step of a load, wall and CPU (the process's, DuckDB's
 * threads included), summed over the delivery's files and logged once at its end (`ingest profile:
 * hash+scan 666 ms (cpu 640), read+check 6.862 ms (cpu 12.410), …`): where ingest's time goes beyond
 * DuckDB's own read. CPU time moves less than wall time when other processes share the machine. Off
 * (no cost) otherwise.
 */
const profile = process.env.SANGLOC_PROFILE === '1' ? new Map<string, { wall: number; cpu: number }>() : undefined;
/** A file's own clock for `profile`: each call adds the time since the last one to step `name` (none: starts). With
 * two files loading at once the wall times of both are summed, and CPU is the process's, counted by both. */
type Step = (name?: string) => void;
function stepper(): Step {
  let mark = { wall: 0, cpu: 0 };
  return (name) => {
    if (!profile) return;
    const usage = process.cpuUsage();
    const now = { wall: performance.now(), cpu: (usage.user + usage.system) / 1000 };
    if (name !== undefined) {
      const sum = profile.get(name) ?? { wall: 0, cpu: 0 };
      profile.set(name, { wall: sum.wall + now.wall - mark.wall, cpu: sum.cpu + now.cpu - mark.cpu });
    }
    mark = now;
  };
}

/**
 * Files of one delivery loading two at a time keep the order they have loading one by one: a file takes
 * its number (`file_id`, which is also its `_load_seq`: a later file's restatement wins) only after every
 * file before it took one or was skipped, and a file with the same content as one before it waits for
 * that one to finish before asking whether its content was loaded (it is then skipped, as it would be
 * one after the other).
 */
class FileOrder {
  private readonly shas: (string | undefined)[];
  private readonly numbered: Deferred[];
  private readonly finished: Deferred[];
  private next: number | undefined;

  constructor(n: number) {
    this.shas = new Array(n).fill(undefined);
    this.numbered = Array.from({ length: n }, deferred);
    this.finished = Array.from({ length: n }, deferred);
  }

  /** Waits until the files before `i` are numbered (or skipped), and those of them with its content finished. */
  async before(i: number, sha256: string): Promise<void> {
    this.shas[i] = sha256;
    for (let j = 0; j < i; j++) await this.numbered[j]!.promise;
    for (let j = 0; j < i; j++) if (this.shas[j] === sha256) await this.finished[j]!.promise;
  }

  /** The next file number: one more than the highest in `ingest_files`, then counted here (files before it are
   * still in their transactions, their rows not yet visible). */
  async number(db: Db): Promise<number> {
    this.next ??= (await db.value<number>(`select coalesce(max(file_id), 0) + 1 from ingest_files`))!;
    return this.next++;
  }

  numberedAt(i: number): void {
    this.numbered[i]!.resolve();
  }

  finishedAt(i: number): void {
    this.numbered[i]!.resolve();
    this.finished[i]!.resolve();
  }
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
}
function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Files loaded at once (each on a connection of its own): DuckDB's reading of one file leaves part of the
 * second core idle; two at a time took 27–31 % less wall time at 50,000 persons' bank files (issue 18, sp18). */
const LANES = 2;
/** Below this DuckDB memory limit files load one at a time: each CSV read asks DuckDB for a block of about
 * 152 MiB besides its temp table, and two reads beside the statements that record a failed file ran out of
 * the config's smallest limit (64MB) where one read alone fails cleanly (test/reliability/runs.test.ts). */
const TWO_LANES_MIN_MEMORY = 2 ** 30;

/** How many files load at once on this database: `opts.lanes`, else two when its memory limit allows.
 *
 * @example await lanesFor(db, { runId, log }, 21) // 2 at the default 1.5GB, 1 under 1 GiB */
export async function lanesFor(db: Db, opts: Pick<LoadOptions, 'lanes'>, files: number): Promise<number> {
  if (opts.lanes !== undefined) return Math.max(1, Math.min(opts.lanes, files));
  const limit = sizeInBytes(
    (await db.value<string>(`select value from duckdb_settings() where name = 'memory_limit'`)) ?? '',
  );
  return limit !== undefined && limit >= TWO_LANES_MIN_MEMORY ? Math.min(LANES, files) : 1;
}

/**
 * Loads every new file of a delivery folder into `raw_<source>`; rows breaking the contract go to
 * `rejects` with file, line, column, value and reason; malformed optional identifiers of loaded rows
 * go to `ingest_warnings`. A file whose content was loaded before (same SHA-256, at least one row
 * loaded, or a header without rows) is skipped. One
 * unreadable file never stops the others; each file is loaded whole or not at all.
 *
 * @example const summary = await loadDelivery(db, 'data-samples', { runId, log, ingest: config.ingest, tmpDir:
 * ws.tmpDir });
 */
export async function loadDelivery(db: Db, dir: string, opts: LoadOptions): Promise<LoadSummary> {
  await ensureIngestSchema(db);
  await ensureIngestTables(db);
  const found = discoverDelivery(dir);
  const ignored = found.ignored;
  for (const note of found.skipped) opts.log.warn(`skipped ${note}`);
  const files = opts.select ? found.files.filter(opts.select) : found.files;
  if (files.length === 0)
    throw new InputError(
      dir,
      'no contract files found (expected e.g. taxpayers.csv, platform_sellers.csv; see docs/contract.md)',
    );
  for (const name of ignored) opts.log.warn(`ignored ${name}: its name matches no source of the contract`);
  const loads: FileLoad[] = [];
  // Progress by bytes: a large COD file is most of the wait, not one file in twenty.
  const totalBytes = files.reduce((s, f) => s + f.bytes, 0);
  let doneBytes = 0;
  profile?.clear();
  const order = new FileOrder(files.length);
  const lanes = await lanesFor(db, opts, files.length);
  let next = 0;
  let stopped = false;
  const lane = async (ldb: Db) => {
    while (!stopped && next < files.length) {
      const i = next++;
      const file = files[i]!;
      try {
        loads[i] = await loadFile(ldb, file, opts, { index: i, order, alone: lanes === 1 });
      } catch (err) {
        stopped = true; // the other lane finishes its file, then takes no other
        throw err;
      } finally {
        order.finishedAt(i);
      }
      doneBytes += file.bytes;
      opts.log.progress(doneBytes, totalBytes);
    }
  };
  const others = await Promise.all(Array.from({ length: lanes - 1 }, () => db.connection()));
  try {
    const ran = await Promise.allSettled([lane(db), ...others.map(lane)]);
    const failed = ran.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    for (const o of others) o.close();
  }
  if (profile) {
    const steps = [...profile].map(([k, t]) => `${k} ${fmt().int(t.wall)} ms (cpu ${fmt().int(t.cpu)})`);
    opts.log.info(`ingest profile: ${steps.join(', ')}`);
  }
  // Content seen before is never applied again; say when that keeps a later restatement in force
  // (checked after every file of the delivery is in, so a correction in the same folder counts).
  for (const l of loads) {
    if (l.status !== 'skipped' || l.fileId === undefined) continue;
    const later = await restatedLater(db, l.source, l.fileId);
    if (later.records === 0) continue;
    const note =
      `${fmt().int(later.records)} of its records were restated with other values by later ` +
      `deliveries (${later.files.join(', ')}), and those later values stay`;
    l.message = `${l.message}; ${note}`;
    opts.log.warn(
      `${l.file}: not loaded again (same content as a file loaded before); ${note}: content seen before is ` +
        `never re-applied. ` +
        'If these older values are the right ones, the sender must deliver them as a new correction file',
    );
  }
  const bySource: LoadSummary['bySource'] = {};
  for (const l of loads) {
    const s = (bySource[l.source] ??= { read: 0, loaded: 0, rejected: 0, warnings: 0, restored: 0, files: 0 });
    s.read += l.rowsRead;
    s.loaded += l.rowsLoaded;
    s.rejected += l.rowsRejected;
    s.warnings += l.rowsWarned;
    s.restored += l.idsRestored ?? 0;
    s.files += l.status === 'skipped' ? 0 : 1;
  }
  return { files: loads, ignored, bySource };
}

/**
 * How many records of an earlier-loaded file now count with other values from a later file (the
 * later delivery wins), and the names of those files: what re-sending the earlier file would have
 * changed if content seen before were applied again.
 *
 * @example await restatedLater(db, 'cod_shipments', 3) // { records: 1, files: ['cod_shipments_ghn_fix.csv'] }
 */
export async function restatedLater(
  db: Db,
  source: SourceName,
  fileId: number,
): Promise<{ records: number; files: string[] }> {
  const spec = sources[source];
  const key = spec.key.map((k) => `record_key_text(${ident(k)})`).join(', ');
  // Key columns match by their key text (`W1` = `w1`); a change is in the other columns.
  const differs =
    spec.columns
      .filter((c) => !spec.key.includes(c.name))
      .map((c) => `m.${ident(c.name)} is distinct from l.${ident(c.name)}`)
      .join(' or ') || 'false';
  const rows = await db.all<{ records: number; files: string | null }>(
    `with mine as (select *, [${key}] as _k from ${ident(rawTable(source))} where _file_id = $fid),
     latest as (
       select *, [${key}] as _k from ${ident(rawTable(source))}
       where [${key}] in (select _k from mine)
       qualify row_number() over (partition by [${key}] order by _load_seq desc, _line desc) = 1
     )
     select count(*)::int as records, string_agg(distinct f.name, ', ' order by f.name) as files
     from mine m join latest l on m._k = l._k left join ingest_files f on f.file_id = l._file_id
     where l._file_id <> m._file_id and (${differs})`,
    { fid: fileId },
  );
  return { records: rows[0]?.records ?? 0, files: rows[0]?.files ? rows[0].files.split(', ') : [] };
}

/** The warnings table, and the normalise macros the identifier rules call (when missing). */
async function ensureIngestTables(db: Db): Promise<void> {
  await db.exec(`create table if not exists ingest_warnings (
    run_id varchar, file_id integer, source varchar, file varchar, line bigint, "column" varchar, value varchar,
    reason varchar)`);
  const macros = await db.value<number>(
    `select count(*)::int from duckdb_functions()
     where function_name in ('mst_valid', 'norm_national_id', 'record_key_text')`,
  );
  if (macros < 3) await installNormalizeMacros(db);
}

/** Where a file stands among the delivery's: its place, their order, and whether it loads alone. */
interface FileSlot {
  index: number;
  order: FileOrder;
  /** No other file loads at the same time (connection-wide settings may change for a while). */
  alone: boolean;
}

async function loadFile(db: Db, file: DeliveryFile, opts: LoadOptions, slot: FileSlot): Promise<FileLoad> {
  const step = stepper();
  step();
  // One read of a CSV both hashes it and maps its records to physical lines.
  const scan = file.format === 'csv' ? scanCsv(file.path, { hash: true }) : undefined;
  const sha256 = scan?.sha256 ?? (await hashFile(file.path));
  await slot.order.before(slot.index, sha256);
  const seen = await db.one<{ file_id: number; name: string }>(
    // Only content that loaded counts as seen: a file that failed, or whose every row was rejected,
    // is read again on the next run (after a fix of the config, say), never skipped as "already loaded".
    `select file_id, name from ingest_files where sha256 = $sha and status = 'loaded' and (rows_loaded > 0 or ` +
      `rows_read = 0) order by file_id limit 1`,
    { sha: sha256 },
  );
  step('hash+scan');
  const base: FileLoad = {
    file: file.name,
    source: file.source,
    sha256,
    status: 'skipped',
    rowsRead: 0,
    rowsLoaded: 0,
    rowsRejected: 0,
    rowsWarned: 0,
  };
  if (seen) {
    opts.log.info(`${file.name}: already loaded (same content as file #${seen.file_id} ${seen.name}); skipped`);
    return { ...base, message: `same content as file #${seen.file_id} (${seen.name})`, fileId: seen.file_id };
  }
  const fileId = await slot.order.number(db);
  slot.order.numberedAt(slot.index);
  const cfg = opts.ingest?.sources[file.source];
  const started = performance.now();
  let converted: string | undefined;
  let xlsx: XlsxStaged | undefined;
  const reading: FileReading = { fix: {}, hints: [] };
  try {
    await dropWorkTables(db);
    let readPath = file.path;
    let lines = scan;
    let sniff: DialectSniff | undefined;
    if (file.format === 'xls') {
      throw new InputError(
        file.path,
        'an Excel 97–2003 workbook (.xls) cannot be read; open it in Excel and save it as .xlsx (Excel ' +
          'Workbook) or as CSV UTF-8',
      );
    }
    let workbook: Staged | undefined;
    if (file.format === 'xlsx') {
      // The sheet's rows become CSV parts (Excel row number in `_line`) that the CSV loader's SQL reads.
      converted = join(mkdtempSync(join(opts.tmpDir ?? tmpdir(), 'sangloc-xlsx-')), 'part');
      ({ staged: workbook, xlsx } = await stageWorkbook(db, file, dirname(converted), cfg, opts, reading));
      for (const note of xlsx.notes) opts.log.warn(`${file.name}: ${note}`);
      if (xlsx.twoRowHeader) reading.hints.push(xlsx.twoRowHeader);
    }
    if (file.format === 'csv') {
      const head = headBytes(file.path);
      const encoding = encodingToRead(file.path, head, file.source, cfg?.encoding, file.bytes <= head.length, (m) =>
        opts.log.warn(`${file.name}: ${m}`),
      );
      reading.encoding =
        encoding ?? (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 'UTF-8 with BOM' : 'UTF-8');
      if (encoding) {
        // Lineage keeps the delivered file's name and hash; DuckDB reads a UTF-8 copy with the same lines.
        converted = await convertToUtf8(file.path, encoding, opts.tmpDir);
        readPath = converted;
        lines = undefined;
      }
      sniff = sniffCsv(file, readPath, cfg, reading);
      // The scanner follows quotes as the reader does: a file quoting otherwise is scanned again.
      if (!lines || sniff.dialect.quote !== '"' || sniff.dialect.escape !== '"')
        lines = scanCsv(readPath, { quote: sniff.dialect.quote, escape: sniff.dialect.escape });
      if (lines.crlfBreaks > 0 && lines.lfBreaks > 0) {
        // DuckDB refuses a file whose lines end both ways; a copy ending every line in LF has the same lines.
        const dir = converted ? dirname(converted) : mkdtempSync(join(opts.tmpDir ?? tmpdir(), 'sangloc-lf-'));
        readPath = await normalizeLineEndings(readPath, dir);
        converted ??= readPath;
        const note =
          `mixed line endings (${fmt().int(lines.crlfBreaks)} line(s) end in CRLF, ${fmt().int(lines.lfBreaks)} ` +
          `in LF, empty lines included): read as if every line ended in LF; line numbers are the file's`;
        reading.hints.push(note);
        opts.log.info(`${file.name}: ${note}`);
      }
      opts.log.info(`${file.name}: ${describeDialect(sniff)}, ${reading.encoding}`);
    }
    step('sniff');
    const staged = workbook ?? (await stageFile(db, file, readPath, lines, cfg, opts, sniff, reading));
    step('read+check');
    await refuseMisfitColumns(db, file, staged, xlsx);
    step('misfit columns');
    const restored = await noteValueForms(db, file, staged, reading, opts);
    step('value forms');
    // validateAndInsert opens one transaction per file for what persists: a run killed mid-file
    // leaves no half-loaded rows behind, and the file (not recorded as loaded) is loaded whole by
    // the next run. (Staging into temp tables stays outside: in a transaction rowids are not file order.)
    const counts = await validateAndInsert(db, file, fileId, staged, opts, step, slot.alone);
    // Read, yet not one row loaded: the file is lost as surely as one that could not be read.
    const status = counts.read > 0 && counts.loaded === 0 ? 'rejected' : 'loaded';
    const message =
      status === 'rejected' ? `every row rejected (${fmt().int(counts.read)} of ${fmt().int(counts.read)})` : null;
    await recordFile(db, fileId, file, sha256, opts.runId, counts, status, message, staged.extraColumns, xlsx?.sheet);
    await opts.beforeCommit?.(file, db);
    await db.exec('commit');
    step('record+commit');
    const secs = (performance.now() - started) / 1000;
    const empty = counts.empty + (xlsx?.blankRows ?? 0);
    if (empty > 0) {
      reading.hints.push(
        `${fmt().int(empty)} empty row(s) skipped: ` +
          (xlsx
            ? 'no value in a recognised column (notes, signature lines)'
            : 'every field empty, such as the ",,,," lines a spreadsheet writes below a table') +
          '; not rows, neither loaded nor rejected',
      );
    }
    opts.log.info(
      `${file.name}: ${fmt().int(counts.read)} rows read, ${fmt().int(counts.loaded)} loaded, ` +
        `${fmt().int(counts.rejected)} ` +
        `rejected${counts.warned ? `, ${fmt().int(counts.warned)} with warnings` : ''}` +
        `${empty ? `, ${fmt().int(empty)} empty row(s) skipped` : ''} ` +
        `(${fmt().int(counts.read / Math.max(secs, 1e-3))} rows/s)`,
    );
    if (message)
      opts.log.warn(`${file.name}: ${message}; nothing of it is loaded (rejects.csv has every row with its reason)`);
    return {
      ...base,
      status,
      ...(message && { message }),
      rowsRead: counts.read,
      rowsLoaded: counts.loaded,
      rowsRejected: counts.rejected,
      rowsWarned: counts.warned,
      ...(empty > 0 && { rowsEmpty: empty }),
      idsRestored: restored,
      fileId,
      reading,
      ...(xlsx && { sheet: xlsx.sheet, headerRow: xlsx.headerRow }),
    };
  } catch (err) {
    await db.exec('rollback').catch(() => undefined);
    const message =
      err instanceof InputError
        ? err.message
        : await loadErrorMessage(db, file, err as Error, file.format === 'csv' ? (converted ?? file.path) : undefined);
    if (err instanceof InputError && err.fix) Object.assign(reading.fix, err.fix);
    opts.log.warn(`${file.name}: ${message}; the other files still load`);
    await recordFile(db, fileId, file, sha256, opts.runId, { read: 0, loaded: 0, rejected: 0 }, 'failed', message, []);
    await db.exec(`insert into rejects values ($run, $fid, $src, $file, null, null, null, $reason)`, {
      run: opts.runId,
      fid: fileId,
      src: file.source,
      file: file.name,
      reason: `file not loaded: ${message}`,
    });
    return { ...base, status: 'failed', message, fileId, reading };
  } finally {
    await dropWorkTables(db);
    if (converted) rmSync(dirname(converted), { recursive: true, force: true });
  }
}

const workTables = [
  '_ingest_file',
  '_ingest_bad',
  '_ingest_dup_rows',
  '_ingest_dups',
  '_ingest_wd',
  '_ingest_wv',
  '_ingest_warned',
  '_ingest_raw',
  '_ingest_csv_bad',
  '_ingest_shift',
  '_ingest_drift',
  '_ingest_csv_rejects',
  '_ingest_csv_scans',
];

/** Drops the temp tables and views of one file's load. */
async function dropWorkTables(db: Db): Promise<void> {
  const temps = await db.all<{ name: string; kind: string }>(
    `select table_name as name, table_type as kind from information_schema.tables where table_name in ` +
      `(${workTables.map(literal).join(', ')})`,
  );
  for (const t of temps) await db.exec(`drop ${t.kind === 'VIEW' ? 'view' : 'table'} if exists ${ident(t.name)}`);
}

const firstLine = (s: string) => s.split('\n')[0]!.slice(0, 300);

/**
 * What to say when DuckDB could not read a file: the known causes in words with the fix, anything
 * else as DuckDB's first line with every quoted value blanked (it quotes the cell it failed on: a
 * name or an identifier, which must not reach stderr, rejects or report.html).
 *
 * @example await loadErrorMessage(db, file, err) // 'cannot be read: a text value is not valid UTF-8 …'
 */
export async function loadErrorMessage(db: Db, file: DeliveryFile, err: Error, csvPath?: string): Promise<string> {
  const text = err.message ?? String(err);
  if (/state machine reached an invalid state/i.test(text)) {
    // Mixed CRLF / LF line ends are read (normalizeLineEndings); what is left is a line break DuckDB cannot
    // follow, such as a lone CR (old Mac line end) among LF or CRLF lines.
    const line = csvPath ? firstLoneCr(csvPath) : undefined;
    return new InputError(
      file.path,
      `cannot be read: its line breaks are mixed in a way the CSV reader cannot follow` +
        (line ? ` (a lone carriage return, CR without LF, on line ${line})` : '') +
        `; save the file again as "CSV UTF-8", or replace every line break with LF (or every one with CRLF)`,
      line,
    ).message;
  }
  if (/out of memory|could not allocate/i.test(text)) {
    const limit = await db.value<string>(`select current_setting('memory_limit')`).catch(() => '?');
    return (
      `cannot be read: DuckDB ran out of memory reading it (memory limit ${limit}); raise "memoryLimit" in ` +
      `the config (e.g. "2GB") and run again`
    );
  }
  if (/invalid string encoding|invalid unicode|not valid utf-?8/i.test(text)) {
    return (
      `cannot be read: a text value is not valid UTF-8 ` +
      `(the ${file.format === 'parquet' ? 'Parquet writer' : 'exporting program'} stored another encoding); ` +
      `export the file again with UTF-8 text`
    );
  }
  return `cannot be read: ${withoutQuotedValues(firstLine(text), { [file.path]: file.name })}`;
}

/** The line (1-based) of the first carriage return not followed by a line feed, if any. Read in 1 MB chunks. */
export function firstLoneCr(path: string): number | undefined {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  let line = 1;
  let pendingCr = false; // the previous chunk ended with CR
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) return pendingCr ? line : undefined;
      if (pendingCr && buf[0] !== 0x0a) return line;
      for (let i = buf.indexOf(0x0d); i !== -1 && i < n; i = buf.indexOf(0x0d, i + 1)) {
        if (i === n - 1) break;
        if (buf[i + 1] !== 0x0a) {
          for (let k = 0; k < i; k++) if (buf[k] === 0x0a) line++;
          return line;
        }
      }
      pendingCr = buf[n - 1] === 0x0d;
      for (let k = buf.indexOf(0x0a); k !== -1 && k < n; k = buf.indexOf(0x0a, k + 1)) line++;
    }
  } finally {
    closeSync(fd);
  }
}

/** Fewest filled cells of a column before its content can say the header was read wrongly. */
const MISFIT_MIN_VALUES = 5;
/** The filled cells of a column read to say it: its first ones, in file order. */
const MISFIT_SAMPLE = 1000;

/**
 * Refuses a file whose header put a column of bank names or codes under an account column (`VCB`,
 * `Techcombank` under `remit_account`): a header read wrongly (a header over two rows, shifted
 * columns), whose rows would otherwise load with the accounts that link a seller missing and no
 * reject to show it. Only when 95 % or more of its first filled cells (1,000; at least 5) name a known
 * bank (`bankAliases`, as `norm_bank` reads them). Counts only; no value is named.
 */
async function refuseMisfitColumns(
  db: Db,
  file: DeliveryFile,
  staged: Staged,
  xlsx: XlsxStaged | undefined,
): Promise<void> {
  const accounts = sources[file.source].columns
    .map((c) => c.name)
    .filter((c) => /(^|_)account$/.test(c) && staged.fileColumns.has(c));
  if (accounts.length === 0) return;
  const banks = [...new Set([...Object.keys(bankAliases), ...Object.values(bankAliases)])].map(literal).join(', ');
  // A header read wrongly shifts every row alike: the first filled cells say it as well as all of them
  // (bank_key over every account of a bank file cost 2 s of 17 in ingest at 50,000 persons).
  const row = await db.one<Record<string, number>>(
    `select ${accounts
      .map(
        (c, i) =>
          `(select count(*) from (select ${ident(c)} as v from _ingest_raw where trim(${ident(c)}) <> '' ` +
          `limit ${MISFIT_SAMPLE}))::bigint as f${i}, ` +
          `(select count(*) filter (where bank_key(v) in (${banks})) from (select ${ident(c)} as v from _ingest_raw ` +
          `where trim(${ident(c)}) <> '' limit ${MISFIT_SAMPLE}))::bigint as b${i}`,
      )
      .join(', ')}`,
  );
  for (const [i, c] of accounts.entries()) {
    const filled = Number(row?.[`f${i}`] ?? 0);
    const bankNames = Number(row?.[`b${i}`] ?? 0);
    if (filled < MISFIT_MIN_VALUES || bankNames < 0.95 * filled) continue;
    const column = staged.renamed.get(c) ?? c;
    const where = xlsx ? `sheet "${xlsx.sheet}", header row ${xlsx.headerRow}: ` : '';
    throw new InputError(
      file.path,
      `${where}column "${column}" was taken as ${c}, but ${fmt().int(bankNames)} of its first ` +
        `${fmt().int(filled)} values are bank names or codes, not account numbers: the header is read wrongly, ` +
        `e.g. a header over two rows or shifted columns; fix the header, or name the right column in ` +
        `ingest.sources.${file.source}.rename`,
    );
  }
}

/**
 * Says how many values of each column were read in the contract's form from a field shape
 * (`Có` → credit, `Đã giao` → delivered, `01/2025` → 2025-01), and how many tax codes and personal
 * IDs got back the leading zero Excel dropped (a warning: `30202460142` → `030202460142`), in the
 * log and `sangloc check`; returns the number of identifiers restored (in rows that keep every rule).
 * No values, only counts.
 */
async function noteValueForms(
  db: Db,
  file: DeliveryFile,
  staged: Staged,
  reading: FileReading,
  opts: LoadOptions,
): Promise<number> {
  const columns = [...staged.valueForms, ...staged.restoredIds];
  if (columns.length === 0) return 0;
  const row = await db.one<Record<string, number>>(
    `select ${columns
      .map(
        (c, i) =>
          `count(*) filter (where _check is null and ${ident(originalName(c))} is not null)::bigint ` + `as c${i}`,
      )
      .join(', ')} from _ingest_raw`,
  );
  const counted = columns.map((c, i) => ({ c, n: Number(row?.[`c${i}`] ?? 0) })).filter((p) => p.n > 0);
  const label = (c: string) => staged.renamed.get(c) ?? c;
  const forms = counted
    .filter((p) => staged.valueForms.has(p.c))
    .map((p) => `${fmt().int(p.n)} ${label(p.c)} value(s) as ${p.c}`);
  if (forms.length) {
    const note =
      `read in the contract's form from the usual field shapes (docs/contract.md, "Values read in the ` +
      `contract's form"): ${forms.join(', ')}`;
    reading.hints.push(note);
    opts.log.info(`${file.name}: ${note}`);
  }
  const ids = counted.filter((p) => staged.restoredIds.has(p.c));
  if (ids.length) {
    const note =
      `leading zero restored (lost when the file passed through Excel): ` +
      `${ids.map((p) => `${fmt().int(p.n)} ${label(p.c)} value(s)`).join(', ')}, each 11 digits whose ` +
      `0-prefixed form is a personal ID, or 9 whose 0-prefixed form is a tax code with a valid check digit ` +
      `(docs/contract.md, "Identifiers"); ask the sender to keep these columns as text`;
    reading.hints.push(note);
    opts.log.warn(`${file.name}: ${note}`);
  }
  return ids.reduce((n, p) => n + p.n, 0);
}

/** Name of the column keeping a value as delivered when the config converts it to contract form. */
const originalName = (column: string) => `_o_${column}`;

interface Staged {
  fileColumns: Set<string>;
  extraColumns: string[];
  /** Contract column → the header name it was read from, when they differ beyond letter case. */
  renamed: Map<string, string>;
  /** Contract columns converted to contract form (their delivered text, where the conversion changed it, is in
   * `originalName(column)`). */
  converted: Set<string>;
  /** Of those, the ones read in the contract's form by a built-in field shape (`builtinFormSql`: `Có`, `01/2025`). */
  valueForms: Set<string>;
  /** Of those, the tax code and personal ID columns, whose lost leading zero is restored (`restoredIdSql`). */
  restoredIds: Set<string>;
  checks: Check[];
  warnings: Check[];
  /** CSV records the reader could not parse are in `_ingest_csv_bad(rec, err, col, val)`. */
  csvRejects: boolean;
}

/**
 * Reads one file, in one pass, into `_ingest_raw`: the contract's columns (text, converted to
 * contract form where the config says how) and `_check` (number of the first broken rule, null when
 * none). `_ingest_file` is the same rows with
 * `_rid` (row order) and `_line`: the physical line a row starts on (header = 1), or the row
 * number for Parquet. CSV records DuckDB could not parse go to `_ingest_csv_bad`.
 */
async function stageFile(
  db: Db,
  file: DeliveryFile,
  readPath: string,
  scan: CsvScan | undefined,
  configured: SourceIngestConfig | undefined,
  opts: LoadOptions,
  sniff: DialectSniff | undefined,
  reading: FileReading,
): Promise<Staged> {
  let header: string[];
  let reader: string;
  /** The name the reader gives the file's i-th column. */
  let readName: (i: number) => string;
  let mapping: HeaderMapping;
  if (file.format === 'parquet') {
    const desc = await db.all<{ column_name: string }>(`describe select * from read_parquet(${literal(readPath)})`);
    header = desc.map((d) => d.column_name);
    readName = (i) => header[i]!;
    reader = `read_parquet(${literal(readPath)}, file_row_number = true)`;
    mapping = mapHeaders(file.source, header, configured?.rename);
  } else {
    const dialect = sniff!.dialect;
    header = sniff!.header;
    const names = csvReadNames(file, header, configured);
    readName = (i) => names[i]!;
    const columns = `{${names.map((h) => `${literal(h)}: 'varchar'`).join(', ')}}`;
    reader =
      `read_csv(${literal(readPath)}, header = true, auto_detect = false, delim ` +
      `= ${literal(dialect.delimiter)}, quote = ${literal(dialect.quote)}, ` +
      `escape = ${literal(dialect.escape)}, skip = ${dialect.skip}, ` +
      `columns = ${columns}, store_rejects = true, rejects_table = '_ingest_csv_rejects', rejects_scan = ` +
      `'_ingest_csv_scans', ` +
      `strict_mode = true, null_padding = false, max_line_size = 10000000)`;
    mapping = mapHeaders(file.source, header, configured?.rename);
  }
  recordMapping(reading, header, mapping);
  const cfg = withAmountFormat(file, configured, sniff, mapping, reading, opts);
  const plan = planStage(
    file,
    mapping,
    readName,
    cfg,
    opts,
    file.format === 'parquet' ? 'file_row_number + 1 as _line' : undefined,
    undefined,
    file.format === 'csv' ? emptyRecordSql(header.map((_, i) => readName(i))) : undefined,
  );
  const delimiterHint = sniff && sniff.how !== 'detected' && sniff.alternatives.length ? reading.hints[0] : undefined;
  if (delimiterHint) {
    // A header read with the wrong delimiter lacks every column: say which delimiter fits. (Reasons
    // are looked up by rule number, so rewording them leaves the plan's SQL as it is.)
    plan.staged.checks = plan.staged.checks.map((k) =>
      plan.staged.fileColumns.has(k.column)
        ? k
        : { ...k, reason: `required column is missing from the file header — ${delimiterHint}` },
    );
  }
  await db.exec(`create temp table _ingest_raw as ${plan.select(reader)}`);
  if (file.format === 'parquet') {
    await db.exec(`create temp view _ingest_file as select *, rowid as _rid from _ingest_raw where not _empty`);
    return plan.staged;
  }
  return lineMappedView(db, plan.staged, scan, file, sniff!);
}

/** Records in `reading` how the file's header maps to the contract (what `sangloc check` shows). */
function recordMapping(reading: FileReading, header: string[], mapping: HeaderMapping): void {
  reading.header = header;
  reading.mapping = mapping.columns.map((c) => ({ contract: c.contract, fileColumn: c.fileColumn!, how: c.how }));
  reading.missingRequired = mapping.missingRequired;
  reading.extraColumns = mapping.ignored;
  reading.suggestions = mapping.suggestions;
  for (const a of mapping.ambiguous) reading.fix.rename = { ...reading.fix.rename, [a.candidates[0]!]: a.contract };
}

/**
 * Stages the sheet of a workbook into `_ingest_raw` as `stageFile` does a CSV: the sheet streams
 * into CSV parts (stageXlsx), and each part is validated into `_ingest_raw` as soon as it is
 * written, while the next one is parsed (DuckDB works on its own threads). `_line` is the Excel row.
 */
async function stageWorkbook(
  db: Db,
  file: DeliveryFile,
  dir: string,
  cfg: SourceIngestConfig | undefined,
  opts: LoadOptions,
  reading: FileReading,
): Promise<{ staged: Staged; xlsx: XlsxStaged }> {
  let plan: ReturnType<typeof planStage> | undefined;
  let reader: (part: string) => string = () => '';
  let partHeader = '';
  let tables = 0;
  // Parts load one after the other, in order; the first failure skips the rest and is thrown below.
  let chain: Promise<void> = Promise.resolve();
  let failed: unknown;
  const load = (part: string) => {
    const select = plan!.select(reader(part));
    const sql =
      tables++ === 0
        ? `create temp table _ingest_raw as ${select}`
        : `insert into _ingest_raw select * from (${select})`;
    chain = chain
      .then(() => (failed === undefined ? db.exec(sql) : undefined))
      .catch((err: unknown) => void (failed ??= err));
  };
  let xlsx: XlsxStaged;
  try {
    xlsx = await stageXlsx(file.path, file.source, cfg, dir, {
      onHeader: (sheet, headerRow, header, mapping) => {
        opts.log.info(`${file.name}: sheet "${sheet}", header on row ${headerRow}`);
        recordMapping(reading, header, mapping);
        // The parts hold the mapped columns only, as `c<i>`, and the Excel row number.
        plan = planStage(file, mapping, (i) => `c${i}`, cfg, opts, '_line', { sheet, headerRow });
        const names = mapping.columns.map((c) => `c${c.fileIndex}`);
        partHeader = ['_line', ...names].join(',') + '\n';
        const columns = `{'_line': 'bigint', ${names.map((n) => `${literal(n)}: 'varchar'`).join(', ')}}`;
        reader = (part) =>
          `read_csv(${literal(part)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = ` +
          `'"', columns = ${columns}, max_line_size = 10000000)`;
      },
      onPart: load,
      partRows: opts.xlsxPartRows,
    });
  } finally {
    await chain;
  }
  if (tables === 0) {
    // A header and no rows: an empty table of the same shape.
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, partHeader);
    load(empty);
    await chain;
  }
  if (failed !== undefined) throw failed;
  await db.exec(`create temp view _ingest_file as select *, rowid as _rid from _ingest_raw where not _empty`);
  return { staged: plan!.staged, xlsx };
}

/**
 * What a file's mapped header makes of its rows: the checks and warnings that apply, and the SQL
 * reading a file with them into the form of `_ingest_raw` (`select(reader)`: contract columns,
 * converted where the config says, `_check`). Refuses ambiguous columns; logs what was
 * recognised.
 */
function planStage(
  file: DeliveryFile,
  mapping: HeaderMapping,
  readName: (i: number) => string,
  cfg: SourceIngestConfig | undefined,
  opts: LoadOptions,
  lineColumn: string | undefined,
  sheet?: { sheet: string; headerRow: number },
  emptySql = 'false',
): { staged: Staged; select: (reader: string) => string } {
  const spec = sources[file.source];
  refuseAmbiguous(file, mapping, sheet);
  logMapping(file, mapping, opts.log);
  const fileColumns = new Set(mapping.columns.map((c) => c.contract));
  const byContract = new Map(mapping.columns.map((c) => [c.contract, c]));
  const staged: Staged = {
    fileColumns,
    extraColumns: mapping.ignored,
    renamed: new Map(
      mapping.columns.filter((c) => c.fileColumn!.toLowerCase() !== c.contract).map((c) => [c.contract, c.fileColumn!]),
    ),
    converted: new Set(),
    valueForms: new Set(),
    restoredIds: new Set(),
    checks: contractChecks(spec, fileColumns, opts.extraChecks?.[file.source] ?? []),
    warnings: identifierWarnings(spec, fileColumns),
    csvRejects: false,
  };
  const projection = spec.columns.map((c) => {
    const m = byContract.get(c.name);
    if (m === undefined) return `null::varchar as ${ident(c.name)}`;
    const delivered = `${ident(readName(m.fileIndex))}::varchar`;
    const builtin = builtinFormSql(c, delivered);
    const restored = restoredIdSql(c, delivered);
    const contractForm = contractFormSql(c, delivered, cfg) ?? builtin ?? restored;
    if (!contractForm) return `${delivered} as ${ident(c.name)}`;
    staged.converted.add(c.name);
    if (contractForm === builtin) staged.valueForms.add(c.name);
    if (contractForm === restored) staged.restoredIds.add(c.name);
    return `${contractForm} as ${ident(c.name)}, ${delivered} as ${ident(originalName(c.name))}`;
  });
  if (lineColumn) projection.push(lineColumn);
  projection.push(`${emptySql} as _empty`);
  const parsed = parsedColumns(spec, fileColumns);
  const x = checkExpressions(staged.checks);
  // Every contract rule runs while the file is read (one pass, in parallel with parsing); the
  // trimmed texts and typed parses the rules share are computed once per row and dropped. (The
  // identifier warnings run afterwards, once per distinct value: validateAndInsert.) `_key_hash`
  // is the 64-bit hash of the row's key text for the duplicate-key check, taken here from the
  // trimmed key columns the required rules already made (`lower` of them is `record_key_text`).
  const trimmed = new Set(parsed.map((p) => p.name));
  const keyText = (k: string) =>
    trimmed.has(ident(trimmedName(k))) ? `lower(${ident(trimmedName(k))})` : `record_key_text(${ident(k)})`;
  // A converted column keeps its delivered text only where the conversion changed it (NULL elsewhere: most
  // values of a column read in a built-in form, `Có` or a lost zero, are already in contract form, and a
  // column of NULLs costs nothing to keep); rejects show coalesce(delivered, converted), `noteValueForms`
  // counts the rows changed.
  const kept = [...staged.converted].map(
    (c) =>
      `case when ${ident(c)} is distinct from ${ident(originalName(c))} then ${ident(originalName(c))} end ` +
      `as ${ident(originalName(c))}`,
  );
  const replaced = kept.length ? ` replace (${kept.join(', ')})` : '';
  const select = (reader: string) => `
    with delivered as (select ${projection.join(', ')} from ${reader}),
    parsed as (select *${parsed.map((p) => ', ' + p.sql).join('')} from delivered)
    select ${parsed.length ? `* exclude (${parsed.map((p) => p.name).join(', ')})` : '*'}${replaced},
      ${x.check} as _check, hash(${spec.key.map(keyText).join(', ')}) as _key_hash
    from parsed`;
  return { staged, select };
}

/** `_ingest_file` over a staged CSV: its rows with `_rid` (file order) and `_line`, the physical line each starts
 * on. */
async function lineMappedView(
  db: Db,
  staged: Staged,
  scan: CsvScan | undefined,
  file: DeliveryFile,
  sniff: DialectSniff,
): Promise<Staged> {
  // Rows arrive in file order (insertion order is preserved); DuckDB numbers a CSV record counting
  // the header as 1. Accepted rows skip the rejected records, so the k-th accepted row is record
  // k + 1 + (number of rejected records before it); a quoted line break moves every later record
  // down a line (scanCsv). Both are sparse: ASOF joins over the few shifts, only where needed.
  staged.csvRejects =
    (await db.tableExists('_ingest_csv_rejects')) &&
    ((await db.value<number>('select count(*)::bigint from _ingest_csv_rejects')) ?? 0) > 0;
  const drift = scan !== undefined && scan.drift.length > 0;
  if (drift) await insertDrift(db, scan.drift);
  // A `sep=` line is a record before the header: DuckDB counts it, so every record number is one more.
  const skip = sniff.dialect.skip;
  if (staged.csvRejects) {
    await db.exec(
      `
      create temp table _ingest_csv_bad as
        select line as rec, first(${csvErrorReason(file, sniff)} order by column_idx) as err,
               first(column_name order by column_idx) as col, first(left(trim(csv_line, chr(10) || chr(13)), ` +
        `200) order by column_idx) as val,
               -- fields all empty, too few or too many of them (',,' under five columns): no record either
               bool_and(regexp_full_match(csv_line, ${literal(`[ \t\r\n${sniff.dialect.delimiter}]*`)})) as empty
        from _ingest_csv_rejects group by line;
      -- Adjacent rejected records share a 'before': keep the largest shift (ASOF ties are not ordered).
      create temp table _ingest_shift as
        select before, max(shift) as shift from (
          select rec - ${1 + skip} - row_number() over (order by rec) as before, row_number() over (order by ` +
        `rec) as shift from _ingest_csv_bad
        ) group by before;`,
    );
  }
  // Few shifts (the usual case) become a balanced CASE tree per row (a handful of comparisons);
  // many fall back to ASOF joins, which sort the whole file.
  const shifts = staged.csvRejects
    ? await db.all<{ after: number; value: number }>(
        `select before as after, shift as value from _ingest_shift order by before`,
      )
    : [];
  const drifts = drift ? scan.drift.map((d) => ({ after: d.afterRecord, value: d.extraLines })) : [];
  const record = !staged.csvRejects
    ? `(select *, rowid as _rid, rowid + ${2 + skip} as _rec from _ingest_raw)`
    : shifts.length <= MAX_CASE_STEPS
      ? `(select *, _rid + ${2 + skip} + ${stepSql('_rid + 1', shifts)} as _rec from (select *, rowid as _rid ` +
        `from _ingest_raw))`
      : `(select r.*, r._rid + ${2 + skip} + coalesce(s.shift, 0) as _rec from (select *, rowid as _rid from ` +
        `_ingest_raw) r asof left join _ingest_shift s on r._rid + 1 > s.before)`;
  // Empty records (every field empty) are filtered after the numbering: the rows after them keep their lines.
  await db.exec(
    !drift
      ? `create temp view _ingest_file as select * exclude (_rec), _rec as _line from ${record} where not _empty`
      : drifts.length <= MAX_CASE_STEPS
        ? `create temp view _ingest_file as select * exclude (_rec), _rec + ${stepSql('_rec', drifts)} as _line ` +
          `from ${record} where not _empty`
        : `create temp view _ingest_file as select n.* exclude (_rec), n._rec + coalesce(d.extra, 0) as _line ` +
          `from ${record} n asof left join _ingest_drift d on n._rec > d.after_record where not n._empty`,
  );
  return staged;
}

/**
 * Reads a CSV's head for its dialect (config, `sep=` line, or detected) and header; records in
 * `reading` how, and the delimiter setting that would fit when the one in use does not.
 */
function sniffCsv(
  file: DeliveryFile,
  readPath: string,
  cfg: SourceIngestConfig | undefined,
  reading: FileReading,
): DialectSniff {
  const head = headBytes(readPath);
  const text = head.toString('utf8');
  if (text.replace(/^\uFEFF/, '').trim() === '')
    throw new InputError(file.path, 'the file is empty (no header row)', 1);
  const sniff = sniffDialect(text, {
    delimiter: cfg?.delimiter,
    quote: cfg?.quote,
    escape: cfg?.escape,
    wholeFile: statSync(readPath).size <= head.length,
    preferHeader: (h) => mapHeaders(file.source, h, cfg?.rename).columns.length,
  });
  reading.dialect = { dialect: sniff.dialect, how: sniff.how, alternatives: sniff.alternatives };
  const setting = (d: string) => `ingest.sources.${file.source}.delimiter = ${JSON.stringify(d)}`;
  if (sniff.alternatives.length && sniff.how !== 'detected') {
    const alt = sniff.alternatives[0]!;
    reading.fix.delimiter = alt as SourceIngestConfig['delimiter'];
    reading.hints.push(
      `the file looks ${showDelimiter(alt)}-separated, not ${showDelimiter(sniff.dialect.delimiter)}: ` +
        `set ${setting(alt)}`,
    );
  } else if (sniff.alternatives.length) {
    reading.fix.delimiter = sniff.dialect.delimiter as SourceIngestConfig['delimiter'];
    reading.hints.push(
      `the head fits ` +
        `delimiter ${[sniff.dialect.delimiter, ...sniff.alternatives].map(showDelimiter).join(' and ')}; ` +
        `${showDelimiter(sniff.dialect.delimiter)} ` +
        `was taken: set ${setting(sniff.dialect.delimiter)} to be sure`,
    );
  }
  if (sniff.dialect.quote !== '"' && cfg?.quote === undefined)
    reading.fix.quote = sniff.dialect.quote as SourceIngestConfig['quote'];
  if (sniff.dialect.escape !== sniff.dialect.quote && cfg?.escape === undefined)
    reading.fix.escape = sniff.dialect.escape as SourceIngestConfig['escape'];
  return sniff;
}

/**
 * The source's config with the money columns' digit grouping added when the config names none and
 * the head's values show one without doubt (`1.250.000`); records the choice in `reading`.
 */
function withAmountFormat(
  file: DeliveryFile,
  cfg: SourceIngestConfig | undefined,
  sniff: DialectSniff | undefined,
  mapping: HeaderMapping,
  reading: FileReading,
  opts: LoadOptions,
): SourceIngestConfig | undefined {
  if (cfg?.decimal !== undefined || cfg?.thousands !== undefined) {
    reading.amounts = {
      decimal: cfg.decimal ?? (cfg.thousands === '.' ? ',' : '.'),
      thousands: cfg.thousands ?? (cfg.decimal === ',' ? '.' : ','),
      how: 'config',
    };
    return cfg;
  }
  if (!sniff) return cfg;
  const money = new Set(sources[file.source].columns.filter((c) => c.type === 'vnd').map((c) => c.name));
  const at = mapping.columns.filter((c) => money.has(c.contract)).map((c) => c.fileIndex);
  const found = sniffAmounts(sniff.sample.flatMap((r) => at.map((i) => r[i] ?? '')));
  if (!found) return cfg;
  reading.amounts = { ...found, how: 'detected' };
  reading.fix.thousands = found.thousands;
  reading.fix.decimal = found.decimal;
  opts.log.info(`${file.name}: amounts grouped with '${found.thousands}' (decimal '${found.decimal}'), detected`);
  return { ...cfg, ...found };
}

/**
 * SQL turning DuckDB's CSV error (`error_type`, `error_message` of its rejects table) into a reason
 * that says what is wrong with the line and which setting or edit fixes it.
 */
function csvErrorReason(file: DeliveryFile, sniff: DialectSniff): string {
  const dialect: CsvDialect = sniff.dialect;
  const at = `ingest.sources.${file.source}`;
  const alt = sniff.how !== 'detected' ? sniff.alternatives[0] : undefined;
  const d = showDelimiter(dialect.delimiter);
  const fields =
    `regexp_extract(error_message, 'Found: ([0-9]+)', 1) || ' fields where the header has ' || ` +
    `regexp_extract(error_message, 'Expected Number of Columns: ([0-9]+)', 1)`;
  const altHint = alt
    ? ` — the file looks ${showDelimiter(alt)}-separated: set ${at}.delimiter = ${JSON.stringify(alt)}`
    : undefined;
  // [when, reason] in SQL; the first that holds names the reason.
  const reasons: [string, string][] = [
    [
      "error_type = 'TOO MANY COLUMNS'",
      `${fields} || ` +
        literal(altHint ?? ` — a value holding ${d} must be in quotes (${dialect.quote}…${dialect.quote})`),
    ],
    [
      "error_type = 'MISSING COLUMNS'",
      `${fields} || ` +
        literal(
          altHint ??
            ' — the row is cut short, or a line break splits it ' + '(a value holding a line break must be in quotes)',
        ),
    ],
    // DuckDB files a quote that never closes under UNQUOTED VALUE; its message tells them apart.
    [
      "error_type = 'UNQUOTED VALUE' and error_message ilike '%unterminated%'",
      literal(
        `unterminated quote: a field opens with ${dialect.quote} and never closes — close it, or write a quote ` +
          `inside a value doubled (${dialect.quote}${dialect.quote})`,
      ),
    ],
    [
      "error_type = 'UNQUOTED VALUE'",
      literal(
        `a quote inside a field that does not start with one — quote the whole field and double the inner ` +
          `quote` +
          (dialect.escape === '"' ? `, or set ${at}.escape = "\\\\" if the file escapes quotes with a backslash` : ''),
      ),
    ],
    [
      "error_type = 'LINE SIZE OVER MAXIMUM'",
      literal(
        "record longer than 10 MB (the reader's limit) — split the value, or look above for a quote that never closes",
      ),
    ],
    [
      "error_type = 'INVALID ENCODING'",
      literal(
        `bytes that are not UTF-8 — if the whole file is in another encoding set ${at}.encoding (e.g. ` +
          `"windows-1258"), else re-export this row`,
      ),
    ],
    [
      "error_type = 'INVALID UNICODE'",
      literal(
        `bytes that are not UTF-8 — if the whole file is in another encoding set ${at}.encoding (e.g. ` +
          `"windows-1258"), else re-export this row`,
      ),
    ],
  ];
  return (
    `case ${reasons.map(([when, r]) => `when ${when} then ${r}`).join(' ')} else 'cannot be read as CSV (' ` +
    `|| error_type || ')' end`
  );
}

/**
 * Refuses a file in which two columns could be the same contract column (`MST` and `Mã số thuế`):
 * which one holds the data cannot be told, and the config's `rename` says it in one line.
 */
function refuseAmbiguous(
  file: DeliveryFile,
  mapping: HeaderMapping,
  xlsx: { sheet: string; headerRow: number } | undefined,
): void {
  if (mapping.ambiguous.length === 0) return;
  const a = mapping.ambiguous[0]!;
  const where = xlsx ? `sheet "${xlsx.sheet}", header row ${xlsx.headerRow}: ` : '';
  const fix = JSON.stringify({ [a.candidates[0]!]: a.contract });
  throw new InputError(
    file.path,
    `${where}columns ${a.candidates.map((c) => `"${c}"`).join(' and ')} could each be ${a.contract}` +
      (mapping.ambiguous.length > 1
        ? ` (and ${mapping.ambiguous.length - 1} more such column(s): ${mapping.ambiguous
            .slice(1)
            .map((m) => m.contract)
            .join(', ')})`
        : '') +
      `; say which one in the config, e.g. ingest.sources.${file.source}.rename = ${fix}`,
    xlsx ? undefined : 1,
  );
}

/** Says which header names were recognised as which contract column, what is ignored, and near misses. */
function logMapping(file: DeliveryFile, mapping: HeaderMapping, log: Logger): void {
  const recognised = mapping.columns.filter((c) => c.how !== 'exact');
  if (recognised.length) {
    log.info(
      `${file.name}: columns ` +
        `recognised: ` +
        recognised.map((c) => `${c.contract} ← "${c.fileColumn}"${c.how === 'config' ? ' (config)' : ''}`).join(', '),
    );
  }
  if (mapping.ignored.length)
    log.info(`${file.name}: columns ignored (not in the contract): ${mapping.ignored.map((h) => `"${h}"`).join(', ')}`);
  for (const s of mapping.suggestions) {
    log.warn(
      `${file.name}: column "${s.fileColumn}" is not recognised; did you mean ${s.didYouMean}? ` +
        `(ingest.sources.${file.source}.rename = ${JSON.stringify({ [s.fileColumn]: s.didYouMean })})`,
    );
  }
}

/**
 * Names DuckDB reads a CSV's columns under: as written, unique (it matches names regardless of case).
 * A column the contract needs that appears twice is ambiguous and refuses the file; a repeated
 * extra column gets a suffix and stays ignored.
 */
function csvReadNames(file: DeliveryFile, header: string[], cfg: SourceIngestConfig | undefined): string[] {
  const needed = new Set([
    ...sources[file.source].columns.map((c) => c.name),
    ...Object.keys(cfg?.rename ?? {}).map((k) => k.trim().toLowerCase()),
  ]);
  const count = new Map<string, number>();
  for (const h of header) count.set(h.toLowerCase(), (count.get(h.toLowerCase()) ?? 0) + 1);
  for (const [name, n] of count) {
    if (n > 1 && needed.has(name))
      throw new InputError(
        file.path,
        `column "${name}" appears ${n} times in the header; keep one (which one holds the data cannot be told)`,
        1,
      );
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
 * SQL over a CSV record that holds when every one of its fields is empty after trim (`,,,,` below a table, as
 * Excel writes it): no record, skipped as an empty line is (counted, never loaded nor rejected). The first field
 * decides alone for almost every row; only rows whose first field is empty test the rest.
 *
 * @example emptyRecordSql(['a', 'b']) // case when coalesce(trim("a"), '') <> '' then false else … end
 */
export function emptyRecordSql(readNames: readonly string[]): string {
  const blank = (n: string) => `coalesce(trim(${ident(n)}), '') = ''`;
  if (readNames.length === 0) return 'false';
  return `case when not ${blank(readNames[0]!)} then false else ${readNames.map(blank).join(' and ')} end`;
}

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
    return (
      `case when ${x} > ${steps[mid]!.after} then ${tree(mid + 1, hi, steps[mid]!.value)} ` +
      `else ${tree(lo, mid, below)} end`
    );
  };
  return tree(0, steps.length, 0);
}

/** The scanner's line drift as a temp table `_ingest_drift(after_record, extra)`. */
async function insertDrift(db: Db, drift: CsvScan['drift']): Promise<void> {
  await db.exec(`create temp table _ingest_drift (after_record bigint, extra bigint)`);
  for (let i = 0; i < drift.length; i += 5000) {
    const part = drift.slice(i, i + 5000);
    await db.exec(
      `insert into _ingest_drift values ${part.map((d) => `(${d.afterRecord}, ${d.extraLines})`).join(', ')}`,
    );
  }
}

/** SQL for the physical line of a CSV record number under the scanner's drift (when there is any). */
async function physicalLine(db: Db, rec: string): Promise<string> {
  return (await db.tableExists('_ingest_drift'))
    ? `${rec} + coalesce((select max(d.extra) from _ingest_drift d where d.after_record < ${rec}), 0)`
    : rec;
}

/**
 * Runs the warning rules (one column each: a malformed identifier) once per distinct value of their
 * column, not once per row: a holder's tax code repeats on every payment, and `mst_valid` is the
 * dearest rule. The values breaking rule i go to `_ingest_wv(_w = i, v)`; returns SQL over a row of
 * the file that holds when one of its values is there.
 */
async function flagWarnedValues(db: Db, warnings: Check[]): Promise<string> {
  if (warnings.length === 0) return 'false';
  // The distinct values first, in a statement of their own: in the same statement the optimizer
  // pushes the rules below the distinct, back to every row.
  const columns = [...new Set(warnings.map((w) => w.column))];
  await db.exec(
    `create temp table _ingest_wd as ${columns
      .map((c, i) => `(select distinct ${i} as _c, ${ident(c)} as v from _ingest_raw)`)
      .join(' union all ')}`,
  );
  // A rule refers to its column by name: over the distinct values named so, it reads them as it reads a row.
  await db.exec(
    `create temp table _ingest_wv as ${warnings
      .map(
        (w, i) =>
          `select ${i + 1} as _w, ${ident(w.column)} as v from (select v as ${ident(w.column)} from _ingest_wd ` +
          `where _c = ${columns.indexOf(w.column)}) where ${w.broken}`,
      )
      .join(' union all ')}`,
  );
  // The rows holding one, found over the rule columns alone (a narrow scan); few, usually none.
  await db.exec(
    `create temp table _ingest_warned as ${warnings
      .map(
        (w, i) =>
          `select rowid as _rid from _ingest_raw ` +
          `where ${ident(w.column)} in (select v from _ingest_wv where _w = ${i + 1})`,
      )
      .join(' union ')}`,
  );
  // None (the usual case): a plain filter the scan takes, not a join over every row of the file.
  const any = ((await db.value<number>(`select count(*)::bigint from _ingest_warned`)) ?? 0) > 0;
  return any ? `_rid in (select _rid from _ingest_warned)` : 'false';
}

async function validateAndInsert(
  db: Db,
  file: DeliveryFile,
  fileId: number,
  staged: Staged,
  opts: LoadOptions,
  step: Step,
  alone: boolean,
) {
  const spec = sources[file.source];
  const { checks, warnings } = staged;
  // Rejects and warnings name the column and value as delivered (a renamed column by its name in the file).
  const names = {
    label: (c: string) => staged.renamed.get(c) ?? c,
    value: (c: string) => (staged.converted.has(c) ? `coalesce(${ident(originalName(c))}, ${ident(c)})` : ident(c)),
  };
  const x = checkExpressions(checks, '_check', names);
  const w = checkExpressions(warnings, '_w', names);
  // The same key text as staging's restatement rule (`record_key_text`): one record, one key, everywhere.
  const keys = spec.key.map((k) => `record_key_text(${ident(k)})`);
  // The few rows breaking a rule or carrying a warning, with their lines, and `_warn`: the numbers of
  // the warning rules broken (NULL when none).
  const warnedRow = await flagWarnedValues(db, warnings);
  step('warn values');
  await db.exec(
    `create temp table _ingest_bad as select *, ${warningListSql(warnings)} as _warn from _ingest_file ` +
      `where _check is not null or ${warnedRow}`,
  );
  // Duplicate keys within the file: the first row that keeps every rule stays, later ones are
  // rejected. Grouping by a 64-bit hash of the key (`_key_hash`, made while the file was read)
  // keeps the big aggregate small; the few groups it flags are confirmed on the keys themselves.
  await db.exec(
    `create temp table _ingest_dups as select _key_hash as h from _ingest_raw where _check is ` +
      `null and not _empty group by h having count(*) > 1`,
  );
  const hasDups = ((await db.value<number>(`select count(*)::bigint from _ingest_dups`)) ?? 0) > 0;
  step('bad+dups');
  if (hasDups) {
    await db.exec(
      `
      create temp table _ingest_dup_rows as
      with candidates as (
        select _rid, _line, ${keys.map((k, i) => `${k} as _k${i}`).join(', ')}, ` +
        `left(concat_ws(':', ${spec.key.map(ident).join(', ')}), 200) as _value
        from _ingest_file where _check is null and _key_hash in (select h from _ingest_dups)
      )
      select _rid, _line, _value, min(_line) over (partition by ${keys.map((_, i) => `_k${i}`).join(', ')}) as ` +
        `_first_line
      from candidates
      qualify _line > _first_line`,
    );
  }
  step('dup rows');
  const params = { run: opts.runId, fid: fileId, src: file.source, file: file.name };
  const parseErrors = staged.csvRejects
    ? `union all select ${await physicalLine(db, 'rec')}, col, val, err from _ingest_csv_bad where not empty`
    : '';
  await db.exec('begin transaction');
  await db.exec(
    `insert into rejects
     select $run, $fid, $src, $file, _line, _column, _value, _reason from (
       select _line, ${x.column} as _column, ${x.value} as _value, ${x.reason} as _reason
       from _ingest_bad where _check is not null
       ${parseErrors}
       ${
         hasDups
           ? `union all
       select _line, ${literal(spec.key.join('+'))}, _value, 'duplicate key (${spec.key.join(', ')}) already on ` +
             `line ' || _first_line || ' of this file'
       from _ingest_dup_rows`
           : ''
       }
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
  step('rejects+warnings');
  // Each row carries its line, so raw_ needs no physical order: letting DuckDB write in any order
  // makes this, the biggest write of a load, about a third faster. (The temp table above does need
  // file order: its row numbers are the records'.)
  // (The setting is the database's, not the connection's: with another file loading at the same time, whose
  // temp table needs file order, it stays as it is.)
  const keepOrder = alone ? await db.value<boolean>(`select current_setting('preserve_insertion_order')`) : undefined;
  if (alone) await db.exec(`set preserve_insertion_order = false`);
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
    if (alone) await db.exec(`set preserve_insertion_order = ${keepOrder ? 'true' : 'false'}`);
  }
  step('insert raw');
  // Counted from what was written, not derived: read = loaded + rejected is checked, never assumed.
  // Empty records (every field empty) are no rows: counted apart, neither read nor rejected.
  const counted = async (table: string, empty: string) => {
    const r = await db.one<{ read: number; empty: number }>(
      `select count(*) filter (where not ${empty})::bigint as read, count(*) filter (where ${empty})::bigint ` +
        `as empty from ${table}`,
    );
    return { read: Number(r?.read ?? 0), empty: Number(r?.empty ?? 0) };
  };
  const inRaw = await counted('_ingest_raw', '_empty');
  const inBad = staged.csvRejects ? await counted('_ingest_csv_bad', 'empty') : { read: 0, empty: 0 };
  const read = inRaw.read + inBad.read;
  const empty = inRaw.empty + inBad.empty;
  const loaded =
    (await db.value<number>(`select count(*)::bigint from ${ident(rawTable(file.source))} where _file_id = $fid`, {
      fid: fileId,
    })) ?? 0;
  const rejected =
    (await db.value<number>(`select count(*)::bigint from rejects where file_id = $fid and run_id = $run`, {
      fid: fileId,
      run: opts.runId,
    })) ?? 0;
  const warned = warnings.length
    ? ((await db.value<number>(
        `select count(distinct line)::bigint from ingest_warnings where file_id = $fid and run_id = $run`,
        { fid: fileId, run: opts.runId },
      )) ?? 0)
    : 0;
  step('counts');
  if (read !== loaded + rejected)
    throw new Error(
      `internal: ${read} rows read but ${loaded} loaded + ${rejected} rejected; nothing of this file was kept`,
    );
  return { read, loaded, rejected, warned, empty };
}

async function recordFile(
  db: Db,
  fileId: number,
  file: DeliveryFile,
  sha256: string,
  runId: string,
  counts: { read: number; loaded: number; rejected: number },
  status: string,
  message: string | null,
  extra: string[],
  sheet?: string,
) {
  await db.exec(
    `insert into ingest_files (file_id, load_seq, run_id, source, path, name, sha256, bytes, rows_read, ` +
      `rows_loaded, rows_rejected, status, message, extra_columns, loaded_at, sheet)
     values ($id, $id, $run, $src, $path, $name, $sha, $bytes, $read, $loaded, $rejected, $status, $message, ` +
      `$extra, now(), $sheet)`,
    {
      id: fileId,
      run: runId,
      src: file.source,
      path: file.path,
      name: basename(file.path),
      sha: sha256,
      bytes: file.bytes,
      read: counts.read,
      loaded: counts.loaded,
      rejected: counts.rejected,
      status,
      message,
      extra: extra.join('|'),
      sheet: sheet ?? null,
    },
  );
}

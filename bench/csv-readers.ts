/**
 * CSV readers on the same file, in one run: DuckDB's `read_csv` (what `engine/ingest` uses) against
 * fast-csv (the design card's first choice), the measurement behind README "Dependencies and why".
 *
 * Writes a synthetic bank_transactions CSV (default 1,000,000 rows, the contract's 13 columns,
 * seeded by hashes; a description with commas so quoting is exercised), then, alternating the
 * order over `--repeat` rounds, times:
 *   - duckdb, 1 and 2 threads: `create table as select * from read_csv(…)`, every column as text,
 *     the loader's reader options: parsed and materialised in the warehouse;
 *   - fast-csv parse only: `parseFile(…, { headers: true })`, every row to an object, discarded (a
 *     lower bound: the rows are not stored anywhere yet);
 *   - fast-csv → DuckDB: the same rows appended into the same table through an appender (what the
 *     engine would have to do with fast-csv as its reader).
 * Every reader must see the same row count and the same sum of `amount`, or the script fails.
 * Prints the best wall time and the CPU time of that round per reader, rows/s and the ratio to
 * DuckDB with 1 thread; writes `results/csv-readers.json`.
 *
 *   npx tsx bench/csv-readers.ts [--rows 1000000] [--repeat 3] [--file some.csv] [--dir /tmp/x]
 *
 * With `--file`, an existing CSV with a header row is measured instead (the checksum then uses the
 * row count only, unless it has an `amount` column).
 */
import { mkdirSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseFile } from 'fast-csv';
import { openDb, ident, literal, type Db } from '../engine/warehouse/db.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string' },
    repeat: { type: 'string' },
    file: { type: 'string' },
    dir: { type: 'string' },
  },
});
const rows = Number(values.rows ?? 1_000_000);
const repeat = Number(values.repeat ?? 3);
const dir = values.dir ?? join(tmpdir(), `sangloc-bench-csv-${rows}`);

interface Seen {
  rows: number;
  /** Sum of the `amount` column (0 when there is none): both readers must agree. */
  amount: number;
}

interface Timed extends Seen {
  ms: number;
  cpuMs: number;
}

/** Seeded synthetic bank_transactions rows, written by DuckDB's `copy`. */
async function writeCsv(path: string): Promise<void> {
  const db = await openDb(':memory:', { threads: 2 });
  const h = (tag: string) => `hash(i, ${literal(tag)})`;
  const names = `['NGUYEN VAN AN', 'TRAN THI BINH', 'LE MINH CHAU', 'PHAM QUOC DUNG', 'HOANG THU HA', 'VU DUC KHANH']`;
  const words = `['chuyen tien, thanh toan', 'tien hang don 123', 'ck luong thang 10', 'hoan tien "don huy"', 'mua hang shopee']`;
  await db.exec(`copy (
    select case ${h('b')} % 3 when 0 then 'VCB' when 1 then 'TCB' else 'MB' end as bank,
      lpad((${h('acc')} % 100000000000)::varchar, 12, '0') as account,
      ${names}[1 + (${h('nm')} % 6)::int] as holder_name,
      case when ${h('nid')} % 5 = 0 then lpad((${h('nid')} % 1000000000000)::varchar, 12, '0') end as holder_national_id,
      null::varchar as holder_tax_id,
      'FT' || i::varchar as txn_id,
      strftime(timestamp '2025-01-01' + to_seconds((${h('t')} % 31536000)::bigint), '%Y-%m-%dT%H:%M:%S') || '+07:00' as booked_at,
      (1000 * (1 + ${h('a')} % 100000))::varchar as amount,
      case when ${h('d')} % 4 = 0 then 'debit' else 'credit' end as direction,
      'ACB' as counterparty_bank,
      lpad((${h('cacc')} % 10000000000)::varchar, 10, '0') as counterparty_account,
      ${names}[1 + (${h('cn')} % 6)::int] as counterparty_name,
      ${words}[1 + (${h('w')} % 5)::int] || ' ' || (${h('ref')} % 1000000)::varchar as description
    from range(${rows}) t(i)
  ) to ${literal(path)} (header, delimiter ',')`);
  db.close();
}

function header(path: string): string[] {
  const first =
    readFileSync(path, 'utf8')
      .slice(0, 64 * 1024)
      .split(/\r?\n/, 1)[0] ?? '';
  return first
    .replace(/^\uFEFF/, '')
    .split(',')
    .map((c) => c.replace(/^"|"$/g, ''));
}

function readerSql(path: string, columns: string[]): string {
  const typed = `{${columns.map((c) => `${literal(c)}: 'varchar'`).join(', ')}}`;
  return `read_csv(${literal(path)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = ${typed}, strict_mode = true, max_line_size = 10000000)`;
}

async function seenIn(db: Db, table: string, columns: string[]): Promise<Seen> {
  const amount = columns.includes('amount') ? `coalesce(sum(try_cast(amount as bigint)), 0)::double` : '0::double';
  const r = await db.one<{ n: number; a: number }>(`select count(*)::bigint as n, ${amount} as a from ${ident(table)}`);
  return { rows: r?.n ?? 0, amount: r?.a ?? 0 };
}

async function timed(fn: () => Promise<Seen>): Promise<Timed> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const seen = await fn();
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  return { ...seen, ms, cpuMs: (used.user + used.system) / 1000 };
}

async function duckdbRead(path: string, columns: string[], threads: number): Promise<Seen> {
  const db = await openDb(':memory:', { threads });
  try {
    await db.exec(`create table t as select * from ${readerSql(path, columns)}`);
    return await seenIn(db, 't', columns);
  } finally {
    db.close();
  }
}

/** fast-csv over the file, calling `onRow` with each row's values in header order. */
function fastCsv(path: string, columns: string[], onRow: (values: (string | undefined)[]) => void): Promise<Seen> {
  return new Promise((resolve, reject) => {
    let n = 0;
    let amount = 0;
    const hasAmount = columns.includes('amount');
    parseFile<Record<string, string>, Record<string, string>>(path, { headers: true })
      .on('error', reject)
      .on('data', (row: Record<string, string>) => {
        n++;
        if (hasAmount) amount += Number(row.amount) || 0;
        onRow(columns.map((c) => row[c]));
      })
      .on('end', () => resolve({ rows: n, amount }));
  });
}

async function fastCsvIntoDuckdb(path: string, columns: string[]): Promise<Seen> {
  const db = await openDb(':memory:', { threads: 1 });
  try {
    await db.exec(`create table t (${columns.map((c) => `${ident(c)} varchar`).join(', ')})`);
    const appender = await db.appender('t');
    try {
      await fastCsv(path, columns, (vals) =>
        appender.append(vals.map((v) => (v === undefined || v === '' ? null : v))),
      );
    } catch (err) {
      appender.abandon();
      throw err;
    }
    appender.close();
    return await seenIn(db, 't', columns);
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const path = values.file ?? join(dir, 'bank_transactions.csv');
  if (!values.file) {
    const t = performance.now();
    await writeCsv(path);
    console.log(
      `wrote ${rows.toLocaleString('en')} rows to ${path} in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
  }
  const bytes = statSync(path).size;
  const columns = header(path);
  console.log(
    `file: ${(bytes / 1e6).toFixed(0)} MB, ${columns.length} columns; ${cpus().length} cores, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );

  const readers: { name: string; run: () => Promise<Seen> }[] = [
    { name: 'duckdb read_csv → table, 1 thread', run: () => duckdbRead(path, columns, 1) },
    { name: 'duckdb read_csv → table, 2 threads', run: () => duckdbRead(path, columns, 2) },
    { name: 'fast-csv parse only (rows discarded)', run: () => fastCsv(path, columns, () => {}) },
    { name: 'fast-csv → duckdb appender', run: () => fastCsvIntoDuckdb(path, columns) },
  ];
  const best = new Map<string, Timed>();
  for (let round = 0; round < repeat; round++) {
    // Alternate the order so a slow period on a shared machine does not always hit the same reader.
    const order = round % 2 === 0 ? readers : [...readers].reverse();
    for (const r of order) {
      const m = await timed(r.run);
      console.log(
        `  round ${round + 1}: ${r.name.padEnd(40)} ${(m.ms / 1000).toFixed(2)} s wall, ${(m.cpuMs / 1000).toFixed(2)} s CPU`,
      );
      const prev = best.get(r.name);
      if (!prev || m.ms < prev.ms) best.set(r.name, m);
    }
  }

  const ref = best.get(readers[0]!.name)!;
  for (const [name, m] of best) {
    if (m.rows !== ref.rows || m.amount !== ref.amount) {
      throw new Error(
        `${name} saw ${m.rows} rows / amount ${m.amount}, duckdb saw ${ref.rows} / ${ref.amount}: the readers disagree`,
      );
    }
  }
  console.log(`\nbest of ${repeat} (all readers saw ${ref.rows.toLocaleString('en')} rows, same sum of amount):`);
  console.log(
    `  ${'reader'.padEnd(40)} ${'wall s'.padStart(7)} ${'CPU s'.padStart(7)} ${'rows/s'.padStart(11)} ${'× duckdb 1 thread (wall)'.padStart(26)}`,
  );
  const out = [];
  for (const [name, m] of best) {
    const ratio = m.ms / ref.ms;
    console.log(
      `  ${name.padEnd(40)} ${(m.ms / 1000).toFixed(2).padStart(7)} ${(m.cpuMs / 1000).toFixed(2).padStart(7)} ${Math.round(
        m.rows / (m.ms / 1000),
      )
        .toLocaleString('en')
        .padStart(11)} ${ratio.toFixed(2).padStart(25)}×`,
    );
    out.push({
      reader: name,
      wallSecs: +(m.ms / 1000).toFixed(3),
      cpuSecs: +(m.cpuMs / 1000).toFixed(3),
      rowsPerSec: Math.round(m.rows / (m.ms / 1000)),
      wallRatioToDuckdb1: +ratio.toFixed(2),
    });
  }
  const resultPath = fileURLToPath(new URL('./results/csv-readers.json', import.meta.url));
  writeFileSync(
    resultPath,
    `${JSON.stringify({ date: new Date().toISOString().slice(0, 10), rows: ref.rows, bytes, columns: columns.length, repeat, cores: cpus().length, load: loadavg()[0], readers: out }, null, 2)}\n`,
  );
  console.log(`\n→ ${resultPath}`);
}

await main();

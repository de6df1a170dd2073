/**
 * Ingestion benchmark: writes a synthetic delivery of bank_transactions and cod_shipments CSV files
 * straight from DuckDB (`copy (select … from range(N)) to …`, seeded by hashes, a few rows that break
 * the contract and a few quoted line breaks so every path of the loader runs), then loads it with
 * `loadDelivery` into a file-backed warehouse under a DuckDB memory limit. Prints rows/s, the ratio
 * against a reference measured in the same run (plain `create table as select * from read_csv(…)` of
 * the same files into the same kind of warehouse: the loader's overhead), the time of each SQL
 * statement of the loader, and peak RSS.
 *
 * Each phase (generate, scan, reference, load) runs in its own child process, so the peak RSS
 * reported for the loader is the loader's.
 *
 *   npx tsx bench/ingest.ts [--rows 30000000] [--memory 3GB] [--threads 2] [--keep] [--dir /tmp/x]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, statSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadDelivery } from '../engine/ingest/load.js';
import { scanCsv } from '../engine/ingest/scan.js';
import { silentLogger } from '../engine/log.js';
import { openDb, literal, type Db } from '../engine/warehouse/db.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string' },
    memory: { type: 'string' },
    threads: { type: 'string' },
    dir: { type: 'string' },
    keep: { type: 'boolean' },
    'no-reference': { type: 'boolean' },
    phase: { type: 'string' },
  },
});
const rows = Number(values.rows ?? 30_000_000);
const memoryLimit = values.memory ?? '3GB';
const threads = Number(values.threads ?? 2);
const root = values.dir ?? join(tmpdir(), `sangloc-bench-ingest-${rows}`);
const delivery = join(root, 'delivery');

/** Bank rows are 2/3 of the delivery, split over banks; COD parcels the rest, split over carriers. */
const banks = ['vcb', 'tcb', 'mb'];
const carriers = ['ghn', 'ghtk'];

function sqlList(xs: string[]): string {
  return `[${xs.map(literal).join(', ')}]`;
}

const words = sqlList([
  'chuyen tien',
  'thanh toan don hang',
  'tien hang',
  'ck',
  'nop tien',
  'hoan tien',
  'tra no',
  'mua hang shopee',
  'ung ho',
  'luong',
]);
const names = sqlList([
  'NGUYEN VAN AN',
  'TRAN THI BINH',
  'LE MINH CHAU',
  'PHAM QUOC DUNG',
  'HOANG THU HA',
  'VU DUC KHANH',
  'DANG NGOC LAN',
  'BUI THANH MAI',
]);
const streets = sqlList(['Nguyễn Huệ', 'Lê Lợi', 'Trần Hưng Đạo', 'Hùng Vương', 'Lý Thường Kiệt', 'Hai Bà Trưng']);
const provinces = sqlList(['Hà Nội', 'TP. Hồ Chí Minh', 'Đà Nẵng', 'Hải Phòng', 'Cần Thơ', 'Bình Dương', 'Khánh Hòa']);

/** One bank file: `n` rows starting at global row `from`; about 1 in 100,000 rows breaks a rule, 1 in 200,000 has a quoted line break. */
function bankSql(bank: string, from: number, n: number): string {
  const h = (tag: string) => `hash(i, ${literal(tag)})`;
  return `
    select upper(${literal(bank)}) as bank,
      lpad((${h('acc')} % 100000000000)::varchar, 12, '0') as account,
      case when ${h('hn')} % 3 = 0 then ${names}[1 + (${h('nm')} % 8)::int] end as holder_name,
      case when ${h('hn')} % 5 = 0 then lpad((${h('nid')} % 1000000000000)::varchar, 12, '0') end as holder_national_id,
      null::varchar as holder_tax_id,
      'FT' || i::varchar as txn_id,
      strftime(timestamp '2025-01-01' + to_seconds((${h('t')} % 31536000)::bigint), '%Y-%m-%dT%H:%M:%S') || '+07:00' as booked_at,
      case when i % 100003 = 7 then '-' || (1000 * (1 + ${h('a')} % 100000))::varchar else (1000 * (1 + ${h('a')} % 100000))::varchar end as amount,
      case when ${h('d')} % 4 = 0 then 'debit' else 'credit' end as direction,
      ${sqlList(['VCB', 'TCB', 'MB', 'ACB', 'BIDV'])}[1 + (${h('cb')} % 5)::int] as counterparty_bank,
      lpad((${h('cacc')} % 10000000000)::varchar, 10, '0') as counterparty_account,
      ${names}[1 + (${h('cn')} % 8)::int] as counterparty_name,
      case when i % 200009 = 11 then 'dong 1' || chr(10) || 'dong 2, ' || ${words}[1 + (${h('w')} % 10)::int]
           else ${words}[1 + (${h('w')} % 10)::int] || ' ' || (${h('ref')} % 1000000)::varchar end as description
    from range(${from}, ${from + n}) t(i)`;
}

function codSql(carrier: string, from: number, n: number): string {
  const h = (tag: string) => `hash(i, ${literal(tag)})`;
  return `
    select ${literal(carrier)} as carrier,
      upper(${literal(carrier)}) || i::varchar as waybill,
      ${names}[1 + (${h('nm')} % 8)::int] as sender_name,
      '09' || lpad((${h('ph')} % 100000000)::varchar, 8, '0') as sender_phone,
      (1 + ${h('no')} % 400)::varchar || ' ' || ${streets}[1 + (${h('st')} % 6)::int] || ', ' || ${provinces}[1 + (${h('pv')} % 7)::int] as sender_address,
      ${provinces}[1 + (${h('pv')} % 7)::int] as sender_province,
      case when i % 100019 = 5 then '2025-02-30' else strftime(date '2025-01-01' + (${h('d')} % 365)::int, '%Y-%m-%d') end as picked_up_on,
      (1000 * (1 + ${h('a')} % 5000))::varchar as cod_amount,
      ${sqlList(['delivered', 'delivered', 'delivered', 'returned', 'cancelled'])}[1 + (${h('s')} % 5)::int] as status,
      ${sqlList(['VCB', 'TCB', 'MB'])}[1 + (${h('rb')} % 3)::int] as remit_bank,
      lpad((${h('ra')} % 10000000000)::varchar, 10, '0') as remit_account
    from range(${from}, ${from + n}) t(i)`;
}

async function writeDelivery(db: Db): Promise<{ files: string[]; bytes: number }> {
  rmSync(delivery, { recursive: true, force: true });
  mkdirSync(delivery, { recursive: true });
  const bankRows = Math.round((rows * 2) / 3);
  const codRows = rows - bankRows;
  const parts: { name: string; sql: string }[] = [];
  let from = 0;
  banks.forEach((b, k) => {
    const n = k === banks.length - 1 ? bankRows - from : Math.floor(bankRows / banks.length);
    parts.push({ name: `bank_transactions_${b}.csv`, sql: bankSql(b, from, n) });
    from += n;
  });
  from = 0;
  carriers.forEach((c, k) => {
    const n = k === carriers.length - 1 ? codRows - from : Math.floor(codRows / carriers.length);
    parts.push({ name: `cod_shipments_${c}.csv`, sql: codSql(c, from, n) });
    from += n;
  });
  for (const p of parts) await db.exec(`copy (${p.sql}) to ${literal(join(delivery, p.name))} (header, delimiter ',')`);
  const files = readdirSync(delivery).sort();
  return { files, bytes: files.reduce((s, f) => s + statSync(join(delivery, f)).size, 0) };
}

/** Wraps the Db so every statement's wall time is summed by its first words. */
function profile(db: Db): Map<string, { ms: number; calls: number }> {
  const times = new Map<string, { ms: number; calls: number }>();
  const key = (sql: string) => sql.replace(/\s+/g, ' ').trim().slice(0, 70);
  for (const method of ['exec', 'all'] as const) {
    const orig = db[method].bind(db) as (sql: string, params?: unknown) => Promise<unknown>;
    (db as unknown as Record<string, unknown>)[method] = async (sql: string, params?: unknown) => {
      const t = performance.now();
      try {
        return await orig(sql, params);
      } finally {
        const k = key(sql);
        const e = times.get(k) ?? { ms: 0, calls: 0 };
        e.ms += performance.now() - t;
        e.calls++;
        times.set(k, e);
      }
    };
  }
  return times;
}

type Phase = 'generate' | 'scan' | 'reference' | 'load';

interface PhaseResult {
  secs: number;
  /** CPU seconds of the phase's process (user + system): less sensitive than wall time to a busy machine. */
  cpuSecs: number;
  peakRssMB: number;
  [k: string]: unknown;
}

function listDelivery(): { files: string[]; bytes: number } {
  const files = readdirSync(delivery).sort();
  return { files, bytes: files.reduce((s, f) => s + statSync(join(delivery, f)).size, 0) };
}

/** One phase, in this process (run as a child of `main`, so its peak RSS is its own). */
async function runPhase(phase: Phase): Promise<PhaseResult> {
  const tmp = join(root, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const t = performance.now();
  const extra: Record<string, unknown> = {};
  if (phase === 'generate') {
    const gen = await openDb(':memory:', { threads, memoryLimit });
    Object.assign(extra, await writeDelivery(gen));
    gen.close();
  } else if (phase === 'scan') {
    // The line scanner (SHA-256 + quote-aware line map) over every file: target ≥ 200 MB/s.
    let quotedNewlines = 0;
    for (const f of listDelivery().files) quotedNewlines += scanCsv(join(delivery, f), { hash: true }).quotedNewlines;
    extra.quotedNewlines = quotedNewlines;
  } else if (phase === 'reference') {
    // The same files read into a file warehouse with nothing else (all columns text).
    const refPath = join(root, 'reference.duckdb');
    rmSync(refPath, { force: true });
    rmSync(refPath + '.wal', { force: true });
    const ref = await openDb(refPath, { memoryLimit, threads, tempDirectory: tmp });
    for (const [k, f] of listDelivery().files.entries()) {
      await ref.exec(
        `create table t${k} as select * from read_csv(${literal(join(delivery, f))}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', max_line_size = 10000000)`,
      );
    }
    ref.close();
    rmSync(refPath, { force: true });
  } else {
    const whPath = join(root, 'warehouse.duckdb');
    rmSync(whPath, { force: true });
    rmSync(whPath + '.wal', { force: true });
    // as the run opens its warehouse (engine/warehouse/open.ts): checkpoints do not compact row groups
    const db = await openDb(whPath, { memoryLimit, threads, tempDirectory: tmp, compactRowGroups: false });
    const times = profile(db);
    const summary = await loadDelivery(db, delivery, { runId: 'bench', log: silentLogger(), tmpDir: tmp });
    db.close();
    rmSync(whPath, { force: true });
    rmSync(whPath + '.wal', { force: true });
    extra.rowsRead = Object.values(summary.bySource).reduce((s, x) => s + x.read, 0);
    extra.rowsRejected = Object.values(summary.bySource).reduce((s, x) => s + x.rejected, 0);
    extra.failedFiles = summary.files.filter((f) => f.status !== 'loaded').length;
    extra.statements = [...times.entries()]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, 12)
      .map(([sql, v]) => ({ sql, ms: Math.round(v.ms), calls: v.calls }));
  }
  const usage = process.resourceUsage();
  return {
    secs: Math.round((performance.now() - t) / 100) / 10,
    cpuSecs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1e5) / 10,
    peakRssMB: Math.round(usage.maxRSS / 1024),
    ...extra,
  };
}

function inChild(phase: Phase): PhaseResult {
  const args = [
    '--import',
    'tsx',
    fileURLToPath(import.meta.url),
    '--phase',
    phase,
    '--rows',
    String(rows),
    '--memory',
    memoryLimit,
    '--threads',
    String(threads),
    '--dir',
    root,
  ];
  const child = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 << 20,
  });
  const line = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (child.status !== 0 || !line)
    throw new Error(`phase ${phase} failed (exit ${child.status ?? child.signal}): ${child.stdout.slice(-2000)}`);
  return JSON.parse(line.slice('RESULT '.length)) as PhaseResult;
}

async function main() {
  if (values.phase) {
    process.stdout.write(`RESULT ${JSON.stringify(await runPhase(values.phase as Phase))}\n`);
    return;
  }
  mkdirSync(root, { recursive: true });
  const reuse = values.keep && existsSync(join(delivery, 'cod_shipments_ghtk.csv'));
  const gen = reuse ? null : inChild('generate');
  const written = listDelivery();
  console.log(
    `delivery: ${written.files.length} files, ${(written.bytes / 1e9).toFixed(2)} GB, ${rows.toLocaleString('en')} rows${gen ? ` (written in ${gen.secs} s)` : ' (reused)'}`,
  );
  const scan = inChild('scan');
  const scanMBs = Math.round(written.bytes / 1e6 / scan.secs);
  console.log(`scanCsv (SHA-256 + line map): ${scanMBs} MB/s, ${scan.quotedNewlines} quoted line breaks`);
  const reference = values['no-reference'] ? null : inChild('reference');
  if (reference)
    console.log(
      `reference (create table as select * from read_csv): ${reference.secs} s (${reference.cpuSecs} CPU s), ${Math.round(rows / reference.secs).toLocaleString('en')} rows/s, peak RSS ${reference.peakRssMB} MB`,
    );
  const ours = inChild('load');
  const read = ours.rowsRead as number;
  const statements = ours.statements as { sql: string; ms: number; calls: number }[];
  const result = {
    bench: 'ingest',
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
    rows,
    bytes: written.bytes,
    files: written.files.length,
    memoryLimit,
    threads,
    ours: {
      secs: ours.secs,
      cpuSecs: ours.cpuSecs,
      rowsPerSec: Math.round(read / ours.secs),
      rowsRead: read,
      rowsRejected: ours.rowsRejected,
      failedFiles: ours.failedFiles,
      peakRssMB: ours.peakRssMB,
    },
    reference: reference && {
      secs: reference.secs,
      cpuSecs: reference.cpuSecs,
      rowsPerSec: Math.round(rows / reference.secs),
      peakRssMB: reference.peakRssMB,
    },
    overheadRatio: reference ? Math.round((ours.secs / reference.secs) * 100) / 100 : null,
    overheadRatioCpu: reference ? Math.round((ours.cpuSecs / reference.cpuSecs) * 100) / 100 : null,
    scanMBs,
    statements,
  };
  console.log(
    `loadDelivery: ${ours.secs} s (${ours.cpuSecs} CPU s), ${Math.round(read / ours.secs).toLocaleString('en')} rows/s, ${ours.rowsRejected} rejected, ${ours.failedFiles} failed file(s), peak RSS ${ours.peakRssMB} MB`,
  );
  if (reference)
    console.log(`overhead ratio (ours / reference): ${result.overheadRatio} wall, ${result.overheadRatioCpu} CPU`);
  console.log(`memory limit ${memoryLimit}, ${threads} threads, load average ${result.loadAverage.join(' ')}`);
  console.log('slowest statements:');
  for (const s of statements) console.log(`  ${String(s.ms).padStart(7)} ms ×${s.calls}  ${s.sql}`);
  if (read !== rows) throw new Error(`rows read ${read} ≠ rows written ${rows}`);
  const out = join(
    'bench',
    'results',
    `ingest-${new Date().toISOString().slice(0, 10)}${rows < 30_000_000 ? `-${rows}` : ''}.json`,
  );
  mkdirSync(join('bench', 'results'), { recursive: true });
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(`results: ${out}`);
  if (!values.keep) rmSync(root, { recursive: true, force: true });
}

await main();

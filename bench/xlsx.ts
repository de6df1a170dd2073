/**
 * Workbook ingestion benchmark: a bank statement as banks export it (.xlsx, two title rows and a
 * blank row above Vietnamese headers, date cells, amounts as numbers and some as `1.250.000` text,
 * shared strings), written once with exceljs's streaming writer from a seeded generator and cached
 * under /tmp. Then, in the same run and alternating so a busy machine slows both alike:
 *   (a) the reference: exceljs's bare streaming read of every cell of the file, with the reader
 *       the loader uses (`readWorkbook`: exceljs's WorkbookReader and sheet parser, shared strings
 *       and styles cached, the zip read by random access — exceljs's stock reader never finishes a
 *       sheet this size, see engine/ingest/xlsx.ts);
 *   (b) sangloc: `loadDelivery` of a folder holding that file into a file-backed warehouse that
 *       has its tables and SQL macros (as every run after the first finds it): file hashed,
 *       header found, cells converted, rows validated, rejects written, lineage recorded, committed.
 * Prints the best time of each and the ratio (goal ≤ 1.3×), and writes results/xlsx-<date>.json.
 *
 *   npx tsx bench/xlsx.ts [--rows 200000] [--pairs 3] [--threads 2] [--part-rows 25000] [--dir /tmp/sangloc-bench-xlsx]
 */
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { loadDelivery } from '../engine/ingest/load.js';
import { readWorkbook } from '../engine/ingest/xlsx.js';
import { silentLogger } from '../engine/log.js';
import { installNormalizeMacros } from '../engine/normalize/sql.js';
import { openDb } from '../engine/warehouse/db.js';
import { ensureWarehouseSchema } from '../engine/warehouse/schema.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string' },
    pairs: { type: 'string' },
    threads: { type: 'string' },
    dir: { type: 'string' },
    'part-rows': { type: 'string' },
  },
});
const rows = Number(values.rows ?? 200_000);
const pairs = Number(values.pairs ?? 3);
const threads = Number(values.threads ?? 2);
const partRows = values['part-rows'] ? Number(values['part-rows']) : undefined;
const root = values.dir ?? `/tmp/sangloc-bench-xlsx`;
const delivery = join(root, `delivery-${rows}`);
const file = join(delivery, 'bank_transactions_bench.xlsx');

/** A seeded generator (mulberry32): the same workbook on every machine. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const names = [
  'NGUYEN VAN AN',
  'TRAN THI BINH',
  'LE MINH CHAU',
  'PHAM QUOC DUNG',
  'HOANG THU HA',
  'VU DUC KHANH',
  'DANG NGOC LAN',
  'BUI THANH MAI',
];
const words = [
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
];
const banks = ['VCB', 'TCB', 'MB', 'ACB', 'BIDV'];

async function writeWorkbook(): Promise<void> {
  mkdirSync(delivery, { recursive: true });
  const r = rng(20261122);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
  const ws = wb.addWorksheet('Sao kê');
  ws.getRow(1).getCell(1).value = 'NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM';
  ws.getRow(1).commit();
  ws.getRow(2).getCell(1).value = 'SAO KÊ TÀI KHOẢN TỪ 01/11/2026 ĐẾN 30/11/2026';
  ws.getRow(2).commit();
  const header = [
    'STT',
    'Ngân hàng',
    'Số tài khoản',
    'Tên chủ tài khoản',
    'Số CCCD',
    'Mã GD',
    'Ngày giao dịch',
    'Số tiền',
    'Loại giao dịch',
    'Ngân hàng đối ứng',
    'Tài khoản đối ứng',
    'Tên đối ứng',
    'Nội dung',
  ];
  const h = ws.getRow(4);
  header.forEach((v, i) => (h.getCell(i + 1).value = v));
  h.commit();
  const start = Date.UTC(2026, 10, 1);
  for (let i = 0; i < rows; i++) {
    const row = ws.getRow(5 + i);
    const holder = Math.floor(r() * 20_000);
    const amount = Math.round(10 + r() * 50_000) * 1000;
    const values: ExcelJS.CellValue[] = [
      i + 1,
      banks[holder % banks.length]!,
      String(1_000_000_000 + holder * 7919).padStart(13, '0'),
      names[holder % names.length]!,
      String(1_000_000_000 + holder).padStart(12, '0'),
      `FT${String(i).padStart(10, '0')}`,
      new Date(start + Math.floor(r() * 30 * 86_400) * 1000),
      // 1 in 20 amounts typed as text with dotted thousands, as people do
      i % 20 === 7 ? amount.toLocaleString('de-DE') : amount,
      r() < 0.7 ? 'credit' : 'debit',
      banks[Math.floor(r() * banks.length)]!,
      String(Math.floor(r() * 1e12)).padStart(12, '0'),
      names[Math.floor(r() * names.length)]!,
      `${words[Math.floor(r() * words.length)]!} ${i % 97}`,
    ];
    values.forEach((v, j) => (row.getCell(j + 1).value = v));
    row.getCell(7).numFmt = 'dd/mm/yyyy hh:mm';
    row.commit();
  }
  ws.commit();
  await wb.commit();
}

/** (a) exceljs's bare streaming read: every cell of every row touched. */
async function bareRead(): Promise<{ ms: number; cpuMs: number; cells: number }> {
  const t = performance.now();
  const cpu = process.cpuUsage();
  let cells = 0;
  for await (const ws of readWorkbook(file)) {
    for await (const row of ws) {
      const v = (row as ExcelJS.Row).values as unknown[];
      for (let i = 1; i < v.length; i++) if (v[i] !== undefined && v[i] !== null) cells++;
    }
  }
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000, cells };
}

/** (b) sangloc's load of the delivery folder holding the file, into a fresh file-backed warehouse. */
async function sanglocLoad(
  k: number,
): Promise<{ ms: number; cpuMs: number; read: number; loaded: number; rejected: number }> {
  const whDir = join(root, `wh-${k}`);
  rmSync(whDir, { recursive: true, force: true });
  mkdirSync(whDir, { recursive: true });
  const db = await openDb(join(whDir, 'warehouse.duckdb'), { threads, tempDirectory: whDir });
  try {
    // The warehouse as every nightly run after the first finds it: tables and SQL macros in place.
    await ensureWarehouseSchema(db);
    await installNormalizeMacros(db);
    const t = performance.now();
    const cpu = process.cpuUsage();
    const s = await loadDelivery(db, delivery, {
      runId: `bench-${k}`,
      log: silentLogger(),
      tmpDir: whDir,
      xlsxPartRows: partRows,
      ingest: { sources: { bank_transactions: { thousands: '.' } } },
    });
    const ms = performance.now() - t;
    const used = process.cpuUsage(cpu);
    const f = s.files[0]!;
    if (f.status !== 'loaded') throw new Error(`load failed: ${f.message}`);
    return {
      ms,
      cpuMs: (used.user + used.system) / 1000,
      read: f.rowsRead,
      loaded: f.rowsLoaded,
      rejected: f.rowsRejected,
    };
  } finally {
    db.close();
    rmSync(whDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!existsSync(file)) {
    const t = performance.now();
    await writeWorkbook();
    console.log(
      `wrote ${file} (${rows.toLocaleString('en')} rows, ${(statSync(file).size / 1e6).toFixed(1)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
  } else console.log(`cached ${file} (${(statSync(file).size / 1e6).toFixed(1)} MB)`);
  const bare: number[] = [];
  const ours: number[] = [];
  const bareCpu: number[] = [];
  const oursCpu: number[] = [];
  let counts: Awaited<ReturnType<typeof sanglocLoad>> | undefined;
  let cells = 0;
  for (let k = 0; k < pairs; k++) {
    // Alternate which side goes first, so warm-up and load swings fall on both.
    const runBare = async () => {
      const b = await bareRead();
      bare.push(b.ms);
      bareCpu.push(b.cpuMs);
      cells = b.cells;
    };
    const runOurs = async () => {
      counts = await sanglocLoad(k);
      ours.push(counts.ms);
      oursCpu.push(counts.cpuMs);
    };
    if (k % 2 === 0) {
      await runBare();
      await runOurs();
    } else {
      await runOurs();
      await runBare();
    }
    console.log(
      `pair ${k + 1}: bare read ${(bare[k]! / 1000).toFixed(2)} s (CPU ${(bareCpu[k]! / 1000).toFixed(2)} s), ` +
        `sangloc load ${(ours[k]! / 1000).toFixed(2)} s (CPU ${(oursCpu[k]! / 1000).toFixed(2)} s) (load avg ${loadavg()[0]!.toFixed(1)})`,
    );
  }
  const best = (xs: number[]) => Math.min(...xs);
  const ratio = best(ours) / best(bare);
  console.log(`\n${rows.toLocaleString('en')} rows × 13 columns (${cells.toLocaleString('en')} non-empty cells)`);
  console.log(
    `exceljs bare streaming read: ${(best(bare) / 1000).toFixed(2)} s (${Math.round(rows / (best(bare) / 1000)).toLocaleString('en')} rows/s)`,
  );
  console.log(
    `sangloc load:                ${(best(ours) / 1000).toFixed(2)} s (${Math.round(rows / (best(ours) / 1000)).toLocaleString('en')} rows/s); read ${counts!.read}, loaded ${counts!.loaded}, rejected ${counts!.rejected}`,
  );
  console.log(
    `ratio sangloc / bare read:   ${ratio.toFixed(2)}× wall (goal ≤ 1.3×), ${(best(oursCpu) / best(bareCpu)).toFixed(2)}× CPU (process CPU time, DuckDB's threads included)`,
  );
  const out = {
    date: new Date().toISOString(),
    rows,
    pairs,
    threads,
    cpus: cpus().length,
    loadavg: loadavg(),
    node: process.version,
    file: { bytes: statSync(file).size, cells },
    bareReadMs: bare.map(Math.round),
    sanglocLoadMs: ours.map(Math.round),
    bestBareMs: Math.round(best(bare)),
    bestLoadMs: Math.round(best(ours)),
    bareReadCpuMs: bareCpu.map(Math.round),
    sanglocLoadCpuMs: oursCpu.map(Math.round),
    ratio: Number(ratio.toFixed(3)),
    cpuRatio: Number((best(oursCpu) / best(bareCpu)).toFixed(3)),
    counts,
  };
  const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
  const path = join(resultsDir, `xlsx-${out.date.slice(0, 10)}.json`);
  writeFileSync(path, JSON.stringify(out, null, 2) + '\n');
  console.log(`results → ${path}`);
}

await main();

/**
 * The floor of the pipeline benchmark (bench/pipeline.ts): DuckDB's own `read_csv` of every CSV
 * file of a delivery folder into a table of an on-disk database, with the batch's DuckDB settings
 * (memory limit 3GB, 2 threads), and nothing else. Run as a child process:
 *
 *   node --import tsx bench/lib/plain-read.ts <delivery folder> <database file>
 *
 * Prints one JSON line: { files, rows, readMs } (readMs: from opening the database to the last table).
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { literal, openDb } from '../../engine/warehouse/db.js';

const [dir, dbFile] = process.argv.slice(2);
if (!dir || !dbFile) {
  console.error('usage: node --import tsx bench/lib/plain-read.ts <delivery folder> <database file>');
  process.exit(2);
}
rmSync(dbFile, { force: true });
rmSync(`${dbFile}.wal`, { force: true });
const started = performance.now();
const db = await openDb(dbFile, { memoryLimit: '3GB', threads: 2 });
const files = readdirSync(dir)
  .filter((f) => f.toLowerCase().endsWith('.csv'))
  .sort();
let rows = 0;
for (const [i, f] of files.entries()) {
  await db.exec(`create table t${i} as select * from read_csv(${literal(join(dir, f))})`);
  rows += Number(await db.value(`select count(*) from t${i}`));
}
await db.exec('checkpoint');
const readMs = performance.now() - started;
db.close();
rmSync(dbFile, { force: true });
console.log(JSON.stringify({ files: files.length, rows, readMs: Math.round(readMs) }));

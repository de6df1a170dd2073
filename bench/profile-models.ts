/**
 * Each named model of a finished workspace, built again on a copy of its warehouse (the copy's
 * table is replaced; the workspace is not touched): wall and CPU ms of this process (DuckDB's
 * threads included), and with --json DIR DuckDB's JSON profile of each (PRAGMA enable_profiling).
 * Not a test.
 *
 *   npx tsx bench/profile-models.ts --workspace WS --tax-year 2025 [--json DIR] [--repeat N] model ...
 *   --pipelines DIR   another tree's pipelines/ (a before beside an after on one warehouse)
 *   --copy FILE       where the copy goes (default: the OS temp folder); --no-copy reuses it
 *   --set K=V         a DuckDB setting for the builds (repeatable), e.g. --set "memory_limit='1.5GB'": the
 *                     batch's own limit (config memoryLimit); without it DuckDB takes 80 % of RAM and
 *                     nothing spills, so a model spilling in the batch looks faster here than it is
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDb, ident, literal } from '../engine/warehouse/db.js';
import { readModels, setVariables } from '../engine/warehouse/pipeline.js';
import { featureVariables } from '../engine/features/variables.js';
import { cpuUsage } from 'node:process';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    workspace: { type: 'string' },
    'tax-year': { type: 'string', default: '2025' },
    json: { type: 'string' },
    repeat: { type: 'string', default: '1' },
    copy: { type: 'string', default: join(tmpdir(), 'sangloc-profile-models.duckdb') },
    threads: { type: 'string' },
    // another tree's pipelines/ (e.g. main's, for a before beside an after on one warehouse)
    pipelines: { type: 'string' },
    'no-copy': { type: 'boolean', default: false },
    // a DuckDB setting for the builds, e.g. --set preserve_insertion_order=false
    set: { type: 'string', multiple: true },
  },
});
const src = join(values.workspace!, 'warehouse.duckdb');
if (!values['no-copy']) copyFileSync(src, values.copy!);
const db = await openDb(values.copy!, { threads: values.threads ? Number(values.threads) : undefined });
await setVariables(db, featureVariables(Number(values['tax-year'])));
for (const kv of values.set ?? []) await db.exec(`set ${kv}`);
const models = new Map(readModels(values.pipelines).map((m) => [m.name, m]));
if (values.json) mkdirSync(values.json, { recursive: true });
for (const name of positionals) {
  const m = models.get(name);
  if (!m) throw new Error(`no model ${name}`);
  for (let r = 0; r < Number(values.repeat); r++) {
    if (values.json) {
      await db.exec(`pragma enable_profiling = 'json'`);
      await db.exec(`pragma profiling_output = ${literal(join(values.json, `${name}.json`))}`);
    }
    const c0 = cpuUsage();
    const t0 = performance.now();
    await db.exec(`create or replace table ${ident(name)} as ${m.sql}`);
    const wall = performance.now() - t0;
    const c = cpuUsage(c0);
    if (values.json) await db.exec(`pragma disable_profiling`);
    console.log(`${name}: ${Math.round(wall)} ms wall, ${Math.round((c.user + c.system) / 1000)} ms cpu`);
  }
}
db.close();

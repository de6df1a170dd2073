/**
 * The resolve stage's parts one by one on a copy of a workspace's warehouse (issue 18, perf6): each
 * model of the stage and the linker's steps, wall and process CPU (DuckDB's threads included).
 * Not a test.
 *
 *   npx tsx bench/resolve-steps.ts --warehouse WS/warehouse.duckdb [--only int_cod_senders,...] [--repeat N]
 *
 * The warehouse is copied to a temporary file first (the workspace is never written).
 */
import { copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { featureVariables } from '../engine/features/variables.js';
import { installNormalizeMacros } from '../engine/normalize/sql.js';
import { resolveIdentities } from '../engine/resolve/identity.js';
import { openDb } from '../engine/warehouse/db.js';
import { readModels, setVariables } from '../engine/warehouse/pipeline.js';

const { values } = parseArgs({
  options: {
    warehouse: { type: 'string' },
    only: { type: 'string' },
    repeat: { type: 'string', default: '1' },
    'tax-year': { type: 'string', default: '2025' },
    'memory-limit': { type: 'string', default: '1.5GB' },
    // DuckDB's JSON profile of each model into DIR/<model>.json
    profile: { type: 'string' },
  },
});
if (!values.warehouse) {
  console.error('usage: tsx bench/resolve-steps.ts --warehouse FILE [--only a,b] [--repeat N]');
  process.exit(2);
}
const copy = join(tmpdir(), `resolve-steps-${process.pid}.duckdb`);
copyFileSync(values.warehouse, copy);
const db = await openDb(copy, { memoryLimit: values['memory-limit'] });
await installNormalizeMacros(db);
await setVariables(db, featureVariables(Number(values['tax-year'])));
const models = new Map(readModels().map((m) => [m.name, m]));
const steps = (values.only ?? 'int_cod_senders,int_identity_records,link,int_entities,int_record_identity').split(',');

const cpuS = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const timed = async (name: string, fn: () => Promise<unknown>) => {
  const w0 = performance.now();
  const c0 = cpuS();
  await fn();
  console.log(
    `${name.padEnd(24)} wall ${((performance.now() - w0) / 1000).toFixed(2)} s  cpu ${(cpuS() - c0).toFixed(2)} s`,
  );
};
for (let r = 0; r < Number(values.repeat); r++) {
  for (const step of steps) {
    if (step === 'link') {
      await timed('link', () => resolveIdentities(db, { seed: 1 }));
      continue;
    }
    const m = models.get(step);
    if (!m) throw new Error(`no model ${step}`);
    if (values.profile)
      await db.exec(
        `pragma enable_profiling = 'json'; pragma profiling_output = '${join(values.profile, `${m.name}.json`)}'`,
      );
    await timed(step, () => db.exec(`create or replace table ${m.name} as ${m.sql}`));
    if (values.profile) await db.exec(`pragma disable_profiling`);
  }
}
await db.close();
rmSync(copy, { force: true });
rmSync(`${copy}.wal`, { force: true });

/**
 * Ingest alone, with its per-step profile: loads one delivery folder with `loadDelivery` into a
 * fresh file-backed warehouse (the batch's settings: memory limit 3GB, 2 threads) under
 * SANGLOC_PROFILE=1, and prints the profile (wall and CPU per step) and the whole load's wall and
 * CPU time. `--tree DIR` loads with another checkout's engine source (a before beside an after,
 * measured back to back). Not a test; scratch files under the OS temp folder.
 *
 *   npx tsx bench/ingest-profile.ts --input /tmp/perf/W50 [--tree /work/main]
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { input: { type: 'string' }, tree: { type: 'string', default: join(import.meta.dirname, '..') } },
});
if (!values.input) {
  console.error('usage: npx tsx bench/ingest-profile.ts --input DIR [--tree DIR]');
  process.exit(2);
}
process.env.SANGLOC_PROFILE = '1';
const tree = resolve(values.tree!);
const { openDb } = await import(join(tree, 'engine/warehouse/db.ts'));
const { loadDelivery } = await import(join(tree, 'engine/ingest/load.ts'));
const file = join(tmpdir(), `sangloc-ingest-profile-${process.pid}.duckdb`);
const log = {
  info: (m: string) => m.startsWith('ingest profile') && console.log(m),
  warn: () => undefined,
  progress: () => undefined,
  debug: () => undefined,
};
const cpu0 = process.cpuUsage();
const started = performance.now();
// as the run opens its warehouse (engine/warehouse/open.ts): checkpoints do not compact row groups
const db = await openDb(file, { memoryLimit: '3GB', threads: 2, compactRowGroups: false });
const summary = await loadDelivery(db, values.input, { runId: 'profile', log, tmpDir: tmpdir() });
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpu0);
const rows = Object.values(summary.bySource as Record<string, { loaded: number }>).reduce((n, s) => n + s.loaded, 0);
console.log(
  `${tree}: ${rows} rows loaded, wall ${(wallMs / 1000).toFixed(1)} s, ` +
    `CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`,
);
db.close?.();
rmSync(file, { force: true });
rmSync(`${file}.wal`, { force: true });

/**
 * Runs the benchmark suites one after another, each in its own process (fresh heap and JIT), and
 * exits 1 when any suite reported a ratio under its floor. The workers run dist/, so the suites
 * need a build: `npm run bench` builds first; `npm run bench:quick` builds only when dist/ is
 * missing (CI has just built it in `npm test`).
 *
 *   npm run bench          forest + scoring core at full sizes, the pipeline on 50,000 persons (~10 minutes)
 *   npm run bench:quick    the CI gate: small sizes (the pipeline on 2,000 persons), ~1 min on an idle 2-core machine
 *   npx tsx bench/run-all.ts --scale   also the whole-batch scale curve (bench/scale.ts, long)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const quick = process.argv.includes('--quick');
const scale = process.argv.includes('--scale');

if (!existsSync(join(root, 'dist', 'engine', 'workers', 'worker.js'))) {
  console.log('bench: dist/ is missing, building (npm run build) …');
  const b = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

const suites = [
  { name: 'forest', file: 'forest.ts' },
  { name: 'scoring core', file: 'score.ts' },
  // the whole batch against DuckDB's plain read of its input (50,000 persons; quick: 2,000)
  { name: 'pipeline', file: 'pipeline.ts' },
  ...(scale && !quick ? [{ name: 'scale', file: 'scale.ts' }] : []),
];
const started = performance.now();
const outcome: { name: string; status: number; seconds: number }[] = [];
for (const s of suites) {
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', join(here, s.file), ...(quick ? ['--quick'] : [])],
    { cwd: root, stdio: 'inherit' },
  );
  outcome.push({ name: s.name, status: r.status ?? 1, seconds: (performance.now() - t0) / 1000 });
}
const failed = outcome.filter((o) => o.status !== 0);
console.log(
  `\nbench${quick ? ':quick' : ''}: ${outcome.map((o) => `${o.name} ${o.status === 0 ? 'ok' : 'FAILED'} (${o.seconds.toFixed(1)} s)`).join(', ')}; ` +
    `total ${((performance.now() - started) / 1000).toFixed(1)} s, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
);
if (failed.length > 0) {
  console.log(
    `bench: below floor or failed: ${failed.map((o) => o.name).join(', ')} (figures above; floors in bench/README.md)`,
  );
  process.exitCode = 1;
}

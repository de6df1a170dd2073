/**
 * The whole nightly batch against the speed of reading its input (issue 18). On one generated (or
 * given) world, one after the other in this process tree: DuckDB's plain `read_csv` of every file
 * into tables (bench/lib/plain-read.ts, the floor), then `sangloc run` on the same files in a fresh
 * workspace. Prints per stage wall, CPU, rows/s and the peak RSS when the stage ended, and the
 * ratio of the whole batch to the plain read (wall and CPU). Not a test.
 *
 *   npm run build && npx tsx bench/pipeline.ts                 50,000 persons → results/pipeline-full.json
 *   npx tsx bench/pipeline.ts --quick                          2,000 persons, asserts the floor → results/pipeline-quick.json
 *   npx tsx bench/pipeline.ts --input /tmp/W50                 an existing delivery folder
 *
 * Options: --persons N  --seed S (1)  --input DIR  --cache DIR (bench/out/worlds, shared with scale.ts)
 *          --out DIR (bench/results)  --label L (file name part; default full / quick)  --keep
 *          --tree DIR (run DIR/bin/sangloc.js, another engine's built tree, e.g. a worktree of an
 *          earlier commit: a before measured beside an after on the same world)  --config FILE (the run's)
 *
 * The floor (`--quick`, asserted: exit 1 under it): the batch's CPU time at most QUICK_MAX_CPU_RATIO×
 * the plain read's. CPU time, not wall: on a shared machine the neighbours move wall time of both
 * sides apart (README "The thread gate"), CPU time far less. A correct build measured 6.9× on the
 * 2,000-person world at load 17–19 (fixed costs weigh there: start-up, training the forest); the
 * floor leaves twice that, so it fails a build whose per-row work doubles, not a busy machine.
 * Wall ratio, rows/s and RSS are printed, not asserted.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GENERATOR_VERSION } from '../engine/generate/index.js';
import { parseGnuTime, parseStageLines, summariseLoad, topLevelStages } from './lib/scaling.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

/** The quick gate: batch CPU time / plain-read CPU time must stay at or under this. */
export const QUICK_MAX_CPU_RATIO = 14;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    persons: { type: 'string' },
    seed: { type: 'string', default: '1' },
    input: { type: 'string' },
    cache: { type: 'string', default: join(here, 'out', 'worlds') },
    out: { type: 'string', default: join(here, 'results') },
    label: { type: 'string' },
    keep: { type: 'boolean', default: false },
    // another engine's tree (its bin/sangloc.js, built): to measure a before beside an after
    tree: { type: 'string' },
    // a config file for the run (e.g. another memoryLimit)
    config: { type: 'string' },
  },
});
const cli = join(values.tree ? resolve(values.tree) : root, 'bin', 'sangloc.js');
const persons = Number(values.persons ?? (values.quick ? 2000 : 50000));
const seed = Number(values.seed);
const label = values.label ?? (values.quick ? 'quick' : 'full');
if (!Number.isInteger(persons) || persons < 1 || !Number.isInteger(seed)) {
  console.error('usage: tsx bench/pipeline.ts [--quick] [--persons N] [--seed S] [--input DIR] [--out DIR]');
  process.exit(2);
}
if (!existsSync(join(dirname(cli), '..', 'dist', 'engine', 'cli', 'main.js'))) {
  console.error('bench/pipeline: dist/ is missing; run `npm run build` first');
  process.exit(2);
}

interface ChildRun {
  code: number;
  wallMs: number;
  stdout: string;
  stderr: string;
  cpuS: number | null;
  peakRssMb: number | null;
  load: { mean: number; max: number; samples: number };
}

/** Runs node with `args` under GNU time (when there): wall, CPU (user + system), peak RSS, load while it ran. */
async function runChild(args: string[], logFile: string): Promise<ChildRun> {
  const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const timeFile = `${logFile}.time`;
  rmSync(timeFile, { force: true });
  const [cmd, argv] = gnuTime ? [gnuTime, ['-v', '-o', timeFile, process.execPath, ...args]] : [process.execPath, args];
  const started = performance.now();
  const child = spawn(cmd, argv, { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const load: number[] = [loadavg()[0]!];
  const sampler = setInterval(() => load.push(loadavg()[0]!), 2000);
  const code = await new Promise<number>((res) => child.on('close', (c) => res(c ?? 1)));
  clearInterval(sampler);
  load.push(loadavg()[0]!);
  const wallMs = performance.now() - started;
  writeFileSync(logFile, stdout + stderr);
  const time = gnuTime && existsSync(timeFile) ? parseGnuTime(readFileSync(timeFile, 'utf8')) : {};
  return {
    code,
    wallMs,
    stdout,
    stderr,
    cpuS: time.userS === undefined ? null : time.userS + (time.systemS ?? 0),
    peakRssMb: time.peakRssKb === undefined ? null : Math.round(time.peakRssKb / 1024),
    load: summariseLoad(load),
  };
}

/** The world: --input, else a cached generated one (same cache and marker as bench/scale.ts). */
async function world(): Promise<string> {
  if (values.input) return resolve(values.input);
  const name = `p${persons}-s${seed}`;
  const dir = join(values.cache!, name);
  const marker = join(values.cache!, `${name}.json`);
  if (existsSync(marker) && existsSync(dir)) {
    const have = JSON.parse(readFileSync(marker, 'utf8')) as Record<string, unknown>;
    if (have.generator_version === GENERATOR_VERSION && have.persons === persons && have.seed === seed) {
      console.log(`world ${name}: cached (${dir})`);
      return dir;
    }
  }
  mkdirSync(values.cache!, { recursive: true });
  rmSync(marker, { force: true });
  console.log(`world ${name}: generating …`);
  const args = [cli, 'generate', '--persons', String(persons), '--seed', String(seed), '--out', dir, '--quiet'];
  const r = await runChild(args, join(values.cache!, `${name}.generate.log`));
  if (r.code !== 0)
    throw new Error(`sangloc generate failed (exit ${r.code}); see ${values.cache}/${name}.generate.log`);
  writeFileSync(
    marker,
    JSON.stringify({ persons, seed, generator_version: GENERATOR_VERSION, generated_in_ms: Math.round(r.wallMs) }) +
      '\n',
  );
  return dir;
}

const s = (ms: number | null | undefined) => (ms === null || ms === undefined ? '–' : (ms / 1000).toFixed(1));
const int = (n: number) => Math.round(n).toLocaleString('en');

const started = performance.now();
const loadAtStart = loadavg().map((l) => Math.round(l * 100) / 100);
const input = await world();
const scratch = join(tmpdir(), `sangloc-bench-pipeline-${process.pid}`);
mkdirSync(scratch, { recursive: true });
mkdirSync(join(here, 'out'), { recursive: true });

console.log(`plain read: DuckDB read_csv of every file of ${input} …`);
const plain = await runChild(
  ['--import', 'tsx', join(here, 'lib', 'plain-read.ts'), input, join(scratch, 'plain.duckdb')],
  join(here, 'out', `pipeline-${label}-plain.log`),
);
if (plain.code !== 0) throw new Error(`plain read failed (exit ${plain.code}): ${plain.stderr.slice(0, 500)}`);
const read = JSON.parse(plain.stdout.trim().split('\n').pop()!) as { files: number; rows: number; readMs: number };

console.log('batch: sangloc run …');
const ws = join(scratch, 'ws');
const batch = await runChild(
  [cli, 'run', '--input', input, '--workspace', ws, ...(values.config ? ['--config', resolve(values.config)] : [])],
  join(here, 'out', `pipeline-${label}-run.log`),
);
if (batch.code !== 0)
  throw new Error(`sangloc run failed (exit ${batch.code}); see bench/out/pipeline-${label}-run.log`);
const runJson = JSON.parse(readFileSync(join(ws, readlinkSync(join(ws, 'latest')), 'run.json'), 'utf8')) as {
  rows: Record<string, { read: number }>;
  entities: number;
  cases: number;
  timings_ms: Record<string, number>;
  cpu_ms?: Record<string, number>;
  peak_rss_mb?: Record<string, number>;
};
if (!values.keep) rmSync(scratch, { recursive: true, force: true });

// run.json is written inside publish: publish's own wall time comes from the stage lines.
const wall = { ...parseStageLines(batch.stderr), ...runJson.timings_ms };
const rowsRead = Object.values(runJson.rows).reduce((n, r) => n + r.read, 0);
const stages = topLevelStages(wall).map((name) => ({
  name,
  wallMs: wall[name]!,
  cpuMs: runJson.cpu_ms?.[name] ?? null,
  rowsPerS: Math.round(rowsRead / (wall[name]! / 1000)),
  peakRssMbAtEnd: runJson.peak_rss_mb?.[name] ?? null,
}));
const wallRatio = batch.wallMs / plain.wallMs;
/** A given delivery's size, from the generator's manifest.json if it has one (--persons is not read then). */
function deliverySize(): { persons: number | null; seed: number | null } {
  if (!values.input) return { persons, seed };
  const file = join(input, 'manifest.json');
  if (!existsSync(file)) return { persons: null, seed: null };
  const m = JSON.parse(readFileSync(file, 'utf8')) as { persons?: number; seed?: number };
  return { persons: m.persons ?? null, seed: m.seed ?? null };
}
const given = deliverySize();
const cpuRatio = batch.cpuS !== null && plain.cpuS ? batch.cpuS / plain.cpuS : null;

console.log(
  `\n${given.persons === null ? 'a delivery of unknown size' : `${int(given.persons)} persons`}` +
    `${values.input ? ` (${input})` : ''}: ${int(rowsRead)} rows read, ${int(runJson.entities)} entities, ` +
    `${int(runJson.cases)} cases`,
);
console.log('| what | wall s | CPU s | rows/s | peak RSS MB |');
console.log('| --- | ---: | ---: | ---: | ---: |');
console.log(
  `| plain read_csv (${read.files} files, ${int(read.rows)} rows) | ${s(plain.wallMs)} | ${plain.cpuS?.toFixed(1) ?? '–'} | ` +
    `${int(read.rows / (plain.wallMs / 1000))} | ${plain.peakRssMb ?? '–'} |`,
);
for (const st of stages)
  console.log(
    `| ${st.name} | ${s(st.wallMs)} | ${s(st.cpuMs)} | ${int(st.rowsPerS)} | ${st.peakRssMbAtEnd ?? '–'} (at its end) |`,
  );
console.log(
  `| whole batch (process) | ${s(batch.wallMs)} | ${batch.cpuS?.toFixed(1) ?? '–'} | ${int(rowsRead / (batch.wallMs / 1000))} | ` +
    `${batch.peakRssMb ?? '–'} |`,
);
console.log(
  `batch / plain read: wall ${wallRatio.toFixed(2)}×, CPU ${cpuRatio?.toFixed(2) ?? '–'}×; ` +
    `load (1 min) plain ${plain.load.mean.toFixed(1)}, batch ${batch.load.mean.toFixed(1)} (max ${batch.load.max.toFixed(1)})`,
);

const floorOk = !values.quick || cpuRatio === null || cpuRatio <= QUICK_MAX_CPU_RATIO;
const result = {
  date: new Date().toISOString(),
  label,
  persons: given.persons,
  seed: given.seed,
  input,
  engine: values.tree ? resolve(values.tree) : root,
  machine: { cores: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
  rows_read: rowsRead,
  entities: runJson.entities,
  cases: runJson.cases,
  plain_read: {
    files: read.files,
    rows: read.rows,
    wall_ms: Math.round(plain.wallMs),
    read_ms: read.readMs,
    cpu_s: plain.cpuS,
    peak_rss_mb: plain.peakRssMb,
    load: plain.load,
  },
  batch: {
    wall_ms: Math.round(batch.wallMs),
    cpu_s: batch.cpuS,
    peak_rss_mb: batch.peakRssMb,
    load: batch.load,
    stages: stages.map((st) => ({
      stage: st.name,
      wall_ms: st.wallMs,
      cpu_ms: st.cpuMs,
      rows_per_s: st.rowsPerS,
      peak_rss_mb_at_end: st.peakRssMbAtEnd,
    })),
    substages_ms: Object.fromEntries(Object.entries(wall).filter(([k]) => k.includes(':'))),
  },
  load_1_5_15: { start: loadAtStart, end: loadavg().map((l) => Math.round(l * 100) / 100) },
  ratio: { wall: Math.round(wallRatio * 100) / 100, cpu: cpuRatio === null ? null : Math.round(cpuRatio * 100) / 100 },
  floor: values.quick ? { max_cpu_ratio: QUICK_MAX_CPU_RATIO, ok: floorOk } : null,
  seconds: Math.round((performance.now() - started) / 1000),
};
mkdirSync(values.out!, { recursive: true });
const outFile = join(values.out!, `pipeline-${label}.json`);
writeFileSync(outFile, JSON.stringify(result, null, 2) + '\n');
console.log(`→ ${outFile}`);
if (values.quick) {
  console.log(
    `gate: batch CPU ${cpuRatio?.toFixed(2) ?? '–'}× the plain read's (at most ${QUICK_MAX_CPU_RATIO}×): ` +
      (floorOk ? 'ok' : 'BELOW FLOOR'),
  );
  if (!floorOk) process.exitCode = 1;
}

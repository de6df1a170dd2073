/**
 * Bounded-memory benchmark (not a test): a large synthetic world run end to end by the CLI with
 * DuckDB's memory limit at 2 GB and Node's default heap. Reports wall time, peak RSS of the whole
 * process (DuckDB's native memory and the scoring worker threads included), the RSS peak seen in
 * each stage, per-stage timings from run.json, and whether the run completed. Writes
 * bench/results/memory-<date>.json.
 *
 *   npm run build && npx tsx bench/memory.ts [--persons 200000] [--seed 42] [--world DIR]
 *     [--workspace DIR] [--memory-limit 2GB] [--keep]
 *
 * --world reuses a generated world (or generates into DIR when it has none); by default the world
 * is cached in the temp folder by persons and seed. The workspace is fresh (deleted first).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../engine/paths.js';

const { values } = parseArgs({
  options: {
    persons: { type: 'string' },
    seed: { type: 'string' },
    world: { type: 'string' },
    workspace: { type: 'string' },
    'memory-limit': { type: 'string' },
    keep: { type: 'boolean' },
  },
});
const persons = Number(values.persons ?? 200_000);
const seed = Number(values.seed ?? 42);
const memoryLimit = values['memory-limit'] ?? '2GB';
const world = values.world ?? join(tmpdir(), `sangloc-memory-world-${persons}-${seed}`);
const workspace = values.workspace ?? join(tmpdir(), `sangloc-memory-ws-${process.pid}`);
const mainJs = join(packageRoot, 'dist', 'engine', 'cli', 'main.js');

// The CLI in a child, exactly as bin/sangloc.js runs it, reporting its own resource usage at exit
// (maxRSS covers the whole process: V8 heap, DuckDB buffers, worker threads).
const wrapper = `
const { writeSync } = require('node:fs');
const v8 = require('node:v8');
const heapLimit = v8.getHeapStatistics().heap_size_limit;
import(process.env.SANGLOC_MAIN).then(async ({ runCli }) => {
  const code = await runCli(JSON.parse(process.env.SANGLOC_ARGS));
  const u = process.resourceUsage();
  writeSync(3, JSON.stringify({ code, maxRssKb: u.maxRSS, userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000, heapLimit }));
  process.exit(code);
});
`;

interface Measured {
  code: number | null;
  signal: string | null;
  wallMs: number;
  maxRssKb: number | null;
  userMs: number | null;
  systemMs: number | null;
  heapLimitMb: number | null;
  /** Highest RSS sampled (every 200 ms from /proc) while each stage ran. */
  stagePeakRssMb: Record<string, number>;
  stderrTail: string[];
}

function readRssKb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

async function measure(args: string[]): Promise<Measured> {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', wrapper], {
    env: {
      ...process.env,
      TZ: 'Asia/Ho_Chi_Minh',
      SANGLOC_MAIN: new URL(`file://${mainJs}`).href,
      SANGLOC_ARGS: JSON.stringify(args),
    },
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  let stage = 'startup';
  const stagePeak: Record<string, number> = {};
  let stderr = '';
  let report = '';
  child.stdout!.on('data', (d) => process.stdout.write(d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    process.stderr.write(d);
    stderr += d;
    for (const m of d.matchAll(/sangloc: \[([a-z]+)\] …/g)) stage = m[1]!;
  });
  (child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8').on('data', (d: string) => (report += d));
  const timer = setInterval(() => {
    const kb = readRssKb(child.pid!);
    if (kb !== null) stagePeak[stage] = Math.max(stagePeak[stage] ?? 0, Math.round(kb / 1024));
  }, 200);
  const { code, signal } = await new Promise<{ code: number | null; signal: string | null }>((done) =>
    child.on('close', (code, signal) => done({ code, signal })),
  );
  clearInterval(timer);
  const r = report
    ? (JSON.parse(report) as { maxRssKb: number; userMs: number; systemMs: number; heapLimit: number })
    : null;
  return {
    code,
    signal,
    wallMs: Math.round(performance.now() - started),
    maxRssKb: r?.maxRssKb ?? null,
    userMs: r ? Math.round(r.userMs) : null,
    systemMs: r ? Math.round(r.systemMs) : null,
    heapLimitMb: r ? Math.round(r.heapLimit / 2 ** 20) : null,
    stagePeakRssMb: stagePeak,
    stderrTail: stderr.trim().split('\n').slice(-3),
  };
}

function folderBytes(dir: string): number {
  let n = 0;
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const st = statSync(join(dir, name));
    if (st.isFile()) n += st.size;
  }
  return n;
}

function worldMatches(dir: string): boolean {
  try {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    return m.persons === persons && m.seed === seed;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  if (!existsSync(mainJs)) throw new Error('dist/ is missing: run `npm run build` first');
  const mb = (kb: number | null) => (kb === null ? null : Math.round(kb / 1024));
  let generate: Measured | null = null;
  if (!worldMatches(world)) {
    process.stderr.write(`memory: generating ${persons.toLocaleString('en')} persons (seed ${seed}) into ${world}\n`);
    generate = await measure(['generate', '--persons', String(persons), '--seed', String(seed), '--out', world]);
    if (generate.code !== 0) throw new Error(`generate failed: ${generate.stderrTail.join(' ')}`);
  } else process.stderr.write(`memory: reusing the world in ${world}\n`);
  const manifest = JSON.parse(readFileSync(join(world, 'manifest.json'), 'utf8')) as {
    sources: Record<string, number>;
  };
  const rows = Object.values(manifest.sources).reduce((a, b) => a + b, 0);

  rmSync(workspace, { recursive: true, force: true });
  mkdirSync(workspace, { recursive: true });
  const config = join(workspace, '..', `sangloc-memory-config-${process.pid}.json`);
  writeFileSync(config, JSON.stringify({ memoryLimit }));
  process.stderr.write(
    `memory: run over ${rows.toLocaleString('en')} rows, memoryLimit ${memoryLimit}, default Node heap\n`,
  );
  const run = await measure(['run', '--input', world, '--workspace', workspace, '--config', config]);
  rmSync(config, { force: true });

  let runJson: Record<string, unknown> | null = null;
  try {
    runJson = JSON.parse(readFileSync(join(workspace, 'latest', 'run.json'), 'utf8'));
  } catch {
    /* the run did not publish */
  }
  const result = {
    benchmark: 'memory',
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      total_memory_gb: Math.round(totalmem() / 2 ** 30),
      load_average_at_end: loadavg().map((x) => Math.round(x * 100) / 100),
      node: process.version,
    },
    world: { persons, seed, rows, bytes: folderBytes(world), path: world },
    config: { memoryLimit, node_heap: 'default', heap_limit_mb: run.heapLimitMb },
    generate: generate && { wall_ms: generate.wallMs, peak_rss_mb: mb(generate.maxRssKb) },
    run: {
      completed: run.code === 0 && runJson !== null,
      exit_code: run.code,
      signal: run.signal,
      wall_ms: run.wallMs,
      cpu_user_ms: run.userMs,
      cpu_system_ms: run.systemMs,
      peak_rss_mb: mb(run.maxRssKb),
      stage_peak_rss_mb: run.stagePeakRssMb,
      timings_ms: runJson?.timings_ms ?? null,
      entities: runJson?.entities ?? null,
      cases: runJson?.cases ?? null,
      warehouse_mb: existsSync(join(workspace, 'warehouse.duckdb'))
        ? Math.round(statSync(join(workspace, 'warehouse.duckdb')).size / 2 ** 20)
        : null,
      stderr_tail: run.code === 0 ? undefined : run.stderrTail,
    },
  };
  const out = join(packageRoot, 'bench', 'results', `memory-${result.date.slice(0, 10)}.json`);
  mkdirSync(join(packageRoot, 'bench', 'results'), { recursive: true });
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  if (!values.keep) rmSync(workspace, { recursive: true, force: true });
  process.stdout.write(
    `\nmemory: ${result.run.completed ? 'completed' : 'FAILED'} in ${(run.wallMs / 1000).toFixed(1)} s, peak RSS ${result.run.peak_rss_mb} MB ` +
      `(memoryLimit ${memoryLimit}, heap limit ${run.heapLimitMb} MB), ${rows.toLocaleString('en')} rows\n` +
      `  per stage (ms): ${JSON.stringify(result.run.timings_ms)}\n  peak RSS by stage (MB): ${JSON.stringify(run.stagePeakRssMb)}\n  → ${out}\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`memory: ${(err as Error).message}\n`);
  process.exitCode = 1;
});

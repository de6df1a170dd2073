/**
 * The same world on three engines in one run (not a test): DuckDB, Spark local[2] and a loopback
 * standalone cluster (a master and two one-core workers on 127.0.0.1, started and stopped here).
 * Per engine: wall and CPU time of the whole process tree, rows/s per stage (run.json timings over
 * the rows read), peak resident memory of every process (sampled from /proc every 200 ms: the
 * engine's node, the spark-submit driver JVM and its Python, executors, master and workers).
 *
 *   npm run build && npm run setup:spark && npx tsx bench/spark.ts --persons 50000
 *   npx tsx bench/spark.ts --persons 300 --out /tmp/spark-bench        a quick look
 *
 * Writes <out>/spark-<persons>-<YYYY-MM-DD>.json and .md (default bench/results).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../engine/paths.js';
import { compareRunFile, comparedFiles } from '../engine/spark/compare.js';
import { startLoopbackCluster } from '../test/spark/helpers.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const persons = Number(arg('persons', '50000'));
const outDir = arg('out', join(packageRoot, 'bench', 'results'));
const work = join(packageRoot, 'bench', 'out', `spark-${persons}`);
const bin = join(packageRoot, 'bin', 'sangloc.js');
const TICK = 100; // clock ticks per second (Linux default)

interface Proc {
  name: string;
  peakRss: number;
  cpuTicks: number;
}

/** Every process below `root` (by /proc parent links), with its name, RSS and CPU ticks. */
function tree(root: number): Map<number, { name: string; rss: number; ticks: number }> {
  const parent = new Map<number, number>();
  const info = new Map<number, { name: string; rss: number; ticks: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const f = stat.slice(close + 2).split(' ');
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
      const main = cmd.find((c) => /^org\.apache\.spark\./.test(c)) ?? cmd.find((c) => /driver\.py$/.test(c));
      const name = main
        ? main.replace(/^org\.apache\.spark\.(deploy\.|executor\.)?/, '')
        : stat.slice(stat.indexOf('(') + 1, close);
      parent.set(Number(d), Number(f[1]));
      info.set(Number(d), { name, rss: Number(f[21]) * 4096, ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      /* gone */
    }
  }
  const out = new Map<number, { name: string; rss: number; ticks: number }>();
  for (const [pid, i] of info) {
    let p: number | undefined = pid;
    while (p && p !== root && p !== 1) p = parent.get(p);
    if (p === root) out.set(pid, i);
  }
  return out;
}

async function measured(args: string[], extraRoots: () => number[]) {
  const started = performance.now();
  const child = spawn(process.execPath, [bin, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, TZ: 'Asia/Ho_Chi_Minh' },
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const procs = new Map<number, Proc>();
  const sample = () => {
    for (const root of [child.pid!, ...extraRoots()]) {
      for (const [pid, i] of tree(root)) {
        const p = procs.get(pid) ?? {
          name: root === child.pid ? i.name : `cluster ${i.name}`,
          peakRss: 0,
          cpuTicks: 0,
        };
        p.peakRss = Math.max(p.peakRss, i.rss);
        p.cpuTicks = Math.max(p.cpuTicks, i.ticks);
        procs.set(pid, p);
      }
    }
  };
  const base = new Map([...extraRoots()].flatMap((r) => [...tree(r)].map(([pid, i]) => [pid, i.ticks] as const)));
  const timer = setInterval(sample, 200);
  const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? -1)));
  clearInterval(timer);
  if (code !== 0) throw new Error(`sangloc ${args.join(' ')} failed: ${stderr}`);
  for (const [pid, t] of base) {
    const p = procs.get(pid);
    if (p) p.cpuTicks -= t; // the cluster's JVMs were running before: count this run only
  }
  return { wallS: (performance.now() - started) / 1000, procs: [...procs.values()] };
}

async function main() {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const world = join(work, 'world');
  const g = spawn(
    process.execPath,
    [bin, 'generate', '--persons', String(persons), '--seed', '1', '--out', world, '--quiet'],
    { stdio: 'inherit' },
  );
  await new Promise((r) => g.on('close', r));
  const cluster = await startLoopbackCluster(2, 1, '1g');
  const config = join(work, 'cluster.json');
  writeFileSync(
    config,
    JSON.stringify({ engine: { sparkConf: { 'spark.executor.memory': '700m', 'spark.executor.cores': '1' } } }),
  );
  const runs: Array<{ engine: string; args: string[]; roots: () => number[] }> = [
    { engine: 'DuckDB', args: ['--engine', 'duckdb'], roots: () => [] },
    { engine: 'Spark local[2]', args: ['--engine', 'spark', '--spark-master', 'local[2]'], roots: () => [] },
    {
      engine: 'Spark loopback cluster (2 workers × 1 core)',
      args: ['--engine', 'spark', '--spark-master', cluster.url, '--config', config],
      roots: () => [cluster.master.pid!, ...cluster.workers.map((w) => w.pid!)],
    },
  ];
  const results = [];
  try {
    for (const r of runs) {
      const ws = join(work, `ws-${results.length}`);
      const m = await measured(['run', '--input', world, '--workspace', ws, '--quiet', ...r.args], r.roots);
      const runDir = join(ws, readlinkSync(join(ws, 'latest')));
      const runJson = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
      // the published files against DuckDB's (the first run): the same answer at this size too
      const duckDir = join(work, 'ws-0', readlinkSync(join(work, 'ws-0', 'latest')));
      const sameAsDuckDB = comparedFiles.every((f) => compareRunFile(duckDir, runDir, f).identical);
      const rows = Object.values(runJson.rows as Record<string, { read: number }>).reduce((n, s) => n + s.read, 0);
      results.push({
        engine: r.engine,
        rows,
        wallS: m.wallS,
        cpuS: m.procs.reduce((n, p) => n + p.cpuTicks, 0) / TICK,
        timings: runJson.timings_ms as Record<string, number>,
        procs: m.procs,
        sameAsDuckDB,
      });
      console.log(`${r.engine}: ${m.wallS.toFixed(1)} s wall, same files as DuckDB: ${sameAsDuckDB}`);
    }
  } finally {
    cluster.stop();
  }
  mkdirSync(outDir, { recursive: true });
  const day = new Date().toISOString().slice(0, 10);
  writeFileSync(join(outDir, `spark-${persons}-${day}.json`), JSON.stringify({ persons, results }, null, 2));
  const stages = ['ingest', 'staging', 'resolve', 'features', 'score', 'publish'];
  const fmt = (n: number) => n.toLocaleString('en', { maximumFractionDigits: 1 });
  const lines = [
    `# Spark benchmark, ${persons.toLocaleString('en')} persons (${fmt(results[0]!.rows)} rows read), ${day}`,
    '',
    `| engine | cases, members, rejects = DuckDB's | wall s | CPU s (all processes) | ${stages.map((s) => `${s} s (rows/s)`).join(' | ')} |`,
    `| --- | --- | ---: | ---: | ${stages.map(() => '---:').join(' | ')} |`,
    ...results.map(
      (r) =>
        `| ${r.engine} | ${r.sameAsDuckDB ? 'byte-identical' : 'DIFFERENT'} | ${fmt(r.wallS)} | ${fmt(r.cpuS)} | ` +
        stages
          .map((s) => (r.timings[s] ? `${fmt(r.timings[s] / 1000)} (${fmt(r.rows / (r.timings[s] / 1000))})` : '–'))
          .join(' | ') +
        ' |',
    ),
    '',
    '| engine | process | peak RSS MB | CPU s |',
    '| --- | --- | ---: | ---: |',
    ...results.flatMap((r) =>
      r.procs
        .filter((p) => p.peakRss > 20e6)
        .map((p) => `| ${r.engine} | ${p.name} | ${fmt(p.peakRss / 1e6)} | ${fmt(p.cpuTicks / TICK)} |`),
    ),
    '',
    `Produced by \`npx tsx bench/spark.ts --persons ${persons}\`; load average at the end ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}.`,
  ];
  writeFileSync(join(outDir, `spark-${persons}-${day}.md`), `${lines.join('\n')}\n`);
  console.log(lines.join('\n'));
}

await main();

/**
 * Forest benchmarks (not tests): ops/s ± relative margin of error, and ratios measured in the
 * same run against references — ml-random-forest (predict on the same model, training at a size
 * it can finish), one vs two worker threads, and scikit-learn through bench/sklearn_peer.py on
 * the same exported matrix.
 *
 *   npx tsx bench/forest.ts           full sizes (100k × 20 train, 1M predict; a few minutes)
 *   npx tsx bench/forest.ts --quick   small sizes, < 60 s; exits 1 when a ratio is under its floor
 *
 * Results go to bench/results/forest-{full,quick}.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Benchmark from 'benchmark';
import { RandomForestClassifier } from 'ml-random-forest';
import { compileForest, predictCompiled } from '../engine/score/forest/compile.js';
import { auc } from '../engine/score/forest/metrics.js';
import { importMlRandomForest } from '../engine/score/forest/ml-rf.js';
import { trainForest } from '../engine/score/forest/train.js';
import { createScorePool, predictParallel } from '../engine/workers/pool.js';
import { makeClassification, type SyntheticData } from './lib/data.js';

const quick = process.argv.includes('--quick');
const here = dirname(fileURLToPath(import.meta.url));

const sizes = quick
  ? { train: 20_000, predict: 200_000, threadRows: 300_000, mlPredictModelRows: 300, mlTrainRows: 200, mlTrees: 20, mlPredictRows: 5_000 }
  : { train: 100_000, predict: 1_000_000, threadRows: 1_000_000, mlPredictModelRows: 1_000, mlTrainRows: 500, mlTrees: 50, mlPredictRows: 20_000 };
const D = 20;
const TREES = 50;
const DEPTH = 10;
const SEED = 42;
const floors = { mlPredictRatio: 3, threadRatio: 1.4 };

interface Measured {
  name: string;
  hz: number;
  rme: number;
  samples: number;
  meanMs: number;
}

function describeBench(b: Benchmark): Measured {
  return { name: String(b.name), hz: b.hz, rme: b.stats.rme, samples: b.stats.sample.length, meanMs: b.stats.mean * 1000 };
}

function show(m: Measured): void {
  const hz = m.hz >= 100 ? m.hz.toFixed(0) : m.hz >= 1 ? m.hz.toFixed(2) : m.hz.toFixed(4);
  console.log(`  ${m.name.padEnd(52)} ${hz.padStart(10)} ops/s ±${m.rme.toFixed(1)}%  (${m.samples} runs, ${m.meanMs.toFixed(1)} ms/op)`);
}

/** Runs benchmarks one after another (never concurrently) and returns their figures. */
async function suite(title: string, cases: { name: string; fn: () => unknown; defer?: boolean; heavy?: boolean }[]): Promise<Measured[]> {
  console.log(`\n${title}`);
  const results: Measured[] = [];
  for (const c of cases) {
    const options: Benchmark.Options = c.heavy ? { minSamples: 2, maxTime: 1, initCount: 1 } : { minSamples: 5, maxTime: quick ? 1 : 4 };
    const bench = c.defer
      ? new Benchmark(c.name, {
          ...options,
          defer: true,
          fn: (deferred: { resolve(): void }) => void (c.fn() as Promise<unknown>).then(() => deferred.resolve()),
        })
      : new Benchmark(c.name, { ...options, fn: c.fn });
    await new Promise<void>((resolve, reject) => {
      bench.on('complete', () => resolve());
      bench.on('error', (e: { target: { error: unknown } }) => reject(e.target.error));
      bench.run({ async: true });
    });
    const m = describeBench(bench);
    show(m);
    results.push(m);
  }
  return results;
}

const toRows = (data: SyntheticData, limit = data.rows): number[][] =>
  Array.from({ length: Math.min(limit, data.rows) }, (_, i) => Array.from(data.X.subarray(i * data.features, (i + 1) * data.features)));

function findPython(): string | null {
  for (const py of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(py, ['-c', 'import sklearn, numpy'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return null;
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(`forest bench (${quick ? 'quick' : 'full'}) — node ${process.version}, ${cpus().length} cpus, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const train = makeClassification({ rows: sizes.train, features: D, seed: 1 });
  const test = makeClassification({ rows: sizes.predict, features: D, seed: 2 });
  const opts = { trees: TREES, maxDepth: DEPTH, minSamplesLeaf: 1, maxFeatures: 'sqrt' as const, bins: 256, seed: SEED, bootstrap: true };

  // 1. Our trainer and predictor at the target sizes.
  const forest = trainForest(train.X, train.y, opts);
  const cf = compileForest(forest);
  const ours = await suite(`sangloc forest: train ${sizes.train}×${D}, ${TREES} trees depth ${DEPTH}; predict ${sizes.predict} rows`, [
    { name: `trainForest ${sizes.train}×${D}`, fn: () => trainForest(train.X, train.y, opts), heavy: true },
    { name: `predictCompiled ${sizes.predict} rows (1 thread)`, fn: () => predictCompiled(cf, test.X), heavy: true },
  ]);
  const ourAuc = auc(predictCompiled(cf, test.X), test.y);
  // CPU time of one run each: on a shared machine wall time also counts other people's work.
  const cpuMs = (fn: () => unknown) => {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  const ourCpu = { trainMs: cpuMs(() => trainForest(train.X, train.y, opts)), predictMs: cpuMs(() => predictCompiled(cf, test.X)) };
  console.log(`  test AUC ${ourAuc.toFixed(4)}; CPU time of one run: train ${(ourCpu.trainMs / 1000).toFixed(2)} s, predict ${(ourCpu.predictMs / 1000).toFixed(2)} s`);

  // 2. ml-random-forest: predict on the same model, and training at a size it can finish.
  const mlModelData = makeClassification({ rows: sizes.mlPredictModelRows, features: D, seed: 3 });
  const mlOptions = { nEstimators: sizes.mlTrees, seed: SEED, treeOptions: { maxDepth: DEPTH } };
  const mlTrainStart = performance.now();
  const mlrf = new RandomForestClassifier(mlOptions);
  mlrf.train(toRows(mlModelData), Array.from(mlModelData.y));
  console.log(`\nml-random-forest model: ${sizes.mlPredictModelRows} rows, ${sizes.mlTrees} trees, trained in ${((performance.now() - mlTrainStart) / 1000).toFixed(1)} s`);
  const mlCf = importMlRandomForest(mlrf.toJSON(), { nFeatures: D });
  const mlRowsX = test.X.subarray(0, sizes.mlPredictRows * D);
  const mlRows = toRows(test, sizes.mlPredictRows);
  const identical = predictCompiled(mlCf, mlRowsX).every((v, i) => v === mlrf.predict([mlRows[i]!])[0]);
  const mlPredict = await suite(`predict ${sizes.mlPredictRows} rows with the same ml-random-forest model (identical labels: ${identical})`, [
    { name: 'ml-random-forest predict', fn: () => mlrf.predict(mlRows) },
    { name: 'predictCompiled (imported, vote)', fn: () => predictCompiled(mlCf, mlRowsX) },
  ]);
  const mlPredictRatio = mlPredict[1]!.hz / mlPredict[0]!.hz;
  console.log(`  ratio compiled / ml-random-forest: ${mlPredictRatio.toFixed(1)}×`);

  const mlTrainData = makeClassification({ rows: sizes.mlTrainRows, features: D, seed: 4 });
  const mlTrainRows = toRows(mlTrainData);
  const mlTrain = await suite(`train on ${sizes.mlTrainRows} rows × ${D}, ${sizes.mlTrees} trees depth ${DEPTH}`, [
    { name: 'ml-random-forest train', fn: () => new RandomForestClassifier(mlOptions).train(mlTrainRows, Array.from(mlTrainData.y)), heavy: true },
    { name: 'trainForest', fn: () => trainForest(mlTrainData.X, mlTrainData.y, { ...opts, trees: sizes.mlTrees }) },
  ]);
  const mlTrainRatio = mlTrain[1]!.hz / mlTrain[0]!.hz;
  console.log(`  ratio trainForest / ml-random-forest: ${mlTrainRatio.toFixed(1)}×`);

  // 3. One vs two worker threads (the workers run dist/; build first).
  const threadData = sizes.threadRows === sizes.predict ? test : makeClassification({ rows: sizes.threadRows, features: D, seed: 5 });
  const one = createScorePool({ threads: 1 });
  const two = createScorePool({ threads: 2 });
  await predictParallel(one, cf, threadData.X.subarray(0, 10_000 * D));
  await predictParallel(two, cf, threadData.X.subarray(0, 10_000 * D));
  const measureThreads = async (attempt: number) => {
    const runs = await suite(`predictParallel ${sizes.threadRows} rows${attempt > 1 ? ` (attempt ${attempt})` : ''}`, [
      { name: 'pool, 1 thread', fn: () => predictParallel(one, cf, threadData.X), defer: true, heavy: !quick },
      { name: 'pool, 2 threads', fn: () => predictParallel(two, cf, threadData.X), defer: true, heavy: !quick },
    ]);
    return { runs, ratio: runs[1]!.hz / runs[0]!.hz, load: loadavg()[0]! };
  };
  // Other work on the machine steals cores from the two threads; one retry, keeping the better.
  const attempts = [await measureThreads(1)];
  if (attempts[0]!.ratio < floors.threadRatio) attempts.push(await measureThreads(2));
  // process.cpuUsage counts worker threads too: equal CPU for 1 and 2 threads means splitting adds no work.
  const cpuOfRun = async (pool: typeof one) => {
    const c0 = process.cpuUsage();
    await predictParallel(pool, cf, threadData.X);
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  const threadCpu = { oneThreadMs: await cpuOfRun(one), twoThreadsMs: await cpuOfRun(two) };
  console.log(`  CPU time of one run (all threads): 1 thread ${(threadCpu.oneThreadMs / 1000).toFixed(2)} s, 2 threads ${(threadCpu.twoThreadsMs / 1000).toFixed(2)} s`);
  await one.destroy();
  await two.destroy();
  const threads = attempts.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  const threadRatio = threads.ratio;
  console.log(`  ratio 2 threads / 1 thread: ${attempts.map((a) => `${a.ratio.toFixed(2)}× (load ${a.load.toFixed(1)})`).join(', ')}`);
  if (threads.load > cpus().length) console.log(`  note: load average ${threads.load.toFixed(1)} > ${cpus().length} cpus — other processes hold the cores, thread scaling is understated`);

  // 4. scikit-learn on the same matrices (single runs: fit once, predict once).
  let sklearn: Record<string, unknown> | null = null;
  const python = findPython();
  const trainMs = ours[0]!.meanMs;
  const predictMs = ours[1]!.meanMs;
  if (!python) {
    console.log('\nscikit-learn peer skipped: no python3 with sklearn and numpy (apt-get install -y python3-sklearn)');
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'sangloc-forest-bench-'));
    try {
      const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      writeFileSync(join(dir, 'meta.json'), JSON.stringify({ n_train: train.rows, n_test: test.rows, d: D }));
      writeFileSync(join(dir, 'train_X.f64'), bytes(train.X));
      writeFileSync(join(dir, 'train_y.u8'), bytes(train.y));
      writeFileSync(join(dir, 'test_X.f64'), bytes(test.X));
      writeFileSync(join(dir, 'test_y.u8'), bytes(test.y));
      const out = execFileSync(python, [join(here, 'sklearn_peer.py'), dir, String(TREES), String(DEPTH), String(SEED)], { encoding: 'utf8' });
      sklearn = JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
      const fitS = sklearn.fit_s as number;
      const predS = sklearn.predict_s as number;
      const skAuc = sklearn.auc as number;
      console.log(`\nscikit-learn ${String(sklearn.sklearn)} RandomForestClassifier (n_jobs=1, ${TREES} trees, depth ${DEPTH}, sqrt features) on the same data`);
      console.log(`  ${'what'.padEnd(30)} ${'sangloc'.padStart(10)} ${'sklearn'.padStart(10)}  ratio`);
      console.log(`  ${`fit ${train.rows}×${D} (s)`.padEnd(30)} ${(trainMs / 1000).toFixed(2).padStart(10)} ${fitS.toFixed(2).padStart(10)}  ${(fitS / (trainMs / 1000)).toFixed(2)}× faster`);
      console.log(`  ${`predict ${test.rows} rows (s)`.padEnd(30)} ${(predictMs / 1000).toFixed(2).padStart(10)} ${predS.toFixed(2).padStart(10)}  ${(predS / (predictMs / 1000)).toFixed(2)}× faster`);
      const fitCpu = sklearn.fit_cpu_s as number;
      const predCpu = sklearn.predict_cpu_s as number;
      console.log(`  ${`fit CPU time (s)`.padEnd(30)} ${(ourCpu.trainMs / 1000).toFixed(2).padStart(10)} ${fitCpu.toFixed(2).padStart(10)}  ${(fitCpu / (ourCpu.trainMs / 1000)).toFixed(2)}× less`);
      console.log(`  ${`predict CPU time (s)`.padEnd(30)} ${(ourCpu.predictMs / 1000).toFixed(2).padStart(10)} ${predCpu.toFixed(2).padStart(10)}  ${(predCpu / (ourCpu.predictMs / 1000)).toFixed(2)}× less`);
      console.log(`  ${'test AUC'.padEnd(30)} ${ourAuc.toFixed(4).padStart(10)} ${skAuc.toFixed(4).padStart(10)}  Δ ${(ourAuc - skAuc).toFixed(4)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const failures: string[] = [];
  if (mlPredictRatio < floors.mlPredictRatio) failures.push(`compiled vs ml-random-forest predict ${mlPredictRatio.toFixed(2)}× < ${floors.mlPredictRatio}×`);
  if (threadRatio < floors.threadRatio) failures.push(`2 threads vs 1 ${threadRatio.toFixed(2)}× < ${floors.threadRatio}×`);

  const results = {
    bench: 'forest',
    mode: quick ? 'quick' : 'full',
    node: process.version,
    cpus: cpus().length,
    loadAverage: loadavg(),
    sizes,
    model: { trees: TREES, maxDepth: DEPTH, features: D, seed: SEED },
    ours: { train: ours[0], predict: ours[1], cpu: ourCpu, testAuc: ourAuc },
    mlRandomForest: { predict: mlPredict, predictRatio: mlPredictRatio, identicalLabels: identical, train: mlTrain, trainRatio: mlTrainRatio },
    threads: { attempts, ratio: threadRatio, cpu: threadCpu },
    sklearn,
    floors,
    failures,
    seconds: (performance.now() - started) / 1000,
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  const file = join(here, 'results', `forest-${results.mode}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(`\n${failures.length === 0 ? 'ok' : `BELOW FLOOR: ${failures.join('; ')}`} — ${results.seconds.toFixed(1)} s; results in ${file}`);
  if (quick && failures.length > 0) process.exitCode = 1;
}

await main();

/**
 * A piscina pool for the scoring core, and the parallel forms of its heavy calls. Work is split
 * into contiguous row (or tree) ranges and reassembled in order, so results are identical to the
 * single-threaded functions whatever the thread count.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TransferListItem } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { SanglocError } from '../errors.js';
import { packageRoot } from '../paths.js';
import { rowCount } from '../score/forest/compile.js';
import {
  assembleForest,
  matrixShape,
  quantise,
  validateTrainOptions,
  defaultTrainOptions,
} from '../score/forest/train.js';
import type { CompiledForest, FeatureMatrix, Forest, ForestTree, TrainOptions } from '../score/forest/types.js';
import type { PredictTask, ScoreTask, TrainTreesTask } from './worker.js';

/** A running pool; call `destroy()` when done so the process can exit. */
export interface ScorePool {
  readonly threads: number;
  run<R>(task: ScoreTask, transferList?: TransferListItem[]): Promise<R>;
  destroy(): Promise<void>;
}

/**
 * The compiled worker file. Workers always run JavaScript: next to this file when it is itself
 * compiled (dist/), or dist/engine/workers/worker.js when running from TypeScript sources (tests,
 * tsx), which `npm run build` produces.
 */
export function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  const file = here.endsWith('.js')
    ? join(dirname(here), 'worker.js')
    : join(packageRoot, 'dist', 'engine', 'workers', 'worker.js');
  if (!existsSync(file)) throw new SanglocError(`worker file ${file} is missing: run \`npm run build\` first`);
  return file;
}

/**
 * Starts a pool of `threads` worker threads (kept alive until destroyed). `filename` replaces the
 * worker file (benchmarks wrap the worker to time each task).
 *
 * @example
 * const pool = createScorePool({ threads: 2 });
 * const scores = await predictParallel(pool, cf, X);
 * await pool.destroy();
 */
export function createScorePool(opts: { threads: number; filename?: string }): ScorePool {
  const threads = opts.threads;
  if (!(Number.isInteger(threads) && threads >= 1))
    throw new RangeError(`threads must be a positive integer, got ${threads}`);
  const filename = opts.filename ?? workerFile();
  const piscina = new Piscina({ filename, minThreads: threads, maxThreads: threads, idleTimeout: 60_000 });
  return {
    threads,
    run: <R>(task: ScoreTask, transferList?: TransferListItem[]) =>
      piscina.run(task, transferList ? { transferList } : undefined) as Promise<R>,
    destroy: () => piscina.destroy(),
  };
}

/** Contiguous [start, end) ranges covering 0..n in `parts` nearly equal pieces. */
export function splitRange(n: number, parts: number): [number, number][] {
  const k = Math.max(1, Math.min(parts, n));
  const out: [number, number][] = [];
  for (let i = 0; i < k; i++) out.push([Math.floor((i * n) / k), Math.floor(((i + 1) * n) / k)]);
  return out.filter(([a, b]) => b > a);
}

/**
 * predictCompiled over a pool: rows are cut into contiguous chunks (four per thread, so copying
 * the next chunk overlaps scoring the previous and a thread slowed by other load takes fewer
 * chunks), each chunk's rows are copied and transferred
 * to a worker, and each result is written at its offset of one output. Identical to
 * predictCompiled(cf, X) bit for bit.
 *
 * @example
 * const scores = await predictParallel(pool, cf, rowMajorX, 2);
 */
export async function predictParallel(
  pool: ScorePool,
  cf: CompiledForest,
  X: FeatureMatrix,
  nThreads = pool.threads,
): Promise<Float64Array> {
  const n = rowCount(X, cf.nFeatures);
  const out = new Float64Array(n);
  const minChunk = 2048;
  const parts = Math.max(1, Math.min(nThreads * 4, Math.ceil(n / minChunk)));
  const d = cf.nFeatures;
  await Promise.all(
    splitRange(n, parts).map(async ([a, b]) => {
      const chunk: FeatureMatrix = Array.isArray(X) ? X.map((c) => c.slice(a, b)) : X.slice(a * d, b * d);
      const transfer = (Array.isArray(chunk) ? chunk : [chunk]).map((c) => c.buffer as ArrayBuffer);
      const task: PredictTask = { op: 'predict', cf, X: chunk };
      const scores = await pool.run<Float64Array>(task, transfer);
      out.set(scores, a);
    }),
  );
  return out;
}

/**
 * trainForest over a pool: features are quantised once here, then contiguous ranges of trees
 * are trained in workers. Tree i depends only on (seed, i), so the forest equals trainForest's.
 *
 * @example
 * const forest = await trainForestParallel(pool, columns, y, { trees: 50, seed: 42 });
 */
export async function trainForestParallel(
  pool: ScorePool,
  X: FeatureMatrix,
  y: Uint8Array,
  opts: Partial<TrainOptions> & { seed: number },
  nThreads = pool.threads,
): Promise<Forest> {
  const options: TrainOptions = { ...defaultTrainOptions, ...opts };
  const { nRows, nFeatures } = matrixShape(X, y.length);
  validateTrainOptions(options, nRows, nFeatures);
  const binned = quantise(X, options.bins, nRows);
  const { sampleWeight, ...plain } = options;
  const ranges = splitRange(options.trees, nThreads);
  const parts = await Promise.all(
    ranges.map(([from, to]) => {
      const task: TrainTreesTask = {
        op: 'trainTrees',
        binned,
        y,
        sampleWeight: sampleWeight ?? null,
        options: plain as TrainOptions,
        from,
        to,
      };
      return pool.run<ForestTree[]>(task);
    }),
  );
  return assembleForest(binned, y, options, parts.flat());
}

/**
 * What a shared machine offers right now, for the thread-scaling check: two plain worker threads
 * spin for a fixed wall time and the process CPU time they got tells how many cores were free
 * (2.0 on an idle 2-core machine, ~1 when another process holds a core, < 1 when the machine is
 * oversubscribed). Measured right before each 1-vs-2-thread pair, so the pool's speedup can be
 * judged against what the machine offered in the same moment.
 */
import { Worker } from 'node:worker_threads';

const spinner = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (ms) => {
  const end = performance.now() + ms;
  let x = 0;
  while (performance.now() < end) for (let i = 0; i < 10000; i++) x += Math.sqrt(i + x);
  parentPort.postMessage(x > 0 ? 1 : 0);
});`;

export interface Calibrator {
  /** Cores the machine gave two busy threads over `ms` of wall time (0–threads). */
  offeredCores(ms: number): Promise<number>;
  destroy(): Promise<void>;
}

/**
 * Starts `threads` idle spinner threads (kept until destroyed).
 *
 * @example
 * const cal = createCalibrator(2);
 * const cores = await cal.offeredCores(300); // ≈ 2 on an idle 2-core machine
 * await cal.destroy();
 */
export function createCalibrator(threads = 2): Calibrator {
  const workers = Array.from({ length: threads }, () => new Worker(spinner, { eval: true }));
  const once = (w: Worker) => new Promise<void>((resolve) => w.once('message', () => resolve()));
  return {
    async offeredCores(ms) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const done = workers.map(once);
      for (const w of workers) w.postMessage(ms);
      await Promise.all(done);
      const wall = performance.now() - t0;
      const c = process.cpuUsage(c0);
      return (c.user + c.system) / 1000 / wall;
    },
    async destroy() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

export interface ThreadPair {
  /** Cores the calibrator got just before the pair. */
  offered: number;
  wall1Ms: number;
  wall2Ms: number;
  cpu1Ms: number;
  cpu2Ms: number;
  /** wall1 / wall2. */
  speedup: number;
  /** The same split on plain worker threads, 1 / 2 (what the machine itself gave at that moment). */
  plainSpeedup: number;
}

export interface ThreadVerdict {
  ok: boolean;
  failures: string[];
  /** Median over pairs of 2-thread CPU / 1-thread CPU. */
  cpuOverhead: number;
  /** Best wall speedup over all pairs, and over pairs measured while ≥ freeCores were offered (printed, not asserted). */
  bestSpeedup: number;
  freeSpeedup: number;
  freePlainSpeedup: number;
  freePairs: number;
}

/**
 * Judges the 2-thread pool on what a correct pool always shows, whatever the machine's load: it
 * keeps two tasks in flight on two threads (`flight`, from worker-side timestamps), and splitting
 * adds little CPU time (median 2-thread / 1-thread CPU over the pairs ≤ `cpuOverheadCeiling`). The
 * wall speedup depends on the cores the neighbours leave us, so it is reported, not judged: a 1.3×
 * floor on it failed good builds here (1.14× and 1.39× in two CI runs).
 *
 * @example judgeThreadPairs([{ offered: 1.95, wall1Ms: 100, wall2Ms: 55, cpu1Ms: 100, cpu2Ms: 104, speedup: 1.82, plainSpeedup: 1.9 }], { freeCores: 1.7, cpuOverheadCeiling: 1.3, inFlightFloor: 1.8, flight: { concurrency: 1.97, threads: 2 } }).ok // true
 */
export function judgeThreadPairs(
  pairs: readonly ThreadPair[],
  opts: {
    freeCores: number;
    cpuOverheadCeiling: number;
    inFlightFloor: number;
    flight: { concurrency: number; threads: number };
  },
): ThreadVerdict {
  const best = (xs: number[]) => xs.reduce((m, x) => Math.max(m, x), 0);
  const free = pairs.filter((p) => p.offered >= opts.freeCores);
  const ratios = pairs.map((p) => p.cpu2Ms / p.cpu1Ms).sort((a, b) => a - b);
  const mid = ratios.length >> 1;
  const cpuOverhead =
    ratios.length === 0 ? Infinity : ratios.length % 2 ? ratios[mid]! : (ratios[mid - 1]! + ratios[mid]!) / 2;
  const failures: string[] = [];
  if (opts.flight.threads < 2 || opts.flight.concurrency < opts.inFlightFloor) {
    failures.push(
      `the 2-thread pool kept ${opts.flight.concurrency.toFixed(2)} tasks in flight on ${opts.flight.threads} thread(s) (floor ${opts.inFlightFloor} on 2)`,
    );
  }
  if (!(cpuOverhead <= opts.cpuOverheadCeiling))
    failures.push(`2 threads use ${cpuOverhead.toFixed(2)}× the CPU time of 1 thread > ${opts.cpuOverheadCeiling}`);
  return {
    ok: failures.length === 0,
    failures,
    cpuOverhead,
    bestSpeedup: best(pairs.map((p) => p.speedup)),
    freeSpeedup: best(free.map((p) => p.speedup)),
    freePlainSpeedup: best(free.map((p) => p.plainSpeedup)),
    freePairs: free.length,
  };
}

/** When each task of a batch ran, on which thread (bench/lib/timed-worker.ts). */
export interface TaskSpan {
  start: number;
  end: number;
  thread: number;
}

/**
 * How many tasks a pool kept in flight at once over a batch: busy time summed over tasks divided
 * by the span from the first start to the last end, and how many threads took part. A pool that
 * hands work to both threads reaches ~2 whatever the machine's load (each thread holds a task even
 * while the OS lets it wait for a core); one that serialises its tasks stays at ~1.
 *
 * @example inFlight([{ start: 0, end: 10, thread: 1 }, { start: 1, end: 10, thread: 2 }]) // { concurrency: 1.9, threads: 2 }
 */
export function inFlight(spans: readonly TaskSpan[]): { concurrency: number; threads: number } {
  if (spans.length === 0) return { concurrency: 0, threads: 0 };
  const first = Math.min(...spans.map((s) => s.start));
  const last = Math.max(...spans.map((s) => s.end));
  const busy = spans.reduce((t, s) => t + (s.end - s.start), 0);
  return { concurrency: last > first ? busy / (last - first) : 0, threads: new Set(spans.map((s) => s.thread)).size };
}

const plainPredictor = `
const { parentPort } = require('node:worker_threads');
let predictCompiled;
parentPort.on('message', async ({ compileJs, cf, X }) => {
  if (!predictCompiled) predictCompiled = (await import(compileJs)).predictCompiled;
  const t0 = performance.now();
  predictCompiled(cf, X);
  parentPort.postMessage(performance.now() - t0);
});`;

export interface PlainThreads {
  /** Wall ms for `threads` plain worker threads each scoring an equal contiguous share of the rows. */
  predict(cf: unknown, X: Float64Array, nFeatures: number): Promise<number>;
  destroy(): Promise<void>;
}

/**
 * The reference for the pool: the same predict work split over plain `worker_threads` (no pool, no
 * queue, one message each), so a gap between pool and plain threads is the pool's, and a gap
 * shared by both is the machine's.
 *
 * @example
 * const plain = createPlainThreads(2, '/abs/dist/engine/score/forest/compile.js');
 * const ms = await plain.predict(cf, X, 20);
 */
export function createPlainThreads(threads: number, compileJs: string): PlainThreads {
  const workers = Array.from({ length: threads }, () => new Worker(plainPredictor, { eval: true }));
  const once = (w: Worker) => new Promise<void>((resolve) => w.once('message', () => resolve()));
  return {
    async predict(cf, X, d) {
      const n = X.length / d;
      const t0 = performance.now();
      const done = workers.map(once);
      workers.forEach((w, i) => {
        const a = Math.floor((i * n) / threads);
        const b = Math.floor(((i + 1) * n) / threads);
        const part = X.slice(a * d, b * d);
        w.postMessage({ compileJs, cf, X: part }, [part.buffer]);
      });
      await Promise.all(done);
      return performance.now() - t0;
    },
    async destroy() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

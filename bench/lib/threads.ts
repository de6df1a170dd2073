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
}

export interface ThreadVerdict {
  /** 'speedup' when some pair ran on a machine that offered ≥ freeCores; else 'cpu-overhead'. */
  asserted: 'speedup' | 'cpu-overhead';
  /** The figure compared with the floor: best speedup among free pairs, or the median CPU overhead. */
  value: number;
  floor: number;
  ok: boolean;
  /** Best speedup over all pairs, free or not (printed either way). */
  bestSpeedup: number;
  freePairs: number;
}

/**
 * Judges 1-vs-2-thread pairs: the wall-time speedup is asserted only on pairs measured while the
 * machine offered at least `freeCores` (the best such pair must reach `speedupFloor`); when other
 * processes held the cores during every pair, speedup cannot be observed, and the check falls back
 * to what can: splitting the work over two threads must not add more than `cpuOverheadCeiling`
 * CPU time (2-thread CPU / 1-thread CPU, median over the pairs).
 *
 * @example judgeThreadPairs([{ offered: 1.95, wall1Ms: 100, wall2Ms: 55, cpu1Ms: 100, cpu2Ms: 104, speedup: 1.82 }], { speedupFloor: 1.3, freeCores: 1.7, cpuOverheadCeiling: 1.3 }).ok // true
 */
export function judgeThreadPairs(pairs: readonly ThreadPair[], opts: { speedupFloor: number; freeCores: number; cpuOverheadCeiling: number }): ThreadVerdict {
  const bestSpeedup = pairs.reduce((m, p) => Math.max(m, p.speedup), 0);
  const free = pairs.filter((p) => p.offered >= opts.freeCores);
  if (free.length > 0) {
    const value = free.reduce((m, p) => Math.max(m, p.speedup), 0);
    return { asserted: 'speedup', value, floor: opts.speedupFloor, ok: value >= opts.speedupFloor, bestSpeedup, freePairs: free.length };
  }
  const ratios = pairs.map((p) => p.cpu2Ms / p.cpu1Ms).sort((a, b) => a - b);
  const mid = ratios.length >> 1;
  const value = ratios.length === 0 ? Infinity : ratios.length % 2 ? ratios[mid]! : (ratios[mid - 1]! + ratios[mid]!) / 2;
  return { asserted: 'cpu-overhead', value, floor: opts.cpuOverheadCeiling, ok: value <= opts.cpuOverheadCeiling, bestSpeedup, freePairs: 0 };
}

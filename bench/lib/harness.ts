/**
 * The benchmark.js harness shared by the suites: runs cases one after another (never
 * concurrently), prints ops/s ± relative margin of error, and returns the figures for ratios
 * measured in the same run.
 */
import Benchmark from 'benchmark';

export interface Measured {
  name: string;
  /** Operations per second (mean). */
  hz: number;
  /** Relative margin of error, percent. */
  rme: number;
  samples: number;
  meanMs: number;
  /** Fastest single sample, ms (the least disturbed run on a shared machine). */
  minMs: number;
}

export interface BenchCase {
  name: string;
  fn: () => unknown;
  /** `fn` returns a promise. */
  defer?: boolean;
  /** Seconds-long operation: two samples are enough. */
  heavy?: boolean;
}

function describeBench(b: Benchmark): Measured {
  const sample = b.stats.sample;
  return {
    name: String(b.name),
    hz: b.hz,
    rme: b.stats.rme,
    samples: sample.length,
    meanMs: b.stats.mean * 1000,
    minMs: sample.length ? Math.min(...sample) * 1000 : b.stats.mean * 1000,
  };
}

/**
 * One line of figures: name, ops/s ± rme, runs and ms per op (`extra` appended, e.g. entities/s).
 *
 * @example show({ name: 'x', hz: 2, rme: 1.5, samples: 5, meanMs: 500, minMs: 490 })
 */
export function show(m: Measured, extra = ''): void {
  const hz = m.hz >= 100 ? m.hz.toFixed(0) : m.hz >= 1 ? m.hz.toFixed(2) : m.hz.toFixed(4);
  console.log(
    `  ${m.name.padEnd(52)} ${hz.padStart(10)} ops/s ±${m.rme.toFixed(1)}%  (${m.samples} runs, ${m.meanMs.toFixed(1)} ms/op)${extra}`,
  );
}

/**
 * Runs benchmark cases one after another and prints each.
 *
 * @example const [a, b] = await suite('predict', [{ name: 'ref', fn: ref }, { name: 'ours', fn: ours }], { maxTime: 1 });
 */
export async function suite(
  title: string,
  cases: BenchCase[],
  opts: { maxTime: number; extra?: (m: Measured) => string },
): Promise<Measured[]> {
  if (title) console.log(`\n${title}`);
  const results: Measured[] = [];
  for (const c of cases) {
    const options: Benchmark.Options = c.heavy
      ? { minSamples: 2, maxTime: 1, initCount: 1 }
      : { minSamples: 5, maxTime: opts.maxTime };
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
    show(m, opts.extra?.(m) ?? '');
    results.push(m);
  }
  return results;
}

/**
 * CPU time (user + system, all threads of this process) of one call, ms.
 *
 * @example const ms = cpuMs(() => work());
 */
export function cpuMs(fn: () => unknown): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

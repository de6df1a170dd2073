/**
 * Pure helpers of the scale benchmark (bench/scale.ts): the log–log fit of time against rows,
 * projections from that fit, and the parsers for what a child run leaves behind (GNU time's
 * report, the stage lines on stderr). No I/O here, so they are tested in test/bench/.
 */

export interface PowerLawFit {
  /** b in y = a · x^b (the scaling exponent: 1 = linear). */
  exponent: number;
  /** a in y = a · x^b. */
  coefficient: number;
  /** Coefficient of determination of the fit on the log–log scale (1 when there are two points). */
  r2: number;
  /** Points the fit used (only x > 0 and y > 0 count). */
  points: number;
}

/**
 * Least-squares fit of ln y = ln a + b ln x, i.e. y = a · x^b. Needs two points with x, y > 0
 * and distinct x; returns null otherwise.
 *
 * @example fitPowerLaw([1e3, 1e4, 1e5], [2, 20, 200]) // { exponent: 1, coefficient: 0.002, r2: 1, points: 3 }
 */
export function fitPowerLaw(xs: readonly number[], ys: readonly number[]): PowerLawFit | null {
  const lx: number[] = [];
  const ly: number[] = [];
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    if (xs[i]! > 0 && ys[i]! > 0 && Number.isFinite(xs[i]!) && Number.isFinite(ys[i]!)) {
      lx.push(Math.log(xs[i]!));
      ly.push(Math.log(ys[i]!));
    }
  }
  const n = lx.length;
  if (n < 2) return null;
  const mx = lx.reduce((s, v) => s + v, 0) / n;
  const my = ly.reduce((s, v) => s + v, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (lx[i]! - mx) ** 2;
    sxy += (lx[i]! - mx) * (ly[i]! - my);
    syy += (ly[i]! - my) ** 2;
  }
  if (sxx === 0) return null;
  const b = sxy / sxx;
  const lnA = my - b * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ly[i]! - (lnA + b * lx[i]!)) ** 2;
  const r2 = syy === 0 ? 1 : 1 - sse / syy;
  return { exponent: b, coefficient: Math.exp(lnA), r2, points: n };
}

/**
 * y = a · x^b at a new x.
 *
 * @example project({ exponent: 1, coefficient: 0.002, r2: 1, points: 3 }, 1e6) // 2000
 */
export function project(fit: PowerLawFit, x: number): number {
  return fit.coefficient * x ** fit.exponent;
}

/**
 * The largest x for which the fit stays within `budget` (the inverse of `project`).
 *
 * @example rowsWithin({ exponent: 1, coefficient: 0.002, r2: 1, points: 3 }, 3600) // 1_800_000
 */
export function rowsWithin(fit: PowerLawFit, budget: number): number {
  return (budget / fit.coefficient) ** (1 / fit.exponent);
}

/** What GNU `time -v` reports about a finished child. */
export interface GnuTimeReport {
  peakRssKb?: number;
  userS?: number;
  systemS?: number;
  wallS?: number;
  cpuPercent?: number;
  exitStatus?: number;
}

/**
 * Reads the figures of a GNU `time -v` (or `-o FILE -v`) report.
 *
 * @example parseGnuTime('\tMaximum resident set size (kbytes): 452992\n').peakRssKb // 452992
 */
export function parseGnuTime(text: string): GnuTimeReport {
  const out: GnuTimeReport = {};
  const num = (re: RegExp) => {
    const m = re.exec(text);
    return m ? Number(m[1]) : undefined;
  };
  out.peakRssKb = num(/Maximum resident set size \(kbytes\):\s*(\d+)/);
  out.userS = num(/User time \(seconds\):\s*([\d.]+)/);
  out.systemS = num(/System time \(seconds\):\s*([\d.]+)/);
  out.cpuPercent = num(/Percent of CPU this job got:\s*(\d+)%/);
  out.exitStatus = num(/Exit status:\s*(\d+)/);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\):\s*([\d:.]+)/.exec(text);
  if (wall) out.wallS = wall[1]!.split(':').reduce((s, part) => s * 60 + Number(part), 0);
  for (const k of Object.keys(out) as (keyof GnuTimeReport)[]) if (out[k] === undefined) delete out[k];
  return out;
}

/**
 * Stage durations from the run's stderr (`sangloc: [stage] done in 1.2 s` / `… in 789 ms`), summed
 * per stage name. run.json carries the same figures except publish, which ends after run.json is written.
 *
 * @example parseStageLines('sangloc: [publish] done in 1.5 s\n') // { publish: 1500 }
 */
export function parseStageLines(stderr: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of stderr.matchAll(/\[([^\]\n]+)\] done in ([\d.]+) (ms|s)\b/g)) {
    const ms = Number(m[2]) * (m[3] === 's' ? 1000 : 1);
    out[m[1]!] = (out[m[1]!] ?? 0) + ms;
  }
  return out;
}

/**
 * Top-level stages of a run in order (nested stages such as `link: compare` carry a colon and are
 * already counted in their parent).
 *
 * @example topLevelStages({ ingest: 1, 'link: block': 2, resolve: 3 }) // ['ingest', 'resolve']
 */
export function topLevelStages(timings: Record<string, number>): string[] {
  return Object.keys(timings).filter((k) => !k.includes(':'));
}

/**
 * Mean and maximum of load-average samples (1-minute load), 0 for none.
 *
 * @example summariseLoad([1, 2, 3]) // { mean: 2, max: 3, samples: 3 }
 */
export function summariseLoad(samples: readonly number[]): { mean: number; max: number; samples: number } {
  if (samples.length === 0) return { mean: 0, max: 0, samples: 0 };
  return {
    mean: samples.reduce((s, v) => s + v, 0) / samples.length,
    max: Math.max(...samples),
    samples: samples.length,
  };
}

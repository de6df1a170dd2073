import { fmt } from '../format.js';
/**
 * What changed between two runs' case lists: cases that are new, escalated, de-escalated or
 * dropped. A case's priority is its rank band (top 50, 51–200, 201–1,000, the rest by default);
 * moving to a better band escalates it, to a worse one de-escalates it; within a band, expected
 * yield rising or falling by half or more does the same.
 */

export type ChangeKind = 'new' | 'escalated' | 'de-escalated' | 'dropped';
export const changeKinds: readonly ChangeKind[] = ['new', 'escalated', 'de-escalated', 'dropped'];

export interface DiffOptions {
  /** Upper ranks of the bands, best first: [50, 200, 1000] makes bands 1–50, 51–200, 201–1000, 1001+. */
  bands?: readonly number[];
  /** Within a band, a relative change of expected yield at least this large counts (0.5 = ±50 %). */
  yieldChange?: number;
}

export const defaultBands: readonly number[] = [50, 200, 1000];

/** The fields of a case the diff reads (a published case row has them all). */
export interface DiffInput {
  rank: number;
  entity_id: string;
  name: string | null;
  province: string | null;
  expected_yield_vnd: number | null;
}

export interface CaseChange {
  change: ChangeKind;
  entity_id: string;
  name: string | null;
  province: string | null;
  rank_a: number | null;
  rank_b: number | null;
  /** 1 = best band; null when not on that list. */
  band_a: number | null;
  band_b: number | null;
  expected_yield_a: number | null;
  expected_yield_b: number | null;
}

export interface RunDiff {
  run_a: string;
  run_b: string;
  bands: readonly number[];
  counts: Record<ChangeKind | 'unchanged', number>;
  /** Expected yield of run B's list minus run A's (VND). */
  expected_yield_delta: number;
  /** Changed cases: new and escalated by run B's rank, then de-escalated by B's rank, then dropped by A's rank. */
  changes: CaseChange[];
}

/**
 * The band (1 = best) of a rank.
 *
 * @example rankBand(1, [50, 200]) // 1
 * @example rankBand(51, [50, 200]) // 2
 * @example rankBand(999, [50, 200]) // 3
 */
export function rankBand(rank: number, bands: readonly number[] = defaultBands): number {
  for (let k = 0; k < bands.length; k++) if (rank <= bands[k]!) return k + 1;
  return bands.length + 1;
}

/** Readable band label, e.g. '1–50', '51–200', '1001+'. */
export function bandLabel(band: number, bands: readonly number[] = defaultBands): string {
  const lo = band === 1 ? 1 : bands[band - 2]! + 1;
  return band > bands.length ? `${lo}+` : `${lo}–${bands[band - 1]}`;
}

const yieldOf = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * Compares two case lists (pure).
 *
 * @example diffCases('r1', a, 'r2', b).counts // { new: 3, escalated: 1, 'de-escalated': 0, dropped: 2, unchanged: 40 }
 */
export function diffCases(
  runA: string,
  a: readonly DiffInput[],
  runB: string,
  b: readonly DiffInput[],
  opts: DiffOptions = {},
): RunDiff {
  const bands = opts.bands ?? defaultBands;
  const ratio = opts.yieldChange ?? 0.5;
  const inA = new Map(a.map((r) => [r.entity_id, r]));
  const inB = new Map(b.map((r) => [r.entity_id, r]));
  const counts: RunDiff['counts'] = { new: 0, escalated: 0, 'de-escalated': 0, dropped: 0, unchanged: 0 };
  const changes: CaseChange[] = [];
  const entry = (change: ChangeKind, ra: DiffInput | undefined, rb: DiffInput | undefined): CaseChange => {
    const who = rb ?? ra!;
    return {
      change,
      entity_id: who.entity_id,
      name: who.name ?? null,
      province: who.province ?? null,
      rank_a: ra?.rank ?? null,
      rank_b: rb?.rank ?? null,
      band_a: ra ? rankBand(ra.rank, bands) : null,
      band_b: rb ? rankBand(rb.rank, bands) : null,
      expected_yield_a: ra ? yieldOf(ra.expected_yield_vnd) : null,
      expected_yield_b: rb ? yieldOf(rb.expected_yield_vnd) : null,
    };
  };
  for (const rb of b) {
    const ra = inA.get(rb.entity_id);
    let kind: ChangeKind | undefined;
    if (!ra) kind = 'new';
    else {
      const ba = rankBand(ra.rank, bands);
      const bb = rankBand(rb.rank, bands);
      if (bb < ba) kind = 'escalated';
      else if (bb > ba) kind = 'de-escalated';
      else {
        const ya = yieldOf(ra.expected_yield_vnd);
        const yb = yieldOf(rb.expected_yield_vnd);
        const base = Math.max(Math.abs(ya), 1);
        if (yb - ya >= ratio * base) kind = 'escalated';
        else if (ya - yb >= ratio * base) kind = 'de-escalated';
      }
    }
    if (!kind) {
      counts.unchanged++;
      continue;
    }
    counts[kind]++;
    changes.push(entry(kind, ra, rb));
  }
  for (const ra of a) {
    if (inB.has(ra.entity_id)) continue;
    counts.dropped++;
    changes.push(entry('dropped', ra, undefined));
  }
  const order: Record<ChangeKind, number> = { new: 0, escalated: 0, 'de-escalated': 1, dropped: 2 };
  changes.sort((x, y) => order[x.change] - order[y.change] || (x.rank_b ?? x.rank_a!) - (y.rank_b ?? y.rank_a!));
  let delta = 0;
  for (const r of b) delta += yieldOf(r.expected_yield_vnd);
  for (const r of a) delta -= yieldOf(r.expected_yield_vnd);
  return { run_a: runA, run_b: runB, bands, counts, expected_yield_delta: Math.round(delta), changes };
}

/**
 * A terminal summary: counts, then up to `limit` changed cases as an aligned table.
 *
 * @example process.stdout.write(formatDiffText(d, 30));
 */
export function formatDiffText(diff: RunDiff, limit = 30): string {
  const f = fmt();
  const out = [
    `cases: ${diff.run_a} → ${diff.run_b} (bands by ` +
      `rank: ${Array.from({ length: diff.bands.length + 1 }, (_, k) => bandLabel(k + 1, diff.bands)).join(', ')})`,
    `  new ${f.int(diff.counts.new)}, escalated ${f.int(diff.counts.escalated)}, de-escalated ` +
      `${f.int(diff.counts['de-escalated'])}, dropped ${f.int(diff.counts.dropped)}, ` +
      `unchanged ${f.int(diff.counts.unchanged)}`,
    `  expected yield ${f.signed(diff.expected_yield_delta)} VND`,
  ];
  if (diff.changes.length === 0) return out.join('\n') + '\n';
  const header = ['change', 'entity_id', 'rank', 'band', 'expected yield (VND)', 'province'];
  const rows = diff.changes
    .slice(0, limit)
    .map((c) => [
      c.change,
      c.entity_id,
      `${c.rank_a === null ? '–' : f.int(c.rank_a)} → ${c.rank_b === null ? '–' : f.int(c.rank_b)}`,
      `${c.band_a === null ? '–' : bandLabel(c.band_a, diff.bands)} ` +
        `→ ${c.band_b === null ? '–' : bandLabel(c.band_b, diff.bands)}`,
      `${c.expected_yield_a === null ? '–' : f.int(c.expected_yield_a)} ` +
        `→ ${c.expected_yield_b === null ? '–' : f.int(c.expected_yield_b)}`,
      c.province ?? '',
    ]);
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const line = (r: string[]) =>
    '  ' +
    r
      .map((v, k) => v.padEnd(widths[k]!))
      .join('  ')
      .trimEnd();
  out.push('', line(header), ...rows.map(line));
  if (diff.changes.length > limit) out.push(`  … ${diff.changes.length - limit} more (use --out FILE.csv for all)`);
  return out.join('\n') + '\n';
}

/**
 * What changed between two runs' case lists: cases that are new, escalated, de-escalated, moved
 * or dropped. A case's priority is its rank band (top 50, 51–200, 201–1,000, the rest by default).
 * A case that reaches another band is escalated / de-escalated only when it moved against the cases
 * on both lists (it passed them, or they passed it); when its place among them is unchanged and
 * only cases above it left (or new ones came in above it), it merely "moved up" / "moved down".
 * Within a band, expected yield rising or falling by half or more escalates / de-escalates.
 * A dropped case says why: audited (outcome recorded, left out of scoring), not on the list (the
 * entity still exists: no expected yield, or beyond the list's capacity), relinked (its records now
 * belong to other entities) or gone (none of its records are in the new run).
 */
import { fmt, type Lang } from '../format.js';

export type ChangeKind = 'new' | 'escalated' | 'de-escalated' | 'moved-up' | 'moved-down' | 'dropped';
export const changeKinds: readonly ChangeKind[] = [
  'new',
  'escalated',
  'de-escalated',
  'moved-up',
  'moved-down',
  'dropped',
];

/**
 * Why a case changed: `overtook` / `overtaken` (its place among the cases on both lists changed),
 * `yield-up` / `yield-down` (same band, expected yield ±50 %), `others-left` / `others-entered`
 * (moved only because cases above it left or came in), and for dropped cases `audited`,
 * `not-on-list`, `relinked`, `gone`, or `unknown` (the run folders do not say).
 */
export type ChangeCause =
  | 'overtook'
  | 'overtaken'
  | 'yield-up'
  | 'yield-down'
  | 'others-left'
  | 'others-entered'
  | 'audited'
  | 'not-on-list'
  | 'relinked'
  | 'gone'
  | 'unknown';

/** What run B knows about entities off its list, for saying why a case dropped. */
export interface DropContext {
  /** Entities left out of run B's scoring because an audit outcome is recorded for them. */
  audited?: ReadonlySet<string>;
  /** Every entity of run B (on the list or not). */
  entities?: ReadonlySet<string>;
  /** Dropped entity of run A → the run-B entities its records now belong to. */
  relinked?: ReadonlyMap<string, readonly string[]>;
}

export interface DiffOptions {
  /** Upper ranks of the bands, best first: [50, 200, 1000] makes bands 1–50, 51–200, 201–1000, 1001+. */
  bands?: readonly number[];
  /** Within a band, a relative change of expected yield at least this large counts (0.5 = ±50 %). */
  yieldChange?: number;
  /** What run B knows of the entities off its list (why a case dropped); without it: `unknown`. */
  drops?: DropContext;
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
  /** Place among the cases on both lists (1 = first of them); null when not on both. */
  common_rank_a: number | null;
  common_rank_b: number | null;
  cause: ChangeCause | null;
  /** Cases above it in A that left (moved-up), or new cases above it in B (moved-down); relinked: the new entities. */
  detail: string | null;
}

export interface RunDiff {
  run_a: string;
  run_b: string;
  bands: readonly number[];
  counts: Record<ChangeKind | 'unchanged', number>;
  /** Dropped cases by cause. */
  dropped_by: Partial<Record<ChangeCause, number>>;
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
  // Place among the cases on both lists, in each run's order.
  const commonRank = (list: readonly DiffInput[], other: ReadonlyMap<string, DiffInput>) =>
    new Map(
      list
        .filter((r) => other.has(r.entity_id))
        .sort((x, y) => x.rank - y.rank)
        .map((r, k) => [r.entity_id, k + 1]),
    );
  const commonA = commonRank(a, inB);
  const commonB = commonRank(b, inA);
  // Ranks of the cases that left (in A) and came in (in B), sorted, to count those above a case.
  const leftRanks = a
    .filter((r) => !inB.has(r.entity_id))
    .map((r) => r.rank)
    .sort((x, y) => x - y);
  const newRanks = b
    .filter((r) => !inA.has(r.entity_id))
    .map((r) => r.rank)
    .sort((x, y) => x - y);
  const above = (sorted: readonly number[], rank: number) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < rank) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const counts: RunDiff['counts'] = {
    new: 0,
    escalated: 0,
    'de-escalated': 0,
    'moved-up': 0,
    'moved-down': 0,
    dropped: 0,
    unchanged: 0,
  };
  const droppedBy: RunDiff['dropped_by'] = {};
  const changes: CaseChange[] = [];
  const entry = (
    change: ChangeKind,
    ra: DiffInput | undefined,
    rb: DiffInput | undefined,
    cause: ChangeCause | null,
    detail: string | null,
  ): CaseChange => {
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
      common_rank_a: commonA.get(who.entity_id) ?? null,
      common_rank_b: commonB.get(who.entity_id) ?? null,
      cause,
      detail,
    };
  };
  for (const rb of b) {
    const ra = inA.get(rb.entity_id);
    if (!ra) {
      counts.new++;
      changes.push(entry('new', undefined, rb, null, null));
      continue;
    }
    const ba = rankBand(ra.rank, bands);
    const bb = rankBand(rb.rank, bands);
    const ya = yieldOf(ra.expected_yield_vnd);
    const yb = yieldOf(rb.expected_yield_vnd);
    const base = Math.max(Math.abs(ya), 1);
    const yieldUp = yb - ya >= ratio * base;
    const yieldDown = ya - yb >= ratio * base;
    const ca = commonA.get(rb.entity_id)!;
    const cb = commonB.get(rb.entity_id)!;
    let kind: ChangeKind | undefined;
    let cause: ChangeCause | null = null;
    let detail: string | null = null;
    if (bb < ba) {
      // A better band: on its own if it passed cases that remain (or its yield rose); else others left.
      if (cb < ca || yieldUp) [kind, cause] = ['escalated', cb < ca ? 'overtook' : 'yield-up'];
      else {
        [kind, cause] = ['moved-up', 'others-left'];
        detail = String(above(leftRanks, ra.rank));
      }
    } else if (bb > ba) {
      if (cb > ca || yieldDown) [kind, cause] = ['de-escalated', cb > ca ? 'overtaken' : 'yield-down'];
      else {
        [kind, cause] = ['moved-down', 'others-entered'];
        detail = String(above(newRanks, rb.rank));
      }
    } else if (yieldUp) [kind, cause] = ['escalated', 'yield-up'];
    else if (yieldDown) [kind, cause] = ['de-escalated', 'yield-down'];
    if (!kind) {
      counts.unchanged++;
      continue;
    }
    counts[kind]++;
    changes.push(entry(kind, ra, rb, cause, detail));
  }
  const drops = opts.drops;
  for (const ra of a) {
    if (inB.has(ra.entity_id)) continue;
    let cause: ChangeCause = 'unknown';
    let detail: string | null = null;
    const relinked = drops?.relinked?.get(ra.entity_id);
    if (drops?.audited?.has(ra.entity_id)) cause = 'audited';
    else if (drops?.entities?.has(ra.entity_id)) cause = 'not-on-list';
    else if (relinked && relinked.length > 0) {
      cause = 'relinked';
      detail = relinked.join(' ');
    } else if (drops?.entities) cause = 'gone';
    counts.dropped++;
    droppedBy[cause] = (droppedBy[cause] ?? 0) + 1;
    changes.push(entry('dropped', ra, undefined, cause, detail));
  }
  const order: Record<ChangeKind, number> = {
    new: 0,
    escalated: 0,
    'de-escalated': 1,
    'moved-up': 2,
    'moved-down': 2,
    dropped: 3,
  };
  changes.sort((x, y) => order[x.change] - order[y.change] || (x.rank_b ?? x.rank_a!) - (y.rank_b ?? y.rank_a!));
  let delta = 0;
  for (const r of b) delta += yieldOf(r.expected_yield_vnd);
  for (const r of a) delta -= yieldOf(r.expected_yield_vnd);
  return {
    run_a: runA,
    run_b: runB,
    bands,
    counts,
    dropped_by: droppedBy,
    expected_yield_delta: Math.round(delta),
    changes,
  };
}

/**
 * Why a case changed, in words, in the process's language (or `lang`).
 *
 * @example changeWhy({ cause: 'others-left', detail: '7', … }, 'en') // 'only because 7 case(s) above it left the list'
 */
export function changeWhy(c: CaseChange, lang: Lang = fmt().lang): string {
  const f = fmt(lang);
  const t = (vi: string, en: string) => (lang === 'vi' ? vi : en);
  const n = (s: string | null) => f.int(Number(s ?? 0));
  const among = () => `${f.int(c.common_rank_a!)} → ${f.int(c.common_rank_b!)}`;
  switch (c.cause) {
    case 'overtook':
      return t(
        `vượt các hồ sơ có trên cả hai danh sách (${among()} trong số đó)`,
        `passed cases on both lists (${among()} among them)`,
      );
    case 'overtaken':
      return t(
        `bị các hồ sơ có trên cả hai danh sách vượt (${among()} trong số đó)`,
        `passed by cases on both lists (${among()} among them)`,
      );
    case 'yield-up':
      return t('số thuế dự kiến tăng từ một nửa trở lên', 'expected yield rose by half or more');
    case 'yield-down':
      return t('số thuế dự kiến giảm từ một nửa trở lên', 'expected yield fell by half or more');
    case 'others-left':
      return t(
        `chỉ vì ${n(c.detail)} hồ sơ xếp trên đã rời danh sách`,
        `only because ${n(c.detail)} case(s) above it left the list`,
      );
    case 'others-entered':
      return t(`chỉ vì ${n(c.detail)} hồ sơ mới xếp trên`, `only because ${n(c.detail)} new case(s) came in above it`);
    case 'audited':
      return t(
        'đã kiểm tra: có kết quả được ghi nhận, không chấm điểm nữa',
        'audited: an outcome is recorded, left out of scoring',
      );
    case 'not-on-list':
      return t(
        'vẫn liên kết, không có trên danh sách (không có số thuế dự kiến, hoặc ngoài sức chứa danh sách)',
        'still linked, not on the list (no expected yield, or beyond the capacity)',
      );
    case 'relinked':
      return t(`các bản ghi của nó nay thuộc về ${c.detail}`, `its records now belong to ${c.detail}`);
    case 'gone':
      return t('không còn bản ghi nào của nó trong lần chạy mới', 'none of its records are in the new run');
    case 'unknown':
      return t(
        'không rõ lý do (thư mục lần chạy không có members.csv)',
        'reason unknown (run folders without members.csv)',
      );
    default:
      return '';
  }
}

/** ` (3 audited, 2 not on the list …)` after the dropped count; '' when none dropped. */
function droppedSummary(diff: RunDiff, lang: Lang): string {
  const vi: Partial<Record<ChangeCause, string>> = {
    audited: 'đã kiểm tra',
    'not-on-list': 'không có trên danh sách',
    relinked: 'liên kết lại',
    gone: 'không còn',
    unknown: 'không rõ',
  };
  const label = (k: string) => (lang === 'vi' ? (vi[k as ChangeCause] ?? k) : k);
  const parts = Object.entries(diff.dropped_by).map(([k, v]) => `${fmt(lang).int(v)} ${label(k)}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/**
 * A terminal summary: counts, then up to `limit` changed cases as an aligned table.
 *
 * @example process.stdout.write(formatDiffText(d, 30));
 */
export function formatDiffText(diff: RunDiff, limit = 30, lang: Lang = fmt().lang): string {
  const f = fmt(lang);
  const t = (vi: string, en: string) => (lang === 'vi' ? vi : en);
  const bandsText = Array.from({ length: diff.bands.length + 1 }, (_, k) => bandLabel(k + 1, diff.bands)).join(', ');
  const k = diff.counts;
  const out = [
    t(
      `hồ sơ: ${diff.run_a} → ${diff.run_b} (nhóm theo hạng: ${bandsText})`,
      `cases: ${diff.run_a} → ${diff.run_b} (bands by rank: ${bandsText})`,
    ),
    t(
      `  mới ${f.int(k.new)}, tăng mức ${f.int(k.escalated)}, giảm mức ${f.int(k['de-escalated'])}, ` +
        `lên hạng vì hồ sơ khác rời đi ${f.int(k['moved-up'])}, xuống hạng vì hồ sơ mới vào ` +
        `${f.int(k['moved-down'])}, rời danh sách ${f.int(k.dropped)}${droppedSummary(diff, lang)}, ` +
        `không đổi ${f.int(k.unchanged)}`,
      `  new ${f.int(k.new)}, escalated ${f.int(k.escalated)}, de-escalated ${f.int(k['de-escalated'])}, ` +
        `moved up as others left ${f.int(k['moved-up'])}, moved down as others came in ` +
        `${f.int(k['moved-down'])}, dropped ${f.int(k.dropped)}${droppedSummary(diff, lang)}, ` +
        `unchanged ${f.int(k.unchanged)}`,
    ),
    t(
      `  số thuế dự kiến ${f.signed(diff.expected_yield_delta)} VND`,
      `  expected yield ${f.signed(diff.expected_yield_delta)} VND`,
    ),
  ];
  if (diff.changes.length === 0) return out.join('\n') + '\n';
  const header =
    lang === 'vi'
      ? ['thay đổi', 'entity_id', 'hạng', 'nhóm', 'thuế dự kiến (VND)', 'tỉnh', 'lý do']
      : ['change', 'entity_id', 'rank', 'band', 'expected yield (VND)', 'province', 'why'];
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
      changeWhy(c, lang),
    ]);
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const line = (r: string[]) =>
    '  ' +
    r
      .map((v, k) => v.padEnd(widths[k]!))
      .join('  ')
      .trimEnd();
  out.push('', line(header), ...rows.map(line));
  if (diff.changes.length > limit) {
    const more = f.int(diff.changes.length - limit);
    out.push(t(`  … còn ${more} (dùng --out TỆP.csv để có tất cả)`, `  … ${more} more (use --out FILE.csv for all)`));
  }
  return out.join('\n') + '\n';
}

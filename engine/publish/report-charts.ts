/**
 * The report's charts as inline SVG, computed over every case (not just the embedded ones): cases by
 * province (horizontal bars), the risk-score histogram (ten bins over 0–1), cumulative expected yield
 * by rank against random selection (lines), observed against declared revenue (log-log scatter) and
 * revenue by channel (a stacked bar). Every label passes through `escapeHtml`.
 */
import type { CaseRow } from './case-row.js';
import { escapeHtml } from './html.js';
import { fmt } from '../format.js';

export interface ProvinceCount {
  province: string;
  cases: number;
  expected_yield_vnd: number;
}

/** Cases and expected yield per province, most cases first (ties by name). Unknown province = ''. */
export function casesByProvince(rows: readonly CaseRow[]): ProvinceCount[] {
  const by = new Map<string, ProvinceCount>();
  for (const r of rows) {
    const p = r.province ?? '';
    const e = by.get(p) ?? { province: p, cases: 0, expected_yield_vnd: 0 };
    e.cases++;
    if (Number.isFinite(r.expected_yield_vnd)) e.expected_yield_vnd += r.expected_yield_vnd!;
    by.set(p, e);
  }
  return [...by.values()].sort((a, b) => b.cases - a.cases || a.province.localeCompare(b.province, 'vi'));
}

/**
 * Counts of risk scores in `bins` equal bins over [0, 1]; 1.0 falls in the last bin.
 *
 * @example scoreHistogram([{ risk_score: 0.05 }, { risk_score: 1 }] as CaseRow[], 10) // [1,0,0,0,0,0,0,0,0,1]
 */
export function scoreHistogram(rows: readonly Pick<CaseRow, 'risk_score'>[], bins = 10): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (const r of rows) {
    if (!Number.isFinite(r.risk_score)) continue;
    const i = Math.min(bins - 1, Math.max(0, Math.floor(r.risk_score * bins)));
    counts[i]!++;
  }
  return counts;
}

/** Horizontal bar chart of cases per province. */
export function provinceChartSvg(counts: readonly ProvinceCount[]): string {
  if (counts.length === 0) return '<p class="muted">Không có hồ sơ. <span class="en">No cases.</span></p>';
  const rowH = 20;
  const labelW = 150;
  const barW = 300;
  const width = labelW + barW + 70;
  const height = counts.length * rowH + 4;
  const max = Math.max(...counts.map((c) => c.cases));
  const bars = counts.map((c, i) => {
    const y = i * rowH + 2;
    const w = Math.max(1, Math.round((c.cases / max) * barW));
    const name = c.province === '' ? '(chưa rõ / unknown)' : c.province;
    const tip = `${name}: ${fmt().int(c.cases)} hồ sơ / cases, ${fmt().int(Math.round(c.expected_yield_vnd))} VND`;
    return (
      `<g><title>${escapeHtml(tip)}</title>` +
      `<text x="${labelW - 6}" y="${y + 14}" text-anchor="end">${escapeHtml(name)}</text>` +
      `<rect x="${labelW}" y="${y + 3}" width="${w}" height="${rowH - 6}" rx="2" class="bar"></rect>` +
      `<text x="${labelW + w + 6}" y="${y + 14}">${escapeHtml(fmt().int(c.cases))}</text></g>`
    );
  });
  return (
    `<svg class="chart" role="img" aria-label="Số hồ sơ theo tỉnh / Cases by province" viewBox="0 ` +
    `0 ${width} ${height}" width="${width}" height="${height}">${bars.join('')}</svg>`
  );
}

/** Vertical bar chart of the score histogram. */
export function histogramSvg(counts: readonly number[]): string {
  const bins = counts.length;
  const barW = 40;
  const gap = 6;
  const plotH = 160;
  const top = 18;
  const width = bins * (barW + gap) + gap;
  const height = top + plotH + 22;
  const max = Math.max(1, ...counts);
  const bars = counts.map((n, i) => {
    const h = Math.round((n / max) * plotH);
    const x = gap + i * (barW + gap);
    const lo = fmt().dec(i / bins, 1);
    const hi = fmt().dec((i + 1) / bins, 1);
    return (
      `<g><title>${escapeHtml(`${lo}–${hi}: ${fmt().int(n)}`)}</title>` +
      `<rect x="${x}" y="${top + plotH - h}" width="${barW}" height="${h}" class="bar"></rect>` +
      `<text x="${x + barW / 2}" y="${top + plotH - h - 4}" text-anchor="middle">${escapeHtml(fmt().int(n))}</text>` +
      `<text x="${x + barW / 2}" y="${top + plotH + 16}" text-anchor="middle" class="axis">${lo}</text></g>`
    );
  });
  return (
    `<svg class="chart" role="img" aria-label="Phân bố điểm rủi ro / Risk score histogram" viewBox="0 ` +
    `0 ${width} ${height}" width="${width}" height="${height}">${bars.join('')}</svg>`
  );
}

/** One point of the cumulative-yield curve: after reviewing `cases`, the expected yield found by rank and by chance. */
export interface YieldPoint {
  cases: number;
  by_rank_vnd: number;
  random_vnd: number;
}

/**
 * Cumulative expected yield down the list against picking the same number of cases at random
 * from it (expected value: k/N of the total), at most `points` + 1 points from (0, 0) to (N, total).
 *
 * @example yieldCurve(rows, 100).at(-1) // { cases: rows.length, by_rank_vnd: total, random_vnd: total }
 */
export function yieldCurve(rows: readonly Pick<CaseRow, 'expected_yield_vnd'>[], points = 120): YieldPoint[] {
  const n = rows.length;
  const cum = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const v = rows[i]!.expected_yield_vnd;
    cum[i + 1] = cum[i]! + (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  }
  const total = cum[n]!;
  const step = Math.max(1, Math.ceil(n / points));
  const out: YieldPoint[] = [];
  for (let k = 0; k <= n; k += step)
    out.push({ cases: k, by_rank_vnd: Math.round(cum[k]!), random_vnd: n ? Math.round((total * k) / n) : 0 });
  if (out[out.length - 1]!.cases !== n)
    out.push({ cases: n, by_rank_vnd: Math.round(total), random_vnd: Math.round(total) });
  return out;
}

/** Short VND amounts for axes: 1,2 tỷ / 850 tr. */
function shortVnd(v: number): string {
  return fmt().shortVnd(v);
}

/** Line chart of the yield curve: by rank (solid) against random selection (dashed). */
export function yieldCurveSvg(curve: readonly YieldPoint[]): string {
  const last = curve[curve.length - 1];
  if (!last || last.cases === 0) return '<p class="muted">Không có hồ sơ. <span class="en">No cases.</span></p>';
  const W = 460,
    H = 240,
    L = 64,
    R = 12,
    T = 14,
    B = 34;
  const maxY = Math.max(1, ...curve.map((p) => p.by_rank_vnd));
  const x = (k: number) => L + (k / last.cases) * (W - L - R);
  const y = (v: number) => T + (1 - v / maxY) * (H - T - B);
  const path = (f: (p: YieldPoint) => number) =>
    curve.map((p) => `${x(p.cases).toFixed(1)},${y(f(p)).toFixed(1)}`).join(' ');
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const yTicks = ticks.map(
    (t) =>
      `<line x1="${L}" x2="${W - R}" y1="${y(t * maxY).toFixed(1)}" y2="${y(t * maxY).toFixed(1)}" ` +
      `class="grid"></line><text x="${L - 4}" y="${(y(t * maxY) + 4).toFixed(1)}" text-anchor="end" ` +
      `class="axis">${escapeHtml(shortVnd(t * maxY))}</text>`,
  );
  const xTicks = ticks.map(
    (t) =>
      `<text x="${x(t * last.cases).toFixed(1)}" y="${H - B + 16}" text-anchor="middle" ` +
      `class="axis">${escapeHtml(fmt().int(Math.round(t * last.cases)))}</text>`,
  );
  // Share of the total found in the first 10 % of the list, said in the title for screen readers.
  const tenth = curve.find((p) => p.cases >= last.cases / 10) ?? last;
  const share = last.by_rank_vnd > 0 ? Math.round((100 * tenth.by_rank_vnd) / last.by_rank_vnd) : 0;
  return (
    `<svg class="chart" role="img" aria-label="Số thuế kỳ vọng cộng dồn theo thứ hạng / Cumulative expected ` +
    `yield by rank" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">` +
    `<title>` +
    escapeHtml(
      `10 % đầu danh sách: ${share} % số thuế kỳ vọng / ` + `first 10 % of the list: ${share} % of the expected yield`,
    ) +
    `</title>` +
    yTicks.join('') +
    xTicks.join('') +
    `<polyline points="${path((p) => p.random_vnd)}" class="line random"></polyline>` +
    `<polyline points="${path((p) => p.by_rank_vnd)}" class="line"></polyline>` +
    `<text x="${W - R}" y="${H - 4}" text-anchor="end" class="axis">hồ sơ đã xem / cases reviewed</text>` +
    `<g class="legend"><line x1="${L + 8}" x2="${L + 28}" y1="${T + 8}" y2="${T + 8}" class="line"></line><text ` +
    `x="${L + 32}" y="${T + 12}">theo thứ hạng / by rank</text>` +
    `<line x1="${L + 8}" x2="${L + 28}" y1="${T + 24}" y2="${T + 24}" class="line random"></line><text ` +
    `x="${L + 32}" y="${T + 28}">ngẫu nhiên / random</text></g>` +
    `</svg>`
  );
}

/** Observed revenue of a case: the channels counted once (platform + COD + bank). */
export const observedRevenue = (
  r: Pick<CaseRow, 'platform_revenue_vnd' | 'cod_revenue_vnd' | 'bank_revenue_vnd'>,
): number =>
  [r.platform_revenue_vnd, r.cod_revenue_vnd, r.bank_revenue_vnd].reduce<number>(
    (s, v) => s + (typeof v === 'number' && Number.isFinite(v) ? v : 0),
    0,
  );

/**
 * Scatter of observed against declared revenue on log scales (one dot per case, at most `maxPoints`:
 * the best-ranked ones first, then every k-th of the rest). Nothing declared sits on the "0" line.
 */
export function revenueScatterSvg(rows: readonly CaseRow[], maxPoints = 1500): string {
  if (rows.length === 0) return '<p class="muted">Không có hồ sơ. <span class="en">No cases.</span></p>';
  const head = Math.min(rows.length, Math.floor(maxPoints / 2));
  const stride = Math.max(1, Math.ceil((rows.length - head) / Math.max(1, maxPoints - head)));
  const shown: CaseRow[] = rows.slice(0, head);
  for (let i = head; i < rows.length; i += stride) shown.push(rows[i]!);
  const W = 440,
    H = 300,
    L = 76,
    R = 12,
    T = 12,
    B = 40,
    zero = 26;
  const values = shown.flatMap((r) => [observedRevenue(r), r.declared_revenue_vnd ?? 0]).filter((v) => v > 0);
  const lo = Math.floor(Math.log10(Math.max(1e5, Math.min(...values, 1e8))));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...values, 1e6))));
  // Zero (nothing declared / nothing observed) gets its own strip before the log axis starts.
  const x = (v: number) =>
    v > 0 ? L + zero + ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo)) * (W - L - R - zero) : L + 4;
  const y = (v: number) =>
    v > 0 ? H - B - zero - ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo)) * (H - T - B - zero) : H - B - 4;
  const decades: string[] = [];
  for (let d = lo; d <= hi; d++) {
    const v = 10 ** d;
    decades.push(
      `<line x1="${x(v).toFixed(1)}" x2="${x(v).toFixed(1)}" y1="${T}" y2="${H - B}" class="grid"></line>` +
        `<line x1="${L}" x2="${W - R}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" class="grid"></line>` +
        `<text x="${x(v).toFixed(1)}" y="${H - B + 14}" text-anchor="middle" ` +
        `class="axis">${escapeHtml(shortVnd(v))}</text>` +
        `<text x="${L - 4}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" ` +
        `class="axis">${escapeHtml(shortVnd(v))}</text>`,
    );
  }
  const dots = shown.map((r) => {
    const o = observedRevenue(r);
    const d = r.declared_revenue_vnd ?? 0;
    return (
      `<circle cx="${x(o).toFixed(1)}" cy="${y(d).toFixed(1)}" r="2.2" ` +
      `class="dot${r.control_slice ? ' control' : ''}"></circle>`
    );
  });
  return (
    `<svg class="chart" role="img" aria-label="Doanh thu quan sát và kê khai / Observed vs declared revenue" ` +
    `viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">` +
    `<title>${escapeHtml(`${fmt().int(shown.length)} / ${fmt().int(rows.length)} hồ sơ / cases`)}</title>` +
    decades.join('') +
    `<line x1="${x(10 ** lo).toFixed(1)}" y1="${y(10 ** lo).toFixed(1)}" x2="${x(10 ** hi).toFixed(1)}" ` +
    `y2="${y(10 ** hi).toFixed(1)}" class="line random"></line>` +
    `<text x="${L + 4}" y="${H - B + 14}" class="axis">0</text><text x="${L - 4}" y="${H - B}" ` +
    `text-anchor="end" class="axis">0</text>` +
    dots.join('') +
    `<text x="${W - R}" y="${H - 4}" text-anchor="end" class="axis">quan sát / observed (VND, log)</text>` +
    `<text x="14" y="${T + 4}" class="axis" transform="rotate(90 14 ${T + 4})">kê khai / declared (VND, log)</text>` +
    `</svg>`
  );
}

export interface ChannelTotals {
  platform_vnd: number;
  cod_vnd: number;
  bank_vnd: number;
  declared_vnd: number;
  withheld_vnd: number;
  /** Cases with revenue on each channel. */
  platform_cases: number;
  cod_cases: number;
  bank_cases: number;
}

/**
 * Revenue per channel over the list.
 *
 * @example channelTotals(rows).cod_vnd
 */
export function channelTotals(rows: readonly CaseRow[]): ChannelTotals {
  const t: ChannelTotals = {
    platform_vnd: 0,
    cod_vnd: 0,
    bank_vnd: 0,
    declared_vnd: 0,
    withheld_vnd: 0,
    platform_cases: 0,
    cod_cases: 0,
    bank_cases: 0,
  };
  const v = (x: number | null) => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
  for (const r of rows) {
    t.platform_vnd += v(r.platform_revenue_vnd);
    t.cod_vnd += v(r.cod_revenue_vnd);
    t.bank_vnd += v(r.bank_revenue_vnd);
    t.declared_vnd += v(r.declared_revenue_vnd);
    t.withheld_vnd += v(r.tax_withheld_vnd);
    if (v(r.platform_revenue_vnd) > 0) t.platform_cases++;
    if (v(r.cod_revenue_vnd) > 0) t.cod_cases++;
    if (v(r.bank_revenue_vnd) > 0) t.bank_cases++;
  }
  return t;
}

/** One stacked bar: the three channels' share of observed revenue, declared revenue beside it. */
export function channelBarSvg(t: ChannelTotals): string {
  const parts = [
    ['Sàn / platform', t.platform_vnd, 'c1'],
    ['COD', t.cod_vnd, 'c2'],
    ['Ngân hàng / bank', t.bank_vnd, 'c3'],
  ] as const;
  const observed = t.platform_vnd + t.cod_vnd + t.bank_vnd;
  const max = Math.max(1, observed, t.declared_vnd);
  const W = 520,
    barW = 300,
    L = 140;
  let x = L;
  const segs = parts.map(([label, v, cls]) => {
    const w = (v / max) * barW;
    const seg =
      `<g><title>${escapeHtml(`${label}: ${fmt().int(Math.round(v))} VND`)}</title><rect ` +
      `x="${x.toFixed(1)}" y="6" width="${w.toFixed(1)}" height="20" class="${cls}"></rect></g>`;
    x += w;
    return seg;
  });
  const legend = parts.map(
    ([label, , cls], i) =>
      `<rect x="${L + i * 118}" y="64" width="10" height="10" class="${cls}"></rect><text ` +
      `x="${L + 14 + i * 118}" y="73">${escapeHtml(label)}</text>`,
  );
  return (
    `<svg class="chart" role="img" aria-label="Doanh thu theo kênh / Revenue by channel" viewBox="0 0 ${W} 80" ` +
    `width="${W}" height="80">` +
    `<text x="${L - 6}" y="21" text-anchor="end">quan sát / observed</text>${segs.join('')}<text ` +
    `x="${(x + 6).toFixed(1)}" y="21">${escapeHtml(shortVnd(observed))}</text>` +
    `<text x="${L - 6}" y="47" text-anchor="end">kê khai / declared</text><rect x="${L}" y="32" ` +
    `width="${((t.declared_vnd / max) * barW).toFixed(1)}" height="20" class="alt"></rect>` +
    `<text x="${(L + (t.declared_vnd / max) * barW + 6).toFixed(1)}" ` +
    `y="47">${escapeHtml(shortVnd(t.declared_vnd))}</text>` +
    legend.join('') +
    `</svg>`
  );
}

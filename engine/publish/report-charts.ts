/**
 * The report's two charts as inline SVG, computed over every case (not just the embedded ones):
 * cases by province (horizontal bars) and the risk-score histogram (ten bins over 0–1).
 */
import type { CaseRow } from './case-row.js';
import { escapeHtml } from './html.js';

const nf = new Intl.NumberFormat('vi-VN');

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
    const tip = `${name}: ${nf.format(c.cases)} hồ sơ / cases, ${nf.format(Math.round(c.expected_yield_vnd))} VND`;
    return (
      `<g><title>${escapeHtml(tip)}</title>` +
      `<text x="${labelW - 6}" y="${y + 14}" text-anchor="end">${escapeHtml(name)}</text>` +
      `<rect x="${labelW}" y="${y + 3}" width="${w}" height="${rowH - 6}" rx="2" class="bar"></rect>` +
      `<text x="${labelW + w + 6}" y="${y + 14}">${escapeHtml(nf.format(c.cases))}</text></g>`
    );
  });
  return `<svg class="chart" role="img" aria-label="Số hồ sơ theo tỉnh / Cases by province" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${bars.join('')}</svg>`;
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
    const lo = (i / bins).toFixed(1);
    const hi = ((i + 1) / bins).toFixed(1);
    return (
      `<g><title>${escapeHtml(`${lo}–${hi}: ${nf.format(n)}`)}</title>` +
      `<rect x="${x}" y="${top + plotH - h}" width="${barW}" height="${h}" class="bar"></rect>` +
      `<text x="${x + barW / 2}" y="${top + plotH - h - 4}" text-anchor="middle">${escapeHtml(nf.format(n))}</text>` +
      `<text x="${x + barW / 2}" y="${top + plotH + 16}" text-anchor="middle" class="axis">${lo}</text></g>`
    );
  });
  return `<svg class="chart" role="img" aria-label="Phân bố điểm rủi ro / Risk score histogram" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${bars.join('')}</svg>`;
}

/**
 * `link-report.html`: one self-contained page (inline SVG and CSS, no script, no network) on a
 * link — the precision–recall curve and threshold sweep (with labels), the weight of every
 * comparison level (m, u, weight), the waterfall of weights of sample pairs and the cluster sizes.
 * Pure: takes numbers, returns HTML.
 */
import type { LabelQuality, SweepPoint } from './labels.js';
import type { LinkWeights } from './weights.js';
import { fmt } from '../format.js';

export interface ReportPair {
  left: string;
  right: string;
  matchWeight: number;
  /** Weight parts in order (prior first), as in pairs.csv. */
  parts: Array<{ name: string; weight: number }>;
  /** Labelled truth, when known. */
  truth?: 0 | 1;
  why: string;
}

export interface LinkReportData {
  title: string;
  summary: Array<[string, string]>;
  warnings: string[];
  weights: LinkWeights;
  threshold: number;
  samples: ReportPair[];
  /** Cluster size → number of clusters. */
  clusterSizes: Array<[size: number, count: number]>;
  labels?: LabelQuality;
  /** Rows of the sweep table (chosen probabilities). */
  sweepTable?: SweepPoint[];
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** Numbers of the one formatter (vi: 1.234.567 and 0,994). */
const num = (x: number, digits = 0) => fmt().dec(x, digits);
const W = 640;

function prCurve(curve: SweepPoint[], at: SweepPoint, best: SweepPoint): string {
  const h = 320;
  const pad = 40;
  const x = (r: number) => pad + r * (W - 2 * pad);
  const y = (p: number) => h - pad - p * (h - 2 * pad);
  const path = curve.map((p, i) => `${i ? 'L' : 'M'}${x(p.recall).toFixed(1)},${y(p.precision).toFixed(1)}`).join(' ');
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (t) =>
        `<text x="${x(t)}" y="${h - pad + 16}" text-anchor="middle">${num(t, 2)}</text><text x="${pad - 6}" ` +
        `y="${y(t) + 4}" text-anchor="end">${num(t, 2)}</text>`,
    )
    .join('');
  const dot = (p: SweepPoint, color: string, label: string) =>
    `<circle cx="${x(p.recall)}" cy="${y(p.precision)}" r="5" fill="${color}"><title>${esc(label)}</title></circle>`;
  return (
    `<svg width="${W}" height="${h}" role="img" aria-label="precision–recall curve">
  <rect x="${pad}" y="${pad}" width="${W - 2 * pad}" height="${h - 2 * pad}" fill="none" stroke="#bbb"/>${ticks}
  <text x="${W / 2}" y="${h - 4}" text-anchor="middle">recall</text><text x="12" y="${h / 2}" ` +
    `transform="rotate(-90 12 ${h / 2})" text-anchor="middle">precision</text>
  <path d="${path}" fill="none" stroke="#1f6feb" stroke-width="2"/>
  ${dot(at, '#d73a49', `threshold ${num(at.weight, 2)} bits: P ${num(at.precision, 3)} R ${num(at.recall, 3)}`)}
  ${dot(best, '#2da44e', `best F1 at ${num(best.weight, 2)} bits: F1 ${num(best.f1, 3)}`)}
</svg>`
  );
}

function levelChart(w: LinkWeights): string {
  const rows = w.comparisons.flatMap((c) => c.levels.filter((l) => l.kind !== 'null').map((l) => ({ c: c.name, l })));
  const max = Math.max(1, ...rows.map((r) => Math.abs(r.l.weight)));
  const rowH = 20;
  const left = 300;
  const mid = left + (W - left) / 2;
  const scale = (W - left) / 2 / max;
  const bars = rows
    .map((r, i) => {
      const y0 = 10 + i * rowH;
      const v = r.l.weight;
      const bx = v >= 0 ? mid : mid + v * scale;
      const tip =
        `${r.c} / ${r.l.label}: m ${fmt().sig(r.l.m, 3)} (${r.l.m_source}), ` +
        `u ${fmt().sig(r.l.u, 3)} (${r.l.u_source}), weight ${fmt().dec(v, 2)} bits`;
      return (
        `<text x="${left - 6}" y="${y0 + 13}" text-anchor="end">${esc(`${r.c}: ${r.l.label}`)}</text>
  <rect x="${bx.toFixed(1)}" y="${y0 + 3}" width="${Math.max(1, Math.abs(v) * scale).toFixed(1)}" ` +
        `height="${rowH - 6}" fill="${v >= 0 ? '#2da44e' : '#d73a49'}"><title>${esc(tip)}</title></rect>
  <text x="${v >= 0 ? bx + Math.abs(v) * scale + 4 : bx - 4}" y="${y0 + 13}" ` +
        `text-anchor="${v >= 0 ? 'start' : 'end'}" font-size="10">${num(v, 1)}</text>`
      );
    })
    .join('\n  ');
  const h = 20 + rows.length * rowH;
  return `<svg width="${W}" height="${h}" role="img" aria-label="match weight per comparison level">
  <line x1="${mid}" y1="0" x2="${mid}" y2="${h}" stroke="#888"/>
  ${bars}
</svg>`;
}

function waterfall(p: ReportPair, threshold: number): string {
  const parts = p.parts.filter((x) => x.weight !== 0 || x.name === 'prior');
  const values = [0];
  let acc = 0;
  for (const x of parts) values.push((acc += x.weight));
  const lo = Math.min(0, threshold, ...values);
  const hi = Math.max(0, threshold, ...values);
  const h = 200;
  const pad = 24;
  const y = (v: number) => pad + ((hi - v) / (hi - lo || 1)) * (h - 2 * pad);
  const bw = Math.min(60, (W - 80) / (parts.length + 1));
  acc = 0;
  const bars = parts
    .map((x, i) => {
      const from = acc;
      acc += x.weight;
      const bx = 60 + i * bw;
      return (
        `<rect x="${bx}" y="${Math.min(y(from), y(acc)).toFixed(1)}" width="${bw - 4}" ` +
        `height="${Math.max(1, Math.abs(y(acc) - y(from))).toFixed(1)}" ` +
        `fill="${x.weight >= 0 ? '#2da44e' : '#d73a49'}">` +
        `<title>${esc(`${x.name}: ${fmt().dec(x.weight, 2)} bits`)}</title></rect>
  <text x="${bx + (bw - 4) / 2}" y="${h - 6}" text-anchor="middle" font-size="9">${esc(x.name.slice(0, 12))}</text>`
      );
    })
    .join('\n  ');
  const total = 60 + parts.length * bw;
  return (
    `<svg width="${W}" height="${h}" role="img" aria-label="waterfall of weights">
  <line x1="50" x2="${total}" y1="${y(0)}" y2="${y(0)}" stroke="#888"/>
  <line x1="50" x2="${total}" y1="${y(threshold)}" y2="${y(threshold)}" stroke="#d73a49" stroke-dasharray="4 ` +
    `3"><title>threshold</title></line>
  <text x="46" y="${y(threshold) + 4}" text-anchor="end" font-size="10">${num(threshold, 1)}</text>
  ${bars}
  <rect x="${total}" y="${Math.min(y(0), y(acc)).toFixed(1)}" width="${bw - 4}" ` +
    `height="${Math.max(1, Math.abs(y(acc) - y(0))).toFixed(1)}" fill="#1f6feb"><title>match ` +
    `weight ${fmt().dec(acc, 2)}</title></rect>
</svg>`
  );
}

function histogram(sizes: Array<[number, number]>): string {
  const h = 200;
  const pad = 30;
  const max = Math.max(1, ...sizes.map(([, n]) => n));
  const bw = Math.min(40, (W - 2 * pad) / Math.max(1, sizes.length));
  const bars = sizes
    .map(([s, n], i) => {
      const bh = Math.max(1, (Math.log10(n + 1) / Math.log10(max + 1)) * (h - 2 * pad));
      const x = pad + i * bw;
      return (
        `<rect x="${x}" y="${h - pad - bh}" width="${bw - 3}" height="${bh}" fill="#1f6feb"><title>${n} ` +
        `cluster(s) of ${s}</title></rect>
  <text x="${x + (bw - 3) / 2}" y="${h - pad + 14}" text-anchor="middle" font-size="10">${s}</text><text ` +
        `x="${x + (bw - 3) / 2}" y="${h - pad - bh - 3}" text-anchor="middle" font-size="9">${num(n)}</text>`
      );
    })
    .join('\n  ');
  return `<svg width="${W}" height="${h}" role="img" aria-label="cluster sizes (log scale)">${bars}
  <text x="${W / 2}" y="${h - 2}" text-anchor="middle">records per cluster (bar heights on a log scale)</text></svg>`;
}

const table = (head: string[], rows: string[][]) =>
  `<table><thead><tr>` +
  head.map((h) => `<th>${esc(h)}</th>`).join('') +
  `</tr></thead><tbody>` +
  rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('') +
  `</tbody></table>`;

/**
 * The report page.
 *
 * @example writeFileSync('out/link-report.html', renderLinkReport(data));
 */
export function renderLinkReport(d: LinkReportData): string {
  const q = d.labels;
  const sections: string[] = [];
  sections.push(`<h2>Summary</h2>${table(['', ''], d.summary)}`);
  if (d.warnings.length)
    sections.push(`<h2>Warnings</h2><ul>${d.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`);
  if (q) {
    const f = (x: number) => num(x, 4);
    sections.push(
      `<h2>Against the labels</h2>
<p>` +
        esc(
          `${num(q.records)} labelled records, ${num(q.positives)} true pairs ` +
            `(${num(q.positivesNotBlocked)} not brought by any blocking rule).`,
        ) +
        `</p>
${table(
  ['', 'threshold (bits)', 'precision', 'recall', 'F1'],
  [
    [
      'pairs at the spec threshold',
      num(q.atThreshold.weight, 2),
      f(q.atThreshold.precision),
      f(q.atThreshold.recall),
      f(q.atThreshold.f1),
    ],
    ['pairs at the best threshold', num(q.best.weight, 2), f(q.best.precision), f(q.best.recall), f(q.best.f1)],
    [
      'clusters (spec threshold)',
      num(d.threshold, 2),
      f(q.clustered.precision),
      f(q.clustered.recall),
      f(q.clustered.f1),
    ],
  ],
)}
<h3>Precision–recall curve</h3>${prCurve(q.curve, q.atThreshold, q.best)}
<p class="note">Red: the spec threshold; green: the best F1. Pairs before clustering.</p>
${
  d.sweepTable
    ? `<h3>Threshold sweep</h3>${table(
        ['match probability', 'match weight', 'predicted', 'correct', 'precision', 'recall', 'F1'],
        d.sweepTable.map((p) => [
          num(p.probability, 4),
          num(p.weight, 2),
          num(p.predicted),
          num(p.correct),
          f(p.precision),
          f(p.recall),
          f(p.f1),
        ]),
      )}`
    : ''
}`,
    );
  }
  sections.push(
    `<h2>Match weight per comparison level</h2>
<p class="note">log2(m/u) in bits; hover a bar for m and u and where they came from. ` +
      `Prior: ${esc(d.weights.prior.toExponential(3))} (${esc(d.weights.prior_source)}).</p>
${levelChart(d.weights)}
${table(
  ['comparison', 'level', 'm', 'u', 'weight (bits)', 'm from', 'u from'],
  d.weights.comparisons.flatMap((c) =>
    c.levels
      .filter((l) => l.kind !== 'null')
      .map((l) => [c.name, l.label, fmt().sig(l.m, 3), fmt().sig(l.u, 3), num(l.weight, 2), l.m_source, l.u_source]),
  ),
)}`,
  );
  sections.push(
    `<h2>Waterfall of weights, sample pairs</h2>${d.samples
      .map(
        (p) =>
          `<h3>${esc(`${p.left} – ${p.right}`)}: ${num(p.matchWeight, 2)} ` +
          `bits${p.truth === undefined ? '' : p.truth ? ' (labelled match)' : ' (labelled non-match)'}</h3><p ` +
          `class="note">${esc(p.why)}</p>${waterfall(p, d.threshold)}`,
      )
      .join('\n')}`,
  );
  sections.push(`<h2>Cluster sizes</h2>${histogram(d.clusterSizes)}`);
  return (
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(d.title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 760px; color: #222; }
table { border-collapse: collapse; margin: .5em 0 1em; } td, th { border: 1px solid #ddd; padding: 2px 8px; ` +
    `text-align: left; }
svg { display: block; margin: .5em 0; font-size: 11px; } .note { color: #666; font-size: 12px; }
</style></head>
<body><h1>${esc(d.title)}</h1>
${sections.join('\n')}
</body></html>
`
  );
}

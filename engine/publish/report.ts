/**
 * report.html: one self-contained page for the analyst (inline CSS and script, no network, a
 * Content-Security-Policy that forbids any load). Vietnamese labels with English in small text.
 * Server-side parts are escaped with `escapeHtml`; cases travel as escaped JSON and the script
 * builds the table with `textContent` only.
 */
import { writeFile } from 'node:fs/promises';
import { caseColumns, type CaseRow } from './case-row.js';
import { maskCaseRow } from './mask.js';
import { caseJsonObject } from './json.js';
import { escapeHtml, scriptJson } from './html.js';
import { casesByProvince, histogramSvg, provinceChartSvg, scoreHistogram } from './report-charts.js';
import { reportCss, reportScript } from './report-client.js';
import type { ReportModel, SourceQuality } from './report-model.js';

export interface ReportOptions {
  /** Mask identifiers in the embedded cases. Default false. */
  maskPii?: boolean;
  /** Most cases embedded in the page's table (charts still count all). Default 2,000. */
  maxCases?: number;
}

/** What the page's script reads from its JSON block. */
export interface ReportData {
  columns: { name: string; kind: string; label_vi: string; label_en: string }[];
  reasons: { code: string; label_vi: string; label_en: string }[];
  cases: ReturnType<typeof caseJsonObject>[];
  total_cases: number;
}

const nf = new Intl.NumberFormat('vi-VN');
const num = (n: number | null | undefined): string => (n === null || n === undefined || !Number.isFinite(n) ? '–' : nf.format(n));

/** The data block embedded in the page (first `maxCases` cases, masked when asked). */
export function reportData(model: ReportModel, opts: ReportOptions = {}): ReportData {
  const max = opts.maxCases ?? 2000;
  const shown = model.cases.slice(0, max).map((r: CaseRow) => caseJsonObject(opts.maskPii ? maskCaseRow(r) : r));
  return {
    columns: caseColumns.map((c) => ({ name: c.name, kind: c.kind, label_vi: c.label_vi, label_en: c.label_en })),
    reasons: model.reasons.map((r) => ({ code: r.code, label_vi: r.label_vi, label_en: r.label_en })),
    cases: shown,
    total_cases: model.cases.length,
  };
}

function card(vi: string, en: string, value: string): string {
  return `<div class="card"><div class="k">${escapeHtml(vi)} <span class="en">${escapeHtml(en)}</span></div><div class="v">${escapeHtml(value)}</div></div>`;
}

function qualityRow(s: SourceQuality): string {
  const share = s.read > 0 ? `${((100 * s.rejected) / s.read).toFixed(2)} %` : '–';
  const top = s.top_rejects.map((r) => `<li>${escapeHtml(r.reason)} <span class="muted">(${escapeHtml(nf.format(r.count))})</span></li>`).join('');
  return (
    `<tr><td>${escapeHtml(s.source)}</td><td class="num">${num(s.read)}</td><td class="num">${num(s.loaded)}</td>` +
    `<td class="num">${num(s.rejected)}</td><td class="num">${share}</td><td>${top ? `<ul>${top}</ul>` : ''}</td></tr>`
  );
}

/**
 * The whole page as a string.
 *
 * @example const html = renderReportHtml(model, { maskPii: true });
 */
export function renderReportHtml(model: ReportModel, opts: ReportOptions = {}): string {
  const { run, totals } = model;
  const data = reportData(model, opts);
  const byProvince = casesByProvince(model.cases);
  const reasonRows = model.reasons
    .map((r) => `<tr><td><span class="tag">${escapeHtml(r.code)}</span></td><td>${escapeHtml(r.label_vi)}</td><td class="en">${escapeHtml(r.label_en)}</td></tr>`)
    .join('');
  const controlCases = model.cases.filter((r) => r.control_slice === 1).length;
  const runCards = [
    card('Hồ sơ trong danh sách', 'Cases', num(totals.cases)),
    card('Người bán đã liên kết', 'Seller entities', num(totals.entities)),
    card('Số thuế kỳ vọng (VND)', 'Expected yield', num(totals.expected_yield_vnd)),
    card('Chênh lệch thuế (VND)', 'Tax gap', num(totals.tax_gap_vnd)),
    card('Mẫu đối chứng ngẫu nhiên', 'Random control cases', num(controlCases)),
    card('Năm tính thuế', 'Tax year', run.tax_year === null ? '–' : String(run.tax_year)),
    card('Mã lần chạy', 'Run id', run.run_id),
    card('Bắt đầu', 'Started', run.started_at),
    card('Kết thúc', 'Finished', run.finished_at),
    card('Phiên bản', 'Engine version', run.engine_version),
    card('Mã cấu hình', 'Config hash', run.config_hash),
    card('Mô hình', 'Model id', run.model_id ?? '–'),
  ].join('');

  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>Sàng lọc – ${escapeHtml(run.run_id)}</title>
<style>${reportCss}</style>
</head>
<body>
<header>
<h1>Sàng lọc – danh sách hồ sơ cần kiểm tra <span class="en">Screening – cases to review</span></h1>
<p class="note">Đây là danh sách gợi ý để cán bộ xác minh, không phải kết luận vi phạm; người nộp thuế luôn được giải trình trước mọi biện pháp.
<span class="en">These are leads for an analyst to verify, not findings; a taxpayer is always heard before any action.</span></p>
${opts.maskPii ? '<p class="note">Các mã định danh đã được che một phần. <span class="en">Identifiers are partly masked.</span></p>' : ''}
</header>
<main>
<section id="overview"><h2>Tổng quan <span class="en">The run at a glance</span></h2><div class="cards">${runCards}</div></section>
<section id="charts"><h2>Biểu đồ <span class="en">Charts (all ${escapeHtml(nf.format(model.cases.length))} cases)</span></h2>
<div class="charts">
<figure><figcaption>Số hồ sơ theo tỉnh <span class="en">Cases by province</span></figcaption>${provinceChartSvg(byProvince)}</figure>
<figure><figcaption>Phân bố điểm rủi ro <span class="en">Risk score histogram</span></figcaption>${histogramSvg(scoreHistogram(model.cases))}</figure>
</div></section>
<section id="cases"><h2>Hồ sơ <span class="en">Cases</span></h2>
<div class="controls">
<label>Tìm <span class="en">Filter</span> <input id="filter-text" type="search" placeholder="tên, MST, SĐT, lý do… / name, ID, reason…"></label>
<label>Tỉnh <span class="en">Province</span> <select id="filter-province"><option value="">(tất cả / all)</option></select></label>
<span id="cases-count" class="muted"></span>
</div>
<div class="layout">
<div class="scroll"><table id="cases-table"><thead><tr id="cases-head"></tr></thead><tbody id="cases-body"></tbody></table></div>
<aside id="detail"><p class="muted">Chọn một hồ sơ để xem chi tiết. <span class="en">Pick a case to see its details.</span></p></aside>
</div></section>
<section id="quality"><h2>Chất lượng dữ liệu <span class="en">Data quality</span></h2>
<table><thead><tr><th>Nguồn <span class="en">Source</span></th><th class="num">Đọc <span class="en">Read</span></th><th class="num">Nạp <span class="en">Loaded</span></th><th class="num">Loại <span class="en">Rejected</span></th><th class="num">% loại <span class="en">% rejected</span></th><th>Lý do loại chính <span class="en">Top reject reasons</span></th></tr></thead>
<tbody>${model.sources.map(qualityRow).join('')}</tbody></table></section>
<section id="reasons"><h2>Mã lý do <span class="en">Reason codes</span></h2>
<table><thead><tr><th>Mã <span class="en">Code</span></th><th>Tiếng Việt</th><th>English</th></tr></thead><tbody>${reasonRows}</tbody></table></section>
</main>
<noscript><p>Bảng hồ sơ cần JavaScript. <span class="en">The case table needs JavaScript; cases.csv holds the same list.</span></p></noscript>
<script type="application/json" id="sangloc-data">${scriptJson(data)}</script>
<script>${reportScript}</script>
</body>
</html>
`;
}

/**
 * Writes report.html for a run.
 *
 * @example await writeReportHtml('runs/r1/report.html', model, { maskPii: false });
 */
export async function writeReportHtml(file: string, model: ReportModel, opts: ReportOptions = {}): Promise<void> {
  await writeFile(file, renderReportHtml(model, opts), 'utf8');
}

/**
 * report.html: one self-contained page for the analyst (inline CSS and script, no network, a
 * Content-Security-Policy that forbids any load). Vietnamese labels with English in small text.
 * Server-side parts are escaped with `escapeHtml`; cases travel as escaped JSON and the script
 * builds the table with `textContent` only.
 */
import { writeFile } from 'node:fs/promises';
import { type CaseColumnName, caseColumns, type CaseRow } from './case-row.js';
import { maskCaseRow } from './mask.js';
import { caseJsonObject } from './json.js';
import { escapeHtml, scriptJson } from './html.js';
import { currentLang, fmt, localeTag } from '../format.js';
import {
  casesByProvince,
  channelBarSvg,
  channelTotals,
  histogramSvg,
  provinceChartSvg,
  revenueScatterSvg,
  scoreHistogram,
  yieldCurve,
  yieldCurveSvg,
} from './report-charts.js';
import { bandLabel, changeWhy, type RunDiff } from '../diff/index.js';
import type { PeriodStats } from '../stats/period.js';
import type { ModelCard } from '../warehouse/models.js';
import { reportCss, reportScript } from './report-client.js';
import type { ReportModel, SourceQuality } from './report-model.js';

export interface ReportOptions {
  /** Mask identifiers in the embedded cases. Default false. */
  maskPii?: boolean;
  /** Most work-list cases embedded in the page's table (charts still count the whole work list). Default 2,000. */
  maxCases?: number;
  /** Language of the summary, the table and the detail panel (headings stay bilingual). Default 'vi'. */
  lang?: 'vi' | 'en';
}

/** What the page's script reads from its JSON block. */
export interface ReportData {
  lang: 'vi' | 'en';
  columns: { name: string; kind: string; label_vi: string; label_en: string; short_vi: string; short_en: string }[];
  /** Columns of the case table (cards on a phone), name and province first. */
  table: string[];
  reasons: { code: string; label_vi: string; label_en: string }[];
  /** The first work-list cases (at most `maxCases`). */
  cases: ReturnType<typeof caseJsonObject>[];
  /** Cases on the work list. */
  total_cases: number;
  /** BCP 47 tag of the numbers (the one formatter's `localeTag`): vi-VN or en-US. */
  locale: string;
  /** Rows in the full ranking (cases.csv). */
  ranked: number;
  /** First changed cases since the previous run, for the changes table (built by the script, like the case table). */
  changes: {
    change: string;
    entity_id: string;
    name: string | null;
    province: string | null;
    rank_a: number | null;
    rank_b: number | null;
    band_a: string;
    band_b: string;
    expected_yield_a: number | null;
    expected_yield_b: number | null;
    /** Why it changed (`changeWhy`): passed others, only moved as others left, dropped as audited … */
    why: string;
  }[];
}

/** Short column labels for the table header and the detail panel (the long ones are tooltips). */
const shortLabels: Record<CaseColumnName, [vi: string, en: string]> = {
  rank: ['Hạng', 'Rank'],
  entity_id: ['Mã thực thể', 'Entity id'],
  risk_score: ['Điểm rủi ro', 'Risk score'],
  expected_yield_vnd: ['Thuế kỳ vọng (VND)', 'Expected yield (VND)'],
  estimated_revenue_vnd: ['Doanh thu ước tính', 'Estimated revenue'],
  declared_revenue_vnd: ['Doanh thu kê khai', 'Declared revenue'],
  undeclared_revenue_vnd: ['Doanh thu chưa kê khai', 'Undeclared revenue'],
  tax_gap_vnd: ['Chênh lệch thuế (VND)', 'Tax gap (VND)'],
  name: ['Tên người bán', 'Seller'],
  tax_ids: ['Mã số thuế', 'Tax codes'],
  national_ids: ['Số CCCD', 'National IDs'],
  phones: ['Điện thoại', 'Phones'],
  province: ['Tỉnh/thành', 'Province'],
  sources: ['Nguồn dữ liệu', 'Sources'],
  reason_codes: ['Lý do', 'Reasons'],
  reasons: ['Diễn giải lý do', 'Reasons (text)'],
  control_slice: ['Đối chứng ngẫu nhiên', 'Random control'],
  tax_year: ['Năm tính thuế', 'Tax year'],
  activity_group: ['Nhóm ngành', 'Activity group'],
  platform_revenue_vnd: ['Doanh thu sàn', 'Marketplace revenue'],
  cod_revenue_vnd: ['Doanh thu COD', 'COD revenue'],
  bank_revenue_vnd: ['Tiền bán hàng qua ngân hàng', 'Bank sales credits'],
  tax_withheld_vnd: ['Thuế sàn đã khấu trừ', 'Tax withheld by platforms'],
  emails: ['Thư điện tử', 'E-mails'],
  accounts: ['Tài khoản ngân hàng', 'Bank accounts'],
  domains: ['Website / ứng dụng', 'Websites / apps'],
  shops: ['Gian hàng', 'Marketplace shops'],
  record_count: ['Số bản ghi', 'Records'],
  tax_rate: ['Thuế suất', 'Tax rate'],
  tax_rate_min: ['Thuế suất thấp nhất', 'Lowest rate'],
  tax_rate_max: ['Thuế suất cao nhất', 'Highest rate'],
  tax_rate_basis: ['Căn cứ thuế suất', 'Rate basis'],
};

/** The case table's columns, in order: who and where first, then what it is worth and why. */
export const tableColumns: readonly CaseColumnName[] = [
  'name',
  'province',
  'expected_yield_vnd',
  'risk_score',
  'tax_gap_vnd',
  'reason_codes',
  'rank',
];

/** Changed cases embedded in the page at most. */
const maxChanges = 100;

/** Rows linked to no seller: counted in the data-quality section, never assigned as a block. */
function unattributedNote(u: ReportModel['unattributed']): string {
  if (!u) return '';
  // runs from before `by_source` counted COD parcels only
  const all = u.by_source ?? [{ source: u.source, rows: u.rows, vnd: u.vnd }];
  const withRows = all.filter((p) => p.rows > 0);
  const parts = withRows.length > 0 ? withRows : all.slice(0, 1);
  const why: Record<string, string> = {
    cod_shipments:
      'bưu phẩm do kho hàng gửi hộ, không còn tên, số điện thoại hay tài khoản nào của chính người bán. ' +
      `<span class="en">Parcels a fulfilment warehouse booked with nothing of the seller's own left on them.</span>`,
    bank_transactions:
      'tiền chuyển vào tài khoản đang nhận tiền của người bán khác (tài khoản người thân), không ghi tên ai. ' +
      '<span class="en">Transfers into an account that receives another seller\'s payouts or remittances ' +
      "(a relative's account), naming nobody.</span>",
  };
  return parts
    .map((p) => {
      const cod = p.source === 'cod_shipments';
      const id = cod ? 'unattributed' : `unattributed-${p.source.replace(/_/g, '-')}`;
      return (
        `<p id="${escapeHtml(id)}">Không gán cho người bán nào <span class="en">Unattributed</span>: ` +
        `${escapeHtml(fmt().int(p.rows))} dòng ${escapeHtml(p.source)} ` +
        `(${escapeHtml(fmt().int(p.vnd))} VND${cod ? ' đã giao' : ''}) ` +
        `<span class="muted">— ${why[p.source] ?? ''}</span></p>`
      );
    })
    .join('');
}
/** What each reconciliation bucket means, in both languages (engine/features/reconcile.ts). */
const bucketLabels: Record<string, [string, string]> = {
  counted: ['tính vào doanh thu', 'counted in revenue'],
  other_year: ['năm thuế khác', 'another tax year'],
  returned: ['bị hoàn', 'returned'],
  cancelled: ['bị hủy', 'cancelled'],
  unattributed: ['không gán cho người bán nào', 'linked to no seller'],
  marketplace: ['thu hộ cho sàn (đã có trong GMV)', 'collected for a marketplace (already in GMV)'],
  carrier_remittance: [
    'tiền COD hãng vận chuyển trả về (đã tính theo bưu phẩm)',
    'carrier COD remittance (counted as parcels)',
  ],
  carrier_remittance_no_parcels: [
    'tiền COD hãng vận chuyển trả cho người bán không có bưu phẩm nào được tính (bưu phẩm do kho gửi hộ)',
    'carrier COD remittance to a seller with no parcel counted (its parcels are among the unattributed)',
  ],
  platform_payout: ['sàn thanh toán (đã tính trong GMV)', 'marketplace payout (counted as GMV)'],
  private: ['không phải tiền bán hàng (lương, gia đình…)', 'not a sale (salary, family…)'],
  unexplained: [
    'đã gán cho người bán nhưng không tính, không rõ lý do',
    'attributed to a seller, not counted, no reason',
  ],
};

/**
 * Every COD parcel and bank credit of the tax year: counted in some seller's revenue, or why not
 * (run.json `revenue_reconciliation`), with the revenue the counted rows add up to.
 */
function reconciliationTable(r: ReportModel['reconciliation']): string {
  if (!r) return '';
  const rows = r.sources.flatMap((s) =>
    s.buckets
      .filter((b) => b.rows > 0 || b.bucket === 'counted' || b.bucket === 'unexplained')
      .map((b) => {
        const [vi, en] = bucketLabels[b.bucket] ?? [b.bucket, b.bucket];
        const bad = b.bucket === 'unexplained' && b.rows > 0;
        return (
          `<tr${bad ? ' class="note"' : ''}><td>${escapeHtml(s.source)}</td><td>${escapeHtml(vi)} ` +
          `<span class="en">${escapeHtml(en)}</span></td><td class="num">${num(b.rows)}</td>` +
          `<td class="num">${num(b.vnd)}</td></tr>`
        );
      }),
  );
  const revenue = r.sources
    .map((s) => `${escapeHtml(s.source)} ${escapeHtml(fmt().int(s.revenue_vnd))} VND`)
    .join(', ');
  return (
    `<h3 id="reconciliation">Đối soát doanh thu năm ${escapeHtml(String(r.tax_year))} <span class="en">Revenue ` +
    `reconciliation</span></h3><p class="muted">Mỗi bưu phẩm COD và khoản tiền vào tài khoản: tính vào doanh thu ` +
    `của một người bán, hoặc lý do không tính. Doanh thu đã tính: ${revenue}. <span class="en">Every COD parcel ` +
    `and bank credit: counted in a seller's revenue, or why not.</span></p>` +
    `<div class="scroll short"><table><thead><tr><th>Nguồn <span class="en">Source</span></th><th>Nhóm ` +
    `<span class="en">Bucket</span></th><th class="num">Dòng <span class="en">Rows</span></th>` +
    `<th class="num">VND</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`
  );
}

const num = (n: number | null | undefined): string =>
  n === null || n === undefined || !Number.isFinite(n) ? '–' : fmt().int(n);
const time = (iso: string | null | undefined): string => (iso ? fmt().time(iso) : '–');

/** The data block embedded in the page (first `maxCases` cases, masked when asked). */
export function reportData(model: ReportModel, opts: ReportOptions = {}): ReportData {
  const max = Math.min(opts.maxCases ?? 2000, model.workList.cases);
  const shown = model.cases.slice(0, max).map((r: CaseRow) => caseJsonObject(opts.maskPii ? maskCaseRow(r) : r));
  return {
    lang: opts.lang ?? currentLang(),
    columns: caseColumns.map((c) => ({
      name: c.name,
      kind: c.kind,
      label_vi: c.label_vi,
      label_en: c.label_en,
      short_vi: shortLabels[c.name][0],
      short_en: shortLabels[c.name][1],
    })),
    table: [...tableColumns],
    reasons: model.reasons.map((r) => ({ code: r.code, label_vi: r.label_vi, label_en: r.label_en })),
    cases: shown,
    locale: localeTag[opts.lang ?? currentLang()],
    total_cases: model.workList.cases,
    ranked: model.cases.length,
    changes: (model.diff?.changes ?? []).slice(0, maxChanges).map((c) => ({
      change: c.change,
      entity_id: c.entity_id,
      name: c.name,
      province: c.province,
      rank_a: c.rank_a,
      rank_b: c.rank_b,
      band_a: c.band_a === null ? '–' : bandLabel(c.band_a, model.diff!.bands),
      band_b: c.band_b === null ? '–' : bandLabel(c.band_b, model.diff!.bands),
      expected_yield_a: c.expected_yield_a,
      expected_yield_b: c.expected_yield_b,
      why: changeWhy(c, opts.lang ?? currentLang()),
    })),
  };
}

function card(vi: string, en: string, value: string): string {
  return (
    `<div class="card"><div class="k">${escapeHtml(vi)} <span ` +
    `class="en">${escapeHtml(en)}</span></div><div class="v">${escapeHtml(value)}</div></div>`
  );
}

function qualityRow(s: SourceQuality): string {
  const share = s.read > 0 ? fmt().pct(s.rejected / s.read, 2) : '–';
  const top = s.top_rejects
    .map((r) => `<li>${escapeHtml(r.reason)} <span class="muted">(${escapeHtml(fmt().int(r.count))})</span></li>`)
    .join('');
  return (
    `<tr><td>${escapeHtml(s.source)}</td><td class="num">${num(s.read)}</td><td class="num">${num(s.loaded)}</td>` +
    `<td class="num">${num(s.rejected)}</td><td class="num">${share}</td><td>${top ? `<ul>${top}</ul>` : ''}</td></tr>`
  );
}

const pct = (r: number | null) => (r === null ? '–' : fmt().pct(r, 1));

/** Feature importance as horizontal bars (top 12). */
function importanceSvg(card: ModelCard): string {
  const top = card.feature_importance.slice(0, 12);
  const max = Math.max(1e-9, ...top.map((f) => f.importance));
  const rowH = 18;
  const bars = top.map((f, i) => {
    const w = Math.max(1, Math.round((f.importance / max) * 220));
    const y = i * rowH + 2;
    return (
      `<text x="174" y="${y + 13}" text-anchor="end">${escapeHtml(f.feature)}</text>` +
      `<rect x="180" y="${y + 3}" width="${w}" height="${rowH - 6}" class="bar"></rect>` +
      `<text x="${186 + w}" y="${y + 13}">${escapeHtml(fmt().dec(f.importance, 3))}</text>`
    );
  });
  const h = top.length * rowH + 4;
  return (
    `<svg class="chart" role="img" aria-label="Mức quan trọng của biến / Feature importance" viewBox="0 0 ` +
    `460 ${h}" width="460" height="${h}">${bars.join('')}</svg>`
  );
}

function modelSection(model: ReportModel): string {
  if (model.model === undefined) return '';
  const c = model.model;
  const body = c
    ? `<div class="cards">${[
        card('Mô hình', 'Model id', c.model_id),
        card('Nhãn huấn luyện', 'Training labels (audit outcomes)', num(c.labels)),
        card('Phát hiện sai phạm', 'Undeclared', num(c.positives)),
        card('Kiểm tra ngẫu nhiên', 'From random audits (weighted up)', num(c.random_labels)),
        card('AUC kiểm định chéo', 'Cross-validated AUC', fmt().dec(c.cv_auc, 3)),
        card('Độ chính xác top 10 %', 'Cross-validated precision, top 10 %', fmt().dec(c.cv_precision_at_tenth, 3)),
        card('Năm tính thuế', 'Tax year', String(c.tax_year)),
        card('Huấn luyện lúc', 'Trained at', time(c.created_at)),
      ].join('')}</div>
<figure><figcaption>Mức quan trọng của biến <span class="en">Feature ` +
      `importance</span></figcaption>${importanceSvg(c)}</figure>`
    : `<p><b>Không có mô hình: chỉ dùng quy tắc.</b> <span class="en">No model: rules only.</span></p>`;
  const scorer = model.scorer ? `<p class="muted">${escapeHtml(model.scorer)}</p>` : '';
  return `<section id="model"><h2>Mô hình chấm điểm <span class="en">Model card</span></h2>${body}${scorer}</section>`;
}

function diffSection(diff: RunDiff | null | undefined): string {
  if (diff === undefined) return '';
  if (diff === null) {
    return (
      `<section id="changes"><h2>Thay đổi so với lần chạy trước <span class="en">Changes since the ` +
      `previous run</span></h2><p class="muted">Lần chạy đầu tiên: chưa có gì để so sánh. <span ` +
      `class="en">First run: nothing to compare with.</span></p></section>`
    );
  }
  const labels: Record<string, [string, string]> = {
    new: ['Mới', 'New'],
    escalated: ['Tăng mức ưu tiên', 'Escalated'],
    'de-escalated': ['Giảm mức ưu tiên', 'De-escalated'],
    'moved-up': ['Lên hạng do hồ sơ khác rời đi', 'Moved up as others left'],
    'moved-down': ['Xuống hạng do hồ sơ mới vào', 'Moved down as others came in'],
    dropped: ['Ra khỏi danh sách', 'Dropped'],
    unchanged: ['Không đổi', 'Unchanged'],
  };
  const cards =
    (Object.keys(labels) as (keyof RunDiff['counts'])[])
      .map((k) => card(labels[k]![0], labels[k]![1], num(diff.counts[k])))
      .join('') +
    card('Thay đổi số thuế kỳ vọng (VND)', 'Expected yield change', fmt().signed(diff.expected_yield_delta));
  const shown = Math.min(diff.changes.length, maxChanges);
  const more =
    diff.changes.length > shown
      ? `<p class="muted">… ${num(diff.changes.length - shown)} thay đổi khác / more changes (sangloc diff ` +
        `--out FILE.csv)</p>`
      : '';
  return (
    `<section id="changes"><h2>Thay đổi so với lần chạy trước <span class="en">Changes since the previous ` +
    `run (${escapeHtml(diff.run_a)})</span></h2>
<div class="cards">${cards}</div>
` +
    (shown
      ? `<div class="scroll short"><table><thead><tr><th>Thay đổi <span ` +
        `class="en">Change</span></th><th>entity_id</th><th>Tên <span class="en">Name</span></th><th>Tỉnh <span ` +
        `class="en">Province</span></th><th class="num">Hạng <span class="en">Rank</span></th><th>Nhóm <span ` +
        `class="en">Band</span></th>` +
        `<th class="num">Thuế kỳ vọng <span class="en">Expected yield</span></th><th>Lý do <span ` +
        `class="en">Why</span></th></tr></thead>` +
        `<tbody id="changes-body"></tbody></table></div>${more}`
      : '') +
    `
</section>`
  );
}

function statsSection(stats: PeriodStats | null | undefined): string {
  if (!stats) return '';
  const row = (r: PeriodStats['total']) =>
    `<tr` +
    (r.province === null ? ' class="total"' : '') +
    `><td>${escapeHtml(r.province === null ? 'Tổng / Total' : r.province || '(chưa rõ / unknown)')}</td>` +
    [
      r.sellers,
      r.sellers_platform,
      r.sellers_cod,
      r.sellers_bank,
      r.observed_revenue_vnd,
      r.declared_revenue_vnd,
      r.tax_gap_vnd,
      r.audits,
    ]
      .map((v) => `<td class="num">${num(v)}</td>`)
      .join('') +
    `<td class="num">${pct(r.hit_rate)}</td><td class="num">${num(r.yield_per_case_vnd)}</td></tr>`;
  return (
    `<section id="stats"><h2>Thống kê kỳ ${escapeHtml(stats.period.label)} <span class="en">Period ` +
    `statistics by province (all sellers identified, not only the list)</span></h2>
<div class="scroll short"><table><thead><tr><th>Tỉnh <span class="en">Province</span></th><th class="num">Người ` +
    `bán <span class="en">Sellers</span></th><th class="num">Sàn <span class="en">Platform</span></th><th ` +
    `class="num">COD</th><th class="num">Ngân hàng <span class="en">Bank</span></th>
<th class="num">Doanh thu quan sát <span class="en">Observed (VND)</span></th><th class="num">Kê khai <span ` +
    `class="en">Declared (VND)</span></th><th class="num">Chênh lệch thuế <span class="en">Tax gap (VND)</span></th>
<th class="num">Đã kiểm tra <span class="en">Audits</span></th><th class="num">Tỷ lệ phát hiện <span ` +
    `class="en">Hit rate</span></th><th class="num">Thuế/hồ sơ <span class="en">Yield per case</span></th></tr></thead>
<tbody>${stats.rows.map(row).join('')}${row(stats.total)}</tbody></table></div></section>`
  );
}

/** One data-quality alert, both languages. */
export interface QualityAlert {
  vi: string;
  en: string;
}

/**
 * What the analyst should know about the data before trusting the list: files lost whole (refused, or every row
 * rejected: first, so the summary names them), sources with rejected rows, sources that delivered nothing,
 * unattributed parcels, work-list cases without a province.
 *
 * @example qualityAlerts(model) // [{ vi: 'cod_shipments: 10 dòng bị loại (1 %)', en: '…' }]
 */
export function qualityAlerts(model: ReportModel): QualityAlert[] {
  const out: QualityAlert[] = [];
  const [vi, en] = [fmt('vi'), fmt('en')];
  for (const p of model.loadProblems ?? [])
    out.push(
      p.status === 'failed'
        ? {
            vi: `${p.file}: KHÔNG NẠP được tệp (bị từ chối), danh sách thiếu dữ liệu ${p.source} của tệp này`,
            en: `${p.file}: NOT LOADED (file refused); the list lacks its ${p.source} rows`,
          }
        : {
            vi:
              `${p.file}: KHÔNG NẠP được tệp, cả ${vi.int(p.rows_rejected)} dòng bị loại; danh sách thiếu ` +
              `dữ liệu ${p.source} của tệp này`,
            en:
              `${p.file}: NOT LOADED, all ${en.int(p.rows_rejected)} rows rejected; the list lacks its ` +
              `${p.source} rows`,
          },
    );
  for (const s of model.sources) {
    if (s.read === 0) out.push({ vi: `${s.source}: không có dòng nào`, en: `${s.source}: no rows delivered` });
    else if (s.rejected > 0) {
      const share = s.rejected / s.read;
      out.push({
        vi: `${s.source}: ${vi.int(s.rejected)} dòng bị loại (${vi.pct(share, 2)})`,
        en: `${s.source}: ${en.int(s.rejected)} rows rejected (${en.pct(share, 2)})`,
      });
    }
    if (s.warnings)
      out.push({
        vi: `${s.source}: ${vi.int(s.warnings)} dòng có mã số thuế / số CCCD sai dạng (vẫn nạp, không dùng liên kết)`,
        en: `${s.source}: ${en.int(s.warnings)} rows with a malformed tax code / personal ID (loaded, not linked on)`,
      });
    if (s.restored)
      out.push({
        vi: `${s.source}: ${vi.int(s.restored)} mã số thuế / số CCCD bị Excel làm mất số 0 đầu, đã khôi phục`,
        en: `${s.source}: ${en.int(s.restored)} tax codes / personal IDs had lost their leading zero (Excel); restored`,
      });
  }
  const u = model.unattributed;
  for (const p of u ? (u.by_source ?? [u]) : [])
    if (p.rows > 0)
      out.push({
        vi: `${vi.int(p.rows)} dòng ${p.source} không gán cho người bán nào`,
        en: `${en.int(p.rows)} ${p.source} rows linked to no seller`,
      });
  const r = model.reconciliation;
  if (r && (r.unexplained.rows > 0 || r.unexplained.revenue_mismatch_vnd !== 0))
    out.push({
      vi:
        `Doanh thu không khớp: ${vi.int(r.unexplained.rows)} dòng (${vi.int(r.unexplained.vnd)} VND) đã gán ` +
        `cho người bán nhưng không tính, chênh lệch ${vi.int(r.unexplained.revenue_mismatch_vnd)} VND`,
      en:
        `Revenue does not reconcile: ${en.int(r.unexplained.rows)} rows (${en.int(r.unexplained.vnd)} VND) ` +
        `attributed but not counted, ${en.int(r.unexplained.revenue_mismatch_vnd)} VND difference`,
    });
  const noProvince = model.cases.slice(0, model.workList.cases).filter((r) => !r.province).length;
  if (noProvince > 0)
    out.push({
      vi: `${vi.int(noProvince)} hồ sơ chưa rõ tỉnh`,
      en: `${en.int(noProvince)} cases with an unknown province`,
    });
  return out;
}

/** The compact block at the top: the work list, what it is worth, data-quality alerts; run metadata collapsed. */
function summarySection(model: ReportModel, lang: 'vi' | 'en'): string {
  const w = model.workList;
  const { run } = model;
  const t = (vi: string, en: string) => (lang === 'en' ? en : vi);
  const n = (v: number) => fmt(lang).int(v);
  const alerts = qualityAlerts(model);
  const kpi = (id: string, label: string, value: string, sub: string) =>
    `<div class="kpi" id="${id}"><div class="v">${escapeHtml(value)}</div><div class="k">${escapeHtml(label)}` +
    (sub ? `<br><span class="muted">${escapeHtml(sub)}</span>` : '') +
    `</div></div>`;
  const alertKpi =
    `<div class="kpi${alerts.length ? ' warn' : ''}" id="kpi-alerts">` +
    `<div class="v">${escapeHtml(n(alerts.length))}</div>` +
    `<div class="k"><a href="#quality">${escapeHtml(t('Cảnh báo chất lượng dữ liệu', 'Data-quality alerts'))}</a><br>` +
    `<span class="muted">${escapeHtml(
      alerts.length
        ? alerts
            .slice(0, 3)
            .map((a) => t(a.vi, a.en))
            .join('; ') + (alerts.length > 3 ? ' …' : '')
        : t('không có', 'none'),
    )}</span></div></div>`;
  const kpis = [
    kpi(
      'kpi-cases',
      t('Hồ sơ trong danh sách kiểm tra', 'Cases on the work list'),
      n(w.cases),
      t(
        `${n(w.scored)} theo điểm + ${n(w.control)} đối chứng ngẫu nhiên`,
        `${n(w.scored)} by expected yield + ${n(w.control)} random control`,
      ),
    ),
    kpi(
      'kpi-positive',
      t('Có số thuế kỳ vọng > 0', 'With expected yield > 0'),
      n(w.with_expected_yield),
      t(`trong ${n(w.ranked)} người bán được xếp hạng`, `of ${n(w.ranked)} sellers ranked`),
    ),
    kpi(
      'kpi-yield',
      t('Tổng số thuế kỳ vọng (VND)', 'Total expected yield (VND)'),
      n(w.expected_yield_vnd),
      t(`năm tính thuế ${run.tax_year ?? '–'}`, `tax year ${run.tax_year ?? '–'}`),
    ),
    alertKpi,
  ].join('');
  const meta = [
    card('Mã lần chạy', 'Run id', run.run_id),
    card('Bắt đầu', 'Started', time(run.started_at)),
    card('Kết thúc', 'Finished', time(run.finished_at)),
    card('Người bán đã liên kết', 'Seller entities', n(model.totals.entities)),
    card('Xếp hạng trong cases.csv', 'Ranked in cases.csv', n(w.ranked)),
    card('Chênh lệch thuế của danh sách (VND)', 'Tax gap of the work list', n(model.totals.tax_gap_vnd)),
    card('Phiên bản', 'Engine version', run.engine_version),
    card('Mã cấu hình', 'Config hash', run.config_hash),
    card('Mô hình', 'Model id', run.model_id ?? '–'),
  ].join('');
  // Files lost whole, each with why: above everything else, the list is incomplete without them.
  const lost = model.loadProblems ?? [];
  const lostBlock = lost.length
    ? `<div id="load-problems" class="lost"><strong>${escapeHtml(
        t(
          `${n(lost.length)} tệp không nạp được — danh sách này thiếu dữ liệu của chúng; sửa tệp rồi chạy lại:`,
          `${n(lost.length)} file(s) not loaded — this list lacks their rows; fix them and run again:`,
        ),
      )}</strong><ul>${lost
        .map((p) => `<li>${escapeHtml(`${p.file} (${p.source}): ${p.reason}`)}</li>`)
        .join('')}</ul></div>`
    : '';
  return (
    `<section id="summary"><h2 class="sr">${escapeHtml(t('Tóm tắt', 'Summary'))}</h2>${lostBlock}` +
    `<div class="kpis">${kpis}</div>` +
    `<details id="run-meta"><summary>${escapeHtml(t('Thông tin lần chạy', 'Run details'))} ` +
    `<span class="muted">${escapeHtml(run.run_id)}</span></summary><div class="cards">${meta}</div></details></section>`
  );
}

/**
 * The whole page as a string: the summary and the case table first, everything else below.
 *
 * @example const html = renderReportHtml(model, { maskPii: true });
 */
export function renderReportHtml(model: ReportModel, opts: ReportOptions = {}): string {
  const lang = opts.lang ?? currentLang();
  const data = reportData(model, opts);
  const workList = model.cases.slice(0, model.workList.cases);
  const byProvince = casesByProvince(workList);
  const reasonRows = model.reasons
    .map(
      (r) =>
        `<tr><td><span class="tag">${escapeHtml(r.code)}</span></td><td>${escapeHtml(r.label_vi)}</td><td ` +
        `class="en">${escapeHtml(r.label_en)}</td></tr>`,
    )
    .join('');
  const channels = channelTotals(workList);
  const channelCards = [
    card(
      'Doanh thu trên sàn (VND)',
      `Marketplace, ${fmt().int(channels.platform_cases)} cases`,
      num(channels.platform_vnd),
    ),
    card('Doanh thu COD (VND)', `Cash on delivery, ${fmt().int(channels.cod_cases)} cases`, num(channels.cod_vnd)),
    card(
      'Tiền bán hàng qua ngân hàng (VND)',
      `Bank credits from buyers, ${fmt().int(channels.bank_cases)} cases`,
      num(channels.bank_vnd),
    ),
    card('Doanh thu đã kê khai (VND)', 'Declared', num(channels.declared_vnd)),
    card('Thuế sàn đã khấu trừ (VND)', 'Withheld by platforms', num(channels.withheld_vnd)),
  ].join('');
  const t = (vi: string, en: string) => escapeHtml(lang === 'en' ? en : vi);

  return (
    `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src ` +
    `'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>Sàng lọc – ${escapeHtml(model.run.run_id)}</title>
<style>${reportCss}</style>
</head>
<body>
<header>
<h1>${t('Sàng lọc – danh sách hồ sơ cần kiểm tra', 'Screening – cases to review')}</h1>
<p class="note">${t(
      'Danh sách gợi ý để cán bộ xác minh, không phải kết luận vi phạm; người nộp thuế luôn được giải trình trước ' +
        'mọi biện pháp.',
      'Leads for an analyst to verify, not findings; a taxpayer is always heard before any action.',
    )}` +
    (opts.maskPii ? ` ${t('Các mã định danh đã được che một phần.', 'Identifiers are partly masked.')}` : '') +
    `</p>
</header>
<main>
${summarySection(model, lang)}
<section id="cases"><h2>${t('Hồ sơ trong danh sách kiểm tra', 'Cases on the work list')} <span class="en">${t(
      'cases.csv giữ toàn bộ xếp hạng',
      'cases.csv holds the full ranking',
    )}</span></h2>
<div class="controls">
<label>${t('Tìm', 'Filter')} <input id="filter-text" type="search" placeholder="${t(
      'tên, MST, SĐT, lý do…',
      'name, ID, phone, reason…',
    )}"></label>
<label>${t('Tỉnh', 'Province')} <select id="filter-province"><option value="">${t(
      '(tất cả)',
      '(all)',
    )}</option></select></label>
<label>${t('Lý do', 'Reason')} <select id="filter-reason"><option value="">${t('(tất cả)', '(all)')}</option>` +
    `</select></label>
<label>${t('Loại', 'Kind')} <select id="filter-kind"><option value="">${t('(tất cả)', '(all)')}</option>` +
    `<option value="scored">${t('theo điểm', 'by score')}</option>` +
    `<option value="control">${t('đối chứng ngẫu nhiên', 'random control')}</option></select></label>
<span id="cases-count" class="muted"></span>
</div>
<div class="layout">
<div class="scroll" id="cases-scroll"><table id="cases-table"><thead><tr id="cases-head"></tr></thead><tbody ` +
    `id="cases-body"></tbody></table></div>
<aside id="detail"><p class="muted">${t('Chọn một hồ sơ để xem chi tiết.', 'Pick a case to see its details.')}` +
    `</p></aside>
</div></section>
<section id="channels"><h2>Doanh thu theo kênh <span class="en">Channels (cases on the ` +
    `work list)</span></h2><div class="cards">${channelCards}</div>${channelBarSvg(channels)}</section>
<section id="charts"><h2>Biểu đồ <span class="en">Charts (the ${escapeHtml(fmt().int(workList.length))} ` +
    `cases on the work list)</span></h2>
<div class="charts">
<figure><figcaption>Số hồ sơ theo tỉnh <span class="en">Cases by ` +
    `province</span></figcaption>${provinceChartSvg(byProvince)}</figure>
<figure><figcaption>Phân bố điểm rủi ro <span class="en">Risk score ` +
    `histogram</span></figcaption>${histogramSvg(scoreHistogram(workList))}</figure>
<figure><figcaption>Số thuế kỳ vọng cộng dồn theo thứ hạng so với chọn ngẫu nhiên <span class="en">Cumulative ` +
    `expected yield by rank vs random selection</span></figcaption>${yieldCurveSvg(yieldCurve(workList))}</figure>
<figure><figcaption>Doanh thu quan sát và kê khai <span class="en">Observed vs declared revenue (log scales; ` +
    `dots below the line declared less)</span></figcaption>${revenueScatterSvg(workList)}</figure>
</div></section>
${diffSection(model.diff)}
${modelSection(model)}
${statsSection(model.stats)}
<section id="quality"><h2>Chất lượng dữ liệu <span class="en">Data quality</span></h2>
<div class="scroll short"><table><thead><tr><th>Nguồn <span class="en">Source</span></th><th class="num">Đọc <span ` +
    `class="en">Read</span></th><th class="num">Nạp <span class="en">Loaded</span></th><th class="num">Loại ` +
    `<span class="en">Rejected</span></th><th class="num">% loại <span class="en">% rejected</span></th><th>Lý ` +
    `do loại chính <span class="en">Top reject reasons</span></th></tr></thead>
<tbody>${model.sources.map(qualityRow).join('')}</tbody></table></div>${unattributedNote(model.unattributed)}
${reconciliationTable(model.reconciliation)}</section>
<section id="reasons"><h2>Mã lý do <span class="en">Reason codes</span></h2>
<div class="scroll short"><table><thead><tr><th>Mã <span class="en">Code</span></th><th>Tiếng ` +
    `Việt</th><th>English</th></tr></thead><tbody>${reasonRows}</tbody></table></div></section>
</main>
<noscript><p>Bảng hồ sơ cần JavaScript. <span class="en">The case table needs JavaScript; cases.csv holds the ` +
    `same list.</span></p></noscript>
<script type="application/json" id="sangloc-data">${scriptJson(data)}</script>
<script>${reportScript}</script>
</body>
</html>
`
  );
}

/**
 * Writes report.html for a run.
 *
 * @example await writeReportHtml('runs/r1/report.html', model, { maskPii: false });
 */
export async function writeReportHtml(file: string, model: ReportModel, opts: ReportOptions = {}): Promise<void> {
  await writeFile(file, renderReportHtml(model, opts), 'utf8');
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CaseRow } from '../../engine/publish/case-row.js';
import { escapeHtml, scriptJson } from '../../engine/publish/html.js';
import { caseJsonObject } from '../../engine/publish/json.js';
import {
  casesByProvince,
  channelTotals,
  revenueScatterSvg,
  scoreHistogram,
  yieldCurve,
} from '../../engine/publish/report-charts.js';
import { caseTotals, type ReportModel, workListSummary } from '../../engine/publish/report-model.js';
import { qualityAlerts, renderReportHtml, writeReportHtml, type ReportData } from '../../engine/publish/report.js';
import { dataBlock, runReportScript } from './fake-dom.js';
import { caseRow, manyRows, reasons } from './fixtures.js';
import { tempDir } from './helpers.js';
import { fullReportModel } from './report-fixtures.js';

const path = tempDir('report');

function model(cases: CaseRow[]): ReportModel {
  return {
    run: {
      run_id: '20261201T020000Z-ab12',
      started_at: '2026-12-01T02:00:00.000Z',
      finished_at: '2026-12-01T02:03:10.000Z',
      tax_year: 2026,
      engine_version: '0.1.0',
      config_hash: 'c0ffee',
      model_id: null,
    },
    workList: workListSummary(cases, cases.length),
    sources: [
      {
        source: 'cod_shipments',
        read: 1000,
        loaded: 990,
        rejected: 10,
        top_rejects: [
          { reason: 'cod_amount: not a whole number <x>', count: 7 },
          { reason: 'waybill: required', count: 3 },
        ],
      },
      { source: 'taxpayers', read: 0, loaded: 0, rejected: 0, top_rejects: [] },
    ],
    totals: caseTotals(cases, 5_000),
    cases,
    reasons,
  };
}

const hostile = caseRow({
  rank: 2,
  entity_id: 'E-evil',
  name: '<script>alert(1)</script>',
  province: '<b>Hà Nội</b> & "co"',
  reasons: ['</script><img src=x onerror=alert(1)>', 'line\u2028sep\u2029end <!-- comment'],
  shops: ['shopee:<iframe>'],
  risk_score: 0.42,
});
const rows = [
  caseRow(),
  hostile,
  caseRow({
    rank: 3,
    entity_id: 'E3',
    name: 'Trần Văn Bình',
    province: 'Đà Nẵng',
    risk_score: 0.97,
    tax_ids: [],
    national_ids: [],
    phones: ['0388000111'],
    emails: [],
    accounts: [],
    domains: [],
    shops: [],
  }),
];
const html = renderReportHtml(model(rows));

describe('report.html safety', () => {
  it('loads nothing from the network and forbids it', () => {
    expect(html).toContain(`Content-Security-Policy" content="default-src 'none'`);
    // The SVG namespace name the script passes to createElementNS is an identifier, never fetched.
    expect(html.match(/https?:\/\/[^'"\s]*/g) ?? []).toEqual(['http://www.w3.org/2000/svg']);
    // Data may say `src=` as text inside the JSON block (its `<` is escaped); markup may not.
    const markup = html.replace(dataBlock(html), '');
    expect(dataBlock(html)).not.toMatch(/[<>]/);
    // The only reference is the empty data: favicon, which stops browsers asking for /favicon.ico.
    expect(
      [...markup.matchAll(/\s(src|href|srcset|action|poster|formaction|data)\s*=\s*"([^"]*)"/gi)].map((m) =>
        m[0].trim(),
      ),
    ).toEqual(['href="data:,"', 'href="#quality"']);
    expect(markup.match(/\s(src|href|srcset|action|poster|formaction)\s*=/gi)).toHaveLength(2);
    expect(markup).not.toMatch(/<iframe|<object|<embed|@import|url\(/i);
  });

  it('has exactly the two script elements it writes, and no injected tags', () => {
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).not.toMatch(/<img|<iframe|<b>|<!--/);
    expect(html).not.toMatch(/[\u2028\u2029]/);
  });

  it('escapes data in server-rendered parts', () => {
    expect(html).toContain('&lt;b&gt;Hà Nội&lt;/b&gt; &amp; &quot;co&quot;');
    expect(html).toContain('cod_amount: not a whole number &lt;x&gt;');
  });

  it('embeds the cases as JSON that parses back to the same values', () => {
    const data = JSON.parse(dataBlock(html)) as ReportData;
    expect(data.cases).toEqual(rows.map(caseJsonObject));
    expect(data.cases[1]!.name).toBe('<script>alert(1)</script>');
    expect(data.total_cases).toBe(3);
    expect(data.reasons.map((r) => r.code)).toEqual(reasons.map((r) => r.code));
  });
});

describe('report.html script', () => {
  const dom = runReportScript(html);
  const body = dom['cases-body']!;
  const rowNames = () => body.all('tr').map((tr) => tr.children[0]!.textContent);

  it('builds the table in rank order and shows the first case', () => {
    expect(dom['cases-head']!.all('th').map((th) => th.textContent)).toEqual([
      'Tên người bán',
      'Tỉnh/thành',
      'Thuế kỳ vọng (VND)',
      'Điểm rủi ro',
      'Chênh lệch thuế (VND)',
      'Lý do',
      'Hạng',
    ]);
    expect(rowNames()).toEqual(['Nguyễn Thị Hồng Nhung', '<script>alert(1)</script>', 'Trần Văn Bình']);
    expect(dom['detail']!.textContent).toContain('Nguyễn Thị Hồng Nhung');
    expect(dom['cases-count']!.textContent).toContain('3 / 3');
  });

  it('sorts when a header is clicked, and reverses on a second click', () => {
    const th = dom['cases-head']!.all('th').find((t) => t.textContent === 'Điểm rủi ro')!;
    th.fire('click');
    expect(rowNames()[0]).toBe('Trần Văn Bình');
    expect(th.getAttribute('aria-sort')).toBe('descending');
    th.fire('click');
    expect(rowNames()[0]).toBe('<script>alert(1)</script>');
    dom['cases-head']!.all('th')
      .find((t) => t.textContent === 'Hạng')!
      .fire('click');
  });

  it.each([
    { text: 'tran van', province: '', expected: ['Trần Văn Bình'] },
    { text: 'ALERT', province: '', expected: ['<script>alert(1)</script>'] },
    { text: '0987654321', province: '', expected: ['Nguyễn Thị Hồng Nhung', '<script>alert(1)</script>'] },
    { text: '', province: 'Đà Nẵng', expected: ['Trần Văn Bình'] },
    { text: 'nhung', province: 'Đà Nẵng', expected: [] },
    { text: '', province: '', expected: ['Nguyễn Thị Hồng Nhung', '<script>alert(1)</script>', 'Trần Văn Bình'] },
  ])('filters text "$text" province "$province"', ({ text, province, expected }) => {
    dom['filter-text']!.value = text;
    dom['filter-text']!.fire('input');
    dom['filter-province']!.value = province;
    dom['filter-province']!.fire('change');
    expect(rowNames()).toEqual(expected);
  });

  it('offers each province once in the filter', () => {
    const options = dom['filter-province']!.all('option').map((o) => o.value);
    expect(options).toEqual([...new Set(options)]);
    expect(options).toContain('Đà Nẵng');
  });

  it('writes numbers as the one formatter does: the tax year bare, the score with a decimal comma', () => {
    body.all('tr')[0]!.fire('click');
    const text = dom['detail']!.textContent;
    expect(text).toContain('2026');
    expect(text).not.toMatch(/2\.026/);
    expect(text).toContain('0,873');
    expect(text).toContain('12.345.678');
  });

  it('shows a case in the detail panel as text, with its reasons and identifiers', () => {
    body.all('tr')[1]!.fire('click');
    const detail = dom['detail']!;
    expect(detail.all('h2')[0]!.textContent).toBe('<script>alert(1)</script>');
    expect(detail.all('script')).toHaveLength(0);
    expect(detail.textContent).toContain('</script><img src=x onerror=alert(1)>');
    expect(detail.textContent).toContain('COD_UNDECLARED');
    expect(detail.textContent).toContain(reasons[0]!.label_en);
    expect(detail.textContent).toContain('0912345678');
    expect(body.all('tr')[1]!.className).toBe('selected');
  });
});

describe('report.html size and masking', () => {
  it('embeds at most maxCases cases while the charts count them all', async () => {
    const many = manyRows(2_500);
    const file = path('report.html');
    await writeReportHtml(file, model(many), { maxCases: 2_000 });
    const page = readFileSync(file, 'utf8');
    const data = JSON.parse(dataBlock(page)) as ReportData;
    expect(data.cases).toHaveLength(2_000);
    expect(data.total_cases).toBe(2_500);
    expect(page).toContain('(the 2.500 cases on the work list)');
    const dom = runReportScript(page);
    expect(dom['cases-body']!.all('tr')).toHaveLength(2_000);
  });

  it('masks identifiers when asked', () => {
    const page = renderReportHtml(model(rows), { maskPii: true });
    expect(page).not.toContain('0912345678');
    expect(page).not.toContain('079012341234');
    expect(page).toContain('0912***678');
    expect(page).toContain('Nguyễn Thị Hồng Nhung');
  });

  it('renders an empty run', () => {
    const page = renderReportHtml(model([]));
    expect(runReportScript(page)['cases-body']!.all('tr')).toHaveLength(0);
    expect(page).toContain('No cases.');
  });
});

describe('report helpers', () => {
  it.each([
    { input: '<b>"Tú" & Co</b>', expected: '&lt;b&gt;&quot;Tú&quot; &amp; Co&lt;/b&gt;' },
    { input: "it's", expected: 'it&#39;s' },
    { input: 'plain', expected: 'plain' },
  ])('escapeHtml $input', ({ input, expected }) => {
    expect(escapeHtml(input)).toBe(expected);
  });

  it.each([
    { input: { name: '</script>' }, expected: '{"name":"\\u003c/script\\u003e"}' },
    { input: ['a&b', '\u2028\u2029'], expected: '["a\\u0026b","\\u2028\\u2029"]' },
  ])('scriptJson $expected', ({ input, expected }) => {
    expect(scriptJson(input)).toBe(expected);
    expect(JSON.parse(scriptJson(input))).toEqual(input);
  });

  it.each([
    { scores: [0.05, 1, 0.999, 0.1, NaN], expected: [1, 1, 0, 0, 0, 0, 0, 0, 0, 2] },
    { scores: [], expected: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
  ])('scoreHistogram $scores', ({ scores, expected }) => {
    expect(scoreHistogram(scores.map((risk_score) => ({ risk_score })))).toEqual(expected);
  });

  it('counts cases by province, most first, unknown as empty', () => {
    const counts = casesByProvince([
      caseRow(),
      caseRow({ province: 'Đà Nẵng' }),
      caseRow(),
      caseRow({ province: null }),
    ]);
    expect(counts.map((c) => [c.province, c.cases])).toEqual([
      ['Hồ Chí Minh', 2],
      ['', 1],
      ['Đà Nẵng', 1],
    ]);
  });

  it('totals yield and gap over the cases', () => {
    expect(caseTotals([caseRow(), caseRow({ tax_gap_vnd: null, expected_yield_vnd: 1 })], 9)).toEqual({
      entities: 9,
      cases: 2,
      expected_yield_vnd: 12_345_679,
      tax_gap_vnd: 18_750_000,
    });
  });
});

describe('report.html with every section', () => {
  const full = fullReportModel([caseRow({ name: '<img src=x onerror=alert(1)>' }), ...manyRows(60).slice(1)]);
  const page = renderReportHtml(full);

  it('keeps case data (names) out of the markup: the changes table is built by the script from the JSON block', () => {
    const outside = page.replace(dataBlock(page), '');
    expect(outside).not.toMatch(/onerror|alert\(1\)/);
    const dom = runReportScript(page);
    const rows = dom['changes-body']!.all('tr');
    expect(rows.length).toBe(full.diff!.changes.length);
    expect(rows.map((r) => r.children[1]!.textContent)).toContain('E-gone');
    expect(rows.find((r) => r.children[1]!.textContent === 'E000001')!.children[2]!.textContent).toBe(
      '<img src=x onerror=alert(1)>',
    );
  });

  it.each([
    { id: 'channels', text: 'Channels (cases on the work list)' },
    { id: 'model', text: 'forest-2026-0123456789ab' },
    { id: 'model', text: '0,871' },
    { id: 'changes', text: 'Changes since the previous run (20261124-020000-ffffff)' },
    { id: 'stats', text: '&lt;i&gt;Hà Nội&lt;/i&gt;' },
    { id: 'charts', text: 'Cumulative expected yield by rank vs random selection' },
  ])('section $id shows "$text"', ({ id, text }) => {
    const section = new RegExp(`<section id="${id}">([\\s\\S]*?)</section>`).exec(page)?.[1] ?? '';
    expect(section).toContain(text);
  });

  it('says "no model: rules only" without a model card, and nothing about runs it was not told about', () => {
    const rulesOnly = renderReportHtml({ ...full, model: null, diff: null, stats: undefined });
    expect(rulesOnly).toContain('No model: rules only.');
    expect(rulesOnly).toContain('First run: nothing to compare with.');
    expect(rulesOnly).not.toContain('id="stats"');
    const bare = renderReportHtml({ ...full, model: undefined, diff: undefined });
    expect(bare).not.toMatch(/id="model"|id="changes"/);
  });
});

describe('report charts', () => {
  it.each([
    {
      yields: [10, 0, 0, 0],
      expected: [
        [0, 0, 0],
        [1, 10, 3],
        [2, 10, 5],
        [3, 10, 8],
        [4, 10, 10],
      ],
    },
    {
      yields: [null, 5],
      expected: [
        [0, 0, 0],
        [1, 0, 3],
        [2, 5, 5],
      ],
    },
    { yields: [], expected: [[0, 0, 0]] },
  ])('yieldCurve $yields', ({ yields, expected }) => {
    const curve = yieldCurve(
      yields.map((expected_yield_vnd) => ({ expected_yield_vnd })),
      10,
    );
    expect(curve.map((p) => [p.cases, p.by_rank_vnd, p.random_vnd])).toEqual(expected);
  });

  it('thins a long curve to about the asked number of points, ending at the total', () => {
    const curve = yieldCurve(manyRows(1_000), 50);
    expect(curve.length).toBeLessThanOrEqual(52);
    expect(curve.at(-1)!.cases).toBe(1_000);
    expect(curve.at(-1)!.by_rank_vnd).toBe(curve.at(-1)!.random_vnd);
    // a ranked list finds yield faster than chance
    expect(curve[5]!.by_rank_vnd).toBeGreaterThan(curve[5]!.random_vnd);
  });

  it('sums channels and counts cases per channel', () => {
    const t = channelTotals([caseRow(), caseRow({ bank_revenue_vnd: 5, cod_revenue_vnd: null })]);
    expect(t).toMatchObject({
      platform_vnd: 800_000_000,
      cod_vnd: 850_000_000,
      bank_vnd: 5,
      platform_cases: 2,
      cod_cases: 1,
      bank_cases: 1,
    });
  });

  it('plots at most the asked number of dots, zero declared on its own line', () => {
    const svg = revenueScatterSvg(manyRows(3_000), 400);
    expect((svg.match(/<circle/g) ?? []).length).toBeLessThanOrEqual(400);
    expect((svg.match(/<circle/g) ?? []).length).toBeGreaterThan(300);
    expect(revenueScatterSvg([])).toContain('No cases.');
  });
});

describe('report.html: the work list first, in the analyst language', () => {
  // Five ranked entities, the first three on the work list: one with no province, one random control.
  const ranked = [
    caseRow({ rank: 1, entity_id: 'W1', name: 'Một', province: 'Huế', expected_yield_vnd: 5_000_000 }),
    caseRow({ rank: 2, entity_id: 'W2', name: 'Hai', province: null, reason_codes: [], reasons: [] }),
    caseRow({ rank: 3, entity_id: 'W3', name: 'Ba', province: 'Huế', control_slice: 1, expected_yield_vnd: 0 }),
    caseRow({ rank: 4, entity_id: 'R4', name: 'Bốn', province: 'Huế', expected_yield_vnd: 0 }),
    caseRow({ rank: 5, entity_id: 'R5', name: 'Năm', province: 'Huế', expected_yield_vnd: 0 }),
  ].map((r) => ({ ...r, control_slice: r.entity_id === 'W3' ? 1 : 0 }));
  const m: ReportModel = { ...model(ranked), workList: workListSummary(ranked, 3) };
  const page = renderReportHtml(m);
  const dom = runReportScript(page);
  const names = () => dom['cases-body']!.all('tr').map((tr) => tr.children[0]!.textContent);

  it('counts the work list, its control slice and the cases with expected yield > 0', () => {
    expect(m.workList).toEqual({
      cases: 3,
      scored: 2,
      control: 1,
      with_expected_yield: 2,
      expected_yield_vnd: 5_000_000 + ranked[1]!.expected_yield_vnd!,
      ranked: 5,
    });
    const summary = /<section id="summary">([\s\S]*?)<\/section>/.exec(page)?.[1] ?? '';
    expect(summary).toMatch(/id="kpi-cases"><div class="v">3<\/div>/);
    expect(summary).toContain('2 theo điểm + 1 đối chứng ngẫu nhiên');
    expect(summary).toMatch(/id="kpi-positive"><div class="v">2<\/div>/);
    expect(summary).toContain('trong 5 người bán được xếp hạng');
    // Run metadata is folded away.
    expect(summary).toMatch(/<details id="run-meta"><summary>[\s\S]*Mã cấu hình[\s\S]*<\/details>/);
    expect(page.indexOf('id="summary"')).toBeLessThan(page.indexOf('id="cases"'));
    expect(page.indexOf('id="cases"')).toBeLessThan(page.indexOf('id="charts"'));
  });

  it('embeds only the work list in the table; the rest stays in the files', () => {
    expect(names()).toEqual(['Một', 'Hai', 'Ba']);
    expect((JSON.parse(dataBlock(page)) as ReportData).ranked).toBe(5);
  });

  it('offers every province, the unknown one included, and filters on it', () => {
    const options = dom['filter-province']!.all('option').map((o) => o.textContent);
    // The fake DOM holds only the options the script adds, not the page's "(tất cả)".
    expect(options).toEqual(['Huế (2)', '(chưa rõ tỉnh) (1)']);
    const select = dom['filter-province']!;
    select.value = select.all('option')[1]!.value;
    select.fire('change');
    expect(names()).toEqual(['Hai']);
    select.value = '';
    select.fire('change');
  });

  it('filters by reason (none included) and by scored / control', () => {
    const reason = dom['filter-reason']!;
    const values = reason.all('option').map((o) => o.textContent);
    expect(values).toContain('(không có lý do) (1)');
    reason.value = reason.all('option').find((o) => o.textContent.startsWith('(không có lý do)'))!.value;
    reason.fire('change');
    expect(names()).toEqual(['Hai']);
    reason.value = '';
    reason.fire('change');
    dom['filter-kind']!.value = 'control';
    dom['filter-kind']!.fire('change');
    expect(names()).toEqual(['Ba']);
    dom['filter-kind']!.value = 'scored';
    dom['filter-kind']!.fire('change');
    expect(names()).toEqual(['Một', 'Hai']);
  });

  it('labels each cell for the phone layout and shows the tax year as a year', () => {
    const first = dom['cases-body']!.all('tr')[0]!;
    expect(first.children.map((td) => td.getAttribute('data-label'))).toEqual([
      'Tên người bán',
      'Tỉnh/thành',
      'Thuế kỳ vọng (VND)',
      'Điểm rủi ro',
      'Chênh lệch thuế (VND)',
      'Lý do',
      'Hạng',
    ]);
    const detail = dom['detail']!.textContent;
    expect(detail).toContain('Năm tính thuế2026');
    expect(detail).not.toContain('2.026');
  });

  it('speaks English with --lang en', () => {
    const en = renderReportHtml(m, { lang: 'en' });
    const d = runReportScript(en);
    expect(d['cases-head']!.all('th').map((th) => th.textContent)).toEqual([
      'Seller',
      'Province',
      'Expected yield (VND)',
      'Risk score',
      'Tax gap (VND)',
      'Reasons',
      'Rank',
    ]);
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Cases on the work list');
    expect(d['filter-province']!.all('option').map((o) => o.textContent)).toContain('(unknown) (1)');
  });

  it.each([
    { sources: [{ source: 's', read: 100, loaded: 99, rejected: 1 }], expected: ['s: 1 dòng bị loại (1 %)'] },
    { sources: [{ source: 's', read: 0, loaded: 0, rejected: 0 }], expected: ['s: không có dòng nào'] },
    { sources: [{ source: 's', read: 10, loaded: 10, rejected: 0 }], expected: [] },
    {
      sources: [{ source: 'declarations', read: 10, loaded: 10, rejected: 0, restored: 4, warnings: 1 }],
      expected: [
        'declarations: 1 dòng có mã số thuế / số CCCD sai dạng (vẫn nạp, không dùng liên kết)',
        'declarations: 4 mã số thuế / số CCCD bị Excel làm mất số 0 đầu, đã khôi phục',
      ],
    },
  ])('alerts on data quality: $expected', ({ sources, expected }) => {
    const alerts = qualityAlerts({
      ...m,
      cases: ranked.map((r) => ({ ...r, province: 'Huế' })),
      sources: sources.map((s) => ({ ...s, top_rejects: [] })),
    });
    expect(alerts.map((a) => a.vi)).toEqual(expected);
  });

  it('counts work-list cases without a province as an alert', () => {
    expect(qualityAlerts({ ...m, sources: [] }).map((a) => a.en)).toEqual(['1 cases with an unknown province']);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CaseRow } from '../../engine/publish/case-row.js';
import { escapeHtml, scriptJson } from '../../engine/publish/html.js';
import { caseJsonObject } from '../../engine/publish/json.js';
import { casesByProvince, scoreHistogram } from '../../engine/publish/report-charts.js';
import { caseTotals, type ReportModel } from '../../engine/publish/report-model.js';
import { renderReportHtml, writeReportHtml, type ReportData } from '../../engine/publish/report.js';
import { dataBlock, runReportScript } from './fake-dom.js';
import { caseRow, manyRows, reasons } from './fixtures.js';
import { tempDir } from './helpers.js';

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
    sources: [
      { source: 'cod_shipments', read: 1000, loaded: 990, rejected: 10, top_rejects: [{ reason: 'cod_amount: not a whole number <x>', count: 7 }, { reason: 'waybill: required', count: 3 }] },
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
const rows = [caseRow(), hostile, caseRow({ rank: 3, entity_id: 'E3', name: 'Trần Văn Bình', province: 'Đà Nẵng', risk_score: 0.97, tax_ids: [], national_ids: [], phones: ['0388000111'], emails: [], accounts: [], domains: [], shops: [] })];
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
    expect([...markup.matchAll(/\s(src|href|srcset|action|poster|formaction|data)\s*=\s*"([^"]*)"/gi)].map((m) => m[0].trim())).toEqual(['href="data:,"']);
    expect(markup.match(/\s(src|href|srcset|action|poster|formaction)\s*=/gi)).toHaveLength(1);
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
  const rowNames = () => body.all('tr').map((tr) => tr.children[1]!.textContent);

  it('builds the table in rank order and shows the first case', () => {
    expect(dom['cases-head']!.all('th').map((th) => th.textContent)).toContain('risk_score');
    expect(rowNames()).toEqual(['Nguyễn Thị Hồng Nhung', '<script>alert(1)</script>', 'Trần Văn Bình']);
    expect(dom['detail']!.textContent).toContain('Nguyễn Thị Hồng Nhung');
    expect(dom['cases-count']!.textContent).toContain('3 / 3');
  });

  it('sorts when a header is clicked, and reverses on a second click', () => {
    const th = dom['cases-head']!.all('th').find((t) => t.textContent === 'risk_score')!;
    th.fire('click');
    expect(rowNames()[0]).toBe('Trần Văn Bình');
    expect(th.getAttribute('aria-sort')).toBe('descending');
    th.fire('click');
    expect(rowNames()[0]).toBe('<script>alert(1)</script>');
    dom['cases-head']!.all('th').find((t) => t.textContent === 'rank')!.fire('click');
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
    expect(page).toContain('(all 2.500 cases)');
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
    const counts = casesByProvince([caseRow(), caseRow({ province: 'Đà Nẵng' }), caseRow(), caseRow({ province: null })]);
    expect(counts.map((c) => [c.province, c.cases])).toEqual([['Hồ Chí Minh', 2], ['', 1], ['Đà Nẵng', 1]]);
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

/**
 * The stylesheet and the vanilla script inlined into report.html. The script reads the cases
 * from `<script type="application/json" id="sangloc-data">` and builds every node with
 * `createElement` + `textContent`: data never passes through an HTML parser.
 */

export const reportCss = String.raw`
:root { --ink:#1d2733; --muted:#5d6b7a; --line:#d9e0e7; --bg:#f5f7f9; --accent:#0b6e4f; --warn:#9a3412; }
* { box-sizing: border-box; }
body { margin:0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif;
  color:var(--ink); background:var(--bg); }
header { background:#fff; border-bottom:1px solid var(--line); padding:8px 24px; }
h1 { margin:0; font-size:18px; } h2 { font-size:16px; margin:0 0 10px; }
.sr { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
.en { color:var(--muted); font-size:11px; font-weight:normal; }
main { padding:10px 24px 16px; display:grid; gap:12px; grid-template-columns:minmax(0, 1fr); }
section { background:#fff; border:1px solid var(--line); border-radius:6px; padding:10px 16px; min-width:0; }
.note { color:var(--warn); font-size:12px; margin:2px 0 0; }
.kpis { display:flex; flex-wrap:wrap; gap:6px 28px; align-items:flex-start; }
.kpi { display:flex; gap:8px; align-items:baseline; min-width:0; }
.kpi .v { font-size:22px; font-weight:600; font-variant-numeric: tabular-nums; white-space:nowrap; }
.kpi .k { font-size:12px; line-height:1.3; } .kpi.warn .v { color:var(--warn); }
.lost { border:2px solid var(--warn); padding:6px 10px; margin:6px 0; } .lost ul { margin:4px 0 0; }
details#run-meta { margin-top:6px; font-size:12px; } details#run-meta summary { cursor:pointer; color:var(--muted); }
details#run-meta .cards { margin-top:8px; }
svg.chart { max-width:100%; height:auto; }
.cards { display:grid; grid-template-columns:repeat(auto-fill, minmax(180px, 1fr)); gap:10px; }
.card { border:1px solid var(--line); border-radius:6px; padding:8px 10px; }
.card .v { font-size:18px; font-weight:600; font-variant-numeric: tabular-nums; word-break: break-all; }
.card .k { font-size:12px; color:var(--muted); }
.charts { display:flex; flex-wrap:wrap; gap:24px; } .charts figure { max-width:100%; }
.chart text { font-size:11px; fill:var(--ink); } .chart .axis { fill:var(--muted); } .chart .bar { fill:var(--accent); }
table { border-collapse:collapse; width:100%; font-variant-numeric: tabular-nums; }
th, td { border-bottom:1px solid var(--line); padding:4px 6px; text-align:left; vertical-align:top; }
td.num, th.num { text-align:right; white-space:nowrap; }
#cases-table th { cursor:pointer; user-select:none; position:sticky; top:0; background:#eef2f5; }
#cases-table th[aria-sort="ascending"]::after { content:" ▲"; }
#cases-table th[aria-sort="descending"]::after { content:" ▼"; }
#cases-table tbody tr { cursor:pointer; } #cases-table tbody tr:hover { background:#eef6f2; }
#cases-table tbody tr.selected { background:#d7efe4; }
#cases-table td.name { font-weight:600; }
.scroll { max-height:560px; overflow:auto; border:1px solid var(--line); }
#cases-scroll { max-height:calc(100vh - 60px); min-height:240px; }
.controls { display:flex; flex-wrap:wrap; gap:6px 12px; align-items:center; margin-bottom:6px; }
.controls input, .controls select { font:inherit; padding:3px 6px; max-width:100%; }
.controls select { width:15em; max-width:100%; }
.controls label { max-width:100%; }
.layout { display:grid; grid-template-columns: minmax(0, 1fr) minmax(240px, 340px); gap:16px; }
#cases-table { font-size:13px; } #cases-table th, #cases-table td { padding:4px 5px; }
#cases-table td.reasons .tag { font-size:10.5px; padding:0 4px; margin:0 2px 2px 0; }
#detail { min-width:0; overflow-wrap:anywhere; }
@media (max-width: 1000px) { .layout { grid-template-columns: minmax(0, 1fr); } }
@media (max-width: 700px) {
  header, main { padding-left:8px; padding-right:8px; } section { padding:10px; }
  .kpis { display:grid; grid-template-columns:1fr 1fr; gap:8px; } .kpi { display:block; }
  #cases-scroll { max-height:none; border:0; overflow:visible; }
  #cases-table, #cases-table tbody, #cases-table tr, #cases-table td { display:block; width:100%; }
  #cases-table thead { display:none; }
  #cases-table tbody tr { border:1px solid var(--line); border-radius:6px; margin:0 0 8px; padding:6px 8px; }
  #cases-table td { border:0; padding:1px 0; text-align:left; white-space:normal; }
  #cases-table td::before { content:attr(data-label) ": "; color:var(--muted); font-size:12px; }
  #cases-table td.name { font-size:15px; } #cases-table td.name::before { content:none; }
  #detail dl { grid-template-columns: minmax(0, 1fr); } #detail dt { margin-top:4px; }
}
#detail dl { display:grid; grid-template-columns: max-content 1fr; gap:2px 10px; margin:0; }
#detail dt { color:var(--muted); } #detail dd { margin:0; word-break:break-word; }
#detail h3 { margin:12px 0 6px; font-size:14px; }
#detail ul { margin:0; padding-left:18px; }
.tag { display:inline-block; border:1px solid var(--line); border-radius:10px; padding:0 6px; margin:0 4px 2px 0;
  font-size:12px; }
.muted { color:var(--muted); }
.chart .line { fill:none; stroke:var(--accent); stroke-width:2; }
.chart .line.random { stroke:var(--muted); stroke-dasharray:5 4; stroke-width:1.5; }
.chart .grid { stroke:var(--line); stroke-width:1; }
.chart .dot { fill:var(--accent); fill-opacity:.55; }
.chart .dot.control { fill:var(--warn); }
.chart .c1 { fill:#0b6e4f; } .chart .c2 { fill:#d97706; } .chart .c3 { fill:#2563eb; } .chart .alt { fill:#9aa5b1; }
figure { margin:0; }
.scroll.short { max-height:320px; }
tr.total td { font-weight:600; border-top:2px solid var(--ink); }
.tag.chg-new { border-color:#2563eb; } .tag.ctl { border-color:var(--warn); color:var(--warn); }
.tag.chg-escalated { border-color:var(--warn); }
.tag.chg-dropped, .tag.chg-de-escalated, .tag.chg-moved-up, .tag.chg-moved-down { color:var(--muted); }
code { background:#eef2f5; padding:1px 4px; border-radius:3px; word-break:break-all; }
.card .v { overflow-wrap:anywhere; }
`;

export const reportScript = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('sangloc-data').textContent);
  var cases = data.cases;
  // The one formatter's shapes (engine/format.ts): grouped whole numbers, scores with 3 decimals, years bare.
  var nf = new Intl.NumberFormat(data.locale, { maximumFractionDigits: 0 });
  var nf3 = new Intl.NumberFormat(data.locale, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  var en = data.lang === 'en';
  function t(vi, english) { return en ? english : vi; }
  var UNKNOWN = '\u0000unknown';
  var colByName = {};
  data.columns.forEach(function (c) { colByName[c.name] = c; });
  var reasonByCode = {};
  data.reasons.forEach(function (r) { reasonByCode[r.code] = r; });
  var tableCols = data.table;
  var state = { sort: 'rank', dir: 1, text: '', province: '', reason: '', kind: '', selected: -1 };
  function label(col) { return en ? col.short_en : col.short_vi; }
  function longLabel(col) { return en ? col.label_en + ' / ' + col.label_vi : col.label_vi + ' / ' + col.label_en; }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function bilingual(tag, vi, english) {
    var e = el(tag, '', t(vi, english) + ' ');
    e.appendChild(el('span', 'en', t(english, vi)));
    return e;
  }
  function isNum(kind) {
    return kind === 'int' || kind === 'vnd' || kind === 'score' || kind === 'flag' || kind === 'year';
  }
  function fmt(col, v) {
    if (v === null || v === undefined) return '';
    if (Array.isArray(v)) return v.join(' | ');
    if (col.kind === 'vnd' || col.kind === 'int') return nf.format(v);
    if (col.kind === 'score') return nf3.format(v);
    if (col.kind === 'year') return String(v);
    if (col.kind === 'flag') return v ? '✓' : '';
    return String(v);
  }
  function fold(s) {
    return String(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
  }
  var haystacks = cases.map(function (c) {
    var parts = [];
    data.columns.forEach(function (col) {
      var v = c[col.name];
      if (!isNum(col.kind) && v !== null && v !== undefined) parts.push(Array.isArray(v) ? v.join(' ') : v);
    });
    return fold(parts.join(' '));
  });

  function compare(a, b) {
    var col = colByName[state.sort];
    var x = a[state.sort], y = b[state.sort];
    if (Array.isArray(x)) x = x.join('|');
    if (Array.isArray(y)) y = y.join('|');
    var xn = x === null || x === undefined || x === '', yn = y === null || y === undefined || y === '';
    if (xn || yn) return xn && yn ? a.rank - b.rank : xn ? 1 : -1;
    var d = isNum(col.kind) ? x - y : String(x).localeCompare(String(y), 'vi');
    return d !== 0 ? d * state.dir : a.rank - b.rank;
  }

  var tbody = document.getElementById('cases-body');
  var countEl = document.getElementById('cases-count');
  var headRow = document.getElementById('cases-head');
  var headers = {};
  tableCols.forEach(function (name) {
    var col = colByName[name];
    var th = el('th', isNum(col.kind) ? 'num' : '', label(col));
    th.setAttribute('title', longLabel(col));
    th.setAttribute('tabindex', '0');
    th.setAttribute('scope', 'col');
    var sortBy = function () {
      if (state.sort === name) state.dir = -state.dir;
      else { state.sort = name; state.dir = isNum(col.kind) && name !== 'rank' ? -1 : 1; }
      render();
    };
    th.addEventListener('click', sortBy);
    th.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') sortBy(); });
    headers[name] = th;
    headRow.appendChild(th);
  });

  var filterInput = document.getElementById('filter-text');
  var provinceSelect = document.getElementById('filter-province');
  var reasonSelect = document.getElementById('filter-reason');
  var kindSelect = document.getElementById('filter-kind');
  // Every value a case carries is offered, with its count; a case with no province is offered as "unknown".
  function offer(select, counts, text) {
    Object.keys(counts).sort(function (a, b) {
      return a === UNKNOWN ? 1 : b === UNKNOWN ? -1 : a.localeCompare(b, 'vi');
    }).forEach(function (v) {
      var o = el('option', '', text(v) + ' (' + nf.format(counts[v]) + ')');
      o.value = v;
      select.appendChild(o);
    });
  }
  var provinceCounts = {}, reasonCounts = {};
  cases.forEach(function (c) {
    var p = c.province || UNKNOWN;
    provinceCounts[p] = (provinceCounts[p] || 0) + 1;
    c.reason_codes.forEach(function (r) { reasonCounts[r] = (reasonCounts[r] || 0) + 1; });
    if (c.reason_codes.length === 0) reasonCounts[UNKNOWN] = (reasonCounts[UNKNOWN] || 0) + 1;
  });
  offer(provinceSelect, provinceCounts, function (v) { return v === UNKNOWN ? t('(chưa rõ tỉnh)', '(unknown)') : v; });
  offer(reasonSelect, reasonCounts, function (v) {
    if (v === UNKNOWN) return t('(không có lý do)', '(no reason)');
    var info = reasonByCode[v];
    return info ? v + ' – ' + (en ? info.label_en : info.label_vi) : v;
  });
  filterInput.addEventListener('input', function () { state.text = fold(filterInput.value.trim()); render(); });
  provinceSelect.addEventListener('change', function () { state.province = provinceSelect.value; render(); });
  reasonSelect.addEventListener('change', function () { state.reason = reasonSelect.value; render(); });
  kindSelect.addEventListener('change', function () { state.kind = kindSelect.value; render(); });
  function keep(c, i) {
    if (state.province && (c.province || UNKNOWN) !== state.province) return false;
    if (state.reason === UNKNOWN ? c.reason_codes.length > 0 :
      state.reason && c.reason_codes.indexOf(state.reason) < 0) return false;
    if (state.kind && (state.kind === 'control') !== (c.control_slice === 1)) return false;
    return !state.text || haystacks[i].indexOf(state.text) >= 0;
  }

  function render() {
    var idx = [];
    for (var i = 0; i < cases.length; i++) if (keep(cases[i], i)) idx.push(i);
    idx.sort(function (a, b) { return compare(cases[a], cases[b]); });
    var rows = idx.map(function (i) {
      var c = cases[i];
      var tr = el('tr', i === state.selected ? 'selected' : '');
      tr.setAttribute('tabindex', '0');
      tableCols.forEach(function (name) {
        var col = colByName[name];
        var td = el('td', (isNum(col.kind) ? 'num ' : '') + (name === 'reason_codes' ? 'reasons' : name));
        if (name === 'reason_codes') {
          c.reason_codes.forEach(function (code, k) {
            var tag = el('span', 'tag', code);
            tag.setAttribute('title', c.reasons[k] || '');
            td.appendChild(tag);
          });
        } else td.textContent = fmt(col, c[name]);
        if (name === 'reason_codes' && c.control_slice === 1) {
          td.appendChild(el('span', 'tag ctl', t('đối chứng ngẫu nhiên', 'random control')));
        }
        td.setAttribute('data-label', label(col));
        tr.appendChild(td);
      });
      tr.addEventListener('click', function () { select(i, true); });
      tr.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') select(i, true); });
      return tr;
    });
    var frag = document.createDocumentFragment();
    rows.forEach(function (tr) { frag.appendChild(tr); });
    tbody.replaceChildren(frag);
    tableCols.forEach(function (name) {
      headers[name].setAttribute('aria-sort',
        name === state.sort ? (state.dir > 0 ? 'ascending' : 'descending') : 'none');
    });
    countEl.textContent = t('Hiển thị ', 'Showing ') + nf.format(idx.length) + ' / ' + nf.format(cases.length) +
      t(' hồ sơ', ' cases') + (data.total_cases > cases.length ? ' (' + nf.format(data.total_cases) +
      t(' trong danh sách)', ' on the work list)') : '');
  }

  var detail = document.getElementById('detail');
  var groups = [
    ['Số liệu', 'Figures', ['rank', 'entity_id', 'risk_score', 'expected_yield_vnd', 'tax_gap_vnd',
      'estimated_revenue_vnd',
      'declared_revenue_vnd', 'undeclared_revenue_vnd', 'platform_revenue_vnd', 'cod_revenue_vnd', 'bank_revenue_vnd',
      'tax_withheld_vnd', 'tax_year', 'activity_group', 'province', 'control_slice', 'record_count', 'sources']],
    ['Định danh', 'Identifiers', ['tax_ids', 'national_ids', 'phones', 'emails', 'accounts', 'domains', 'shops']]
  ];
  var SVG = 'http://www.w3.org/2000/svg';
  function svgEl(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  // Platform, COD and bank revenue against declared revenue for one case, as SVG bars.
  function channelBars(c) {
    var bars = [['Sàn / platform', c.platform_revenue_vnd, 'c1'], ['COD', c.cod_revenue_vnd, 'c2'],
      ['Ngân hàng / bank', c.bank_revenue_vnd, 'c3'], ['Kê khai / declared', c.declared_revenue_vnd, 'alt']];
    var max = 1;
    bars.forEach(function (b) { if (b[1] > max) max = b[1]; });
    var svg = svgEl('svg', { 'class': 'chart', role: 'img', 'aria-label': 'Doanh thu theo kênh / Amounts by channel',
      viewBox: '0 0 330 92', width: 330, height: 92 });
    bars.forEach(function (b, i) {
      var v = b[1] || 0;
      var w = Math.max(1, Math.round(v / max * 150));
      var y = i * 22 + 2;
      svg.appendChild(svgEl('text', { x: 104, y: y + 15, 'text-anchor': 'end' }, b[0]));
      svg.appendChild(svgEl('rect', { x: 110, y: y + 4, width: w, height: 14, 'class': b[2] }));
      svg.appendChild(svgEl('text', { x: 116 + w, y: y + 15 }, nf.format(v)));
    });
    return svg;
  }
  function select(i, scroll) {
    state.selected = i;
    var c = cases[i];
    var parts = [];
    parts.push(el('h2', '', (c.name || c.entity_id)));
    var rh = bilingual('h3', 'Lý do', 'Reasons');
    parts.push(rh);
    var ul = el('ul');
    (c.reason_codes.length ? c.reason_codes : c.reasons).forEach(function (code, k) {
      var li = el('li');
      var info = reasonByCode[code];
      if (c.reason_codes.length) li.appendChild(el('span', 'tag', code));
      var text = c.reasons[k] || (info ? info.label_vi : '');
      li.appendChild(el('span', '', text));
      if (info && !en) li.appendChild(el('div', 'en', info.label_en));
      ul.appendChild(li);
    });
    parts.push(ul);
    groups.forEach(function (g) {
      parts.push(bilingual('h3', g[0], g[1]));
      var dl = el('dl');
      g[2].forEach(function (name) {
        var col = colByName[name];
        var v = c[name];
        if (v === null || v === undefined || (Array.isArray(v) && v.length === 0) || v === '') return;
        if (col.kind === 'flag' && !v) return;
        var dt = el('dt', '', label(col));
        dt.setAttribute('title', longLabel(col));
        dl.appendChild(dt);
        var dd = el('dd');
        if (Array.isArray(v)) v.forEach(function (x) { dd.appendChild(el('span', 'tag', x)); });
        else dd.textContent = fmt(col, v);
        dl.appendChild(dd);
      });
      parts.push(dl);
    });
    parts.push(bilingual('h3', 'Doanh thu theo kênh', 'Amounts by channel'));
    parts.push(channelBars(c));
    var hint = bilingual('p', 'Hồ sơ đầy đủ (bản ghi, liên kết, cách tính):',
      'Full dossier (records, links, computation):');
    hint.appendChild(el('br'));
    hint.appendChild(el('code', '',
      'sangloc explain ' + c.entity_id + ' --workspace WS --format html --out dossier.html'));
    parts.push(hint);
    var box = document.createDocumentFragment();
    parts.forEach(function (p) { box.appendChild(p); });
    detail.replaceChildren(box);
    render();
    var narrow = typeof window !== 'undefined' && window.matchMedia && window.matchMedia('(max-width: 1000px)').matches;
    if (scroll && narrow) detail.scrollIntoView();
  }

  // Changes since the previous run: names are data, so they are set as text like the case table.
  var changesBody = document.getElementById('changes-body');
  if (changesBody) {
    var frag2 = document.createDocumentFragment();
    (data.changes || []).forEach(function (ch) {
      var tr = el('tr');
      var td = el('td');
      td.appendChild(el('span', 'tag chg-' + ch.change, ch.change));
      tr.appendChild(td);
      tr.appendChild(el('td', '', ch.entity_id));
      tr.appendChild(el('td', '', ch.name || ''));
      tr.appendChild(el('td', '', ch.province || ''));
      tr.appendChild(el('td', 'num',
        (ch.rank_a === null ? '–' : ch.rank_a) + ' → ' + (ch.rank_b === null ? '–' : ch.rank_b)));
      tr.appendChild(el('td', '', ch.band_a + ' → ' + ch.band_b));
      var ya = ch.expected_yield_a === null ? '–' : nf.format(ch.expected_yield_a);
      var yb = ch.expected_yield_b === null ? '–' : nf.format(ch.expected_yield_b);
      tr.appendChild(el('td', 'num', ya + ' → ' + yb));
      tr.appendChild(el('td', '', ch.why || ''));
      frag2.appendChild(tr);
    });
    changesBody.replaceChildren(frag2);
  }

  render();
  if (cases.length > 0) select(0);
})();
`;

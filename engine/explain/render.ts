/**
 * A dossier as terminal text, as JSON, or as a self-contained HTML page (same safety rules as
 * report.html: no network, a CSP forbidding any load, every value escaped).
 */
import { escapeHtml } from '../publish/html.js';
import { reportCss } from '../publish/report-client.js';
import type { Dossier, LinkEvidence, RelatedParty, SourceRecords } from './dossier.js';
import { fmt } from '../format.js';
import { dossierNetwork, networkCss, networkSvg, networkText } from './network.js';

const money = (n: number | null | undefined) =>
  n === null || n === undefined || !Number.isFinite(n) ? '–' : fmt().int(n);
const pct = (r: number) => fmt().pct(r, 1);
const decimal = (v: number | null | undefined, digits: number) =>
  v === null || v === undefined ? '–' : fmt().dec(v, digits);
// Years, identifiers and codes keep their digits as written: `tax_year 2025`, never `2.025`.
const bareColumn = /(^|_)(year|years|id|ids|key|code|codes|phone|phones|account|accounts|number|period|zip)(_|$)/;
const cell = (v: unknown, column = ''): string =>
  v === null || v === undefined
    ? ''
    : typeof v === 'number'
      ? bareColumn.test(column)
        ? String(v)
        : Number.isInteger(v)
          ? fmt().int(v)
          : fmt().dec(v, 3)
      : String(v);

/** Vietnamese or English by the process's language (`--lang`). */
const t = (vi: string, en: string) => (fmt().lang === 'vi' ? vi : en);

const identifierLabelsVi: Record<keyof Dossier['identifiers'], string> = {
  names: 'tên',
  tax_ids: 'mã số thuế',
  national_ids: 'số định danh',
  phones: 'điện thoại',
  emails: 'e-mail',
  accounts: 'tài khoản ngân hàng',
  domains: 'website / ứng dụng',
  shops: 'gian hàng trên sàn',
};

const identifierLabels: Record<keyof Dossier['identifiers'], string> = {
  names: 'names',
  tax_ids: 'tax codes',
  national_ids: 'national IDs',
  phones: 'phones',
  emails: 'e-mails',
  accounts: 'bank accounts',
  domains: 'websites / apps',
  shops: 'marketplace shops',
};

function linkLine(l: LinkEvidence): string {
  if (l.method === 'exact')
    return `${l.record_a}  ⟷  ${l.record_b}: ${t('định danh trùng khớp', 'exact identifier')} (${l.shared.join(', ')})`;
  const parts = l.parts.map((p) => `${p.part} ${p.weight >= 0 ? '+' : ''}${fmt().dec(p.weight, 2)}`).join(', ');
  return (
    `${l.record_a}  ⟷  ${l.record_b}: ${t('trọng số', 'weight')} ${decimal(l.match_weight, 2)} ` +
    `(p ${decimal(l.match_probability, 4)}, ${t('độ tin cậy', 'confidence')} ${l.confidence ?? '–'}) = ${parts}`
  );
}

function table(columns: string[], rows: Record<string, unknown>[], indent = '    '): string[] {
  const cells = rows.map((r) => columns.map((c) => cell(r[c], c)));
  const widths = columns.map((c, k) => Math.min(40, Math.max(c.length, ...cells.map((r) => r[k]!.length))));
  const fit = (v: string, w: number) => (v.length > w ? v.slice(0, w - 1) + '…' : v.padEnd(w));
  return [columns, ...cells].map(
    (r) =>
      indent +
      r
        .map((v, k) => fit(v, widths[k]!))
        .join('  ')
        .trimEnd(),
  );
}

function sourceBlock(s: SourceRecords): string[] {
  const head =
    `  ${s.source}: ${fmt().int(s.count)} ${t('bản ghi', 'record(s)')}` +
    `${s.amount_vnd !== null ? `, ${money(s.amount_vnd)} VND` : ''}`;
  const classes = s.classes.length
    ? [
        `    ${t('theo loại', 'by class')}: ` +
          s.classes
            .map(
              (c) => `${c.class} ${fmt().int(c.count)}${s.amount_vnd !== null ? ` (${money(c.amount_vnd)} VND)` : ''}`,
            )
            .join('; '),
      ]
    : [];
  const more =
    s.count > s.rows.length
      ? [
          t(
            `    … còn ${fmt().int(s.count - s.rows.length)} (--rows N để xem thêm)`,
            `    … ${fmt().int(s.count - s.rows.length)} more (--rows N shows more)`,
          ),
        ]
      : [];
  return [head, ...classes, ...table(s.columns, s.rows), ...more];
}

/**
 * The dossier for a terminal.
 *
 * @example process.stdout.write(formatDossierText(await buildDossier(db, id, opts)));
 */
/**
 * A housemate who declares the trade seen on the entity (evidence `household`: a registered entity's;
 * `holder_household`: a bare account's whose holder she lives with; mart_registry_candidates.sql), or a
 * registered taxpayer the entity may be.
 */
const housemateEvidence = (rc: NonNullable<Dossier['registry_candidate']>): boolean =>
  rc.evidence.includes('household') || rc.evidence.includes('holder_household');

function candidateHeading(rc: NonNullable<Dossier['registry_candidate']>): { vi: string; en: string } {
  return housemateEvidence(rc)
    ? {
        vi: 'Người cùng nhà có thể đã kê khai doanh thu này',
        en: 'A registered housemate may declare this trade: check her returns first',
      }
    : { vi: 'Có thể đã đăng ký thuế', en: 'Possibly registered: check this taxpayer first' };
}

function candidateHtml(rc: NonNullable<Dossier['registry_candidate']>): string {
  const head = candidateHeading(rc);
  return (
    `<section id="registry-candidate"><h2>${h(head.vi)} ` +
    `<span class="en">${h(head.en)}</span></h2>\n` +
    `<p>MST <span class="en">tax code</span> <b>${h(rc.tax_id ?? '?')}</b> (${h(rc.entity_id)}) ` +
    `${h(rc.name ?? '')} ${h(rc.province ?? '')}</p>\n` +
    `<p>Căn cứ <span class="en">evidence</span>: ${h(rc.evidence.join(', '))}; ` +
    `độ tin cậy <span class="en">weight</span> ${h(fmt().dec(rc.weight, 2))}; ` +
    `đã kê khai <span class="en">declared</span> ${h(money(rc.declared_revenue_vnd))} VND</p></section>`
  );
}

export function formatDossierText(d: Dossier): string {
  const lang = fmt().lang;
  const out: string[] = [];
  const c = d.case;
  const run = d.run_id ? t(`, lần chạy ${d.run_id}`, `, run ${d.run_id}`) : '';
  out.push(
    t(`Hồ sơ ${d.entity_id} — năm thuế ${d.tax_year}${run}`, `Dossier ${d.entity_id} — tax year ${d.tax_year}${run}`),
  );
  out.push(
    t(
      'Đầu mối để cán bộ kiểm tra, chưa phải kết luận; luôn nghe người nộp thuế giải trình trước.',
      'A lead for an analyst to verify, not a finding; the taxpayer is always heard first.',
    ),
  );
  for (const n of d.notes) out.push(`${t('ghi chú', 'note')}: ${n}`);
  const rc = d.registry_candidate;
  if (rc) {
    out.push(
      '',
      housemateEvidence(rc)
        ? t(
            'NGƯỜI CÙNG NHÀ CÓ THỂ ĐÃ KÊ KHAI DOANH THU NÀY — kiểm tra tờ khai của người nộp thuế này trước',
            'A REGISTERED HOUSEMATE MAY DECLARE THIS TRADE — check this taxpayer’s returns first',
          )
        : t(
            'CÓ THỂ ĐÃ ĐĂNG KÝ THUẾ — kiểm tra người nộp thuế đã đăng ký này trước',
            'POSSIBLY REGISTERED — check this registered taxpayer first',
          ),
    );
    out.push(
      `  ${t('MST', 'tax code')} ${rc.tax_id ?? '?'} (${t('thực thể', 'entity')} ${rc.entity_id})` +
        (rc.name ? `, ${rc.name}` : '') +
        (rc.province ? `, ${rc.province}` : ''),
    );
    out.push(
      `  ${t('căn cứ', 'evidence')}: ${rc.evidence.join(', ')}; ` +
        `${t('độ tin cậy', 'weight')} ${fmt().dec(rc.weight, 2)}`,
    );
    out.push(
      t(
        `  đã kê khai ${money(rc.declared_revenue_vnd)} VND, đã nộp ${money(rc.tax_paid_vnd)} VND ` +
          '(tính vào chênh lệch thuế theo độ tin cậy)',
        `  declared ${money(rc.declared_revenue_vnd)} VND, tax paid ${money(rc.tax_paid_vnd)} VND ` +
          '(counted × weight in the tax gap)',
      ),
    );
  }
  if (c) {
    out.push('', t('Trường hợp', 'Case'));
    out.push(
      t(
        `  hạng ${c.rank}${c.control_slice ? ' (trường hợp đối chứng ngẫu nhiên)' : ''}, điểm rủi ro ` +
          `${fmt().dec(c.risk_score, 3)}, số thuế dự kiến thu ${money(c.expected_yield_vnd)} VND, chênh lệch ` +
          `thuế ${money(c.tax_gap_vnd)} VND`,
        `  rank ${c.rank}${c.control_slice ? ' (random control case)' : ''}, risk ` +
          `score ${fmt().dec(c.risk_score, 3)}, expected yield ${money(c.expected_yield_vnd)} VND, tax ` +
          `gap ${money(c.tax_gap_vnd)} VND`,
      ),
    );
    out.push(`  ${c.name ?? t('(không có tên)', '(no name)')}${c.province ? `, ${c.province}` : ''}`);
  }
  out.push('', t('Lý do', 'Reasons'));
  if (d.reasons.length === 0) out.push(t('  (không có: không nằm trong danh sách)', '  (none: not on the list)'));
  for (const r of d.reasons) out.push(`  [${r.code}] ${r.text}`);

  const n = fmt().int(d.identities.length);
  out.push('', t(`Danh tính (${n} bản ghi)`, `Identities (${n} record(s))`));
  for (const k of Object.keys(identifierLabels) as (keyof Dossier['identifiers'])[]) {
    const label = lang === 'vi' ? identifierLabelsVi[k] : identifierLabels[k];
    if (d.identifiers[k].length) out.push(`  ${label}: ${d.identifiers[k].join(' | ')}`);
  }
  out.push(
    ...table(
      ['source', 'label', 'name', 'tax_id', 'national_id', 'phone', 'account', 'province'],
      d.identities as unknown as Record<string, unknown>[],
      '  ',
    ),
  );

  const net = dossierNetwork(d);
  if (net.nodes.length > 1 || net.parties.length) {
    out.push(
      '',
      t(
        'Mạng lưới người bán (bản ghi R, liên kết với căn cứ mạnh nhất, bên liên quan P để riêng)',
        "The seller's network (records R, links with their strongest evidence, related parties P apart)",
      ),
    );
    out.push(...networkText(net));
  }

  out.push(
    '',
    d.link_method === 'scored'
      ? t(
          'Liên kết (bộ liên kết chấm điểm: trọng số là log2 của hệ số Bayes)',
          'Links (scored resolver: weights are log2 Bayes factors)',
        )
      : t('Liên kết (định danh trùng khớp)', 'Links (exact identifier)'),
  );
  if (d.links.length === 0)
    out.push(t('  (một bản ghi duy nhất: không có gì để liên kết)', '  (a single record: nothing to link)'));
  for (const l of d.links) out.push('  ' + linkLine(l));

  out.push(
    '',
    t('Bên liên quan (không phải người bán: không bao giờ gộp)', 'Related parties (not the seller: never merged)'),
  );
  if (d.related.length === 0) out.push(t('  (không có)', '  (none)'));
  for (const r of d.related) out.push(`  ${relatedLine(r)}`);

  out.push(
    '',
    t(
      `Bản ghi năm thuế ${d.tax_year} (sổ đăng ký và website: tất cả)`,
      `Records in tax year ${d.tax_year} (registry and websites: all)`,
    ),
  );
  if (d.records.length === 0) out.push(t('  (không có)', '  (none)'));
  for (const s of d.records) out.push(...sourceBlock(s));

  out.push('', t('Doanh thu và thuế, từng bước', 'Revenue and tax, step by step'));
  const rv = d.revenue;
  if (!rv) out.push(t('  (không có đặc trưng cho thực thể này)', '  (no features for this entity)'));
  else {
    const r = rv.rules;
    out.push(
      t(
        `  quy định ${rv.tax_year}: ngưỡng ${money(r.threshold)} VND, ${rv.activity_group} ` +
          `(${rv.group_source}) GTGT ${pct(r.vat_rate)} + TNCN ${pct(r.pit_rate)}` +
          (r.pit_on_excess_only ? ', TNCN trên phần doanh thu vượt ngưỡng' : '') +
          `${r.vat_on_whole_revenue ? '' : ', GTGT trên phần doanh thu vượt ngưỡng'}`,
        `  rules ${rv.tax_year}: threshold ${money(r.threshold)} VND, ${rv.activity_group} ` +
          `(${rv.group_source}) VAT ${pct(r.vat_rate)} + PIT ${pct(r.pit_rate)}` +
          (r.pit_on_excess_only ? ', PIT on revenue above the threshold' : '') +
          `${r.vat_on_whole_revenue ? '' : ', VAT on revenue above the threshold'}`,
      ),
    );
    out.push(
      `  ${lang === 'vi' ? rv.rate.basis_vi : rv.rate.basis_en}`,
      lang === 'vi'
        ? `  thuế phải nộp từ ${money(rv.rate.tax_due_min_vnd)} đến ${money(rv.rate.tax_due_max_vnd)} ` +
            `VND (thuế suất ${pct(rv.rate.min)} đến ${pct(rv.rate.max)})`
        : `  tax due from ${money(rv.rate.tax_due_min_vnd)} to ${money(rv.rate.tax_due_max_vnd)} VND ` +
            `(rate ${pct(rv.rate.min)}–${pct(rv.rate.max)})`,
    );
    const sign = { counted: '+', excluded: '×', result: '=', info: ' ' } as const;
    const label = (s: (typeof rv.steps)[number]) => (lang === 'vi' ? s.label_vi : s.label_en);
    const w = Math.max(...rv.steps.map((s) => label(s).length));
    for (const s of rv.steps)
      out.push(`  ${sign[s.role]} ${label(s).padEnd(w)}  ${money(s.amount_vnd).padStart(16)} VND  ${s.note}`);
    out.push(
      t(
        '  (+ được tính, × bỏ ra để mỗi đồng chỉ tính một lần, = kết quả)',
        '  (+ counted, × left out so money is counted once, = result)',
      ),
    );
  }
  return out.join('\n') + '\n';
}

/** The dossier as pretty JSON. */
export function formatDossierJson(d: Dossier): string {
  return JSON.stringify(d, null, 2) + '\n';
}

const h = escapeHtml;

function htmlTable(
  columns: string[],
  rows: Record<string, unknown>[],
  numeric: (c: string) => boolean = () => false,
  rowId?: (r: Record<string, unknown>) => string,
): string {
  const head = columns.map((c) => `<th${numeric(c) ? ' class="num"' : ''}>${h(c)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        (rowId ? `<tr id="${h(rowId(r))}">` : `<tr>`) +
        columns.map((c) => `<td${typeof r[c] === 'number' ? ' class="num"' : ''}>${h(cell(r[c], c))}</td>`).join('') +
        `</tr>`,
    )
    .join('');
  return `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** Horizontal bars of the counted channels (platform / COD / bank) against declared revenue. */
function channelSvg(d: Dossier): string {
  const rv = d.revenue;
  if (!rv) return '';
  const bars = [
    ['Sàn / platform', rv.steps.find((s) => s.key === 'platform_gmv')!.amount_vnd],
    ['COD', rv.steps.find((s) => s.key === 'cod_sales')!.amount_vnd],
    ['Ngân hàng / bank', rv.steps.find((s) => s.key === 'bank_trade')!.amount_vnd],
    ['Kê khai / declared', rv.declared_revenue_vnd],
  ] as const;
  const max = Math.max(1, ...bars.map((b) => b[1]));
  const rowH = 22;
  const width = 560;
  const body = bars
    .map(([label, v], i) => {
      const w = Math.max(1, Math.round((v / max) * 300));
      const y = i * rowH + 2;
      return (
        `<text x="144" y="${y + 15}" text-anchor="end">${h(label)}</text>` +
        `<rect x="150" y="${y + 4}" width="${w}" height="${rowH - 8}" class="bar${i === 3 ? ' alt' : ''}"></rect>` +
        `<text x="${156 + w}" y="${y + 15}">${h(money(v))}</text>`
      );
    })
    .join('');
  return (
    `<svg class="chart" role="img" aria-label="Doanh thu theo kênh / Revenue by channel" viewBox="0 ` +
    `0 ${width} ${bars.length * rowH + 4}" width="${width}" height="${bars.length * rowH + 4}">${body}</svg>`
  );
}

const relatedLabels: Record<RelatedParty['kind'], string> = {
  warehouse_phone: 'booked by a warehouse, phone',
  warehouse_name: 'booked by a warehouse, name',
  warehouse_account: 'remitted to a warehouse account',
  shared_phone: 'phone shared with other people',
  shared_email: 'e-mail shared with other people',
  shared_account: 'bank account shared with another person',
  weak_link: 'weak link (not merged) to',
};

const relatedLabelsVi: Record<RelatedParty['kind'], string> = {
  warehouse_phone: 'kho hàng gửi đơn, số điện thoại',
  warehouse_name: 'kho hàng gửi đơn, tên',
  warehouse_account: 'tiền thu hộ trả vào tài khoản kho hàng',
  shared_phone: 'số điện thoại dùng chung với người khác',
  shared_email: 'e-mail dùng chung với người khác',
  shared_account: 'tài khoản ngân hàng dùng chung với người khác',
  weak_link: 'liên kết yếu (không gộp) với',
};

function relatedLine(r: RelatedParty): string {
  const list = `${r.entities.join(', ')}${r.entity_count > r.entities.length ? ' …' : ''}`;
  const others = r.entity_count
    ? t(
        ` — còn ở ${fmt().int(r.entity_count)} thực thể khác: ${list}`,
        ` — also on ${fmt().int(r.entity_count)} other entit${r.entity_count === 1 ? 'y' : 'ies'}: ${list}`,
      )
    : '';
  const label = fmt().lang === 'vi' ? relatedLabelsVi[r.kind] : relatedLabels[r.kind];
  return r.kind === 'weak_link' ? `${label} ${r.entities[0]}: ${r.value}` : `${label}: ${r.value}${others}`;
}

/** The identity graph drawn as SVG; a click on a record shows its row in the identities table. */
function networkSection(d: Dossier): string {
  const net = dossierNetwork(d);
  if (net.nodes.length <= 1 && net.parties.length === 0) return '';
  return (
    `<section id="network"><h2>Mạng lưới người bán <span class="en">The seller's network: records by source, ` +
    `links with their strongest evidence, related parties (◇) apart; click a record to see it</span></h2>` +
    networkSvg(net) +
    (net.hidden ? `<p class="muted">… ${h(fmt().int(net.hidden))} bản ghi khác / more records (table below)</p>` : '') +
    `</section>`
  );
}

/**
 * The dossier as one self-contained HTML page.
 *
 * @example writeFileSync('dossier.html', renderDossierHtml(dossier));
 */
export function renderDossierHtml(d: Dossier): string {
  const c = d.case;
  const idRows = (Object.entries(identifierLabels) as [keyof Dossier['identifiers'], string][])
    .filter(([k]) => d.identifiers[k].length)
    .map(
      ([k, label]) =>
        `<dt>${h(label)}</dt><dd>${d.identifiers[k].map((v) => `<span class="tag">${h(v)}</span>`).join('')}</dd>`,
    )
    .join('');
  const links = d.links.length
    ? `<ul>${d.links.map((l) => `<li>${h(linkLine(l))}</li>`).join('')}</ul>`
    : '<p class="muted">Một bản ghi duy nhất. <span class="en">A single record: nothing to link.</span></p>';
  const records = d.records
    .map(
      (s) =>
        `<h3>${h(s.source)} <span class="muted">${h(fmt().int(s.count))} bản ghi / ` +
        `records${s.amount_vnd !== null ? `, ${h(money(s.amount_vnd))} VND` : ''}</span></h3>` +
        (s.classes.length
          ? `<p>` +
            s.classes
              .map(
                (k) =>
                  `<span class="tag">${h(k.class)}: ` +
                  `${h(fmt().int(k.count))}` +
                  (s.amount_vnd !== null ? ` · ${h(money(k.amount_vnd))} VND` : '') +
                  `</span>`,
              )
              .join('') +
            `</p>`
          : '') +
        htmlTable(s.columns, s.rows as Record<string, unknown>[]) +
        (s.count > s.rows.length ? `<p class="muted">… ${h(fmt().int(s.count - s.rows.length))} more</p>` : ''),
    )
    .join('');
  const rv = d.revenue;
  const steps = rv
    ? `<p>Quy tắc ${h(String(rv.tax_year))}: ngưỡng ${h(money(rv.rules.threshold))} VND; ` +
      `nhóm ${h(rv.activity_group)} (${h(rv.group_source)}): GTGT ${h(pct(rv.rules.vat_rate))} + ` +
      `TNCN ${h(pct(rv.rules.pit_rate))}.</p>` +
      `<p>${h(rv.rate.basis_vi)} <span class="en">${h(rv.rate.basis_en)}</span></p>` +
      `<p>Thuế phải nộp từ ${h(money(rv.rate.tax_due_min_vnd))} đến ${h(money(rv.rate.tax_due_max_vnd))} VND ` +
      `<span class="en">Tax due from ${h(money(rv.rate.tax_due_min_vnd))} to ` +
      `${h(money(rv.rate.tax_due_max_vnd))} VND</span></p>` +
      `<table><thead><tr><th></th><th>Bước <span class="en">Step</span></th><th class="num">VND</th><th>Ghi chú ` +
      `<span class="en">Note</span></th></tr></thead><tbody>` +
      rv.steps
        .map(
          (s) =>
            `<tr class="${s.role}"><td>${{ counted: '+', excluded: '×', result: '=', info: '' }[s.role]}</td>` +
            `<td>${h(s.label_vi)} ` +
            `<span class="en">${h(s.label_en)}</span></td>` +
            `<td class="num">${h(money(s.amount_vnd))}</td><td>${h(s.note)}</td></tr>`,
        )
        .join('') +
      `</tbody></table>`
    : '<p class="muted">Không có số liệu. <span class="en">No features for this entity.</span></p>';
  return (
    `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src ` +
    `data:; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>Hồ sơ ${h(d.entity_id)}</title>
<style>${reportCss}
tr.excluded td { color: var(--muted); } tr.result td { font-weight: 600; } .chart .alt { fill: #9aa5b1; }
dl { display:grid; grid-template-columns: max-content 1fr; gap:2px 10px; } dt { color: var(--muted); } dd { ` +
    `margin: 0; }${networkCss}</style>
</head>
<body>
<header>
<h1>Hồ sơ người bán ${h(d.entity_id)} <span class="en">Seller dossier, tax ` +
    `year ${h(String(d.tax_year))}${d.run_id ? `, run ${h(d.run_id)}` : ''}</span></h1>
<p class="note">Đây là gợi ý để cán bộ xác minh, không phải kết luận vi phạm. <span class="en">A lead to ` +
    `verify, not a finding; the taxpayer is always heard first.</span></p>
${d.notes.map((n) => `<p class="note">${h(n)}</p>`).join('')}
</header>
<main>
${d.registry_candidate ? candidateHtml(d.registry_candidate) : ''}
<section id="case"><h2>Hồ sơ <span class="en">Case</span></h2>
` +
    (c
      ? `<p><b>${h(c.name ?? '')}</b> ${h(c.province ?? '')} — hạng <span class="en">rank</span> ` +
        `${h(String(c.rank))}, điểm <span class="en">score</span> ${h(fmt().dec(c.risk_score, 3))}, thuế kỳ vọng ` +
        `<span class="en">expected yield</span> ${h(money(c.expected_yield_vnd))} VND</p>`
      : '<p class="muted">Không có trong danh sách. <span class="en">Not on the list.</span></p>') +
    `
<ul>${d.reasons.map((r) => `<li><span class="tag">${h(r.code)}</span>${h(r.text)}</li>`).join('')}</ul>
${channelSvg(d)}</section>
${networkSection(d)}
<section id="revenue"><h2>Doanh thu và thuế <span class="en">Revenue and tax, step by step</span></h2>${steps}</section>
<section id="identities"><h2>Định danh <span class="en">Identities</span></h2><dl>${idRows}</dl>
` +
    htmlTable(
      ['source', 'label', 'name', 'tax_id', 'national_id', 'phone', 'email', 'account', 'domain', 'province'],
      d.identities as unknown as Record<string, unknown>[],
      undefined,
      (r) => `rec-${String(r.record_id)}`,
    ) +
    `</section>
<section id="links"><h2>Liên kết <span class="en">Links ` +
    `(` +
    h(d.link_method === 'scored' ? 'scored resolver, log2 Bayes factors' : 'exact identifier') +
    `)</span></h2>${links}</section>
<section id="related"><h2>Bên liên quan <span class="en">Related parties (not the seller: never ` +
    `merged)</span></h2>` +
    (d.related.length
      ? `<ul>${d.related.map((r, i) => `<li id="party-${i + 1}">P${i + 1} ${h(relatedLine(r))}</li>`).join('')}</ul>`
      : '<p class="muted">Không có. <span class="en">None.</span></p>') +
    `</section>
<section id="records"><h2>Bản ghi nguồn <span class="en">Source records, tax ` +
    `year ${h(String(d.tax_year))}</span></h2>${records}</section>
</main>
</body>
</html>
`
  );
}

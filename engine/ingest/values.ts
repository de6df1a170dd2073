import { cccdProvinceCodes } from '../normalize/national-id.js';
import { literal } from '../warehouse/db.js';
import { normalizeHeader } from './headers.js';
import type { ColumnSpec } from './sources.js';

/**
 * The field shapes agencies write for the contract's enumerations and periods, read as the
 * contract's value without a setting (docs/contract.md, "Values read in the contract's form").
 * Only words with one meaning: `Hoàn thành` (completed) is not `Hoàn` (returned), and a status
 * such as `Đang giao` (in transit) is no contract value, so it stays and is rejected.
 *
 * Compared as headers are (`normalizeHeader`: case, diacritics, `đ`, punctuation and spacing
 * aside), so `Đã giao`, `da giao` and `ĐÃ GIAO` are one form.
 */
export const valueSynonyms: Readonly<Record<string, readonly string[]>> = {
  // bank_transactions.direction: a statement's Nợ/Có column
  credit: ['Có', 'Ghi có', 'C', 'CR', 'Cr'],
  debit: ['Nợ', 'Ghi nợ', 'D', 'DR', 'Dr'],
  // cod_shipments.status: carriers' wording
  delivered: [
    'Đã giao',
    'Đã giao hàng',
    'Giao thành công',
    'Giao hàng thành công',
    'Đã giao thành công',
    'Phát thành công',
    'Đã phát thành công',
  ],
  returned: [
    'Hoàn',
    'Đã hoàn',
    'Hoàn hàng',
    'Đã hoàn hàng',
    'Chuyển hoàn',
    'Đã chuyển hoàn',
    'Hoàn trả',
    'Đã hoàn trả',
    'Đã trả hàng',
  ],
  cancelled: ['Hủy', 'Đã hủy', 'Hủy đơn', 'Đã hủy đơn', 'Canceled'], // (Huỷ, the other accent placement, is the same)
  // taxpayers.status: the registry's wording
  active: ['Đang hoạt động', 'Hoạt động', 'NNT đang hoạt động'],
  suspended: ['Tạm ngừng', 'Tạm ngừng hoạt động', 'Tạm ngừng kinh doanh', 'NNT tạm ngừng hoạt động'],
  closed: ['Ngừng hoạt động', 'Đã đóng MST', 'Chấm dứt hiệu lực MST', 'NNT ngừng hoạt động'],
  // websites.status: the Ministry's wording
  notified: ['Đã thông báo'],
  registered: ['Đã đăng ký'],
  revoked: ['Đã thu hồi', 'Thu hồi', 'Đã hủy bỏ', 'Hủy bỏ'],
};

/**
 * SQL of `normalizeHeader` for values: the engine's `text_key` (lower case, `đ` → `d`, diacritics
 * stripped), then every run of other characters → one space, trimmed.
 */
export const normalizedValueSql = (v: string) => `trim(regexp_replace(text_key(${v}), '[^a-z0-9]+', ' ', 'g'))`;

const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };

/**
 * SQL reading `expr` in the contract's form when it is a known field shape of the column's
 * enumeration or period, else `expr` unchanged (a value the rules then accept or reject as
 * delivered); `null` when the column has no such shapes.
 *
 * Periods: `01/2025`, `1/2025`, `T01/2025`, `Tháng 1/2025`, `01-2025` → `2025-01`; `Q1/2025`,
 * `Quý 1/2025`, `Quý I/2025`, `Q1 2025`, `2025-q1`, `2025Q1` → `2025-Q1` (the year has four digits,
 * so month and year cannot be confused; a day is never part of a period).
 *
 * @example builtinFormSql({ name: 'direction', type: 'text', values: ['credit', 'debit'] }, '"Nợ/Có"')
 *   // case <normalised> when 'co' then 'credit' … else "Nợ/Có" end
 */
export function builtinFormSql(col: ColumnSpec, expr: string): string | null {
  const n = normalizedValueSql(expr);
  if (col.type === 'period') {
    const month = '^(?:thang |t)?(0?[1-9]|1[0-2]) ([0-9]{4})$';
    const quarter = '^(?:quy |q)([1-4]|i|ii|iii|iv) ([0-9]{4})$';
    const yearQuarter = '^([0-9]{4}) ?q([1-4])$';
    const q = `regexp_extract(${n}, ${literal(quarter)}, 1)`;
    const quarterNumber = `case ${q} ${Object.entries(ROMAN)
      .map(([r, k]) => `when '${r}' then '${k}'`)
      .join(' ')} else ${q} end`;
    return (
      `case when regexp_full_match(trim(${expr}), '[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?') then ${expr} ` +
      `when regexp_matches(${n}, ${literal(month)}) then regexp_extract(${n}, ${literal(month)}, 2) || '-' || ` +
      `lpad(regexp_extract(${n}, ${literal(month)}, 1), 2, '0') ` +
      `when regexp_matches(${n}, ${literal(quarter)}) then regexp_extract(${n}, ${literal(quarter)}, 2) || '-Q' || ` +
      `${quarterNumber} ` +
      `when regexp_matches(${n}, ${literal(yearQuarter)}) then regexp_extract(${n}, ${literal(yearQuarter)}, 1) || ` +
      `'-Q' || regexp_extract(${n}, ${literal(yearQuarter)}, 2) ` +
      `else ${expr} end`
    );
  }
  if (!col.values) return null;
  const forms = col.values.flatMap((value) =>
    (valueSynonyms[value] ?? []).map((s) => [normalizeHeader(s), value] as const),
  );
  if (forms.length === 0) return null;
  const whens = [...new Map(forms).entries()].map(([s, value]) => `when ${literal(s)} then ${literal(value)}`);
  // (a value already in the contract's form, nearly every one, skips the normalising)
  const contract = col.values.map(literal).join(', ');
  return `case when ${expr} in (${contract}) then ${expr} else case ${n} ${whens.join(' ')} else ${expr} end end`;
}

/**
 * SQL restoring the leading zero Excel drops from an identifier typed as a number, where the
 * restored form is unambiguous, else `expr` unchanged; `null` for columns that hold no tax code or
 * personal ID. Only digits as delivered (an Excel number cell, or a CSV saved from one):
 *
 * - 11 digits whose 12-digit form `0…` is a personal ID (CCCD): it opens with a province code of
 *   birth registration (`cccdProvinceCodes`) and a gender/century digit 0–3 (born 1900–2099); in a
 *   personal ID column also 10 digits whose form `00…` is one (provinces 001–008 lose two zeros);
 * - tax code columns also: 9 digits whose 10-digit form `0…` has a valid check digit (`mst10_valid`,
 *   a tax office code 01–09), and the same with a branch suffix (`100109106-001`).
 *
 * A value that fits neither stays as delivered (and is warned about or rejected as malformed).
 *
 * @example restoredIdSql({ name: 'tax_id', type: 'text', format: 'tax_id' }, '"MST"')
 *   // case when … then '0' || trim("MST") … else "MST" end
 */
export function restoredIdSql(col: ColumnSpec, expr: string): string | null {
  if (col.format !== 'tax_id' && col.format !== 'national_id') return null;
  const v = `trim(${expr})`;
  const provinces = cccdProvinceCodes.map((c) => literal(c.slice(1))).join(', ');
  const cccd =
    `regexp_full_match(${v}, '[0-9]{11}') and left(${v}, 2) in (${provinces}) and ` +
    `substr(${v}, 3, 1) in ('0', '1', '2', '3')`;
  // (lengths no lost zero leaves, the 12-digit IDs and 10-digit codes of nearly every row, skip the tests)
  const whens = [`when length(${v}) not in (9, 10, 11, 13) then ${expr}`, `when ${cccd} then '0' || ${v}`];
  if (col.format === 'national_id') {
    // A CCCD of a province 001–008 loses two zeros; 10 digits is no personal ID (a tax code column keeps
    // them: 10 digits is a tax code's own form, and one failing its check digit is a typo as likely).
    whens.push(
      `when regexp_full_match(${v}, '[0-9]{10}') and '0' || left(${v}, 1) in (${provinces}) and ` +
        `substr(${v}, 2, 1) in ('0', '1', '2', '3') then '00' || ${v}`,
    );
  }
  if (col.format === 'tax_id') {
    whens.push(
      `when regexp_full_match(${v}, '[1-9][0-9]{8}') and mst10_valid('0' || ${v}) then '0' || ${v}`,
      `when regexp_full_match(${v}, '[1-9][0-9]{8}-[0-9]{3}') and mst10_valid('0' || left(${v}, 9)) and ` +
        `right(${v}, 3) <> '000' then '0' || ${v}`,
    );
  }
  return `case ${whens.join(' ')} else ${expr} end`;
}

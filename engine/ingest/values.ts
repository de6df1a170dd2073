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
 * SQL of `normalizeHeader` for values: lower case, `đ` → `d`, diacritics stripped, every run of other
 * characters → one space, trimmed.
 */
export const normalizedValueSql = (v: string) =>
  `trim(regexp_replace(strip_accents(lower(replace(replace(${v}, 'đ', 'd'), 'Đ', 'd'))), '[^a-z0-9]+', ' ', 'g'))`;

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
  return `case ${n} ${whens.join(' ')} else ${expr} end`;
}

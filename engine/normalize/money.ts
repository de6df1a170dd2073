import { collapseSpaces, SPACE_CLASS_JS, type Raw } from './text.js';

export interface MoneyFormat {
  /** Decimal mark; when omitted it is inferred (see `normMoney`). */
  decimal?: ',' | '.';
  /** Thousands separator; spaces and `'` are always read as thousands separators. */
  thousands?: '.' | ',' | ' ';
}

// Patterns shared with the SQL macro `norm_money` (the inferred format only).
/** A currency word or sign before or after the amount: `đ`, `₫`, `VND`, `VNĐ`, `đồng`, `dong`. */
export const CURRENCY_PATTERN = '^(?:vnđ|vnd|₫|đ)\\.? *|(?: *)(?:vnđ|vnd|đồng|dong|₫|đ)\\.?$';
/** `1.250.000` or `1.250.000,5`: dots group thousands. */
export const DOT_GROUPED_PATTERN = '^[+-]?[0-9]{1,3}(?:\\.[0-9]{3})+(?:,[0-9]+)?$';
/** `1,250,000` or `1,250,000.5`: commas group thousands. */
export const COMMA_GROUPED_PATTERN = '^[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\\.[0-9]+)?$';
/** `1250000`, `1250000.5`, `1250000,00`: no grouping, at most one decimal mark. */
export const PLAIN_PATTERN = '^[+-]?[0-9]+(?:[.,][0-9]+)?$';
/** `1.25E+06` as spreadsheets export large numbers. */
export const SCIENTIFIC_PATTERN = '^[+-]?[0-9]+(?:\\.[0-9]+)?e[+-]?[0-9]+$';

const currency = new RegExp(CURRENCY_PATTERN, 'g');
const dotGrouped = new RegExp(DOT_GROUPED_PATTERN);
const commaGrouped = new RegExp(COMMA_GROUPED_PATTERN);
const plain = new RegExp(PLAIN_PATTERN);
const scientific = new RegExp(SCIENTIFIC_PATTERN);
const spacesAndQuotes = new RegExp(SPACE_CLASS_JS.slice(0, -1) + "']", 'g');

const escapeRe = (c: string) => c.replace(/[.]/g, '\\.');

/**
 * Money text → whole VND (rounded half away from zero), or null. Currency words, spaces and
 * `'` are dropped; `(1.250.000)` is negative; negatives are kept (validation decides). Without
 * a format, a mark that groups exactly three digits (`1.250`, `1,250,000`) is a thousands
 * separator and the other mark is decimal; a single mark before 1–2 or 4+ digits is decimal.
 *
 * @example normMoney('1.250.000 đ')  // 1250000
 * @example normMoney('1,250,000 VND') // 1250000
 * @example normMoney('1.250,5', { decimal: ',' }) // 1251
 * @example normMoney('12 tỷ')         // null
 */
export function normMoney(s: Raw, format: MoneyFormat = {}): number | null {
  if (s == null) return null;
  let t = collapseSpaces(s).toLowerCase().replace(currency, '');
  const paren = /^\((.*)\)$/.exec(t);
  if (paren) t = '-' + paren[1]!;
  t = t.replace(spacesAndQuotes, '');
  let n: number;
  if (scientific.test(t)) n = Number(t);
  else {
    const read =
      format.decimal !== undefined || (format.thousands !== undefined && format.thousands !== ' ')
        ? readWithFormat(t, format)
        : readInferred(t);
    if (read === null) return null;
    n = Number(read);
  }
  if (!Number.isFinite(n)) return null;
  const r = Math.sign(n) * Math.round(Math.abs(n));
  return Number.isSafeInteger(r) ? r + 0 : null; // + 0 turns -0 into 0
}

/** Plain decimal text (`-1250000.5`) from an inferred format, or null. */
function readInferred(t: string): string | null {
  if (dotGrouped.test(t)) return t.replace(/\./g, '').replace(',', '.');
  if (commaGrouped.test(t)) return t.replace(/,/g, '');
  if (plain.test(t)) return t.replace(',', '.');
  return null;
}

function readWithFormat(t: string, format: MoneyFormat): string | null {
  const thousands = format.thousands === ' ' ? undefined : format.thousands;
  const decimal = format.decimal ?? (thousands === '.' ? ',' : '.');
  const sep = thousands ?? (decimal === '.' ? ',' : '.');
  if (sep === decimal) return null;
  const grouped = new RegExp(`^[+-]?[0-9]{1,3}(?:${escapeRe(sep)}[0-9]{3})*(?:${escapeRe(decimal)}[0-9]+)?$`);
  const ungrouped = new RegExp(`^[+-]?[0-9]+(?:${escapeRe(decimal)}[0-9]+)?$`);
  if (!grouped.test(t) && !ungrouped.test(t)) return null;
  return t.split(sep).join('').replace(decimal, '.');
}

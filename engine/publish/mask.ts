/**
 * Masking of personal identifiers in exports (`maskPii`). Names are kept: analysts need them to
 * recognise a seller; identifiers keep a head and a tail so two masked values can still be told
 * apart by eye. The number of stars is fixed, so a masked value does not reveal its length.
 */
import type { CaseRow } from './case-row.js';

export type PiiKind = 'tax_id' | 'national_id' | 'phone' | 'account' | 'email';

/** The case-row list columns that hold personal identifiers, and how each is masked. */
export const piiColumns = {
  tax_ids: 'tax_id',
  national_ids: 'national_id',
  phones: 'phone',
  accounts: 'account',
  emails: 'email',
} as const satisfies Partial<Record<keyof CaseRow, PiiKind>>;

/** Keeps `head` leading and `tail` trailing characters around a fixed run of stars. */
function keepEnds(v: string, head: number, tail: number, stars: string): string {
  if (v.length >= head + tail + 2) return v.slice(0, head) + stars + v.slice(v.length - tail);
  // Too short to show both ends without giving most of it away: show the last two at most.
  const shown = Math.min(2, Math.floor(v.length / 3));
  return stars + (shown > 0 ? v.slice(v.length - shown) : '');
}

/** Digits-like identifiers: long ones keep 4 + 4, 10-digit ones 4 + 3, short ones less. */
function maskNumber(v: string): string {
  if (v.length >= 12) return keepEnds(v, 4, 4, '****');
  if (v.length >= 10) return keepEnds(v, 4, 3, '***');
  if (v.length >= 8) return keepEnds(v, 2, 2, '****');
  return keepEnds(v, 0, 2, '****');
}

/**
 * Masks one identifier for an export.
 *
 * @example
 *   maskValue('phone', '0912345678')        // '0912***678'
 *   maskValue('national_id', '079012341234') // '0790****1234'
 *   maskValue('account', 'VCB:079012341234') // 'VCB:0790****1234'
 *   maskValue('tax_id', '0312345678-001')    // '0312***678-001'
 *   maskValue('email', 'nguyen.an@gmail.com') // 'n***@gmail.com'
 */
export function maskValue(kind: PiiKind, v: string): string {
  const s = v.trim();
  if (s === '') return '';
  switch (kind) {
    case 'phone':
      return keepEnds(s, 4, 3, '***');
    case 'national_id':
      return maskNumber(s);
    case 'tax_id': {
      // A branch suffix (-NNN) says nothing about the person: keep it.
      const m = /^(.*?)(-\d{3})$/.exec(s);
      return m ? maskNumber(m[1]!) + m[2]! : maskNumber(s);
    }
    case 'account': {
      // Accounts travel as `bank:number`; the bank code is not personal.
      const colon = s.lastIndexOf(':');
      return colon >= 0 ? s.slice(0, colon + 1) + maskNumber(s.slice(colon + 1)) : maskNumber(s);
    }
    case 'email': {
      const at = s.lastIndexOf('@');
      if (at <= 0) return keepEnds(s, 1, 0, '***');
      return s.slice(0, 1) + '***' + s.slice(at);
    }
  }
}

/** Columns whose free text may quote an identifier of the same row (a shop id that is a phone, a reason naming an
 * account). */
const textColumnsToScrub = ['name', 'reasons', 'shops', 'domains'] as const;

/**
 * A copy of a case row with its identifiers masked; the row's own identifier values are also
 * replaced where they appear inside its name, reasons, shops and domains.
 *
 * @example maskCaseRow(row).phones // ['0912***678']
 */
export function maskCaseRow(row: CaseRow): CaseRow {
  const out: CaseRow = { ...row };
  const replacements: Array<[string, string]> = [];
  for (const [column, kind] of Object.entries(piiColumns) as Array<[keyof typeof piiColumns, PiiKind]>) {
    const values = row[column] ?? [];
    out[column] = values.map((v) => {
      const masked = maskValue(kind, v);
      // For accounts the number alone may be quoted in text, without its bank prefix.
      const bare = kind === 'account' ? v.slice(v.lastIndexOf(':') + 1).trim() : v.trim();
      if (bare.length >= 6) replacements.push([bare, kind === 'account' ? maskValue('account', bare) : masked]);
      return masked;
    });
  }
  // A reason may quote another taxpayer's code (POSSIBLY_REGISTERED names its candidate): any bare
  // 10- or 12-digit code (with an optional -NNN branch) left in a reason is masked as a tax code.
  const otherCodes = (text: string) =>
    text.replace(/(?<![\d*])(?:\d{12}|\d{10})(?:-\d{3})?(?![\d*])/g, (m) => maskValue('tax_id', m));
  if (replacements.length === 0) {
    out.reasons = row.reasons.map(otherCodes);
    return out;
  }
  // Longest first, so a phone inside a longer ID is not half-replaced.
  replacements.sort((a, b) => b[0].length - a[0].length);
  const scrub = (text: string): string => {
    let t = text;
    for (const [from, to] of replacements) if (t.includes(from)) t = t.split(from).join(to);
    return t;
  };
  for (const column of textColumnsToScrub) {
    const v = row[column];
    if (Array.isArray(v)) (out[column] as string[]) = v.map(scrub);
    else if (typeof v === 'string') (out[column] as string) = scrub(v);
  }
  out.reasons = out.reasons.map(otherCodes);
  return out;
}

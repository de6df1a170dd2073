import type { Raw } from './text.js';

/**
 * `mst10`: a 10-digit code (an organisation or a legacy personal code: the format is the same);
 * `branch`: 10 digits + `-` + 3 digits, belongs to its parent; `personal12`: the 12-digit
 * personal ID used as tax code since 1 July 2025.
 */
export type TaxIdKind = 'mst10' | 'branch' | 'personal12';

export interface TaxId {
  /** Cleaned code: `0100109106`, `0100109106-001` or `001090012345`. */
  taxId: string;
  /** The 10-digit head-office code of a branch; null otherwise. */
  parent: string | null;
  kind: TaxIdKind;
  /** Check digit correct (mst10, branch with a non-`000` suffix); always true for personal12. */
  valid: boolean;
}

/** Weights of the MST check digit over the first nine digits. */
export const MST_WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3] as const;

/**
 * Check digit of a 10-digit tax code from its first nine digits: 10 − (Σ wᵢdᵢ mod 11);
 * null when that is 10 (no valid code has these nine digits) or the input is not 9 digits.
 *
 * @example mstCheckDigit('010010910') // 6  (Viettel, 0100109106)
 */
export function mstCheckDigit(first9: string): number | null {
  if (!/^[0-9]{9}$/.test(first9)) return null;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += MST_WEIGHTS[i]! * (first9.charCodeAt(i) - 48);
  const check = 10 - (sum % 11);
  return check === 10 ? null : check;
}

/**
 * True when `s` is exactly ten digits whose last digit is the MST check digit.
 *
 * @example isValidMst10('0300588569') // true
 * @example isValidMst10('0300588568') // false
 */
export function isValidMst10(s: string): boolean {
  return /^[0-9]{10}$/.test(s) && mstCheckDigit(s.slice(0, 9)) === s.charCodeAt(9) - 48;
}

/**
 * Tax code (MST) → cleaned code, kind, parent and check-digit validity; null when the digits
 * are not 10, 13 (branch) or 12 (personal ID) long. Every non-digit is dropped first, so
 * `0100 109 106`, `MST: 0100109106` and `0100109106 - 001` are all read.
 *
 * @example normTaxId('0100109106-001')
 *   // { taxId: '0100109106-001', parent: '0100109106', kind: 'branch', valid: true }
 * @example normTaxId('001090012345') // { taxId: '001090012345', parent: null, kind: 'personal12', valid: true }
 */
export function normTaxId(s: Raw): TaxId | null {
  if (s == null) return null;
  const d = s.replace(/[^0-9]/g, '');
  switch (d.length) {
    case 10:
      return { taxId: d, parent: null, kind: 'mst10', valid: isValidMst10(d) };
    case 13: {
      const parent = d.slice(0, 10);
      const suffix = d.slice(10);
      return { taxId: `${parent}-${suffix}`, parent, kind: 'branch', valid: isValidMst10(parent) && suffix !== '000' };
    }
    case 12:
      return { taxId: d, parent: null, kind: 'personal12', valid: true };
    default:
      return null;
  }
}

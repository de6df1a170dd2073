import type { Raw } from './text.js';

/**
 * A Vietnamese mobile number once every non-digit is removed: an optional `84` / `0084`
 * country prefix, an optional trunk `0`, then nine digits starting 3, 5, 7, 8 or 9.
 * Shared with the SQL macro `norm_phone`.
 */
export const PHONE_DIGITS_PATTERN = '^(?:(?:00)?84)?0?([35789][0-9]{8})$';

const phoneDigits = new RegExp(PHONE_DIGITS_PATTERN);

/**
 * Vietnamese mobile number → 10 digits starting with 0 (prefixes 03, 05, 07, 08, 09), or null.
 * Separators, `+84` / `84` / `0084` and a lost leading zero are all accepted.
 *
 * @example normPhone('+84 912 345 678') // '0912345678'
 * @example normPhone('(+84)912345678')  // '0912345678'
 * @example normPhone('0212345678')      // null (not a mobile prefix)
 */
export function normPhone(s: Raw): string | null {
  if (s == null) return null;
  const m = phoneDigits.exec(s.replace(/[^0-9]/g, ''));
  return m ? '0' + m[1] : null;
}

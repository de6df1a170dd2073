import { isValidMst10 } from './tax-id.js';
import { normPhone } from './phone.js';

/**
 * What kind of personal identifier a value typed on the command line looks like, in words that
 * name the kind and never the value (`a 12-digit national ID`), or null when it looks like none
 * (a run id, a period, a file name). Error messages say this instead of echoing the value: a person
 * who typed an ID where an entity id or a run id belongs must not find it in stderr or a nightly log.
 *
 * @example identifierKind('034180908307')   // 'a 12-digit national ID (CCCD) or personal tax code'
 * @example identifierKind('0912 345 678')   // 'a phone number'
 * @example identifierKind('latest')         // null
 */
export function identifierKind(value: string): string | null {
  const v = value.trim();
  if (/^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i.test(v)) return 'an e-mail address';
  // Digits with the separators people type (`+84 912 345 678`, `0100109106-001`, `001.090.012.345`).
  if (!/^\+?[\d\s.()-]+$/.test(v)) return null;
  const d = v.replace(/\D/g, '');
  if (d.length < 9) return null;
  // A run id (20261123-181000-…) is never all digits with separators; a date-time stamp can be: keep it.
  if (/^\d{8}-\d{6}$/.test(v)) return null;
  const phone = normPhone(v) !== null;
  if (d.length === 12 && !v.startsWith('+') && !d.startsWith('84'))
    return 'a 12-digit national ID (CCCD) or personal tax code';
  if (d.length === 10 && isValidMst10(d)) return phone ? 'a 10-digit phone number or tax code' : 'a 10-digit tax code';
  if (phone) return 'a phone number';
  if (d.length === 13) return 'a branch tax code';
  return `${d.length === 11 || d.length === 18 ? 'an' : 'a'} ${d.length}-digit number (an account or ID number)`;
}

/**
 * A value typed on the command line as an error message may show it: quoted when it is not
 * identifier-like, else its kind only (see identifierKind).
 *
 * @example typedValueForMessage('2026-Q5')      // '"2026-Q5"'
 * @example typedValueForMessage('0912345678') // 'a phone number (not repeated here)'
 */
export function typedValueForMessage(value: string): string {
  const kind = identifierKind(value);
  return kind ? `${kind} (not repeated here)` : `"${value}"`;
}

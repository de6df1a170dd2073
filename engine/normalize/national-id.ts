import type { Raw } from './text.js';

/**
 * Personal ID (CCCD) → 12 digits, or null. Spaces, dots and other separators are dropped.
 * The first three digits are a province of birth registration, never a place of residence.
 *
 * @example normNationalId('001 090.012 345') // '001090012345'
 * @example normNationalId('123456789')       // null (old 9-digit CMND)
 */
export function normNationalId(s: Raw): string | null {
  if (s == null) return null;
  const d = s.replace(/[^0-9]/g, '');
  return d.length === 12 ? d : null;
}

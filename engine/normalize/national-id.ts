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

/**
 * The province codes a CCCD opens with: the 63 provinces of birth registration before the 2025
 * merger (Decree/Circular on personal ID numbering), `001` Hà Nội … `096` Cà Mau. A 12-digit value
 * opening otherwise is no CCCD.
 */
// biome-ignore format: a table of codes
export const cccdProvinceCodes: readonly string[] = [
  '001', '002', '004', '006', '008', '010', '011', '012', '014', '015', '017', '019', '020', '022', '024', '025',
  '026', '027', '030', '031', '033', '034', '035', '036', '037', '038', '040', '042', '044', '045', '046', '048',
  '049', '051', '052', '054', '056', '058', '060', '062', '064', '066', '067', '068', '070', '072', '074', '075',
  '077', '079', '080', '082', '083', '084', '086', '087', '089', '091', '092', '093', '094', '095', '096',
];

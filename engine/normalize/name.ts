import { collapseSpaces, textKey, type Raw } from './text.js';

export interface NormName {
  /** Title Case with diacritics kept: `Nguyễn Văn Đức`. */
  display: string;
  /** Matching key: lower case, no diacritics, single spaces: `nguyen van duc`. */
  key: string;
}

/**
 * Person or shop name → display form and matching key; null when empty.
 *
 * @example normName('  NGUYỄN   văn đức ') // { display: 'Nguyễn Văn Đức', key: 'nguyen van duc' }
 */
export function normName(s: Raw): NormName | null {
  if (s == null) return null;
  const t = collapseSpaces(s);
  const key = textKey(t);
  if (key === '') return null;
  const display = t
    .split(' ')
    // Upper-case the first letter only where that maps one letter to one letter and back (ß → SS would not be
    // idempotent).
    .map((w) =>
      w.toLowerCase().replace(/\p{L}/u, (c) => {
        const u = c.toUpperCase();
        return [...u].length === 1 && u.toLowerCase() === c ? u : c;
      }),
    )
    .join(' ');
  return { display, key };
}

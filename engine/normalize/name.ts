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

/**
 * Vietnamese surnames, as name keys (no tones), that are not also everyday shop words once their tones
 * are gone: a name beginning with one reads as a person's (the SQL macros `vn_surname`, `personal_name`).
 */
// biome-ignore format: a list of words, read as such
export const VN_SURNAMES: readonly string[] = [
  'nguyen', 'tran', 'le', 'pham', 'hoang', 'huynh', 'phan', 'vu', 'vo', 'dang', 'bui', 'ho', 'ngo', 'duong',
  'dinh', 'truong', 'dao', 'lam', 'trinh', 'doan', 'luong', 'trieu', 'phung', 'quach', 'kieu', 'tang', 'tong',
  'khuc', 'diep', 'thach', 'luu', 'chau', 'ta', 'vuong', 'nghiem', 'ninh', 'giap', 'hua',
];

/**
 * Surnames that are also shop words, or begin them, without their tones (Đỗ / đồ, Tô / tổ, Thái / Thái
 * Lan, Cù / củ, Bạch / bách hoá, Đàm / đầm, Nông / nông sản …): a name beginning with one reads as a
 * person's only before Văn or Thị, the middle names only people carry (`vn_shop_surname`,
 * `personal_name`). Any first word before `van` is not enough: untoned, `Dũng Vận chuyển` (a carrier's
 * shop) reads `dung van chuyen`.
 */
// biome-ignore format: a list of words, read as such
export const VN_SHOP_SURNAMES: readonly string[] = [
  'do', 'to', 'mai', 'ha', 'cao', 'la', 'ly', 'mac', 'ton', 'lai', 'kim', 'giang', 'thai', 'cu', 'chu', 'bach',
  'dam', 'nong', 'than', 'khong', 'tieu', 'phi', 'kha', 'ung', 'lo', 'luc', 'au', 'lu', 'tu', 'han',
];

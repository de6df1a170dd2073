import { textKey, type Raw } from './text.js';

/** A province after the 2025 merger (63 → 34). */
export interface Province {
  /** Two-digit administrative code of the merged province (Decision 19/2025/QĐ-TTg). */
  code: string;
  /** Canonical Vietnamese name without prefix: `Hồ Chí Minh`, `Huế`. */
  name: string;
  /** Old (pre-2025) provinces now inside it, its own old name first. */
  old: readonly string[];
}

/**
 * The 34 current provinces, ordered by code, from the merger table in docs/domain.md: each lists the
 * old provinces it absorbed (its own old name first; Huế was Thừa Thiên Huế).
 */
export const currentProvinces: readonly Province[] = [
  { code: '01', name: 'Hà Nội', old: ['Hà Nội'] },
  { code: '04', name: 'Cao Bằng', old: ['Cao Bằng'] },
  { code: '08', name: 'Tuyên Quang', old: ['Tuyên Quang', 'Hà Giang'] },
  { code: '11', name: 'Điện Biên', old: ['Điện Biên'] },
  { code: '12', name: 'Lai Châu', old: ['Lai Châu'] },
  { code: '14', name: 'Sơn La', old: ['Sơn La'] },
  { code: '15', name: 'Lào Cai', old: ['Lào Cai', 'Yên Bái'] },
  { code: '19', name: 'Thái Nguyên', old: ['Thái Nguyên', 'Bắc Kạn'] },
  { code: '20', name: 'Lạng Sơn', old: ['Lạng Sơn'] },
  { code: '22', name: 'Quảng Ninh', old: ['Quảng Ninh'] },
  { code: '24', name: 'Bắc Ninh', old: ['Bắc Ninh', 'Bắc Giang'] },
  { code: '25', name: 'Phú Thọ', old: ['Phú Thọ', 'Vĩnh Phúc', 'Hòa Bình'] },
  { code: '31', name: 'Hải Phòng', old: ['Hải Phòng', 'Hải Dương'] },
  { code: '33', name: 'Hưng Yên', old: ['Hưng Yên', 'Thái Bình'] },
  { code: '37', name: 'Ninh Bình', old: ['Ninh Bình', 'Hà Nam', 'Nam Định'] },
  { code: '38', name: 'Thanh Hóa', old: ['Thanh Hóa'] },
  { code: '40', name: 'Nghệ An', old: ['Nghệ An'] },
  { code: '42', name: 'Hà Tĩnh', old: ['Hà Tĩnh'] },
  { code: '44', name: 'Quảng Trị', old: ['Quảng Trị', 'Quảng Bình'] },
  { code: '46', name: 'Huế', old: ['Thừa Thiên Huế'] },
  { code: '48', name: 'Đà Nẵng', old: ['Đà Nẵng', 'Quảng Nam'] },
  { code: '51', name: 'Quảng Ngãi', old: ['Quảng Ngãi', 'Kon Tum'] },
  { code: '52', name: 'Gia Lai', old: ['Gia Lai', 'Bình Định'] },
  { code: '56', name: 'Khánh Hòa', old: ['Khánh Hòa', 'Ninh Thuận'] },
  { code: '66', name: 'Đắk Lắk', old: ['Đắk Lắk', 'Phú Yên'] },
  { code: '68', name: 'Lâm Đồng', old: ['Lâm Đồng', 'Đắk Nông', 'Bình Thuận'] },
  { code: '75', name: 'Đồng Nai', old: ['Đồng Nai', 'Bình Phước'] },
  { code: '79', name: 'Hồ Chí Minh', old: ['Hồ Chí Minh', 'Bình Dương', 'Bà Rịa - Vũng Tàu'] },
  { code: '80', name: 'Tây Ninh', old: ['Tây Ninh', 'Long An'] },
  { code: '82', name: 'Đồng Tháp', old: ['Đồng Tháp', 'Tiền Giang'] },
  { code: '86', name: 'Vĩnh Long', old: ['Vĩnh Long', 'Bến Tre', 'Trà Vinh'] },
  { code: '91', name: 'An Giang', old: ['An Giang', 'Kiên Giang'] },
  { code: '92', name: 'Cần Thơ', old: ['Cần Thơ', 'Sóc Trăng', 'Hậu Giang'] },
  { code: '96', name: 'Cà Mau', old: ['Cà Mau', 'Bạc Liêu'] },
];

/** All 63 pre-2025 province names → the current province that holds them. */
export const oldToCurrent: Readonly<Record<string, string>> = Object.fromEntries(
  currentProvinces.flatMap((p) => p.old.map((o) => [o, p.name] as const)),
);

/** Spellings and abbreviations beyond the official names, → current province. */
const extraAliases: Readonly<Record<string, readonly string[]>> = {
  'Hà Nội': ['HN', 'Ha Noi City', 'Hanoi City'],
  'Hồ Chí Minh': [
    'HCM',
    'HCMC',
    'TPHCM',
    'TP HCM',
    'Sài Gòn',
    'SG',
    'Ho Chi Minh City',
    'Saigon',
    'BRVT',
    'BR-VT',
    'Vũng Tàu',
    'Bà Rịa',
    'Bà Rịa Vũng Tàu',
  ],
  Huế: ['Thừa Thiên - Huế', 'TT Huế', 'TT-Huế', 'TTH', 'Hue City'],
  'Đắk Lắk': ['Daklak', 'Dak Lak', 'Đắc Lắc', 'Đắk Lắc', 'Đắc Lắk'],
  'Lâm Đồng': ['Đắc Nông', 'Daknong'],
  'Thái Nguyên': ['Bắc Cạn'],
  'Quảng Ngãi': ['Kontum'],
  'Đà Nẵng': ['Da Nang City'],
  'Hải Phòng': ['Hai Phong City'],
  'Cần Thơ': ['Can Tho City'],
};

/**
 * Words in front of a province name that are not part of it (on the diacritic-free lower-case
 * text): `Thành phố`, `Thủ đô`, `Tỉnh`, `TP`, `TP.`, `T.P`, `T.`. Shared with `province_key`.
 */
export const PROVINCE_PREFIX_PATTERN = '^(?:thanh pho|thu do|tinh|t\\.? ?p\\b\\.?|t\\.)[ .]*';

/**
 * An address part that names something below a province (ward, commune, street, hamlet,
 * district): never read as a province even when it carries a province-like name
 * (`Đường Hà Nội`, `Xã Hòa Bình`). Shared with `province_of_address`.
 */
export const SUB_PROVINCE_PATTERN =
  '^(?:xa|phuong|p|quan|q|huyen|h|thi xa|tx|thi tran|tt|duong|d|pho|ap|thon|xom|ban|khu ' +
  'pho|kp|khom|khu|to|so|ngo|ngach|hem|kiet)\\b';

/** Postal codes and the country written after the province in the same part: dropped first. */
export const ADDRESS_TAIL_PATTERN = '(?: (?:[0-9]{5,6}|viet ?nam|vn))+$';

/** What separates the parts of an address. */
export const ADDRESS_SEPARATOR_PATTERN = '[,;|\\n\\r]+';

/** How many trailing words of an address part may form a province name (`tinh ba ria - vung tau`). */
export const MAX_PROVINCE_WORDS = 6;

const prefix = new RegExp(PROVINCE_PREFIX_PATTERN);
const subProvince = new RegExp(SUB_PROVINCE_PATTERN);
const addressSeparator = new RegExp(ADDRESS_SEPARATOR_PATTERN);
const addressTail = new RegExp(ADDRESS_TAIL_PATTERN);

/**
 * Lookup key of a province name: no diacritics, lower case, prefix dropped, letters and digits
 * only. Equal keys mean the same province; the SQL macro `province_key` computes the same.
 *
 * @example provinceKey('TP. Hồ Chí Minh') // 'hochiminh'
 * @example provinceKey('Tỉnh Đắk Lắk')    // 'daklak'
 */
export function provinceKey(s: Raw): string {
  if (s == null) return '';
  return textKey(s)
    .replace(prefix, '')
    .replace(/[^a-z0-9]/g, '');
}

/**
 * Every alias key → current province name, from the canonical and old names plus common
 * abbreviations. Becomes the `ref_province_alias(alias_key, province)` table in DuckDB.
 */
export const provinceAliases: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  const add = (alias: string, province: string) => {
    const key = provinceKey(alias);
    const seen = m.get(key);
    if (seen !== undefined && seen !== province)
      throw new Error(`province alias ${key} is ambiguous: ${seen} / ${province}`);
    m.set(key, province);
  };
  for (const p of currentProvinces) {
    add(p.name, p.name);
    for (const o of p.old) add(o, p.name);
    for (const e of extraAliases[p.name] ?? []) add(e, p.name);
  }
  return m;
})();

/**
 * The province named at the end of an address: parts (split on `,` `;` `|` new line) are read
 * from the last one back, skipping parts that name a ward, street or district; the first part
 * whose last one to six words (before a postal code or `Việt Nam`) form a province name gives
 * it. Null when none does.
 *
 * @example provinceOfAddress('12 Lê Lợi, P. Bến Nghé, Q.1, TP.HCM') // 'Hồ Chí Minh'
 * @example provinceOfAddress('Số 5, Phường 3, Thành phố Vũng Tàu, Việt Nam') // 'Hồ Chí Minh'
 */
export function provinceOfAddress(address: Raw): string | null {
  if (address == null) return null;
  const parts = address.split(addressSeparator);
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = textKey(parts[i]!).replace(addressTail, '');
    if (part === '' || subProvince.test(part)) continue;
    const words = part.split(' ');
    for (let n = Math.min(MAX_PROVINCE_WORDS, words.length); n >= 1; n--) {
      const found = provinceAliases.get(provinceKey(words.slice(-n).join(' ')));
      if (found !== undefined) return found;
    }
  }
  return null;
}

/**
 * Any province spelling (current or one of the 63 old names, with or without diacritics,
 * prefixes, abbreviations) or a full address → the current province's canonical name, or null.
 *
 * @example normProvince('tinh ba ria - vung tau') // 'Hồ Chí Minh'
 * @example normProvince('Thừa Thiên Huế')         // 'Huế'
 * @example normProvince('Daklak')                 // 'Đắk Lắk'
 */
export function normProvince(s: Raw): string | null {
  if (s == null) return null;
  return provinceAliases.get(provinceKey(s)) ?? provinceOfAddress(s);
}

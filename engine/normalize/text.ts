/**
 * Text helpers shared by the identifier normalisers. Every pattern that also runs in DuckDB is
 * written once here and rendered for both engines (JS RegExp and RE2), so TS and SQL agree.
 */

/** Code points treated as white space: ASCII, no-break and typographic spaces, BOM. */
const SPACE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];

const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');

/** The white-space character class in JS syntax, e.g. `[\u0009-\u000D\u0020…]`. */
export const SPACE_CLASS_JS =
  '[' + SPACE_RANGES.map(([a, b]) => (a === b ? `\\u${hex(a, 4)}` : `\\u${hex(a, 4)}-\\u${hex(b, 4)}`)).join('') + ']';

/** The same class in RE2 syntax (DuckDB regexp functions), e.g. `[\x{0009}-\x{000D}…]`. */
export const SPACE_CLASS_RE2 =
  '[' +
  SPACE_RANGES.map(([a, b]) => (a === b ? `\\x{${hex(a, 4)}}` : `\\x{${hex(a, 4)}}-\\x{${hex(b, 4)}}`)).join('') +
  ']';

const spaceRuns = new RegExp(SPACE_CLASS_JS + '+', 'g');

/**
 * Trims and collapses every run of white space (including no-break spaces) to one space;
 * returns NFC text.
 *
 * @example collapseSpaces('  Nguyễn\u00a0 Văn   A ') // 'Nguyễn Văn A'
 */
export function collapseSpaces(s: string): string {
  return s.normalize('NFC').replace(spaceRuns, ' ').replace(/^ | $/g, '');
}

/**
 * Removes Vietnamese (and any other) diacritics, mapping đ → d and Đ → D; keeps letter case.
 * Accepts composed (NFC) and decomposed (NFD) input alike.
 *
 * @example stripDiacritics('Đắk Lắk, Thừa Thiên Huế') // 'Dak Lak, Thua Thien Hue'
 */
export function stripDiacritics(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFC');
}

/**
 * Matching key of free text: diacritics removed, lower case, white space collapsed.
 *
 * @example textKey('  NGUYỄN  văn Đức ') // 'nguyen van duc'
 */
export function textKey(s: string): string {
  return collapseSpaces(stripDiacritics(s).toLowerCase());
}

/** Input as normalisers accept it: text, or nothing (null/undefined = unknown). */
export type Raw = string | null | undefined;

import { SPACE_CLASS_JS, stripDiacritics, type Raw } from './text.js';

/**
 * Bank names and codes as deliveries spell them (upper case, no diacritics, letters and digits
 * only, `NGAN HANG` / `NH` / `TMCP` dropped) → one short code (the VietQR short codes). A key not
 * listed is kept as it is, so `VCB` stays `VCB`. Shared with the SQL macro `norm_bank`.
 */
const namedAliases: Readonly<Record<string, string>> = {
  VIETCOMBANK: 'VCB',
  NGOAITHUONG: 'VCB',
  NGOAITHUONGVIETNAM: 'VCB',
  VIETINBANK: 'ICB',
  CTG: 'ICB',
  CONGTHUONG: 'ICB',
  CONGTHUONGVIETNAM: 'ICB',
  DAUTUVAPHATTRIEN: 'BIDV',
  DAUTUVAPHATTRIENVIETNAM: 'BIDV',
  AGRIBANK: 'VBA',
  AGR: 'VBA',
  NONGNGHIEPVAPHATTRIENNONGTHON: 'VBA',
  NONGNGHIEPVAPHATTRIENNONGTHONVIETNAM: 'VBA',
  MBBANK: 'MB',
  MBB: 'MB',
  QUANDOI: 'MB',
  TECHCOMBANK: 'TCB',
  KYTHUONG: 'TCB',
  KYTHUONGVIETNAM: 'TCB',
  ACHAU: 'ACB',
  ACBBANK: 'ACB',
  VPBANK: 'VPB',
  VIETNAMTHINHVUONG: 'VPB',
  TPBANK: 'TPB',
  TIENPHONG: 'TPB',
  SACOMBANK: 'STB',
  SAIGONTHUONGTIN: 'STB',
  HDBANK: 'HDB',
  PHATTRIENTPHCM: 'HDB',
  PHATTRIENTHANHPHOHOCHIMINH: 'HDB',
  QUOCTE: 'VIB',
  QUOCTEVIETNAM: 'VIB',
  SAIGONHANOI: 'SHB',
  EXIMBANK: 'EIB',
  XUATNHAPKHAU: 'EIB',
  XUATNHAPKHAUVIETNAM: 'EIB',
  MARITIMEBANK: 'MSB',
  HANGHAI: 'MSB',
  HANGHAIVIETNAM: 'MSB',
  PHUONGDONG: 'OCB',
  SEABANK: 'SEAB',
  DONGNAMA: 'SEAB',
  LPBANK: 'LPB',
  LIENVIETPOSTBANK: 'LPB',
  BUUDIENLIENVIET: 'LPB',
  LOCPHAT: 'LPB',
  LOCPHATVIETNAM: 'LPB',
  NAMABANK: 'NAB',
  NAMA: 'NAB',
  ABBANK: 'ABB',
  ANBINH: 'ABB',
  BACABANK: 'BAB',
  BACA: 'BAB',
  PVCOMBANK: 'PVCB',
  DAICHUNG: 'PVCB',
  DAICHUNGVIETNAM: 'PVCB',
  VIETCAPITALBANK: 'VCCB',
  BVBANK: 'VCCB',
  BANVIET: 'VCCB',
  KIENLONGBANK: 'KLB',
  KIENLONG: 'KLB',
  QUOCDAN: 'NCB',
  VIETABANK: 'VAB',
  VIETA: 'VAB',
  SAIGONBANK: 'SGICB',
  SAIGONCONGTHUONG: 'SGICB',
  PGBANK: 'PGB',
  THINHVUONGVAPHATTRIEN: 'PGB',
  OCEANBANK: 'OCEANBANK',
  DAIDUONG: 'OCEANBANK',
  GPBANK: 'GPB',
  DAUKHITOANCAU: 'GPB',
  BAOVIETBANK: 'BVB',
  BAOVIET: 'BVB',
};

/**
 * The short codes themselves (and their older spellings) with `Bank` after them, as clerks write them
 * in a payout form's bank field (`BIDV Bank`, `VCB Bank`, `SHB Bank`), map to the code: `BIDVBANK`
 * would otherwise be a bank of its own and its accounts would never meet the same accounts in the
 * bank's statement. Only codes (four letters at most) get it: `VIETCOM` + `BANK` is an alias already.
 */
const codeWithBank: Record<string, string> = Object.fromEntries(
  [...new Set([...Object.values(namedAliases), ...Object.keys(namedAliases).filter((k) => k.length <= 4), 'BIDV'])]
    .map((k) => [`${k}BANK`, namedAliases[k] ?? k] as const)
    .filter(([k]) => !(k in namedAliases) && !k.endsWith('BANKBANK')),
);

export const bankAliases: Readonly<Record<string, string>> = { ...namedAliases, ...codeWithBank };

/** Prefix words that are not part of a bank's name (after upper-casing and compaction). */
export const BANK_PREFIX_PATTERN = '^(?:NGANHANG|NH|TMCP|THUONGMAICOPHAN)*';

const bankPrefix = new RegExp(BANK_PREFIX_PATTERN);

/**
 * Bank name or code → short upper-case code, or null when empty.
 *
 * @example normBank(' vcb ')                        // 'VCB'
 * @example normBank('Ngân hàng TMCP Ngoại thương')  // 'VCB'
 * @example normBank('MB Bank')                      // 'MB'
 */
export function normBank(s: Raw): string | null {
  if (s == null) return null;
  const key = stripDiacritics(s)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .replace(bankPrefix, '');
  if (key === '') return null;
  return bankAliases[key] ?? key;
}

/** Characters dropped from an account number: white space, `.`, `-`, `_` and Excel's leading `'`. */
export const ACCOUNT_SEPARATORS_JS = SPACE_CLASS_JS.slice(0, -1) + ".\\-_']";
const accountSeparators = new RegExp(ACCOUNT_SEPARATORS_JS, 'g');

/**
 * Bank account → `BANK:digits` (bank code from `normBank`, account 6 to 19 digits), or null.
 * An account is unique only together with its bank, so a missing bank gives null. Letters
 * (including Excel's `1.23E+13`) make the account invalid rather than being dropped.
 *
 * @example normAccount('vcb', '0011 0040 12345') // 'VCB:0011004012345'
 * @example normAccount('TCB', '1.9E+13')          // null
 */
export function normAccount(bank: Raw, account: Raw): string | null {
  if (account == null) return null;
  const b = normBank(bank);
  if (b === null) return null;
  const a = account.replace(accountSeparators, '');
  return /^[0-9]{6,19}$/.test(a) ? `${b}:${a}` : null;
}

/**
 * Identifiers of the synthetic world (tax codes, personal IDs, phones, bank accounts, domains)
 * and their dirty renderings. Every identifier is a pure function of the seed and a numeric
 * "slot", built on a bijection, so they never collide and never need a lookup table.
 */
import { mix32, pad, permute, type Rng } from './random.js';

/** Slots: persons take [0, MAX_PERSONS); extra identities and fixed parties live above. */
export const MAX_PERSONS = 300_000;
/** Extra identities a seller controls (two per person): slot = VIRTUAL_BASE + 2·person + k. */
export const VIRTUAL_BASE = MAX_PERSONS;
/** Hubs, platforms, carriers, gateways: slot = SPECIAL_BASE + n. */
export const SPECIAL_BASE = 950_000;

/** Weights of the MST check digit over the first nine digits (docs/domain.md, "Identifiers"). */
const MST_WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3];

/**
 * Check digit of a 10-digit tax code from its first nine digits, or undefined when the rule
 * gives 10 (no valid code has those nine digits).
 *
 * @example taxCodeCheckDigit('010010910') // 6 (0100109106)
 */
export function taxCodeCheckDigit(first9: string): number | undefined {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += MST_WEIGHTS[i]! * (first9.charCodeAt(i) - 48);
  const check = 10 - (sum % 11);
  return check === 10 ? undefined : check;
}

/**
 * A valid 10-digit tax code for a slot. `kind` keeps legacy personal codes (`8…`) and
 * enterprise codes (`0…`) apart, so the two never collide.
 *
 * @example taxCode10(42, 17, 'enterprise') // e.g. '0312345678', check digit valid
 */
export function taxCode10(seed: number, slot: number, kind: 'personal' | 'enterprise'): string {
  const h = mix32((seed ^ Math.imul(slot + 1, 0x9e3779b1)) >>> 0);
  const head = kind === 'personal' ? `8${h % 6}` : `0${1 + (h % 9)}`;
  const body = pad(permute(slot, 6, seed, kind === 'personal' ? 271_828 : 314_159), 6);
  let d9 = (h >>> 8) % 10;
  let check = taxCodeCheckDigit(head + body + d9);
  if (check === undefined) {
    d9 = (d9 + 1) % 10;
    check = taxCodeCheckDigit(head + body + d9)!;
  }
  return head + body + d9 + check;
}

/**
 * 12-digit personal ID: province of birth registration (old 63-province code), gender and
 * century digit, two-digit birth year, six digits unique per slot.
 *
 * @example nationalId(42, 5, '079', 'F', 1992) // '079192xxxxxx'
 */
export function nationalId(
  seed: number,
  slot: number,
  birthCode: string,
  gender: 'M' | 'F',
  birthYear: number,
): string {
  const century = birthYear >= 2000 ? 2 : 0;
  const g = century + (gender === 'F' ? 1 : 0);
  return `${birthCode}${g}${pad(birthYear % 100, 2)}${pad(permute(slot, 6, seed, 734_567), 6)}`;
}

/** Mobile prefixes (03x, 05x, 07x, 08x, 09x) in use. */
const phonePrefixes = [
  '032',
  '033',
  '034',
  '035',
  '036',
  '037',
  '038',
  '039',
  '052',
  '056',
  '058',
  '070',
  '076',
  '077',
  '078',
  '079',
  '081',
  '082',
  '083',
  '084',
  '085',
  '086',
  '088',
  '089',
  '090',
  '091',
  '092',
  '093',
  '094',
  '096',
  '097',
  '098',
  '099',
];

/**
 * A 10-digit mobile number unique to a slot.
 *
 * @example phoneNumber(42, 5) // e.g. '0912345678'
 */
export function phoneNumber(seed: number, slot: number): string {
  const h = mix32((Math.imul(seed + 11, 0x85ebca6b) ^ slot) >>> 0);
  return phonePrefixes[h % phonePrefixes.length]! + pad(permute(slot, 7, seed, 5_555_557), 7);
}

export interface BankSpec {
  code: string;
  name: string;
  /** Account: prefix, then filler digits, then six digits unique per slot. */
  prefix: string;
  filler: number;
  /** Share of accounts opened as the owner's phone number. */
  phoneShare: number;
  /** Relative frequency of accounts at this bank. */
  weight: number;
  /** booked_at carries a `+07:00` offset (else none: local time). */
  offset: boolean;
}

export const banks: readonly BankSpec[] = [
  { code: 'VCB', name: 'Vietcombank', prefix: '10', filler: 5, phoneShare: 0, weight: 16, offset: true },
  { code: 'TCB', name: 'Techcombank', prefix: '19', filler: 6, phoneShare: 0.35, weight: 14, offset: false },
  { code: 'MB', name: 'MB Bank', prefix: '0', filler: 6, phoneShare: 0.5, weight: 16, offset: true },
  { code: 'ACB', name: 'ACB', prefix: '2', filler: 2, phoneShare: 0, weight: 8, offset: true },
  { code: 'BIDV', name: 'BIDV', prefix: '12', filler: 6, phoneShare: 0, weight: 11, offset: false },
  { code: 'VPB', name: 'VPBank', prefix: '1', filler: 2, phoneShare: 0.3, weight: 8, offset: true },
  { code: 'TPB', name: 'TPBank', prefix: '0', filler: 4, phoneShare: 0.2, weight: 6, offset: true },
  { code: 'STB', name: 'Sacombank', prefix: '06', filler: 4, phoneShare: 0, weight: 6, offset: false },
  { code: 'CTG', name: 'VietinBank', prefix: '10', filler: 4, phoneShare: 0, weight: 9, offset: true },
  { code: 'AGR', name: 'Agribank', prefix: '15', filler: 5, phoneShare: 0, weight: 6, offset: false },
];

/**
 * A bank account number (6–19 digits) unique within its bank for a slot; some banks let the
 * owner use the phone number as account number (unique too, and proves nothing on its own).
 *
 * @example bankAccount(42, 5, banks[0], rng, '0912345678') // e.g. '1048213000417'
 */
export function bankAccount(seed: number, slot: number, bank: BankSpec, rng: Rng, phone: string): string {
  if (rng.chance(bank.phoneShare)) return phone;
  let filler = '';
  for (let i = 0; i < bank.filler; i++) filler += String(rng.int(0, 9));
  return (
    bank.prefix + filler + pad(permute(slot, 6, seed, 654_323 + bank.code.charCodeAt(0) * 1009 + bank.code.length), 6)
  );
}

/**
 * A phone as typed: `0912345678`, `+84 912 345 678`, `84-912-345-678`, `0912 345 678`, …
 *
 * @example renderPhone(rng, '0912345678') // '+84 912 345 678'
 */
export function renderPhone(rng: Rng, phone: string): string {
  const n = phone.slice(1);
  const u = rng.next();
  if (u < 0.5) return phone;
  if (u < 0.65) return `+84 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`;
  if (u < 0.75) return `84-${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`;
  if (u < 0.85) return `+84${n}`;
  if (u < 0.95) return `${phone.slice(0, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`;
  return `${phone.slice(0, 4)}.${phone.slice(4, 7)}.${phone.slice(7)}`;
}

/**
 * A domain as typed into a form: scheme, `www.`, upper case, port, path.
 *
 * @example renderDomain(rng, 'shopmai.vn') // 'https://www.shopmai.vn/', 'SHOPMAI.VN', …
 */
export function renderDomain(rng: Rng, domain: string): string {
  const u = rng.next();
  if (u < 0.4) return domain;
  if (u < 0.55) return `www.${domain}`;
  if (u < 0.65) return `https://${domain}`;
  if (u < 0.75) return `https://www.${domain}/`;
  if (u < 0.8) return `http://${domain.toUpperCase()}/shop`;
  if (u < 0.85) return `WWW.${domain.toUpperCase()}`;
  if (u < 0.9) return `https://${domain}:443/lien-he`;
  return domain.charAt(0).toUpperCase() + domain.slice(1);
}

/**
 * The normalised host as truth/records.csv spells it: lower case, no scheme, `www.`, port or path.
 *
 * @example normaliseDomain('https://WWW.ShopMai.vn:443/lien-he') // 'shopmai.vn'
 */
export function normaliseDomain(s: string): string {
  return s
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[/:?#].*$/, '');
}

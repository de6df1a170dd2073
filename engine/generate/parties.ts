/**
 * The fixed parties of the world: marketplaces, carriers, payment gateways, employers and
 * carrier hubs. Their accounts and phones come from reserved slots so they never collide with
 * a person's.
 */
import { Rng, Weighted } from './random.js';
import { SPECIAL_BASE, bankAccount, banks, phoneNumber, type BankSpec } from './identifiers.js';

export interface Platform {
  code: string;
  /** Name on bank statements. */
  legalName: string;
  /** Tag used in payout descriptions. */
  tag: string;
  /** Has a payment function: withholds VAT + PIT for household / individual sellers from 2025-07 (Decree 117/2025). */
  withholds: boolean;
  weight: number;
  /** Carriers that deliver its marketplace orders, with weights. */
  carriers: Weighted<string>;
  shopIdDigits: number;
  shopIdPrefix: string;
}

export const platforms: readonly Platform[] = [
  {
    code: 'shopee',
    legalName: 'CONG TY TNHH SHOPEE',
    tag: 'SHOPEE',
    withholds: true,
    weight: 50,
    carriers: new Weighted([
      ['spx', 70],
      ['ghn', 15],
      ['jnt', 15],
    ]),
    shopIdDigits: 9,
    shopIdPrefix: '1',
  },
  {
    code: 'tiktokshop',
    legalName: 'CONG TY TNHH TIKTOK VIETNAM TECHNOLOGY',
    tag: 'TIKTOK SHOP',
    withholds: true,
    weight: 25,
    carriers: new Weighted([
      ['jnt', 50],
      ['ghn', 30],
      ['spx', 20],
    ]),
    shopIdDigits: 12,
    shopIdPrefix: '7494',
  },
  {
    code: 'lazada',
    legalName: 'CONG TY TNHH RECESS',
    tag: 'LAZADA',
    withholds: true,
    weight: 15,
    carriers: new Weighted([
      ['ghn', 50],
      ['jnt', 30],
      ['vnpost', 20],
    ]),
    shopIdDigits: 8,
    shopIdPrefix: '10',
  },
  {
    code: 'tiki',
    legalName: 'CONG TY CO PHAN TIKI',
    tag: 'TIKI',
    withholds: true,
    weight: 5,
    carriers: new Weighted([
      ['ghn', 70],
      ['vtp', 30],
    ]),
    shopIdDigits: 6,
    shopIdPrefix: '2',
  },
  {
    code: 'sendo',
    legalName: 'CONG TY CP CONG NGHE SEN DO',
    tag: 'SENDO',
    withholds: false,
    weight: 5,
    carriers: new Weighted([
      ['ghtk', 60],
      ['vtp', 40],
    ]),
    shopIdDigits: 7,
    shopIdPrefix: '',
  },
];
export const platformWeights = new Weighted<Platform>(platforms.map((p) => [p, p.weight] as const));

export interface Carrier {
  code: string;
  legalName: string;
  /** Remittance descriptions; `{b}` is the batch number, `{d}` a dd/mm date. */
  remitTemplates: string[];
  /** Relative use by social / livestream sellers. */
  weight: number;
}

export const carriers: readonly Carrier[] = [
  {
    code: 'ghtk',
    legalName: 'CONG TY CP GIAO HANG TIET KIEM',
    remitTemplates: ['GHTK chuyen tien COD {b}', 'GIAOHANGTIETKIEM TT COD {b}'],
    weight: 30,
  },
  {
    code: 'ghn',
    legalName: 'CONG TY CP DICH VU GIAO HANG NHANH',
    remitTemplates: ['GHN doi soat COD {b}', 'GHN CK COD phien {b}'],
    weight: 25,
  },
  {
    code: 'vtp',
    legalName: 'TONG CONG TY CP BUU CHINH VIETTEL',
    remitTemplates: ['VIETTELPOST TT COD {d} {b}', 'VTP doi soat COD {b}'],
    weight: 20,
  },
  {
    code: 'jnt',
    legalName: 'CONG TY TNHH J&T EXPRESS VIET NAM',
    remitTemplates: ['JT EXPRESS doi soat COD {b}', 'J&T chuyen tien COD {b}'],
    weight: 15,
  },
  {
    code: 'vnpost',
    legalName: 'TONG CONG TY BUU DIEN VIET NAM',
    remitTemplates: ['VNPOST chi tra COD {b}', 'BUU DIEN TT tien thu ho {b}'],
    weight: 5,
  },
  {
    code: 'spx',
    legalName: 'CONG TY TNHH SPX EXPRESS',
    remitTemplates: ['SPX tra tien COD {b}', 'SPX EXPRESS doi soat COD {b}'],
    weight: 5,
  },
];
export const carrierByCode = new Map(carriers.map((c) => [c.code, c]));
export const socialCarriers = new Weighted<Carrier>(carriers.map((c) => [c, c.weight] as const));

export interface Gateway {
  name: string;
  template: string;
}
export const gateways: readonly Gateway[] = [
  { name: 'CONG TY CP GIAI PHAP THANH TOAN VIET NAM (VNPAY)', template: 'VNPAY TT don hang {w} {b}' },
  { name: 'CONG TY CP DICH VU DI DONG TRUC TUYEN (MOMO)', template: 'MOMO thanh toan {w} don {b}' },
  { name: 'CONG TY CP THUONG MAI DICH VU TRUC TUYEN ONEPAY', template: 'ONEPAY settlement {W} {b}' },
  { name: 'CONG TY CP DICH VU TRUC TUYEN CONG DONG VIET (PAYOO)', template: 'PAYOO TT {w} {b}' },
];

export interface Party {
  bank: BankSpec;
  account: string;
}

/**
 * Accounts and hub phones of the fixed parties for a seed.
 *
 * @example const p = fixedParties(42); p.platformAccount.get('shopee')!.account
 */
export function fixedParties(seed: number) {
  const bankByCode = new Map(banks.map((b) => [b.code, b]));
  const acct = (n: number, code: string): Party => {
    const bank = bankByCode.get(code)!;
    const rng = new Rng(seed, SPECIAL_BASE + n, 9);
    return { bank, account: bankAccount(seed, SPECIAL_BASE + n, { ...bank, phoneShare: 0 }, rng, '') };
  };
  const platformAccount = new Map(platforms.map((p, i) => [p.code, acct(i, i % 2 ? 'TCB' : 'VCB')]));
  const carrierAccount = new Map(
    carriers.map((c, i) => [c.code, acct(10 + i, ['VCB', 'BIDV', 'MB', 'TCB', 'CTG', 'VPB'][i]!)]),
  );
  const gatewayAccount = gateways.map((_, i) => acct(20 + i, ['VCB', 'TCB', 'BIDV', 'ACB'][i]!));
  /** Four hub / post-office phones per carrier, written as sender_phone by many senders. */
  const hubPhones = new Map(
    carriers.map((c, i) => [c.code, [0, 1, 2, 3].map((h) => phoneNumber(seed, SPECIAL_BASE + 100 + i * 10 + h))]),
  );
  const employers = Array.from({ length: 160 }, (_, i) => {
    const rng = new Rng(seed, SPECIAL_BASE + 200 + i, 9);
    const name = (
      `CONG TY ${rng.pick(['TNHH', 'CP', 'TNHH MTV'])} ${rng.pick(employerWords)} ${rng.pick(employerWords)} ` +
      `${rng.pick(['VIET NAM', 'SAI GON', 'HA NOI', 'MIEN NAM', 'QUOC TE', 'TOAN CAU', ''])}`
    ).trim();
    return { name, ...acct(200 + i, rng.pick(['VCB', 'TCB', 'BIDV', 'CTG', 'ACB', 'MB'])) };
  });
  return { platformAccount, carrierAccount, gatewayAccount, hubPhones, employers };
}

export type FixedParties = ReturnType<typeof fixedParties>;

const employerWords = [
  'DET MAY',
  'DIEN TU',
  'XAY DUNG',
  'THUC PHAM',
  'LOGISTICS',
  'PHAN MEM',
  'THEP',
  'GIAY DA',
  'DUOC PHAM',
  'CO KHI',
  'NHUA',
  'BAO BI',
  'THUONG MAI',
  'DICH VU',
  'DAU TU',
  'CONG NGHE',
  'VAN TAI',
  'KHACH SAN',
  'GIAO DUC',
  'NONG SAN',
];

/** A buyer's bank account: any bank, any length; buyers are outside the world. */
export function buyerAccount(rng: Rng): { bank: string; account: string } {
  const bank = rng.pick(banks);
  const len = rng.int(9, 14);
  let s = String(rng.int(1, 9));
  for (let i = 1; i < len; i++) s += String(rng.int(0, 9));
  return { bank: bank.code, account: s };
}

/**
 * The model of the world, person by person: who sells, how much, through which channels, how
 * they deal with the tax office, and every record those facts leave in the agencies' files.
 * Records go straight to an `Emitter`; nothing about a person is kept once it is written.
 */
import { taxLawOf, taxOwed, type ActivityGroup, type TaxLaw } from './tax.js';
import { Rng, Weighted, pad, permute } from './random.js';
import { randomPersonName, renderName, slug, stripDiacritics } from './names.js';
import { drawAddress, provinceIndex, renderAddress, renderProvince, renderWard, warehouseAddresses } from './geo.js';
import { SalesCalendar, monthWeights, randomDate, timestamp, type Day } from './calendar.js';
import {
  SPECIAL_BASE,
  VIRTUAL_BASE,
  bankAccount,
  banks,
  normaliseDomain,
  phoneNumber,
  renderDomain,
  renderPhone,
  taxCode10,
  type BankSpec,
} from './identifiers.js';
import { bankStyle, identityOf, personId, type Account, type Identity } from './people.js';
import { defaultKnobs, knobsActive, type KnobSource, type WorldKnobs } from './knobs.js';
import { columnNames, type SourceName } from '../ingest/sources.js';
import {
  buyerAccount,
  carrierByCode,
  fixedParties,
  gateways,
  platformWeights,
  socialCarriers,
  type Carrier,
  type FixedParties,
  type Platform,
} from './parties.js';

export type Cell = string | number | undefined;
export type Row = Cell[];

/** Where records go. Rows follow the contract's column order (engine/ingest/sources.ts). */
export interface Emitter {
  taxpayer(row: Row, personId: string): void;
  declaration(row: Row): void;
  platformSeller(row: Row, personId: string): void;
  /** `domainKey` is the normalised domain (the truth key). */
  website(row: Row, domainKey: string, personId: string): void;
  cod(carrier: string, row: Row, personId: string): void;
  bank(bank: string, row: Row, personId: string): void;
  outcome(row: Row): void;
  /** truth/persons.csv: person_id, undeclared, true_revenue, true_tax_due, pattern, activity_group. */
  person(row: Row): void;
}

export const patterns = [
  'compliant',
  'unregistered',
  'under_declaring',
  'just_under_threshold',
  'split_shops',
  'stopped_filing',
  'below_threshold',
  'non_seller',
] as const;
export type Pattern = (typeof patterns)[number];
const undeclaredPatterns = new Set<Pattern>([
  'unregistered',
  'under_declaring',
  'just_under_threshold',
  'split_shops',
  'stopped_filing',
]);

export interface WorldSettings {
  seed: number;
  persons: number;
  taxYear: number;
  /** Tax law by year, replacing the generator's own (generate/tax.ts). */
  taxRules?: Record<string, TaxLaw>;
  /** Patterns that make linking hard (engine/generate/knobs.ts); default: all off. */
  knobs?: WorldKnobs;
}

const groups = new Weighted<ActivityGroup>([
  ['goods', 72],
  ['services', 10],
  ['production_transport', 10],
  ['property_lease', 3],
  ['other', 5],
]);
const aovMedian: Record<ActivityGroup, number> = {
  goods: 230_000,
  services: 550_000,
  production_transport: 400_000,
  property_lease: 1_400_000,
  other: 300_000,
};
const categories: Record<ActivityGroup, string[]> = {
  goods: [
    'Thời trang',
    'Mỹ phẩm',
    'Gia dụng',
    'Đồ ăn vặt',
    'Phụ kiện',
    'Giày dép',
    'Túi xách',
    'Đồ chơi',
    'Mẹ và bé',
    'Nội thất',
    'Phụ kiện điện thoại',
    'Nông sản',
    'Hải sản khô',
    'Đặc sản',
    'Sách',
  ],
  services: ['Spa', 'Học tiếng Anh', 'Thiết kế', 'Sửa chữa', 'Nail', 'Du lịch', 'Studio', 'Gia sư'],
  production_transport: ['Xưởng may', 'Bánh handmade', 'Đồ gỗ', 'Vận chuyển', 'Xưởng in', 'Gốm'],
  property_lease: ['Homestay', 'Căn hộ', 'Phòng trọ'],
  other: ['Tiệm', 'Cửa hàng', 'Kho sỉ'],
};
const nicknames = [
  'Bống',
  'Bi',
  'Su',
  'Mít',
  'Na',
  'Kem',
  'Cún',
  'Tũn',
  'Sóc',
  'Mây',
  'Nắng',
  'Gấu',
  'Bông',
  'Xu',
  'Bơ',
  'Cốm',
  'Miu',
  'Tôm',
];
const shopSuffixes = [
  'Shop',
  'Store',
  'Official',
  'House',
  'Corner',
  '247',
  'Xinh',
  'Decor',
  'Beauty',
  'Home',
  'Mart',
  'Kids',
];

const tradeTemplates = [
  'ck tien hang',
  'thanh toan don {n}',
  'mua {k} ao',
  'mua {k} quan',
  'ck mua hang',
  'tt don hang {n}',
  'chuyen khoan tien hang',
  '{B} chuyen tien',
  '{b} ck',
  'tien hang',
  'coc don {n}',
  'thanh toan tien my pham',
  'mua kem chong nang',
  'dat hang {k} sp',
  'ship cod + tien hang',
  'tra tien hang dot {k}',
  'MBVCB.{d}.{B} chuyen tien',
  'ck don hang {p}',
  'IBFT thanh toan don {n}',
  'mua 1 set do bo',
  'tt tien giay',
  'chuyen tien',
  'ck',
  '{B} thanh toan',
];
/** Transfers from the customers of a non-goods seller that name the service (knob `activity.words`). */
const activityTemplates: Record<Exclude<ActivityGroup, 'goods' | 'other'>, string[]> = {
  services: [
    'dat lich spa {n}',
    'thanh toan khoa hoc online',
    'ck khoa hoc tieng anh thang {m}',
    'coc tour {p}',
    'tt tour du lich {p}',
    'tien lam nail',
    'phi dich vu thang {m}',
    'tien sua chua dien thoai',
    'coc chup anh cuoi',
    'hoa hong livestream thang {m}',
    'thanh toan thiet ke logo',
    'tien gia su thang {m}',
  ],
  production_transport: [
    'tien cuoc van chuyen {n}',
    'thanh toan may do {k} bo',
    'coc dat banh handmade',
    'tien in an to roi',
    'tt gia cong dot {k}',
    'tien xe tai chuyen nha',
  ],
  property_lease: ['tien phong thang {m}', 'tien thue can ho thang {m}', 'coc homestay {n}', 'tien thue mat bang T{m}'],
};

const familyTemplates = [
  'me gui con',
  'chuyen tien',
  'bo gui tien',
  'gui tien an hoc',
  'con gui me',
  'chuyen tien cho em',
  'anh gui',
  'gui tien sinh hoat',
  '{B} chuyen tien',
];
const groupTemplates = [
  'gop tien quy lop',
  'dong quy lop {k}',
  'gop tien an lien hoan',
  'tien sinh nhat',
  'gop tien di choi',
  'dong tien hui thang {m}',
];
const supplierTemplates = [
  'thanh toan tien hang ncc',
  'nhap hang dot {k}',
  'ck xuong may',
  'tra tien nhap hang',
  'tt tien hang cho {B}',
  'thanh toan don nhap {n}',
];
const personalDebitTemplates = [
  'tra tien nha thang {m}',
  'dong hoc phi',
  'chuyen tien cho me',
  'thanh toan the tin dung',
  'RUT TIEN ATM',
  'nap tien dien thoai',
  'tien dien thang {m}',
  'chuyen tien',
];
const refundTemplates = ['hoan tien don hang {n}', 'Hoan tien giao dich', 'refund order {n}', 'hoan tien coc'];

interface Held {
  account: Account;
  inExtract: boolean;
  holderName: string;
  holderNid: string;
  holderTax: string;
}

interface TaxReg {
  /** Code for a period ending before 2025-07-01 / from then on. */
  early: string;
  late: string;
  /** First period date the taxpayer can file for (`YYYY-MM-DD`). */
  from: string;
  enterprise: boolean;
  branch?: string;
  group: ActivityGroup;
}

interface ShopPlan {
  platform: Platform;
  shopId: string;
  name: string;
  owner: Identity;
  ownerReg?: TaxReg;
  phone: string;
  payout: Held;
  revenue: number;
  startMonth: number;
  /** What the seller really trades in (drives the withholding rate). */
  group: ActivityGroup;
}

interface Stats {
  revenue: number;
  /** GMV and tax withheld of shops in the seller's own name. */
  ownPlatform: number;
  ownWithheld: number;
  shops: ShopPlan[];
  domains: string[];
}

/**
 * Most records one sales channel of one seller yields in a year (parcels, transfers); bigger
 * sellers get larger average orders instead, which keeps the volume near 75 rows per person.
 */
const MAX_ORDERS_PER_CHANNEL = 60;

/**
 * Generates a world person by person into an emitter.
 *
 * @example const w = new World({ seed: 42, persons: 500, taxYear: 2025 }, emitter); for (let i = 0; i < 500; i++)
 * w.generatePerson(i);
 */
export class World {
  readonly seed: number;
  readonly persons: number;
  readonly taxYear: number;
  readonly rules: TaxLaw;
  readonly prevRules: TaxLaw;
  readonly calendar: SalesCalendar;
  readonly parties: FixedParties;
  private readonly shopCounter = new Map<string, number>();
  private readonly waybillCounter = new Map<string, number>();
  private readonly txnCounter = new Map<string, number>();
  private batchCounter = 0;
  private readonly domains = new Set<string>();
  /** Persons by pattern, and sellers; for the manifest. */
  readonly patternCounts: Record<string, number> = {};

  readonly knobs: WorldKnobs;
  private readonly knobbed: boolean;
  /** Knob `activity` differs from the default mix. */
  private readonly activityKnob: boolean;
  /** Knob `reissuedPhone`: a person's own number → the number it reads as from a date on. */
  private readonly phoneChanges?: Map<string, PhoneChange>;
  /** The last day of the tax year: the day a registry, website or audit phone is current on. */
  private readonly yearEnd: string;
  /** The seller being generated, when its buyers' transfers may name its service (knob `activity.words`). */
  private sellerWords?: { group: ActivityGroup; rng: Rng };
  private readonly emit: Emitter;

  constructor(settings: WorldSettings, emit: Emitter) {
    this.seed = settings.seed;
    this.persons = settings.persons;
    this.taxYear = settings.taxYear;
    this.rules = taxLawOf(settings.taxYear, settings.taxRules);
    this.prevRules = taxLawOf(settings.taxYear - 1, settings.taxRules);
    this.calendar = new SalesCalendar(settings.taxYear);
    this.parties = fixedParties(settings.seed);
    this.knobs = settings.knobs ?? defaultKnobs;
    const k = this.knobs;
    this.knobbed = knobsActive(k);
    this.activityKnob = JSON.stringify(k.activity) !== JSON.stringify(defaultKnobs.activity);
    const rowNoise = k.typo > 0 || Object.values(k.missing).some((x) => x > 0);
    this.emit = rowNoise ? noisyEmitter(emit, k, settings.seed) : emit;
    this.yearEnd = `${settings.taxYear}-12-31`;
    if (k.reissuedPhone > 0) this.phoneChanges = this.reissuedPhones();
  }

  // ---------------------------------------------------------------- knobs (each on its own stream)

  /**
   * The identity in a slot as the world's knobs shape it: a common name in a big province, a
   * family phone, a bookkeeper's e-mail, a move to another province. A pure function of the slot.
   */
  private idOf(slot: number, surname?: string): Identity {
    const base = identityOf(this.seed, slot, surname);
    if (!this.knobbed) return base;
    const k = this.knobs;
    let id = base;
    if (k.commonNames.share > 0) {
      const r = new Rng(this.seed, slot, 71);
      if (r.chance(k.commonNames.share)) {
        const list = base.gender === 'M' ? commonMale : commonFemale;
        const full = list[r.int(0, Math.min(k.commonNames.names, list.length) - 1)]!;
        const [sur, mid, giv] = full.split(' ') as [string, string, string];
        const prov = bigProvinces[r.int(0, Math.min(k.commonNames.provinces, bigProvinces.length) - 1)]!;
        id = {
          ...id,
          name: { surname: sur, middle: mid, given: giv, full },
          home: drawAddress(r, provinceIndex(prov)),
        };
      }
    }
    if (this.onFamilyPhone(slot)) {
      id = {
        ...id,
        phone: phoneNumber(this.seed, SPECIAL_BASE + 10_000 + Math.floor(slot / k.familyPhone.households)),
      };
    }
    if (k.bookkeeperEmail.share > 0) {
      const r = new Rng(this.seed, slot, 73);
      if (r.chance(k.bookkeeperEmail.share)) {
        const office = Math.floor(slot / k.bookkeeperEmail.clients);
        id = {
          ...id,
          email: `ketoan.${['minhanh', 'thuhuong', 'anphat', 'tamduc', 'viettin'][office % 5]}${office}@gmail.com`,
        };
      }
    }
    if (k.provinceMove > 0) {
      const r = new Rng(this.seed, slot, 74);
      if (r.chance(k.provinceMove)) {
        let to = drawAddress(r, r.int(0, 62));
        for (let t = 0; t < 4 && to.province === id.home.province; t++) to = drawAddress(r, r.int(0, 62));
        id = { ...id, oldHome: id.home, home: to };
      }
    }
    return id;
  }

  /** Knob `familyPhone`: whether the identity in a slot uses its family's phone. */
  private onFamilyPhone(slot: number): boolean {
    const share = this.knobs.familyPhone.share;
    return share > 0 && new Rng(this.seed, slot, 72).chance(share);
  }

  /**
   * Knob `reissuedPhone`, from each person's own stream: who gives up their number on which day of
   * the tax year (taking a new one), and who the carrier gives it to 60–150 days later (maybe after
   * the year): an unrelated person (no neighbour or relative: more than 40 slots away), a seller more
   * likely, who keeps their own number until then and gets no other. A family phone is kept. Keyed
   * by the person's own number; a number nobody suitable is found for is not re-issued in the world.
   */
  private reissuedPhones(): Map<string, PhoneChange> {
    const share = this.knobs.reissuedPhone;
    const days = this.calendar.days;
    const droppers: { i: number; r: Rng; on: string; gap: number }[] = [];
    for (let i = 0; i < this.persons; i++) {
      if (this.onFamilyPhone(i)) continue;
      const r = new Rng(this.seed, i, 83);
      if (r.chance(share)) droppers.push({ i, r, on: days[r.int(14, 300)]!.date, gap: r.int(60, 150) });
    }
    const dropping = new Set(droppers.map((d) => d.i));
    const given = new Set<number>();
    const out = new Map<string, PhoneChange>();
    for (const d of droppers) {
      const old = phoneNumber(this.seed, d.i);
      out.set(old, { on: d.on, phone: phoneNumber(this.seed, NEW_PHONE_BASE + d.i) });
      for (let t = 0; t < 40; t++) {
        const j = d.r.int(0, this.persons - 1);
        if (Math.abs(j - d.i) <= 40 || dropping.has(j) || given.has(j) || this.onFamilyPhone(j)) continue;
        if (!this.isSeller(j) && !d.r.chance(0.25)) continue;
        given.add(j);
        out.set(phoneNumber(this.seed, j), { on: addDays(d.on, d.gap), phone: old });
        break;
      }
    }
    return out;
  }

  /**
   * `rendered`, a rendering of an identity's number `phone`, as a record dated `date` gives it (knob
   * `reissuedPhone`): in the same style, the new number once its holder gave it up, the re-issued one
   * once they were given it.
   */
  private phoneOn(rendered: string, phone: string, date: string): string {
    const c = this.phoneChanges?.get(phone);
    return c && date >= c.on ? restyle(rendered, phone, c.phone) : rendered;
  }

  /** An identity's number as typed on an undated record (registry, website, audit): the current one. */
  private currentPhone(rng: Rng, phone: string): string {
    return this.phoneOn(renderPhone(rng, phone), phone, this.yearEnd);
  }

  /** Whether person i sells (the first draw of their stream in `generatePerson`). */
  private isSeller(i: number): boolean {
    return new Rng(this.seed, i, 2).chance(SELLER_SHARE);
  }

  /** The accounts sales money goes to: the seller's own, or (knob `relativeAccount`) a relative's first. */
  private salesAccounts(i: number, held: Held[]): Held[] {
    if (!(this.knobs.relativeAccount > 0)) return held;
    const r = new Rng(this.seed, i, 75);
    if (!r.chance(this.knobs.relativeAccount)) return held;
    const relative = this.idOf(nearbyPerson(r, i, this.persons));
    const h: Held = {
      account: relative.accounts[0]!,
      inExtract: r.chance(0.9),
      holderName: bankStyle(relative.name.full),
      holderNid: r.chance(0.7) ? relative.nationalId : '',
      holderTax: '',
    };
    return [h, ...held.slice(1)];
  }

  /** The warehouse a COD seller ships through (knob `fulfilment`), and what its waybills say. */
  private fulfilmentOf(i: number): Fulfilment | undefined {
    const f = this.knobs.fulfilment;
    if (!(f.share > 0)) return undefined;
    const r = new Rng(this.seed, i, 76);
    if (!r.chance(f.share)) return undefined;
    const h = r.int(0, f.hubs - 1);
    const slot = SPECIAL_BASE + 5_000 + h;
    const hr = new Rng(this.seed, slot, 9);
    const prov = bigProvinces[h % bigProvinces.length]!;
    const home = drawAddress(hr, provinceIndex(prov));
    const bank = banks[h % banks.length]!;
    const remit = new Weighted<Fulfilment['remit']>([
      ['seller', f.remit.seller],
      ['warehouse', f.remit.warehouse],
      ['missing', f.remit.missing],
    ]).pick(r);
    return {
      rng: r,
      name:
        `${hr.pick(['Kho hàng', 'Kho', 'Fulfillment', 'Kho vận', 'Dịch vụ kho'])} ` +
        hr.pick(['An Phát', 'Minh Khang', 'Tín Nghĩa', 'Hưng Thịnh', 'Phú Quý', 'Sao Việt', 'Nhật Minh', 'Thành Đạt']) +
        ` ${h + 1}`,
      phone: phoneNumber(this.seed, slot),
      account: { bank, number: bankAccount(this.seed, slot, { ...bank, phoneShare: 0 }, hr, '') },
      address: `Kho ${renderAddress(hr, home)}`,
      province: home.province,
      remit,
    };
  }

  /** `spellings` ways a seller's sender name comes back from carriers (knob `nameVariants`), or undefined. */
  private nameSpellings(me: Identity, shopName: string): string[] | undefined {
    const v = this.knobs.nameVariants;
    if (!(v.share > 0)) return undefined;
    const r = new Rng(this.seed, me.slot, 77);
    if (!r.chance(v.share)) return undefined;
    const out = new Set<string>();
    for (let t = 0; out.size < v.spellings && t < v.spellings * 10; t++)
      out.add(misspell(r, r.chance(0.15) ? shopName : me.name.full));
    return [...out];
  }

  /** Generates person i and writes every record of theirs. */
  generatePerson(i: number): void {
    const me = this.idOf(i);
    const rng = new Rng(this.seed, i, 2);
    const pid = personId(i);
    if (!rng.chance(SELLER_SHARE)) {
      this.nonSeller(rng, me, pid);
      return;
    }
    this.seller(rng, me, i, pid);
  }

  // ---------------------------------------------------------------- people who do not sell

  private nonSeller(rng: Rng, me: Identity, pid: string): void {
    const held = me.accounts.map((a) => this.hold(rng, me, a, 0.22, ''));
    this.privateFlows(rng, me, held, pid, false);
    if (held[0]!.inExtract && rng.chance(0.06)) this.groupCollections(rng, held[0]!, pid);
    // Risk lists sometimes pick people with busy accounts who sell nothing.
    if (rng.chance(0.003)) this.emitOutcome(rng, 'phone', this.currentPhone(rng, me.phone), false, 0, 0, 'risk');
    this.truth(pid, 'non_seller', 0, undefined, false);
  }

  // ---------------------------------------------------------------- sellers

  private seller(rng: Rng, me: Identity, i: number, pid: string): void {
    const thr = this.rules.threshold;
    const drawn = groups.pick(rng);
    const group = this.activityKnob ? this.activityOf(i) : drawn;
    let revenue = drawRevenue(rng, thr);
    const pattern = choosePattern(rng, revenue, thr);
    if (pattern === 'split_shops' && revenue > 3.2 * thr) revenue = thr * rng.range(1.3, 3.2);
    revenue = Math.round(revenue / 1000) * 1000;
    const aov = Math.min(6_000_000, Math.max(40_000, aovMedian[group] * rng.lognormal(0, 0.5)));

    // Registration with the tax office.
    const registered =
      pattern === 'compliant' ||
      pattern === 'under_declaring' ||
      pattern === 'just_under_threshold' ||
      pattern === 'stopped_filing'
        ? true
        : pattern === 'below_threshold'
          ? rng.chance(0.35)
          : pattern === 'split_shops'
            ? rng.chance(0.5)
            : false;
    const enterprise = pattern === 'compliant' && revenue > 10 * thr && rng.chance(0.5);
    // Some register in a cheaper activity group than they trade in.
    const declaredGroup: ActivityGroup =
      group !== 'goods' && pattern !== 'compliant' && rng.chance(0.3) ? 'goods' : group;
    const reg = registered
      ? this.registerIdentity(rng, me, i, pid, enterprise, declaredGroup, pattern === 'stopped_filing')
      : undefined;

    const held = me.accounts.map((a) => this.hold(rng, me, a, 0.9, reg?.late ?? ''));
    const stats: Stats = { revenue: 0, ownPlatform: 0, ownWithheld: 0, shops: [], domains: [] };
    const shopName = drawShopName(rng, group, me);

    // Channel mix: shares of the year's revenue.
    const shares = this.servicesOnline(i, group, pattern, channelShares(rng, pattern, revenue, thr));
    this.sellerWords =
      this.activityKnob && this.knobs.activity.words > 0 && group !== 'goods' && group !== 'other'
        ? { group, rng: new Rng(this.seed, i, 82) }
        : undefined;
    const amounts = splitExact(revenue, [shares.platform, shares.social, shares.website, shares.direct]);
    const sales = this.salesAccounts(i, held);
    if (amounts[0]! > 0)
      this.platformChannel(rng, me, i, pid, pattern, group, amounts[0]!, aov, shopName, reg, sales, stats, thr);
    if (amounts[1]! > 0) this.socialChannel(rng, me, pid, amounts[1]!, aov, shopName, sales, stats);
    if (amounts[2]! > 0) this.websiteChannel(rng, me, i, pid, amounts[2]!, aov, shopName, reg, sales, stats, pattern);
    if (amounts[3]! > 0) this.directChannel(rng, pid, amounts[3]!, aov, sales, stats);

    // What the seller tells the tax office.
    let declaredNow = 0;
    if (reg) {
      const prevRevenue = Math.round((revenue * rng.lognormal(-0.08, 0.25)) / 1000) * 1000;
      const prevThr = this.prevRules.threshold;
      let current: number | undefined;
      let previous: number | undefined;
      switch (pattern) {
        case 'compliant':
          current = rng.chance(0.6) ? revenue : round1000(revenue * rng.range(0.97, 1));
          previous = rng.chance(0.6) ? prevRevenue : round1000(prevRevenue * rng.range(0.97, 1));
          break;
        case 'below_threshold':
        case 'split_shops':
          current = round1000(
            stats.ownPlatform > 0 && pattern === 'split_shops' ? stats.ownPlatform : revenue * rng.range(0.9, 1),
          );
          previous = round1000(Math.min(prevRevenue, prevThr * rng.range(0.6, 0.98)));
          break;
        case 'under_declaring': {
          const f = rng.range(0.15, 0.55);
          current = round1000(
            stats.ownPlatform > 0 && stats.ownPlatform < 0.8 * revenue && rng.chance(0.5)
              ? stats.ownPlatform
              : revenue * f,
          );
          previous = round1000(prevRevenue * f);
          break;
        }
        case 'just_under_threshold':
          current = round1000(thr * rng.range(0.88, 0.99));
          previous = round1000(Math.min(prevRevenue, prevThr * rng.range(0.88, 0.99)));
          break;
        case 'stopped_filing':
          current = undefined;
          previous = prevRevenue;
          break;
      }
      this.declarations(rng, reg, previous, current, stats.ownWithheld);
      declaredNow = current ?? 0;
    }

    this.sellerWords = undefined;
    this.privateFlows(rng, me, held, pid, true);
    if (rng.chance(0.7)) this.supplierPayments(rng, held[0]!, pid, revenue);

    const undeclared = undeclaredPatterns.has(pattern);
    this.audit(rng, me, reg, stats, undeclared, pattern, group, declaredNow);
    this.truth(pid, pattern, stats.revenue, group, undeclared);
  }

  /** Extra identity k (0 or 1) a seller controls: a relative's papers; same for every use. */
  private extraIdentity(me: Identity, i: number, k: number): Identity {
    const slot = VIRTUAL_BASE + 2 * i + k;
    return this.idOf(slot, new Rng(this.seed, slot, 3).chance(0.6) ? me.name.surname : undefined);
  }

  private truth(
    pid: string,
    pattern: Pattern,
    revenue: number,
    group: ActivityGroup | undefined,
    undeclared: boolean,
  ): void {
    const due = group ? taxOwed(revenue, group, this.rules) : 0;
    this.patternCounts[pattern] = (this.patternCounts[pattern] ?? 0) + 1;
    this.emit.person([pid, undeclared ? 1 : 0, revenue, due, pattern, group ?? '']);
  }

  /** Knob `activity`: what seller i really trades in, from its own stream. */
  private activityOf(i: number): ActivityGroup {
    const a = this.knobs.activity;
    return new Weighted<ActivityGroup>([
      ['goods', a.goods],
      ['services', a.services],
      ['production_transport', a.production_transport],
      ['property_lease', a.property_lease],
      ['other', a.other],
    ]).pick(new Rng(this.seed, i, 80));
  }

  /** Knob `activity.servicesOnline`: a service seller selling only through its own website and bank transfers. */
  private servicesOnline(i: number, group: ActivityGroup, pattern: Pattern, shares: Shares): Shares {
    const share = this.knobs.activity.servicesOnline;
    if (!(share > 0) || group !== 'services' || pattern === 'split_shops') return shares;
    const r = new Rng(this.seed, i, 81);
    if (!r.chance(share)) return shares;
    return { platform: 0, social: 0, website: r.lognormal(0, 0.5), direct: r.lognormal(-0.3, 0.5) };
  }

  // ---------------------------------------------------------------- tax office

  /** Writes the registry rows of an identity and returns the codes it files under. */
  private registerIdentity(
    rng: Rng,
    who: Identity,
    slot: number,
    pid: string,
    enterprise: boolean,
    group: ActivityGroup,
    stopped: boolean,
  ): TaxReg {
    const y = this.taxYear;
    const cutover = '2025-07-01';
    const registeredOn = rng.chance(0.85) ? randomDate(rng, 2012, y - 2) : randomDate(rng, y - 1, y);
    const status = stopped ? (rng.chance(0.6) ? 'active' : 'suspended') : 'active';
    // The registry keeps the address a taxpayer registered with, from before any move.
    const home = who.oldHome ?? who.home;
    const province = () => (rng.chance(0.9) ? renderProvince(rng, home.province) : '');
    const row = (taxId: string, type: string, name: string, on: string, st: string): Row => [
      taxId,
      type,
      name,
      rng.chance(0.92) ? who.nationalId : '',
      rng.chance(0.85) ? this.currentPhone(rng, who.phone) : '',
      rng.chance(0.5) ? who.email : '',
      rng.chance(0.95) ? renderAddress(rng, home) : '',
      rng.chance(0.7) ? renderWard(rng, home) : '',
      province(),
      group,
      on,
      st,
    ];
    if (enterprise) {
      const code = taxCode10(this.seed, slot, 'enterprise');
      const company =
        `CÔNG TY ` +
        `TNHH ${rng.pick(['THƯƠNG MẠI', 'THƯƠNG MẠI DỊCH VỤ', 'SẢN XUẤT THƯƠNG MẠI', 'ĐẦU TƯ'])} ` +
        `${who.name.given.toUpperCase()} ${rng.pick(['VIỆT', 'PHÁT', 'AN', 'HƯNG THỊNH', 'GROUP'])}`;
      this.emit.taxpayer(
        row(code, 'enterprise', rng.chance(0.3) ? bankStyle(company) : company, registeredOn, status),
        pid,
      );
      let branch: string | undefined;
      if (rng.chance(0.35)) {
        branch = `${code}-001`;
        this.emit.taxpayer(
          row(
            branch,
            'enterprise',
            `${company} - CHI NHÁNH ${rng.pick(['HÀ NỘI', 'HỒ CHÍ MINH', 'ĐÀ NẴNG'])}`,
            randomDate(rng, Number(registeredOn.slice(0, 4)), y),
            'active',
          ),
          pid,
        );
      }
      return { early: code, late: code, from: registeredOn, enterprise: true, branch, group };
    }
    const type = rng.chance(0.7) ? 'household' : 'individual';
    const display = () => {
      const n = renderName(rng, who.name.full);
      return type === 'household' && rng.chance(0.5)
        ? `${rng.pick(['Hộ kinh doanh', 'HKD', 'HỘ KINH DOANH'])} ${n.trim()}`
        : n;
    };
    if (registeredOn >= cutover) {
      this.emit.taxpayer(row(who.nationalId, type, display(), registeredOn, status), pid);
      return { early: who.nationalId, late: who.nationalId, from: registeredOn, enterprise: false, group };
    }
    const legacy = taxCode10(this.seed, slot, 'personal');
    const migrate = y >= 2025 && rng.chance(0.5);
    this.emit.taxpayer(row(legacy, type, display(), registeredOn, migrate ? 'closed' : status), pid);
    if (!migrate) {
      // A second business location gets a dependent code: the parent code + `-001`.
      let branch: string | undefined;
      if (rng.chance(0.08)) {
        branch = `${legacy}-001`;
        this.emit.taxpayer(
          row(branch, type, display(), randomDate(rng, Number(registeredOn.slice(0, 4)), y - 1), status),
          pid,
        );
      }
      return { early: legacy, late: legacy, from: registeredOn, enterprise: false, branch, group };
    }
    this.emit.taxpayer(
      row(who.nationalId, type, display(), `2025-${pad(rng.int(7, 12), 2)}-${pad(rng.int(1, 28), 2)}`, status),
      pid,
    );
    return { early: legacy, late: who.nationalId, from: registeredOn, enterprise: false, group };
  }

  /** Annual or quarterly returns for the previous year and the tax year (undefined: not filed). */
  private declarations(
    rng: Rng,
    reg: TaxReg,
    previous: number | undefined,
    current: number | undefined,
    withheld: number,
  ): void {
    const quarterly = rng.chance(0.45);
    const years: [number, number | undefined, TaxLaw, number][] = [
      [this.taxYear - 1, previous, this.prevRules, 0],
      [this.taxYear, current, this.rules, withheld],
    ];
    for (const [year, amount, rules, credit] of years) {
      if (amount === undefined) continue;
      const paid = Math.max(0, taxOwed(amount, reg.group, rules) - credit);
      if (!quarterly) {
        if (reg.from > `${year}-12-31`) continue;
        const code = `${year}-12-31` < '2025-07-01' ? reg.early : reg.late;
        const late = rng.chance(0.05);
        this.emit.declaration([
          code,
          String(year),
          amount,
          paid,
          `${year + 1}-${pad(late ? rng.int(4, 6) : rng.int(1, 3), 2)}-${pad(rng.int(1, 28), 2)}`,
        ]);
        continue;
      }
      const qs = splitExact(amount, [
        0.27 * rng.lognormal(0, 0.1),
        0.23 * rng.lognormal(0, 0.1),
        0.23 * rng.lognormal(0, 0.1),
        0.27 * rng.lognormal(0, 0.1),
      ]);
      const ps = amount > 0 ? splitExact(paid, qs, 1) : [0, 0, 0, 0];
      // A seller registered during the year reports the sales of the quarters before it in its first
      // return: what the pattern declares is the year's (a compliant late registrant is compliant).
      let carried = 0;
      let carriedPaid = 0;
      for (let q = 1; q <= 4; q++) {
        const end = `${year}-${pad(q * 3, 2)}-${q === 1 || q === 4 ? 31 : 30}`;
        if (reg.from > end) {
          carried += qs[q - 1]!;
          carriedPaid += ps[q - 1]!;
          continue;
        }
        const code = end < '2025-07-01' ? reg.early : reg.late;
        const filed =
          q === 4
            ? `${year + 1}-01-${pad(rng.int(10, 30), 2)}`
            : `${year}-${pad(q * 3 + 1, 2)}-${pad(rng.int(10, 30), 2)}`;
        this.emit.declaration([code, `${year}-Q${q}`, qs[q - 1]! + carried, ps[q - 1]! + carriedPaid, filed]);
        carried = 0;
        carriedPaid = 0;
      }
    }
  }

  // ---------------------------------------------------------------- marketplaces

  private platformChannel(
    rng: Rng,
    me: Identity,
    i: number,
    pid: string,
    pattern: Pattern,
    group: ActivityGroup,
    amount: number,
    aov: number,
    shopName: string,
    reg: TaxReg | undefined,
    held: Held[],
    stats: Stats,
    thr: number,
  ): void {
    let n: number;
    if (pattern === 'split_shops') n = Math.min(5, Math.max(2, Math.ceil(amount / (0.8 * thr))));
    else n = rng.chance(0.75) ? 1 : rng.chance(0.7) ? 2 : 3;
    const perShop =
      pattern === 'split_shops'
        ? splitExact(
            amount,
            Array.from({ length: n }, () => rng.range(0.9, 1.1)),
          )
        : splitExact(
            amount,
            Array.from({ length: n }, (_, k) => (k === 0 ? 3 : 1) * rng.lognormal(0, 0.5)),
          );
    let virtualUsed = 0;
    const usedPlatforms = new Set<string>();
    for (let k = 0; k < n; k++) {
      let platform = platformWeights.pick(rng);
      for (let tries = 0; tries < 4 && usedPlatforms.has(platform.code) && pattern !== 'split_shops'; tries++)
        platform = platformWeights.pick(rng);
      usedPlatforms.add(platform.code);
      let owner = me;
      let ownerReg = reg;
      let payout = held[0]!;
      let phone = me.phone;
      if (pattern === 'split_shops' && k > 0) {
        // A relative's identity: an extra identity the seller controls, or a real person nearby.
        const useVirtual = virtualUsed < 2 && (this.persons < 3 || rng.chance(0.55));
        if (useVirtual) {
          const vslot = VIRTUAL_BASE + 2 * i + virtualUsed++;
          owner = this.extraIdentity(me, i, virtualUsed - 1);
          ownerReg = rng.chance(0.3) ? this.registerIdentity(rng, owner, vslot, pid, false, 'goods', false) : undefined;
          if (rng.chance(0.5)) payout = this.hold(rng, owner, owner.accounts[0]!, 0.85, ownerReg?.late ?? '');
        } else {
          owner = this.idOf(nearbyPerson(rng, i, this.persons));
          ownerReg = undefined;
        }
        phone = rng.chance(0.45) ? me.phone : owner.phone;
      } else if (k === 0 && this.knobs.nominee > 0) {
        // Knob `nominee`: the main shop on a neighbour's or relative's papers, run and paid to the seller.
        const r = new Rng(this.seed, i, 78);
        if (r.chance(this.knobs.nominee)) {
          owner = r.chance(0.5) ? this.extraIdentity(me, i, 0) : this.idOf(nearbyPerson(r, i, this.persons));
          ownerReg = undefined;
          phone = r.chance(0.5) ? me.phone : owner.phone;
        }
      }
      const plan: ShopPlan = {
        platform,
        shopId: this.nextShopId(platform),
        name: k === 0 ? shopName : drawShopName(rng, 'goods', owner),
        owner,
        ownerReg,
        phone,
        payout,
        revenue: perShop[k]!,
        startMonth: rng.chance(0.8) ? 1 : rng.int(2, 10),
        group,
      };
      stats.shops.push(plan);
      const { gmv, withheld } = this.shopRows(rng, plan, pid, aov);
      stats.revenue += gmv;
      if (owner === me) {
        stats.ownPlatform += gmv;
        stats.ownWithheld += withheld;
      } else if (ownerReg) {
        // The relative's papers file too, for that shop alone (below the threshold).
        const prev = round1000(gmv * rng.lognormal(-0.2, 0.3));
        this.declarations(
          rng,
          ownerReg,
          Math.min(prev, round1000(this.prevRules.threshold * rng.range(0.5, 0.95))),
          gmv,
          withheld,
        );
      }
    }
  }

  private shopRows(rng: Rng, shop: ShopPlan, pid: string, aov: number): { gmv: number; withheld: number } {
    const { platform, owner } = shop;
    const y = this.taxYear;
    const months: number[] = [];
    for (let m = shop.startMonth; m <= 12; m++) months.push(m);
    const weights: number[] = months.map((m) => (rng.chance(0.04) ? 0 : monthWeights[m - 1]! * rng.lognormal(0, 0.25)));
    if (!weights.some((w) => w > 0)) weights[weights.length - 1] = 1;
    const gmvs = splitExact(shop.revenue, weights);
    const ownerIsEnterprise = !!shop.ownerReg?.enterprise;
    const withholdFrom = y >= 2026 ? 1 : y === 2025 ? 7 : 13;
    const rate = this.rules.rates[shop.group];
    const totalRate = rate.vat + rate.pit;
    // Master data as declared to the platform; a few shops change address mid-year.
    const render = () => [
      renderName(rng, owner.name.full, true),
      rng.chance(0.55) ? owner.nationalId : '',
      shop.ownerReg && rng.chance(0.6)
        ? shop.ownerReg.branch && rng.chance(0.4)
          ? shop.ownerReg.branch
          : shop.ownerReg.late
        : '',
      renderPhone(rng, shop.phone),
      rng.chance(0.8) ? owner.email : '',
      rng.chance(0.08) ? rng.pick(warehouseAddresses).address : renderAddress(rng, owner.home),
      rng.chance(0.85) ? renderProvince(rng, owner.home.province) : '',
    ];
    let master = render();
    const changeAt = rng.chance(0.1) ? rng.int(shop.startMonth, 12) : 13;
    const codShare = rng.range(0.08, 0.35);
    const feeRate = rng.range(0.06, 0.14);
    const twice = rng.chance(0.25);
    let gmvTotal = 0;
    let withheldTotal = 0;
    for (let k = 0; k < months.length; k++) {
      const m = months[k]!;
      if (m === changeAt) master = render();
      const period = `${y}-${pad(m, 2)}`;
      const gmv = gmvs[k]!;
      const orders = gmv > 0 ? Math.max(1, Math.round(gmv / aov)) : 0;
      const withheld = platform.withholds && m >= withholdFrom && !ownerIsEnterprise ? Math.round(gmv * totalRate) : 0;
      gmvTotal += gmv;
      withheldTotal += withheld;
      this.emit.platformSeller(
        [
          platform.code,
          shop.shopId,
          shop.name,
          master[0],
          master[1],
          master[2],
          this.phoneOn(master[3]!, shop.phone, `${period}-01`),
          master[4],
          master[5],
          master[6],
          shop.payout.account.bank.code,
          shop.payout.account.number,
          period,
          gmv,
          orders,
          withheld > 0 ? withheld : rng.chance(0.5) ? 0 : '',
        ],
        pid,
      );
      if (gmv === 0) continue;
      // Marketplace orders paid cash on delivery: the carrier remits to the platform, not the seller.
      const nCod = Math.min(2, Math.round(orders * codShare));
      const collect = this.parties.platformAccount.get(platform.code)!;
      for (let c = 0; c < nCod; c++) {
        const carrier = platform.carriers.pick(rng);
        const day = this.calendar.pickInMonth(rng, m);
        const u = rng.next();
        const status = u < 0.88 ? 'delivered' : u < 0.96 ? 'returned' : 'cancelled';
        this.emit.cod(
          carrier,
          [
            carrier,
            this.nextWaybill(carrier),
            rng.chance(0.6) ? shop.name : master[0],
            this.phoneOn(master[3]!, shop.phone, day.date),
            master[5],
            master[6],
            day.date,
            round1000(aov * rng.lognormal(0, 0.35)),
            status,
            collect.bank.code,
            collect.account,
          ],
          pid,
        );
      }
      // Payouts once or twice a month, net of fees and withheld tax.
      const halves = twice ? splitExact(gmv, [0.5, 0.5]) : [gmv];
      const wh = twice ? splitExact(withheld, [0.5, 0.5], 1) : [withheld];
      for (let h = 0; h < halves.length; h++) {
        const net = Math.round(halves[h]! * (1 - feeRate)) - wh[h]!;
        if (net <= 0 || !shop.payout.inExtract) continue;
        const pay =
          h === 0 ? this.calendar.anyInMonth(rng, m) : this.calendar.after(this.calendar.anyInMonth(rng, m), 15);
        const desc = rng.chance(0.5)
          ? `${platform.tag} thanh toan doanh thu shop ${shop.shopId} ky ${period}`
          : `${platform.tag} PAYOUT ${shop.shopId} ${pad(m, 2)}/${y} dot ${h + 1}`;
        const acct = this.parties.platformAccount.get(platform.code)!;
        this.credit(
          rng,
          shop.payout,
          pid,
          pay,
          rng.int(28_800, 64_800),
          net,
          acct.bank.code,
          acct.account,
          platform.legalName,
          desc,
        );
      }
    }
    return { gmv: gmvTotal, withheld: withheldTotal };
  }

  // ---------------------------------------------------------------- social / livestream selling, paid COD

  private socialChannel(
    rng: Rng,
    me: Identity,
    pid: string,
    amount: number,
    aov: number,
    shopName: string,
    held: Held[],
    stats: Stats,
  ): void {
    const first = socialCarriers.pick(rng);
    const second = rng.chance(0.35) ? socialCarriers.pick(rng) : first;
    const n = Math.max(1, Math.min(MAX_ORDERS_PER_CHANNEL, Math.round(amount / aov), Math.floor(amount / 20_000)));
    const parcels = splitExact(
      amount,
      Array.from({ length: n }, () => rng.lognormal(0, 0.45)),
    );
    const remitTo = held.length > 1 && rng.chance(0.15) ? held[1]! : held[0]!;
    const feeDeducted = rng.chance(0.5);
    const fee = rng.int(18, 35) * 1000;
    const hub = rng.chance(0.12);
    // The sender profile each carrier keeps; now and then a parcel is typed differently.
    const profile = (carrier: Carrier) => {
      const hubs = this.parties.hubPhones.get(carrier.code)!;
      const wh = rng.chance(0.06) ? rng.pick(warehouseAddresses) : undefined;
      return {
        name: rng.chance(0.5) ? shopName : renderName(rng, me.name.full),
        phone: hub && rng.chance(0.7) ? hubs[me.slot % hubs.length]! : renderPhone(rng, me.phone),
        address: wh ? wh.address : rng.chance(0.95) ? renderAddress(rng, me.home) : '',
        province: rng.chance(0.85) ? renderProvince(rng, wh ? wh.province : me.home.province) : '',
      };
    };
    const profiles = new Map<string, ReturnType<typeof profile>>([[first.code, profile(first)]]);
    if (second !== first) profiles.set(second.code, profile(second));
    const ff = this.fulfilmentOf(me.slot);
    const spellings = this.nameSpellings(me, shopName);
    const spellRng = spellings ? new Rng(this.seed, me.slot, 79) : undefined;
    // Delivered cash per carrier and fortnight, for the remittances.
    const weekly = new Map<string, { sum: number; count: number; last: Day }>();
    const emitParcel = (carrier: Carrier, day: Day, amountCod: number, status: string) => {
      let p = profiles.get(carrier.code)!;
      if (rng.chance(0.1)) p = profile(carrier);
      const waybill = this.nextWaybill(carrier.code);
      if (ff?.rng.chance(this.knobs.fulfilment.parcelShare)) {
        // Booked by the warehouse under its own name and phone; the pickup address may be the only trace of the seller.
        const r = ff.rng;
        const pickup = r.chance(this.knobs.fulfilment.pickupAddress);
        const remit = ff.remit === 'seller' ? remitTo.account : ff.remit === 'warehouse' ? ff.account : undefined;
        this.emit.cod(
          carrier.code,
          [
            carrier.code,
            waybill,
            r.chance(this.knobs.fulfilment.sellerName) ? shopName : ff.name,
            renderPhone(r, ff.phone),
            pickup ? renderAddress(r, me.home) : ff.address,
            renderProvince(r, pickup ? me.home.province : ff.province),
            day.date,
            amountCod,
            status,
            remit?.bank.code ?? '',
            remit?.number ?? '',
          ],
          pid,
        );
        return;
      }
      const name = spellings && spellRng ? spellRng.pick(spellings) : p.name;
      this.emit.cod(
        carrier.code,
        [
          carrier.code,
          waybill,
          name,
          this.phoneOn(p.phone, me.phone, day.date),
          p.address,
          p.province,
          day.date,
          amountCod,
          status,
          remitTo.account.bank.code,
          remitTo.account.number,
        ],
        pid,
      );
    };
    for (const value of parcels) {
      const carrier = rng.chance(0.7) ? first : second;
      const day = this.calendar.pick(rng);
      emitParcel(carrier, day, value, 'delivered');
      stats.revenue += value;
      const key = `${carrier.code}:${Math.floor(day.index / 14)}`;
      const w = weekly.get(key);
      if (w) {
        w.sum += value;
        w.count++;
        if (day.index > w.last.index) w.last = day;
      } else weekly.set(key, { sum: value, count: 1, last: day });
    }
    // Returned and cancelled parcels: not sales.
    const failed = Math.round(n * rng.range(0.04, 0.16));
    for (let k = 0; k < failed; k++)
      emitParcel(
        rng.chance(0.7) ? first : second,
        this.calendar.pick(rng),
        round1000(aov * rng.lognormal(0, 0.45)),
        rng.chance(0.7) ? 'returned' : 'cancelled',
      );
    if (!remitTo.inExtract) return;
    for (const [key, w] of [...weekly.entries()].sort(
      (a, b) => a[1].last.index - b[1].last.index || (a[0] < b[0] ? -1 : 1),
    )) {
      const carrier = carrierByCode.get(key.slice(0, key.indexOf(':')))!;
      const amountRemit = feeDeducted ? w.sum - w.count * fee : w.sum;
      if (amountRemit <= 0) continue;
      const day = this.calendar.after(w.last, rng.int(2, 5));
      const batch = pad(permute(++this.batchCounter, 8, this.seed, 337_777), 8);
      const desc = rng
        .pick(carrier.remitTemplates)
        .replace('{b}', batch)
        .replace('{d}', `${pad(day.day, 2)}/${pad(day.month, 2)}`);
      const acct = this.parties.carrierAccount.get(carrier.code)!;
      this.credit(
        rng,
        remitTo,
        pid,
        day,
        rng.int(32_400, 61_200),
        amountRemit,
        acct.bank.code,
        acct.account,
        rng.chance(0.7) ? carrier.legalName : carrier.code.toUpperCase(),
        desc,
      );
    }
  }

  // ---------------------------------------------------------------- own websites

  private websiteChannel(
    rng: Rng,
    me: Identity,
    i: number,
    pid: string,
    amount: number,
    aov: number,
    shopName: string,
    reg: TaxReg | undefined,
    held: Held[],
    stats: Stats,
    pattern: Pattern,
  ): void {
    const tld = rng.pick(['vn', 'vn', 'com', 'com', 'com.vn', 'shop', 'store', 'net']);
    const main = this.claimDomain(slug(shopName).slice(0, 24) || 'shop', tld);
    const names = [main];
    if (rng.chance(0.3)) names.push(this.claimDomain(lookalike(rng, main), rng.pick(['vn', 'com', 'com.vn', 'net'])));
    stats.domains.push(...names);
    const notifyP = pattern === 'compliant' ? 0.75 : 0.45;
    for (let k = 0; k < names.length; k++) {
      if (!rng.chance(k === 0 ? notifyP : 0.2)) continue;
      // Registered in the seller's name, or a relative's.
      const byRelative = rng.chance(0.22);
      const owner = byRelative
        ? rng.chance(0.5)
          ? this.extraIdentity(me, i, 0)
          : this.idOf(nearbyPerson(rng, i, this.persons))
        : me;
      const isApp = rng.chance(0.06);
      const domain = isApp ? `com.${slug(shopName).slice(0, 16) || 'shop'}${i}.app` : names[k]!;
      const rendered = isApp ? domain : renderDomain(rng, domain);
      const key = normaliseDomain(rendered);
      if (isApp && !this.claimExact(key)) continue;
      this.emit.website(
        [
          rendered,
          isApp ? 'sales_app' : pattern === 'compliant' && rng.chance(0.1) ? 'service_website' : 'sales_website',
          renderName(rng, owner.name.full),
          !byRelative && reg && rng.chance(0.4) ? reg.late : '',
          rng.chance(0.6) ? owner.nationalId : '',
          this.currentPhone(rng, rng.chance(0.5) ? me.phone : owner.phone),
          rng.chance(0.5) ? `cskh@${names[k]}` : owner.email,
          rng.chance(0.9) ? renderAddress(rng, owner.home) : '',
          rng.chance(0.9) ? renderProvince(rng, owner.home.province) : '',
          randomDate(rng, 2016, this.taxYear),
          rng.pick(['notified', 'notified', 'notified', 'registered', 'registered', 'revoked']),
        ],
        key,
        pid,
      );
    }
    // Sales: card / wallet payments settled weekly by a gateway (the description names the site), and direct transfers.
    const n = Math.max(1, Math.min(MAX_ORDERS_PER_CHANNEL, Math.round(amount / aov), Math.floor(amount / 20_000)));
    const orders = splitExact(
      amount,
      Array.from({ length: n }, () => rng.lognormal(0, 0.5)),
    );
    const gatewayIdx = rng.int(0, gateways.length - 1);
    const gateway = gateways[gatewayIdx]!;
    const gwAcct = this.parties.gatewayAccount[gatewayIdx]!;
    const acct = held[0]!;
    const weekly = new Map<number, { sum: number; last: Day }>();
    for (const value of orders) {
      stats.revenue += value;
      const day = this.calendar.pick(rng);
      if (rng.chance(0.6)) {
        const wk = Math.floor(day.index / 7);
        const w = weekly.get(wk);
        if (w) {
          w.sum += value;
          if (day.index > w.last.index) w.last = day;
        } else weekly.set(wk, { sum: value, last: day });
      } else
        this.tradeCredit(
          rng,
          acct,
          pid,
          day,
          value,
          rng.chance(0.5) ? `thanh toan don hang web ${names[0]}` : undefined,
        );
    }
    if (!acct.inExtract) return;
    for (const [wk, w] of [...weekly.entries()].sort((a, b) => a[0] - b[0])) {
      const net = Math.round(w.sum * 0.985);
      const day = this.calendar.after(w.last, rng.int(1, 3));
      const site = renderDomain(rng, names[rng.chance(0.8) ? 0 : names.length - 1]!);
      const desc = gateway.template
        .replace('{w}', site)
        .replace('{W}', site.toUpperCase())
        .replace('{b}', String(wk + 1));
      this.credit(
        rng,
        acct,
        pid,
        day,
        rng.int(3_600, 21_600),
        net,
        gwAcct.bank.code,
        gwAcct.account,
        gateway.name,
        desc,
      );
    }
  }

  private claimDomain(base: string, tld: string): string {
    let d = `${base}.${tld}`;
    for (let k = 2; this.domains.has(d); k++) d = `${base}${k}.${tld}`;
    this.domains.add(d);
    return d;
  }

  private claimExact(d: string): boolean {
    if (this.domains.has(d)) return false;
    this.domains.add(d);
    return true;
  }

  // ---------------------------------------------------------------- transfers straight from buyers

  private directChannel(rng: Rng, pid: string, amount: number, aov: number, held: Held[], stats: Stats): void {
    const n = Math.max(1, Math.min(MAX_ORDERS_PER_CHANNEL, Math.round(amount / aov), Math.floor(amount / 20_000)));
    const values = splitExact(
      amount,
      Array.from({ length: n }, () => rng.lognormal(0, 0.55)),
    );
    const into = held.length > 1 && rng.chance(0.4) ? held[1]! : held[0]!;
    // Regular customers come back.
    const regulars = Array.from({ length: Math.max(1, Math.round(n * 0.15)) }, () => this.buyer(rng));
    for (const v of values) {
      stats.revenue += v;
      this.tradeCredit(
        rng,
        into,
        pid,
        this.calendar.pick(rng),
        v,
        undefined,
        rng.chance(0.3) ? rng.pick(regulars) : undefined,
      );
    }
  }

  private buyer(rng: Rng): { name: string; bank: string; account: string } {
    return { name: bankStyle(randomPersonName(rng)), ...buyerAccount(rng) };
  }

  private tradeCredit(
    rng: Rng,
    acct: Held,
    pid: string,
    day: Day,
    value: number,
    desc?: string,
    buyer = this.buyer(rng),
  ): void {
    if (!acct.inExtract) return;
    let d = desc ?? fillTemplate(rng, rng.pick(tradeTemplates), buyer.name, this.taxYear);
    const w = this.sellerWords;
    if (!desc && w && w.rng.chance(this.knobs.activity.words))
      d = fillTemplate(
        w.rng,
        w.rng.pick(activityTemplates[w.group as keyof typeof activityTemplates]),
        buyer.name,
        this.taxYear,
      );
    this.credit(rng, acct, pid, day, rng.int(25_200, 84_600), value, buyer.bank, buyer.account, buyer.name, d);
  }

  // ---------------------------------------------------------------- private money (not sales)

  private privateFlows(rng: Rng, me: Identity, held: Held[], pid: string, seller: boolean): void {
    const main = held[0]!;
    const side = held[held.length - 1]!;
    if (!main.inExtract && !side.inExtract) return;
    const y = this.taxYear;
    // Salary (sellers often have a day job too).
    if (rng.chance(seller ? 0.2 : 0.6)) {
      const employer = rng.pick(this.parties.employers);
      const base = Math.round(rng.lognormal(Math.log(9_000_000), 0.45) / 1000) * 1000;
      const payday = rng.int(1, 10);
      for (let m = 1; m <= 12; m++) {
        const day = this.calendar.days.find((d) => d.month === m && d.day === payday)!;
        const desc = rng.pick([
          `LUONG THANG ${pad(m, 2)}/${y}`,
          `luong thang ${m}`,
          `Chi luong T${m} ${y} ${employer.name}`,
          `TRA LUONG THANG ${m}`,
        ]);
        this.credit(
          rng,
          main,
          pid,
          day,
          rng.int(30_000, 54_000),
          round1000(base * rng.range(0.97, 1.05)),
          employer.bank.code,
          employer.account,
          employer.name,
          desc,
        );
      }
      if (rng.chance(0.6))
        this.credit(
          rng,
          main,
          pid,
          this.calendar.anyInMonth(rng, 1),
          rng.int(30_000, 54_000),
          round1000(base * rng.range(0.5, 2)),
          employer.bank.code,
          employer.account,
          employer.name,
          `THUONG TET ${y}`,
        );
    }
    // Family transfers.
    const fam = rng.poisson(seller ? 2 : 3);
    for (let k = 0; k < fam; k++) {
      const day = this.calendar.pick(rng);
      const who = {
        name: bankStyle(`${me.name.surname} ${randomPersonName(rng).split(' ').slice(1).join(' ')}`),
        ...buyerAccount(rng),
      };
      const desc =
        day.month === 1 && rng.chance(0.5)
          ? rng.pick(['li xi tet', 'tien tet'])
          : fillTemplate(rng, rng.pick(familyTemplates), who.name, y);
      this.credit(
        rng,
        side,
        pid,
        day,
        rng.int(25_200, 82_800),
        round1000(rng.lognormal(Math.log(2_000_000), 0.8)),
        who.bank,
        who.account,
        who.name,
        desc,
      );
    }
    // Loans in and repayments out.
    if (rng.chance(0.15)) {
      const lender = this.buyer(rng);
      const amount = round1000(rng.lognormal(Math.log(50_000_000), 0.7));
      const day = this.calendar.anyInMonth(rng, rng.int(1, 9));
      this.credit(
        rng,
        main,
        pid,
        day,
        rng.int(30_000, 72_000),
        amount,
        lender.bank,
        lender.account,
        lender.name,
        rng.pick(['vay tien', `cho vay ${Math.round(amount / 1e6)}tr`, 'chuyen tien vay']),
      );
      const parts = rng.int(1, 3);
      for (let k = 0; k < parts; k++) {
        this.debit(
          rng,
          main,
          pid,
          this.calendar.after(day, 30 * (k + 1) + rng.int(0, 20)),
          rng.int(30_000, 72_000),
          round1000(amount / parts),
          lender.bank,
          lender.account,
          lender.name,
          rng.pick(['tra no', 'tra tien vay', `tra no dot ${k + 1}`]),
        );
      }
    }
    // Refunds from shops and platforms.
    const refunds = rng.poisson(0.8);
    for (let k = 0; k < refunds; k++) {
      const src = rng.chance(0.5) ? this.parties.platformAccount.get('shopee')! : undefined;
      const shop = src ? { name: 'CONG TY TNHH SHOPEE', bank: src.bank.code, account: src.account } : this.buyer(rng);
      this.credit(
        rng,
        side,
        pid,
        this.calendar.pick(rng),
        rng.int(28_800, 79_200),
        round1000(rng.lognormal(Math.log(250_000), 0.7)),
        shop.bank,
        shop.account,
        shop.name,
        fillTemplate(rng, rng.pick(refundTemplates), shop.name, y),
      );
    }
    // Everyday spending.
    const spend = rng.poisson(seller ? 4 : 5);
    for (let k = 0; k < spend; k++) {
      const desc = fillTemplate(rng, rng.pick(personalDebitTemplates), '', y);
      const atm = desc.startsWith('RUT TIEN');
      const payee = this.buyer(rng);
      this.debit(
        rng,
        rng.chance(0.7) ? main : side,
        pid,
        this.calendar.pick(rng),
        rng.int(25_200, 82_800),
        round1000(rng.lognormal(Math.log(1_500_000), 0.9)),
        atm ? '' : payee.bank,
        atm ? '' : payee.account,
        atm ? '' : payee.name,
        desc,
      );
    }
  }

  /** Collecting money for a class fund, a rotating savings group (hụi), a party: many payers, no sales. */
  private groupCollections(rng: Rng, acct: Held, pid: string): void {
    const n = rng.int(10, 30);
    const members = Array.from({ length: rng.int(6, 15) }, () => this.buyer(rng));
    for (let k = 0; k < n; k++) {
      const m = rng.pick(members);
      this.credit(
        rng,
        acct,
        pid,
        this.calendar.pick(rng),
        rng.int(25_200, 82_800),
        round1000(rng.lognormal(Math.log(500_000), 0.6)),
        m.bank,
        m.account,
        m.name,
        fillTemplate(rng, rng.pick(groupTemplates), m.name, this.taxYear),
      );
    }
  }

  private supplierPayments(rng: Rng, acct: Held, pid: string, revenue: number): void {
    const n = rng.int(3, 10);
    const total = revenue * rng.range(0.3, 0.6);
    const suppliers = Array.from({ length: rng.int(1, 4) }, () => this.buyer(rng));
    for (let k = 0; k < n; k++) {
      const s = rng.pick(suppliers);
      const v = round1000((total / n) * rng.lognormal(0, 0.3));
      if (v <= 0) continue;
      this.debit(
        rng,
        acct,
        pid,
        this.calendar.pick(rng),
        rng.int(28_800, 64_800),
        v,
        s.bank,
        s.account,
        s.name,
        fillTemplate(rng, rng.pick(supplierTemplates), s.name, this.taxYear),
      );
    }
  }

  // ---------------------------------------------------------------- bank rows

  private hold(rng: Rng, who: Identity, account: Account, extractShare: number, taxId: string): Held {
    return {
      account,
      inExtract: rng.chance(extractShare),
      holderName: rng.chance(0.8) ? bankStyle(who.name.full) : renderName(rng, who.name.full),
      holderNid: rng.chance(0.7) ? who.nationalId : '',
      holderTax: taxId && rng.chance(0.25) ? taxId : '',
    };
  }

  private credit(
    rng: Rng,
    acct: Held,
    pid: string,
    day: Day,
    seconds: number,
    amount: number,
    cpBank: string,
    cpAccount: string,
    cpName: string,
    desc: string,
  ): void {
    this.bankRow(rng, acct, pid, day, seconds, amount, 'credit', cpBank, cpAccount, cpName, desc);
  }

  private debit(
    rng: Rng,
    acct: Held,
    pid: string,
    day: Day,
    seconds: number,
    amount: number,
    cpBank: string,
    cpAccount: string,
    cpName: string,
    desc: string,
  ): void {
    this.bankRow(rng, acct, pid, day, seconds, amount, 'debit', cpBank, cpAccount, cpName, desc);
  }

  private bankRow(
    rng: Rng,
    acct: Held,
    pid: string,
    day: Day,
    seconds: number,
    amount: number,
    direction: 'credit' | 'debit',
    cpBank: string,
    cpAccount: string,
    cpName: string,
    desc: string,
  ): void {
    if (!acct.inExtract || !(amount > 0)) return;
    const bank = acct.account.bank;
    this.emit.bank(
      bank.code,
      [
        bank.code,
        acct.account.number,
        acct.holderName,
        acct.holderNid,
        acct.holderTax,
        this.nextTxnId(bank),
        timestamp(day.date, seconds, bank.offset),
        amount,
        direction,
        cpBank,
        cpAccount,
        rng.chance(0.9) ? cpName : '',
        desc,
      ],
      pid,
    );
  }

  // ---------------------------------------------------------------- past audits

  private audit(
    rng: Rng,
    me: Identity,
    reg: TaxReg | undefined,
    stats: Stats,
    undeclared: boolean,
    pattern: Pattern,
    group: ActivityGroup,
    declared: number,
  ): void {
    const thr = this.rules.threshold;
    const size = Math.min(1, Math.log10(1 + stats.revenue / thr));
    const risk = rng.chance(
      0.012 + (undeclared ? 0.09 : 0.015) * size + (pattern === 'unregistered' && stats.revenue > 3 * thr ? 0.05 : 0),
    );
    const random = !risk && rng.chance(0.012);
    if (!risk && !random) return;
    const options: [string, () => string, number][] = [];
    if (reg) options.push(['tax_id', () => reg.late, 3]);
    options.push(['national_id', () => me.nationalId, 2]);
    options.push([
      'phone',
      () => (rng.chance(0.3) ? this.currentPhone(rng, me.phone) : this.phoneOn(me.phone, me.phone, this.yearEnd)),
      2,
    ]);
    const own = stats.shops.filter((s) => s.owner === me);
    if (own.length)
      options.push([
        'platform_shop',
        () => {
          const s = rng.pick(own);
          return `${s.platform.code}:${s.shopId}`;
        },
        2,
      ]);
    if (stats.domains.length)
      options.push(['domain', () => (rng.chance(0.3) ? renderDomain(rng, stats.domains[0]!) : stats.domains[0]!), 2]);
    const pick = new Weighted(options.map((o) => [o, o[2]] as const)).pick(rng);
    const found = undeclared && rng.chance(0.95);
    const assessed = found ? round1000(stats.revenue * rng.range(0.85, 1)) : stats.revenue;
    // assessed_tax: the additional tax the audit assessed.
    const tax = found ? Math.max(0, taxOwed(assessed, group, this.rules) - taxOwed(declared, group, this.rules)) : 0;
    this.emitOutcome(rng, pick[0], pick[1](), found, assessed, tax, risk ? 'risk' : 'random');
  }

  private emitOutcome(
    rng: Rng,
    type: string,
    id: string,
    undeclared: boolean,
    revenue: number,
    tax: number,
    selection: string,
  ): void {
    const closed = `${this.taxYear + 1}-${pad(rng.int(2, 11), 2)}-${pad(rng.int(1, 28), 2)}`;
    this.emit.outcome([
      type,
      id,
      String(this.taxYear),
      undeclared ? 'undeclared' : 'compliant',
      revenue,
      tax,
      closed,
      selection,
    ]);
  }

  // ---------------------------------------------------------------- counters (unique keys)

  private nextShopId(p: Platform): string {
    const n = (this.shopCounter.get(p.code) ?? 0) + 1;
    this.shopCounter.set(p.code, n);
    return (
      p.shopIdPrefix +
      pad(
        permute(n, p.shopIdDigits - p.shopIdPrefix.length, this.seed, p.weight * 1000 + p.shopIdDigits),
        p.shopIdDigits - p.shopIdPrefix.length,
      )
    );
  }

  private nextWaybill(carrier: string): string {
    const n = (this.waybillCounter.get(carrier) ?? 0) + 1;
    this.waybillCounter.set(carrier, n);
    const off = this.seed;
    switch (carrier) {
      case 'ghn': {
        const x = permute(n, 10, off, 3_141_592_653);
        return 'G' + x.toString(36).toUpperCase().padStart(7, '0');
      }
      case 'ghtk':
        return `S${pad(permute(n, 9, off, 2_718_281_827), 9)}`;
      case 'vtp':
        return `1${pad(permute(n, 11, off, 1_618_033_989), 11)}`;
      case 'vnpost':
        return `EB${pad(permute(n, 9, off, 1_414_213_563), 9)}VN`;
      case 'jnt':
        return `8${pad(permute(n, 11, off, 1_732_050_807), 11)}`;
      default:
        return `SPXVN0${pad(permute(n, 11, off, 2_236_067_977), 11)}`;
    }
  }

  private nextTxnId(bank: BankSpec): string {
    const n = (this.txnCounter.get(bank.code) ?? 0) + 1;
    this.txnCounter.set(bank.code, n);
    const body = pad(permute(n, 10, this.seed, 9_876_543 + bank.weight * 7 + bank.code.charCodeAt(0)), 10);
    return bank.code === 'TCB' || bank.code === 'MB'
      ? `FT${String(this.taxYear).slice(2)}${body}`
      : bank.code === 'VCB'
        ? `5${body}`
        : `${bank.code.charAt(0)}${body}`;
  }
}

// ---------------------------------------------------------------- knob helpers

interface Fulfilment {
  /** The seller's own stream for its warehouse parcels. */
  rng: Rng;
  name: string;
  phone: string;
  account: Account;
  address: string;
  province: number;
  remit: 'seller' | 'warehouse' | 'missing';
}

/** Knob `reissuedPhone`: from `on` (`YYYY-MM-DD`) on, a person's own number reads as `phone`. */
interface PhoneChange {
  on: string;
  phone: string;
}

/**
 * Slots of the numbers persons change to (knob `reissuedPhone`): NEW_PHONE_BASE + person, above
 * every other slot with a phone; numbers stay unique below 10^7 slots (identifiers.ts).
 */
const NEW_PHONE_BASE = 3_000_000;

/** Share of persons who sell. */
const SELLER_SHARE = 0.62;

/**
 * `rendered` (a rendering of `from`: `0912…`, `+84 912 …`, `84-912-…`) with the digits of `to` in the
 * same style; a rendering of another number is left as it is.
 *
 * @example restyle('+84 912 345 678', '0912345678', '0387654321') // '+84 387 654 321'
 */
export function restyle(rendered: string, from: string, to: string): string {
  const digits = rendered.replace(/\D/g, '');
  const target = digits === from ? to : digits === `84${from.slice(1)}` ? `84${to.slice(1)}` : undefined;
  if (target === undefined) return rendered;
  let k = 0;
  return rendered.replace(/\d/g, () => target[k++]!);
}

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The most common full names (knob `commonNames`), and the provinces namesakes crowd in. */
const commonMale = [
  'Nguyễn Văn Hùng',
  'Nguyễn Văn Nam',
  'Trần Văn Dũng',
  'Nguyễn Văn Tuấn',
  'Lê Văn Hùng',
  'Nguyễn Minh Tuấn',
];
const commonFemale = [
  'Nguyễn Thị Lan',
  'Nguyễn Thị Hương',
  'Trần Thị Mai',
  'Nguyễn Thị Linh',
  'Lê Thị Hoa',
  'Nguyễn Thị Thu',
];
const bigProvinces = ['001', '079', '031', '048', '038'];

/** One spelling of a name as a carrier's clerk typed it: a letter dropped or swapped, no diacritics, upper case,
 * words reordered. */
function misspell(r: Rng, full: string): string {
  let s = full;
  const u = r.next();
  if (u < 0.3 && s.length > 4) {
    const at = r.int(1, s.length - 2);
    s = s.slice(0, at) + s.slice(at + 1);
  } else if (u < 0.55 && s.length > 4) {
    const at = r.int(1, s.length - 3);
    s = s.slice(0, at) + s.charAt(at + 1) + s.charAt(at) + s.slice(at + 2);
  } else if (u < 0.7) {
    const w = s.split(' ');
    s = [...w.slice(1), w[0]].join(' ');
  }
  if (r.chance(0.5)) s = stripDiacritics(s);
  if (r.chance(0.3)) s = s.toUpperCase();
  return s;
}

const identifierColumns: Record<KnobSource, string[]> = {
  taxpayers: ['national_id', 'phone', 'email'],
  platform_sellers: ['owner_national_id', 'owner_tax_id', 'phone', 'email'],
  websites: ['owner_tax_id', 'owner_national_id', 'phone', 'email'],
  bank_transactions: ['holder_national_id', 'holder_tax_id'],
  cod_shipments: ['sender_phone'],
};

/** One digit changed, or two neighbouring digits swapped (not the first two: prefixes are checked). */
function typoDigits(r: Rng, s: string): string {
  const at: number[] = [];
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) at.push(i);
  if (at.length < 5) return s;
  const k = r.int(2, at.length - 2);
  const a = at[k]!;
  const b = at[k + 1]!;
  if (r.chance(0.5) && s[a] !== s[b]) return s.slice(0, a) + s[b] + s.slice(a + 1, b) + s[a] + s.slice(b + 1);
  const d = (Number(s[a]) + r.int(1, 9)) % 10;
  return s.slice(0, a) + d + s.slice(a + 1);
}

/**
 * An emitter that blanks identifier cells (knob `missing`, per source) and mistypes some (knob
 * `typo`) on their way out, drawing from its own stream; record keys are never touched.
 */
function noisyEmitter(emit: Emitter, k: WorldKnobs, seed: number): Emitter {
  const r = new Rng(seed, 80);
  const cols = Object.fromEntries(
    knobSourcesOf().map((s) => [s, identifierColumns[s].map((c) => columnNames(s as SourceName).indexOf(c))]),
  ) as Record<KnobSource, number[]>;
  const noisy = (source: KnobSource, row: Row): Row => {
    const out = row.slice();
    for (const c of cols[source]) {
      const v = out[c];
      if (v === undefined || v === '') continue;
      if (r.chance(k.missing[source])) out[c] = '';
      else if (k.typo > 0 && !String(v).includes('@') && r.chance(k.typo)) out[c] = typoDigits(r, String(v));
    }
    return out;
  };
  return {
    ...emit,
    taxpayer: (row, pid) => emit.taxpayer(noisy('taxpayers', row), pid),
    platformSeller: (row, pid) => emit.platformSeller(noisy('platform_sellers', row), pid),
    website: (row, key, pid) => emit.website(noisy('websites', row), key, pid),
    cod: (carrier, row, pid) => emit.cod(carrier, noisy('cod_shipments', row), pid),
    bank: (code, row, pid) => emit.bank(code, noisy('bank_transactions', row), pid),
  };
}

const knobSourcesOf = (): KnobSource[] => Object.keys(identifierColumns) as KnobSource[];

// ---------------------------------------------------------------- the money model

/**
 * Annual revenue of a seller, relative to the tax-free threshold: lognormal body (most sellers
 * small, near or below the threshold) and a Pareto tail (a few very large).
 */
export function drawRevenue(rng: Rng, thr: number): number {
  if (rng.chance(0.03)) return thr * Math.min(400, rng.pareto(4, 1.2));
  return Math.max(2_000_000, thr * rng.lognormal(Math.log(0.9), 1.1));
}

/** The compliance pattern of a seller given revenue (non-compliance only where tax is due). */
export function choosePattern(rng: Rng, revenue: number, thr: number): Pattern {
  if (revenue <= thr) return 'below_threshold';
  if (revenue < 1.15 * thr) return 'compliant';
  const r = revenue / thr;
  const w = new Weighted<Pattern>([
    ['compliant', 36],
    ['unregistered', 16],
    ['under_declaring', 17],
    ['just_under_threshold', r < 3 ? 12 : 0],
    ['split_shops', r < 6 ? 9 : 0],
    ['stopped_filing', 10],
  ]);
  return w.pick(rng);
}

interface Shares {
  platform: number;
  social: number;
  website: number;
  direct: number;
}

function channelShares(rng: Rng, pattern: Pattern, revenue: number, thr: number): Shares {
  if (pattern === 'split_shops') return { platform: 1, social: 0, website: 0, direct: 0 };
  const s: Shares = {
    platform: rng.chance(0.65) ? rng.lognormal(0, 0.7) : 0,
    social: rng.chance(0.45) ? rng.lognormal(0, 0.7) : 0,
    website: rng.chance(revenue > 2 * thr ? 0.22 : 0.06) ? rng.lognormal(-0.5, 0.7) : 0,
    direct: rng.chance(0.4) ? rng.lognormal(-0.3, 0.7) : 0,
  };
  if (s.platform + s.social + s.website + s.direct === 0) {
    if (rng.chance(0.6)) s.platform = 1;
    else s.social = 1;
  }
  return s;
}

/**
 * Splits a whole amount (in `unit`s) by weights so the parts add up exactly.
 *
 * @example splitExact(1_000_000, [1, 1, 2]) // [250000, 250000, 500000]
 */
export function splitExact(total: number, weights: readonly number[], unit = 1000): number[] {
  const sumW = weights.reduce((a, b) => a + b, 0);
  if (!(sumW > 0) || total <= 0) return weights.map(() => 0);
  const units = Math.round(total / unit);
  const parts = weights.map((w) => Math.floor((units * w) / sumW));
  let rest = units - parts.reduce((a, b) => a + b, 0);
  // Give the remainder to the largest weights first (deterministic).
  const order = weights.map((w, i) => [w, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) parts[order[k]![1]]!++;
  const out = parts.map((p) => p * unit);
  // Keep the exact total when it is not a multiple of the unit.
  out[order[0]![1]]! += total - units * unit;
  return out;
}

function round1000(v: number): number {
  return Math.max(0, Math.round(v / 1000) * 1000);
}

function nearbyPerson(rng: Rng, i: number, persons: number): number {
  for (let tries = 0; tries < 8; tries++) {
    const j = i + (rng.chance(0.5) ? -1 : 1) * rng.int(1, 40);
    if (j >= 0 && j < persons && j !== i) return j;
  }
  return i === 0 ? Math.min(1, persons - 1) : i - 1;
}

function drawShopName(rng: Rng, group: ActivityGroup, owner: Identity): string {
  const cat = rng.pick(categories[group]);
  const nick = rng.chance(0.5) ? owner.name.given : rng.pick(nicknames);
  const u = rng.next();
  if (u < 0.35) return `${cat} ${nick}`;
  if (u < 0.65) return `${nick} ${rng.pick(shopSuffixes)}`;
  if (u < 0.8) return `Nhà ${nick}`;
  if (u < 0.9) return `${cat} ${nick} ${rng.pick(shopSuffixes)}`;
  return `${nick} ${cat}`;
}

/** A near-copy of a domain: hyphenated, doubled letter, `-shop`, `-official`. */
function lookalike(rng: Rng, domain: string): string {
  const base = domain.slice(0, domain.indexOf('.'));
  const u = rng.next();
  if (u < 0.3 && base.length > 4) {
    const at = rng.int(2, base.length - 2);
    return `${base.slice(0, at)}-${base.slice(at)}`;
  }
  if (u < 0.5) return `${base}${base.charAt(base.length - 1)}`;
  if (u < 0.75) return `${base}-shop`;
  return `${base}official`;
}

function fillTemplate(rng: Rng, t: string, name: string, year: number): string {
  if (!t.includes('{')) return t;
  return t
    .replace('{n}', String(rng.int(1, 9999)))
    .replace('{k}', String(rng.int(1, 5)))
    .replace('{m}', String(rng.int(1, 12)))
    .replace('{B}', name)
    .replace('{b}', name.toLowerCase())
    .replace('{d}', String(rng.int(1_000_000, 9_999_999)))
    .replace('{p}', String(rng.int(1000, 9999)))
    .replace('{y}', String(year));
}

/**
 * Knobs of the synthetic world: patterns of real deliveries that make entity resolution hard,
 * each off by default (a world generated without knobs is byte-identical to one generated before
 * they existed). Every knob draws from its own seeded stream, so turning one on never shifts the
 * random choices of the rest of the world.
 */
import { UsageError } from '../errors.js';

export const knobSources = ['taxpayers', 'platform_sellers', 'websites', 'bank_transactions', 'cod_shipments'] as const;
export type KnobSource = (typeof knobSources)[number];

export interface WorldKnobs {
  /**
   * Fulfilment / consolidation warehouses ("kho hàng") booking COD parcels for small sellers under
   * the warehouse's own name and phone.
   */
  fulfilment: {
    /** Share of COD (social) sellers who ship through a warehouse. */
    share: number;
    /** Number of warehouses in the world (sellers are spread over them). */
    hubs: number;
    /** Share of such a seller's parcels booked by the warehouse (the rest the seller books). */
    parcelShare: number;
    /** What the waybill says about the remittance account (weights): the seller's, the warehouse's, none. */
    remit: { seller: number; warehouse: number; missing: number };
    /** Share of warehouse parcels whose sender address is the seller's pickup address (else the warehouse's). */
    pickupAddress: number;
    /** Share of warehouse parcels that name the seller's shop as sender (else the warehouse). */
    sellerName: number;
  };
  /** One family phone used by several households: share of persons using their family's phone. */
  familyPhone: { share: number; households: number };
  /** One bookkeeper's e-mail used for several clients: share of persons whose forms carry it. */
  bookkeeperEmail: { share: number; clients: number };
  /** Share of sellers whose sales money (payouts, remittances, transfers) goes to a relative's account. */
  relativeAccount: number;
  /** Extra share of identifier cells left empty, per source. */
  missing: Record<KnobSource, number>;
  /** Share of identifier cells (national ID, tax code, phone) typed with one digit wrong or two swapped. */
  typo: number;
  /** Share of persons carrying one of `names` very common full names, living in one of `provinces` big provinces. */
  commonNames: { share: number; names: number; provinces: number };
  /** Share of persons who moved province: the registry keeps the old address, everything else the new one. */
  provinceMove: number;
  /**
   * Share of persons who change phone number during the tax year: their records dated from that day
   * on carry the new number, and the carrier re-issues the one they dropped 60–150 days later to an
   * unrelated person (a seller more likely), whose own records carry it from then on.
   */
  reissuedPhone: number;
  /** Share of sellers whose main shop is registered on a neighbour's or relative's papers. */
  nominee: number;
  /** Share of COD sellers whose sender name comes in many spellings (letters dropped or swapped, no diacritics,
   * shop name). */
  nameVariants: { share: number; spellings: number };
  /**
   * What sellers really trade in: weights of the activity groups (default the world's own mix),
   * the share of service sellers who sell only through their own website and bank transfers, and
   * the share of a non-goods seller's buyer transfers that name the service (`dat lich spa`,
   * `tien phong thang 3`) instead of the goods-like ones (`ck tien hang`).
   */
  activity: {
    goods: number;
    services: number;
    production_transport: number;
    property_lease: number;
    other: number;
    servicesOnline: number;
    words: number;
  };
}

export type KnobsInput = { [K in keyof WorldKnobs]?: WorldKnobs[K] extends number ? number : Partial<WorldKnobs[K]> };

export const defaultKnobs: WorldKnobs = {
  fulfilment: {
    share: 0,
    hubs: 40,
    parcelShare: 1,
    remit: { seller: 0.4, warehouse: 0.4, missing: 0.2 },
    pickupAddress: 0.7,
    sellerName: 0,
  },
  familyPhone: { share: 0, households: 3 },
  bookkeeperEmail: { share: 0, clients: 15 },
  relativeAccount: 0,
  missing: { taxpayers: 0, platform_sellers: 0, websites: 0, bank_transactions: 0, cod_shipments: 0 },
  typo: 0,
  commonNames: { share: 0, names: 4, provinces: 2 },
  provinceMove: 0,
  reissuedPhone: 0,
  nominee: 0,
  nameVariants: { share: 0, spellings: 12 },
  activity: {
    goods: 72,
    services: 10,
    production_transport: 10,
    property_lease: 3,
    other: 5,
    servicesOnline: 0,
    words: 0,
  },
};

/** Keys whose values are counts (whole numbers ≥ 1), not shares. */
const counts = new Set([
  'fulfilment.hubs',
  'familyPhone.households',
  'bookkeeperEmail.clients',
  'commonNames.names',
  'commonNames.provinces',
  'nameVariants.spellings',
]);
/** Keys that are weights (any number ≥ 0), not shares. */
const weights = new Set([
  'fulfilment.remit.seller',
  'fulfilment.remit.warehouse',
  'fulfilment.remit.missing',
  'activity.goods',
  'activity.services',
  'activity.production_transport',
  'activity.property_lease',
  'activity.other',
]);

/**
 * Knobs from JSON text or an object, over the defaults; every problem is reported at once.
 *
 * @example parseKnobs('{"fulfilment":{"share":0.3},"typo":0.02}').fulfilment.share // 0.3
 */
export function parseKnobs(input: string | KnobsInput | undefined): WorldKnobs {
  if (input === undefined) return defaultKnobs;
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (err) {
      throw new UsageError(
        `--knobs: not valid JSON (${(err as Error).message}); example: --knobs '{"fulfilment":{"share":0.3}}'`,
      );
    }
  }
  const problems: string[] = [];
  const merged = merge(defaultKnobs, raw, '', problems) as WorldKnobs;
  const r = merged.fulfilment.remit;
  if (r.seller + r.warehouse + r.missing <= 0) problems.push('fulfilment.remit: the weights must not all be 0');
  const a = merged.activity;
  if (a.goods + a.services + a.production_transport + a.property_lease + a.other <= 0)
    problems.push('activity: the group weights must not all be 0');
  if (problems.length) throw new UsageError(`--knobs: ${problems.join('; ')}`);
  return merged;
}

function merge(base: unknown, over: unknown, path: string, problems: string[]): unknown {
  if (over === undefined) return base;
  if (typeof base === 'number') {
    if (typeof over !== 'number' || !Number.isFinite(over)) {
      problems.push(`${path}: expected a number, got ${JSON.stringify(over)}`);
      return base;
    }
    if (
      counts.has(path)
        ? !Number.isInteger(over) || over < 1 || over > 100_000
        : weights.has(path)
          ? over < 0
          : over < 0 || over > 1
    ) {
      problems.push(
        `${path}: ` +
          (counts.has(path)
            ? 'a whole number from 1 to 100000'
            : weights.has(path)
              ? 'a weight ≥ 0'
              : 'a share from 0 to 1') +
          `, ` +
          `got ${over}`,
      );
      return base;
    }
    return over;
  }
  if (typeof over !== 'object' || over === null || Array.isArray(over)) {
    problems.push(`${path || 'knobs'}: expected an object`);
    return base;
  }
  const b = base as Record<string, unknown>;
  const out: Record<string, unknown> = { ...b };
  for (const [k, v] of Object.entries(over)) {
    const p = path ? `${path}.${k}` : k;
    if (!(k in b)) {
      problems.push(`${p}: unknown knob (known: ${Object.keys(b).join(', ')})`);
      continue;
    }
    out[k] = merge(b[k], v, p, problems);
  }
  return out;
}

/**
 * Knobs added after worlds with knobs were first generated: written to the manifest only when on,
 * so a world generated without them keeps its manifest byte for byte.
 */
const laterKnobs: ReadonlyArray<keyof WorldKnobs> = ['reissuedPhone'];

/** The knobs as the manifest records them (later knobs left out while at their default). */
export function manifestKnobs(k: WorldKnobs): Partial<WorldKnobs> {
  const out: Partial<WorldKnobs> = { ...k };
  for (const key of laterKnobs) if (JSON.stringify(k[key]) === JSON.stringify(defaultKnobs[key])) delete out[key];
  return out;
}

/** Whether any knob differs from its default (then the world is not the plain one). */
export function knobsActive(k: WorldKnobs): boolean {
  return JSON.stringify(k) !== JSON.stringify(defaultKnobs);
}

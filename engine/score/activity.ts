/**
 * The activity group a seller's tax is computed at, and its basis (docs/domain.md, "The activity
 * of a seller the registry does not classify"). Evidence, strongest first:
 * 1. the rate a marketplace withheld (`groupFromWithholding`);
 * 2. the registry's activity group;
 * 3. the words of its shop, sender and site names and of its buyers' transfer descriptions
 *    (engine/features/activity-terms.csv, counted by mart_entity_activity.sql) and a website
 *    registered as an e-commerce service, read through what registered sellers whose words say the
 *    same trade in (below); the words' group alone when too few registered sellers say it;
 * 4. nothing names it: the mix of groups among registered sellers with the same words verdict and
 *    channel profile (marketplace, COD, website, bank), in its province when `minGroupSize` of them
 *    are there, else nationally, else with the same verdict, else every registered seller, else the
 *    goods rate (the lowest).
 * Expected tax = Σ share(group) × tax due at the group's rates. Pure: no DuckDB, no fs.
 */
import { activityGroups, isActivityGroup, taxDue, type ActivityGroup, type TaxYearRules } from '../config/tax-rules.js';
import { fmt } from '../format.js';
import type { FeatureBatch } from './types.js';

export interface ActivityOptions {
  /** `mix`: evidence then the learned mix; `goods`: an unclassified seller at the goods rate (the engine before). */
  method: 'mix' | 'goods';
  /** Registered sellers a channel-profile group needs before its mix is used. */
  minGroupSize: number;
}

export const defaultActivityOptions: ActivityOptions = { method: 'mix', minGroupSize: 30 };

/** Where the rate came from, strongest first. */
export type RateSource = 'withholding' | 'registry' | 'transfers' | 'candidate' | 'words' | 'mix' | 'default';

export const channels = ['marketplace', 'cod', 'website', 'bank'] as const;
export type Channel = (typeof channels)[number];

/** The mix of activity groups of one group of registered sellers. */
export interface ActivityMix {
  /**
   * `province`: same words verdict, profile and province; `national`: same verdict and profile;
   * `words`: same verdict; `all`: every registered seller.
   */
  level: 'province' | 'national' | 'words' | 'all';
  /** The group the sellers' words name (null: nothing clear). */
  verdict: ActivityGroup | null;
  channels: Channel[];
  province: string | null;
  /** Registered sellers counted. */
  n: number;
  shares: Record<ActivityGroup, number>;
}

export interface ActivityBasis {
  source: RateSource;
  /** The group used (the likeliest one for a mix). */
  group: ActivityGroup;
  mix?: ActivityMix;
  /** Dictionary terms found, for `words`. */
  terms?: string[];
  /**
   * For `candidate`: the registry group of the registered taxpayer the seller may be and its weight;
   * `mix` then holds weight × that group + (1 − weight) × the estimate without it (`rest`).
   */
  candidate?: { group: ActivityGroup; weight: number };
  rest?: ActivityBasis;
  /**
   * For `transfers`: the registry's group, the dearer group the seller's buyers' transfers name, and
   * the share of its revenue they name it for (`mix` holds that share of `named`, the rest `registered`).
   */
  transfers?: { registered: ActivityGroup; named: ActivityGroup; share: number; credits: number; of: number };
}

export interface ActivityResult {
  basis: ActivityBasis[];
  /** VAT + PIT rate the tax is computed at (a share-weighted mean for a mix). */
  rate: Float64Array;
  /** Lowest and highest rate the seller could owe (equal to `rate` when one group is used). */
  rateMin: Float64Array;
  rateMax: Float64Array;
}

/** One basis per source × group, for the entities of which nothing else is told: read-only downstream, so
 * shared (one object per entity was half the scoring core's time at 100,000 entities: bench/score.ts);
 * frozen, so no one edits one entity's basis for all. */
const basesOf = (source: RateSource) =>
  Object.fromEntries(activityGroups.map((g) => [g, Object.freeze({ source, group: g })])) as Record<
    ActivityGroup,
    ActivityBasis
  >;
const SHARED_BASES = {
  withholding: basesOf('withholding'),
  registry: basesOf('registry'),
  default: Object.freeze<ActivityBasis>({ source: 'default', group: 'goods' }),
};

/** Relative distance within which a withholding rate is taken as a group's VAT + PIT rate. */
const RATE_TOLERANCE = 0.15;

export const totalRate = (g: ActivityGroup, rules: TaxYearRules): number => rules.rates[g].vat + rules.rates[g].pit;

/**
 * The activity group whose VAT + PIT rate a marketplace withheld, if the rate is close to one.
 *
 * @example groupFromWithholding(0.07, rulesForYear(2025)) // 'services'
 */
export function groupFromWithholding(rate: number, rules: TaxYearRules): ActivityGroup | undefined {
  if (!(rate > 0)) return undefined;
  let best: ActivityGroup | undefined;
  let bestDistance = Infinity;
  for (const g of activityGroups) {
    const total = totalRate(g, rules);
    const d = Math.abs(rate - total) / total;
    if (d < bestDistance) {
      bestDistance = d;
      best = g;
    }
  }
  return bestDistance <= RATE_TOLERANCE ? best : undefined;
}

/** A group named by words needs this score (0..3) … */
const WORDS_MIN_SCORE = 0.5;
/** … and this many times the next group's. */
const WORDS_MARGIN = 2;
/** Bank descriptions count as a share of at least this many matching credits (one stray word is not a trade). */
const WORDS_MIN_CREDITS = 3;

/** Trade credits naming a dearer group than the registry's before they count (a tenant pays monthly: a year's rent). */
const TRANSFERS_MIN_CREDITS = 12;
/** … and the share of the seller's trade credits they must be (a stray word is not an activity). */
const TRANSFERS_MIN_SHARE = 0.25;

/** The `words_bank_<group>` columns in `activityGroups` order, looked up once per batch, not per entity. */
const bankWordColumns = (batch: FeatureBatch) => activityGroups.map((g) => batch.cols[`words_bank_${g}`]);

/**
 * A registered seller whose buyers' transfers name a dearer activity group than the registry's
 * (`tien phong thang 5`, `thue nha` into the account of a household registered for goods): the
 * share of its undeclared revenue those transfers are, priced at the group they name, the rest
 * (and what it declared: a return filed under the registry's group stands as filed) at the
 * registry's. The named group must lead the transfers' words (twice the next group's credits), be
 * named by at least 12 trade credits and a quarter of them. Issue 14, rate30.
 *
 * @example transfersNamingDearer(batch, i, 'goods', rules) // { named: 'property_lease', share: 0.7, … }
 */
export function transfersNamingDearer(
  batch: FeatureBatch,
  i: number,
  registered: ActivityGroup,
  rules: TaxYearRules,
  bankWords: readonly (Float64Array | undefined)[] = bankWordColumns(batch),
): ActivityBasis['transfers'] | undefined {
  const c = batch.cols;
  const credits = c.bank_trade_credits?.[i] ?? 0;
  if (!(credits > 0)) return undefined;
  let best: ActivityGroup | undefined;
  let top = 0;
  let second = 0;
  for (let k = 0; k < activityGroups.length; k++) {
    const g = activityGroups[k]!;
    const named = bankWords[k]?.[i] ?? 0;
    if (named > top) {
      second = top;
      top = named;
      best = g;
    } else if (named > second) second = named;
  }
  if (!best || top < TRANSFERS_MIN_CREDITS || top < WORDS_MARGIN * second || top / credits < TRANSFERS_MIN_SHARE)
    return undefined;
  if (!(totalRate(best, rules) > totalRate(registered, rules))) return undefined;
  // the revenue the transfers name: the named credits' share of the bank trade × the bank's share of the
  // revenue, of the part not declared (a return filed under the registry's group stands as filed)
  const observed = c.observed_revenue?.[i] ?? 0;
  const declared = c.declared_revenue?.[i] ?? 0;
  const est = Math.max(observed, declared);
  const undeclared = Math.max(0, est - Math.max(declared, c.gmv_withheld?.[i] ?? 0));
  const bank = c.bank_trade?.[i] ?? 0;
  const share = observed > 0 ? Math.min(1, top / credits) * Math.min(1, bank / observed) * (undeclared / est) : 0;
  if (!(share > 0)) return undefined;
  return { registered, named: best, share, credits: top, of: credits };
}

/**
 * The group the words name, if one clearly does. Score per group = share of the seller's matching
 * names that name it + matching transfer descriptions naming it ÷ max(matching descriptions, 3)
 * (+ 1 for services when a site is registered as an e-commerce service).
 *
 * @example groupFromWords((k) => ({ names: 1, names_services: 1 })[k] ?? 0) // 'services'
 */
export function groupFromWords(count: (name: string) => number): ActivityGroup | undefined {
  const names = count('names');
  const bank = count('bank');
  let best: ActivityGroup | undefined;
  let bestScore = 0;
  let second = 0;
  for (const g of activityGroups) {
    const s =
      (names > 0 ? count(`names_${g}`) / names : 0) +
      count(`bank_${g}`) / Math.max(bank, WORDS_MIN_CREDITS) +
      (g === 'services' && count('service_sites') > 0 ? 1 : 0);
    if (s > bestScore) {
      second = bestScore;
      bestScore = s;
      best = g;
    } else if (s > second) second = s;
  }
  return best && bestScore >= WORDS_MIN_SCORE && bestScore >= WORDS_MARGIN * second ? best : undefined;
}

/** The dictionary terms of `group` among an entity's `group:term|…` list. */
const termsNaming = (list: string | null | undefined, group: ActivityGroup): string[] =>
  (list ?? '')
    .split('|')
    .filter((t) => t.startsWith(`${group}:`))
    .map((t) => t.slice(group.length + 1));

/** Channels a seller sold through in the tax year, as a bit set over `channels`. */
function profileOf(batch: FeatureBatch, i: number): number {
  const c = batch.cols;
  const has = (name: string) => ((c[name]?.[i] ?? 0) > 0 ? 1 : 0);
  return has('platform_gmv') | (has('cod_sales') << 1) | (has('websites') << 2) | (has('bank_trade') << 3);
}
const channelsOf = (bits: number): Channel[] => channels.filter((_, k) => bits & (1 << k));

class Counts {
  n = 0;
  readonly byGroup = new Float64Array(activityGroups.length);
  add(g: ActivityGroup) {
    this.n++;
    this.byGroup[activityGroups.indexOf(g)]!++;
  }
  mix(level: ActivityMix['level'], verdict: ActivityGroup | null, bits: number, province: string | null): ActivityMix {
    const shares = Object.fromEntries(activityGroups.map((g, k) => [g, this.byGroup[k]! / this.n])) as Record<
      ActivityGroup,
      number
    >;
    return { level, verdict, channels: channelsOf(bits), province, n: this.n, shares };
  }
}

const bump = (m: Map<string, Counts>, key: string, g: ActivityGroup) => {
  let c = m.get(key);
  if (!c) m.set(key, (c = new Counts()));
  c.add(g);
};

/**
 * The activity basis and rate of every entity (see the file comment). The mixes are learned from
 * the batch itself: registered sellers (active, with revenue seen) whose group the withholding or
 * the registry gives, keyed by what their words say (a group, or nothing), their channel profile
 * and their province. So words count for what they are worth in this delivery: where every seller's
 * transfers read "tien hang", registered ones show it says little.
 *
 * @example const a = estimateActivity(batch, rulesForYear(2025), provinces); a.rate[0] // 0.032
 */
export function estimateActivity(
  batch: FeatureBatch,
  rules: TaxYearRules,
  provinces: readonly (string | null)[] | undefined,
  opts: ActivityOptions = defaultActivityOptions,
): ActivityResult {
  const { n } = batch;
  const c = batch.cols;
  const basis: ActivityBasis[] = new Array(n);
  const verdicts: (ActivityGroup | undefined)[] = new Array(n);
  const profiles = new Int32Array(n);
  const mixing = opts.method === 'mix';
  const withheldRate = c.withheld_rate;
  const bankWords = bankWordColumns(batch);
  for (let i = 0; i < n; i++) {
    const revealed = withheldRate ? groupFromWithholding(withheldRate[i]!, rules) : undefined;
    const registered = batch.activityGroup[i];
    if (revealed) basis[i] = SHARED_BASES.withholding[revealed];
    else if (isActivityGroup(registered)) {
      const t = mixing ? transfersNamingDearer(batch, i, registered, rules, bankWords) : undefined;
      basis[i] = t
        ? {
            source: 'transfers',
            group: t.share >= 0.5 ? t.named : registered,
            transfers: t,
            terms: termsNaming(batch.text?.activity_terms?.[i], t.named),
            mix: {
              level: 'all',
              verdict: t.named,
              channels: ['bank'],
              province: null,
              n: 0,
              shares: Object.fromEntries(
                activityGroups.map((g) => [g, g === t.named ? t.share : g === registered ? 1 - t.share : 0]),
              ) as Record<ActivityGroup, number>,
            },
          }
        : SHARED_BASES.registry[registered];
    }
    if (mixing) {
      verdicts[i] = groupFromWords(
        (name) => (name === 'service_sites' ? c.service_sites : c[`words_${name}`])?.[i] ?? 0,
      );
      profiles[i] = profileOf(batch, i);
    }
  }
  // What registered sellers trade in, by words × channel profile (× province), learned from this delivery.
  const counts = new Map<string, Counts>();
  const all = new Counts();
  if (mixing) {
    for (let i = 0; i < n; i++) {
      // the registry's group, also where transfers name a dearer one: the mix says what registered sellers register as
      const g = basis[i]?.transfers?.registered ?? basis[i]?.group;
      if (!g || !((c.registered?.[i] ?? 0) > 0) || !((c.observed_revenue?.[i] ?? 0) > 0)) continue;
      const v = verdicts[i] ?? '-';
      const prov = provinces?.[i];
      if (prov) bump(counts, `${v}|${profiles[i]}|${prov}`, g);
      bump(counts, `${v}|${profiles[i]}`, g);
      if (verdicts[i]) bump(counts, v, g);
      all.add(g);
    }
  }
  const mixCache = new Map<string, ActivityMix | null>();
  const mixFor = (verdict: ActivityGroup | undefined, bits: number, province: string | null): ActivityMix | null => {
    const v = verdict ?? '-';
    const key = `${v}|${bits}|${province ?? ''}`;
    let m = mixCache.get(key);
    if (m !== undefined) return m;
    const enough = (k: string) => {
      const x = counts.get(k);
      return x && x.n >= opts.minGroupSize ? x : undefined;
    };
    const p = province ? enough(`${v}|${bits}|${province}`) : undefined;
    const q = enough(`${v}|${bits}`);
    const w = verdict ? enough(v) : undefined;
    m = p
      ? p.mix('province', verdict ?? null, bits, province)
      : q
        ? q.mix('national', verdict ?? null, bits, null)
        : w
          ? w.mix('words', verdict ?? null, 0, null)
          : !verdict && all.n >= opts.minGroupSize
            ? all.mix('all', null, 0, null)
            : null;
    mixCache.set(key, m);
    return m;
  };
  const termsOf = batch.text?.activity_terms;
  const candidateGroups = batch.text?.candidate_activity_group;
  const rate = new Float64Array(n);
  const rateMin = new Float64Array(n);
  const rateMax = new Float64Array(n);
  const groupRate = Object.fromEntries(activityGroups.map((g) => [g, totalRate(g, rules)])) as Record<
    ActivityGroup,
    number
  >;
  for (let i = 0; i < n; i++) {
    if (!basis[i] && mixing) {
      const words = verdicts[i];
      const terms = words ? termsNaming(termsOf?.[i], words) : undefined;
      const mix = mixFor(words, profiles[i]!, provinces?.[i] ?? null);
      if (mix) {
        const likeliest = activityGroups.reduce((a, b) => (mix.shares[b] > mix.shares[a] ? b : a));
        basis[i] = { source: words ? 'words' : 'mix', group: likeliest, mix, terms };
      } else if (words) basis[i] = { source: 'words', group: words, terms };
    }
    basis[i] ??= SHARED_BASES.default;
    // a registered taxpayer the seller may be (mart_registry_candidates.sql): its group counts × the weight
    const cg = candidateGroups?.[i];
    const cw = c.registry_candidate_weight?.[i] ?? 0;
    if (mixing && cw > 0 && isActivityGroup(cg) && basis[i]!.source !== 'withholding') {
      const rest = basis[i]!;
      if (rest.source !== 'registry' && rest.source !== 'transfers') {
        const w = Math.min(1, cw);
        const shares = Object.fromEntries(
          activityGroups.map((g) => [
            g,
            w * (g === cg ? 1 : 0) + (1 - w) * (rest.mix ? rest.mix.shares[g] : g === rest.group ? 1 : 0),
          ]),
        ) as Record<ActivityGroup, number>;
        const likeliest = activityGroups.reduce((a, b) => (shares[b] > shares[a] ? b : a));
        basis[i] = {
          source: 'candidate',
          group: likeliest,
          candidate: { group: cg, weight: w },
          rest,
          mix: { ...(rest.mix ?? { level: 'all', verdict: null, channels: [], province: null, n: 0 }), shares },
        };
      }
    }
    const b = basis[i]!;
    if (b.mix) {
      let r = 0;
      let lo = Infinity;
      let hi = 0;
      for (const g of activityGroups) {
        const s = b.mix.shares[g];
        if (!(s > 0)) continue;
        const t = groupRate[g];
        r += s * t;
        lo = Math.min(lo, t);
        hi = Math.max(hi, t);
      }
      rate[i] = r;
      rateMin[i] = lo;
      rateMax[i] = hi;
    } else rate[i] = rateMin[i] = rateMax[i] = groupRate[b.group];
  }
  return { basis, rate, rateMin, rateMax };
}

/**
 * Tax due on a revenue under a basis: at its group's rates, or Σ share × tax due at each group's
 * (VAT and PIT apart, each rounded to the dong).
 *
 * @example expectedTax(600_000_000, { source: 'registry', group: 'goods' }, rulesFrom2026).total // 6_500_000
 */
export function expectedTax(
  revenue: number,
  b: ActivityBasis,
  rules: TaxYearRules,
): { vat: number; pit: number; total: number } {
  if (!b.mix) return taxDue(revenue, b.group, rules);
  let vat = 0;
  let pit = 0;
  for (const g of activityGroups) {
    const s = b.mix.shares[g];
    if (!(s > 0)) continue;
    const d = taxDue(revenue, g, rules);
    vat += s * d.vat;
    pit += s * d.pit;
  }
  return { vat: Math.round(vat), pit: Math.round(pit), total: Math.round(vat) + Math.round(pit) };
}

/** Tax due under a basis (see `expectedTax`). */
export const expectedTaxDue = (revenue: number, b: ActivityBasis, rules: TaxYearRules): number =>
  expectedTax(revenue, b, rules).total;

/** The groups a basis leaves possible, cheapest and dearest: one group, or those with a share of the mix. */
export function groupRange(b: ActivityBasis, rules: TaxYearRules): { lo: ActivityGroup; hi: ActivityGroup } {
  if (!b.mix) return { lo: b.group, hi: b.group };
  const possible = activityGroups.filter((g) => b.mix!.shares[g] > 0);
  const by = (x: ActivityGroup, y: ActivityGroup) => totalRate(x, rules) - totalRate(y, rules);
  const sorted = [...possible].sort(by);
  return { lo: sorted[0] ?? b.group, hi: sorted.at(-1) ?? b.group };
}

const groupName: Record<ActivityGroup, { vi: string; en: string }> = {
  goods: { vi: 'hàng hóa', en: 'goods' },
  services: { vi: 'dịch vụ', en: 'services' },
  production_transport: { vi: 'sản xuất, vận tải', en: 'production and transport' },
  property_lease: { vi: 'cho thuê tài sản', en: 'property lease' },
  other: { vi: 'hoạt động khác', en: 'other activities' },
};
const channelName: Record<Channel, { vi: string; en: string }> = {
  marketplace: { vi: 'sàn TMĐT', en: 'marketplace' },
  cod: { vi: 'COD', en: 'COD' },
  website: { vi: 'website', en: 'website' },
  bank: { vi: 'chuyển khoản', en: 'bank transfer' },
};

/** The activity group's name for people. */
export const activityGroupName = (g: ActivityGroup, lang: 'vi' | 'en'): string => groupName[g][lang];

/**
 * One line saying the rate used and its basis, for the reasons, cases.csv and the dossier.
 *
 * @example rateBasisText(basis, { rate: 0.032, lo: 0.015, hi: 0.07 }, rules, 'vi')
 *   // 'thuế suất ước tính 3,2 %: 25 % người bán qua website đã đăng ký kinh doanh dịch vụ, 75 % hàng hóa
 *   //  (212 người bán tại Khánh Hòa; từ 1,5 % đến 7 %)'
 */
export function rateBasisText(
  b: ActivityBasis,
  { rate, lo, hi }: { rate: number; lo: number; hi: number },
  rules: TaxYearRules,
  lang: 'vi' | 'en',
): string {
  const vi = lang === 'vi';
  const pct = (x: number, d = 1) => fmt(lang).pct(x, d);
  const g = groupName[b.group][lang];
  const terms = (b.terms ?? []).slice(0, 4).join(', ');
  const said = terms ? ` (${terms})` : '';
  if (b.source === 'withholding')
    return vi
      ? `thuế suất ${pct(rate)}: nhóm ${g} theo mức sàn TMĐT đã khấu trừ`
      : `tax rate ${pct(rate)}: ${g}, the group the marketplace withheld at`;
  if (b.source === 'transfers' && b.transfers) {
    const t = b.transfers;
    const [reg, named] = [groupName[t.registered][lang], groupName[t.named][lang]];
    const [k, of] = [fmt(lang).int(t.credits), fmt(lang).int(t.of)];
    return vi
      ? `thuế suất ước tính ${pct(rate)}: đăng ký nhóm ${reg} nhưng ${k}/${of} khoản chuyển khoản bán hàng ghi ` +
          `${named}${said}: ${pct(t.share, 0)} doanh thu (phần chưa kê khai các khoản này chiếm) tính theo nhóm ` +
          `${named}, phần còn lại theo nhóm đã đăng ký`
      : `estimated tax rate ${pct(rate)}: registered as ${reg}, but ${k} of ${of} buyers' transfers name ` +
          `${named}${said}: ${pct(t.share, 0)} of the revenue (the undeclared part they make up) priced as ` +
          `${named}, the rest as registered`;
  }
  if (b.source === 'registry')
    return vi
      ? `thuế suất ${pct(rate)}: nhóm ${g} đã đăng ký thuế`
      : `tax rate ${pct(rate)}: ${g}, the group registered for tax`;
  if (b.source === 'default')
    return vi
      ? `thuế suất ${pct(rate)}: nhóm ${g} (thấp nhất), chưa có căn cứ xác định ngành nghề`
      : `tax rate ${pct(rate)}: ${g} (the lowest), nothing names the activity`;
  if (b.source === 'candidate' && b.candidate && b.rest) {
    const c = b.candidate;
    const restRange = { rate: 0, lo, hi };
    const rest = rateBasisText(b.rest, restRange, rules, lang).replace(/^[^:]*: /, '');
    return vi
      ? `thuế suất ước tính ${pct(rate)}: ${pct(c.weight, 0)} theo người nộp thuế có thể trùng ` +
          `(đăng ký nhóm ${groupName[c.group].vi}), phần còn lại: ${rest}`
      : `estimated tax rate ${pct(rate)}: ${pct(c.weight, 0)} from the registered taxpayer it may be ` +
          `(registered as ${groupName[c.group].en}), the rest: ${rest}`;
  }
  const m = b.mix;
  if (!m)
    return vi
      ? `thuế suất ước tính ${pct(rate)}: tên gian hàng, website hoặc nội dung chuyển khoản chỉ nhóm ${g}${said}`
      : `estimated tax rate ${pct(rate)}: shop or site names or transfer descriptions point to ${g}${said}`;
  // the groups that make the rate first: share × rate
  const order = activityGroups
    .filter((x) => m.shares[x] >= 0.005)
    .sort((x, y) => m.shares[y] * totalRate(y, rules) - m.shares[x] * totalRate(x, rules));
  const [first, ...rest] = order as [ActivityGroup, ...ActivityGroup[]];
  const others = rest.map((x) => `${pct(m.shares[x], 0)} ${groupName[x][lang]}`).join(', ');
  const via = m.level === 'province' || m.level === 'national' ? m.channels.map((ch) => channelName[ch][lang]) : [];
  const where =
    m.level === 'province' ? (vi ? ` tại ${m.province}` : ` in ${m.province}`) : vi ? ' cả nước' : ' nationwide';
  const tail = vi
    ? ` (${m.n} người bán${where}; từ ${pct(lo)} đến ${pct(hi)})`
    : ` (${m.n} sellers${where}; from ${pct(lo)} to ${pct(hi)})`;
  const verdict = m.verdict ? groupName[m.verdict][lang] : null;
  if (vi) {
    const saidVi = verdict ? `tên hoặc nội dung chuyển khoản chỉ nhóm ${verdict}${said}; ` : '';
    const who = `người bán` + (via.length ? ` qua ${via.join(' + ')}` : '') + (verdict ? ' có từ ngữ như vậy' : '');
    return (
      `thuế suất ước tính ${pct(rate)}: ${saidVi}${pct(m.shares[first], 0)} ${who} đã đăng ký kinh doanh ` +
      `${groupName[first].vi}${others ? `, ${others}` : ''}${tail}`
    );
  }
  const saidEn = verdict ? `names or transfers point to ${verdict}${said}; ` : '';
  const who =
    `registered sellers` + (via.length ? ` selling via ${via.join(' + ')}` : '') + (verdict ? ' with such words' : '');
  return (
    `estimated tax rate ${pct(rate)}: ${saidEn}${pct(m.shares[first], 0)} of ${who} trade in ` +
    `${groupName[first].en}${others ? `, ${others}` : ''}${tail}`
  );
}

import type { TaxYearRules } from '../config/tax-rules.js';
import { rateBasisText, type ActivityOptions } from './activity.js';
import { deriveAmounts } from './gap.js';
import { allRules } from './rules/index.js';
import type { Derived, FeatureBatch, Rule, RuleResult } from './types.js';
import { peerStats, type PeerStats } from './stats/peer.js';

export interface ScoreOptions {
  rules: TaxYearRules;
  /** Province of each entity, for peer groups (activity group × province). */
  provinces?: readonly (string | null)[];
  lang: 'vi' | 'en';
  /** Rule weights by id (log-odds), overriding each rule's default. */
  weights?: Record<string, number>;
  /** How many reasons a case lists at most (besides the estimated-rate line). */
  maxReasons?: number;
  /** How the activity of a seller the registry does not classify is estimated (config `score.activity`). */
  activity?: ActivityOptions;
}

/** The reason code of the line saying an estimated tax rate and its basis (not a rule: it adds no risk). */
export const ESTIMATED_RATE_REASON = {
  code: 'ESTIMATED_TAX_RATE',
  label_vi: 'Thuế suất ước tính: người bán chưa được xếp nhóm ngành, nêu căn cứ và khoảng thuế suất',
  label_en: 'Estimated tax rate: the seller has no registered activity group; basis and range given',
} as const;

/** The reason code of the line saying a registered seller's buyers' transfers name a dearer group than its
 * registry's, and the rate used (not a rule: it adds no risk; the tax gap carries it). Issue 14, rate30. */
export const TRANSFERS_GROUP_REASON = {
  code: 'TRANSFERS_NAME_DEARER_GROUP',
  label_vi: 'Nội dung chuyển khoản bán hàng ghi nhóm ngành có thuế suất cao hơn nhóm đã đăng ký',
  label_en: "Buyers' transfers name a dearer activity group than the one registered",
} as const;

export interface Scored {
  derived: Derived;
  peer: PeerStats;
  /** Rule-based risk score in (0, 1). */
  risk: Float64Array;
  expectedYield: Float64Array;
  reasonCodes: string[][];
  reasons: string[][];
  /** Rule results by id, for the dossier and the forest's features. */
  ruleResults: Record<string, RuleResult>;
}

const BASE_LOG_ODDS = -3;
const GAP_LOG_ODDS_PER_LN_MILLION = 0.35;

/**
 * Scores entities with the rules: a log-odds sum of the rules that fire plus a term growing with the
 * tax gap, squashed to (0, 1); expected yield = risk × tax gap. Every fired rule becomes a reason
 * with its amount and evidence count, largest amount first.
 *
 * @example const s = scoreEntities(batch, { rules: rulesForYear(2025), lang: 'vi' });
 */
export function scoreEntities(batch: FeatureBatch, opts: ScoreOptions, rules: readonly Rule[] = allRules): Scored {
  const { n } = batch;
  const derived = deriveAmounts(batch, opts.rules, { provinces: opts.provinces, activity: opts.activity });
  const peer = peerGapStats(batch, derived, opts.provinces);
  const ctx = { rules: opts.rules, derived, peerZ: peer.z };
  const results = rules.map((r) => r.evaluate(batch, ctx));
  const risk = new Float64Array(n);
  const expectedYield = new Float64Array(n);
  const reasonCodes: string[][] = new Array(n);
  const reasons: string[][] = new Array(n);
  const maxReasons = opts.maxReasons ?? 3;
  for (let i = 0; i < n; i++) {
    let z = BASE_LOG_ODDS + GAP_LOG_ODDS_PER_LN_MILLION * Math.log1p(derived.taxGap[i]! / 1e6);
    const fired: number[] = [];
    for (let k = 0; k < rules.length; k++) {
      if (results[k]!.fired[i]) {
        z += opts.weights?.[rules[k]!.id] ?? rules[k]!.weight;
        fired.push(k);
      }
    }
    if (derived.taxGap[i] === 0) z = Math.min(z, BASE_LOG_ODDS);
    const p = 1 / (1 + Math.exp(-z));
    risk[i] = p;
    expectedYield[i] = Math.round(p * derived.taxGap[i]!);
    fired.sort((a, b) => results[b]!.amount[i]! - results[a]!.amount[i]! || a - b);
    const top = fired.slice(0, maxReasons);
    reasonCodes[i] = top.map((k) => rules[k]!.id);
    reasons[i] = top.map((k) =>
      rules[k]!.describe(results[k]!.amount[i]!, results[k]!.evidence[i]!, opts.lang, results[k]!.note?.[i]),
    );
    const b = derived.basis[i]!;
    if ((b.source === 'words' || b.source === 'mix' || b.source === 'candidate') && derived.taxGap[i]! > 0) {
      reasonCodes[i]!.push(ESTIMATED_RATE_REASON.code);
      reasons[i]!.push(rateBasisOf(derived, i, opts.rules, opts.lang));
    } else if (b.source === 'transfers' && derived.taxGap[i]! > 0) {
      reasonCodes[i]!.push(TRANSFERS_GROUP_REASON.code);
      reasons[i]!.push(rateBasisOf(derived, i, opts.rules, opts.lang));
    }
  }
  const ruleResults = Object.fromEntries(rules.map((r, k) => [r.id, results[k]!]));
  return { derived, peer, risk, expectedYield, reasonCodes, reasons, ruleResults };
}

/** The rate-and-basis line of entity i (cases.csv `tax_rate_basis`, the reason, the dossier). */
export function rateBasisOf(derived: Derived, i: number, rules: TaxYearRules, lang: 'vi' | 'en'): string {
  return rateBasisText(
    derived.basis[i]!,
    { rate: derived.rate[i]!, lo: derived.rateMin[i]!, hi: derived.rateMax[i]! },
    rules,
    lang,
  );
}

/** Peers are compared on ln(estimated / declared revenue), VND in millions plus one. */
export function peerGapStats(batch: FeatureBatch, derived: Derived, provinces?: readonly (string | null)[]): PeerStats {
  const declared = batch.cols.declared_revenue!;
  const ratio = new Float64Array(batch.n);
  const groups: string[] = new Array(batch.n);
  // One label string per distinct (group, province), not one per entity.
  const labels = new Map<string, Map<string, string>>();
  for (let i = 0; i < batch.n; i++) {
    ratio[i] = Math.log((derived.estimatedRevenue[i]! / 1e6 + 1) / (declared[i]! / 1e6 + 1));
    const g = derived.group[i]!;
    const p = provinces?.[i] ?? '?';
    let byProvince = labels.get(g);
    if (!byProvince) labels.set(g, (byProvince = new Map()));
    let label = byProvince.get(p);
    if (label === undefined) byProvince.set(p, (label = `${g} × ${p}`));
    groups[i] = label;
  }
  return peerStats(ratio, groups, { minGroupSize: PEER_MIN_GROUP });
}

/** Peer groups smaller than this are compared with every seller. */
export const PEER_MIN_GROUP = 30;

/**
 * The keys of `rank.provinceQuotas`: each must name one of the 34 current provinces. The ranker
 * compares them with the province column of the cases (the canonical name), so a key it would
 * never meet (`Ho Chi Minh` beside `Hồ Chí Minh`, a typo, a pre-2025 province) was a quota that
 * silently did nothing. Read with the engine's own province normaliser: a spelling without
 * diacritics or an alias it knows counts for its province; anything else is a config error with a
 * did-you-mean.
 */
import type { z } from 'zod';
import { currentProvinces, oldToCurrent, provinceAliases, provinceKey } from '../normalize/province.js';
import { didYouMean } from './zod-tools.js';

const oldNameOf = new Map(
  Object.entries(oldToCurrent)
    .filter(([old, current]) => old !== current)
    .map(([old, current]) => [provinceKey(old), { old, current }] as const),
);

/** The current province a quota key names, or why it names none. */
function resolveKey(key: string): { province: string } | { problem: string } {
  const k = provinceKey(key);
  const merged = oldNameOf.get(k);
  if (merged) {
    return {
      problem:
        `${merged.old} is part of ${merged.current} since the 2025 merger and quotas count current provinces; ` +
        `write "${merged.current}"`,
    };
  }
  const province = provinceAliases.get(k);
  if (province !== undefined) return { province };
  // Did you mean: the nearest current province, compared without diacritics, case or spaces.
  const near = didYouMean(
    key,
    currentProvinces.map((p) => p.name),
    provinceKey,
  );
  const list = 'one of the 34 current provinces listed in docs/domain.md';
  return {
    problem: near ? `not ${list}; did you mean "${near}"?` : `not ${list} (e.g. "Hồ Chí Minh", "Hà Nội")`,
  };
}

export const provinceQuotaKeys = {
  /** Adds one issue per key naming no current province, and per province named twice. */
  check(quotas: Record<string, number>, ctx: z.RefinementCtx): void {
    const seen = new Map<string, string>();
    for (const key of Object.keys(quotas)) {
      const r = resolveKey(key);
      if ('problem' in r) {
        ctx.addIssue({ code: 'custom', path: [key], message: r.problem });
        continue;
      }
      const first = seen.get(r.province);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `names ${r.province} as "${first}" does; give each province one quota`,
        });
      } else seen.set(r.province, key);
    }
  },
  /** The quotas keyed by the canonical province name the ranker compares with (after `check`). */
  canonical(quotas: Record<string, number>): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, n] of Object.entries(quotas)) {
      const r = resolveKey(key);
      out['province' in r ? r.province : key] = n;
    }
    return out;
  },
};

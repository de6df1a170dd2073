import { describe, expect, it } from 'vitest';
import { rulesForYear } from '../../engine/config/tax-rules.js';
import { rankCases } from '../../engine/score/rank.js';
import { scoreEntities } from '../../engine/score/score.js';
import { makeEntityWorld } from '../../bench/lib/entities.js';
import { naiveScoreAndRank, toRowObjects } from '../../bench/lib/naive-score.js';

// The benchmark's ratio only means something if the row-object reference computes the same thing.
describe('row-object reference of the scoring-core bench agrees with engine/score', () => {
  it.each([
    { n: 3_000, seed: 1, year: 2025, capacity: 0, lang: 'vi' as const },
    { n: 2_000, seed: 7, year: 2026, capacity: 150, lang: 'en' as const },
  ])('$n entities, seed $seed, tax year $year, capacity $capacity', ({ n, seed, year, capacity, lang }) => {
    const world = makeEntityWorld({ n, seed, taxYear: year });
    const rules = rulesForYear(year);
    const rank = { capacity, controlShare: 0.03, seed };
    const s = scoreEntities(world.batch, { rules, lang, provinces: world.provinces });
    const typed = rankCases(s.expectedYield, s.risk, world.ids, world.excluded, rank);
    const naive = naiveScoreAndRank(toRowObjects(world), { rules, lang, ...rank });
    expect(naive.order).toEqual([...typed.order]);
    for (const e of naive.scored) {
      expect(e.expectedYield).toBe(s.expectedYield[e.index]);
      expect(e.reasons).toEqual(s.reasons[e.index]);
    }
    // every rule fires somewhere, so every rule's arithmetic is compared
    for (const [id, r] of Object.entries(s.ruleResults))
      expect(
        r.fired.some((v) => v === 1),
        id,
      ).toBe(true);
  });

  it('is deterministic for a seed', () => {
    const a = makeEntityWorld({ n: 500, seed: 3 });
    const b = makeEntityWorld({ n: 500, seed: 3 });
    expect(a.batch.cols.observed_revenue).toEqual(b.batch.cols.observed_revenue);
    expect(a.ids).toEqual(b.ids);
    expect(new Set(a.ids).size).toBe(500);
  });
});

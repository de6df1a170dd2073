import { fmt } from '../../format.js';
import { col, emptyResult, type Rule } from '../types.js';

/** Lower edge of the band just under the threshold, as a share of it. */
export const BUNCHING_BAND = 0.8;

/** Declares just under the non-taxable threshold while more is observed. */
export const bunchingUnderThreshold: Rule = {
  id: 'BUNCHING_UNDER_THRESHOLD',
  label_vi: 'Kê khai sát dưới ngưỡng chịu thuế trong khi doanh thu quan sát cao hơn ngưỡng',
  label_en: 'Declares just under the threshold while observed revenue is above it',
  weight: 1.5,
  evaluate(batch, ctx) {
    const r = emptyResult(batch.n);
    const declared = col(batch, 'declared_revenue');
    const observed = col(batch, 'observed_revenue');
    const returns = col(batch, 'returns');
    const t = ctx.rules.threshold;
    for (let i = 0; i < batch.n; i++) {
      const d = declared[i]!;
      if (returns[i]! > 0 && d >= BUNCHING_BAND * t && d <= t && observed[i]! > t) {
        r.fired[i] = 1;
        r.amount[i] = d;
        r.evidence[i] = returns[i]!;
      }
    }
    return r;
  },
  describe: (amount, evidence, lang) => {
    const f = fmt(lang);
    return lang === 'vi'
      ? `Kê khai ${f.mvnd(amount)}, sát dưới ngưỡng (${f.int(evidence)} tờ khai)`
      : `Declared ${f.mvnd(amount)}, just under the threshold (${f.int(evidence)} returns)`;
  },
};

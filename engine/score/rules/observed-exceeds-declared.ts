import { fmt } from '../../format.js';
import { col, emptyResult, type Rule } from '../types.js';

/** Multiple of declared revenue that observed revenue must reach. */
export const OBSERVED_TO_DECLARED_RATIO = 1.5;

/** Registered, but revenue seen in the deliveries is well above what was declared. */
export const observedExceedsDeclared: Rule = {
  id: 'OBSERVED_EXCEEDS_DECLARED',
  // Getters: the number takes the shape of the language people read (1,5 in vi), set after load.
  get label_vi() {
    return `Doanh thu quan sát ≥ ${fmt().num(OBSERVED_TO_DECLARED_RATIO)} lần doanh thu kê khai`;
  },
  get label_en() {
    return `Observed revenue ≥ ${fmt().num(OBSERVED_TO_DECLARED_RATIO)} × declared revenue`;
  },
  weight: 1.6,
  evaluate(batch, ctx) {
    const r = emptyResult(batch.n);
    const registered = col(batch, 'registered');
    const observed = col(batch, 'observed_revenue');
    const declared = col(batch, 'declared_revenue');
    const returns = col(batch, 'returns');
    for (let i = 0; i < batch.n; i++) {
      if (
        registered[i] === 1 &&
        observed[i]! > ctx.rules.threshold &&
        observed[i]! >= OBSERVED_TO_DECLARED_RATIO * declared[i]!
      ) {
        r.fired[i] = 1;
        r.amount[i] = observed[i]! - declared[i]!;
        r.evidence[i] = returns[i]!;
      }
    }
    return r;
  },
  describe: (amount, evidence, lang) => {
    const f = fmt(lang);
    return lang === 'vi'
      ? `Doanh thu quan sát vượt doanh thu kê khai ${f.mvnd(amount)} (${f.int(evidence)} tờ khai trong năm)`
      : `Observed revenue exceeds declared revenue by ${f.mvnd(amount)} (${f.int(evidence)} returns in the year)`;
  },
};

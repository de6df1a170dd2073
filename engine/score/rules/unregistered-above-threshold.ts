import { fmt } from '../../format.js';
import { col, emptyResult, type Rule } from '../types.js';

/**
 * Sells above the non-taxable threshold with no active tax registration and no registered taxpayer
 * it may be (mart_registry_candidates.sql; with one, POSSIBLY_REGISTERED fires instead).
 */
export const unregisteredAboveThreshold: Rule = {
  id: 'UNREGISTERED_ABOVE_THRESHOLD',
  label_vi: 'Chưa đăng ký thuế nhưng doanh thu quan sát vượt ngưỡng chịu thuế',
  label_en: 'Not registered for tax, observed revenue above the threshold',
  weight: 2.2,
  evaluate(batch, ctx) {
    const r = emptyResult(batch.n);
    const registered = col(batch, 'registered');
    const observed = col(batch, 'observed_revenue');
    const records = col(batch, 'identity_records');
    const candidate = batch.cols.registry_candidate_weight;
    for (let i = 0; i < batch.n; i++) {
      if (registered[i] === 0 && observed[i]! > ctx.rules.threshold && !(candidate && candidate[i]! > 0)) {
        r.fired[i] = 1;
        r.amount[i] = observed[i]!;
        r.evidence[i] = records[i]!;
      }
    }
    return r;
  },
  describe: (amount, evidence, lang) => {
    const f = fmt(lang);
    return lang === 'vi'
      ? `Chưa đăng ký thuế; doanh thu quan sát ${f.mvnd(amount)} vượt ngưỡng (${f.int(evidence)} hồ sơ nguồn)`
      : `Not registered; observed revenue ${f.mvnd(amount)} above the threshold (${f.int(evidence)} source records)`;
  },
};

import { fmt } from '../../format.js';
import { col, emptyResult, type Rule } from '../types.js';

/** Filed last year, nothing this year, still selling above the threshold. */
export const stoppedFiling: Rule = {
  id: 'STOPPED_FILING',
  label_vi: 'Đã kê khai năm trước, năm nay không kê khai nhưng vẫn bán hàng',
  label_en: 'Filed the previous year, no return this year while still selling',
  weight: 1.4,
  evaluate(batch, ctx) {
    const r = emptyResult(batch.n);
    const prev = col(batch, 'returns_prev');
    const now = col(batch, 'returns');
    const observed = col(batch, 'observed_revenue');
    const months = col(batch, 'months_active');
    for (let i = 0; i < batch.n; i++) {
      if (prev[i]! > 0 && now[i] === 0 && observed[i]! > ctx.rules.threshold) {
        r.fired[i] = 1;
        r.amount[i] = observed[i]!;
        r.evidence[i] = months[i]!;
      }
    }
    return r;
  },
  describe: (amount, evidence, lang) => {
    const f = fmt(lang);
    return lang === 'vi'
      ? `Ngừng kê khai; vẫn có doanh thu ${f.mvnd(amount)} trong ${f.int(evidence)} tháng`
      : `Stopped filing; still ${f.mvnd(amount)} of revenue over ${f.int(evidence)} months`;
  },
};

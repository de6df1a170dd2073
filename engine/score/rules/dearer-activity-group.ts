import { fmt } from '../../format.js';
import { col, emptyResult, type Rule } from '../types.js';

/** Registered in a cheaper activity group than the one its marketplace withholding reveals. */
export const dearerActivityGroup: Rule = {
  id: 'WRONG_ACTIVITY_GROUP',
  label_vi: 'Đăng ký nhóm ngành thuế suất thấp hơn nhóm ngành sàn TMĐT đã khấu trừ',
  label_en: 'Registered in a cheaper activity group than the one the marketplace withheld at',
  weight: 0.9,
  evaluate(batch, ctx) {
    const r = emptyResult(batch.n);
    const gmv = col(batch, 'gmv_withheld');
    const months = col(batch, 'platform_months');
    for (let i = 0; i < batch.n; i++) {
      if (ctx.derived.groupMismatch[i]) {
        r.fired[i] = 1;
        r.amount[i] = gmv[i]!;
        r.evidence[i] = months[i]!;
      }
    }
    return r;
  },
  describe: (amount, evidence, lang) => {
    const f = fmt(lang);
    return lang === 'vi'
      ? `Sàn khấu trừ theo nhóm ngành khác trên ${f.mvnd(amount)} doanh thu (${f.int(evidence)} tháng)`
      : `Marketplace withheld at another group's rate on ${f.mvnd(amount)} of sales (${f.int(evidence)} months)`;
  },
};

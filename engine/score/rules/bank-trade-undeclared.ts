import { fmt } from '../../format.js';
import { col, emptyResult, type Rule } from '../types.js';

/** Distinct payers above which bank credits look like sales to the public. */
export const MIN_DISTINCT_PAYERS = 20;

/** Many distinct payers transfer money that looks like sales, beyond what was declared. */
export const bankTradeUndeclared: Rule = {
  id: 'BANK_TRADE_UNDECLARED',
  label_vi: `Nhận chuyển khoản bán hàng từ nhiều người (≥ ${MIN_DISTINCT_PAYERS}) vượt doanh thu kê khai`,
  label_en: `Sales-like transfers from many payers (≥ ${MIN_DISTINCT_PAYERS}) beyond declared revenue`,
  weight: 1.0,
  evaluate(batch, ctx) {
    const r = emptyResult(batch.n);
    const bank = col(batch, 'bank_trade');
    const payers = col(batch, 'distinct_payers');
    const credits = col(batch, 'bank_trade_credits');
    const declared = col(batch, 'declared_revenue');
    for (let i = 0; i < batch.n; i++) {
      if (payers[i]! >= MIN_DISTINCT_PAYERS && bank[i]! > 0.5 * ctx.rules.threshold && bank[i]! > declared[i]!) {
        r.fired[i] = 1;
        r.amount[i] = bank[i]!;
        r.evidence[i] = credits[i]!;
      }
    }
    return r;
  },
  describe: (amount, evidence, lang) => {
    const f = fmt(lang);
    return lang === 'vi'
      ? `${f.int(evidence)} giao dịch chuyển khoản bán hàng, tổng ${f.mvnd(amount)}`
      : `${f.int(evidence)} sales-like bank credits totalling ${f.mvnd(amount)}`;
  },
};

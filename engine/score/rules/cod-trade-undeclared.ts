import { fmt } from '../../format.js';
import { col, emptyResult, type Rule } from '../types.js';

/** Cash-on-delivery sales (delivered, not marketplace parcels) larger than everything declared. */
export const codTradeUndeclared: Rule = {
  id: 'COD_TRADE_UNDECLARED',
  label_vi: 'Doanh thu bán hàng thu hộ (COD) lớn hơn doanh thu kê khai',
  label_en: 'Cash-on-delivery sales larger than declared revenue',
  weight: 1.0,
  evaluate(batch, ctx) {
    const r = emptyResult(batch.n);
    const cod = col(batch, 'cod_sales');
    const parcels = col(batch, 'cod_parcels');
    const declared = col(batch, 'declared_revenue');
    for (let i = 0; i < batch.n; i++) {
      if (cod[i]! > 0.5 * ctx.rules.threshold && cod[i]! > declared[i]!) {
        r.fired[i] = 1;
        r.amount[i] = cod[i]!;
        r.evidence[i] = parcels[i]!;
      }
    }
    return r;
  },
  describe: (amount, evidence, lang) => {
    const f = fmt(lang);
    return lang === 'vi'
      ? `${f.int(evidence)} bưu gửi COD đã giao, tổng ${f.mvnd(amount)}`
      : `${f.int(evidence)} delivered COD parcels totalling ${f.mvnd(amount)}`;
  },
};

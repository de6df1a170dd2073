import { col, emptyResult, type Rule } from '../types.js';

/** One seller behind several shops or identities (names, personal IDs). */
export const splitIdentities: Rule = {
  id: 'SPLIT_IDENTITIES',
  label_vi: 'Một người bán đứng sau nhiều gian hàng / danh tính',
  label_en: 'One seller behind several shops or identities',
  weight: 0.8,
  evaluate(batch) {
    const r = emptyResult(batch.n);
    const names = col(batch, 'distinct_names');
    const ids = col(batch, 'national_ids');
    const shops = col(batch, 'shops');
    const websites = col(batch, 'websites');
    for (let i = 0; i < batch.n; i++) {
      const outlets = shops[i]! + websites[i]!;
      if (outlets >= 2 && (names[i]! >= 2 || ids[i]! >= 2)) {
        r.fired[i] = 1;
        r.evidence[i] = outlets;
        r.amount[i] = Math.max(names[i]!, ids[i]!);
      }
    }
    return r;
  },
  describe: (amount, evidence, lang) =>
    lang === 'vi'
      ? `${evidence} gian hàng/website dưới ${amount} danh tính khác nhau`
      : `${evidence} shops/websites under ${amount} different identities`,
};

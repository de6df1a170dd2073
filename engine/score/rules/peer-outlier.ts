import { formatVnd } from '../money.js';
import { emptyResult, type Rule } from '../types.js';

/** Robust z above which a seller's observed-to-declared ratio stands out from its peers. */
export const PEER_Z = 3.5;

/** Sees far more revenue than declared, compared with sellers of the same activity group and province. */
export const peerOutlier: Rule = {
  id: 'PEER_OUTLIER',
  label_vi: `Tỷ lệ doanh thu quan sát / kê khai vượt xa người bán cùng ngành, cùng tỉnh (z ≥ ${PEER_Z})`,
  label_en: `Observed-to-declared ratio far above peers of the same activity group and province (z ≥ ${PEER_Z})`,
  weight: 0.7,
  evaluate(batch, ctx) {
    const r = emptyResult(batch.n);
    for (let i = 0; i < batch.n; i++) {
      if (ctx.peerZ[i]! >= PEER_Z && ctx.derived.taxGap[i]! > 0) {
        r.fired[i] = 1;
        r.amount[i] = ctx.derived.undeclaredRevenue[i]!;
        r.evidence[i] = Math.round(ctx.peerZ[i]! * 10) / 10;
      }
    }
    return r;
  },
  describe: (amount, evidence, lang) =>
    lang === 'vi'
      ? `Cao bất thường so với người bán cùng ngành, cùng tỉnh (z = ${evidence}); chênh lệch ${formatVnd(amount, 'vi')}`
      : `Unusual among peers of the same group and province (z = ${evidence}); ${formatVnd(amount, 'en')} undeclared`,
};

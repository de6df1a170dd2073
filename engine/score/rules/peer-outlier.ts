import { fmt } from '../../format.js';
import { emptyResult, type Rule } from '../types.js';

/** Robust z above which a seller's observed-to-declared ratio stands out from its peers. */
export const PEER_Z = 3.5;

/** Sees far more revenue than declared, compared with sellers of the same activity group and province. */
export const peerOutlier: Rule = {
  id: 'PEER_OUTLIER',
  // Getters: the number takes the shape of the language people read (z ≥ 3,5 in vi), set after load.
  get label_vi() {
    return `Tỷ lệ doanh thu quan sát / kê khai vượt xa người bán cùng ngành, cùng tỉnh (z ≥ ${fmt().num(PEER_Z)})`;
  },
  get label_en() {
    const z = fmt().num(PEER_Z);
    return `Observed-to-declared ratio far above peers of the same activity group and province (z ≥ ${z})`;
  },
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
  describe: (amount, evidence, lang) => {
    const f = fmt(lang);
    return lang === 'vi'
      ? `Cao bất thường so với người bán cùng ngành, cùng tỉnh (z = ${f.num(evidence, 1)}); ` +
          `chênh lệch ${f.mvnd(amount)}`
      : `Unusual among peers of the same group and province (z = ${f.num(evidence, 1)}); ${f.mvnd(amount)} undeclared`;
  },
};

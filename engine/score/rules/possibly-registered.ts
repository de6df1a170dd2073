import { fmt } from '../../format.js';
import { col, emptyResult, type Rule } from '../types.js';

/**
 * Sells above the threshold with no registry record of its own, but a registered taxpayer shares a
 * contact, a national ID up to a typo, or its name in its province (mart_registry_candidates.sql).
 * The analyst must check the candidate before calling the seller unregistered; the evidence count
 * is the candidate's weight (0..1) and the note its tax code and evidence kinds.
 */
export const possiblyRegistered: Rule = {
  id: 'POSSIBLY_REGISTERED',
  label_vi: 'Có thể đã đăng ký thuế: trùng thông tin với người nộp thuế đã đăng ký',
  label_en: 'Possibly registered: shares details with a registered taxpayer',
  weight: 0.5,
  evaluate(batch, ctx) {
    const r = emptyResult(batch.n);
    const registered = col(batch, 'registered');
    const observed = col(batch, 'observed_revenue');
    const candidate = batch.cols.registry_candidate_weight;
    const text = batch.text?.registry_candidate;
    r.note = new Array<string | null>(batch.n).fill(null);
    if (!candidate) return r;
    for (let i = 0; i < batch.n; i++) {
      if (registered[i] === 0 && observed[i]! > ctx.rules.threshold && candidate[i]! > 0) {
        r.fired[i] = 1;
        r.amount[i] = observed[i]!;
        r.evidence[i] = candidate[i]!;
        r.note[i] = text?.[i] ?? null;
      }
    }
    return r;
  },
  describe: (amount, evidence, lang, note) => {
    const f = fmt(lang);
    const w = f.num(evidence, 2);
    return lang === 'vi'
      ? `Có thể đã đăng ký thuế: ${note ?? 'ứng viên'} (độ tin cậy ${w}); ` +
          `doanh thu quan sát ${f.mvnd(amount)} — kiểm tra trước khi kết luận chưa đăng ký`
      : `Possibly registered: ${note ?? 'candidate'} (weight ${w}); ` +
          `observed revenue ${f.mvnd(amount)} — check before calling it unregistered`;
  },
};

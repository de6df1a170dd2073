import { fmt } from '../../format.js';
import { col, emptyResult, type Rule } from '../types.js';

/**
 * Sells above the threshold with no registry record of its own, but a registered taxpayer shares a
 * contact, a national ID up to a typo, its name in its province, or its address as the pickup
 * place of its parcels (mart_registry_candidates.sql).
 * The analyst must check the candidate before calling the seller unregistered; the evidence count
 * is the candidate's weight (0..1) and the note its tax code and evidence kinds.
 */
/** What each evidence kind of mart_registry_candidates.sql says, for the analyst. */
const evidenceLabels: Record<'vi' | 'en', Record<string, string>> = {
  vi: {
    phone: 'cùng số điện thoại',
    email: 'cùng e-mail',
    account: 'cùng tài khoản',
    phone_other_name: 'cùng số điện thoại nhưng khác tên (có thể người cùng nhà)',
    email_other_name: 'cùng e-mail nhưng khác tên (có thể người cùng nhà, người làm sổ sách)',
    account_other_name: 'cùng tài khoản nhưng khác tên (có thể người cùng nhà)',
    tax_id: 'cùng mã số thuế',
    national_id: 'cùng CCCD',
    national_id_typo: 'CCCD lệch một chữ số',
    declared: 'kê khai phần doanh thu không thấy ở nơi khác, khớp doanh thu quan sát ở đây',
    owner: 'là chủ shop đứng tên',
    payout_account: 'là chủ tài khoản nhận tiền của shop',
    account_shop_owner: 'đứng tên một shop khác nhận tiền vào cùng tài khoản',
    name_province: 'cùng tên, cùng tỉnh',
    name_no_province: 'cùng tên (ít người trùng)',
    name_other_province: 'cùng tên, tỉnh khác',
    pickup_address: 'bưu gửi lấy tại địa chỉ của người nộp thuế',
    holder_household: 'ở cùng nhà với người đứng tên tài khoản (theo tên)',
  },
  en: {
    phone: 'same phone',
    email: 'same e-mail',
    account: 'same account',
    phone_other_name: 'same phone, another name (a housemate, likely)',
    email_other_name: 'same e-mail, another name (a housemate or bookkeeper, likely)',
    account_other_name: 'same account, another name (a housemate, likely)',
    tax_id: 'same tax code',
    national_id: 'same national ID',
    national_id_typo: 'national ID one digit apart',
    declared: 'declares revenue seen nowhere else of it, matching the revenue seen here',
    owner: "the shop's declared owner",
    payout_account: "holds the account the shop's payouts go to",
    account_shop_owner: 'declares another shop paid into the same account',
    name_province: 'same name, same province',
    name_no_province: 'same rare name',
    name_other_province: 'same name, another province',
    pickup_address: "parcels picked up at the taxpayer's address",
    holder_household: "lives at the house of the account's holder (by his name)",
  },
};

/** "0100109106 (name_province, phone)" → the kinds as words, the codes kept: "… (name_province: same name …; …)". */
function labelEvidence(note: string, lang: 'vi' | 'en'): string {
  return note.replace(/\(([a-z_, ]+)\)$/, (_, kinds: string) => {
    const words = kinds.split(', ').map((k) => (evidenceLabels[lang][k] ? `${k}: ${evidenceLabels[lang][k]}` : k));
    return `(${words.join('; ')})`;
  });
}

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
    const said = note ? labelEvidence(note, lang) : null;
    return lang === 'vi'
      ? `Có thể đã đăng ký thuế: ${said ?? 'ứng viên'} (độ tin cậy ${w}); ` +
          `doanh thu quan sát ${f.mvnd(amount)} — kiểm tra trước khi kết luận chưa đăng ký`
      : `Possibly registered: ${said ?? 'candidate'} (weight ${w}); ` +
          `observed revenue ${f.mvnd(amount)} — check before calling it unregistered`;
  },
};

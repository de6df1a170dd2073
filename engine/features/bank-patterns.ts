/**
 * How bank credits are told apart, as regular expressions over diacritic-free, lower-case text
 * (counterparty name + description as typed by the payer). A credit matching none is trade.
 * These are defaults; the config can replace them.
 */
export const bankPatterns = {
  /** The carrier paying collected COD cash back: the same sales as the parcels. */
  carrierRemittance:
    '(giao hang nhanh|\\bghn\\b|\\bghtk\\b|giao hang tiet kiem|giaohangtietkiem|viettel ' +
    '?post|\\bvtp\\b|vnpost|buu dien|j&t|\\bjnt\\b|j t express|\\bspx\\b|shopee express|ninja ?van|best ' +
    'express|doi soat cod|cod phien|chuyen tien cod|tt cod)',
  /** A marketplace paying out sales: the same sales as the GMV. */
  platformPayout: '(shopee|lazada|\\btiki\\b|tiktok|sendo|payout|thanh toan tu san|doanh thu san)',
  /**
   * Salaries, family transfers, loans, refunds: money that is not a sale. Each phrase is whole
   * syllables (`\\b` on both ends): a buyer's `chuyen khoan tien hang` (a transfer for goods) holds
   * `hoan tien` (refund) inside `khoan tien`, and `chuyen khoan tra tien hang` holds `hoan tra`
   * (issue 14, rel9: 1,414 buyer transfers, 2.6 bn VND, read as refunds on `relative-account`).
   * Rent and tuition are not here: only credits are classified, and rent (`tien nha`) or tuition
   * (`hoc phi`) paid *into* an account is a landlord's or a tutor's takings, taxable as property
   * lease or services (docs/domain.md); a family's help with them reads `me gui`, `gui tien an hoc`…
   * (issue 14, rent15: on the independent worlds 11 landlords' and tutors' accounts in the top 100,
   * their takings read as private, looked undeclared beside their own returns).
   */
  private:
    '\\b(\\bluong\\b|tien luong|salary|thuong tet|\\bme gui\\b|\\bbo gui\\b|\\bgui con\\b|con gui me|' +
    'gui bo me|cho con|\\bme cho\\b|chuyen tien cho em|\\banh gui\\b|\\bchi gui\\b|gui tien an hoc|' +
    'gui tien sinh hoat|' +
    'tra no|\\bvay\\b|cho vay|hoan tien|\\brefund\\b|hoan tra|mung cuoi|sinh nhat|bieu bo me|' +
    // collections for a class fund, a party, a rotating savings group (hụi): many payers, no sales
    'gop tien|quy lop|lien hoan|di choi|\\bhui\\b)\\b',
  /**
   * A whole description (lower case, no diacritics) that names nothing but a transfer: empty, `ck`,
   * `chuyen tien`, `chuyen khoan`, after the payer's name or a bank's reference. A buyer writes it, and
   * so does a relative: such trade credits may be the holder's own money (engine/score/gap.ts).
   */
  unnamedTransfer: '^\\s*((mbvcb|ibft|ft)[a-z0-9.]*\\s+)?(([a-z]+\\s+)*(chuyen tien|chuyen khoan|ck))?\\s*$',
} as const;

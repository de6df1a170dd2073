/**
 * How bank credits are told apart, as regular expressions over diacritic-free, lower-case text
 * (counterparty name + description as typed by the payer). A credit matching none is trade.
 * These are defaults; the config can replace them.
 */
export const bankPatterns = {
  /** The carrier paying collected COD cash back: the same sales as the parcels. */
  carrierRemittance:
    '(giao hang nhanh|\\bghn\\b|\\bghtk\\b|giao hang tiet kiem|viettel ?post|\\bvtp\\b|vnpost|buu dien|j&t|\\bjnt\\b|j t express|\\bspx\\b|shopee express|ninja ?van|best express|doi soat cod|\\bcod\\b)',
  /** A marketplace paying out sales: the same sales as the GMV. */
  platformPayout: '(shopee|lazada|\\btiki\\b|tiktok|sendo|payout|thanh toan tu san|doanh thu san)',
  /** Salaries, family transfers, loans, refunds: money that is not a sale. */
  private:
    '(\\bluong\\b|tien luong|salary|thuong tet|\\bme gui\\b|\\bbo gui\\b|\\bgui con\\b|cho con|\\bme cho\\b|tra no|\\bvay\\b|cho vay|hoan tien|\\brefund\\b|hoan tra|tien nha|hoc phi|mung cuoi|sinh nhat|bieu bo me)',
} as const;

import { activityVariables } from './activity-terms.js';
import { bankPatterns } from './bank-patterns.js';

/** A remittance account collecting COD cash for this many distinct senders is a marketplace's, not a seller's. */
export const SHARED_REMIT_MIN_SENDERS = 10;

/**
 * A sender name a fulfilment service trades under (`Kho hàng An Phát`, `Kho vận …`, `Dịch vụ kho …`,
 * `Fulfillment …`, and `Hà Thành Logistics`, `An Phát Fulfillment`: the word anywhere, lg54), on name
 * keys: its phone is the warehouse's (int_cod_senders.sql, issue 14).
 */
export const WAREHOUSE_NAME = '^(kho|dich vu kho|fulfill?ment)( |$)|(^| )(logistics|fulfill?ment)( |$)';

/**
 * An enterprise's name, on name keys: the form the law makes it carry (Công ty TNHH / cổ phần, DNTN,
 * hợp tác xã, a branch; JSC, Co. Ltd in English). A bank opens an account in its holder's legal name,
 * so a holder's name without one is a person's (int_identity_records.sql, issue 14 bh48 / co48).
 */
export const COMPANY_FORM =
  '(^| )(cong ty|cty|tnhh|co phan|cp|doanh nghiep|dntn|hop tac xa|htx|chi nhanh|hkd|jsc|ltd|corp|company)( |$)';

/**
 * The DuckDB variables the intermediate and mart models read with getvariable(): the tax year and
 * the classification parameters. One place, so a run and a test build the same features.
 *
 * @example await setVariables(db, featureVariables(2025));
 */
export function featureVariables(taxYear: number): Record<string, string | number> {
  return {
    tax_year: taxYear,
    shared_remit_min_senders: SHARED_REMIT_MIN_SENDERS,
    re_carrier_remittance: bankPatterns.carrierRemittance,
    re_platform_payout: bankPatterns.platformPayout,
    re_private: bankPatterns.private,
    re_unnamed_transfer: bankPatterns.unnamedTransfer,
    re_warehouse_name: WAREHOUSE_NAME,
    re_company_form: COMPANY_FORM,
    ...activityVariables(),
  };
}

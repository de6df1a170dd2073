/** Identifier normalisation: pure functions (one file per identifier kind) and their SQL twins. */
export { collapseSpaces, stripDiacritics, textKey, type Raw } from './text.js';
export { normPhone } from './phone.js';
export { normTaxId, isValidMst10, mstCheckDigit, MST_WEIGHTS, type TaxId, type TaxIdKind } from './tax-id.js';
export { normNationalId } from './national-id.js';
export { normName, type NormName } from './name.js';
export { normEmail } from './email.js';
export { normDomain } from './domain.js';
export { normAccount, normBank, bankAliases } from './account.js';
export {
  normProvince,
  provinceOfAddress,
  provinceKey,
  provinceAliases,
  currentProvinces,
  oldToCurrent,
  type Province,
} from './province.js';
export { normMoney, type MoneyFormat } from './money.js';
export { normDate, normPeriod, type DateFormat, type Period } from './date.js';
export { installNormalizeMacros, normalizeMacrosSql, normalizeRefTablesSql } from './sql.js';

/**
 * One row of the analyst's case list (cases.csv / .xlsx / .parquet / .json), and the ordered
 * column catalogue every writer follows. The contract's required columns come first, in the
 * contract's order; lists are string arrays here and `|`-joined in files.
 */

/** How a column is typed in files: whole numbers, VND amounts, 0–1 scores, text, `|` lists, 0/1 flags, years. */
export type ColumnKind = 'int' | 'vnd' | 'score' | 'text' | 'list' | 'flag' | 'year';

/** One seller entity on the case list, best first. `null` / `''` / `[]` mean unknown. */
export interface CaseRow {
  rank: number;
  entity_id: string;
  /** 0–1. */
  risk_score: number;
  expected_yield_vnd: number | null;
  estimated_revenue_vnd: number | null;
  declared_revenue_vnd: number | null;
  undeclared_revenue_vnd: number | null;
  tax_gap_vnd: number | null;
  name: string | null;
  tax_ids: string[];
  national_ids: string[];
  phones: string[];
  /** One of the 34 current provinces. */
  province: string | null;
  sources: string[];
  reason_codes: string[];
  /** Readable text, one entry per reason code, same order. */
  reasons: string[];
  /** 1 = drawn at random for the control slice, 0 = selected by score. */
  control_slice: number;
  tax_year: number | null;
  /** Empty when the tax is an expectation over a mix of groups (see `tax_rate_basis`). */
  activity_group: string | null;
  /** VAT + PIT rate the tax was computed at (a fraction; share-weighted for a mix). */
  tax_rate: number | null;
  /** Lowest and highest rate the seller could owe. */
  tax_rate_min: number | null;
  tax_rate_max: number | null;
  /** Where the rate came from, in the output language. */
  tax_rate_basis: string | null;
  platform_revenue_vnd: number | null;
  cod_revenue_vnd: number | null;
  bank_revenue_vnd: number | null;
  tax_withheld_vnd: number | null;
  emails: string[];
  accounts: string[];
  domains: string[];
  shops: string[];
  record_count: number | null;
}

export type CaseColumnName = keyof CaseRow;

export interface CaseColumn {
  name: CaseColumnName;
  kind: ColumnKind;
  label_vi: string;
  label_en: string;
  /** Required by the input/output contract (docs/contract.md, "What a run writes"). */
  required: boolean;
  /** Spreadsheet column width in characters. */
  width: number;
}

/** A reason code the scorer used, explained for the analyst (xlsx second sheet, report). */
export interface ReasonInfo {
  code: string;
  label_vi: string;
  label_en: string;
}

const col = (
  name: CaseColumnName,
  kind: ColumnKind,
  width: number,
  label_vi: string,
  label_en: string,
  required = false,
): CaseColumn => ({
  name,
  kind,
  label_vi,
  label_en,
  required,
  width,
});

/**
 * The case-list columns in file order.
 *
 * @example caseColumns.map((c) => c.name).slice(0, 3) // ['rank', 'entity_id', 'risk_score']
 */
export const caseColumns: readonly CaseColumn[] = [
  col('rank', 'int', 7, 'Thứ hạng (1 = ưu tiên kiểm tra nhất)', 'Rank (1 = review first)', true),
  col(
    'entity_id',
    'text',
    16,
    'Mã thực thể người bán do hệ thống gán',
    'Seller entity id assigned by the engine',
    true,
  ),
  col('risk_score', 'score', 9, 'Điểm rủi ro (0–1)', 'Risk score (0–1)', true),
  col(
    'expected_yield_vnd',
    'vnd',
    16,
    'Số thuế kỳ vọng thu được (VND) = điểm rủi ro × chênh lệch thuế',
    'Expected tax yield (VND) = risk score × tax gap',
    true,
  ),
  col(
    'estimated_revenue_vnd',
    'vnd',
    16,
    'Doanh thu ước tính từ mọi nguồn, không tính trùng (VND)',
    'Estimated revenue from all sources, counted once (VND)',
    true,
  ),
  col('declared_revenue_vnd', 'vnd', 16, 'Doanh thu đã kê khai (VND)', 'Declared revenue (VND)', true),
  col(
    'undeclared_revenue_vnd',
    'vnd',
    16,
    'Doanh thu chưa kê khai ước tính (VND)',
    'Estimated undeclared revenue (VND)',
    true,
  ),
  col('tax_gap_vnd', 'vnd', 16, 'Chênh lệch thuế ước tính (VND)', 'Estimated tax gap (VND)', true),
  col('name', 'text', 28, 'Tên người bán', 'Seller name', true),
  col('tax_ids', 'list', 16, 'Mã số thuế', 'Tax codes (MST)', true),
  col('national_ids', 'list', 16, 'Số CCCD / định danh cá nhân', 'National ID numbers (CCCD)', true),
  col('phones', 'list', 14, 'Số điện thoại', 'Phone numbers', true),
  col(
    'province',
    'text',
    16,
    'Tỉnh/thành phố (34 đơn vị sau sáp nhập)',
    'Province (one of the 34 current provinces)',
    true,
  ),
  col('sources', 'list', 20, 'Nguồn dữ liệu có bản ghi của người bán', 'Sources holding records of the seller', true),
  col('reason_codes', 'list', 20, 'Mã lý do', 'Reason codes', true),
  col('reasons', 'list', 60, 'Lý do (diễn giải)', 'Reasons (readable text)', true),
  col(
    'control_slice',
    'flag',
    8,
    'Mẫu đối chứng ngẫu nhiên (1 = chọn ngẫu nhiên)',
    'Random control case (1 = drawn at random)',
  ),
  col('tax_year', 'year', 8, 'Năm tính thuế', 'Tax year'),
  col('activity_group', 'text', 14, 'Nhóm ngành nghề (quyết định thuế suất)', 'Activity group (selects the tax rate)'),
  col(
    'tax_rate',
    'score',
    8,
    'Thuế suất GTGT + TNCN đã dùng (tỷ lệ trên doanh thu)',
    'VAT + PIT rate used (share of revenue)',
  ),
  col('tax_rate_min', 'score', 8, 'Thuế suất thấp nhất có thể', 'Lowest rate the seller could owe'),
  col('tax_rate_max', 'score', 8, 'Thuế suất cao nhất có thể', 'Highest rate the seller could owe'),
  col(
    'tax_rate_basis',
    'text',
    40,
    'Căn cứ thuế suất (khấu trừ của sàn, đăng ký thuế, từ ngữ, hoặc cơ cấu ngành của người bán đã đăng ký)',
    'Basis of the rate (marketplace withholding, registry, words, or the mix of registered sellers)',
  ),
  col('platform_revenue_vnd', 'vnd', 16, 'Doanh thu trên sàn TMĐT (VND)', 'Marketplace revenue (VND)'),
  col('cod_revenue_vnd', 'vnd', 16, 'Doanh thu thu hộ COD đã giao (VND)', 'Delivered cash-on-delivery revenue (VND)'),
  col(
    'bank_revenue_vnd',
    'vnd',
    16,
    'Tiền nhận qua ngân hàng được coi là doanh thu (VND)',
    'Bank credits counted as sales (VND)',
  ),
  col('tax_withheld_vnd', 'vnd', 16, 'Thuế sàn đã khấu trừ, nộp thay (VND)', 'Tax withheld by platforms (VND)'),
  col('emails', 'list', 20, 'Thư điện tử', 'E-mail addresses'),
  col('accounts', 'list', 20, 'Tài khoản ngân hàng (ngân hàng:số TK)', 'Bank accounts (bank:number)'),
  col('domains', 'list', 20, 'Tên miền / ứng dụng bán hàng', 'Sales websites / apps'),
  col('shops', 'list', 20, 'Gian hàng trên sàn (sàn:mã gian hàng)', 'Marketplace shops (platform:shop id)'),
  col('record_count', 'int', 8, 'Số bản ghi nguồn gắn với người bán', 'Source records linked to the seller'),
];

/** Column kinds written as numbers (never formula-neutralised, never masked). */
export const isNumericKind = (kind: ColumnKind): boolean =>
  kind === 'int' || kind === 'vnd' || kind === 'score' || kind === 'flag' || kind === 'year';

/** Separator of list cells in csv, xlsx and parquet. */
export const listSeparator = '|';

/**
 * A list cell as one string.
 *
 * @example joinList(['0912345678', '0987654321']) // '0912345678|0987654321'
 */
export const joinList = (values: readonly string[] | null | undefined): string => (values ?? []).join(listSeparator);

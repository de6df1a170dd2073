import { sources, type SourceName } from './sources.js';

/**
 * Header recognition: which file column feeds which contract column, from a built-in dictionary
 * of the names agencies and banks really write (Vietnamese with or without diacritics, English,
 * abbreviations such as `MST`, `CCCD`, `SĐT`, `STK`). docs/ingest.md, "Header recognition",
 * lists the dictionary.
 */

export interface HeaderMapping {
  /**
   * The contract columns found in the file, in contract order: the file column (as written) and
   * its 0-based position, and how it was recognised (`config`: `ingest.sources.<source>.rename`;
   * `exact`: the contract name, any case/spacing; `synonym`: the dictionary). `fileColumn` is never
   * null here; the type allows it for callers listing every contract column.
   */
  columns: Array<{
    contract: string;
    fileColumn: string | null;
    fileIndex: number;
    how: 'exact' | 'synonym' | 'config';
  }>;
  /** Required contract columns no file column maps to (ambiguous ones included). */
  missingRequired: string[];
  /** Non-empty file columns that map to no contract column (kept out of the load). */
  ignored: string[];
  /**
   * Contract columns two or more file columns map to with the same confidence: the file says
   * nothing about which one holds the data.
   */
  ambiguous: Array<{ contract: string; candidates: string[] }>;
  /** Ignored file columns close (edit distance) to a name of a contract column not found. */
  suggestions: Array<{ fileColumn: string; didYouMean: string }>;
}

/**
 * A header as compared: NFC, diacritics stripped, `đ` → `d`, lower case, every run of
 * punctuation, `_` and spaces → one space.
 *
 * @example normalizeHeader('  Số ĐT/Di động ') // 'so dt di dong'
 */
export function normalizeHeader(h: string): string {
  return h
    .normalize('NFC')
    .replace(/[đĐ]/g, 'd')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

// Names shared by several sources' columns (the same thing under another role: owner, holder, sender…).
const TAX_ID = [
  'MST',
  'Mã số thuế',
  'Mã số thuế cá nhân',
  'Mã số DN',
  'Mã số doanh nghiệp',
  'Mã doanh nghiệp',
  'Tax ID',
  'Tax code',
  'TIN',
];
const NATIONAL_ID = [
  'CCCD',
  'Số CCCD',
  'CMND',
  'Số CMND',
  'CMND/CCCD',
  'Số CMND/CCCD',
  'CCCD/CMND',
  'Số CCCD/CMND',
  'Căn cước công dân',
  'Số căn cước',
  'Số căn cước công dân',
  'Số định danh',
  'Số định danh cá nhân',
  'Mã định danh',
  'National ID',
  'ID number',
  'Citizen ID',
];
const PHONE = [
  'SĐT',
  'Số ĐT',
  'ĐT',
  'Số điện thoại',
  'Điện thoại',
  'Điện thoại di động',
  'Số di động',
  'Di động',
  'Phone',
  'Phone number',
  'Mobile',
  'Tel',
];
const EMAIL = ['E-mail', 'Thư điện tử', 'Địa chỉ email', 'Địa chỉ thư điện tử', 'Email address', 'Mail'];
const ADDRESS = ['Địa chỉ', 'Address', 'Địa chỉ liên hệ'];
const PROVINCE = [
  'Tỉnh',
  'Tỉnh/Thành phố',
  'Tỉnh/TP',
  'Tỉnh thành',
  'Tỉnh/Thành',
  'Thành phố',
  'Province',
  'City/Province',
];
const PERSON_NAME = ['Họ và tên', 'Họ tên', 'Full name'];
const BANK = ['Ngân hàng', 'Mã ngân hàng', 'Mã NH', 'Tên ngân hàng', 'NH', 'Bank', 'Bank code', 'Bank name'];
const ACCOUNT = ['STK', 'Số tài khoản', 'Số TK', 'Tài khoản', 'TK', 'Account', 'Account number', 'Account no'];
const PERIOD = ['Kỳ', 'Kỳ tính thuế', 'Kỳ kê khai', 'Kỳ báo cáo', 'Kỳ dữ liệu', 'Period'];
const STATUS = ['Trạng thái', 'Tình trạng', 'Status'];

/**
 * The dictionary: per source, contract column → the header names it is recognised under (the
 * contract name itself always is). Within one source a name maps to one column only (a unit test
 * holds it to that).
 */
export const headerSynonyms: Record<SourceName, Record<string, readonly string[]>> = {
  taxpayers: {
    tax_id: TAX_ID,
    taxpayer_type: ['Loại NNT', 'Loại người nộp thuế', 'Loại hình', 'Loại hình NNT', 'Taxpayer type', 'Type'],
    name: [
      'Tên người nộp thuế',
      'Tên NNT',
      'Tên',
      'Tên doanh nghiệp',
      'Tên hộ kinh doanh',
      'Tên HKD',
      'Tên đơn vị',
      'Name',
      'Taxpayer name',
      ...PERSON_NAME,
    ],
    national_id: NATIONAL_ID,
    phone: PHONE,
    email: EMAIL,
    address: [...ADDRESS, 'Địa chỉ kinh doanh', 'Địa chỉ trụ sở', 'Địa chỉ đăng ký'],
    ward: ['Phường/Xã', 'Phường', 'Xã', 'Xã/Phường', 'Ward', 'Commune'],
    province: PROVINCE,
    activity_group: [
      'Nhóm ngành',
      'Nhóm ngành nghề',
      'Ngành nghề',
      'Ngành nghề kinh doanh',
      'Activity',
      'Activity group',
    ],
    registered_on: ['Ngày đăng ký', 'Ngày cấp MST', 'Ngày cấp', 'Ngày đăng ký thuế', 'Registration date', 'Registered'],
    status: [...STATUS, 'Trạng thái MST', 'Trạng thái hoạt động'],
  },
  declarations: {
    tax_id: TAX_ID,
    period: PERIOD,
    declared_revenue: [
      'Doanh thu',
      'Doanh thu kê khai',
      'Doanh thu khai báo',
      'Tổng doanh thu',
      'Doanh thu tính thuế',
      'Revenue',
      'Declared revenue',
    ],
    tax_paid: ['Số thuế đã nộp', 'Thuế đã nộp', 'Số thuế nộp', 'Số tiền đã nộp', 'Tiền thuế đã nộp', 'Tax paid'],
    filed_on: ['Ngày nộp', 'Ngày nộp tờ khai', 'Ngày kê khai', 'Ngày nộp TK', 'Filing date', 'Filed'],
  },
  platform_sellers: {
    platform: ['Sàn', 'Sàn TMĐT', 'Sàn thương mại điện tử', 'Nền tảng', 'Platform', 'Marketplace'],
    shop_id: ['Mã shop', 'Mã gian hàng', 'ID shop', 'Shop ID', 'Mã cửa hàng', 'Mã người bán', 'Seller ID'],
    shop_name: ['Tên shop', 'Tên gian hàng', 'Tên cửa hàng', 'Shop name', 'Store name'],
    owner_name: [
      'Chủ shop',
      'Tên chủ shop',
      'Chủ gian hàng',
      'Tên chủ gian hàng',
      'Tên người bán',
      'Owner',
      'Owner name',
      ...PERSON_NAME,
    ],
    owner_national_id: NATIONAL_ID,
    owner_tax_id: TAX_ID,
    phone: PHONE,
    email: EMAIL,
    address: ADDRESS,
    province: PROVINCE,
    payout_bank: [...BANK, 'Ngân hàng nhận thanh toán', 'Payout bank'],
    payout_account: [...ACCOUNT, 'Tài khoản nhận thanh toán', 'STK nhận thanh toán', 'Payout account'],
    period: [...PERIOD, 'Tháng'],
    gmv: [
      'GMV',
      'Doanh số',
      'Doanh thu',
      'Tổng giá trị đơn hàng',
      'Giá trị đơn hàng',
      'Tổng giá trị giao dịch',
      'Giá trị giao dịch',
    ],
    orders: ['Số đơn', 'Số đơn hàng', 'Đơn hàng', 'Số lượng đơn', 'Orders', 'Order count'],
    tax_withheld: [
      'Thuế đã khấu trừ',
      'Thuế khấu trừ',
      'Thuế khấu trừ nộp thay',
      'Số thuế khấu trừ',
      'Thuế nộp thay',
      'Tax withheld',
    ],
  },
  websites: {
    domain: [
      'Tên miền',
      'Domain',
      'Domain name',
      'Website',
      'Địa chỉ website',
      'Địa chỉ tên miền',
      'URL',
      'Tên ứng dụng',
      'App',
    ],
    kind: ['Loại', 'Loại hình', 'Loại website', 'Phân loại', 'Kind', 'Type'],
    owner_name: [
      'Chủ sở hữu',
      'Tên chủ sở hữu',
      'Tổ chức/cá nhân',
      'Tên tổ chức/cá nhân',
      'Owner',
      'Owner name',
      ...PERSON_NAME,
    ],
    owner_tax_id: TAX_ID,
    owner_national_id: NATIONAL_ID,
    phone: PHONE,
    email: EMAIL,
    address: ADDRESS,
    province: PROVINCE,
    notified_on: [
      'Ngày thông báo',
      'Ngày đăng ký',
      'Ngày thông báo/đăng ký',
      'Ngày xác nhận',
      'Notified',
      'Notification date',
    ],
    status: STATUS,
  },
  cod_shipments: {
    carrier: ['Đơn vị vận chuyển', 'ĐVVC', 'Hãng vận chuyển', 'Nhà vận chuyển', 'Carrier'],
    waybill: [
      'Mã vận đơn',
      'Mã VĐ',
      'Số vận đơn',
      'Vận đơn',
      'Mã bưu gửi',
      'Số hiệu bưu gửi',
      'Waybill',
      'Tracking number',
      'Tracking code',
    ],
    sender_name: [
      'Người gửi',
      'Tên người gửi',
      'Họ tên người gửi',
      'Tên shop',
      'Sender',
      'Sender name',
      ...PERSON_NAME,
    ],
    sender_phone: ['SĐT người gửi', 'Số điện thoại người gửi', 'Điện thoại người gửi', 'Sender phone', ...PHONE],
    sender_address: ['Địa chỉ người gửi', 'Địa chỉ lấy hàng', 'Địa chỉ gửi', 'Sender address', ...ADDRESS],
    sender_province: ['Tỉnh người gửi', 'Tỉnh gửi', 'Tỉnh lấy hàng', 'Sender province', ...PROVINCE],
    picked_up_on: [
      'Ngày lấy hàng',
      'Ngày gửi',
      'Ngày lấy',
      'Ngày gửi hàng',
      'Ngày nhận gửi',
      'Pickup date',
      'Picked up',
    ],
    cod_amount: ['Tiền thu hộ', 'Số tiền thu hộ', 'Thu hộ', 'COD', 'Tiền COD', 'Số tiền COD', 'Số tiền', 'COD amount'],
    status: [...STATUS, 'Trạng thái đơn', 'Trạng thái vận đơn'],
    remit_bank: [...BANK, 'Ngân hàng nhận tiền', 'Ngân hàng nhận'],
    remit_account: [...ACCOUNT, 'Tài khoản nhận tiền', 'STK nhận tiền', 'TK nhận tiền'],
  },
  bank_transactions: {
    bank: BANK,
    account: ACCOUNT,
    holder_name: [
      'Tên chủ tài khoản',
      'Chủ tài khoản',
      'Tên tài khoản',
      'Tên chủ TK',
      'Chủ TK',
      'Account name',
      'Account holder',
      ...PERSON_NAME,
    ],
    holder_national_id: NATIONAL_ID,
    holder_tax_id: TAX_ID,
    txn_id: [
      'Mã giao dịch',
      'Mã GD',
      'Số giao dịch',
      'Số GD',
      'Số tham chiếu',
      'Mã tham chiếu',
      'Số bút toán',
      'Số chứng từ',
      'Số CT',
      'Transaction ID',
      'Reference',
      'Ref no',
    ],
    booked_at: [
      'Ngày giao dịch',
      'Ngày GD',
      'Thời gian giao dịch',
      'Thời gian GD',
      'Thời gian',
      'Ngày hạch toán',
      'Ngày giờ giao dịch',
      'Transaction date',
      'Booking date',
      'Date',
    ],
    amount: ['Số tiền', 'Số tiền giao dịch', 'Số tiền GD', 'Giá trị giao dịch', 'Amount', 'Transaction amount'],
    direction: [
      'Loại giao dịch',
      'Loại GD',
      'Nợ/Có',
      'Ghi nợ/Ghi có',
      'Chiều',
      'Chiều giao dịch',
      'Loại',
      'Debit/Credit',
      'D/C',
      'Dr/Cr',
    ],
    counterparty_bank: [
      'Ngân hàng đối ứng',
      'NH đối ứng',
      'Ngân hàng đối tác',
      'Ngân hàng người chuyển/nhận',
      'Counterparty bank',
    ],
    counterparty_account: [
      'Tài khoản đối ứng',
      'TK đối ứng',
      'STK đối ứng',
      'Số TK đối ứng',
      'Số tài khoản đối ứng',
      'Counterparty account',
    ],
    counterparty_name: [
      'Tên đối ứng',
      'Tên TK đối ứng',
      'Tên tài khoản đối ứng',
      'Đơn vị đối ứng',
      'Người đối ứng',
      'Tên người chuyển/nhận',
      'Counterparty name',
      'Counterparty',
    ],
    description: [
      'Nội dung',
      'Diễn giải',
      'Nội dung giao dịch',
      'Nội dung chuyển khoản',
      'Nội dung CK',
      'Mô tả',
      'Description',
      'Memo',
      'Narrative',
      'Remarks',
    ],
  },
  outcomes: {
    subject_type: ['Loại đối tượng', 'Loại định danh', 'Subject type'],
    subject_id: ['Mã đối tượng', 'Định danh đối tượng', 'Đối tượng', 'Subject ID', 'Subject'],
    period: PERIOD,
    result: ['Kết quả', 'Kết luận', 'Kết quả kiểm tra', 'Result', 'Outcome'],
    assessed_revenue: ['Doanh thu xác định', 'Doanh thu ấn định', 'Doanh thu truy thu', 'Assessed revenue'],
    assessed_tax: ['Thuế truy thu', 'Số thuế truy thu', 'Thuế ấn định', 'Số thuế ấn định', 'Assessed tax'],
    closed_on: ['Ngày kết thúc', 'Ngày kết luận', 'Ngày đóng', 'Ngày đóng hồ sơ', 'Closed', 'Closed on'],
    selection: ['Hình thức chọn', 'Cách chọn', 'Lý do chọn', 'Selection'],
  },
};

interface SourceIndex {
  /** normalised contract name → contract column */
  exact: Map<string, string>;
  /** normalised synonym → contract column */
  synonym: Map<string, string>;
}

const indexes = new Map<SourceName, SourceIndex>();

/** The dictionary of one source, by normalised name (built once). */
export function synonymIndex(source: SourceName): SourceIndex {
  let idx = indexes.get(source);
  if (idx) return idx;
  idx = { exact: new Map(), synonym: new Map() };
  for (const col of sources[source].columns) {
    idx.exact.set(normalizeHeader(col.name), col.name);
    for (const s of headerSynonyms[source][col.name] ?? []) {
      const n = normalizeHeader(s);
      if (!idx.synonym.has(n)) idx.synonym.set(n, col.name);
    }
  }
  indexes.set(source, idx);
  return idx;
}

const RANK = { config: 0, exact: 1, synonym: 2 } as const;

/**
 * Maps a file's header to a source's contract columns: `override` first (the config's `rename`,
 * their column → contract column, compared normalised), then contract names (any case, spacing,
 * diacritics), then the dictionary. Two file columns mapping to one contract column at the same
 * level are ambiguous (neither is used); a higher level wins over a lower one.
 *
 * @example mapHeaders('bank_transactions', ['Ngày GD', 'Số tiền', 'STK', 'Ghi chu'])
 *   // columns: account ← STK (synonym), booked_at ← Ngày GD, amount ← Số tiền; ignored: ['Ghi chu']
 */
export function mapHeaders(
  source: SourceName,
  fileHeaders: string[],
  override?: Record<string, string>,
  /** Further names per column, tried in order when the header itself names no column (a two-row header's
   * group and sub-header, joined: `joinTwoRowHeader`). */
  alternatives?: readonly (readonly string[] | undefined)[],
): HeaderMapping {
  const spec = sources[source];
  const idx = synonymIndex(source);
  const overrides = new Map<string, string>();
  for (const [theirs, ours] of Object.entries(override ?? {})) overrides.set(normalizeHeader(theirs), ours);
  // contract column → candidates at the best level seen so far
  const found = new Map<string, { how: keyof typeof RANK; at: number[] }>();
  const claimed = new Set<number>();
  fileHeaders.forEach((h, i) => {
    if (normalizeHeader(h ?? '') === '') return;
    let contract: string | undefined;
    let how: keyof typeof RANK = 'synonym';
    for (const name of [h ?? '', ...(alternatives?.[i] ?? [])]) {
      const n = normalizeHeader(name);
      if (overrides.has(n)) {
        contract = overrides.get(n);
        how = 'config';
      } else if (idx.exact.has(n)) {
        contract = idx.exact.get(n);
        how = 'exact';
      } else {
        contract = idx.synonym.get(n);
        how = 'synonym';
      }
      if (contract !== undefined) break;
    }
    if (contract === undefined || !spec.columns.some((c) => c.name === contract)) return;
    claimed.add(i);
    const prev = found.get(contract);
    if (!prev || RANK[how] < RANK[prev.how]) found.set(contract, { how, at: [i] });
    else if (RANK[how] === RANK[prev.how]) prev.at.push(i);
  });
  const columns: HeaderMapping['columns'] = [];
  const ambiguous: HeaderMapping['ambiguous'] = [];
  const used = new Set<number>();
  for (const col of spec.columns) {
    const f = found.get(col.name);
    if (!f) continue;
    if (f.at.length > 1) {
      ambiguous.push({ contract: col.name, candidates: f.at.map((i) => fileHeaders[i]!) });
      for (const i of f.at) used.add(i);
      continue;
    }
    used.add(f.at[0]!);
    columns.push({ contract: col.name, fileColumn: fileHeaders[f.at[0]!]!, fileIndex: f.at[0]!, how: f.how });
  }
  const mapped = new Set(columns.map((c) => c.contract));
  const missingRequired = spec.columns.filter((c) => c.required && !mapped.has(c.name)).map((c) => c.name);
  // A file column claimed by a contract column a better one won stays ignored (e.g. `SĐT` beside `phone`).
  const ignored = fileHeaders.filter((h, i) => !used.has(i) && normalizeHeader(h ?? '') !== '');
  const suggestions: HeaderMapping['suggestions'] = [];
  for (const [i, h] of fileHeaders.entries()) {
    if (used.has(i) || claimed.has(i)) continue;
    const guess = closestColumn(idx, normalizeHeader(h ?? ''), mapped);
    if (guess) suggestions.push({ fileColumn: h, didYouMean: guess });
  }
  return { columns, missingRequired, ignored, ambiguous, suggestions };
}

/** The contract column (not already mapped) whose name or synonym is within a small edit distance of `n`. */
function closestColumn(idx: SourceIndex, n: string, mapped: ReadonlySet<string>): string | undefined {
  if (n.length < 3) return undefined;
  let best: { column: string; d: number } | undefined;
  for (const names of [idx.exact, idx.synonym]) {
    for (const [name, column] of names) {
      if (mapped.has(column) || Math.abs(name.length - n.length) > 2) continue;
      const d = editDistance(n, name);
      // One edit per 4 letters, at most 2: `so tein` → `so tien`, never `ten` → `tk`.
      if (d <= Math.min(2, Math.floor(Math.min(n.length, name.length) / 4)) && (!best || d < best.d))
        best = { column, d };
    }
  }
  return best?.column;
}

/**
 * Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two
 * neighbouring letters each cost 1 (`tien` ↔ `tein` is 1).
 *
 * @example editDistance('so tein', 'so tien') // 1
 */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = new Array<number>(n + 1);
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        cur[j] = Math.min(cur[j]!, prev2[j - 2]! + 1);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[n]!;
}

/**
 * The first of the first `maxScan` rows that reads as the source's header: it maps at least half
 * of the required contract columns (rounded up) and at least two columns, or every non-empty cell
 * it has. Title rows and blank rows above a header are passed over. Rows are 0-based.
 *
 * @example findHeaderRow('bank_transactions', [['SAO KÊ TÀI KHOẢN'], [], ['Ngày GD', 'Số tiền', …]])
 *   // { rowIndex: 2, mapping }
 */
export function findHeaderRow(
  source: SourceName,
  rows: string[][],
  maxScan = 20,
  override?: Record<string, string>,
): { rowIndex: number; mapping: HeaderMapping } | null {
  const required = sources[source].columns.filter((c) => c.required).length;
  const need = Math.max(1, Math.ceil(required / 2));
  for (let r = 0; r < Math.min(rows.length, maxScan); r++) {
    const row = rows[r] ?? [];
    const mapping = mapHeaders(source, row, override);
    const ambiguousRequired = mapping.ambiguous.filter((a) => mapping.missingRequired.includes(a.contract)).length;
    const reqFound = required - mapping.missingRequired.length + ambiguousRequired;
    const nonEmpty = row.filter((h) => normalizeHeader(h ?? '') !== '').length;
    const mappedCount = mapping.columns.length + mapping.ambiguous.length;
    if (reqFound >= need && (mappedCount >= 2 || mappedCount === nonEmpty)) return { rowIndex: r, mapping };
  }
  return null;
}

/**
 * A header written over two rows (agency exports: a group cell such as `Người gửi` merged across the
 * sub-headers `Họ tên`, `Số điện thoại`, `Địa chỉ` below it, every other header cell merged down over
 * both rows), read as one: the sub-header columns become `Người gửi / Số điện thoại`, recognised
 * under `Số điện thoại người gửi` or `Người gửi số điện thoại`, or under the sub-header alone when
 * the group itself names a column of the source (`Người gửi`, `Tài khoản nhận tiền`; a group such as
 * `Người nhận` does not, so its `Số điện thoại` is not taken for the sender's). Undefined unless
 * `below` (the row under `top`) is such a sub-header row: text only, every value under a group
 * cell's span (the group cell, then empty top cells), none under a header cell that spans no
 * sub-headers (a data row fills those), at least one under an empty top cell. A merged cell's value
 * is in its first cell, the others are empty.
 *
 * @example joinTwoRowHeader('cod_shipments', ['Mã vận đơn', 'Người gửi', '', 'Tiền thu hộ'],
 *   ['', 'Họ tên', 'Số điện thoại', ''])
 *   // { header: ['Mã vận đơn', 'Người gửi / Họ tên', 'Người gửi / Số điện thoại', 'Tiền thu hộ'], … }
 */
export function joinTwoRowHeader(
  source: SourceName,
  top: readonly string[],
  below: readonly string[],
  override?: Record<string, string>,
): { header: string[]; alternatives: string[][] } | undefined {
  const width = Math.max(top.length, below.length);
  const t = (j: number) => (normalizeHeader(top[j] ?? '') === '' ? '' : (top[j] ?? '').trim());
  const b = (j: number) => (normalizeHeader(below[j] ?? '') === '' ? '' : (below[j] ?? '').trim());
  let underEmpty = 0;
  const group: (string | undefined)[] = [];
  for (let j = 0, current: string | undefined; j < width; j++) {
    if (t(j) !== '') current = t(j);
    group.push(current);
    if (b(j) === '') continue;
    // Header words, not values: no number, date or amount.
    if (/^[\d\s.,:/+-]+$/.test(b(j))) return undefined;
    if (current === undefined) return undefined;
    if (t(j) === '') underEmpty++;
    // A header cell with a sub-header below it must span further sub-headers (a group), else it is a
    // header merged down and a value below it is data.
    else if (!(j + 1 < width && t(j + 1) === '' && b(j + 1) !== '')) return undefined;
  }
  if (underEmpty === 0) return undefined;
  const groupNames = (g: string) => mapHeaders(source, [g], override).columns.length > 0;
  const header: string[] = [];
  const alternatives: string[][] = [];
  for (let j = 0; j < width; j++) {
    const g = group[j];
    if (b(j) === '' || g === undefined) {
      header.push(t(j) !== '' ? t(j) : b(j));
      alternatives.push([]);
      continue;
    }
    header.push(`${g} / ${b(j)}`);
    alternatives.push([`${b(j)} ${g}`, `${g} ${b(j)}`, ...(groupNames(g) ? [b(j)] : [])]);
  }
  return { header, alternatives };
}

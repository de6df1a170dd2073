import { describe, expect, it } from 'vitest';
import {
  editDistance,
  findHeaderRow,
  headerSynonyms,
  mapHeaders,
  normalizeHeader,
} from '../../engine/ingest/headers.js';
import { sourceNames, sources } from '../../engine/ingest/sources.js';

describe('normalizeHeader', () => {
  it.each([
    { input: 'Mã số thuế', expected: 'ma so thue' },
    { input: 'MA SO THUE', expected: 'ma so thue' },
    { input: '  Số ĐT/Di động ', expected: 'so dt di dong' },
    { input: 'SĐT', expected: 'sdt' },
    { input: 'tax_id', expected: 'tax id' },
    // decomposed input (Windows-1258 style tone marks) compares equal to composed
    { input: 'Ngày giao dịch'.normalize('NFD'), expected: 'ngay giao dich' },
    { input: 'Tỉnh/TP.', expected: 'tinh tp' },
  ])('$input → $expected', ({ input, expected }) => expect(normalizeHeader(input)).toBe(expected));
});

describe('editDistance', () => {
  it.each([
    { a: 'so tein', b: 'so tien', d: 1 },
    { a: 'amout', b: 'amount', d: 1 },
    { a: 'abc', b: 'abc', d: 0 },
    { a: '', b: 'abc', d: 3 },
    { a: 'kitten', b: 'sitting', d: 3 },
  ])('$a ↔ $b = $d', ({ a, b, d }) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('header dictionary', () => {
  it.each(sourceNames.map((s) => ({ source: s })))(
    '$source: every name maps to one column only, and every dictionary key is a contract column',
    ({ source }) => {
      const contract = new Set(sources[source].columns.map((c) => c.name));
      const seen = new Map<string, string>();
      for (const [column, names] of Object.entries(headerSynonyms[source])) {
        expect(contract.has(column), `${source}.${column}`).toBe(true);
        for (const n of [column, ...names].map(normalizeHeader)) {
          const other = seen.get(n);
          if (other !== undefined && other !== column)
            throw new Error(`${source}: "${n}" names both ${other} and ${column}`);
          seen.set(n, column);
        }
      }
      // a contract name of one column is never a synonym of another
      for (const c of contract) expect(seen.get(normalizeHeader(c)) ?? c).toBe(c);
    },
  );

  it.each(sourceNames.map((s) => ({ source: s })))(
    '$source: every contract column has at least one synonym',
    ({ source }) => {
      for (const c of sources[source].columns)
        expect(headerSynonyms[source][c.name]?.length ?? 0, `${source}.${c.name}`).toBeGreaterThan(0);
    },
  );
});

describe('mapHeaders', () => {
  it('a Vietnamese bank statement header maps every required column, with and without diacritics', () => {
    const header = [
      'STT',
      'Ngân hàng',
      'So tai khoan',
      'Mã GD',
      'Ngày giao dịch',
      'SO TIEN',
      'Nợ/Có',
      'Nội dung',
      'Ghi chú',
    ];
    const m = mapHeaders('bank_transactions', header);
    expect(m.columns.map((c) => [c.contract, c.fileColumn, c.fileIndex, c.how])).toEqual([
      ['bank', 'Ngân hàng', 1, 'synonym'],
      ['account', 'So tai khoan', 2, 'synonym'],
      ['txn_id', 'Mã GD', 3, 'synonym'],
      ['booked_at', 'Ngày giao dịch', 4, 'synonym'],
      ['amount', 'SO TIEN', 5, 'synonym'],
      ['direction', 'Nợ/Có', 6, 'synonym'],
      ['description', 'Nội dung', 7, 'synonym'],
    ]);
    expect(m.missingRequired).toEqual([]);
    expect(m.ignored).toEqual(['STT', 'Ghi chú']);
    expect(m.ambiguous).toEqual([]);
  });

  it.each([
    { source: 'taxpayers' as const, header: 'MST', contract: 'tax_id' },
    { source: 'taxpayers' as const, header: 'Mã số thuế', contract: 'tax_id' },
    { source: 'taxpayers' as const, header: 'Họ và tên', contract: 'name' },
    { source: 'taxpayers' as const, header: 'Số CCCD', contract: 'national_id' },
    { source: 'taxpayers' as const, header: 'CMND', contract: 'national_id' },
    { source: 'taxpayers' as const, header: 'SĐT', contract: 'phone' },
    { source: 'taxpayers' as const, header: 'sdt', contract: 'phone' },
    { source: 'platform_sellers' as const, header: 'Họ và tên', contract: 'owner_name' },
    { source: 'platform_sellers' as const, header: 'STK', contract: 'payout_account' },
    { source: 'cod_shipments' as const, header: 'Mã vận đơn', contract: 'waybill' },
    { source: 'cod_shipments' as const, header: 'Số điện thoại', contract: 'sender_phone' },
    { source: 'cod_shipments' as const, header: 'Số tài khoản', contract: 'remit_account' },
    { source: 'bank_transactions' as const, header: 'Diễn giải', contract: 'description' },
    { source: 'bank_transactions' as const, header: 'Số CCCD', contract: 'holder_national_id' },
    { source: 'bank_transactions' as const, header: 'MST', contract: 'holder_tax_id' },
    { source: 'declarations' as const, header: 'Kỳ tính thuế', contract: 'period' },
    { source: 'websites' as const, header: 'Tên miền', contract: 'domain' },
  ])('$source: "$header" → $contract', ({ source, header, contract }) => {
    const m = mapHeaders(source, ['x', header]);
    expect(m.columns).toEqual([{ contract, fileColumn: header, fileIndex: 1, how: 'synonym' }]);
  });

  it('the contract name in any case and spacing is exact', () => {
    const m = mapHeaders('declarations', ['TAX_ID', 'Period', 'declared revenue']);
    expect(m.columns.map((c) => c.how)).toEqual(['exact', 'exact', 'exact']);
  });

  it('the config wins over the contract name and the dictionary; the losing column is ignored', () => {
    const m = mapHeaders('declarations', ['tax_id', 'MST mới', 'Kỳ', 'Doanh thu'], { 'mst moi': 'tax_id' });
    expect(m.columns.find((c) => c.contract === 'tax_id')).toEqual({
      contract: 'tax_id',
      fileColumn: 'MST mới',
      fileIndex: 1,
      how: 'config',
    });
    expect(m.ignored).toEqual(['tax_id']);
  });

  it('the contract name wins over a synonym', () => {
    const m = mapHeaders('taxpayers', ['phone', 'SĐT', 'tax_id', 'name']);
    expect(m.columns.find((c) => c.contract === 'phone')?.fileColumn).toBe('phone');
    expect(m.ignored).toEqual(['SĐT']);
    expect(m.ambiguous).toEqual([]);
  });

  it('two synonyms of one column are ambiguous: neither is used, and a required one is missing', () => {
    const m = mapHeaders('taxpayers', ['MST', 'Mã số thuế', 'Họ tên']);
    expect(m.ambiguous).toEqual([{ contract: 'tax_id', candidates: ['MST', 'Mã số thuế'] }]);
    expect(m.columns.map((c) => c.contract)).toEqual(['name']);
    expect(m.missingRequired).toEqual(['tax_id']);
    expect(m.ignored).toEqual([]);
  });

  it('an unknown header close to a missing column gets a did-you-mean; one far from every name does not', () => {
    const m = mapHeaders('bank_transactions', [
      'Ngân hàng',
      'STK',
      'Ma GD',
      'Ngay giao dich',
      'So tein',
      'Loai giao dich',
      'amout',
      'Chi nhánh',
    ]);
    expect(m.suggestions).toEqual([
      { fileColumn: 'So tein', didYouMean: 'amount' },
      { fileColumn: 'amout', didYouMean: 'amount' },
    ]);
    expect(m.missingRequired).toEqual(['amount']);
  });

  it('no did-you-mean toward a column already mapped', () => {
    const m = mapHeaders('bank_transactions', ['So tien', 'So tein']);
    expect(m.suggestions).toEqual([]);
  });

  it('empty header cells are neither mapped nor ignored', () => {
    const m = mapHeaders('declarations', ['MST', '', '  ', 'Kỳ']);
    expect(m.ignored).toEqual([]);
    expect(m.columns.map((c) => c.fileIndex)).toEqual([0, 3]);
  });
});

describe('findHeaderRow', () => {
  const statement = [
    ['NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM'],
    ['SAO KÊ TÀI KHOẢN', '', 'Từ 01/11/2026 đến 30/11/2026'],
    [],
    ['Ngân hàng', 'Số tài khoản', 'Số tham chiếu', 'Ngày giao dịch', 'Số tiền', 'Loại giao dịch', 'Nội dung'],
    ['VCB', '0011001234567', 'FT1', '22/11/2026', '1.250.000', 'credit', 'tien hang'],
  ];

  it('passes over title and blank rows to the header', () => {
    const got = findHeaderRow('bank_transactions', statement);
    expect(got?.rowIndex).toBe(3);
    expect(got?.mapping.missingRequired).toEqual([]);
  });

  it('null when no row within the scan maps', () => {
    expect(findHeaderRow('bank_transactions', statement, 3)).toBeNull();
    expect(findHeaderRow('bank_transactions', [['Tổng cộng', '12']])).toBeNull();
  });

  it('a title row naming one contract column among other text is not a header', () => {
    // websites needs only `domain`: "Website" beside other text is a title, not a header
    const rows = [['Website', 'Danh sách tháng 11/2026'], [], ['Tên miền', 'Chủ sở hữu', 'MST']];
    expect(findHeaderRow('websites', rows)?.rowIndex).toBe(2);
    expect(findHeaderRow('websites', [['Website']])?.rowIndex).toBe(0);
  });

  it('the config rename counts toward the header', () => {
    const rows = [['Tên chứng từ'], ['A', 'B', 'C', 'D', 'E', 'F']];
    expect(findHeaderRow('declarations', rows)).toBeNull();
    expect(findHeaderRow('declarations', rows, 20, { A: 'tax_id', B: 'period' })?.rowIndex).toBe(1);
  });
});

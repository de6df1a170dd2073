/** Case rows for publish tests: a few hand-written edge cases and a seeded bulk generator. */
import type { CaseRow, ReasonInfo } from '../../engine/publish/case-row.js';

export const reasons: ReasonInfo[] = [
  {
    code: 'COD_UNDECLARED',
    label_vi: 'Doanh thu COD lớn nhưng không kê khai',
    label_en: 'Large COD revenue, nothing declared',
  },
  { code: 'MULTI_SHOP', label_vi: 'Nhiều gian hàng cùng một người', label_en: 'Many shops behind one person' },
  {
    code: 'BANK_INFLOW',
    label_vi: 'Tiền vào tài khoản vượt doanh thu kê khai',
    label_en: 'Bank inflow above declared revenue',
  },
];

/** A row with every field filled; override what a test needs. */
export function caseRow(over: Partial<CaseRow> = {}): CaseRow {
  return {
    rank: 1,
    entity_id: 'E000001',
    risk_score: 0.8731,
    expected_yield_vnd: 12_345_678,
    estimated_revenue_vnd: 1_250_000_000,
    declared_revenue_vnd: 0,
    undeclared_revenue_vnd: 1_250_000_000,
    tax_gap_vnd: 18_750_000,
    name: 'Nguyễn Thị Hồng Nhung',
    tax_ids: ['0312345678'],
    national_ids: ['079012341234'],
    phones: ['0912345678', '0987654321'],
    province: 'Hồ Chí Minh',
    sources: ['platform_sellers', 'cod_shipments'],
    reason_codes: ['COD_UNDECLARED', 'MULTI_SHOP'],
    reasons: ['Doanh thu COD 1.250 triệu, chưa kê khai', 'Ba gian hàng dùng chung số điện thoại'],
    control_slice: 0,
    tax_year: 2026,
    activity_group: 'goods',
    tax_rate: 0.015,
    tax_rate_min: 0.015,
    tax_rate_max: 0.015,
    tax_rate_basis: 'thuế suất 1,5 %: nhóm hàng hóa đã đăng ký thuế',
    platform_revenue_vnd: 400_000_000,
    cod_revenue_vnd: 850_000_000,
    bank_revenue_vnd: null,
    tax_withheld_vnd: 6_000_000,
    emails: ['nhung.nguyen@gmail.com'],
    accounts: ['VCB:0790123456781234'],
    domains: ['nhungshop.vn'],
    shops: ['shopee:123456', 'tiktokshop:nhung.store'],
    record_count: 42,
    ...over,
  };
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const provinces = ['Hà Nội', 'Hồ Chí Minh', 'Đà Nẵng', 'Cần Thơ', 'Khánh Hòa', 'Hải Phòng', 'Đồng Nai'];
const names = ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Hoàng "Cường"', 'Phạm Minh, Đức', 'Võ Thị\nEm', '=SUM(A1:A9)'];

/** `n` plausible rows, best first, from a seeded generator. */
export function manyRows(n: number, seed = 7): CaseRow[] {
  const rand = mulberry32(seed);
  const rows: CaseRow[] = [];
  for (let i = 0; i < n; i++) {
    const revenue = Math.round(rand() * 3e9);
    const declared = Math.round(revenue * rand() * 0.5);
    const score = 1 - i / n;
    const phone = '09' + String(Math.floor(rand() * 1e8)).padStart(8, '0');
    rows.push(
      caseRow({
        rank: i + 1,
        entity_id: `E${String(i + 1).padStart(6, '0')}`,
        risk_score: score,
        estimated_revenue_vnd: revenue,
        declared_revenue_vnd: declared,
        undeclared_revenue_vnd: revenue - declared,
        tax_gap_vnd: Math.round((revenue - declared) * 0.015) - (i % 50 === 0 ? 2_000_000 : 0),
        expected_yield_vnd: Math.round((revenue - declared) * 0.015 * score),
        name: names[i % names.length]!,
        phones: [phone],
        province: provinces[Math.floor(rand() * provinces.length)]!,
        control_slice: i % 20 === 0 ? 1 : 0,
        record_count: 1 + Math.floor(rand() * 200),
      }),
    );
  }
  return rows;
}

import { describe, expect, it } from 'vitest';
import { maskCaseRow, maskValue, type PiiKind } from '../../engine/publish/mask.js';
import { caseRow } from './fixtures.js';

describe('maskValue', () => {
  it.each<{ kind: PiiKind; input: string; expected: string }>([
    { kind: 'phone', input: '0912345678', expected: '0912***678' },
    { kind: 'phone', input: ' 0987654321 ', expected: '0987***321' },
    { kind: 'phone', input: '12345', expected: '***5' },
    { kind: 'national_id', input: '079012341234', expected: '0790****1234' },
    { kind: 'tax_id', input: '0312345678', expected: '0312***678' },
    { kind: 'tax_id', input: '0312345678-001', expected: '0312***678-001' },
    { kind: 'tax_id', input: '079012341234', expected: '0790****1234' },
    { kind: 'account', input: '079012341234', expected: '0790****1234' },
    { kind: 'account', input: 'VCB:0790123456781234', expected: 'VCB:0790****1234' },
    { kind: 'account', input: 'TCB:12345678', expected: 'TCB:12****78' },
    { kind: 'account', input: 'MB:123456', expected: 'MB:****56' },
    { kind: 'email', input: 'nguyen.an@gmail.com', expected: 'n***@gmail.com' },
    { kind: 'email', input: 'a@b.vn', expected: 'a***@b.vn' },
    { kind: 'email', input: 'not-an-email', expected: 'n***' },
    { kind: 'phone', input: '', expected: '' },
    { kind: 'email', input: '   ', expected: '' },
  ])('$kind $input → $expected', ({ kind, input, expected }) => {
    expect(maskValue(kind, input)).toBe(expected);
  });

  it.each<PiiKind>(['phone', 'national_id', 'tax_id', 'account'])('%s: the masked value hides the length', (kind) => {
    expect(maskValue(kind, '0912345678901234').length).toBe(maskValue(kind, '091234567890123456').length);
  });
});

describe('maskCaseRow', () => {
  const row = caseRow({
    shops: ['shopee:0912345678', 'lazada:abc'],
    reasons: ['Tài khoản 0790123456781234 nhận tiền COD', 'Số 0912345678 dùng cho 3 gian hàng'],
  });
  const masked = maskCaseRow(row);

  it.each([
    { column: 'phones', expected: ['0912***678', '0987***321'] },
    { column: 'tax_ids', expected: ['0312***678'] },
    { column: 'national_ids', expected: ['0790****1234'] },
    { column: 'accounts', expected: ['VCB:0790****1234'] },
    { column: 'emails', expected: ['n***@gmail.com'] },
    { column: 'shops', expected: ['shopee:0912***678', 'lazada:abc'] },
    { column: 'reasons', expected: ['Tài khoản 0790****1234 nhận tiền COD', 'Số 0912***678 dùng cho 3 gian hàng'] },
    { column: 'name', expected: 'Nguyễn Thị Hồng Nhung' },
    { column: 'entity_id', expected: 'E000001' },
    { column: 'tax_gap_vnd', expected: 18_750_000 },
  ] as const)('$column', ({ column, expected }) => {
    expect(masked[column]).toEqual(expected);
  });

  it("masks another taxpayer's code quoted in a reason (a POSSIBLY_REGISTERED candidate), with or without the row's own identifiers", () => {
    const reason =
      'Possibly registered: 0100109106 (name_province) (weight 0.5); branch 0100109106-002; ID 001085012345';
    const expected = [
      'Possibly registered: 0100***106 (name_province) (weight 0.5); branch 0100***106-002; ID 0010****2345',
    ];
    expect(maskCaseRow(caseRow({ reasons: [reason] })).reasons).toEqual(expected);
    expect(
      maskCaseRow(caseRow({ reasons: [reason], phones: [], tax_ids: [], national_ids: [], accounts: [], emails: [] }))
        .reasons,
    ).toEqual(expected);
  });

  it('leaves the input row untouched', () => {
    expect(row.phones).toEqual(['0912345678', '0987654321']);
  });
});

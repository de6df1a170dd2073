import { describe, expect, it } from 'vitest';
import { bankAliases, normAccount, normBank } from '../../engine/normalize/index.js';
import { accountCases, bankCases } from './cases.js';

describe('normBank', () => {
  it.each(bankCases)('normBank($input) → $expected', ({ input, expected }) => {
    expect(normBank(input)).toBe(expected);
  });

  it.each(bankCases.filter((c) => c.expected !== null))('is idempotent on $input', ({ input }) => {
    const once = normBank(input);
    expect(normBank(once)).toBe(once);
  });

  it.each([...new Set(Object.values(bankAliases))].map((code) => ({ code })))(
    'keeps the code $code as it is',
    ({ code }) => {
      expect(normBank(code)).toBe(code);
    },
  );
});

describe('normAccount', () => {
  it.each(accountCases)('normAccount($bank, $account) → $expected', ({ bank, account, expected }) => {
    expect(normAccount(bank, account)).toBe(expected);
  });

  it.each(accountCases.filter((c) => c.expected !== null))('is idempotent on $bank $account', ({ bank, account }) => {
    const once = normAccount(bank, account)!;
    const [b, a] = once.split(':');
    expect(normAccount(b, a)).toBe(once);
  });
});

import { describe, expect, it } from 'vitest';
import { normMoney } from '../../engine/normalize/index.js';
import { moneyCases, moneyFormatCases } from './cases.js';

describe('normMoney', () => {
  it.each(moneyCases)('normMoney($input) → $expected', ({ input, expected }) => {
    expect(normMoney(input)).toBe(expected);
  });

  it.each(moneyFormatCases)('normMoney($input, $format) → $expected', ({ input, format, expected }) => {
    expect(normMoney(input, format)).toBe(expected);
  });

  it.each(moneyCases.filter((c) => c.expected !== null))('is idempotent on $input', ({ input }) => {
    const once = normMoney(input)!;
    expect(normMoney(String(once))).toBe(once);
    expect(normMoney(String(once), { decimal: ',', thousands: '.' })).toBe(once);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidMst10, mstCheckDigit, normTaxId } from '../../engine/normalize/index.js';
import { taxIdCases } from './cases.js';

describe('normTaxId', () => {
  it.each(taxIdCases)('normTaxId($input)', ({ input, expected }) => {
    expect(normTaxId(input)).toEqual(expected);
  });

  it.each(taxIdCases.filter((c) => c.expected !== null))('is idempotent on $input', ({ input }) => {
    const once = normTaxId(input)!;
    expect(normTaxId(once.taxId)).toEqual(once);
  });
});

describe('mstCheckDigit', () => {
  it.each([
    { first9: '010010910', expected: 6 }, // Viettel 0100109106
    { first9: '030058856', expected: 9 }, // Vinamilk 0300588569
    { first9: '000000000', expected: null }, // 10 − 0 = 10: no valid code
    { first9: '01001091', expected: null },
    { first9: '01001091a', expected: null },
  ])('mstCheckDigit($first9) → $expected', ({ first9, expected }) => {
    expect(mstCheckDigit(first9)).toBe(expected);
  });

  it('makes exactly one last digit valid for every nine digits whose check is not 10', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{9}$/), (first9) => {
        const check = mstCheckDigit(first9);
        const valid = [...'0123456789'].filter((d) => isValidMst10(first9 + d));
        expect(valid).toEqual(check === null ? [] : [String(check)]);
      }),
      { seed: 20260701, numRuns: 500 },
    );
  });
});

describe('isValidMst10', () => {
  it.each([
    { s: '0100109106', expected: true },
    { s: '0300588569', expected: true },
    { s: '0300588568', expected: false },
    { s: '0100109106-001', expected: false },
    { s: ' 0100109106', expected: false },
    { s: '001090012345', expected: false },
    { s: '', expected: false },
  ])('isValidMst10($s) → $expected', ({ s, expected }) => {
    expect(isValidMst10(s)).toBe(expected);
  });
});

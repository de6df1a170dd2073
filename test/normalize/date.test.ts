import { describe, expect, it } from 'vitest';
import { normDate, normPeriod } from '../../engine/normalize/index.js';
import { dateCases, periodCases } from './cases.js';

describe('normDate', () => {
  it.each(dateCases)('normDate($input, $format) → $expected', ({ input, format, expected }) => {
    expect(normDate(input, format)).toBe(expected);
  });

  it.each(dateCases.filter((c) => c.expected !== null))('is idempotent on $input ($format)', ({ input, format }) => {
    const once = normDate(input, format);
    expect(normDate(once, format)).toBe(once);
    expect(normDate(once)).toBe(once);
  });
});

describe('normPeriod', () => {
  it.each(periodCases)('normPeriod($input)', ({ input, expected }) => {
    expect(normPeriod(input)).toEqual(expected);
  });

  it.each(periodCases.filter((c) => c.expected !== null))('is idempotent on $input', ({ input }) => {
    const once = normPeriod(input)!;
    expect(normPeriod(once.period)).toEqual(once);
  });
});

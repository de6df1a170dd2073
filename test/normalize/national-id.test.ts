import { describe, expect, it } from 'vitest';
import { normNationalId } from '../../engine/normalize/index.js';
import { nationalIdCases } from './cases.js';

describe('normNationalId', () => {
  it.each(nationalIdCases)('normNationalId($input) → $expected', ({ input, expected }) => {
    expect(normNationalId(input)).toBe(expected);
  });

  it.each(nationalIdCases.filter((c) => c.expected !== null))('is idempotent on $input', ({ input }) => {
    const once = normNationalId(input);
    expect(normNationalId(once)).toBe(once);
  });
});

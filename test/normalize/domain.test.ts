import { describe, expect, it } from 'vitest';
import { normDomain } from '../../engine/normalize/index.js';
import { domainCases } from './cases.js';

describe('normDomain', () => {
  it.each(domainCases)('normDomain($input) → $expected', ({ input, expected }) => {
    expect(normDomain(input)).toBe(expected);
  });

  it.each(domainCases.filter((c) => c.expected !== null))('is idempotent on $input', ({ input }) => {
    const once = normDomain(input);
    expect(normDomain(once)).toBe(once);
  });
});

import { describe, expect, it } from 'vitest';
import { normEmail } from '../../engine/normalize/index.js';
import { emailCases } from './cases.js';

describe('normEmail', () => {
  it.each(emailCases)('normEmail($input) → $expected', ({ input, expected }) => {
    expect(normEmail(input)).toBe(expected);
  });

  it.each(emailCases.filter((c) => c.expected !== null))('is idempotent on $input', ({ input }) => {
    const once = normEmail(input);
    expect(normEmail(once)).toBe(once);
  });
});

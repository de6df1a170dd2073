import { describe, expect, it } from 'vitest';
import { normPhone } from '../../engine/normalize/index.js';
import { phoneCases } from './cases.js';

describe('normPhone', () => {
  it.each(phoneCases)('normPhone($input) → $expected', ({ input, expected }) => {
    expect(normPhone(input)).toBe(expected);
  });

  it.each(phoneCases.filter((c) => c.expected !== null))('is idempotent on $input', ({ input }) => {
    const once = normPhone(input);
    expect(normPhone(once)).toBe(once);
  });
});

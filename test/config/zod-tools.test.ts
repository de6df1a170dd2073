import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { didYouMean, schemaProblems, typeLabel } from '../../engine/config/zod-tools.js';

describe('typeLabel', () => {
  it.each([
    { schema: z.number().int().min(1).max(64), label: 'integer 1–64' },
    { schema: z.number().int().min(0).default(0), label: 'integer ≥ 0' },
    { schema: z.number().int(), label: 'integer' },
    { schema: z.number().min(0).lt(0.5), label: 'number in [0, 0.5)' },
    { schema: z.number().gt(0), label: 'number > 0' },
    { schema: z.enum(['vi', 'en']), label: '"vi" or "en"' },
    { schema: z.enum(['.', ',', ' ']).optional(), label: 'one of ".", ",", " "' },
    { schema: z.boolean(), label: 'true or false' },
    { schema: z.union([z.string(), z.number().int().min(1)]), label: 'string or integer ≥ 1' },
    { schema: z.record(z.string(), z.number()).meta({ keyName: 'province' }), label: 'object <province> → number' },
    { schema: z.string().meta({ typeLabel: 'strptime format' }).optional(), label: 'strptime format' },
  ])('$label', ({ schema, label }) => {
    expect(typeLabel(schema)).toBe(label);
  });
});

describe('didYouMean', () => {
  it.each([
    { key: 'outptu', allowed: ['output', 'rank'], near: 'output' },
    { key: 'capasity', allowed: ['capacity', 'controlShare'], near: 'capacity' },
    { key: 'MASKPII', allowed: ['language', 'maskPii'], near: 'maskPii' },
    { key: 'colour', allowed: ['language', 'maskPii', 'xlsxMaxRows'], near: undefined },
    { key: 'x', allowed: [], near: undefined },
    { key: 'b', allowed: ['a', 'tags'], near: undefined },
    { key: 'pi', allowed: ['vat', 'pit'], near: 'pit' },
  ])('$key → $near', ({ key, allowed, near }) => {
    expect(didYouMean(key, allowed)).toBe(near);
  });
});

describe('schemaProblems', () => {
  const schema = z.strictObject({
    a: z.strictObject({ size: z.number().int().min(0) }),
    tags: z.record(z.string(), z.boolean()),
  });
  it('lists every problem with its path, under a prefix', () => {
    expect(schemaProblems(schema, { a: { size: -1, sise: 2 }, tags: { x: 'yes' }, b: 1 }, ['section'])).toEqual([
      'section.a.size: expected integer ≥ 0, got -1',
      'section.a.sise: unknown key; did you mean "section.a.size"?',
      'section.tags.x: expected true or false, got "yes"',
      'section.b: unknown key; expected one of a, tags',
    ]);
  });
  it('is empty for a valid value', () => {
    expect(schemaProblems(schema, { a: { size: 1 }, tags: {} })).toEqual([]);
  });
});

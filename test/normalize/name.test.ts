import { describe, expect, it } from 'vitest';
import { normName, stripDiacritics, textKey } from '../../engine/normalize/index.js';
import { nameCases } from './cases.js';

describe('normName', () => {
  it.each(nameCases)('normName($input)', ({ input, expected }) => {
    expect(normName(input)).toEqual(expected);
  });

  it.each(nameCases.filter((c) => c.expected !== null))('is idempotent on $input', ({ input }) => {
    const once = normName(input)!;
    expect(normName(once.display)).toEqual(once);
    expect(normName(once.key)!.key).toBe(once.key);
  });
});

describe('stripDiacritics', () => {
  it.each([
    { input: 'Đắk Lắk, Thừa Thiên Huế', expected: 'Dak Lak, Thua Thien Hue' },
    { input: 'ĐỖ THỊ ƯỚC', expected: 'DO THI UOC' },
    { input: 'ơ ư ă â ê ô đ', expected: 'o u a a e o d' },
    { input: 'Nguye\u0302\u0303n', expected: 'Nguyen' },
    { input: 'plain ascii 123', expected: 'plain ascii 123' },
  ])('stripDiacritics($input) → $expected', ({ input, expected }) => {
    expect(stripDiacritics(input)).toBe(expected);
  });
});

describe('textKey', () => {
  it.each([
    { input: '  NGUYỄN  văn\u00a0Đức ', expected: 'nguyen van duc' },
    { input: '\ufeffHà\tNội\r\n', expected: 'ha noi' },
    { input: '   ', expected: '' },
  ])('textKey($input) → $expected', ({ input, expected }) => {
    expect(textKey(input)).toBe(expected);
  });
});

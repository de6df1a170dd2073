/**
 * Property-based tests of the identifier normalisers: they never throw on any text, they are
 * idempotent, and every way a delivery writes a valid phone normalises to the same 10 digits.
 * Seeded, so a failure replays; `numRuns` keeps the file well under a few seconds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  normAccount,
  normBank,
  normDomain,
  normEmail,
  normMoney,
  normName,
  normNationalId,
  normPhone,
  normProvince,
  normTaxId,
  currentProvinces,
} from '../../engine/normalize/index.js';

const seed = 20261123;
const numRuns = 1000;

// Text a delivery could hold: any Unicode, plus strings dense in digits, separators and the
// letters identifiers are built from (so the interesting branches are reached, not only null).
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: fc.constantFrom(..."0123456789 +-.()/:@_,'\u00a0\u3000\t\nđĐêÊơưáàảãạ"), maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHNTMCPvndVNĐ₫0123456789 .-,'),
    maxLength: 40,
  }),
  // Letters whose case mapping is not one-to-one, combining marks, bank-name prefixes.
  fc.string({
    unit: fc.constantFrom(
      'ß',
      'ﬁ',
      'ŉ',
      'ǆ',
      'İ',
      'ı',
      '\u0301',
      '\u0303',
      'Σ',
      'ς',
      'NH',
      'TMCP',
      'NGANHANG',
      'a',
      ' ',
      '1',
    ),
    maxLength: 12,
  }),
);

/** Every letter upper-cases to one letter and back (not ß → SS, ﬁ → FI, ı → I → i, ς → Σ → σ). */
const oneToOneCase = (s: string) =>
  [...s].every(
    (c) =>
      [...c.toUpperCase()].length === 1 &&
      [...c.toLowerCase()].length === 1 &&
      c.toUpperCase().toLowerCase() === c.toLowerCase(),
  );
/** A bank-name prefix left at the head of the code after one strip (`NH NH …`, `TMCP TMCP`). */
const doubledBankPrefix = (s: string) =>
  /^(?:NGANHANG|NH)?(?:TMCP|THUONGMAICOPHAN)?(?:NGANHANG|NH|TMCP|THUONGMAICOPHAN)/.test(
    s
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .replace(/đ/gi, 'D')
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, ''),
  );

describe.each([
  { name: 'normPhone', fn: (s: string) => normPhone(s) },
  { name: 'normTaxId', fn: (s: string) => normTaxId(s) },
  { name: 'normNationalId', fn: (s: string) => normNationalId(s) },
  { name: 'normName', fn: (s: string) => normName(s) },
  { name: 'normEmail', fn: (s: string) => normEmail(s) },
  { name: 'normDomain', fn: (s: string) => normDomain(s) },
  { name: 'normAccount', fn: (s: string) => normAccount(s.slice(0, 5), s.slice(5)) },
  { name: 'normBank', fn: (s: string) => normBank(s) },
  { name: 'normProvince', fn: (s: string) => normProvince(s) },
  { name: 'normMoney', fn: (s: string) => normMoney(s) },
  { name: 'normMoney (decimal comma)', fn: (s: string) => normMoney(s, { decimal: ',' }) },
])('$name', ({ fn }) => {
  it('never throws on any string', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        fn(s);
      }),
      { seed, numRuns },
    );
  });
});

describe('idempotence: norm(norm(x)) = norm(x)', () => {
  it.each([
    { name: 'normPhone', norm: normPhone },
    { name: 'normNationalId', norm: normNationalId },
    { name: 'normEmail', norm: normEmail },
    { name: 'normDomain', norm: normDomain },
    { name: 'normProvince', norm: normProvince },
  ])('$name', ({ norm }) => {
    fc.assert(
      fc.property(anyText, (s) => {
        const once = norm(s);
        if (once !== null) expect(norm(once)).toBe(once);
      }),
      { seed, numRuns },
    );
  });

  it('normTaxId (its cleaned code)', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const once = normTaxId(s);
        if (once !== null) expect(normTaxId(once.taxId)).toEqual(once);
      }),
      { seed, numRuns },
    );
  });

  it('normName (its display form), for letters with a one-to-one upper case', () => {
    fc.assert(
      fc.property(anyText.filter(oneToOneCase), (s) => {
        const once = normName(s);
        if (once !== null) expect(normName(once.display)).toEqual(once);
      }),
      { seed, numRuns },
    );
  });

  // Found by this test (docs/reliability.md, "Findings"), now fixed: a word starting with a letter whose
  // case mapping is not one-to-one (ß → SS, ﬁ → FI, ŉ → ʼN, ı → I) keeps that letter as written.
  it('normName (its display form), letters whose case mapping is not one-to-one', () => {
    for (const s of ['ß', 'ﬁsh', 'ŉ', 'ı']) {
      const once = normName(s)!;
      expect(normName(once.display)).toEqual(once);
    }
  });

  it('normBank, for names without a doubled bank-name prefix', () => {
    fc.assert(
      fc.property(
        anyText.filter((s) => !doubledBankPrefix(s)),
        (s) => {
          const once = normBank(s);
          if (once !== null) expect(normBank(once)).toBe(once);
        },
      ),
      { seed, numRuns },
    );
  });

  // Found by this test, now fixed: the prefixes `NH` / `NGANHANG` / `TMCP` are stripped however often
  // they repeat, so `NH NH ABC` and `NHABC` both give `ABC`.
  it('normBank, names with a doubled bank-name prefix', () => {
    for (const s of ['NH NH ABC', 'TMCP TMCP', 'nhnhx']) {
      const once = normBank(s);
      expect(once === null || normBank(once) === once, s).toBe(true);
    }
  });

  it('normAccount (bank code and digits of its result)', () => {
    fc.assert(
      fc.property(
        anyText.filter((s) => !doubledBankPrefix(s)),
        fc.stringMatching(/^[0-9 .-]{6,24}$/),
        (bank, account) => {
          const once = normAccount(bank, account);
          if (once === null) return;
          const colon = once.lastIndexOf(':');
          expect(normAccount(once.slice(0, colon), once.slice(colon + 1))).toBe(once);
        },
      ),
      { seed, numRuns },
    );
  });

  it('normMoney (its amount written plainly)', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.integer().map(String), fc.double().map(String)), (s) => {
        const once = normMoney(s);
        if (once !== null) expect(normMoney(String(once))).toBe(once);
      }),
      { seed, numRuns },
    );
  });

  it('normProvince maps every canonical name to itself', () => {
    for (const p of currentProvinces) expect(normProvince(p.name)).toBe(p.name);
  });
});

describe('a valid mobile phone, however it is written, normalises to the same 10 digits', () => {
  const mobile = fc
    .tuple(fc.constantFrom('3', '5', '7', '8', '9'), fc.stringMatching(/^[0-9]{8}$/))
    .map(([head, rest]) => head + rest);
  const rendering = fc.record({
    prefix: fc.constantFrom('0', '+84', '84', '0084', '(+84)', '+84 (0)', '+84-', '84-', '+84.', ''),
    groups: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 6 }),
    separators: fc.array(fc.constantFrom(' ', '.', '-', '', '  ', '\u00a0'), { minLength: 6, maxLength: 6 }),
    pad: fc.constantFrom('', ' ', '\t', '  '),
  });

  it('`+84 912 345 678`, `84-912…`, spaces and dots all give 0 + nine digits', () => {
    fc.assert(
      fc.property(mobile, rendering, (digits, r) => {
        const parts: string[] = [];
        let at = 0;
        for (const g of r.groups) {
          if (at >= digits.length) break;
          parts.push(digits.slice(at, at + g));
          at += g;
        }
        if (at < digits.length) parts.push(digits.slice(at));
        const text = r.pad + r.prefix + parts.map((p, i) => (i === 0 ? p : r.separators[i % 6]! + p)).join('') + r.pad;
        expect(normPhone(text)).toBe('0' + digits);
      }),
      { seed, numRuns: 1000 },
    );
  });

  it.each([
    { input: '+84 912 345 678', expected: '0912345678' },
    { input: '84-912-345-678', expected: '0912345678' },
    { input: '0912.345.678', expected: '0912345678' },
    { input: '(+84) 0912 345 678', expected: '0912345678' },
  ])('$input', ({ input, expected }) => {
    expect(normPhone(input)).toBe(expected);
  });
});

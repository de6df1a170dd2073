import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  installNormalizeMacros,
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
  oldToCurrent,
  provinceAliases,
  provinceKey,
  provinceOfAddress,
  stripDiacritics,
} from '../../engine/normalize/index.js';
import { literal, openDb, type Db, type Scalar } from '../../engine/warehouse/db.js';
import {
  accountCases,
  bankCases,
  domainCases,
  emailCases,
  moneyCases,
  nameCases,
  nationalIdCases,
  phoneCases,
  provinceCases,
  taxIdCases,
} from './cases.js';

type Raw = string | null;

let db: Db;
beforeAll(async () => {
  db = await openDb(':memory:');
  await installNormalizeMacros(db);
});
afterAll(() => db.close());

const sqlText = (v: Raw) => (v === null ? 'null::varchar' : literal(v));

/** Runs `macro(a[, b])` over every input row in one query; returns outputs in input order. */
async function runMacro(macro: string, inputs: ReadonlyArray<readonly Raw[]>): Promise<Scalar[]> {
  const values = inputs.map((args, i) => `(${i}, ${args.map(sqlText).join(', ')})`).join(',\n');
  const params = inputs[0]!.map((_, j) => `a${j}`);
  const rows = await db.all(
    `select ${macro}(${params.join(', ')}) as out from (values ${values}) t(i, ${params.join(', ')}) order by i`,
  );
  return rows.map((r) => r.out!);
}

interface MacroTable {
  macro: string;
  rows: Array<{ args: Raw[]; expected: Scalar }>;
}

const one = <T>(cases: Array<{ input: Raw; expected: T }>, pick: (e: T) => Scalar) =>
  cases.map((c) => ({ args: [c.input], expected: pick(c.expected) }));

const oldSpellings = Object.entries(oldToCurrent).flatMap(([old, current]) => [
  { input: stripDiacritics(old).toUpperCase(), expected: current },
  { input: `Tỉnh ${old}`, expected: current },
  { input: `12 Đường Số 3, Phường 4, ${old}, Việt Nam`, expected: current },
]);

const tables: MacroTable[] = [
  { macro: 'norm_phone', rows: one(phoneCases, (e) => e) },
  { macro: 'norm_tax_id', rows: one(taxIdCases, (e) => e?.taxId ?? null) },
  { macro: 'tax_id_parent', rows: one(taxIdCases, (e) => e?.parent ?? null) },
  { macro: 'tax_id_kind', rows: one(taxIdCases, (e) => e?.kind ?? null) },
  { macro: 'tax_id_root', rows: one(taxIdCases, (e) => e?.parent ?? e?.taxId ?? null) },
  { macro: 'mst_valid', rows: one(taxIdCases, (e) => e?.valid ?? false) },
  { macro: 'norm_national_id', rows: one(nationalIdCases, (e) => e) },
  { macro: 'name_key', rows: one(nameCases, (e) => e?.key ?? null) },
  { macro: 'norm_email', rows: one(emailCases, (e) => e) },
  { macro: 'norm_domain', rows: one(domainCases, (e) => e) },
  { macro: 'norm_bank', rows: one(bankCases, (e) => e) },
  { macro: 'norm_account', rows: accountCases.map((c) => ({ args: [c.bank, c.account], expected: c.expected })) },
  { macro: 'norm_province', rows: one([...provinceCases, ...oldSpellings], (e) => e) },
  { macro: 'norm_province_row', rows: one([...provinceCases, ...oldSpellings], (e) => e) },
  { macro: 'norm_money', rows: one(moneyCases, (e) => e) },
];

describe('SQL macros give the tables’ expected outputs', () => {
  it.each(tables)('$macro', async ({ macro, rows }) => {
    const out = await runMacro(
      macro,
      rows.map((r) => r.args),
    );
    expect(rows.map((r, i) => ({ args: r.args, out: out[i] }))).toEqual(
      rows.map((r) => ({ args: r.args, out: r.expected })),
    );
  });

  it('province_key equals provinceKey and joins ref_province_alias', async () => {
    const inputs = [...provinceCases, ...oldSpellings].map((c) => c.input).filter((v): v is string => v !== null);
    const keys = await runMacro(
      'province_key',
      inputs.map((v) => [v]),
    );
    expect(keys).toEqual(inputs.map(provinceKey));
    const n = await db.value<number>('select count(*)::int from ref_province_alias');
    expect(n).toBe(provinceAliases.size);
  });

  it('pickup_place: house number and street with the ward, whichever way the clerk typed the ward', async () => {
    const places = await runMacro(
      'pickup_place',
      [
        '12 Lê Lợi, Phường 13, Quận 5, TP. Hồ Chí Minh',
        '12 le loi, P. 13, Q5, HCM',
        '12 Lê Lợi, P13, Quận 5',
        '12 Lê Lợi - P.013 - Quận 5',
        'Thôn 2, Xã Tân Phú, Đồng Nai',
        '12 Lê Lợi, Phường 3, Quận 5',
        '',
      ].map((a) => [a]),
    );
    expect(places).toEqual([
      '12 le loi / 13',
      '12 le loi / 13',
      '12 le loi / 13',
      '12 le loi / 13',
      'thon 2 / tan phu',
      '12 le loi / 3',
      null,
    ]);
  });

  it('personal_name: a surname first, or a surname that is also a shop word before Văn / Thị', async () => {
    const names: Array<[string, boolean]> = [
      ['nguyen thi lan', true],
      ['vuong minh vy', true], // Vương: a surname no shop word reads like
      ['do thi trang', true], // Đỗ, also a shop word (đồ): before Thị
      ['cu thi vy', true], // Cù (củ): before Thị
      ['nong van thanh', true], // Nông (nông sản): before Văn
      ['thai thi ha', true],
      ['thai lan shop', false], // Thái Lan goods
      ['do choi tre em', false], // đồ chơi: a toy shop
      ['dung van chuyen', false], // Dũng Vận chuyển: a given name, then vận chuyển (transport)
      ['tiem van phong pham', false],
      ['nguyen lan', false], // two words (name_personal reads those apart)
      ['nguyen van an binh duong tan', false], // six words
    ];
    const out = await runMacro(
      'personal_name',
      names.map(([n]) => [n]),
    );
    expect(out).toEqual(names.map(([, p]) => p));
  });

  it('province_of_address equals provinceOfAddress', async () => {
    const inputs = provinceCases.map((c) => [c.input]);
    expect(await runMacro('province_of_address', inputs)).toEqual(inputs.map(([v]) => provinceOfAddress(v)));
  });

  it('installs twice without error (create or replace)', async () => {
    await installNormalizeMacros(db);
    expect(await db.value(`select norm_phone('+84 912 345 678')`)).toBe('0912345678');
  });
});

// Random dirty inputs built from the pieces deliveries are made of; TS and SQL must agree on all.
const pieces = (...p: string[]) => fc.array(fc.constantFrom(...p), { maxLength: 12 }).map((a) => a.join(''));
const vietnamese =
  'aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵÀÁẢÃẠỄỆỜỚỮ';
const provinceWords = [...provinceAliases.keys()].slice(0, 40).concat(Object.keys(oldToCurrent).slice(0, 40));

const generators: Array<{ macro: string; ts: (...a: Raw[]) => Scalar; arb: fc.Arbitrary<Raw[]> }> = [
  {
    macro: 'norm_phone',
    ts: normPhone,
    arb: pieces(
      '0',
      '9',
      '1',
      '2',
      '3',
      '84',
      '+84',
      '0084',
      '912',
      '345',
      '678',
      ' ',
      '-',
      '.',
      '(',
      ')',
      'x',
      '\u00a0',
    ).map((s) => [s]),
  },
  {
    macro: 'norm_tax_id',
    ts: (s) => normTaxId(s)?.taxId ?? null,
    arb: pieces('0', '1', '9', '0100109106', '001', '-', ' ', '.', 'MST:', '12').map((s) => [s]),
  },
  {
    macro: 'mst_valid',
    ts: (s) => normTaxId(s)?.valid ?? false,
    arb: fc.stringMatching(/^[0-9]{9,13}$/).map((s) => [s]),
  },
  {
    macro: 'tax_id_parent',
    ts: (s) => normTaxId(s)?.parent ?? null,
    arb: pieces('0', '5', '0100109106', '-', '001', ' ').map((s) => [s]),
  },
  {
    macro: 'norm_national_id',
    ts: normNationalId,
    arb: pieces('0', '1', '079', '201', ' ', '.', 'E+', 'CCCD').map((s) => [s]),
  },
  {
    macro: 'name_key',
    ts: (s) => normName(s)?.key ?? null,
    arb: fc
      .string({
        unit: fc.constantFrom(...vietnamese, ' ', '  ', '\u00a0', '\t', '\u0303', '\u0301', '&', '.'),
        maxLength: 16,
      })
      .map((s) => [s]),
  },
  {
    macro: 'norm_email',
    ts: normEmail,
    arb: pieces('a', 'B', '.', '@', '-', '_', '+', 'gmail', 'com', 'vn', ' ', '1', 'mailto:', 'ư').map((s) => [s]),
  },
  {
    macro: 'norm_domain',
    ts: normDomain,
    arb: pieces(
      'https://',
      'HTTP://',
      '//',
      'www.',
      'shop',
      '-',
      '.',
      'vn',
      'com',
      ':8080',
      '/',
      '?',
      '#',
      'id',
      '123',
      '_',
      'Ă',
      ' ',
      'play.google.com/store/apps/details?id=',
      'apps.apple.com/vn/app/x/',
      '&',
      '=',
    ).map((s) => [s]),
  },
  {
    macro: 'norm_bank',
    ts: normBank,
    arb: pieces(
      'Ngân hàng ',
      'NH ',
      'TMCP ',
      'Vietcombank',
      'MB',
      ' Bank',
      'vcb',
      'Á Châu',
      'Công Thương',
      '-',
      ' ',
    ).map((s) => [s]),
  },
  {
    macro: 'norm_account',
    ts: normAccount,
    arb: fc.tuple(
      fc.constantFrom<Raw>('VCB', 'mb bank', 'Techcombank', '', null, 'Ngân hàng TMCP Ngoại thương'),
      pieces('0011', '004', '12345', ' ', '-', '.', "'", 'E+', '9'),
    ),
  },
  {
    macro: 'norm_province',
    ts: normProvince,
    arb: pieces(
      ...provinceWords,
      'TP.',
      'Tp ',
      'Tỉnh ',
      'Thành phố ',
      'T.',
      'Q.1',
      ', ',
      ' ',
      'Phường 3',
      'Số 5 ',
      'Việt Nam',
      ' 700000',
      '|',
      ';',
      '\n',
      'Đường ',
      'Xã Hòa Bình',
      '-',
      'HCM',
      'HN',
    ).map((s) => [s]),
  },
  {
    macro: 'norm_money',
    ts: (s) => normMoney(s),
    arb: pieces(
      '1',
      '2',
      '5',
      '0',
      '000',
      '.',
      ',',
      ' ',
      '-',
      '(',
      ')',
      'đ',
      'VND',
      'vnđ',
      'e+',
      "'",
      '₫',
      '+',
      '\u00a0',
    ).map((s) => [s]),
  },
];

describe('SQL macros agree with the TS functions on random dirty inputs', () => {
  it.each(generators)('$macro', async ({ macro, ts, arb }) => {
    const inputs = fc.sample(arb, { seed: 42, numRuns: 400 });
    const out = await runMacro(macro, inputs);
    expect(inputs.map((args, i) => ({ args, out: out[i] }))).toEqual(
      inputs.map((args) => ({ args, out: ts(...args) })),
    );
  });
});

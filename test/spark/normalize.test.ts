/**
 * Every normaliser on both engines over the same table of cases: the DuckDB macros
 * (engine/normalize/sql.ts) and their Spark rendering (engine/spark/dialect.py) must give the same
 * output for the hand-written cases of test/normalize and for seeded random dirty inputs.
 * Needs `npm run setup:spark` (npm run test:spark).
 */
import fc from 'fast-check';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  installNormalizeMacros,
  normalizeMacrosSql,
  oldToCurrent,
  stripDiacritics,
} from '../../engine/normalize/index.js';
import { sparkConf } from '../../engine/spark/models.js';
import { SparkDriver, SparkJobError } from '../../engine/spark/submit.js';
import { configSchema } from '../../engine/config/index.js';
import { literal, openDb, type Db } from '../../engine/warehouse/db.js';
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
} from '../normalize/cases.js';

type Raw = string | null;
const inputs = <T>(cases: Array<{ input: Raw; expected: T }>) => cases.map((c) => [c.input]);

// seeded random dirty inputs from the pieces deliveries are made of
const pieces = (seed: number, ...p: string[]) =>
  fc.sample(fc.array(fc.constantFrom(...p), { maxLength: 10 }), { seed, numRuns: 150 }).map((a) => [a.join('')]);
const marks = 'àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵđĐÀÁẢÃẠ\u0303\u0301\u00a0\t\n';
const oldSpellings = Object.keys(oldToCurrent).flatMap((old) => [
  [stripDiacritics(old).toUpperCase()],
  [`Tỉnh ${old}`],
  [`12 Đường Số 3, Phường 4, ${old}, Việt Nam`],
]);

const tables: Array<{ macro: string; rows: Raw[][] }> = [
  {
    macro: 'norm_phone',
    rows: [...inputs(phoneCases), ...pieces(1, '0', '9', '84', '+84', '912', ' ', '-', '\u00a0')],
  },
  {
    macro: 'norm_tax_id',
    rows: [...inputs(taxIdCases), ...pieces(2, '0', '1', '0100109106', '001', '-', ' ', 'MST:')],
  },
  { macro: 'tax_id_parent', rows: inputs(taxIdCases) },
  { macro: 'tax_id_kind', rows: inputs(taxIdCases) },
  { macro: 'tax_id_root', rows: inputs(taxIdCases) },
  { macro: 'mst_valid', rows: [...inputs(taxIdCases), ...pieces(3, '0', '1', '3', '7', '9', '0100109106', '-')] },
  { macro: 'norm_national_id', rows: [...inputs(nationalIdCases), ...pieces(4, '0', '079', '201', ' ', '.', 'E+')] },
  { macro: 'name_key', rows: [...inputs(nameCases), ...pieces(5, ...marks, 'a', 'B', ' ', '  ', '&', '.', 'Nguyễn')] },
  { macro: 'text_key', rows: [...inputs(nameCases), ...pieces(6, ...marks, 'Ø', 'ß', 'Œ', 'ı', 'İ', 'x', ' ')] },
  {
    macro: 'norm_email',
    rows: [...inputs(emailCases), ...pieces(7, 'a', 'B', '.', '@', '-', 'gmail', 'com', ' ', 'mailto:', 'ư')],
  },
  {
    macro: 'norm_domain',
    rows: [
      ...inputs(domainCases),
      ...pieces(8, 'https://', 'www.', 'shop', '-', '.', 'vn', ':8080', '/', '?', 'é', ' '),
    ],
  },
  {
    macro: 'norm_bank',
    rows: [...inputs(bankCases), ...pieces(9, 'Ngân hàng', 'NH', 'TMCP', 'Vietcombank', ' ', 'đ', '-')],
  },
  { macro: 'norm_account', rows: accountCases.map((c) => [c.bank, c.account]) },
  {
    macro: 'norm_province',
    rows: [
      ...inputs(provinceCases),
      ...oldSpellings,
      ...pieces(10, 'Tỉnh ', 'TP.', 'Hà Nội', 'hcm', ', ', 'Quận 1', ' 700000', 'Việt Nam', 'x'),
    ],
  },
  { macro: 'province_of_address', rows: [...inputs(provinceCases), ...oldSpellings] },
  { macro: 'province_key', rows: [...inputs(provinceCases), ...oldSpellings] },
  {
    macro: 'norm_money',
    rows: [
      ...inputs(moneyCases),
      ...pieces(11, '1', '0', '.', ',', '000', '(', ')', 'đ', 'VND', ' ', '-', 'e', '5', '\u00a0'),
    ],
  },
];

let db: Db;
let dir: string;
let spark: Map<string, unknown[]>;
let driver: SparkDriver | undefined;

beforeAll(async () => {
  db = await openDb(':memory:');
  await installNormalizeMacros(db);
  dir = mkdtempSync(join(tmpdir(), 'sangloc-spark-norm-'));
  // one Parquet file of cases per macro, then one Spark job computing every macro over its cases
  const inputsSpec: Record<string, { paths: string[] }> = {};
  for (const t of tables) {
    const width = t.rows[0]!.length;
    const cols = Array.from({ length: width }, (_, j) => `a${j}`);
    const values = t.rows
      .map((r, i) => `(${i}, ${r.map((v) => (v === null ? 'null::varchar' : literal(v))).join(', ')})`)
      .join(',\n');
    await db.exec(`create table cases_${t.macro} as select * from (values ${values}) v(i, ${cols.join(', ')})`);
    const file = join(dir, `cases_${t.macro}.parquet`);
    await db.exec(`copy cases_${t.macro} to ${literal(file)} (format parquet)`);
    inputsSpec[`cases_${t.macro}`] = { paths: [file] };
  }
  const sql = (t: (typeof tables)[number]) => {
    const cols = Array.from({ length: t.rows[0]!.length }, (_, j) => `a${j}`);
    return `select i, ${t.macro}(${cols.join(', ')}) as out from cases_${t.macro}`;
  };
  driver = new SparkDriver(
    {
      app: 'sangloc normalize parity',
      master: 'local[2]',
      conf: sparkConf(configSchema.parse({})),
      macros: normalizeMacrosSql,
    },
    { workDir: join(dir, 'job') },
  );
  await driver.run({
    variables: {},
    inputs: inputsSpec,
    models: tables.map((t) => ({ name: `out_${t.macro}`, sql: sql(t) })),
    out: join(dir, 'out'),
  });
  spark = new Map();
  for (const t of tables) {
    const rows = await db.all<{ out: unknown }>(
      `select out from read_parquet(${literal(join(dir, 'out', `out_${t.macro}`, '*.parquet'))}) order by i`,
    );
    spark.set(
      t.macro,
      rows.map((r) => r.out),
    );
  }
}, 900_000);

afterAll(async () => {
  await driver?.kill();
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('normalisers: DuckDB macros and their Spark rendering agree on every case', () => {
  it.each(tables)('$macro', async (t) => {
    const cols = Array.from({ length: t.rows[0]!.length }, (_, j) => `a${j}`);
    const duck = (
      await db.all<{ out: unknown }>(`select ${t.macro}(${cols.join(', ')}) as out from cases_${t.macro} order by i`)
    ).map((r) => r.out);
    const norm = (v: unknown) => (typeof v === 'bigint' ? Number(v) : v);
    const got = spark.get(t.macro)!;
    expect(got.length).toBe(t.rows.length);
    expect(t.rows.map((args, i) => ({ args, out: norm(got[i]) }))).toEqual(
      t.rows.map((args, i) => ({ args, out: norm(duck[i]) })),
    );
  });
});

describe('a failed Spark job names the model and Spark’s reason', () => {
  it('a model reading a column that is not there: SparkJobError at that model, UNRESOLVED_COLUMN', async () => {
    const job = driver!.run({
      variables: {},
      inputs: {},
      models: [
        { name: 'fine_model', sql: 'select 1 as a' },
        { name: 'broken_model', sql: 'select no_such_column from cases_norm_phone' },
      ],
      out: join(dir, 'out-broken'),
    });
    await expect(job).rejects.toThrow(SparkJobError);
    await expect(job).rejects.toThrow(/^Spark job failed at broken_model: .*UNRESOLVED_COLUMN/);
    // the model before it was written whole; the failed one left nothing
    expect(readdirSync(join(dir, 'out-broken')).sort()).toEqual(['fine_model']);
  });

  it('a value Spark could not cast is left out of the reason (no personal data in errors)', async () => {
    const job = driver!.run({
      variables: {},
      inputs: {},
      models: [{ name: 'cast_model', sql: 'select cast(a0 as bigint) as x from cases_norm_phone' }],
      out: join(dir, 'out-cast'),
    });
    await expect(job).rejects.toThrow(/^Spark job failed at cast_model: .*CAST_INVALID_INPUT.*The value '…'/);
    const message = ((await job.catch((e: Error) => e)) as Error).message;
    const phones = tables[0]!.rows.map((r) => r[0]).filter((v): v is string => typeof v === 'string' && v.length > 3);
    expect(phones.length).toBeGreaterThan(10);
    for (const v of phones) expect(message).not.toContain(v);
  });
});

describe('model SQL the dialect rewrites: the same rows on both engines', () => {
  // rows in no order, NULL values and keys, several groups
  const values = `(2, 'c', 3), (1, 'b', null), (2, 'a', 1), (1, null, 2), (2, 'b', null), (1, 'a', 5), (3, 'z', 1)`;
  const models = [
    {
      name: 'ordered_lists',
      sql: `select g, list(x order by x) as by_value, list(x order by k, x) as by_key,
              list(x order by k nulls first, x) as nulls_first
            from lists group by g`,
    },
    {
      name: 'shared_cte',
      sql: `with s as (select g, count(*) as n from lists group by g)
            select a.g, a.n, b.n as again from s as a join s as b on b.g = a.g`,
    },
  ];

  it.each(models)('$name', async (m) => {
    await db.exec(`create or replace table lists as select * from (values ${values}) v(g, x, k)`);
    const file = join(dir, 'lists.parquet');
    await db.exec(`copy lists to ${literal(file)} (format parquet)`);
    const out = join(dir, `out-${m.name}`);
    await driver!.run({ variables: {}, inputs: { lists: { paths: [file] } }, models: [m], out });
    const sorted = `order by g`;
    const duck = await db.all(`select * from (${m.sql}) ${sorted}`);
    const got = await db.all(`select * from read_parquet(${literal(join(out, m.name, '*.parquet'))}) ${sorted}`);
    expect(duck.length).toBe(3);
    expect(JSON.parse(JSON.stringify(got, (_, v) => (typeof v === 'bigint' ? Number(v) : v)))).toEqual(
      JSON.parse(JSON.stringify(duck, (_, v) => (typeof v === 'bigint' ? Number(v) : v))),
    );
  });
});

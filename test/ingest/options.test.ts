import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, validateIngestConfig } from '../../engine/config/index.js';
import { ConfigError } from '../../engine/errors.js';
import { mapHeaders } from '../../engine/ingest/headers.js';
import { contractFormSql, type SourceIngestConfig } from '../../engine/ingest/options.js';
import { sources, type ColumnSpec } from '../../engine/ingest/sources.js';
import { literal } from '../../engine/warehouse/db.js';
import { tempDir, withDb, writeFiles } from '../helpers.js';

describe('validateIngestConfig', () => {
  it.each<{ name: string; ingest: unknown; problems: RegExp[] }>([
    { name: 'empty', ingest: { sources: {} }, problems: [] },
    {
      name: 'a bank export',
      ingest: {
        sources: {
          bank_transactions: {
            rename: { 'Số tiền': 'amount' },
            dateFormat: '%d/%m/%Y',
            decimal: ',',
            thousands: '.',
            encoding: 'windows-1258',
          },
        },
      },
      problems: [],
    },
    {
      name: 'a CSV dialect',
      ingest: {
        sources: {
          cod_shipments: { delimiter: ';', quote: "'", escape: '\\' },
          bank_transactions: { delimiter: '\t' },
        },
      },
      problems: [],
    },
    {
      name: 'a delimiter, quote or escape outside the lists',
      ingest: { sources: { cod_shipments: { delimiter: ':', quote: '`', escape: '/' } } },
      problems: [/cod_shipments\.delimiter/, /cod_shipments\.quote/, /cod_shipments\.escape/],
    },
    { name: 'not an object', ingest: [], problems: [/^ingest: expected object \{ sources \}, got an array/] },
    {
      name: 'unknown source',
      ingest: { sources: { banks: {} } },
      problems: [/ingest\.sources\.banks: unknown source/],
    },
    {
      name: 'a source named like an object property',
      ingest: { sources: { constructor: { rename: { a: 'b' } } } },
      problems: [/ingest\.sources\.constructor: unknown source/],
    },
    {
      name: 'unknown setting, near a known one',
      ingest: { sources: { websites: { encodng: 'utf-8' } } },
      problems: [
        /^ingest\.sources\.websites\.encodng: unknown key; did you mean "ingest\.sources\.websites\.encoding"\?$/,
      ],
    },
    {
      name: 'unknown setting, near none',
      ingest: { sources: { websites: { colour: 'red' } } },
      problems: [/^ingest\.sources\.websites\.colour: unknown key; expected one of rename, dateFormat, /],
    },
    {
      name: 'a source that is not an object',
      ingest: { sources: { websites: 'utf-8', taxpayers: { rename: { MST: 'tax_idd' } } } },
      problems: [
        /^ingest\.sources\.websites: expected object \{ rename, dateFormat, .* \}, got "utf-8"/,
        /rename\.MST: "tax_idd" is not a column of taxpayers/,
      ],
    },
    {
      name: 'rename to a column the source lacks',
      ingest: { sources: { bank_transactions: { rename: { 'Số tiền': 'amout' } } } },
      problems: [/rename\.Số tiền: "amout" is not a column of bank_transactions/],
    },
    {
      name: 'two names onto one column',
      ingest: { sources: { bank_transactions: { rename: { a: 'amount', b: 'amount' } } } },
      problems: [/rename\.b: amount is already the target of "a"/],
    },
    {
      name: 'date format without a year',
      ingest: { sources: { declarations: { dateFormat: '%d/%m' } } },
      problems: [/declarations\.dateFormat: expected a strptime format/],
    },
    {
      name: 'same decimal and thousands',
      ingest: { sources: { declarations: { decimal: '.', thousands: '.' } } },
      problems: [/decimal and thousands are both/],
    },
    {
      name: 'bad separators',
      ingest: { sources: { declarations: { decimal: ';', thousands: '_' } } },
      problems: [/decimal: expected/, /thousands: expected/],
    },
    {
      name: 'unknown encoding',
      ingest: { sources: { taxpayers: { encoding: 'tcvn-3000' } } },
      problems: [/taxpayers\.encoding: unknown encoding "tcvn-3000"/],
    },
    {
      name: 'a workbook sheet and header row',
      ingest: { sources: { bank_transactions: { sheet: 'Sao kê', headerRow: 4 } } },
      problems: [],
    },
    { name: 'a sheet by position', ingest: { sources: { bank_transactions: { sheet: 2 } } }, problems: [] },
    {
      name: 'bad sheet and header row',
      ingest: { sources: { bank_transactions: { sheet: 0, headerRow: 'A4' } } },
      problems: [/bank_transactions\.sheet: /, /bank_transactions\.headerRow: /],
    },
  ])('$name', ({ ingest, problems }) => {
    const got = validateIngestConfig(ingest);
    expect(got).toHaveLength(problems.length);
    problems.forEach((p, k) => expect(got[k]).toMatch(p));
  });

  it('reports ingest problems together with the other config problems', () => {
    const file = join(
      writeFiles(tempDir(), {
        'c.json': JSON.stringify({ threads: 0, ingest: { sources: { bank_transactions: { encoding: 'nope' } } } }),
      }),
      'c.json',
    );
    let err: unknown;
    try {
      loadConfig(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems.join('\n')).toMatch(
      /threads:[\s\S]*ingest\.sources\.bank_transactions\.encoding/,
    );
  });

  it('defaults to files that follow the contract', () => {
    expect(loadConfig().ingest).toEqual({ sources: {} });
  });
});

const col = (source: keyof typeof sources, name: string) => sources[source].columns.find((c) => c.name === name)!;

describe('contractFormSql: delivered text → contract form, or as delivered when the format does not fit', () => {
  const vnd = col('bank_transactions', 'amount');
  const date = col('declarations', 'filed_on');
  const ts = col('bank_transactions', 'booked_at');
  const dotThousands: SourceIngestConfig = { decimal: ',', thousands: '.' };
  const commaThousands: SourceIngestConfig = { thousands: ',' };
  const dmy: SourceIngestConfig = { dateFormat: '%d/%m/%Y' };
  it.each<{ spec: ColumnSpec; cfg: SourceIngestConfig; input: string | null; output: string | null }>([
    { spec: vnd, cfg: dotThousands, input: '1.250.000', output: '1250000' },
    { spec: vnd, cfg: dotThousands, input: ' 1.250.000,00 ', output: '1250000' },
    { spec: vnd, cfg: dotThousands, input: '1.250.000,5', output: '1250001' },
    { spec: vnd, cfg: dotThousands, input: '-1.250', output: '-1250' },
    { spec: vnd, cfg: dotThousands, input: '1250000', output: '1250000' },
    { spec: vnd, cfg: dotThousands, input: '1.25.000', output: '1.25.000' },
    { spec: vnd, cfg: dotThousands, input: '1,250,000', output: '1,250,000' },
    { spec: vnd, cfg: dotThousands, input: 'abc', output: 'abc' },
    { spec: vnd, cfg: commaThousands, input: '1,250,000.40', output: '1250000' },
    { spec: vnd, cfg: { thousands: ' ' }, input: '1 250 000', output: '1250000' },
    { spec: vnd, cfg: dotThousands, input: null, output: null },
    { spec: date, cfg: dmy, input: '22/11/2026', output: '2026-11-22' },
    { spec: date, cfg: dmy, input: '2026-11-22', output: '2026-11-22' },
    { spec: date, cfg: dmy, input: '31/02/2026', output: '31/02/2026' },
    { spec: ts, cfg: dmy, input: '22/11/2026 08:15', output: '2026-11-22T08:15:00' },
    { spec: ts, cfg: dmy, input: '22/11/2026 08:15:09', output: '2026-11-22T08:15:09' },
    { spec: ts, cfg: dmy, input: '22/11/2026', output: '2026-11-22T00:00:00' },
    { spec: ts, cfg: { timestampFormat: '%d-%m-%Y %Hh%M' }, input: '22-11-2026 08h15', output: '2026-11-22T08:15:00' },
    { spec: ts, cfg: dmy, input: '2026-11-22T08:15:00+07:00', output: '2026-11-22T08:15:00+07:00' },
  ])('$spec.name $input → $output', async ({ spec, cfg, input, output }) => {
    const sql = contractFormSql(spec, 'v', cfg)!;
    expect(sql).not.toBeNull();
    await withDb(async (db) => {
      expect(
        await db.value(`select ${sql} from (select ${input === null ? 'null' : literal(input)}::varchar as v)`),
      ).toBe(output);
    });
  });

  it.each<{ spec: ColumnSpec; cfg: SourceIngestConfig | undefined }>([
    { spec: vnd, cfg: undefined },
    { spec: vnd, cfg: { dateFormat: '%d/%m/%Y' } },
    { spec: date, cfg: { thousands: '.' as const } },
    { spec: col('bank_transactions', 'description'), cfg: { dateFormat: '%d/%m/%Y', thousands: '.' as const } },
  ])('leaves $spec.name alone when the config says nothing about it', ({ spec, cfg }) => {
    expect(contractFormSql(spec, 'v', cfg)).toBeNull();
  });
});

describe('mapHeaders with the config rename', () => {
  it.each<{
    name: string;
    header: string[];
    rename: Record<string, string> | undefined;
    expected: Record<string, string>;
  }>([
    {
      name: 'contract names, any case',
      header: ['TAX_ID', 'Period'],
      rename: undefined,
      expected: { tax_id: 'TAX_ID', period: 'Period' },
    },
    {
      name: 'renamed, matched case-insensitively',
      header: ['Mã số thuế', 'Kỳ'],
      rename: { 'mã số thuế': 'tax_id', KỲ: 'period' },
      expected: { tax_id: 'Mã số thuế', period: 'Kỳ' },
    },
    {
      name: 'a renamed column wins over the contract name',
      header: ['tax_id', 'MST'],
      rename: { MST: 'tax_id' },
      expected: { tax_id: 'MST' },
    },
    {
      name: 'a rename whose column is absent changes nothing',
      header: ['tax_id'],
      rename: { MST: 'tax_id' },
      expected: { tax_id: 'tax_id' },
    },
  ])('$name', ({ header, rename, expected }) => {
    expect(
      Object.fromEntries(mapHeaders('declarations', header, rename).columns.map((c) => [c.contract, c.fileColumn])),
    ).toEqual(expected);
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeDialect, sniffAmounts, sniffDialect } from '../../engine/ingest/dialect.js';
import { loadDelivery } from '../../engine/ingest/load.js';
import { scanCsv } from '../../engine/ingest/scan.js';
import { silentLogger } from '../../engine/log.js';
import { tempDir, withDb, writeFiles } from '../helpers.js';

describe('sniffDialect: the delimiter that fits the head, a sep= line, or the config', () => {
  it.each([
    { name: 'comma', text: 'a,b,c\n1,2,3\n4,5,6\n', expected: { delimiter: ',', how: 'detected', skip: 0 } },
    {
      name: 'semicolon, commas inside values',
      text: 'a;b;c\n1,5;x, y;3\n4;5;6\n',
      expected: { delimiter: ';', how: 'detected' },
    },
    { name: 'tab', text: 'a\tb\tc\n1\t2;x\t3\n', expected: { delimiter: '\t', how: 'detected' } },
    { name: 'pipe', text: 'a|b\n1|2\n', expected: { delimiter: '|', how: 'detected' } },
    {
      name: 'a quoted delimiter does not count',
      text: 'a;b\n"x;y";2\n"1;2;3";4\n',
      expected: { delimiter: ';', how: 'detected' },
    },
    {
      name: 'sep= line (Excel)',
      text: 'sep=;\r\na;b\r\n1;2\r\n',
      expected: { delimiter: ';', how: 'sep= line', skip: 1 },
    },
    { name: 'sep= line with a tab', text: 'sep=\t\na\tb\n', expected: { delimiter: '\t', how: 'sep= line', skip: 1 } },
    { name: 'quoted sep= line', text: '"sep=|"\na|b\n', expected: { delimiter: '|', how: 'sep= line', skip: 1 } },
    {
      name: 'config wins over the head',
      text: 'a;b\n1;2\n',
      config: { delimiter: ',' },
      expected: { delimiter: ',', how: 'config' },
      alternatives: [';'],
    },
    {
      name: 'ragged rows: nothing fits, the default stays',
      text: 'a,b,c\n1,2\n1,2,3,4\n1\n',
      expected: { delimiter: ',', how: 'default' },
      alternatives: [],
    },
    { name: 'one column', text: 'a\n1\n', expected: { delimiter: ',', how: 'default' } },
    {
      name: 'a backslash-escaped quote',
      text: 'a,b\n"x \\"y\\", z",2\n',
      expected: { delimiter: ',', escape: '\\', how: 'detected' },
    },
    {
      name: 'a doubled quote stays RFC 4180',
      text: 'a,b\n"x ""y"", z",2\n',
      expected: { delimiter: ',', escape: '"', quote: '"' },
    },
    {
      name: 'an unterminated quote keeps the default quote',
      text: 'a,b\n1,2\n1,"2\n',
      expected: { delimiter: ',', quote: '"', escape: '"' },
    },
  ])('$name', ({ text, config, expected, alternatives }) => {
    const s = sniffDialect(text, { ...config, wholeFile: true });
    expect({ ...s.dialect, how: s.how }).toMatchObject(expected);
    if (alternatives) expect(s.alternatives).toEqual(alternatives);
  });

  it('when two delimiters fit, the header the contract knows decides, and the other is named', () => {
    const text = 'carrier;waybill,x\nghn;1,2\n';
    const known = (h: string[]) => h.filter((x) => x === 'carrier' || x === 'waybill,x').length;
    expect(sniffDialect(text, { wholeFile: true, preferHeader: known })).toMatchObject({
      dialect: { delimiter: ';' },
      alternatives: [],
    });
    const s = sniffDialect(text, { wholeFile: true });
    expect(s.dialect.delimiter).toBe(',');
    expect(s.alternatives).toEqual([';']);
    expect(describeDialect(s)).toContain("also fits ';'");
  });

  it('a head cut inside a record judges whole lines only', () => {
    const text = 'a;b\n' + '1;2\n'.repeat(50) + '3;"unfinished';
    expect(sniffDialect(text, { wholeFile: false })).toMatchObject({ dialect: { delimiter: ';' }, how: 'detected' });
  });
});

describe('sniffAmounts: digit grouping of money values only when there is no doubt', () => {
  it.each([
    { values: ['1.250.000', '980.000', '15000'], expected: { decimal: ',', thousands: '.' } },
    { values: ['1.250,5', '12'], expected: { decimal: ',', thousands: '.' } },
    { values: ['1,250,000', '980,000'], expected: { decimal: '.', thousands: ',' } },
    { values: ['1.250', '980.000'], expected: undefined }, // one group: 1.25 or 1250
    { values: ['1.250.000', '1.5'], expected: undefined }, // 1.5 is the other form
    { values: ['12,5'], expected: undefined },
    { values: ['1250000', ''], expected: undefined },
    { values: ['abc', '1.250.000'], expected: { decimal: ',', thousands: '.' } },
  ])('$values', ({ values, expected }) => {
    expect(sniffAmounts(values)).toEqual(expected);
  });
});

describe('scanCsv follows the dialect quoting', () => {
  it('a backslash-escaped quote does not end the field: the line break inside stays quoted', () => {
    const dir = writeFiles(join(tempDir(), 'd'), { 'x.csv': 'a,b\n"x \\"y\n z",2\nq,3\n' });
    expect(scanCsv(join(dir, 'x.csv'), { quote: '"', escape: '\\' })).toMatchObject({
      records: 3,
      lines: 4,
      quotedNewlines: 1,
    });
    // Read as RFC 4180, the same bytes close the quote early and open another that runs to the end.
    expect(scanCsv(join(dir, 'x.csv')).quotedNewlines).not.toBe(1);
  });
});

describe('a sep= line is line 1: the header is line 2 and rows keep their physical lines', () => {
  it.each([
    {
      name: 'no record the reader rejects',
      content: 'sep=;\ntax_id;period;declared_revenue\n0100109106;2025;1\n0312345673;2025;-1\n',
      rejects: [4],
      kept: [3],
    },
    {
      name: 'after a record the reader rejects',
      content: 'sep=;\ntax_id;period;declared_revenue\n0100109106;2025\n0312345673;2025;-1\n0101234565;2025;2\n',
      rejects: [3, 4],
      kept: [5],
    },
  ])('$name', async ({ content, rejects, kept }) => {
    const root = tempDir();
    const dir = writeFiles(join(root, 'd'), { 'declarations.csv': content });
    await withDb(async (db) => {
      await loadDelivery(db, dir, { runId: 'r', log: silentLogger(), tmpDir: root });
      expect(
        (await db.all<{ line: number }>(`select line from rejects order by line`)).map((r) => Number(r.line)),
      ).toEqual(rejects);
      expect(
        (await db.all<{ _line: number }>(`select _line from raw_declarations order by _line`)).map((r) =>
          Number(r._line),
        ),
      ).toEqual(kept);
    });
  });
});

describe('a configured delimiter that does not fit names the one that does', () => {
  it('every row rejected with the setting to use, and the fix recorded', async () => {
    const root = tempDir();
    const dir = writeFiles(join(root, 'd'), {
      'declarations.csv': 'tax_id;period;declared_revenue\n0100109106;2025;1\n',
    });
    await withDb(async (db) => {
      const s = await loadDelivery(db, dir, {
        runId: 'r',
        log: silentLogger(),
        ingest: { sources: { declarations: { delimiter: ',' } } },
        tmpDir: root,
      });
      const f = s.files[0]!;
      expect(f).toMatchObject({ rowsRead: 1, rowsLoaded: 0, rowsRejected: 1 });
      expect(f.reading?.fix).toEqual({ delimiter: ';' });
      const reasons = await db.all<{ reason: string }>(`select reason from rejects`);
      expect(reasons[0]!.reason).toContain(`set ingest.sources.declarations.delimiter = ";"`);
    });
  });

  it('rows with too many fields under a wrong delimiter say which delimiter fits', async () => {
    const root = tempDir();
    // Under ',' the header splits in 2 but the rows in 3; under ';' all have 3 fields.
    const content = 'tax_id;period;declared_revenue,x\n0100109106;2025;1,5,0\n0312345673;2025;2,5,0\n';
    const dir = writeFiles(join(root, 'd'), { 'declarations.csv': content });
    await withDb(async (db) => {
      await loadDelivery(db, dir, {
        runId: 'r',
        log: silentLogger(),
        ingest: { sources: { declarations: { delimiter: ',' } } },
        tmpDir: root,
      });
      const rows = await db.all<{ line: number; reason: string }>(`select line, reason from rejects order by line`);
      expect(rows.map((r) => r.line)).toEqual([2, 3]);
      for (const r of rows)
        expect(r.reason).toMatch(
          /^3 fields where the header has 2 — the file looks ';'-separated: set ingest\.sources\.declarations\.delimiter = ";"$/,
        );
    });
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadDelivery, stepSql } from '../../engine/ingest/load.js';
import { silentLogger } from '../../engine/log.js';
import type { Db } from '../../engine/warehouse/db.js';
import { tempDir, withDb, writeFiles } from '../helpers.js';

const header =
  'carrier,waybill,sender_name,sender_phone,sender_address,sender_province,picked_up_on,cod_amount,status,remit_bank,remit_account';
const row = (waybill: string, address = 'Hà Nội', amount = '100000', date = '2026-11-02') =>
  `ghn,${waybill},An,0912345678,${address},,${date},${amount},delivered,,`;

interface Case {
  name: string;
  lines: string[];
  /** Physical start line of every loaded row, by waybill. */
  loaded: Record<string, number>;
  /** Rejects as [line, reason fragment]. */
  rejects: [number, RegExp][];
}

const cases: Case[] = [
  {
    name: 'addresses spanning lines move every later row down',
    lines: [
      header,
      row('W1', '"12 Lê Lợi\nP. Bến Thành"'),
      row('W2'),
      row('W3', '"a\n\nb"'),
      row('W4', 'x', '-5'),
      row('W5'),
    ],
    loaded: { W1: 2, W2: 4, W3: 5, W5: 9 },
    rejects: [[8, /negative amount/]],
  },
  {
    name: 'a record the CSV reader rejects after a quoted break',
    lines: [header, row('W1', '"x\ny"'), 'ghn,W2,too,few', row('W3'), row('W4', 'z', '5', '2026-13-01')],
    loaded: { W1: 2, W3: 5 },
    rejects: [
      [4, /fields where the header has/],
      [6, /not a real date/], // month 13: in the form, no such date
    ],
  },
  {
    name: 'empty lines are skipped, not counted as rows, and later lines stay right',
    lines: [header, row('W1'), '', row('W2'), '', '', row('W3', 'x', '-1'), row('W4', '"a\nb"'), '', row('W5')],
    loaded: { W1: 2, W2: 4, W4: 8, W5: 11 },
    rejects: [[7, /negative amount/]],
  },
  {
    name: 'CRLF file with a quoted CRLF break',
    lines: [header, row('W1', '"x\r\ny"'), row('W2', 'y', 'abc')],
    loaded: { W1: 2 },
    rejects: [[4, /not a whole VND amount/]],
  },
  {
    name: 'duplicate key after a quoted break names both physical lines',
    lines: [header, row('W1', '"x\ny"'), row('W2'), row('W1')],
    loaded: { W1: 2, W2: 4 },
    rejects: [[5, /duplicate key \(carrier, waybill\) already on line 2/]],
  },
];

/** The loaded waybills on their physical lines, and the rejects on theirs with their reasons. */
async function expectLines(
  db: Db,
  loaded: Record<string, number | undefined>,
  rejects: readonly (readonly [number, RegExp])[],
) {
  const rows = await db.all<{ waybill: string; _line: number }>(
    `select waybill, _line from raw_cod_shipments order by _line`,
  );
  expect(Object.fromEntries(rows.map((r) => [r.waybill, r._line]))).toEqual(loaded);
  const got = await db.all<{ line: number; reason: string }>(`select line, reason from rejects order by line`);
  expect(got.map((r) => r.line)).toEqual(rejects.map((r) => r[0]));
  rejects.forEach(([, reason], k) => expect(got[k]!.reason).toMatch(reason));
}

describe('rejects and _line give the physical line, also after quoted line breaks', () => {
  it.each(cases)('$name', async ({ name, lines, loaded, rejects }) => {
    const eol = name.startsWith('CRLF') ? '\r\n' : '\n';
    const dir = writeFiles(join(tempDir(), 'd'), { 'cod_shipments.csv': lines.join(eol) + eol });
    await withDb(async (db) => {
      const s = await loadDelivery(db, dir, { runId: 'r1', log: silentLogger() });
      expect(s.files[0]).toMatchObject({
        status: 'loaded',
        rowsLoaded: Object.keys(loaded).length,
        rowsRejected: rejects.length,
      });
      await expectLines(db, loaded, rejects);
    });
  });
});

describe('records whose every field is empty (",,,," below a table, as Excel writes) are skipped, not rejected', () => {
  const empty = ','.repeat(10); // eleven empty fields, as many as the header has
  it.each([
    {
      name: 'between and after rows: later lines stay right, a bad row after them is rejected on its own line',
      lines: [header, row('W1'), empty, ' , ,\t,  ', row('W2', '"a\nb"'), empty, row('W3', 'x', '-1'), empty, empty],
      loaded: { W1: 2, W2: 5 },
      rejects: [[8, /negative amount/]] as [number, RegExp][],
      skipped: 5,
    },
    {
      name: 'with too few or too many separators, and after a record the CSV reader rejects',
      lines: [header, row('W1'), ',,', 'ghn,W2,too,few', ',,,,,,,,,,,,,', row('W3'), '""' + empty],
      loaded: { W1: 2, W3: 6 },
      rejects: [[4, /fields where the header has/]] as [number, RegExp][],
      skipped: 3,
    },
  ])('$name', async ({ lines, loaded, rejects, skipped }) => {
    const dir = writeFiles(join(tempDir(), 'd'), { 'cod_shipments.csv': lines.join('\n') + '\n' });
    await withDb(async (db) => {
      const s = await loadDelivery(db, dir, { runId: 'r1', log: silentLogger() });
      const n = Object.keys(loaded).length;
      expect(s.files[0]).toMatchObject({
        status: 'loaded',
        rowsRead: n + rejects.length,
        rowsLoaded: n,
        rowsRejected: rejects.length,
        rowsEmpty: skipped,
      });
      expect(s.files[0]!.reading!.hints.join('\n')).toMatch(new RegExp(`${skipped} empty row\\(s\\) skipped`));
      await expectLines(db, loaded, rejects);
    });
  });

  it('a row with one field filled is still a row (rejected for what it lacks)', async () => {
    const dir = writeFiles(join(tempDir(), 'd'), {
      'cod_shipments.csv': [header, row('W1'), `${','.repeat(9)},x`].join('\n') + '\n',
    });
    await withDb(async (db) => {
      const s = await loadDelivery(db, dir, { runId: 'r1', log: silentLogger() });
      expect(s.files[0]).toMatchObject({ rowsRead: 2, rowsLoaded: 1, rowsRejected: 1 });
      expect(s.files[0]!.rowsEmpty).toBeUndefined();
      expect(await db.value(`select line from rejects`)).toBe(3);
    });
  });
});

describe('many shifts: past the CASE tree limit, ASOF joins give the same lines', () => {
  it.each([
    { name: 'quoted breaks in 1,100 records', rowsOf: (i: number) => row(`W${i}`, '"a\nb"'), linesPerRow: 2 },
    {
      name: '1,100 unparsable records between good ones',
      rowsOf: (i: number) => `${row(`W${i}`)}\nghn,X${i},too,few`,
      linesPerRow: 2,
    },
  ])('$name', async ({ rowsOf, linesPerRow }) => {
    const n = 1100;
    const body = Array.from({ length: n }, (_, i) => rowsOf(i));
    const dir = writeFiles(join(tempDir(), 'd'), {
      'cod_shipments.csv': [header, ...body, row('LAST', 'x', '-1')].join('\n') + '\n',
    });
    await withDb(async (db) => {
      const s = await loadDelivery(db, dir, { runId: 'r1', log: silentLogger() });
      expect(s.files[0]!.rowsLoaded).toBe(n);
      const lines = await db.all<{ waybill: string; _line: number }>(
        `select waybill, _line from raw_cod_shipments where waybill in ('W0', 'W1', 'W1099') order by _line`,
      );
      expect(lines).toEqual([
        { waybill: 'W0', _line: 2 },
        { waybill: 'W1', _line: 2 + linesPerRow },
        { waybill: 'W1099', _line: 2 + 1099 * linesPerRow },
      ]);
      expect(await db.value(`select line from rejects where reason = 'negative amount'`)).toBe(2 + n * linesPerRow);
    });
  });
});

describe('stepSql: a balanced CASE tree equals the step function it encodes', () => {
  it('for random steps and points', async () => {
    await withDb(async (db) => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { maxLength: 40 }),
          fc.array(fc.integer({ min: -5, max: 510 }), { minLength: 1, maxLength: 30 }),
          async (afters, xs) => {
            const steps = [...afters].sort((a, b) => a - b).map((after, k) => ({ after, value: k + 1 }));
            const expected = xs.map((x) => steps.filter((st) => st.after < x).length);
            const got = await db.all<{ v: number }>(
              `select ${stepSql('x', steps)}::int as v from unnest([${xs.join(', ')}]::int[]) with ordinality t(x, k) order by k`,
            );
            expect(got.map((r) => r.v)).toEqual(expected);
          },
        ),
        { numRuns: 60, seed: 7 },
      );
    });
  });
});

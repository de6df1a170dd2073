/**
 * One formula neutraliser for every spreadsheet-facing output. Its two bodies (JavaScript for the
 * files the engine writes row by row, SQL for the ones DuckDB copies out) agree over one table of
 * cases, and each output is checked with text only the full rule catches (leading non-breaking or
 * ideographic space, full-width signs), so a writer with its own weaker rule fails here.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { diffCases } from '../../engine/diff/index.js';
import { diffCsv } from '../../engine/publish/run-diff.js';
import { caseColumns } from '../../engine/publish/case-row.js';
import { neutraliseFormula, neutraliseFormulaSql } from '../../engine/publish/cells.js';
import { caseCsvLine } from '../../engine/publish/csv.js';
import { sourceQuality } from '../../engine/publish/report-from-run.js';
import { writeMembersCsv, writeRejectsCsv } from '../../engine/publish/run-folder.js';
import { writeCasesXlsx, xlsxColumns } from '../../engine/publish/xlsx.js';
import { statsCsv } from '../../engine/publish/stats-csv.js';
import { literal } from '../../engine/warehouse/db.js';
import { ensureIngestSchema } from '../../engine/ingest/schema.js';
import { withDb } from '../helpers.js';
import { caseRow } from './fixtures.js';
import { parseCsv, tempDir } from './helpers.js';
import { periodStatsFixture } from './report-fixtures.js';

const live = [
  '=1+1',
  '+84912345678',
  '-2+3',
  '@SUM(A1)',
  '\t=cmd',
  '\r=cmd',
  '\n=cmd',
  '  =cmd',
  '\u00a0=cmd',
  '\u3000=cmd',
  '\u2003=cmd',
  '\ufeff=cmd',
  '＝cmd',
  '＋1',
  '－1',
  '＠x',
];
const inert = ['Nguyễn Văn A', 'a=b', '1-2', 'x@y.vn', '', ' a'];
// What the weaker rules of the past missed: each output below gets one of these.
const subtle = ['\u00a0=HYPERLINK("http://x")', '＝1+1', '\u3000@SUM(A1)'];

describe('neutraliseFormula and its SQL body', () => {
  it.each([
    ...live.map((input) => ({ input, expected: `'${input}` })),
    ...inert.map((input) => ({ input, expected: input })),
  ])('$input → $expected, in JavaScript and in DuckDB', async ({ input, expected }) => {
    expect(neutraliseFormula(input)).toBe(expected);
    await withDb(async (db) => {
      expect(await db.value<string>(`select ${neutraliseFormulaSql('$x::varchar')}`, { x: input })).toBe(expected);
    });
  });

  it('keeps null as null in SQL', async () => {
    await withDb(async (db) => expect(await db.value(`select ${neutraliseFormulaSql('null::varchar')}`)).toBeNull());
  });
});

describe('every spreadsheet-facing output neutralises', () => {
  const file = tempDir('neutralise');

  it.each(subtle)('cases.csv: %j', (payload) => {
    const line = parseCsv(caseCsvLine(caseRow({ name: payload, province: payload })) + '\r\n')[0]!;
    const at = (name: string) => line[caseColumns.findIndex((c) => c.name === name)];
    expect([at('name'), at('province')]).toEqual([`'${payload}`, `'${payload}`]);
  });

  it('cases.xlsx', async () => {
    const out = file('cases.xlsx');
    await writeCasesXlsx(
      out,
      subtle.map((name, k) => caseRow({ rank: k + 1, name })),
      {},
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const sheet = wb.worksheets[0]!;
    const col = xlsxColumns.findIndex((c) => c.name === 'name') + 1;
    expect(subtle.map((_, k) => sheet.getRow(k + 2).getCell(col).value)).toEqual(subtle.map((p) => `'${p}`));
  });

  it('members.csv', async () => {
    await withDb(async (db) => {
      await db.exec(
        `create table int_record_identity as select * from (values (0, 'platform_sellers', $a), (1, 'websites', $b), (2, 'websites', 'S-1')) t(record_id, source, record_key)`,
        { a: subtle[0]!, b: subtle[1]! },
      );
      await db.exec(
        `create table int_entities as select record_id, 'E' || record_id as entity_id from int_record_identity`,
      );
      await writeMembersCsv(db, file('members.csv'));
    });
    const rows = parseCsv(readFileSync(file('members.csv'), 'utf8').replaceAll('\n', '\r\n'));
    expect(rows.slice(1).map((r) => r[2])).toEqual([`'${subtle[0]}`, `'${subtle[1]}`, 'S-1']);
  });

  it('rejects.csv, in every text column', async () => {
    await withDb(async (db) => {
      await ensureIngestSchema(db);
      await db.exec(
        `insert into rejects values ('r1', 1, 'cod_shipments', $f, 2, $c, $v, 'cod_amount: not a whole number'), ('r1', 1, 'cod_shipments', 'ok.csv', 3, 'x', '12,5', 'cod_amount: not a whole number')`,
        {
          f: subtle[2]!,
          c: subtle[1]!,
          v: subtle[0]!,
        },
      );
      await writeRejectsCsv(db, file('rejects.csv'), 'r1');
    });
    const rows = parseCsv(readFileSync(file('rejects.csv'), 'utf8').replaceAll('\n', '\r\n'));
    expect(rows[0]).toEqual(['source', 'file', 'line', 'column', 'value', 'reason']);
    const bad = rows.find((r) => r[2] === '2')!;
    expect([bad[1], bad[3], bad[4]]).toEqual([`'${subtle[2]}`, `'${subtle[1]}`, `'${subtle[0]}`]);
    expect(rows.find((r) => r[2] === '3')!.slice(3, 5)).toEqual(['x', '12,5']);
  });

  it('rejects.csv read back gives the report the same reject counts as the warehouse', async () => {
    await withDb(async (db) => {
      await ensureIngestSchema(db);
      await db.exec(
        `insert into rejects select 'r1', 1, s, 'f.csv', i, 'c', '=x', r from (values ('cod_shipments', 'bad date'), ('cod_shipments', 'bad date'), ('cod_shipments', 'bad amount'), ('websites', 'bad url')) t(s, r), range(3) i(i)`,
      );
      await writeRejectsCsv(db, file('rejects-q.csv'), 'r1');
      const rows = {
        cod_shipments: { read: 20, loaded: 11, rejected: 9 },
        websites: { read: 5, loaded: 2, rejected: 3 },
        taxpayers: { read: 4, loaded: 4, rejected: 0 },
      };
      const fromCsv = await sourceQuality(
        db,
        `read_csv(${literal(file('rejects-q.csv'))}, header = true, all_varchar = true)`,
        rows,
      );
      expect(fromCsv).toEqual(
        await sourceQuality(db, `(select source, reason from rejects where run_id = 'r1')`, rows),
      );
      expect(fromCsv[0]!.top_rejects).toEqual([
        { reason: 'bad date', count: 6 },
        { reason: 'bad amount', count: 3 },
      ]);
    });
  });

  it('the diff CSV', () => {
    const d = diffCases(
      'r1',
      [],
      'r2',
      subtle.map((name, k) => ({ entity_id: `E${k}`, rank: k + 1, expected_yield_vnd: 1, name, province: subtle[2]! })),
    );
    const rows = parseCsv(diffCsv(d).slice(1));
    expect(rows.slice(1).map((r) => r[2])).toEqual(subtle.map((p) => `'${p}`));
    expect(rows.slice(1).every((r) => r[3] === `'${subtle[2]}`)).toBe(true);
  });

  it('the stats CSV', () => {
    const stats = {
      ...periodStatsFixture,
      rows: subtle.map((province) => ({ ...periodStatsFixture.rows[0]!, province })),
    };
    const rows = parseCsv(statsCsv(stats).slice(1));
    expect(rows.slice(1).map((r) => r[1])).toEqual([...subtle.map((p) => `'${p}`), 'TOTAL']);
  });
});

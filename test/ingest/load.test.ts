import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadDelivery } from '../../engine/ingest/load.js';
import { sourceOfFile } from '../../engine/ingest/sources.js';
import { silentLogger } from '../../engine/log.js';
import { tempDir, withDb, writeFiles } from '../helpers.js';

const header = 'tax_id,period,declared_revenue,tax_paid,filed_on';

interface Case {
  name: string;
  content: string | Buffer;
  read: number;
  loaded: number;
  /** Expected rejects as [line, column, reason fragment]. */
  rejects: [number | null, string | null, RegExp][];
}

const cases: Case[] = [
  {
    name: 'clean LF',
    content: `${header}\n0100109106,2025,100,1,2026-01-10\n0100109106,2024,5,0,\n`,
    read: 2,
    loaded: 2,
    rejects: [],
  },
  {
    name: 'BOM and CRLF',
    content: `\ufeff${header}\r\n0100109106,2025,100,1,2026-01-10\r\n`,
    read: 1,
    loaded: 1,
    rejects: [],
  },
  {
    name: 'case-insensitive header, extra column',
    content: `TAX_ID,Period,Declared_Revenue,note\n0100109106,2025,7,hello\n`,
    read: 1,
    loaded: 1,
    rejects: [],
  },
  { name: 'header only', content: `${header}\n`, read: 0, loaded: 0, rejects: [] },
  {
    name: 'missing required column',
    content: `tax_id,period\n0100109106,2025\n0100109107,2025\n`,
    read: 2,
    loaded: 0,
    rejects: [
      [2, 'declared_revenue', /missing from the file header/],
      [3, 'declared_revenue', /missing from the file header/],
    ],
  },
  {
    name: 'wrong types and ranges',
    content: `${header}\n0100109106,2025,-5,,\n0100109106,2025-13,5,,\n0100109107,2025,12abc,,\n0100109108,2025,5,,2025-02-30\n,2025,5,,\n0100109109,2025,99999999999999999,,\n`,
    read: 6,
    loaded: 0,
    rejects: [
      [2, 'declared_revenue', /negative amount/],
      [3, 'period', /not a period/],
      [4, 'declared_revenue', /not a whole VND amount/],
      [5, 'filed_on', /^not a real date/],
      [6, 'tax_id', /required value is empty/],
      [7, 'declared_revenue', /implausibly large/],
    ],
  },
  {
    name: 'ragged rows and unterminated quote',
    content: `${header}\n0100109106,2025,1,0,2026-01-01\n0100109107,2025\n0100109108,2025,1,0,2026-01-01,extra\n0100109109,2025,3,0,2026-01-01\n0100109110,"2025,4,0,2026-01-01\n`,
    read: 5,
    loaded: 2,
    rejects: [
      [3, 'declared_revenue', /2 fields where the header has 5/],
      [4, null, /6 fields where the header has 5/],
      [6, 'period', /unterminated quote/],
    ],
  },
  {
    name: 'duplicate keys in one file: the first stays',
    content: `${header}\n0100109106,2025,1,,\n0100109106,2025,2,,\n`,
    read: 2,
    loaded: 1,
    rejects: [[3, 'tax_id+period', /duplicate key .* line 2/]],
  },
  {
    // The key is compared as its key text (trimmed, any letter case), as staging's restatement rule does.
    name: 'duplicate keys written with other spacing: the same key',
    content: `${header}\n0100109106,2025,1,,\n 0100109106 , 2025 ,2,,\n`,
    read: 2,
    loaded: 1,
    rejects: [[3, 'tax_id+period', /duplicate key .* line 2/]],
  },
  {
    name: 'invalid UTF-8 byte',
    content: Buffer.concat([
      Buffer.from(`${header}\n0100109106,2025,1,,\n0100109107,20`),
      Buffer.from([0xff]),
      Buffer.from(`25,1,,\n`),
    ]),
    read: 2,
    loaded: 1,
    rejects: [[3, 'period', /not UTF-8 .*ingest\.sources\.declarations\.encoding/]],
  },
];

describe('loadDelivery: every row is loaded or rejected with file, line, column, reason', () => {
  it.each(cases)('$name', async ({ content, read, loaded, rejects }) => {
    const dir = writeFiles(join(tempDir(), 'delivery'), { 'declarations.csv': content });
    await withDb(async (db) => {
      const s = await loadDelivery(db, dir, { runId: 'r1', log: silentLogger() });
      const f = s.files[0]!;
      // a file read but with every row rejected is lost whole: 'rejected', not 'loaded' (docs/ingest.md)
      expect(f.status).toBe(read > 0 && loaded === 0 ? 'rejected' : 'loaded');
      expect(f.rowsRead).toBe(read);
      expect(f.rowsLoaded).toBe(loaded);
      expect(f.rowsRead).toBe(f.rowsLoaded + f.rowsRejected);
      expect(await db.value<number>('select count(*)::int from raw_declarations')).toBe(loaded);
      const got = await db.all<{ line: number | null; column: string | null; reason: string; file: string }>(
        'select line, "column", reason, file from rejects order by line',
      );
      expect(got).toHaveLength(rejects.length);
      rejects.forEach(([line, column, reason], k) => {
        expect(got[k]!.file).toBe('declarations.csv');
        expect(got[k]!.line).toBe(line);
        expect(got[k]!.column).toBe(column);
        expect(got[k]!.reason).toMatch(reason);
      });
    });
  });

  it('keeps lineage: each loaded row knows its file and line', async () => {
    const dir = writeFiles(join(tempDir(), 'd'), {
      'declarations.csv': `${header}\n0100109106,2025,1,,\n,2025,1,,\n0100109107,2025,1,,\n`,
    });
    await withDb(async (db) => {
      await loadDelivery(db, dir, { runId: 'r1', log: silentLogger() });
      expect(await db.all('select tax_id, _line, _file_id from raw_declarations order by _line')).toEqual([
        { tax_id: '0100109106', _line: 2, _file_id: 1 },
        { tax_id: '0100109107', _line: 4, _file_id: 1 },
      ]);
    });
  });

  it('refuses a UTF-16 file by name with the fix, and still loads the others', async () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`${header}\n0100109106,2025,1,,\n`, 'utf16le'),
    ]);
    const dir = writeFiles(join(tempDir(), 'd'), {
      'declarations_a.csv': utf16,
      'declarations_b.csv': `${header}\n0100109106,2025,1,,\n`,
    });
    await withDb(async (db) => {
      const s = await loadDelivery(db, dir, { runId: 'r1', log: silentLogger() });
      expect(s.files.map((f) => f.status)).toEqual(['failed', 'loaded']);
      expect(s.files[0]!.message).toMatch(/declarations_a\.csv.*UTF-16.*CSV UTF-8/);
      expect(await db.value<string>(`select reason from rejects where file = 'declarations_a.csv'`)).toMatch(
        /file not loaded/,
      );
    });
  });

  it('refuses an empty file with a reason', async () => {
    const dir = writeFiles(join(tempDir(), 'd'), { 'declarations.csv': '' });
    await withDb(async (db) => {
      const s = await loadDelivery(db, dir, { runId: 'r1', log: silentLogger() });
      expect(s.files[0]!.status).toBe('failed');
      expect(s.files[0]!.message).toMatch(/empty/);
    });
  });

  it('refuses a folder with no contract file, naming the contract document that exists in the repo', async () => {
    const dir = writeFiles(join(tempDir(), 'none'), { 'notes.csv': 'a\n1\n' });
    await withDb(async (db) => {
      await expect(loadDelivery(db, dir, { runId: 'r1', log: silentLogger() })).rejects.toThrow(
        /no contract files found .*see docs\/contract\.md/,
      );
    });
    expect(existsSync(join(dirname(fileURLToPath(import.meta.url)), '../../docs/contract.md'))).toBe(true);
  });

  it('skips a file delivered again (same content) and loads only new files', async () => {
    const dir = writeFiles(join(tempDir(), 'd'), { 'declarations.csv': `${header}\n0100109106,2025,1,,\n` });
    await withDb(async (db) => {
      await loadDelivery(db, dir, { runId: 'r1', log: silentLogger() });
      writeFiles(dir, {
        'declarations_copy.csv': `${header}\n0100109106,2025,1,,\n`,
        'declarations_q.csv': `${header}\n0100109106,2025-Q1,1,,\n`,
      });
      const s = await loadDelivery(db, dir, { runId: 'r2', log: silentLogger() });
      expect(s.files.map((f) => [f.file, f.status])).toEqual([
        ['declarations.csv', 'skipped'],
        ['declarations_copy.csv', 'skipped'],
        ['declarations_q.csv', 'loaded'],
      ]);
      expect(await db.value<number>('select count(*)::int from raw_declarations')).toBe(2);
    });
  });

  it('loads Parquet with the same checks', async () => {
    const dir = join(tempDir(), 'pq');
    writeFiles(dir, {});
    await withDb(async (db) => {
      await db.exec(`copy (select * from (values ('0100109106', '2025', '5'), ('0100109107', '2025', '-1')) t(tax_id, period, declared_revenue))
                     to '${dir}/declarations.parquet' (format parquet)`);
      const s = await loadDelivery(db, dir, { runId: 'r1', log: silentLogger() });
      expect(s.bySource.declarations).toEqual({ read: 2, loaded: 1, rejected: 1, warnings: 0, restored: 0, files: 1 });
      expect(await db.value<number>(`select line from rejects`)).toBe(2);
    });
  });
});

describe('sourceOfFile', () => {
  it.each([
    ['taxpayers.csv', 'taxpayers'],
    ['cod_shipments_ghn_2026-11.csv', 'cod_shipments'],
    ['Bank_Transactions_VCB.parquet', 'bank_transactions'],
    ['platform_sellers.CSV', 'platform_sellers'],
    ['notes.csv', undefined],
    ['taxpayers.xlsx', 'taxpayers'],
    ['Bank_Transactions_VCB.XLSX', 'bank_transactions'],
    ['bank_transactions.xls', 'bank_transactions'],
    ['~$bank_transactions.xlsx', undefined],
  ])('%s → %s', (name, source) => expect(sourceOfFile(name)).toBe(source));
});

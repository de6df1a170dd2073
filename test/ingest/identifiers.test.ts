import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDelivery } from '../../engine/ingest/load.js';
import { createLogger, silentLogger } from '../../engine/log.js';
import { tempDir, withDb, writeFiles } from '../helpers.js';

// Valid tax codes (check digit holds): 0100109106, 0312345673, 0101234565, 8125174327.
describe('taxpayers.tax_id must be a valid tax code: the registry key is rejected when malformed', () => {
  it.each([
    { taxId: '0100109106', ok: true },
    { taxId: ' 0312345673 ', ok: true },
    { taxId: '0100109106-001', ok: true },
    { taxId: '079181762925', ok: true }, // 12-digit personal ID used as tax code
    { taxId: '0100109107', ok: false }, // check digit broken
    { taxId: '0100109106-000', ok: false }, // branch 000 is the head office itself
    { taxId: '0100109106-01', ok: false },
    { taxId: '010010910', ok: false },
    { taxId: '0100.109.106', ok: false },
    { taxId: 'MST0100109106', ok: false },
  ])('$taxId → $ok', async ({ taxId, ok }) => {
    const dir = writeFiles(join(tempDir(), 'd'), { 'taxpayers.csv': `tax_id,name\n"${taxId}",HKD An\n` });
    await withDb(async (db) => {
      const s = await loadDelivery(db, dir, { runId: 'r1', log: silentLogger() });
      expect(s.files[0]).toMatchObject({
        // its only row rejected: the file is lost whole ('rejected', docs/ingest.md)
        status: ok ? 'loaded' : 'rejected',
        rowsRead: 1,
        rowsLoaded: ok ? 1 : 0,
        rowsRejected: ok ? 0 : 1,
      });
      if (!ok) {
        expect(await db.one(`select line, "column", value, reason from rejects`)).toEqual({
          line: 2,
          column: 'tax_id',
          value: taxId,
          reason: expect.stringMatching(/not a valid tax code \(MST/),
        });
      }
    });
  });
});

describe('optional identifiers of other sources: a malformed one keeps its row and records a warning', () => {
  const header = 'bank,account,holder_name,holder_national_id,holder_tax_id,txn_id,booked_at,amount,direction';
  const rows = [
    'VCB,001,An,079181762925,0100109106,T1,2026-11-22T08:15:00+07:00,100,credit', // both fine
    'VCB,001,An,07918176292,,T2,2026-11-22T08:15:00+07:00,100,credit', // 11-digit personal ID
    'VCB,001,An,,0100109107,T3,2026-11-22T08:15:00+07:00,100,credit', // bad check digit
    'VCB,001,An,abc,12345,T4,2026-11-22T08:15:00+07:00,100,credit', // both malformed
    'VCB,001,An,abc,12345,T5,2026-11-22T08:15:00+07:00,-1,credit', // rejected: no warning on top
    'VCB,001,An,abc,,T1,2026-11-22T08:15:00+07:00,100,credit', // duplicate key: rejected, no warning
    'VCB,001,An,"0791 8176 2925","0100109106-002",T6,2026-11-22T08:15:00+07:00,100,credit', // separators, branch: fine
  ];

  it('loads every row that keeps the contract, warns per malformed value, counts rows with warnings', async () => {
    const dir = writeFiles(join(tempDir(), 'd'), { 'bank_transactions.csv': [header, ...rows].join('\n') + '\n' });
    await withDb(async (db) => {
      const s = await loadDelivery(db, dir, { runId: 'r1', log: silentLogger() });
      expect(s.bySource.bank_transactions).toEqual({
        read: 7,
        loaded: 5,
        rejected: 2,
        warnings: 3,
        restored: 0,
        files: 1,
      });
      expect(s.files[0]!.rowsWarned).toBe(3);
      expect(await db.all(`select line, "column", value, reason from ingest_warnings order by line, "column"`)).toEqual(
        [
          {
            line: 3,
            column: 'holder_national_id',
            value: '07918176292',
            reason: 'malformed personal ID (expected 12 digits); row kept',
          },
          {
            line: 4,
            column: 'holder_tax_id',
            value: '0100109107',
            reason: expect.stringMatching(/^malformed tax code .*row kept$/),
          },
          {
            line: 5,
            column: 'holder_national_id',
            value: 'abc',
            reason: expect.stringMatching(/^malformed personal ID/),
          },
          { line: 5, column: 'holder_tax_id', value: '12345', reason: expect.stringMatching(/^malformed tax code/) },
        ],
      );
      expect(await db.value(`select string_agg(txn_id, ',' order by _line) from raw_bank_transactions`)).toBe(
        'T1,T2,T3,T4,T6',
      );
      expect(await db.value(`select string_agg(line::varchar, ',' order by line) from rejects`)).toBe('6,7');
    });
  });

  it('warns on every row holding a malformed value, however often it repeats (rules run once per distinct value)', async () => {
    // The same bad tax code on three kept rows (once with spaces around it), a good one in between,
    // and a value that is a malformed personal ID in one column and a valid tax code in the other.
    const lines = [
      'VCB,001,An,,0100109107,T1,2026-11-22T08:15:00+07:00,100,credit',
      'VCB,001,An,,0100109106,T2,2026-11-22T08:15:00+07:00,100,credit',
      'VCB,001,An,,0100109107,T3,2026-11-22T08:15:00+07:00,100,credit',
      'VCB,001,An,0100109106," 0100109107 ",T4,2026-11-22T08:15:00+07:00,100,credit',
    ];
    const dir = writeFiles(join(tempDir(), 'd'), { 'bank_transactions.csv': [header, ...lines].join('\n') + '\n' });
    await withDb(async (db) => {
      const s = await loadDelivery(db, dir, { runId: 'r1', log: silentLogger() });
      expect(s.files[0]).toMatchObject({ rowsLoaded: 4, rowsWarned: 3 });
      expect(await db.all(`select line, "column", value from ingest_warnings order by line, "column"`)).toEqual([
        { line: 2, column: 'holder_tax_id', value: '0100109107' },
        { line: 4, column: 'holder_tax_id', value: '0100109107' },
        { line: 5, column: 'holder_national_id', value: '0100109106' },
        { line: 5, column: 'holder_tax_id', value: ' 0100109107 ' },
      ]);
    });
  });

  it.each([
    {
      source: 'platform_sellers',
      header: 'platform,shop_id,period,gmv,owner_tax_id,owner_national_id',
      row: 'shopee,s1,2026-11,5,0100109107,123',
      columns: ['owner_national_id', 'owner_tax_id'],
    },
    {
      source: 'websites',
      header: 'domain,owner_tax_id,owner_national_id',
      row: 'a.vn,12,079181762925',
      columns: ['owner_tax_id'],
    },
    { source: 'taxpayers', header: 'tax_id,name,national_id', row: '0100109106,An,1234', columns: ['national_id'] },
    { source: 'declarations', header: 'tax_id,period,declared_revenue', row: '0100109107,2025,5', columns: ['tax_id'] },
  ])('$source warns on $columns', async ({ source, header: h, row, columns }) => {
    const dir = writeFiles(join(tempDir(), 'd'), { [`${source}.csv`]: `${h}\n${row}\n` });
    await withDb(async (db) => {
      const s = await loadDelivery(db, dir, { runId: 'r1', log: silentLogger() });
      expect(s.files[0]).toMatchObject({ rowsLoaded: 1, rowsWarned: 1 });
      expect(
        (await db.all<{ column: string }>(`select "column" from ingest_warnings order by "column"`)).map(
          (r) => r.column,
        ),
      ).toEqual(columns);
    });
  });
});

// QA item 2: Excel shows an identifier typed as a number without its leading zero, and saves it so.
describe('tax codes and personal IDs that lost their leading zero (Excel) are restored when unambiguous, and counted', () => {
  // Semicolon-separated, Vietnamese headers: a return list saved from Excel.
  const header = 'MST;Kỳ tính thuế;Doanh thu;Số thuế đã nộp';
  const cases: [string, string, 'restored' | 'warned' | 'kept'][] = [
    ['0312345673', '0312345673', 'kept'], // a tax code as it should be
    ['30202460142', '030202460142', 'restored'], // CCCD of Hải Dương (030), born 1900s: 11 digits
    ['79181762925', '079181762925', 'restored'], // CCCD of TP.HCM (079)
    ['100109106', '0100109106', 'restored'], // tax code of Hà Nội (01…), check digit holds with the 0
    ['100109106-001', '0100109106-001', 'restored'], // a branch of it
    ['100109107', '100109107', 'warned'], // 0100109107: check digit broken, so no tax code
    ['07918176292', '07918176292', 'warned'], // 007… opens no CCCD
    ['99018176292', '99018176292', 'warned'], // 099… is no province code (its digit 0 after it would fit)
    ['30592460142', '30592460142', 'warned'], // 030 5…: gender/century digit 5 is no CCCD born 1900–2099
  ];

  it('declarations.tax_id: restored in raw_, the rest warned as before; the count in bySource and the log', async () => {
    const lines = cases.map(([v], i) => `${v};2025-Q${(i % 4) + 1};1000;0`);
    // distinct keys: periods 2025-Q1..Q4 repeat, tax codes differ
    const dir = writeFiles(join(tempDir(), 'd'), { 'declarations.csv': [header, ...lines].join('\r\n') + '\r\n' });
    const log: string[] = [];
    await withDb(async (db) => {
      const s = await loadDelivery(db, dir, { runId: 'r1', log: createLogger({ write: (l) => log.push(l) }) });
      const restored = cases.filter((c) => c[2] === 'restored').length;
      const warned = cases.filter((c) => c[2] === 'warned').length;
      expect(s.bySource.declarations).toEqual({
        read: cases.length,
        loaded: cases.length,
        rejected: 0,
        warnings: warned,
        restored,
        files: 1,
      });
      expect(s.files[0]!.idsRestored).toBe(restored);
      const raw = await db.all<{ tax_id: string }>(`select tax_id from raw_declarations order by _line`);
      expect(raw.map((r) => r.tax_id)).toEqual(cases.map((c) => c[1]));
      const warnings = await db.all<{ value: string }>(`select value from ingest_warnings order by line`);
      expect(warnings.map((w) => w.value)).toEqual(cases.filter((c) => c[2] === 'warned').map((c) => c[0]));
      const line = log.find((l) => l.includes('leading zero restored'));
      expect(line).toContain(`${restored} MST value(s)`);
      // counts only: no identifier in the log
      for (const [v] of cases) expect(line).not.toContain(v);
    });
  });

  it('taxpayers: a tax code without its zero is loaded, not rejected; a national ID that lost two zeros (001…) too', async () => {
    const dir = writeFiles(join(tempDir(), 'd'), {
      'taxpayers.csv': 'tax_id,name,national_id\n100109106,HKD An,1180123456\n312345673,HKD Bình,79181762925\n',
    });
    await withDb(async (db) => {
      const s = await loadDelivery(db, dir, { runId: 'r1', log: silentLogger() });
      expect(s.bySource.taxpayers).toMatchObject({ read: 2, loaded: 2, rejected: 0, warnings: 0, restored: 4 });
      expect(await db.all(`select tax_id, national_id from raw_taxpayers order by _line`)).toEqual([
        { tax_id: '0100109106', national_id: '001180123456' },
        { tax_id: '0312345673', national_id: '079181762925' },
      ]);
    });
  });
});

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { sniffEncoding } from '../../engine/ingest/encoding.js';
import { loadDelivery } from '../../engine/ingest/load.js';
import type { IngestConfig } from '../../engine/ingest/options.js';
import { silentLogger } from '../../engine/log.js';
import { tempDir, withDb, writeFiles } from '../helpers.js';

const TONES = /[\u0300\u0301\u0303\u0309\u0323]/g;
/** Text as Windows-1258 writes it: vowels with their own marks (ê, ă, ơ …), tone marks as separate combining characters. */
function cp1258(text: string): Buffer {
  const decomposed = [...text].map((ch) => {
    const d = ch.normalize('NFD');
    return d.replace(TONES, '').normalize('NFC') + (d.match(TONES) ?? []).join('');
  });
  const bytes = iconv.encode(decomposed.join(''), 'windows-1258');
  expect(bytes.includes(0x3f)).toBe(false); // every letter has a Windows-1258 form ('?' = none)
  return bytes;
}

/** A bank's own statement export: Vietnamese headers, dotted thousands, day-first dates. */
const bankExport =
  [
    'Ngân hàng,Số TK,Tên chủ TK,Mã GD,Ngày GD,Số tiền,Loại,Nội dung',
    'VCB,0011223344,NGUYỄN VĂN AN,FT001,22/11/2026 08:15,1.250.000,credit,thanh toán đơn hàng',
    'VCB,0011223344,NGUYỄN VĂN AN,FT002,23/11/2026,"2.000.000,00",credit,tiền hàng',
    'VCB,0011223344,NGUYỄN VĂN AN,FT003,24/11/2026,"1,5 triệu",credit,ck',
    'VCB,0011223344,NGUYỄN VĂN AN,FT004,31/11/2026,300.000,credit,ck',
    'VCB,0011223344,NGUYỄN VĂN AN,FT005,25/11/2026,-300.000,debit,rút',
  ].join('\r\n') + '\r\n';

const bankConfig: IngestConfig = {
  sources: {
    bank_transactions: {
      rename: {
        'Ngân hàng': 'bank',
        'Số TK': 'account',
        'Tên chủ TK': 'holder_name',
        'Mã GD': 'txn_id',
        'Ngày GD': 'booked_at',
        'Số tiền': 'amount',
        Loại: 'direction',
        'Nội dung': 'description',
      },
      dateFormat: '%d/%m/%Y',
      decimal: ',',
      thousands: '.',
    },
  },
};

const expectedRows = [
  {
    txn_id: 'FT001',
    booked_at: '2026-11-22T08:15:00',
    amount: '1250000',
    holder_name: 'NGUYỄN VĂN AN',
    description: 'thanh toán đơn hàng',
  },
  {
    txn_id: 'FT002',
    booked_at: '2026-11-23T00:00:00',
    amount: '2000000',
    holder_name: 'NGUYỄN VĂN AN',
    description: 'tiền hàng',
  },
];
/** Rejects name the line, the column and the value as they are in the delivered file. */
const expectedRejects = [
  { line: 4, column: 'Số tiền', value: '1,5 triệu', reason: 'not a whole VND amount (digits only, e.g. 1250000)' },
  {
    line: 5,
    column: 'Ngày GD',
    value: '31/11/2026',
    reason: 'not an ISO 8601 timestamp (e.g. 2026-11-22T08:15:00+07:00)',
  },
  { line: 6, column: 'Số tiền', value: '-300.000', reason: 'negative amount' },
];

async function loadBank(files: Record<string, string | Buffer>, ingest: IngestConfig | undefined) {
  const root = tempDir();
  const dir = writeFiles(join(root, 'delivery'), files);
  const tmp = writeFiles(join(root, 'tmp'), {});
  return withDb(async (db) => {
    const summary = await loadDelivery(db, dir, { runId: 'r1', log: silentLogger(), ingest, tmpDir: tmp });
    return {
      summary,
      rows: await db.all(
        `select txn_id, booked_at, amount, holder_name, description from raw_bank_transactions order by _line`,
      ),
      rejects: await db.all(`select line, "column", value, reason from rejects order by line`),
      files: await db.all(`select name, status from ingest_files order by file_id`),
      tmpLeft: readdirSync(tmp),
    };
  });
}

describe('config.ingest: an agency export loads without editing the file', () => {
  it.each([
    { encoding: 'utf-8', bytes: Buffer.from(bankExport) },
    { encoding: 'utf-8 with BOM', bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(bankExport)]) },
    {
      encoding: 'utf-16le',
      bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(bankExport, 'utf-16le')]),
      config: 'utf-16le',
    },
    { encoding: 'windows-1258', bytes: cp1258(bankExport), config: 'windows-1258' },
  ])('$encoding', async ({ bytes, config }) => {
    const ingest: IngestConfig = {
      sources: { bank_transactions: { ...bankConfig.sources.bank_transactions, encoding: config } },
    };
    const got = await loadBank({ 'bank_transactions_vcb.csv': bytes }, ingest);
    expect(got.summary.files[0]).toMatchObject({ status: 'loaded', rowsRead: 5, rowsLoaded: 2, rowsRejected: 3 });
    expect(got.rows).toEqual(expectedRows);
    expect(got.rejects).toEqual(expectedRejects);
    // Lineage names the delivered file, never the converted copy, and the copy is gone.
    expect(got.files).toEqual([{ name: 'bank_transactions_vcb.csv', status: 'loaded' }]);
    expect(got.tmpLeft).toEqual([]);
  });

  it('composes tone marks across the 1 MB chunks of a large Windows-1258 file', async () => {
    const header = bankExport.split('\r\n')[0]!;
    const rows = Array.from(
      { length: 20_000 },
      (_, i) => `VCB,0011223344,NGUYỄN VĂN ẨN,FT${i},22/11/2026,1.000,credit,tiền hàng tháng ${i}`,
    );
    const got = await loadBank(
      { 'bank_transactions_vcb.csv': cp1258([header, ...rows].join('\n') + '\n') },
      {
        sources: { bank_transactions: { ...bankConfig.sources.bank_transactions, encoding: 'windows-1258' } },
      },
    );
    expect(got.summary.files[0]).toMatchObject({ status: 'loaded', rowsRead: 20_000, rowsLoaded: 20_000 });
    expect(new Set(got.rows.map((r) => r.holder_name))).toEqual(new Set(['NGUYỄN VĂN ẨN']));
    expect(got.rows.every((r, i) => r.description === `tiền hàng tháng ${i}`)).toBe(true);
  });

  it('without the config, the Vietnamese headers are recognised, and the day-first dates refuse every row, naming the column as written', async () => {
    const got = await loadBank({ 'bank_transactions_vcb.csv': bankExport }, undefined);
    expect(got.summary.files[0]).toMatchObject({ status: 'rejected', rowsRead: 5, rowsLoaded: 0, rowsRejected: 5 });
    expect(new Set(got.rejects.map((r) => `${r.column}: ${r.reason}`))).toEqual(
      new Set(['Ngày GD: not an ISO 8601 timestamp (e.g. 2026-11-22T08:15:00+07:00)']),
    );
  });

  it('with the formats alone (no rename), header recognition loads it as the full config does', async () => {
    const { rename: _, ...formats } = bankConfig.sources.bank_transactions!;
    const got = await loadBank(
      { 'bank_transactions_vcb.csv': bankExport },
      { sources: { bank_transactions: formats } },
    );
    expect(got.summary.files[0]).toMatchObject({ status: 'loaded', rowsRead: 5, rowsLoaded: 2, rowsRejected: 3 });
    expect(got.rows).toEqual(expectedRows);
    expect(got.rejects).toEqual(expectedRejects);
  });

  it.each([
    {
      name: 'UTF-16 with BOM',
      bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(bankExport, 'utf-16le')]),
      message: /bank_transactions_vcb\.csv.*UTF-16.*"encoding": "utf-16le".*ingest\.sources\.bank_transactions/,
    },
    {
      name: 'UTF-16 without BOM',
      bytes: iconv.encode(bankExport, 'utf-16le'),
      message: /bank_transactions_vcb\.csv.*UTF-16 without a byte-order mark/,
    },
    {
      name: 'Windows-1258',
      bytes: cp1258(bankExport),
      message:
        /bank_transactions_vcb\.csv.*not UTF-8 \(invalid bytes on line 1, 2, 3, 4, 5, … of its first 64 KB\).*"encoding": "windows-1258"/,
    },
  ])('refuses $name when the config names no encoding, saying how to fix it', async ({ bytes, message }) => {
    const got = await loadBank(
      { 'bank_transactions_vcb.csv': bytes, 'bank_transactions_x.csv': bankExport },
      { sources: { bank_transactions: { ...bankConfig.sources.bank_transactions } } },
    );
    expect(got.summary.files.map((f) => f.status)).toEqual(['failed', 'loaded']);
    expect(got.summary.files[0]!.message).toMatch(message);
  });
});

describe('sniffEncoding', () => {
  const full = (s: string) => Buffer.from(s);
  it.each([
    { name: 'ASCII', head: full('a,b\n1,2\n'), kind: 'utf-8' },
    { name: 'UTF-8 Vietnamese', head: full('tên,số\nNguyễn,1\n'), kind: 'utf-8' },
    { name: 'UTF-16LE BOM', head: Buffer.from([0xff, 0xfe, 0x61, 0]), kind: 'bom' },
    { name: 'UTF-16BE BOM', head: Buffer.from([0xfe, 0xff, 0, 0x61]), kind: 'bom' },
    { name: 'UTF-16 without BOM', head: iconv.encode('a,b\n1,2\n', 'utf-16le'), kind: 'utf-16-no-bom' },
    {
      name: 'one stray byte on one data row: a damaged row, not an encoding',
      head: Buffer.concat([full('a,b\n1,'), Buffer.from([0xff]), full('\n2,3\n')]),
      kind: 'utf-8',
    },
    {
      name: 'stray byte in the header',
      head: Buffer.concat([full('a,'), Buffer.from([0xff]), full('\n2,3\n')]),
      kind: 'not-utf-8',
    },
    {
      name: 'legacy encoding on two rows',
      head: Buffer.concat([full('a,b\n'), cp1258('Nguyễn,1\nTrần,2\n')]),
      kind: 'not-utf-8',
    },
  ])('$name → $kind', ({ head, kind }) => {
    expect(sniffEncoding(head).kind).toBe(kind);
  });

  it('does not blame a letter cut by the end of the 64 KB head', () => {
    const line = 'Nguyễn Văn An,1\n';
    const text = 'name,n\n' + line.repeat(Math.ceil(70_000 / line.length));
    const head = Buffer.from(text).subarray(0, 65536);
    // Cut inside the three-byte 'ễ' so the head ends on an incomplete sequence.
    const cut = head.lastIndexOf(Buffer.from('ễ')) + 1;
    expect(sniffEncoding(head.subarray(0, cut), false).kind).toBe('utf-8');
  });
});

import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { checkDelivery } from '../../engine/ingest/check.js';
import { packageRoot } from '../../engine/paths.js';
import { tempDir, writeFiles } from '../helpers.js';
import { cli } from './helpers.js';

const corpus = join(packageRoot, 'test', 'fixtures', 'bad-input');

/** A delivery folder assembled from corpus files: delivered name → corpus file. */
function delivery(files: Record<string, string>): string {
  const dir = writeFiles(join(tempDir(), 'delivery'), {});
  for (const [name, from] of Object.entries(files)) copyFileSync(join(corpus, from), join(dir, name));
  return dir;
}

const agencyShapes = {
  'bank_transactions_vcb.csv': 'tab-bank-statement.csv',
  'cod_shipments_ghn.csv': 'semicolon-sep-line.csv',
  'declarations.csv': 'reordered-header.csv',
  'taxpayers.csv': 'windows-1258-semicolon.csv',
};

// Values of identifier and personal columns in those files: none may appear in the report.
const values = [
  'FT26326001',
  '0011004455667',
  'NGUYEN VAN A',
  '0912345678',
  'GHN001',
  'Nguyễn',
  '0100109106',
  '0312345673',
  '1.250.000',
  '22/11/2026',
];

describe('sangloc check: a dry run that says how each file loads and which settings fix it', () => {
  it('agency CSV shapes: refused files named, the snippet fixes them, nothing printed of the values, exit 1', async () => {
    const dir = delivery(agencyShapes);
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('sangloc-check-'));
    const { code, out } = await cli(['check', '--input', dir]);
    expect(code).toBe(1);
    expect(out).toContain('bank_transactions_vcb.csv → bank_transactions: REFUSED');
    expect(out).toContain('read as:  UTF-8, delimiter tab (detected)');
    expect(out).toContain("amounts:  thousands '.', decimal ',' (detected)");
    expect(out).toContain('4 × booked_at: not an ISO 8601 timestamp');
    expect(out).toMatch(
      /fix: +ingest\.sources\.bank_transactions \{"thousands":".","decimal":",","dateFormat":"%d\/%m\/%Y"\}\n +with it: +4 read → 4 would load, 0 rejected/,
    );
    expect(out).toContain(
      "cod_shipments_ghn.csv → cod_shipments: loads with rejects\n  read as:  UTF-8, delimiter ';' (sep= line)",
    );
    expect(out).toMatch(/1 × cod_amount: not a whole VND amount .*\(line 6\)/);
    expect(out).toContain('declarations.csv → declarations: loads');
    expect(out).toMatch(
      /taxpayers\.csv → taxpayers: REFUSED\n +refused: .*not UTF-8.*\n +fix: +ingest\.sources\.taxpayers \{"encoding":"windows-1258"\}\n +with it: +2 read → 2 would load/,
    );
    expect(out).toContain('4 file(s): 1 load fully, 1 load with rejects, 2 refused');
    for (const v of values) expect(out).not.toContain(v);
    // The throw-away warehouse is gone; the delivery folder holds what it held.
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('sangloc-check-'))).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(Object.keys(agencyShapes).sort());
  }, 60_000);

  it('with the snippet in the config every file loads: exit 0, rejected rows are warnings', async () => {
    const dir = delivery(agencyShapes);
    const report = await checkDelivery(dir, { sources: {} });
    const config = join(tempDir(), 'sangloc.json');
    writeFileSync(config, JSON.stringify({ ingest: { sources: report.snippet } }));
    const { code, out } = await cli(['check', '--input', dir, '--config', config]);
    expect(code).toBe(0);
    expect(out).toContain('4 file(s): 3 load fully, 1 load with rejects, 0 refused');
    expect(out).not.toContain('config snippet');
  }, 60_000);

  it.each<{ name: string; files: Record<string, string>; code: number; says: RegExp }>([
    {
      name: 'a registry without tax_id is refused',
      files: { 'taxpayers.csv': 'missing-tax-id.csv' },
      code: 1,
      says: /missing: +tax_id \(required\)/,
    },
    {
      name: 'a file that cannot be read is refused',
      files: { 'declarations.csv': 'utf16.csv' },
      code: 1,
      says: /fix: +ingest\.sources\.declarations \{"encoding":"utf-16le"\}\n +with it: +1 read → 1 would load/,
    },
    {
      name: 'rows rejected for bad values are warnings',
      files: { 'declarations.csv': 'ragged-rows.csv' },
      code: 0,
      says: /2 fields where the header has 5 .*\(line 3\)/,
    },
    {
      name: 'extra columns are listed as ignored',
      files: { 'declarations.csv': 'extra-columns.csv' },
      code: 0,
      says: /ignored: +"ghi_chu", "Nguon" \(not in the contract\)/,
    },
    {
      name: 'escapes are detected and named',
      files: { 'websites.csv': 'backslash-escape.csv' },
      code: 0,
      says: /delimiter ',' \(detected\), escape \\/,
    },
  ])(
    '$name (exit $code)',
    async ({ files, code, says }) => {
      const { code: got, out } = await cli(['check', '--input', delivery(files)]);
      expect(out).toMatch(says);
      expect(got).toBe(code);
    },
    60_000,
  );

  it('a bank workbook: sheet and header row shown, synonyms mapped, and the fixes found one behind the other (dates, then amounts)', async () => {
    const dir = writeFiles(join(tempDir(), 'delivery'), {});
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sao kê');
    ws.addRow(['SAO KÊ TÀI KHOẢN']);
    ws.addRow([]);
    ws.addRow(['Ngân hàng', 'Số tài khoản', 'Mã GD', 'Ngày giao dịch', 'Số tiền', 'Loại', 'Nội dung']);
    ws.addRow(['VCB', '0011004455667', 'FT1', '22/11/2026 08:15', '1.250.000', 'credit', 'TT don hang']);
    ws.addRow(['VCB', '0011004455667', 'FT2', '2026-11-22T09:00:00+07:00', '980000', 'credit', 'x']);
    await wb.xlsx.writeFile(join(dir, 'bank_transactions_vcb.xlsx'));
    const { code, out } = await cli(['check', '--input', dir]);
    expect(code).toBe(0);
    expect(out).toContain('  sheet:    "Sao kê", header on row 3');
    expect(out).toContain('amount ← "Số tiền" (synonym)');
    expect(out).toMatch(/1 × Ngày giao dịch: not an ISO 8601 timestamp .*\(line 4\)/);
    expect(out).toMatch(
      /fix: +ingest\.sources\.bank_transactions \{"dateFormat":"%d\/%m\/%Y","thousands":".","decimal":","\}\n +with it: +2 read → 2 would load, 0 rejected/,
    );
    expect(out).toContain('note: no taxpayers file in this delivery');
    for (const v of ['0011004455667', 'FT1', '1.250.000']) expect(out).not.toContain(v);
  }, 60_000);

  it('--help explains the exit codes, with an example', async () => {
    const { code, out } = await cli(['check', '--help']);
    expect(code).toBe(0);
    expect(out).toContain('Exit 0 when every file would load');
    expect(out).toContain('sangloc check --input');
    expect((await cli(['--help'])).out).toContain('  check');
  });
});

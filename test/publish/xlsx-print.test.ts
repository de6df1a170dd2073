/**
 * cases.xlsx as a person opens and prints it, checked by LibreOffice: the workbook is converted to
 * PDF (headless, a vi-VN profile, as on a Vietnamese office PC) and read back with pdftotext. The
 * page is A4 landscape, one page wide, the header row repeats on every page, headers print whole,
 * name/province/expected yield/reasons come first, IDs and phones keep their leading zeros, each
 * reason starts its own line, and VND amounts show Vietnamese grouping.
 * Skipped with a message when LibreOffice or poppler is missing — except in CI (`CI` set), where a
 * missing tool fails the suite: .ci/run installs them (`libreoffice-calc poppler-utils`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseColumns } from '../../engine/publish/case-row.js';
import { linesOf, printedColumns, writeCasesXlsx, xlsxColumns, xlsxHeader } from '../../engine/publish/xlsx.js';
import { readZip } from '../reliability/zip.js';
import { caseRow, manyRows } from './fixtures.js';
import { tempDir } from './helpers.js';

const which = (cmd: string) =>
  ['/usr/bin', '/usr/local/bin', '/opt/libreoffice/program'].map((d) => join(d, cmd)).find((p) => existsSync(p));
const soffice = process.env.SOFFICE_PATH ?? which('soffice') ?? which('libreoffice');
const pdftotext = which('pdftotext');
const tools = Boolean(soffice && pdftotext);
if (!tools)
  console.warn(
    'test/publish/xlsx-print: skipped — LibreOffice (soffice) or pdftotext not found; install them with ' +
      '`apt-get install -y --no-install-recommends libreoffice-calc poppler-utils`',
  );

describe('the tools', () => {
  it.runIf(process.env.CI)('are installed in CI (the print test must not skip there)', () => {
    expect(soffice, 'soffice').toBeTruthy();
    expect(pdftotext, 'pdftotext').toBeTruthy();
  });
});

describe('linesOf', () => {
  it.each([
    { values: ['a\nb', 'x'.repeat(30)], widths: [10, 40], expected: 2 },
    { values: ['one two three four', 12], widths: [8, 8], expected: 3 },
    { values: [1234567, null], widths: [4, 4], expected: 1 },
    { values: ['x'.repeat(25)], widths: [10], expected: 3 },
    { values: ['ab cd', ''], widths: [20, 3], expected: 1 },
  ])('$values in $widths → $expected', ({ values, widths, expected }) => {
    expect(linesOf(values, widths)).toBe(expected);
  });
});

const path = tempDir('xlsx-print');

/** A LibreOffice profile whose locale is vi-VN: grouping `.`, decimal `,`. */
function viProfile(): string {
  const dir = path('lo-profile');
  mkdirSync(join(dir, 'user'), { recursive: true });
  writeFileSync(
    join(dir, 'user', 'registrymodifications.xcu'),
    '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" ' +
      'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
      '<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">' +
      '<value>vi-VN</value></prop></item>\n</oor:items>\n',
  );
  return dir;
}

/** Converts `xlsx` to PDF with LibreOffice; returns each page's text (pdftotext -layout). */
function printed(xlsx: string): string[] {
  const outDir = path('pdf');
  const r = spawnSync(
    soffice!,
    [
      '--headless',
      '--norestore',
      `-env:UserInstallation=file://${viProfile()}`,
      '--convert-to',
      'pdf',
      '--outdir',
      outDir,
      xlsx,
    ],
    { encoding: 'utf8', timeout: 180_000 },
  );
  const pdf = join(outDir, 'cases.pdf');
  if (!existsSync(pdf)) throw new Error(`LibreOffice made no PDF: ${r.stderr}`);
  const text = spawnSync(pdftotext!, ['-layout', pdf, '-'], { encoding: 'utf8' }).stdout;
  const info = spawnSync(which('pdfinfo') ?? 'pdfinfo', [pdf], { encoding: 'utf8' }).stdout;
  pageSize = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(info)?.slice(1).map(Number) ?? [];
  // The case sheet's pages (its footer names it); the explanation sheet prints after them.
  return text.split('\f').filter((p) => p.includes('Hồ sơ – Cases'));
}
let pageSize: number[] = [];

describe.skipIf(!tools)('cases.xlsx printed by LibreOffice', async () => {
  const rows = [
    caseRow({
      name: 'Nguyễn Thị Hồng Nhung',
      national_ids: ['001190012345'],
      tax_ids: ['0312345678'],
      phones: ['0912345678'],
      expected_yield_vnd: 103_817_172,
      reasons: ['Doanh thu COD 1.250 triệu đồng, chưa kê khai', 'Ba gian hàng dùng chung số điện thoại'],
    }),
    ...manyRows(150).slice(1),
  ];
  const xlsx = path('cases.xlsx');
  await writeCasesXlsx(xlsx, rows, {});
  const pages = tools ? printed(xlsx) : [];
  const lines = (page: string) => page.split('\n');

  it('is A4 landscape, one page wide: every printed column on page 1, more pages only down', () => {
    expect(pageSize[0]).toBeGreaterThan(pageSize[1]!);
    expect(Math.round(pageSize[0]!)).toBe(842);
    expect(pages.length).toBeGreaterThan(1);
    const first = pages[0]!;
    for (const name of printedColumns)
      for (const word of xlsxHeader(caseColumns.find((c) => c.name === name)!, 'vi').split(/\s+/))
        expect(first, `header word "${word}" of ${name}`).toContain(word);
  });

  it('repeats the header row at the top of every page', () => {
    for (const [k, page] of pages.entries()) {
      const top = lines(page)
        .filter((l) => l.trim())
        .slice(0, 3)
        .join('\n');
      expect(top, `page ${k + 1}`).toContain('Tên người bán');
      expect(top, `page ${k + 1}`).toContain('Lý do');
    }
  });

  it('prints name, province, expected yield and reasons first, in that order', () => {
    const head = lines(pages[0]!).find((l) => l.includes('Tên người bán'))!;
    const at = ['Tên người bán', 'Tỉnh/thành phố', 'Thuế kỳ vọng', 'Lý do'].map((h) => head.indexOf(h));
    expect(at.every((x) => x >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(xlsxColumns.slice(0, 4).map((c) => c.name)).toEqual(['name', 'province', 'expected_yield_vnd', 'reasons']);
  });

  it('keeps the leading zeros of IDs and phones, and shows VND with Vietnamese grouping', () => {
    const first = pages[0]!;
    for (const v of ['001190012345', '0312345678', '0912345678']) expect(first).toContain(v);
    expect(first).toContain('103.817.172');
  });

  it('starts each reason on its own line', () => {
    const l = lines(pages[0]!);
    const a = l.findIndex((x) => x.includes('Doanh thu COD 1.250'));
    const b = l.findIndex((x) => x.includes('Ba gian hàng dùng chung'));
    expect(a).toBeGreaterThanOrEqual(0);
    expect(b).toBeGreaterThan(a);
  });

  it('freezes the header row and the name column, and types identifier columns as text', () => {
    const sheet = readZip(xlsx).get('xl/worksheets/sheet1.xml')!.toString('utf8');
    expect(sheet).toMatch(/<pane xSplit="1" ySplit="1"[^>]*state="frozen"/);
    const styles = readZip(xlsx).get('xl/styles.xml')!.toString('utf8');
    expect(styles).toMatch(/numFmtId="49"|formatCode="@"/);
  });
});

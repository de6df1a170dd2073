import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { caseFileNames, writeCaseExports } from '../../engine/publish/exports.js';
import { writeCasesParquetFromJson } from '../../engine/publish/parquet.js';
import { openDb, literal } from '../../engine/warehouse/db.js';
import { manyRows, reasons } from './fixtures.js';
import { parseCsv, tempDir } from './helpers.js';

// the real writer, watched: a test asserts it is not even started without cases.json
vi.mock('../../engine/publish/parquet.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../engine/publish/parquet.js')>();
  return { ...real, writeCasesParquetFromJson: vi.fn(real.writeCasesParquetFromJson) };
});

const path = tempDir('exports');

describe('writeCaseExports', () => {
  it.each([{ maskPii: false }, { maskPii: true }])(
    'writes all four files with the same rows (maskPii $maskPii)',
    async ({ maskPii }) => {
      const rows = manyRows(300);
      const dir = dirname(path('x'));
      const sub = join(dir, `m${maskPii}`);
      mkdirSync(sub);
      const written = await writeCaseExports(sub, rows, { maskPii, reasons, language: 'vi' });
      expect(written.map((f) => f.slice(sub.length + 1))).toEqual([...caseFileNames]);
      for (const f of written) expect(existsSync(f)).toBe(true);

      const csv = parseCsv(readFileSync(join(sub, 'cases.csv'), 'utf8').slice(1));
      const json = JSON.parse(readFileSync(join(sub, 'cases.json'), 'utf8')) as {
        phones: string[];
        entity_id: string;
      }[];
      const db = await openDb(':memory:');
      const parquet = await db.all<{ entity_id: string; phones: string }>(
        `select entity_id, phones from read_parquet(${literal(join(sub, 'cases.parquet'))})`,
      );
      db.close();
      const phoneCol = csv[0]!.indexOf('phones');
      expect(csv.slice(1).map((r) => r[phoneCol])).toEqual(json.map((r) => r.phones.join('|')));
      expect(parquet.map((r) => r.phones)).toEqual(json.map((r) => r.phones.join('|')));
      expect(parquet.map((r) => r.entity_id)).toEqual(rows.map((r) => r.entity_id));
      expect(json[0]!.phones[0]!.includes('***')).toBe(maskPii);
    },
  );

  it('writes the other files when cases.json fails, then rethrows its error; no parquet without the json', async () => {
    const sub = join(dirname(path('x')), 'json-fails');
    mkdirSync(join(sub, 'cases.json'), { recursive: true }); // a folder where the file should go
    vi.mocked(writeCasesParquetFromJson).mockClear();
    await expect(writeCaseExports(sub, manyRows(5))).rejects.toThrow(/EISDIR/);
    expect(writeCasesParquetFromJson).not.toHaveBeenCalled();
    expect(existsSync(join(sub, 'cases.csv'))).toBe(true);
    expect(existsSync(join(sub, 'cases.xlsx'))).toBe(true);
    expect(existsSync(join(sub, 'cases.parquet'))).toBe(false);
  });

  it('rejects a folder that does not exist', async () => {
    await expect(writeCaseExports(path('missing/dir'), manyRows(3))).rejects.toThrow();
  });
});

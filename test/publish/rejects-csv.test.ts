import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeRejectsCsv } from '../../engine/publish/run-folder.js';
import { ensureIngestSchema } from '../../engine/ingest/schema.js';
import { tempDir, withDb } from '../helpers.js';

/**
 * rejects.csv shows each rejected cell as delivered; only text a spreadsheet would run as a formula
 * gets a leading `'`. (A regex written as `[=+\-@…]` inside a JS template literal loses its `\` and
 * becomes the range `+`…`@`, which caught every value starting with a digit, `.`, `/` or `:`.)
 */
describe('writeRejectsCsv', () => {
  it.each([
    { value: '2025-13', expected: '2025-13' },
    { value: '12abc', expected: '12abc' },
    { value: '2025-02-30', expected: '2025-02-30' },
    { value: '.5', expected: '.5' },
    { value: '/x', expected: '/x' },
    { value: 'abc', expected: 'abc' },
    { value: '=1+1', expected: "'=1+1" },
    { value: '+84912345678', expected: "'+84912345678" },
    { value: '-5', expected: "'-5" },
    { value: '@SUM(A1)', expected: "'@SUM(A1)" },
  ])('writes $value as $expected', async ({ value, expected }) => {
    const file = join(tempDir(), 'rejects.csv');
    await withDb(async (db) => {
      await ensureIngestSchema(db);
      await db.exec(
        `insert into rejects values ('r1', 1, 'declarations', 'declarations.csv', 2, 'period', $v, 'not a period')`,
        { v: value },
      );
      expect(await writeRejectsCsv(db, file, 'r1')).toBe(1);
    });
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('source,file,line,column,value,reason');
    expect(lines[1]).toBe(`declarations,declarations.csv,2,period,${expected},not a period`);
  });
});

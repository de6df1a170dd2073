import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { writeLines, writePieceChars } from '../../engine/publish/text-file.js';
import { tempDir } from './helpers.js';

const path = tempDir('text-file');

describe('writeLines', () => {
  const line = (i: number) => `${i},${'ă'.repeat(i % 97)}\r\n`;
  it.each([
    { count: 0, ends: {} },
    { count: 0, ends: { head: '[', tail: ']\n' } },
    { count: 1, ends: { head: '\ufeffh\r\n' } },
    // several pieces, the last one short
    { count: 5_000, ends: { head: 'h\n', tail: 't\n' } },
    // one line exactly filling a piece
    { count: 1, ends: {}, exact: true },
  ])('$count lines, ends $ends', async ({ count, ends, exact }) => {
    const file = path(`f${count}-${Object.keys(ends).join('')}${exact ? 'x' : ''}.txt`);
    const lineOf = exact ? () => 'x'.repeat(writePieceChars) : line;
    await writeLines(file, count, lineOf, ends);
    let expected = ends.head ?? '';
    for (let i = 0; i < count; i++) expected += lineOf(i);
    expected += ends.tail ?? '';
    expect(readFileSync(file, 'utf8')).toBe(expected);
    if (count === 5_000) expect(expected.length).toBeGreaterThan(3 * writePieceChars);
  });

  it('rejects a folder that does not exist', async () => {
    await expect(writeLines(path('missing/f.txt'), 1, line)).rejects.toThrow(/ENOENT/);
  });
});

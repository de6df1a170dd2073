import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { normalizeLineEndings } from '../../engine/ingest/encoding.js';
import { lineOfRecord, scanCsv } from '../../engine/ingest/scan.js';
import { tempDir, writeFiles } from '../helpers.js';

const dir = tempDir();

interface Case {
  name: string;
  content: string;
  records: number;
  lines: number;
  quotedNewlines: number;
  drift: [number, number][];
}

const cases: Case[] = [
  { name: 'empty', content: '', records: 0, lines: 0, quotedNewlines: 0, drift: [] },
  { name: 'header only, no final break', content: 'a,b', records: 1, lines: 1, quotedNewlines: 0, drift: [] },
  { name: 'plain LF', content: 'a,b\n1,2\n3,4\n', records: 3, lines: 3, quotedNewlines: 0, drift: [] },
  { name: 'CRLF', content: 'a,b\r\n1,2\r\n3,4\r\n', records: 3, lines: 3, quotedNewlines: 0, drift: [] },
  {
    name: 'quoted comma and escaped quote',
    content: 'a,b\n"x, ""y""",2\n3,4\n',
    records: 3,
    lines: 3,
    quotedNewlines: 0,
    drift: [],
  },
  {
    name: 'one quoted break',
    content: 'a,b\n1,"x\ny"\n2,z\n',
    records: 3,
    lines: 4,
    quotedNewlines: 1,
    drift: [[2, 1]],
  },
  {
    name: 'quoted CRLF break',
    content: 'a,b\r\n1,"x\r\ny"\r\n2,z\r\n',
    records: 3,
    lines: 4,
    quotedNewlines: 1,
    drift: [[2, 1]],
  },
  {
    name: 'two breaks in one field, another later, escaped quotes around them',
    content: 'a,b\n1,"p\n""\n""q"\n2,z\n3,"r\ns"\n4,t\n',
    records: 5,
    lines: 8,
    quotedNewlines: 3,
    drift: [
      [2, 2],
      [4, 3],
    ],
  },
  {
    name: 'unterminated quote runs to the end',
    content: 'a,b\n1,"x\n2,y\n',
    records: 2,
    lines: 3,
    quotedNewlines: 2,
    drift: [],
  },
  {
    name: 'empty lines start no record',
    content: 'a,b\n1,2\n\n3,4\n\r\n\n5,6\n',
    records: 4,
    lines: 7,
    quotedNewlines: 0,
    drift: [
      [2, 1],
      [3, 3],
    ],
  },
  { name: 'empty lines at the end', content: 'a\n1\n\n\n', records: 2, lines: 4, quotedNewlines: 0, drift: [[2, 2]] },
  {
    name: 'a quoted break then an empty line after the same record',
    content: 'a,b\n1,"x\ny"\n\n2,z\n',
    records: 3,
    lines: 5,
    quotedNewlines: 1,
    drift: [[2, 2]],
  },
];

describe('scanCsv: record number → physical line', () => {
  it.each(cases)('$name', ({ name, content, records, lines, quotedNewlines, drift }) => {
    const path = join(
      writeFiles(dir, { [`${name.replace(/\W+/g, '_')}.csv`]: content }),
      `${name.replace(/\W+/g, '_')}.csv`,
    );
    const s = scanCsv(path, { hash: true });
    expect(s.records).toBe(records);
    expect(s.lines).toBe(lines);
    expect(s.quotedNewlines).toBe(quotedNewlines);
    expect(s.drift.map((d) => [d.afterRecord, d.extraLines])).toEqual(drift);
    expect(s.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    expect(s.bytes).toBe(Buffer.byteLength(content));
  });

  it('carries quote state across 1 MB chunk boundaries', () => {
    // A quoted field opens just before the first chunk ends and its line break falls in the next chunk.
    const filler = 'a,b\n' + 'x,y\n'.repeat(262_143); // 1,048,576 bytes: exactly one chunk
    const content = filler.slice(0, -4) + '1,"p\n' + 'q"\n2,z\n';
    const path = join(writeFiles(dir, { 'chunks.csv': content }), 'chunks.csv');
    const s = scanCsv(path);
    const rec = 262_144; // the record holding the break (header + 262,142 rows before it)
    expect(s.drift).toEqual([{ afterRecord: rec, extraLines: 1 }]);
    expect(lineOfRecord(rec, s.drift)).toBe(rec);
    expect(lineOfRecord(rec + 1, s.drift)).toBe(rec + 2);
    expect(s.lines).toBe(rec + 2);
  });

  it.each([
    [1, 1],
    [2, 2],
    [3, 5],
    [4, 6],
    [5, 8],
    [100, 103],
  ])('lineOfRecord(%i) under drift [(2, +2), (4, +3)] = %i', (record, line) => {
    expect(
      lineOfRecord(record, [
        { afterRecord: 2, extraLines: 2 },
        { afterRecord: 4, extraLines: 3 },
      ]),
    ).toBe(line);
  });
});

describe('mixed line endings (QA item 5): counted outside quotes, normalised to LF with the same lines', () => {
  it.each([
    ['LF', 'a,b\n1,2\n', 0, 2],
    ['CRLF', 'a,b\r\n1,2\r\n', 2, 0],
    ['LF with CRLF blank lines appended', 'a,b\n1,2\r\n\r\n', 2, 1],
    ['CRLF with LF blank lines appended', 'a,b\r\n1,2\r\n\n\n', 2, 2],
    ['a quoted CRLF in an LF file is not a line end', 'a,b\n1,"x\r\ny"\n', 0, 2],
  ])('%s', (name, content, crlf, lf) => {
    const file = `${name.replace(/\W+/g, '_')}.csv`;
    const s = scanCsv(join(writeFiles(dir, { [file]: content }), file));
    expect([s.crlfBreaks, s.lfBreaks]).toEqual([crlf, lf]);
  });

  it('normalizeLineEndings writes every CRLF as LF, also one split across 1 MB chunks', async () => {
    // The first chunk ends with the `\r` of a CRLF whose `\n` opens the next one.
    const content = 'a,b\n' + 'x'.repeat((1 << 20) - 5) + '\r\n1,"ễ\r\nq"\r\n2,z\n';
    const path = join(writeFiles(dir, { 'mixed.csv': content }), 'mixed.csv');
    const out = await normalizeLineEndings(path, dir);
    expect(readFileSync(out, 'utf8')).toBe(content.replace(/\r\n/g, '\n'));
    expect(scanCsv(out).lines).toBe(scanCsv(path).lines);
  });
});

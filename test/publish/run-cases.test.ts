import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCasesJson } from '../../engine/publish/json.js';
import { readRunCases, readRunDiffInput } from '../../engine/publish/run-ref.js';
import { caseRow, manyRows } from './fixtures.js';
import { tempDir } from './helpers.js';

const path = tempDir('run-cases');

/** What a diff reads, from the whole parsed file: what `readRunDiffInput` must give, line by line. */
const expected = (dir: string) =>
  readRunCases(dir).map((r) => ({
    rank: r.rank,
    entity_id: r.entity_id,
    name: r.name,
    province: r.province,
    expected_yield_vnd: r.expected_yield_vnd,
  }));

describe('readRunDiffInput', () => {
  // 9,000 rows of multi-byte names: several 1 MB reads, characters split across them
  const many = manyRows(9_000).map((r, i) => ({ ...r, name: `Nguyễn Thị Ánh ${'ữ'.repeat(i % 50)}` }));
  it.each([
    { what: 'no cases', rows: [] },
    { what: 'one case, unknown name and province', rows: [caseRow({ name: null, province: null })] },
    { what: 'many cases over several reads', rows: many },
  ])('cases.json with $what, as written by a run', async ({ what, rows }) => {
    const dir = dirname(path(`${what}/x`));
    mkdirSync(dir, { recursive: true });
    await writeCasesJson(`${dir}/cases.json`, rows);
    const got = readRunDiffInput(dir);
    expect(got).toHaveLength(rows.length);
    expect(got).toEqual(expected(dir));
  });

  it.each([
    { what: 'pretty-printed', text: (rows: unknown[]) => JSON.stringify(rows, null, 2) },
    { what: 'on one line', text: (rows: unknown[]) => JSON.stringify(rows) },
  ])('a cases.json laid out otherwise ($what) is read whole', ({ what, text }) => {
    const dir = dirname(path(`other-${what}/x`));
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/cases.json`, text(manyRows(20)));
    expect(readRunDiffInput(dir)).toEqual(expected(dir));
  });

  it('says a folder without cases.json is not a run folder', () => {
    expect(() => readRunDiffInput(dirname(path('x')))).toThrow(/not a run folder \(no cases\.json\)/);
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bandLabel, changeWhy, diffCases, formatDiffText, rankBand, type DiffInput } from '../../engine/diff/index.js';
import { diffCsv, diffRuns } from '../../engine/publish/run-diff.js';
import { parseCsv } from './helpers.js';

const c = (
  entity_id: string,
  rank: number,
  expected_yield_vnd: number | null = 1_000_000,
  name: string | null = 'A',
): DiffInput => ({
  entity_id,
  rank,
  expected_yield_vnd,
  name,
  province: 'Hà Nội',
});

describe('rankBand / bandLabel', () => {
  it.each([
    { rank: 1, band: 1, label: '1–50' },
    { rank: 50, band: 1, label: '1–50' },
    { rank: 51, band: 2, label: '51–200' },
    { rank: 1000, band: 3, label: '201–1000' },
    { rank: 1001, band: 4, label: '1001+' },
  ])('rank $rank is band $band ($label)', ({ rank, band, label }) => {
    expect(rankBand(rank)).toBe(band);
    expect(bandLabel(band)).toBe(label);
  });
});

describe('diffCases', () => {
  it.each([
    { name: 'new on the list', a: [], b: [c('E1', 1)], kind: 'new' },
    { name: 'dropped from the list', a: [c('E1', 1)], b: [], kind: 'dropped' },
    {
      name: 'passed a case that stays into a better band',
      a: [c('E0', 100), c('E1', 120)],
      b: [c('E1', 10), c('E0', 100)],
      kind: 'escalated',
    },
    {
      name: 'passed by a case that stays into a worse band',
      a: [c('E1', 10), c('E0', 100)],
      b: [c('E0', 100), c('E1', 300)],
      kind: 'de-escalated',
    },
    { name: 'alone, into a better band (nobody passed)', a: [c('E1', 120)], b: [c('E1', 10)], kind: 'moved-up' },
    { name: 'alone, into a worse band (nobody passed)', a: [c('E1', 10)], b: [c('E1', 300)], kind: 'moved-down' },
    {
      name: 'same band, yield up by half or more',
      a: [c('E1', 5, 1_000_000)],
      b: [c('E1', 6, 1_500_000)],
      kind: 'escalated',
    },
    {
      name: 'same band, yield down by half or more',
      a: [c('E1', 5, 1_000_000)],
      b: [c('E1', 4, 500_000)],
      kind: 'de-escalated',
    },
    { name: 'same band, small change', a: [c('E1', 5, 1_000_000)], b: [c('E1', 40, 1_400_000)], kind: 'unchanged' },
    { name: 'unknown yield counts as 0', a: [c('E1', 5, null)], b: [c('E1', 5, 2)], kind: 'escalated' },
  ])('$name → $kind', ({ a, b, kind }) => {
    const d = diffCases('r1', a, 'r2', b);
    expect(d.counts[kind as keyof typeof d.counts]).toBe(kind === 'unchanged' ? a.length : 1);
    expect(d.changes.filter((x) => x.entity_id === 'E1').map((x) => x.change)).toEqual(
      kind === 'unchanged' ? [] : [kind],
    );
  });

  it('orders changes: new and escalated by new rank, then de-escalated, then dropped; sums the yield change', () => {
    const a = [c('E1', 1, 10), c('E2', 2, 10), c('E3', 300, 10)];
    const b = [c('E3', 1, 40), c('E4', 2, 5), c('E1', 250, 10)];
    // E3 passes E1 (both stay): escalated; E1 is passed by E3: de-escalated.
    const d = diffCases('r1', a, 'r2', b, { bands: [50] });
    expect(d.changes.map((x) => [x.change, x.entity_id])).toEqual([
      ['escalated', 'E3'],
      ['new', 'E4'],
      ['de-escalated', 'E1'],
      ['dropped', 'E2'],
    ]);
    expect(d.expected_yield_delta).toBe(40 + 5 + 10 - 30);
    expect(d.counts).toEqual({
      new: 1,
      escalated: 1,
      'de-escalated': 1,
      'moved-up': 0,
      'moved-down': 0,
      dropped: 1,
      unchanged: 0,
    });
  });

  it('writes every change as CSV with a BOM and neutralised names, and a readable table', () => {
    const d = diffCases('r1', [c('E1', 1, 5, '=cmd|x')], 'r2', [c('E2', 1, 7, 'Lê "Tú", Co')]);
    const csv = diffCsv(d);
    expect(csv.startsWith('\ufeff')).toBe(true);
    const rows = parseCsv(csv.slice(1));
    expect(rows[0]).toEqual([
      'change',
      'entity_id',
      'name',
      'province',
      'rank_a',
      'rank_b',
      'band_a',
      'band_b',
      'expected_yield_a_vnd',
      'expected_yield_b_vnd',
      'cause',
      'why',
    ]);
    expect(rows.slice(1)).toEqual([
      ['new', 'E2', 'Lê "Tú", Co', 'Hà Nội', '', '1', '', '1–50', '', '7', '', ''],
      [
        'dropped',
        'E1',
        "'=cmd|x",
        'Hà Nội',
        '1',
        '',
        '1–50',
        '',
        '5',
        '',
        'unknown',
        'không rõ lý do (thư mục lần chạy không có members.csv)',
      ],
    ]);
    expect(formatDiffText(d, 1, 'vi')).toMatch(
      /mới 1, tăng mức 0, giảm mức 0, lên hạng vì hồ sơ khác rời đi 0, xuống hạng vì hồ sơ mới vào 0, rời danh sách 1 \(1 không rõ\), không đổi 0/,
    );
    expect(formatDiffText(d, 1, 'vi')).toMatch(/… còn 1/);
    const text = formatDiffText(d, 1, 'en');
    expect(text).toMatch(
      /new 1, escalated 0, de-escalated 0, moved up as others left 0, moved down as others came in 0, dropped 1 \(1 unknown\), unchanged 0/,
    );
    expect(text).toMatch(/… 1 more/);
  });
});

describe('diffCases: moved because others left, or on its own', () => {
  // Bands of 3: ranks 1–3, then 4+.
  const bands = [3];
  it('a case whose place among the remaining cases is unchanged only moved up: cases above it left', () => {
    const a = [c('X1', 1), c('X2', 2), c('X3', 3), c('E', 4)];
    const b = [c('X3', 1), c('E', 2)];
    const d = diffCases('r1', a, 'r2', b, { bands });
    const e = d.changes.find((x) => x.entity_id === 'E')!;
    expect(e).toMatchObject({
      change: 'moved-up',
      cause: 'others-left',
      detail: '2',
      common_rank_a: 2,
      common_rank_b: 2,
    });
    expect(changeWhy(e, 'en')).toBe('only because 2 case(s) above it left the list');
    expect(changeWhy(e, 'vi')).toBe('chỉ vì 2 hồ sơ xếp trên đã rời danh sách');
    expect(d.counts.escalated).toBe(0);
  });

  it('a case that passes a remaining case rose on its own', () => {
    const a = [c('X1', 1), c('X2', 2), c('X3', 3), c('E', 4)];
    const b = [c('E', 1), c('X3', 2)];
    const e = diffCases('r1', a, 'r2', b, { bands }).changes.find((x) => x.entity_id === 'E')!;
    expect(e).toMatchObject({ change: 'escalated', cause: 'overtook', common_rank_a: 2, common_rank_b: 1 });
    expect(changeWhy(e, 'en')).toMatch(/passed cases on both lists \(2 → 1 among them\)/);
  });

  it('a case whose yield rose by half reaches a better band on its own even with its place unchanged', () => {
    const a = [c('X1', 1), c('E', 4, 1_000_000)];
    const b = [c('X1', 1), c('E', 2, 2_000_000)];
    const e = diffCases('r1', a, 'r2', b, { bands }).changes.find((x) => x.entity_id === 'E')!;
    expect(e).toMatchObject({ change: 'escalated', cause: 'yield-up' });
  });

  it('a case pushed down by new cases above it only moved down', () => {
    const a = [c('E', 2), c('X', 5)];
    const b = [c('N1', 1), c('N2', 2), c('N3', 3), c('E', 4), c('X', 5)];
    const e = diffCases('r1', a, 'r2', b, { bands }).changes.find((x) => x.entity_id === 'E')!;
    expect(e).toMatchObject({ change: 'moved-down', cause: 'others-entered', detail: '3' });
  });

  it('a case passed by a remaining case fell on its own', () => {
    const a = [c('E', 2), c('X', 5)];
    const b = [c('X', 1), c('E', 4)];
    const e = diffCases('r1', a, 'r2', b, { bands }).changes.find((x) => x.entity_id === 'E')!;
    expect(e).toMatchObject({ change: 'de-escalated', cause: 'overtaken' });
  });
});

describe('diffCases: why a case dropped', () => {
  const a = [c('AUD', 1), c('OFF', 2), c('MERGED', 3), c('GONE', 4), c('STAY', 5)];
  const b = [c('STAY', 1)];
  it.each([
    { id: 'AUD', cause: 'audited', why: /audited: an outcome is recorded/ },
    { id: 'OFF', cause: 'not-on-list', why: /still linked, not on the list/ },
    { id: 'MERGED', cause: 'relinked', why: /its records now belong to E9 STAY/ },
    { id: 'GONE', cause: 'gone', why: /none of its records/ },
  ])('$id → $cause', ({ id, cause, why }) => {
    const d = diffCases('r1', a, 'r2', b, {
      drops: {
        audited: new Set(['AUD']),
        entities: new Set(['STAY', 'OFF', 'E9']),
        relinked: new Map([['MERGED', ['E9', 'STAY']]]),
      },
    });
    const x = d.changes.find((ch) => ch.entity_id === id)!;
    expect(x).toMatchObject({ change: 'dropped', cause });
    expect(changeWhy(x, 'en')).toMatch(why);
    expect(changeWhy(x, 'vi')).not.toBe(changeWhy(x, 'en'));
    expect(d.dropped_by).toEqual({ audited: 1, 'not-on-list': 1, relinked: 1, gone: 1 });
  });
});

describe('diffRuns: reads why from the run folders', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sangloc-diff-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const folder = (name: string, cases: DiffInput[], members: string[], audited?: string[]) => {
    const d = join(dir, name);
    mkdirSync(d);
    writeFileSync(
      join(d, 'run.json'),
      JSON.stringify({ run_id: name, ...(audited ? { excluded_audited_entities: audited } : {}) }),
    );
    writeFileSync(join(d, 'cases.json'), JSON.stringify(cases));
    writeFileSync(join(d, 'members.csv'), ['entity_id,source,record_key', ...members].join('\r\n') + '\r\n');
    return d;
  };
  it('audited from run.json, relinked and still-there from members.csv', () => {
    const a = folder(
      'a',
      [c('AUD', 1), c('OFF', 2), c('MERGED', 3), c('GONE', 4)],
      ['AUD,taxpayers,0101', 'OFF,websites,x.vn', 'MERGED,platform_sellers,"shopee:1,2"', 'GONE,websites,y.vn'],
    );
    const b = folder(
      'b',
      [c('NEW', 1)],
      ['AUD,taxpayers,0101', 'OFF,websites,x.vn', 'NEW,platform_sellers,"shopee:1,2"'],
      ['AUD'],
    );
    const causes = Object.fromEntries(diffRuns(a, b).changes.map((x) => [x.entity_id, [x.cause, x.detail]]));
    expect(causes).toEqual({
      NEW: [null, null],
      AUD: ['audited', null],
      OFF: ['not-on-list', null],
      MERGED: ['relinked', 'NEW'],
      GONE: ['gone', null],
    });
  });
});

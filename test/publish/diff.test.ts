import { describe, expect, it } from 'vitest';
import { bandLabel, diffCases, formatDiffText, rankBand, type DiffInput } from '../../engine/diff/index.js';
import { diffCsv } from '../../engine/publish/run-diff.js';
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
    { name: 'moved into a better band', a: [c('E1', 120)], b: [c('E1', 10)], kind: 'escalated' },
    { name: 'moved into a worse band', a: [c('E1', 10)], b: [c('E1', 300)], kind: 'de-escalated' },
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
    expect(d.counts[kind as keyof typeof d.counts]).toBe(1);
    expect(d.changes.map((x) => x.change)).toEqual(kind === 'unchanged' ? [] : [kind]);
  });

  it('orders changes: new and escalated by new rank, then de-escalated, then dropped; sums the yield change', () => {
    const a = [c('E1', 1, 10), c('E2', 2, 10), c('E3', 300, 10)];
    const b = [c('E3', 1, 40), c('E4', 2, 5), c('E1', 250, 10)];
    const d = diffCases('r1', a, 'r2', b, { bands: [50] });
    expect(d.changes.map((x) => [x.change, x.entity_id])).toEqual([
      ['escalated', 'E3'],
      ['new', 'E4'],
      ['de-escalated', 'E1'],
      ['dropped', 'E2'],
    ]);
    expect(d.expected_yield_delta).toBe(40 + 5 + 10 - 30);
    expect(d.counts).toEqual({ new: 1, escalated: 1, 'de-escalated': 1, dropped: 1, unchanged: 0 });
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
    ]);
    expect(rows.slice(1)).toEqual([
      ['new', 'E2', 'Lê "Tú", Co', 'Hà Nội', '', '1', '', '1–50', '', '7'],
      ['dropped', 'E1', "'=cmd|x", 'Hà Nội', '1', '', '1–50', '', '5', ''],
    ]);
    const text = formatDiffText(d, 1);
    expect(text).toMatch(/new 1, escalated 0, de-escalated 0, dropped 1, unchanged 0/);
    expect(text).toMatch(/… 1 more/);
  });
});

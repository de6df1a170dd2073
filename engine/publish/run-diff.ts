/**
 * The diff of two published runs: read from their folders (cases.json, run.json) and written as
 * diff.csv. The comparison itself is diff/'s (`diffCases`), which knows nothing of run folders.
 */
import { bandLabel, diffCases, type DiffOptions, type RunDiff } from '../diff/index.js';
import { csvText } from './csv.js';
import { readRunCases, readRunJson } from './run-ref.js';

/**
 * Compares two published run folders (their cases.json).
 *
 * @example const d = diffRuns('ws/runs/20261122-…', 'ws/runs/20261123-…'); d.counts.new
 */
export function diffRuns(dirA: string, dirB: string, opts: DiffOptions = {}): RunDiff {
  const idA = readRunJson(dirA).run_id;
  const idB = readRunJson(dirB).run_id;
  return diffCases(idA, readRunCases(dirA), idB, readRunCases(dirB), opts);
}

export const diffCsvColumns = [
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
] as const;

/**
 * The changed cases as CSV (UTF-8 with BOM, CRLF, formula-looking names neutralised).
 *
 * @example writeFileSync('diff.csv', diffCsv(d));
 */
export function diffCsv(diff: RunDiff): string {
  const text = (v: string | null) => csvText(v ?? '');
  const num = (v: number | null) => (v === null ? '' : String(v));
  const lines = [diffCsvColumns.join(',')];
  for (const c of diff.changes) {
    lines.push(
      [
        c.change,
        text(c.entity_id),
        text(c.name),
        text(c.province),
        num(c.rank_a),
        num(c.rank_b),
        c.band_a === null ? '' : bandLabel(c.band_a, diff.bands),
        c.band_b === null ? '' : bandLabel(c.band_b, diff.bands),
        num(c.expected_yield_a),
        num(c.expected_yield_b),
      ].join(','),
    );
  }
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

/**
 * The diff of two published runs: read from their folders (cases.json, run.json) and written as
 * diff.csv. The comparison itself is diff/'s (`diffCases`), which knows nothing of run folders.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bandLabel, changeWhy, diffCases, type DropContext, type DiffOptions, type RunDiff } from '../diff/index.js';
import { csvText } from './csv.js';
import { readRunDiffInput, readRunJson } from './run-ref.js';

/**
 * Compares two published run folders (their cases.json); run B's run.json (audited entities) and
 * both members.csv say why a case dropped. Of each case only what the diff reads is kept
 * (`readRunDiffInput`).
 *
 * @example const d = diffRuns('ws/runs/20261122-…', 'ws/runs/20261123-…'); d.counts.new
 */
export function diffRuns(dirA: string, dirB: string, opts: DiffOptions = {}): RunDiff {
  const runA = readRunJson(dirA);
  const runB = readRunJson(dirB);
  const a = readRunDiffInput(dirA);
  const b = readRunDiffInput(dirB);
  const inB = new Set(b.map((r) => r.entity_id));
  const dropped = new Set(a.filter((r) => !inB.has(r.entity_id)).map((r) => r.entity_id));
  const drops = dropped.size ? dropContext(dirA, dirB, runB.excluded_audited_entities, dropped) : undefined;
  return diffCases(runA.run_id, a, runB.run_id, b, { ...opts, ...(drops ? { drops } : {}) });
}

/** Splits one members.csv line (entity_id,source,record_key; the key may be quoted). */
function memberFields(line: string): [string, string] | undefined {
  const comma = line.indexOf(',');
  if (comma < 0) return undefined;
  const second = line.indexOf(',', comma + 1);
  if (second < 0) return undefined;
  let key = line.slice(second + 1);
  if (key.startsWith('"')) key = key.slice(1, -1).replaceAll('""', '"');
  // A neutralised key (leading ') is the same key.
  return [line.slice(0, comma), `${line.slice(comma + 1, second)}\u0000${key.replace(/^'/, '')}`];
}

/** What run B's folder says about the dropped entities of run A: audited, still there, relinked. */
function dropContext(
  dirA: string,
  dirB: string,
  audited: readonly string[] | undefined,
  dropped: ReadonlySet<string>,
): DropContext {
  const out: DropContext = audited ? { audited: new Set(audited) } : {};
  const membersA = join(dirA, 'members.csv');
  const membersB = join(dirB, 'members.csv');
  if (!existsSync(membersA) || !existsSync(membersB)) return out;
  const recordsOf = new Map<string, string>();
  for (const line of readFileSync(membersA, 'utf8').split(/\r?\n/).slice(1)) {
    const f = memberFields(line);
    if (f && dropped.has(f[0])) recordsOf.set(f[1], f[0]);
  }
  const entities = new Set<string>();
  const relinked = new Map<string, string[]>();
  for (const line of readFileSync(membersB, 'utf8').split(/\r?\n/).slice(1)) {
    const f = memberFields(line);
    if (!f) continue;
    entities.add(f[0]);
    const was = recordsOf.get(f[1]);
    if (was !== undefined && was !== f[0]) {
      const now = relinked.get(was) ?? [];
      if (!now.includes(f[0])) now.push(f[0]);
      relinked.set(was, now);
    }
  }
  for (const list of relinked.values()) list.sort();
  return { ...out, entities, relinked };
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
  'cause',
  'why',
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
        c.cause ?? '',
        text(changeWhy(c)),
      ].join(','),
    );
  }
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

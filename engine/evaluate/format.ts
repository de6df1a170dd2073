/** The readable side of an evaluation: aligned plain-text tables for a terminal or a log. */
import type { Evaluation } from './evaluate.js';
import type { PairwiseScores } from './metrics.js';
import { fmt } from '../format.js';

const int = (n: number): string => fmt().int(n);
/** Percent with one decimal; two below 1 % so small yields on big deliveries do not print as 0.0 %. */
const pct = (x: number | null): string =>
  x === null ? 'n/a' : `${fmt().dec(x * 100, x !== 0 && Math.abs(x) < 0.01 ? 2 : 1)}%`;
const num = (x: number | null, digits = 3): string => (x === null ? 'n/a' : fmt().dec(x, digits));
/** Million VND, the unit tax office reports use. */
const mvnd = (vnd: number): string => fmt().dec(vnd / 1e6, 1);

/**
 * Lays out rows as columns: first column left-aligned, the others right-aligned.
 *
 * @example
 *   alignTable([['K', 'hits'], ['50', '31']]); // 'K   hits\n50    31'
 */
export function alignTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function pairwiseRow(label: string, p: PairwiseScores): string[] {
  return [
    label,
    int(p.records),
    int(p.entities),
    int(p.unlinkedRecords),
    int(p.mixedEntities),
    pct(p.precision),
    pct(p.recall),
    num(p.f1),
  ];
}

/**
 * The evaluation as text for stdout: list quality at each K, then entity resolution quality.
 *
 * @example
 *   process.stdout.write(formatEvaluation(await evaluateRun({ truthDir, runDir })));
 */
export function formatEvaluation(e: Evaluation): string {
  const r = e.ranking;
  const a = e.audited;
  const lines: string[] = [
    `run     ${e.runDir}`,
    `truth   ${e.truthDir}`,
    `input   ${e.inputDir}`,
    '',
    `cases ${int(e.counts.cases)} (${int(e.counts.casesWithoutPerson)} with no truth record); ` +
      `persons ${int(e.counts.persons)}, undeclared ${int(e.counts.undeclaredPersons)}`,
    `outcomes: ${int(a.outcomeRows)} rows, ${int(a.subjects)} subjects (${int(a.unmatchedSubjects)} unmatched) ` +
      `naming ${int(a.persons)} persons, whose cases are skipped`,
    `judged on ${int(r.eligiblePersons)} persons not in outcomes, ${int(r.eligibleUndeclared)} undeclared (base ` +
      `rate ${pct(r.baseRate)}), tax due ${mvnd(r.undeclaredTaxDueVnd)} M VND`,
    '',
    'Case list (a person counts once: a later case of the same person is a miss)',
    alignTable([
      [
        'K',
        'counted',
        'hits',
        'precision',
        'lift',
        'dup',
        'unmapped',
        'skipped',
        'control',
        'yield M VND',
        'ceiling M VND',
        'yield',
        'ceiling',
        'yield/ceiling',
      ],
      ...r.atK.map((k) => [
        String(k.k),
        int(k.counted),
        int(k.hits),
        pct(k.precision),
        k.lift === null ? 'n/a' : fmt().dec(k.lift, 2),
        int(k.duplicateCases),
        int(k.unmappedCases),
        int(k.skippedAudited),
        int(k.controlCases),
        mvnd(k.yieldVnd),
        mvnd(k.ceilingVnd),
        pct(k.yield),
        pct(k.ceiling),
        pct(k.yieldToCeiling),
      ]),
    ]),
    '',
    'Entities, pairwise against truth (truth records missing from members.csv are unlinked singletons)',
    alignTable([
      ['scope', 'records', 'entities', 'unlinked', 'mixed', 'precision', 'recall', 'F1'],
      pairwiseRow('all sources', e.entities.all),
      pairwiseRow(`identity (${e.entities.identity.sources.join(', ')})`, e.entities.identity),
    ]),
    '',
    `members.csv: ${int(e.counts.memberRows)} rows; ${int(e.counts.memberRecordsNotInTruth)} records not in ` +
      `truth (not judged); ` +
      `${int(e.counts.truthRecordsNotInMembers)} truth records ` +
      `missing; ${int(e.counts.recordsInSeveralEntities)} records in several entities`,
  ];
  return lines.join('\n') + '\n';
}

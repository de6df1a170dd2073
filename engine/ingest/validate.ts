import { ident, literal } from '../warehouse/db.js';
import type { ColumnSpec, SourceSpec } from './sources.js';

/** One contract rule as SQL over a table whose columns are the source's text columns. */
export interface Check {
  column: string;
  /** SQL boolean: true when the row breaks the rule. */
  broken: string;
  reason: string;
}

const MAX_VND = 10_000_000_000_000; // 10,000 billion VND in one row is a typo, not a sale

function checksFor(col: ColumnSpec, presentInFile: boolean): Check[] {
  const v = `trim(${ident(col.name)})`;
  const present = `(${ident(col.name)} is not null and ${v} <> '')`;
  const checks: Check[] = [];
  if (col.required) {
    checks.push({
      column: col.name,
      broken: presentInFile ? `not ${present}` : 'true',
      reason: presentInFile ? 'required value is empty' : 'required column is missing from the file header',
    });
  }
  const when = (cond: string, reason: string) => checks.push({ column: col.name, broken: `(${present} and (${cond}))`, reason });
  switch (col.type) {
    case 'vnd':
      when(`not regexp_full_match(${v}, '-?[0-9]+')`, 'not a whole VND amount (digits only, e.g. 1250000)');
      when(`try_cast(${v} as hugeint) < 0`, 'negative amount');
      if (col.positive) when(`try_cast(${v} as hugeint) = 0`, 'amount must be greater than 0');
      when(`try_cast(${v} as hugeint) > ${MAX_VND}`, 'amount implausibly large (over 10,000 billion VND)');
      break;
    case 'integer':
      when(`not regexp_full_match(${v}, '[0-9]{1,12}')`, 'not a whole number ≥ 0');
      break;
    case 'date':
      when(`try_strptime(${v}, '%Y-%m-%d') is null or not regexp_full_match(${v}, '[0-9]{4}-[0-9]{2}-[0-9]{2}')`, 'not a date in YYYY-MM-DD form');
      when(`year(try_strptime(${v}, '%Y-%m-%d')) not between 1990 and 2100`, 'date out of range (1990–2100)');
      break;
    case 'timestamp':
      when(`try_cast(${v} as timestamptz) is null`, 'not an ISO 8601 timestamp (e.g. 2026-11-22T08:15:00+07:00)');
      when(`year(try_cast(${v} as timestamptz)) not between 1990 and 2100`, 'timestamp out of range (1990–2100)');
      break;
    case 'period':
      when(`not regexp_full_match(${v}, '[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?')`, 'not a period (YYYY, YYYY-Qn or YYYY-MM)');
      break;
    case 'text':
      break;
  }
  if (col.values) {
    when(`lower(${v}) not in (${col.values.map(literal).join(', ')})`, `unknown value; expected one of ${col.values.join(', ')}`);
  }
  return checks;
}

/** All contract checks of a source, in the order they are reported (first broken wins). */
export function contractChecks(spec: SourceSpec, fileColumns: ReadonlySet<string>, extra: Check[] = []): Check[] {
  return [...spec.columns.flatMap((c) => checksFor(c, fileColumns.has(c.name))), ...extra];
}

/** SQL expressions giving the first broken check's reason, column and offending value (NULL if none). */
export function rejectExpressions(checks: Check[]): { reason: string; column: string; value: string } {
  if (checks.length === 0) return { reason: 'null::varchar', column: 'null::varchar', value: 'null::varchar' };
  const chain = (pick: (c: Check) => string) => `case ${checks.map((c) => `when ${c.broken} then ${pick(c)}`).join(' ')} end`;
  return {
    reason: chain((c) => literal(c.reason)),
    column: chain((c) => literal(c.column)),
    value: chain((c) => `left(${ident(c.column)}, 200)`),
  };
}

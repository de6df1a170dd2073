import { ident, literal } from '../warehouse/db.js';
import type { ColumnSpec, SourceSpec } from './sources.js';

/** One contract rule as SQL over a table whose columns are the source's text columns. */
export interface Check {
  column: string;
  /** SQL boolean: true when the row breaks the rule. May use the parsed columns of `parsedColumns`. */
  broken: string;
  reason: string;
}

const MAX_VND = 10_000_000_000_000; // 10,000 billion VND in one row is a typo, not a sale

/** Name of the helper column holding a typed parse of a text column (computed once per row). */
export const parsedName = (column: string) => `_p_${column}`;

/** Name of the helper column holding a text column's trimmed value (computed once per row, not once per rule). */
export const trimmedName = (column: string) => `_t_${column}`;

/** Whether any contract rule looks at a column's value (and so at its trimmed text). */
const checked = (c: ColumnSpec) =>
  c.required || c.type !== 'text' || c.values !== undefined || (c.format === 'tax_id' && c.malformed === 'reject');

/**
 * Helper columns the checks share, as select-list entries (`sql`) and the quoted column each makes (`name`): each
 * checked value trimmed once per row, and typed parses computed once per row instead of once per rule that needs
 * them. Entries are in order: a parse refers to the trimmed column before it (DuckDB's lateral column alias).
 */
export function parsedColumns(spec: SourceSpec, fileColumns: ReadonlySet<string>): { name: string; sql: string }[] {
  const out: { name: string; sql: string }[] = [];
  for (const c of spec.columns) {
    if (!fileColumns.has(c.name) || !checked(c)) continue;
    const t = ident(trimmedName(c.name));
    out.push({ name: t, sql: `trim(${ident(c.name)}) as ${t}` });
    const name = ident(parsedName(c.name));
    if (c.type === 'vnd') out.push({ name, sql: `try_cast(${t} as hugeint) as ${name}` });
    else if (c.type === 'date') out.push({ name, sql: `try_strptime(${t}, '%Y-%m-%d') as ${name}` });
    else if (c.type === 'timestamp') out.push({ name, sql: `try_cast(${t} as timestamptz) as ${name}` });
  }
  return out;
}

function checksFor(col: ColumnSpec, presentInFile: boolean, source: string): Check[] {
  // The trimmed text from `parsedColumns` (a rule is only evaluated where those columns exist).
  const v = ident(trimmedName(col.name));
  const p = ident(parsedName(col.name));
  const present = `(${ident(col.name)} is not null and ${v} <> '')`;
  const checks: Check[] = [];
  if (col.required) {
    checks.push({
      column: col.name,
      broken: presentInFile ? `not ${present}` : 'true',
      reason: presentInFile
        ? 'required value is empty'
        : `required column is missing from the file header — add it, or name the file's column for it ` +
          `in ` +
          `ingest.sources.${source}.rename`,
    });
  }
  if (!presentInFile) return checks;
  const when = (cond: string, reason: string) =>
    checks.push({ column: col.name, broken: `(${present} and (${cond}))`, reason });
  switch (col.type) {
    case 'vnd':
      when(
        `${p} is null or not regexp_full_match(${v}, '-?[0-9]+')`,
        'not a whole VND amount (digits only, e.g. 1250000)',
      );
      when(`${p} < 0`, 'negative amount');
      if (col.positive) when(`${p} = 0`, 'amount must be greater than 0');
      when(`${p} > ${MAX_VND}`, 'amount implausibly large (over 10,000 billion VND)');
      break;
    case 'integer':
      when(`not regexp_full_match(${v}, '[0-9]{1,12}')`, 'not a whole number ≥ 0');
      break;
    case 'date':
      when(`not regexp_full_match(${v}, '[0-9]{4}-[0-9]{2}-[0-9]{2}')`, 'not a date in YYYY-MM-DD form');
      // In the form but no such day (2025-02-30, 2025-13-01): say so, not that the form is wrong.
      when(`${p} is null`, 'not a real date (no such day or month; the YYYY-MM-DD form is right)');
      when(`year(${p}) not between 1990 and 2100`, 'date out of range (1990–2100)');
      break;
    case 'timestamp':
      when(`${p} is null`, 'not an ISO 8601 timestamp (e.g. 2026-11-22T08:15:00+07:00)');
      when(`year(${p}) not between 1990 and 2100`, 'timestamp out of range (1990–2100)');
      break;
    case 'period':
      when(
        `not regexp_full_match(${v}, '[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?')`,
        'not a period (YYYY, YYYY-Qn or YYYY-MM)',
      );
      when(`try_cast(left(${v}, 4) as integer) < 1990`, 'period out of range (before 1990)');
      // A typo'd year (2052-Q1) would otherwise become the run's tax year: no delivery describes a
      // period that has not begun on the day it is loaded.
      when(
        `${periodStartSql(v)} > current_date`,
        'period has not begun yet (after the delivery date): a typo in the year?',
      );
      break;
    case 'text':
      break;
  }
  if (col.values) {
    when(
      `lower(${v}) not in (${col.values.map(literal).join(', ')})`,
      `unknown value; expected one of ${col.values.join(', ')}`,
    );
  }
  if (col.format === 'tax_id' && col.malformed === 'reject') {
    // The registry's own key: exactly the contract's form, and a check digit that holds.
    when(`not (regexp_full_match(${v}, '[0-9]{10}(-[0-9]{3})?|[0-9]{12}') and mst_valid(${v}))`, TAX_ID_REASON);
  }
  return checks;
}

/**
 * SQL for the first day of a period written `YYYY`, `YYYY-Qn` or `YYYY-MM` (any letter case), NULL
 * for other text.
 *
 * @example periodStartSql("'2052-Q2'") // … = date '2052-04-01'
 */
export function periodStartSql(v: string): string {
  const year = `try_cast(left(${v}, 4) as integer)`;
  const month =
    `case when length(${v}) = 4 then 1 when upper(${v}) like '____-Q_' then try_cast(right(${v}, ` +
    `1) ` +
    `as integer) * 3 - 2 else try_cast(right(${v}, 2) as integer) end`;
  return `try_cast(make_date(${year}, ${month}, 1) as date)`;
}

const TAX_ID_REASON =
  'not a valid tax code (MST: 10 digits with a valid check digit, optionally -NNN for a branch, or a ' +
  '12-digit ' +
  'personal ID)';

/**
 * Format rules whose breach keeps the row and records a warning (`ingest_warnings`): identifiers
 * that other agencies pass on as declared to them are optional evidence, so a malformed one is
 * flagged, not a reason to drop the parcel, payment or shop it came with. Needs the normalise
 * macros (`mst_valid`, `norm_national_id`).
 *
 * @example identifierWarnings(sources.bank_transactions, new Set(['holder_tax_id'])) // [{ column: 'holder_tax_id',
 * … }]
 */
export function identifierWarnings(spec: SourceSpec, fileColumns: ReadonlySet<string>): Check[] {
  const out: Check[] = [];
  for (const col of spec.columns) {
    if (!col.format || col.malformed === 'reject' || !fileColumns.has(col.name)) continue;
    const v = `trim(${ident(col.name)})`;
    const present = `${ident(col.name)} is not null and ${v} <> ''`;
    if (col.format === 'tax_id') {
      out.push({
        column: col.name,
        broken: `(${present} and not mst_valid(${v}))`,
        reason:
          `malformed tax code (expected 10 digits with a valid check digit, optionally -NNN, or ` +
          `a ` +
          `12-digit personal ID); row kept`,
      });
    } else {
      out.push({
        column: col.name,
        broken: `(${present} and norm_national_id(${v}) is null)`,
        reason: `malformed personal ID (expected 12 digits); row kept`,
      });
    }
  }
  return out;
}

/** All contract checks of a source, in the order they are reported (first broken wins). */
export function contractChecks(spec: SourceSpec, fileColumns: ReadonlySet<string>, extra: Check[] = []): Check[] {
  return [...spec.columns.flatMap((c) => checksFor(c, fileColumns.has(c.name), spec.name)), ...extra];
}

/**
 * SQL for the number (1-based) of the first broken check, NULL when the row keeps every rule; and
 * expressions turning that number into the reason, column and offending value. The chain of rules
 * runs once per row; the rest are cheap lookups by number.
 */
export function checkExpressions(
  checks: Check[],
  checkVar = '_check',
  names: { label?: (column: string) => string; value?: (column: string) => string } = {},
): { check: string; reason: string; column: string; value: string } {
  if (checks.length === 0)
    return { check: 'null::integer', reason: 'null::varchar', column: 'null::varchar', value: 'null::varchar' };
  const c = ident(checkVar);
  const label = names.label ?? ((k: string) => k);
  const value = names.value ?? ((k: string) => ident(k));
  return {
    check: `case ${checks.map((k, i) => `when ${k.broken} then ${i + 1}`).join(' ')} end`,
    reason: `[${checks.map((k) => literal(k.reason)).join(', ')}][${c}]`,
    column: `[${checks.map((k) => literal(label(k.column))).join(', ')}][${c}]`,
    value: `case ${c} ${checks.map((k, i) => `when ${i + 1} then left(${value(k.column)}, 200)`).join(' ')} end`,
  };
}

/**
 * SQL for the list of every broken warning rule of a row (1-based numbers; NULL when none, so the
 * rows without a warning, nearly all, store no list), for rules that do not stop each other: a row
 * may carry a malformed tax code and a malformed personal ID.
 */
export function warningListSql(warnings: Check[]): string {
  if (warnings.length === 0) return 'null::integer[]';
  return (
    `case when ${warnings.map((w) => w.broken).join(' or ')} then ` +
    `list_filter([${warnings.map((w, i) => `case when ${w.broken} then ${i + 1} end`).join(', ')}], x -> x ` +
    `is ` +
    `not null) end`
  );
}

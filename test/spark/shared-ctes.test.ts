/**
 * engine/spark/dialect.py split_shared_ctes: a CTE a model reads more than once becomes its own
 * statement (written out and read back by the driver), so Spark does not inline it at every use.
 * int_cod_senders, inlined, took 70 s to plan for 7,000 parcels and intermittently ran the driver
 * out of heap. Needs `npm run setup:spark` (the project's Python with sqlglot); no JVM.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../engine/paths.js';
import { findSpark } from '../../engine/spark/submit.js';

type Part = [string | null, string];

/** `dialect.<call>` on stdin's text, run by the project's Python, as JSON. */
function py<T>(call: string, sql: string): T {
  const script = [
    'import json, sys',
    `sys.path.insert(0, ${JSON.stringify(join(packageRoot, 'engine', 'spark'))})`,
    'import dialect',
    `print(json.dumps(dialect.${call}))`,
  ].join('\n');
  const r = spawnSync(findSpark().python, ['-c', script], { input: sql, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}
const split = (sql: string) => py<Part[]>('split_shared_ctes(sys.stdin.read(), {"tax_year": 2025})', sql);

const norm = (s: string) => s.replace(/\s+/g, ' ').toLowerCase();

describe('shared CTEs on Spark', () => {
  it('a CTE read twice is its own statement; one read once, or marked not materialized, stays inlined', () => {
    const parts = split(`
      with once as (select id, amount from payments where amount > 0),
      twice as (select id, sum(amount) as total from once group by id),
      hinted as not materialized (select id from payments),
      final as (
        select t.id, t.total, u.total as again from twice as t
        join twice as u on u.id = t.id
        join hinted on hinted.id = t.id
        join hinted as h2 on h2.id = t.id
      )
      select * from final`);
    expect(parts.map((p) => p[0])).toEqual(['_sangloc_cte_twice', null]);
    // the shared CTE's statement carries the inlined CTE it reads
    expect(norm(parts[0]![1])).toMatch(/^with once as \(select .* from payments .*\) select .* from once/);
    const main = norm(parts[1]![1]);
    expect(main).toContain('from _sangloc_cte_twice as t');
    expect(main).toContain('join _sangloc_cte_twice as u');
    expect(main).not.toMatch(/\btwice as \(/);
    expect(main).toMatch(/\bhinted as \(/);
    expect(main).not.toMatch(/\bonce as \(/);
  });

  it('a shared CTE read without an alias keeps its name for qualified columns', () => {
    const parts = split(`
      with s as (select 1 as id)
      select s.id from s union all select s.id from s`);
    expect(parts.map((p) => p[0])).toEqual(['_sangloc_cte_s', null]);
    expect(norm(parts[1]![1])).toBe(
      'select s.id from _sangloc_cte_s as s union all select s.id from _sangloc_cte_s as s',
    );
  });

  it('int_cod_senders and int_identity_records: every CTE read more than once, but the hinted ones, is written out', () => {
    const views = (model: string) =>
      py<string[]>(
        'shared_ctes(sys.stdin.read())',
        readFileSync(join(packageRoot, 'pipelines', 'intermediate', `${model}.sql`), 'utf8'),
      );
    // (rendering them needs the staging tables' columns: the driver's split reads this same list)
    const senders = views('int_cod_senders');
    expect(senders).toContain('cod'); // the sender groups (perf17), read four times
    expect(senders).toContain('places');
    expect(senders).toContain('flagged');
    expect(senders.length).toBeGreaterThanOrEqual(10);
    const records = views('int_identity_records');
    expect(records).toContain('holder_ids');
    expect(records).not.toContain('bank'); // `not materialized`
    expect(records).not.toContain('shops');
  });
});

/**
 * The cases of a run's top K that the generator's truth does not call undeclared (what lowers
 * precision@K in bench/quality.ts): each with its reasons, its sources, the person most of its
 * records belong to (that person's pattern and true revenue) and every person its records hold.
 * Not a test; for reading a kept world (`bench/quality.ts --keep --root DIR`).
 *
 *   npx tsx bench/false-cases.ts RUN_DIR TRUTH_DIR [K=100]
 *   npx tsx bench/false-cases.ts /tmp/q/hubs-many-ws-scored/latest /tmp/q/hubs-many/truth 100
 */
import { literal, openDb } from '../engine/warehouse/db.js';

const [run, truth, kArg] = process.argv.slice(2);
if (!run || !truth) {
  console.error('usage: tsx bench/false-cases.ts RUN_DIR TRUTH_DIR [K]');
  process.exit(2);
}
const csv = (file: string) => `read_csv(${literal(file)}, all_varchar = true)`;
const db = await openDb(':memory:');
await db.exec(`
  create table cases as select * from ${csv(`${run}/cases.csv`)};
  create table members as select * from ${csv(`${run}/members.csv`)};
  create table truth as select * from ${csv(`${truth}/records.csv`)};
  create table persons as select * from ${csv(`${truth}/persons.csv`)};
  create table cells as
    select m.entity_id, t.person_id, m.source, count(*) as n
    from members m left join truth t using (source, record_key) group by all;
  create table majority as
    select entity_id, arg_max(person_id, n) as person_id
    from (select entity_id, person_id, sum(n) as n from cells group by all) group by entity_id;
`);
const rows = await db.all(`
  select c.rank::int as rank, c.entity_id, c.reason_codes, c.sources, c.estimated_revenue_vnd,
    c.declared_revenue_vnd, e.person_id, p.pattern, p.true_revenue,
    (select string_agg(x.person_id || ' ' || coalesce(q.pattern, '?') || ' ' || x.source || '=' || x.n, '; '
       order by x.n desc, x.person_id, x.source)
     from cells x left join persons q using (person_id) where x.entity_id = c.entity_id) as records
  from cases c left join majority e using (entity_id) left join persons p using (person_id)
  where c.rank::int <= ${Number(kArg ?? 100)} and coalesce(p.undeclared, '0') <> '1'
  order by rank`);
for (const r of rows) console.log(JSON.stringify(r));
await db.close();

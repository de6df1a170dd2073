/**
 * How often the registry candidate of a run names the right taxpayer, by its evidence kinds
 * (mart_registry_candidates.sql, read from the run's snapshot.duckdb): per kind combination, the pairs
 * listed and how many name the registry record of the person most of the entity's records belong to
 * (generator truth), overall and among the cases ranked in the top 500. Not a test; for calibrating a
 * weight on worlds with a truth (docs/domain.md, cn29).
 *
 *   npx tsx bench/candidate-truth.ts RUN_DIR TRUTH_DIR [RUN_DIR TRUTH_DIR …]
 *   npx tsx bench/candidate-truth.ts /tmp/r/ws-all-s7/latest /tmp/indep/all-s7/truth
 */
import { literal, openDb } from '../engine/warehouse/db.js';

const args = process.argv.slice(2);
if (args.length === 0 || args.length % 2 !== 0) {
  console.error('usage: tsx bench/candidate-truth.ts RUN_DIR TRUTH_DIR [RUN_DIR TRUTH_DIR …]');
  process.exit(2);
}
const csv = (file: string) => `read_csv(${literal(file)}, all_varchar = true)`;
const db = await openDb(':memory:');
await db.exec('create table pairs (evidence varchar, right_one boolean, top500 boolean)');
for (let i = 0; i < args.length; i += 2) {
  const [run, truth] = [args[i]!, args[i + 1]!];
  await db.exec(`
    attach ${literal(`${run}/snapshot.duckdb`)} as snap (read_only);
    create or replace temp table truth as select * from ${csv(`${truth}/records.csv`)};
    create or replace temp table majority as
      select m.entity_id, mode(t.person_id) as person_id
      from ${csv(`${run}/members.csv`)} m join truth t using (source, record_key) group by m.entity_id;
    insert into pairs
      select r.evidence, coalesce(e.person_id = t.person_id, false), coalesce(c.rank::int <= 500, false)
      from snap.mart_registry_candidates r
      left join majority e using (entity_id)
      left join truth t on t.source = 'taxpayers' and t.record_key = r.candidate_tax_id
      left join ${csv(`${run}/cases.csv`)} c using (entity_id);
    detach snap;
  `);
}
const rows = await db.all<{ evidence: string; pairs: number; right_ones: number; top: number; top_right: number }>(`
  select evidence, count(*)::int as pairs, count(*) filter (where right_one)::int as right_ones,
    count(*) filter (where top500)::int as top, count(*) filter (where top500 and right_one)::int as top_right
  from pairs group by evidence order by pairs desc, evidence`);
console.log('| evidence | pairs | right | top 500 | right in top 500 |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.evidence} | ${r.pairs} | ${r.right_ones} | ${r.top} | ${r.top_right} |`);

/**
 * Where the false pairs come from, on worlds kept by `bench/quality.ts --keep` (precision's
 * counterpart of bench/missed-pairs.ts): each entity's rows (members.csv) against the generator's
 * truth (truth/records.csv). The entity's person is the one most of its rows belong to; the rows
 * of anyone else in it are wrong, each group of them (one identity record, one person) weighed by
 * the false pairs it makes (its rows × the entity's rows of other people). Groups are told apart
 * by the kind of identity record, and by whether that record itself holds rows of several people
 * (`record mixed`: the rows were grouped into one record, e.g. a relative's account with the
 * seller's money in it) or is whole and was joined to the wrong entity (`record whole`). Shares
 * are of the world's false pairs (Σ over entities of C(rows, 2) − Σ over its people of C(rows, 2)).
 *
 *   npx tsx bench/false-pairs.ts /tmp/sangloc-quality family-contacts everything
 */
import { openKeptWorld, printFalsePairs } from './lib/kept-world.js';

const [root, ...worlds] = process.argv.slice(2);
if (!root || worlds.length === 0) {
  console.error('usage: npx tsx bench/false-pairs.ts <quality root> <world> [world…]');
  process.exit(2);
}

const kindSql = `case
    when i.source = 'bank_transactions' and i.shop_key is not null then 'bank: shop payouts'
    when i.source = 'bank_transactions' then 'bank: account'
    when i.source = 'platform_sellers' and i.nominee then 'shop: nominee (holder runs it)'
    when i.source = 'platform_sellers' then 'shop'
    when i.source = 'cod_shipments' and i.shop_key is not null then 'COD: a shop''s marketplace parcels'
    when i.source = 'cod_shipments' and (i.hub_name_key is not null or i.hub_phone is not null) then 'COD: via a warehouse'
    when i.source = 'cod_shipments' then 'COD: sender'
    else i.source end`;

for (const world of worlds) {
  const { db, truthCsv, membersCsv } = await openKeptWorld(root, world);
  await db.exec(`create temp table mem as
    select m.entity_id, t.person_id, ri.record_id
    from read_csv('${membersCsv}', all_varchar = true) m
    join read_csv('${truthCsv}', all_varchar = true) t using (source, record_key)
    left join int_record_identity ri using (source, record_key)`);
  await db.exec(`create temp table ep as select entity_id, person_id, count(*) as n from mem group by all`);
  await db.exec(`create temp table ent as
    select entity_id, sum(n) as n, arg_max(person_id, (n, person_id)) as person from ep group by 1`);
  const total = Number(
    await db.value(`select (select sum(n * (n - 1) / 2) from ent) - (select sum(n * (n - 1) / 2) from ep)`),
  );
  const rows = await db.all<{ kind: string; record: string; records: number; rows: number; pairs: number }>(`
    with groups as (
      select m.entity_id, m.record_id, m.person_id, count(*) as n from mem m group by all
    ),
    people_in_record as (select record_id, count(distinct person_id) as people from groups group by 1),
    wrong as (
      select g.record_id, g.n, g.n * (e.n - p.n) as pairs
      from groups g
      join ent e using (entity_id)
      join ep p on p.entity_id = g.entity_id and p.person_id = g.person_id
      where g.person_id <> e.person
    )
    select ${kindSql} as kind,
      case when r.people > 1 then 'record mixed' else 'record whole' end as record,
      count(distinct w.record_id)::int as records, sum(w.n)::int as rows, sum(w.pairs)::double as pairs
    from wrong w
    join people_in_record r using (record_id)
    left join int_identity_records i using (record_id)
    group by all order by pairs desc`);
  db.close();
  printFalsePairs(
    world,
    total,
    ['rows of another person in an entity', 'identity record', 'records', 'rows'],
    rows.map((r) => ({ cells: [r.kind, r.record, r.records, r.rows], pairs: r.pairs })),
  );
}

/**
 * Why the resolver missed the true pairs it missed, on worlds kept by `bench/quality.ts --keep`:
 * every pair of truth rows of one person (truth/records.csv, the generator's own truth) that the
 * run put in two identity records of two different clusters, weighed like the pairwise recall
 * (rows × rows). Each pair of one person's clusters gets the closest any of its record pairs came
 * to a join, and the kinds of that record pair (of the heaviest one when none came close):
 *
 * - `cut: <reason>`: the pair was a link above the threshold, cut by the clustering guards;
 * - `weak link`: a link above the threshold, not strong enough to merge, not cut;
 * - `below threshold (<fields that agree>)`: a candidate pair (the records share a blocking key)
 *   scored below the threshold;
 * - `no candidate (<fields that agree>)`: no blocking rule brings the pair.
 *
 *   npx tsx bench/missed-pairs.ts /tmp/sangloc-quality typos-missing plain
 */
import { openKeptWorld } from './lib/kept-world.js';

const [root, ...worlds] = process.argv.slice(2);
if (!root || worlds.length === 0) {
  console.error('usage: npx tsx bench/missed-pairs.ts <quality root> <world> [world…]');
  process.exit(2);
}

const fields = ['tax_id', 'national_id', 'account', 'phone', 'email', 'shop_key'] as const;
const col = (side: string, f: string): string =>
  f === 'account' || f === 'phone' || f === 'email' ? `coalesce(${side}.${f}_key, ${side}.${f})` : `${side}.${f}`;
const agree = (f: string): string => `case when ${col('a', f)} = ${col('b', f)} then '${f} ' else '' end`;

for (const world of worlds) {
  const { db, truthCsv } = await openKeptWorld(root, world);
  await db.exec(`create temp table truth as select * from read_csv('${truthCsv}', all_varchar = true)`);
  await db.exec(`create temp table rp as
    select r.record_id, r.person_id, r.n, i.source as kind, c.cluster_id
    from (select ri.record_id, t.person_id, count(*) as n
          from int_record_identity ri join truth t using (source, record_key) group by all) r
    join int_identity_records i using (record_id)
    join resolve_clusters c using (record_id)`);
  const truePairs = Number(
    await db.value(
      `select sum(n * (n - 1) / 2)::double from (select person_id, count(*) as n from truth group by all)`,
    ),
  );
  const agreeSql = [
    ...fields.map(agree),
    `case when a.name_key = b.name_key then 'name ' else '' end`,
    `case when a.name_key <> b.name_key and list_sort(string_split(a.name_key, ' ')) = list_sort(string_split(b.name_key, ' ')) then 'name-words ' else '' end`,
    `case when a.province = b.province then 'province ' else '' end`,
    `case when a.address_key = b.address_key then 'address ' else '' end`,
  ].join(' || ');
  const blockSql = [
    ...fields.map((f) => `${col('a', f)} = ${col('b', f)}`),
    '(a.name_key = b.name_key and a.province = b.province)',
  ].join(' or ');
  const rows = await db.all<{ kinds: string; reason: string; pairs: number; weight: number }>(`
    with missed as (
      select x.record_id as ra, y.record_id as rb, least(x.kind, y.kind) || ' × ' || greatest(x.kind, y.kind) as kinds,
             (x.n * y.n)::double as w,
             x.person_id, least(x.cluster_id, y.cluster_id) as cx, greatest(x.cluster_id, y.cluster_id) as cy
      from rp x join rp y on x.person_id = y.person_id and x.record_id < y.record_id and x.cluster_id <> y.cluster_id
    ),
    links as (select least(record_a, record_b) as ra, greatest(record_a, record_b) as rb, kept, cut_reason from resolve_links),
    judged as (
      select m.kinds, m.w, m.person_id, m.cx, m.cy,
        case
          when l.ra is not null and l.cut_reason is not null then 'cut: ' || l.cut_reason
          when l.ra is not null then 'weak link'
          when ${blockSql} then 'below threshold (' || trim(${agreeSql}) || ')'
          else 'no candidate (' || trim(${agreeSql}) || ')'
        end as reason
      from missed m
      join int_identity_records a on a.record_id = m.ra
      join int_identity_records b on b.record_id = m.rb
      left join links l on l.ra = m.ra and l.rb = m.rb
    ),
    -- one person's two clusters: the closest any of their record pairs came to joining them
    by_clusters as (
      select arg_min(kinds, rank_of) as kinds, arg_min(reason, rank_of) as reason, sum(w) as w
      from (select *, case when reason like 'cut%' then 0 when reason = 'weak link' then 1
                           when reason like 'below%' then 2 else 3 end * 1e12 - w as rank_of from judged)
      group by person_id, cx, cy
    )
    select kinds, reason, count(*)::int as pairs, sum(w)::double as weight from by_clusters group by all order by weight desc`);
  const missed = rows.reduce((s, r) => s + r.weight, 0);
  console.log(
    `\n## ${world}: true pairs ${truePairs}, missed (attributed) ${missed} = ${(missed / truePairs).toFixed(4)} of recall`,
  );
  const byReason = new Map<string, number>();
  for (const r of rows) {
    const key = r.reason.replace(/ \(.*$/, '');
    byReason.set(key, (byReason.get(key) ?? 0) + r.weight);
  }
  for (const [reason, w] of [...byReason].sort((p, q) => q[1] - p[1]))
    console.log(`  ${reason.padEnd(28)} ${(w / truePairs).toFixed(4)}`);
  console.log('  top (kinds, reason, cluster pairs, share of true pairs):');
  for (const r of rows.slice(0, 25))
    console.log(
      `  ${r.kinds.padEnd(40)} ${r.reason.padEnd(58)} ${String(r.pairs).padStart(6)} ${(r.weight / truePairs).toFixed(4)}`,
    );
  await db.close();
}

/**
 * Which of a person's records the run left apart, by kind (the counterpart of bench/missed-pairs.ts
 * at the level of clusters), on worlds kept by `bench/quality.ts --keep`: each person's cluster with
 * most of their rows (truth/records.csv) is their main one; every other cluster holding their rows
 * is a splinter, weighed by its rows × the person's rows elsewhere (the true pairs it loses, as
 * pairwise recall counts them), and classed by the records it holds:
 *
 * - `A lone account`: bank account records only (a second account with the holder's name and no
 *   identifier the rest of the person carries);
 * - `B undecided shop`: a shop on another person's papers paid into a third person's account, that
 *   keeps neither identity (docs/linking.md, "Neither identity for undecided nominee shops");
 * - `C shop with payouts` / `C2 shop without`: a shop (on the records' own terms not a nominee) with
 *   its payouts and marketplace parcels, apart from its operator;
 * - `D market parcels, no shop`: sender profiles paid into a marketplace's collection account that
 *   no shop took (`cod-nophone-mkt`: the phone missing);
 * - `E warehouse parcels`: profiles carrying a warehouse's phone, name or account;
 * - `F other`.
 *
 *   npx tsx bench/missed-clusters.ts /tmp/sangloc-quality typos-missing-heavy mix-few-hubs
 */
import { openKeptWorld } from './lib/kept-world.js';

const [root, ...worlds] = process.argv.slice(2);
if (!root || worlds.length === 0) {
  console.error('usage: npx tsx bench/missed-clusters.ts <quality root> <world> [world…]');
  process.exit(2);
}

for (const world of worlds) {
  const { db, truthCsv } = await openKeptWorld(root, world);
  await db.exec(`create temp table truth as select * from read_csv('${truthCsv}', all_varchar = true)`);
  const truePairs = Number(
    await db.value(
      `select sum(n * (n - 1) / 2)::double from (select person_id, count(*) as n from truth group by all)`,
    ),
  );
  await db.exec(`create temp table rpp as
    select ri.record_id, t.person_id, count(*) as n
    from int_record_identity ri join truth t using (source, record_key) group by all`);
  // collection accounts: ten names or more on their parcels (as int_identity_records.sql's market_accounts)
  await db.exec(`create temp table mkt as
    select account from int_identity_records where source = 'cod_shipments' and account is not null
    group by account having count(distinct name_key) >= 10`);
  await db.exec(`create temp table kinds as
    select record_id,
      case source
        when 'bank_transactions' then case when source_key like '%>%' then 'bank-payout'
                                           when shared_account is not null then 'bank-shared' else 'bank' end
        when 'cod_shipments' then 'cod'
          || case when hub_phone is not null or hub_account is not null or hub_name_key is not null then '-hub' else '' end
          || case when phone is null then '-nophone' else '' end
          || case when account is null then '-noacct' when account in (select account from mkt) then '-mkt'
                  when account_key <> account then '-acct~' else '' end
          || case when shop_key is not null then '-shop' else '' end
        when 'platform_sellers' then 'shop' || case when nominee then '-nominee' else '' end
          || case when name_key is null then '-undecided' else '' end
        else source end as kind
    from int_identity_records`);
  await db.exec(`create temp table pc as
    select p.person_id, c.cluster_id, sum(p.n) as n, string_agg(distinct k.kind, ',' order by k.kind) as comp
    from rpp p join resolve_clusters c using (record_id) join kinds k using (record_id) group by all`);
  const rows = await db.all<{ class: string; clusters: number; pairs: number }>(`
    with main as (select person_id, sum(n) as n, arg_max(cluster_id, n) as main from pc group by all)
    select case
        when s.comp in ('bank', 'bank,taxpayers', 'bank-shared', 'bank-shared,taxpayers') then 'A lone account'
        when s.comp like '%undecided%' then 'B undecided shop'
        when s.comp like '%cod-hub%' then 'E warehouse parcels'
        when s.comp like 'bank-payout%shop%' then 'C shop with payouts'
        when s.comp in ('cod-nophone-mkt', 'cod-mkt,cod-nophone-mkt', 'cod-mkt') then 'D market parcels, no shop'
        when s.comp like '%shop%' then 'C2 shop without payouts'
        else 'F other' end as class,
      count(*)::int as clusters, sum(s.n * (m.n - s.n))::double as pairs
    from pc s join main m using (person_id)
    where s.cluster_id <> m.main
    group by all order by class`);
  const lost = rows.reduce((s, r) => s + r.pairs, 0);
  console.log(`\n## ${world}: splinters lose ${(lost / truePairs).toFixed(4)} of the true pairs`);
  for (const r of rows)
    console.log(`  ${r.class.padEnd(28)} ${String(r.clusters).padStart(6)} ${(r.pairs / truePairs).toFixed(4)}`);
  await db.close();
}

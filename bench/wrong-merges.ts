/**
 * Why rows of different people share an entity, on worlds kept by `bench/quality.ts --keep`
 * (bench/false-pairs.ts by record kind; this by cause). Each row of someone other than its entity's
 * main person (generator truth, truth/records.csv) is weighed by the false pairs it makes (the
 * entity's rows of other people) and told by how it came there:
 *
 * - `A` a row of the seller's inside a bank account record whose holder is someone else (the
 *   holder: the person whose debits and private credits the account carries): the identity record
 *   itself groups two people (int_identity_records.sql, account_records; int_record_identity.sql,
 *   served_accounts), split by what the data holds of the seller: no record at all but these bank
 *   rows, records none of which names the account, a shop or parcels naming it (payout or remittance
 *   account), or the account already served (its buyer transfers unattributed) and the row kept
 *   with the holder as a private credit or debit;
 * - `B` a parcel inside another sender's COD profile (int_cod_senders.sql);
 * - `D` a whole record of the person's own joined to the entity: a shop with its payout records and
 *   marketplace parcels (by how the shop was decided: paid into someone else's account and given to
 *   the holder, not a nominee, undecided), the person's own account record (a relative holding the
 *   seller's money), a COD sender profile, a registry record, a website; with the first identifier
 *   (shop key, account, phone, national ID, tax ID, e-mail) that any record of the person's there
 *   shares with a record of the entity's main person (`via other records` when none does directly).
 *
 *   npx tsx bench/wrong-merges.ts /tmp/rel8/base relative-account big-families mix-many-hubs
 */
import { openKeptWorld, printFalsePairs } from './lib/kept-world.js';

const [root, ...worlds] = process.argv.slice(2);
if (!root || worlds.length === 0) {
  console.error('usage: npx tsx bench/wrong-merges.ts <quality root> <world> [world…]');
  process.exit(2);
}

const steps = `
create temp table truth as select * from read_csv('{truth}', all_varchar = true);
create temp table mem as
  select m.entity_id, m.source, m.record_key, t.person_id, ri.record_id
  from read_csv('{members}', all_varchar = true) m
  join truth t using (source, record_key)
  left join int_record_identity ri using (source, record_key);
create temp table ep as select entity_id, person_id, count(*) as n from mem group by all;
create temp table ent as select entity_id, sum(n) as n, arg_max(person_id, (n, person_id)) as person from ep group by 1;
create temp table allbank as
  select b.account, t.person_id, b.direction, c.credit_class
  from stg_bank_transactions b
  join truth t on t.source = 'bank_transactions' and t.record_key = b.record_key
  left join int_bank_credits_classified c on c.record_key = b.record_key;
create temp table acct_holder as
  select account, arg_max(person_id, n) as holder from (
    select account, person_id,
      count(*) filter (where direction = 'debit' or credit_class = 'private') * 100000 + count(*) as n
    from allbank group by all)
  group by 1;
create temp table served as
  select distinct t.account from stg_bank_transactions t
  anti join int_record_identity r on r.source = 'bank_transactions' and r.record_key = t.record_key;
create temp table names_acct as
  select distinct s.payout_account as account, t.person_id from stg_platform_sellers s
  join truth t on t.source = 'platform_sellers' and t.record_key = s.record_key where s.payout_account is not null
  union
  select distinct c.remit_account, t.person_id from stg_cod_shipments c
  join truth t on t.source = 'cod_shipments' and t.record_key = c.record_key where c.remit_account is not null;
create temp table visible as select distinct person_id from truth where source <> 'bank_transactions';
create temp table recdom as
  select record_id, arg_max(person_id, (n, person_id)) as dom
  from (select record_id, person_id, count(*) as n from mem group by all) group by 1;
create temp table recs as
  select i.record_id, x.entity_id, e.person as ent_person, i.source, i.shop_key, i.account_key, i.phone_key, i.email_key,
    i.national_id, i.tax_id, i.bank_row_keys is not null as payout, coalesce(i.nominee, false) as nominee,
    i.hub_name_key is not null or i.hub_phone is not null as via_hub,
    coalesce(case when i.source = 'bank_transactions' and i.bank_row_keys is null then h.holder end, r.dom) as owner
  from int_identity_records i
  join recdom r using (record_id)
  join (select distinct record_id, entity_id from mem) x using (record_id)
  join ent e using (entity_id)
  left join acct_holder h on h.account = i.source_key;
create temp table shop_decision as
  select source_key as shop_key,
    case when not nominee then 'not a nominee' when account is null then 'undecided' else 'given to the account holder' end as decision
  from int_identity_records where source = 'platform_sellers';
create temp table bridge as
  select a.entity_id, a.owner as person, min(case when a.shop_key = b.shop_key then 1 when a.account_key = b.account_key then 2
    when a.phone_key = b.phone_key then 3 when a.national_id = b.national_id then 4 when a.tax_id = b.tax_id then 5
    when a.email_key = b.email_key then 6 end) as via
  from (select * from recs where owner <> ent_person) a
  join (select * from recs where owner = ent_person) b using (entity_id)
  group by all;
create temp table wrong as
  select m.entity_id, m.person_id, e.n - p.n as pairs,
    case
      when r.source = 'bank_transactions' and not r.payout and r.owner <> m.person_id then
        'A seller''s row in a relative''s account record: ' || case
          when sv.account is not null then 'account served, row kept as the holder''s'
          when vi.person_id is null then 'seller has no record but these rows'
          when na.person_id is not null then 'seller''s shop or parcels name the account'
          else 'seller''s records do not name the account' end
      when r.source = 'cod_shipments' and r.owner <> m.person_id then 'B parcel in another sender''s COD profile'
      when r.owner <> m.person_id then 'C row in another person''s record'
      else 'D own record joined: ' || case
        when r.shop_key is not null and r.source <> 'websites' then 'shop (' || coalesce(d.decision, '?') || ') with its payouts and parcels'
        when r.source = 'bank_transactions' then 'own account record (holder of the seller''s money)'
        when r.source = 'cod_shipments' and r.via_hub then 'warehouse parcels'
        when r.source = 'cod_shipments' then 'COD sender'
        else r.source end || ', via ' || case b.via when 1 then 'shop key' when 2 then 'account' when 3 then 'phone'
          when 4 then 'national ID' when 5 then 'tax ID' when 6 then 'e-mail' else 'other records' end
    end as cause
  from mem m
  join ent e using (entity_id)
  join ep p on p.entity_id = m.entity_id and p.person_id = m.person_id
  join recs r on r.record_id = m.record_id
  left join stg_bank_transactions bt on m.source = 'bank_transactions' and bt.record_key = m.record_key
  left join served sv on sv.account = bt.account
  left join visible vi on vi.person_id = m.person_id
  left join names_acct na on na.account = bt.account and na.person_id = m.person_id
  left join shop_decision d on d.shop_key = r.shop_key
  left join bridge b on b.entity_id = m.entity_id and b.person = m.person_id
  where m.person_id <> e.person`;

for (const world of worlds) {
  const { db, truthCsv, membersCsv } = await openKeptWorld(root, world);
  const sql = steps.replace('{truth}', truthCsv).replace('{members}', membersCsv);
  for (const s of sql.split(';').map((x) => x.trim())) if (s) await db.exec(s);
  const total = Number(await db.value(`select sum(pairs) from wrong`));
  const rows = await db.all<{ cause: string; rows: number; pairs: number }>(
    `select cause, count(*)::int as rows, sum(pairs)::double as pairs from wrong group by 1 order by pairs desc`,
  );
  db.close();
  printFalsePairs(
    world,
    total,
    ['cause', 'rows'],
    rows.map((r) => ({ cells: [r.cause, r.rows], pairs: r.pairs })),
  );
}

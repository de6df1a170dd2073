-- one row per source record that can reach an entity: its record key (as in the synthetic truth) and identity record
-- (a bank row missing here is unattributed: see served_accounts; a COD parcel: see home_parcels)
with identities as (
    select record_id, source, source_key, bank_row_keys, account, other_person_on_account, other_name_on_account
    from int_identity_records
),

taxpayers as (
    select 'taxpayers' as source, record_key, record_key as source_key from stg_taxpayers
),

shops as (
    select 'platform_sellers' as source, record_key, shop_key as source_key from stg_platform_sellers
),

websites as (
    select 'websites' as source, record_key, record_key as source_key from stg_websites
),

parcels as (
    select 'cod_shipments' as source, record_key, sender_key as source_key
    from int_cod_senders
    where sender_key is not null
),

-- a shop's payouts into an account form their own record (int_identity_records.sql, payout_records)
payouts as (
    select unnest(bank_row_keys) as record_key, source_key
    from identities
    where bank_row_keys is not null
),

-- A bank account that demonstrably serves another seller: a shop's payouts into it (payout records)
-- resolved to an entity other than the account holder's record (a relative's account receiving a
-- seller's money). Parcels remitted there and resolved elsewhere are not enough: a busy seller's
-- many spellings split off their own account would be taken for another seller (bench/quality.ts
-- busy-spellings lost 1.7 points of recall that way); they are when they carry another person's own
-- name (other_person_on_account) and went to an entity with records of its own elsewhere (a seller
-- without a shop paid into a relative's account), or under a name two words or more from the
-- holder's (other_name_on_account: a clerk's spelling changes one word at most). On such an account
-- a carrier remittance is the money of the senders whose waybills name the account: it goes to
-- them when they are one entity other than the holder's; a buyer transfer names nobody, so it is
-- ambiguous and stays unattributed (counted in run.json `unattributed`), never given to the holder
-- as a block. The holder keeps its own rows otherwise (debits, private credits).
entities as (
    select record_id, entity_id from int_entities
),

account_entities as (
    select i.source_key as account, e.entity_id
    from identities i
    join entities e using (record_id)
    where i.source = 'bank_transactions' and i.bank_row_keys is null
),

paid_in as (
    select split_part(i.source_key, '>', 1) as account, e.entity_id
    from identities i
    join entities e using (record_id)
    where i.source = 'bank_transactions' and i.bank_row_keys is not null
),

served_accounts as (
    select distinct p.account
    from paid_in p
    join account_entities a on a.account = p.account
    where p.entity_id <> a.entity_id
    union
    -- COD parcels sent under another person's own name (not a spelling of the holder's, not a shop's)
    -- paid into the account, resolved to an entity other than the holder's that is a person of its
    -- own elsewhere (a registry entry, a shop, a website or a bank account), or whose name is two words or
    -- more from the holder's: not parcels split off
    select distinct i.account
    from identities i
    join entities e using (record_id)
    join account_entities a on a.account = i.account
    where i.source = 'cod_shipments' and i.other_person_on_account and e.entity_id <> a.entity_id
      and (i.other_name_on_account or e.entity_id in (
        select e2.entity_id from identities i2 join entities e2 using (record_id)
        where i2.source in ('taxpayers', 'platform_sellers', 'websites')
           or (i2.source = 'bank_transactions' and i2.bank_row_keys is null)
      ))
),

-- the entities COD parcels remitted to each served account resolved to, with one sender record of each
-- (who a served account's carrier remittances belong to)
remitted as (
    select c.remit_account as account, e.entity_id, min(i.record_id) as record_id
    from int_cod_senders c
    join identities i on i.source = 'cod_shipments' and i.source_key = c.sender_key
    join entities e on e.record_id = i.record_id
    join served_accounts s on s.account = c.remit_account
    where c.sender_key is not null
    group by c.remit_account, e.entity_id
),

-- the one entity (not the holder's) whose parcels are remitted to a served account
remittance_owner as (
    select r.account, min(r.record_id) as record_id
    from remitted r
    join account_entities a on a.account = r.account
    where r.entity_id <> a.entity_id
      and r.account in (select account from served_accounts)
    group by r.account
    having count(*) = 1
),

-- the holder's own COD parcels remitted there too: a remittance could be either's
holder_remits as (
    select r.account
    from remitted r
    join account_entities a on a.account = r.account and a.entity_id = r.entity_id
),

-- rows of accounts serving one seller, and payouts, go as they are; only a served account's other rows
-- are read (the text patterns over every bank row cost the resolve stage a third more CPU). The rows
-- are taken first, the patterns run on them after: DuckDB pushes a test of `kind` under the join
-- (onto every bank row), even into a materialized CTE (perf6, issue 18: 1.6 of int_record_identity's
-- 3.7 s at 20,000 persons)
served_bank as materialized (
    select t.record_key, t.account, t.direction, t.counterparty_key, t.description_key
    from stg_bank_transactions t
    join served_accounts s on s.account = t.account
    anti join payouts p on p.record_key = t.record_key
),

served_rows as (
    select
        t.record_key, t.account,
        case
            when t.direction <> 'credit' then 'other'
            when regexp_matches(coalesce(t.counterparty_key, '') || ' ' || coalesce(t.description_key, ''),
                getvariable('re_carrier_remittance')) then 'carrier_remittance'
            when regexp_matches(coalesce(t.counterparty_key, '') || ' ' || coalesce(t.description_key, ''),
                getvariable('re_platform_payout')) then 'other'
            when regexp_matches(coalesce(t.description_key, ''), getvariable('re_private')) then 'other'
            else 'trade'
        end as kind
    from served_bank t
),

transactions as (
    select 'bank_transactions' as source, t.record_key, coalesce(p.source_key, t.account) as source_key
    from stg_bank_transactions t
    left join payouts p using (record_key)
    left join served_accounts s on s.account = t.account
    where t.account is not null and (p.source_key is not null or s.account is null)
    union all
    select 'bank_transactions' as source, record_key, account as source_key
    from served_rows
    where kind = 'other'
),

-- a served account's carrier remittances: to the senders' entity (one of their sender records)
remittances as (
    select b.record_key, o.record_id
    from served_rows b
    join remittance_owner o on o.account = b.account
    where b.kind = 'carrier_remittance'
      and b.account not in (select account from holder_remits)
),

-- A warehouse parcel with nothing of the seller's own on it but a home as its pickup place
-- (int_cod_senders.sql, home_place) is the parcel of the one seller whose own records come from
-- that home: the registry's, a shop's or a website's address there, or parcels the seller booked
-- from it. A home where the records of two entities or more sit (a family, neighbours, a house
-- number two people write) names nobody, and the parcel stays unattributed; so does one whose
-- only seller there is the one who booked it (a warehouse registered at its depot). Decided after
-- clustering, like the served accounts; the identity records and their links do not change.
record_values as (
    select i.record_id, e.entity_id, i.source, i.phone, i.account, i.name_key, coalesce(i.nominee, false) as nominee
    from int_identity_records i
    join entities e using (record_id)
),

pickups as (
    select record_key, home_place, province, hub_phone, hub_name_key, hub_account, paid_account
    from int_cod_senders
    where sender_key is null and home_place is not null and province is not null
),

registered_addresses as (
    select 'taxpayers' as source, record_key as source_key, address, province from stg_taxpayers
    union all
    select distinct 'platform_sellers' as source, shop_key as source_key, address, province from stg_platform_sellers
    union all
    select 'websites' as source, record_key as source_key, address, province from stg_websites
),

-- each address as the pickup place int_cod_senders.sql makes of it (house number and street, ward
-- without its kind), once per distinct address
registered_places as (
    select address, pickup_place(address) as home_place
    from (select distinct address from registered_addresses where address is not null)
),

-- the records each home is seen on (a nominee shop's address is its lender's, not the operator's)
home_records as (
    select p.home_place, a.province, i.record_id
    from registered_addresses a
    join registered_places p using (address)
    join identities i on i.source = a.source and i.source_key = a.source_key
    where regexp_matches(p.home_place, '^(so )?[0-9]')
    union all
    select distinct c.home_place, c.province, i.record_id
    from int_cod_senders c
    join identities i on i.source = 'cod_shipments' and i.source_key = c.sender_key
    where not c.via_hub and c.home_place is not null
),

home_owner as (
    select h.home_place, h.province, min(v.entity_id) as entity_id, min(h.record_id) as record_id
    from home_records h
    join (select distinct home_place, province from pickups) q
        on q.home_place = h.home_place and q.province = h.province
    join record_values v on v.record_id = h.record_id
    where not v.nominee
    group by h.home_place, h.province
    having count(distinct v.entity_id) = 1
),

-- A warehouse writes its clients' names on some of their parcels and its own on others. A parcel under
-- its name and phone with nothing of the seller's own on it, picked up from a place (a house number or
-- a hamlet; not a public place nor the warehouse's depot) from which the same warehouse phone booked
-- parcels under one seller's own name, and under no other's, is that seller's: the warehouse itself
-- named who it collects from there (issue 14, hp24). A hamlet alone names nobody (many households
-- share it, see home_parcels), but the warehouse does not write two neighbours' parcels under one
-- name; where it wrote two sellers' names from one place, or none, the parcel stays unattributed.
place_pickups as (
    select record_key, booked_place, province, hub_phone, hub_name_key, hub_account, paid_account
    from int_cod_senders
    where sender_key is null and hub_phone is not null and booked_place is not null and province is not null
),

place_owner as (
    select c.hub_phone, c.booked_place, c.province, min(v.entity_id) as entity_id, min(v.record_id) as record_id
    from int_cod_senders c
    join (select distinct hub_phone, booked_place, province from place_pickups) q
        on q.hub_phone = c.hub_phone and q.booked_place = c.booked_place and q.province = c.province
    join identities i on i.source = 'cod_shipments' and i.source_key = c.sender_key
    join record_values v on v.record_id = i.record_id
    where c.name_key is not null
    group by c.hub_phone, c.booked_place, c.province
    having count(distinct v.entity_id) = 1
),

-- A place (a house number) where the records of the entity whose phone booked the parcels sit — its
-- registry, shop or website address, parcels it booked itself — is the warehouse's own premises: its
-- depot, where it may write the one client's name it writes at all. There the warehouse's naming
-- does not tell its own parcels from that client's, and the place names nobody (pl27).
warehouse_premises as (
    select distinct q.hub_phone, h.home_place, h.province
    from home_records h
    join record_values v on v.record_id = h.record_id
    join record_values w on w.entity_id = v.entity_id
    join (select distinct hub_phone from place_pickups) q on q.hub_phone = w.phone
),

place_owner_alone as (
    select o.*
    from place_owner o
    anti join warehouse_premises x
        on x.hub_phone = o.hub_phone and x.home_place = o.booked_place and x.province = o.province
),

-- each such parcel with the seller its home or its place names
pickup_sellers as (
    select p.record_key, p.hub_phone, p.hub_account, p.hub_name_key, p.paid_account, o.entity_id, o.record_id, 'home' as by_what
    from pickups p
    join home_owner o on o.home_place = p.home_place and o.province = p.province
    union all
    select p.record_key, p.hub_phone, p.hub_account, p.hub_name_key, p.paid_account, o.entity_id, o.record_id, 'place' as by_what
    from place_pickups p
    join place_owner_alone o on o.hub_phone = p.hub_phone and o.booked_place = p.booked_place and o.province = p.province
),

given_parcels as (
    select s.record_key, s.record_id, s.by_what
    from pickup_sellers s
    -- the entity booking the parcel is not its seller
    anti join record_values b1 on b1.entity_id = s.entity_id and b1.phone = s.hub_phone
    anti join record_values b2 on b2.entity_id = s.entity_id and b2.account = s.hub_account
    anti join record_values b3 on b3.entity_id = s.entity_id and b3.name_key = s.hub_name_key
    -- nor is the holder of the account its COD was paid into, whoever that collects for (a warehouse,
    -- a COD collector: on a parcel with nothing of the seller's own, the account is never hers)
    anti join record_values b4
        on b4.entity_id = s.entity_id and b4.source = 'bank_transactions' and b4.account = s.paid_account
),

home_parcels as (
    select record_key, record_id from given_parcels where by_what = 'home'
),

-- (a parcel both rules give goes by its home)
place_parcels as (
    select g.record_key, g.record_id
    from given_parcels g
    anti join home_parcels h on h.record_key = g.record_key
    where g.by_what = 'place'
),

unioned as (
    select * from taxpayers
    union all select * from shops
    union all select * from websites
    union all select * from parcels
    union all select * from transactions
),

final as (
    select u.source, u.record_key, i.record_id
    from unioned u
    join identities i on i.source = u.source and i.source_key = u.source_key
    union all
    select 'bank_transactions' as source, record_key, record_id from remittances
    union all
    select 'cod_shipments' as source, record_key, record_id from home_parcels
    union all
    select 'cod_shipments' as source, record_key, record_id from place_parcels
)

select * from final

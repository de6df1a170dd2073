-- one row per source record that can reach an entity: its record key (as in the synthetic truth) and identity record
-- (a bank row missing here is unattributed: see served_accounts)
with identities as (
    select record_id, source, source_key, bank_row_keys from int_identity_records
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
-- busy-spellings lost 1.7 points of recall that way). On such an account
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
-- are read (the text patterns over every bank row cost the resolve stage a third more CPU)
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
    from stg_bank_transactions t
    join served_accounts s on s.account = t.account
    anti join payouts p on p.record_key = t.record_key
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
)

select * from final

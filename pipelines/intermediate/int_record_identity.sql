-- one row per source record that can reach an entity: its record key (as in the synthetic truth) and identity record
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

transactions as (
    select 'bank_transactions' as source, t.record_key, coalesce(p.source_key, t.account) as source_key
    from stg_bank_transactions t
    left join payouts p using (record_key)
    where t.account is not null
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
)

select * from final

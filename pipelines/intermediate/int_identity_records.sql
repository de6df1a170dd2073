-- one row per identity record: a taxpayer, a platform shop, a website, a bank account, a COD sender profile
with taxpayers as (
    select * from stg_taxpayers
),

shops as (
    select * from stg_platform_sellers
),

websites as (
    select * from stg_websites
),

bank as (
    select * from stg_bank_transactions
),

cod as (
    select * from stg_cod_shipments
),

taxpayer_records as (
    select
        'taxpayers' as source, record_key as source_key,
        name as name_display, name_key, national_id,
        -- a 12-digit personal ID used as tax code is the person's national ID too
        tax_id, phone, email, null::varchar as account, null::varchar as domain, province, name_key(address) as address_key
    from taxpayers
),

shop_records as (
    select
        'platform_sellers' as source, shop_key as source_key,
        arg_max(owner_name, period) filter (where owner_name is not null)     as name_display,
        arg_max(name_key, period) filter (where name_key is not null)         as name_key,
        arg_max(national_id, period) filter (where national_id is not null)   as national_id,
        arg_max(tax_id, period) filter (where tax_id is not null)             as tax_id,
        arg_max(phone, period) filter (where phone is not null)               as phone,
        arg_max(email, period) filter (where email is not null)               as email,
        arg_max(payout_account, period) filter (where payout_account is not null) as account,
        null::varchar as domain,
        arg_max(province, period) filter (where province is not null)         as province,
        arg_max(name_key(address), period) filter (where address is not null) as address_key
    from shops
    group by shop_key
),

website_records as (
    select
        'websites' as source, record_key as source_key,
        owner_name as name_display, name_key, national_id, tax_id, phone, email,
        null::varchar as account, domain, province, name_key(address) as address_key
    from websites
),

account_records as (
    select
        'bank_transactions' as source, account as source_key,
        -- the holder as the latest statement line shows it (ties broken by the unique record key)
        arg_max(holder_name, (booked_at, record_key)) filter (where holder_name is not null) as name_display,
        arg_max(name_key, (booked_at, record_key)) filter (where name_key is not null)       as name_key,
        arg_max(national_id, (booked_at, record_key)) filter (where national_id is not null) as national_id,
        arg_max(tax_id, (booked_at, record_key)) filter (where tax_id is not null)           as tax_id,
        null::varchar as phone, null::varchar as email, account, null::varchar as domain,
        null::varchar as province, null::varchar as address_key
    from bank
    where account is not null
    group by account
),

sender_records as (
    select
        'cod_shipments' as source,
        md5(concat_ws('|', name_key, phone, remit_account, province)) as source_key,
        max(sender_name) as name_display, name_key,
        null::varchar as national_id, null::varchar as tax_id, phone, null::varchar as email,
        remit_account as account, null::varchar as domain, province, max(name_key(address)) as address_key
    from cod
    group by name_key, phone, remit_account, province
),

unioned as (
    select * from taxpayer_records
    union all select * from shop_records
    union all select * from website_records
    union all select * from account_records
    union all select * from sender_records
),

final as (
    select
        (row_number() over (order by source, source_key) - 1)::bigint as record_id,
        *
    from unioned
)

select * from final

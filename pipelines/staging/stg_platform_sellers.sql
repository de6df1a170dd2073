-- one row per platform shop per period; a later delivery restates the same shop and period
-- restatements are found on the key columns alone and the rows they replace left out before any
-- normalising: no wide sort, and the rest keep the raw table's order (deterministic, parallel writes)
with restated as (
    select _file_id, _line from raw_platform_sellers
    qualify row_number() over (partition by record_key_text(platform), record_key_text(shop_id), record_key_text(period) order by _load_seq desc, _line desc) > 1
),

source as (
    select r.* from raw_platform_sellers as r
    left join restated as x on x._file_id = r._file_id and x._line = r._line
    where x._line is null
),

renamed as (
    select
        trim(platform) || ':' || trim(shop_id) || ':' || trim(period) as record_key,
        lower(trim(platform))                          as platform,
        trim(shop_id)                                  as shop_id,
        lower(trim(platform)) || ':' || trim(shop_id)  as shop_key,
        trim(shop_name)                                as shop_name,
        trim(regexp_replace(owner_name, '\s+', ' ', 'g')) as owner_name,
        name_key(owner_name)                           as name_key,
        norm_national_id(owner_national_id)            as national_id,
        tax_id_root(owner_tax_id)                    as tax_id,
        norm_phone(phone)                              as phone,
        norm_email(email)                              as email,
        trim(address)                                  as address,
        coalesce(norm_province(province), norm_province(address)) as province,
        norm_account(payout_bank, payout_account)      as payout_account,
        trim(period)                                   as period,
        cast(left(trim(period), 4) as integer)         as tax_year,
        cast(trim(gmv) as bigint)                      as gmv,
        coalesce(cast(nullif(trim(orders), '') as bigint), 0) as orders,
        coalesce(cast(nullif(trim(tax_withheld), '') as bigint), 0) as tax_withheld,
        _file_id,
        _line,
        _load_seq
    from source
),

final as (
    select * from renamed
)

select * from final
